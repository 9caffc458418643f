import { Module } from '@nestjs/common';
import { SessionsModule } from '../auth/sessions/sessions.module';
import { IngredientsModule } from '../ingredients/ingredients.module';
import { UsersModule } from '../users/users.module';
import { CommentsRepository } from './comments.repository';
import { CommentsService } from './comments.service';
import { PostsCacheListener } from './posts-cache.listener';
import { PostsController } from './posts.controller';
import { PostsRepository } from './posts.repository';
import { PostsService } from './posts.service';
import { UserPostsController } from './user-posts.controller';

@Module({
  imports: [SessionsModule, UsersModule, IngredientsModule],
  controllers: [PostsController, UserPostsController],
  providers: [PostsRepository, PostsService, CommentsRepository, CommentsService, PostsCacheListener],
  exports: [PostsService],
})
export class PostsModule {}
