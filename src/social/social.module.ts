import { Module } from '@nestjs/common';
import { SessionsModule } from '../auth/sessions/sessions.module';
import { VIEWER_FLAGS_SOURCE } from '../common/viewer/viewer-slots';
import { PostsModule } from '../posts/posts.module';
import { UsersModule } from '../users/users.module';
import { FeedController } from './feed.controller';
import { FollowsController } from './follows.controller';
import { FollowsRepository } from './follows.repository';
import { FollowsService } from './follows.service';
import { SavesController } from './saves.controller';
import { SavesRepository } from './saves.repository';
import { SavesService } from './saves.service';
import { SocialCacheListener } from './social-cache.listener';
import { ViewerFlagsRepository } from './viewer-flags.repository';
import { ViewerFlagsService } from './viewer-flags.service';

/** Follows, the feed, saved recipes, and the viewer flags every personalised answer carries. */
@Module({
  imports: [SessionsModule, UsersModule, PostsModule],
  controllers: [FollowsController, SavesController, FeedController],
  providers: [
    FollowsRepository,
    FollowsService,
    SavesRepository,
    SavesService,
    ViewerFlagsRepository,
    ViewerFlagsService,
    { provide: VIEWER_FLAGS_SOURCE, useExisting: ViewerFlagsService },
    SocialCacheListener,
  ],
})
export class SocialModule {}
