import { Injectable } from '@nestjs/common';
import { Counter, Gauge, Histogram } from 'prom-client';
import { JobQueue } from '../jobs/job-queue';
import { MetricsRegistry } from '../metrics/metrics.registry';

/** Photo processing in /metrics: jobs waiting, how long each took, and how each ended. */
@Injectable()
export class PhotoMetrics {
  private readonly duration: Histogram<'result'>;
  private readonly outcomes: Counter<'result' | 'code'>;

  constructor(registry: MetricsRegistry, jobs: JobQueue) {
    this.duration = new Histogram({
      name: 'chopchop_photo_processing_seconds',
      help: 'Time a worker spent on one photo, from taking the job to recording the result.',
      labelNames: ['result'],
      buckets: [0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 30],
      registers: [registry],
    });
    this.outcomes = new Counter({
      name: 'chopchop_photos_processed_total',
      help: 'Photos processed by this process, by result (ready, failed) and error code.',
      labelNames: ['result', 'code'],
      registers: [registry],
    });
    new Gauge({
      name: 'chopchop_job_queue_depth',
      help: 'Photo jobs waiting for a worker (created or waiting to retry), read when scraped.',
      labelNames: ['queue'],
      registers: [registry],
      async collect() {
        this.set({ queue: 'photo.process' }, await jobs.depth('photo.process'));
      },
    });
  }

  record(result: 'ready' | 'failed', seconds: number, code?: string): void {
    this.duration.observe({ result }, seconds);
    this.outcomes.inc({ result, code: code ?? '' });
  }
}
