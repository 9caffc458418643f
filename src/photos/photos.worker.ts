import { Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import { AppConfig } from '../config/app-config';
import { JobQueue } from '../jobs/job-queue';
import { PROCESS_PHOTO, PhotosService, SWEEP_PHOTOS } from './photos.service';

/** Takes photo jobs off the queue: in the API process when WORKERS=inline, and in `npm run worker`. */
@Injectable()
export class PhotosWorker implements OnApplicationBootstrap {
  private running = false;

  constructor(
    private readonly jobs: JobQueue,
    private readonly photos: PhotosService,
    private readonly config: AppConfig,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    if (this.config.inlineWorkers) await this.start();
  }

  async start(): Promise<void> {
    if (this.running) return;
    this.running = true;
    await this.jobs.work<{ photoId: string }>(PROCESS_PHOTO, ({ photoId }) => this.photos.process(photoId));
    await this.jobs.work(SWEEP_PHOTOS, async () => void (await this.photos.sweep()));
  }
}
