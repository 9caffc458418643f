import { Module } from '@nestjs/common';
import { AuthModule } from './auth/auth.module';
import { CacheModule } from './cache/cache.module';
import { EventsModule } from './common/events/events.module';
import { ConfigModule } from './config/config.module';
import { DatabaseModule } from './database/database.module';
import { HealthModule } from './health/health.module';
import { MetricsModule } from './metrics/metrics.module';
import { IngredientsModule } from './ingredients/ingredients.module';
import { RateLimitsModule } from './rate-limits/rate-limits.module';
import { PostsModule } from './posts/posts.module';
import { JobsModule } from './jobs/jobs.module';
import { PhotosModule } from './photos/photos.module';
import { SocialModule } from './social/social.module';
import { StorageModule } from './storage/storage.module';
import { UsersModule } from './users/users.module';

@Module({
  // RateLimitsModule before CacheModule: global interceptors run in registration order, so a cached read still counts.
  imports: [ConfigModule, RateLimitsModule, EventsModule, MetricsModule, DatabaseModule, CacheModule, JobsModule, StorageModule, HealthModule, AuthModule, UsersModule, PostsModule, IngredientsModule, SocialModule, PhotosModule],
})
export class AppModule {}
