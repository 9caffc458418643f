import { Module } from '@nestjs/common';
import { SessionsModule } from '../auth/sessions/sessions.module';
import { POST_PHOTOS } from '../posts/post-photos';
import { PostsModule } from '../posts/posts.module';
import { PhotoFilesListener } from './photo-files.listener';
import { PhotoMetrics } from './photo-metrics';
import { PhotosCacheListener } from './photos-cache.listener';
import { PhotosController } from './photos.controller';
import { PhotosRepository } from './photos.repository';
import { PhotosService } from './photos.service';
import { PhotosWorker } from './photos.worker';

/** Photo uploads, their processing job, and their reads. */
@Module({
  imports: [SessionsModule, PostsModule],
  controllers: [PhotosController],
  providers: [PhotosRepository, PhotosService, PhotoMetrics, PhotoFilesListener, PhotosWorker, PhotosCacheListener, { provide: POST_PHOTOS, useExisting: PhotosService }],
  exports: [PhotosService, PhotosWorker],
})
export class PhotosModule {}
