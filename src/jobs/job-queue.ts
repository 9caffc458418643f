import { Injectable, Logger, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import PgBoss from 'pg-boss';
import type { Pool } from 'pg';
import { DataSource, type EntityManager } from 'typeorm';
import { AppConfig } from '../config/app-config';
import { returningRows } from '../database/returning-rows';

export interface JobDefinition {
  /** Queue name, e.g. `photo.process`. */
  name: string;
  retryLimit: number;
  /** Seconds before the first retry; doubled each time (retryBackoff). */
  retryDelay: number;
  /** A job active longer than this is taken to have died with its worker and runs again. */
  expireInSeconds: number;
}

/**
 * The durable job queue: pg-boss on the service's own PostgreSQL (so `npm start` needs nothing
 * else, and a job can be enqueued in the same transaction as the row it is about). It shares the
 * app's connection pool. Workers register with `work()`: in the API process when WORKERS=inline,
 * always in `npm run worker`.
 */
@Injectable()
export class JobQueue implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger(JobQueue.name);
  private readonly boss: PgBoss;
  private readonly definitions = new Map<string, JobDefinition>();
  private readonly workers = new Map<string, string>();
  private started?: Promise<void>;
  private readonly graceMs: number;
  /** Queries and handlers this queue has under way (see `settle`). */
  private readonly inFlight = new Set<Promise<unknown>>();
  private closed = false;

  constructor(@InjectDataSource() dataSource: DataSource, config: AppConfig) {
    const pool = (dataSource.driver as unknown as { master: Pool }).master;
    this.graceMs = config.shutdown.graceMs;
    this.boss = new PgBoss({
      db: { executeSql: (text, values) => this.track(() => pool.query(text, values)) },
      schema: 'pgboss',
      supervise: true,
      schedule: false,
      // Expired jobs (their worker died) are found by this maintenance pass: at least twice per timeout.
      maintenanceIntervalSeconds: Math.max(1, Math.min(120, Math.floor(config.jobs.timeoutSeconds / 2))),
    });
    this.boss.on('error', (error) => this.logger.warn(`job queue: ${error.message}`));
  }

  /** Declares a queue; call from a feature's constructor so it exists before start. */
  define(definition: JobDefinition): void {
    this.definitions.set(definition.name, definition);
  }

  onModuleInit(): Promise<void> {
    this.started ??= this.start();
    return this.started;
  }

  private async start(): Promise<void> {
    await this.boss.start();
    for (const { name, retryLimit, retryDelay, expireInSeconds } of this.definitions.values()) {
      if (!(await this.boss.getQueue(name))) await this.boss.createQueue(name, { name, retryLimit, retryDelay, retryBackoff: true, expireInSeconds });
    }
  }

  /** Enqueues a job inside the caller's transaction: it exists exactly when the transaction commits. */
  async send(manager: EntityManager, name: string, data: object, singletonKey?: string): Promise<void> {
    await this.onModuleInit();
    await this.boss.send(name, data, {
      singletonKey,
      db: { executeSql: async (text, values) => ({ rows: returningRows(await manager.query(text, values)) }) },
    });
  }

  /**
   * Enqueues a job on its own (not tied to a transaction), to run now or `startAfterSeconds` from
   * now; with a singleton key, at most one such job waits at a time.
   */
  async sendAlone(name: string, data: object, singletonKey?: string, startAfterSeconds = 0): Promise<void> {
    await this.onModuleInit();
    await this.boss.send(name, data, { singletonKey, startAfter: startAfterSeconds });
  }

  /** Wakes this process's worker for `name` now instead of at its next poll (after the enqueuing transaction committed). */
  nudge(name: string): void {
    const worker = this.workers.get(name);
    if (worker) this.boss.notifyWorker(worker);
  }

  async work<T extends object>(name: string, handler: (data: T, jobId: string) => Promise<void>): Promise<void> {
    await this.onModuleInit();
    let id = '';
    id = await this.boss.work<T>(name, { batchSize: 1, pollingIntervalSeconds: 1 }, async ([job]) => {
      await this.track(() => handler(job.data, job.id));
      // pg-boss waits out the polling interval after every fetch, even a fruitful one (measured: one
      // photo a second whatever its processing time); after a job, look for the next one at once.
      this.boss.notifyWorker(id);
    });
    this.workers.set(name, id);
  }

  /** Jobs waiting (created or retrying) in a queue. */
  async depth(name: string): Promise<number> {
    await this.onModuleInit();
    return this.boss.getQueueSize(name, { before: 'active' });
  }

  async onApplicationShutdown(): Promise<void> {
    if (!this.started) return;
    await this.started.catch(() => undefined);
    // Finish the job in hand (up to SHUTDOWN_GRACE_MS; one that takes longer expires after JOB_TIMEOUT
    // and another worker runs it again), then stop polling; the pool belongs to TypeORM.
    const graceMs = Math.max(1000, this.graceMs);
    const deadline = Date.now() + graceMs;
    await this.boss.stop({ graceful: true, wait: true, close: false, timeout: graceMs }).catch(() => undefined);
    await this.settle(deadline);
    this.closed = true;
  }

  private track<T>(work: () => Promise<T>): Promise<T> {
    // pg-boss records a job's outcome without awaiting it, so a query failing after the pool closed
    // would be an unhandled rejection: past the grace it is dropped instead (the job, still
    // active, expires and runs again elsewhere — as when a process dies).
    if (this.closed) return new Promise<T>(() => undefined);
    const running = work();
    this.inFlight.add(running);
    const done = () => void this.inFlight.delete(running);
    running.then(done, done);
    return running;
  }

  /**
   * pg-boss's stop returns while a worker's fetch may still be in flight, and then runs the job it
   * fetched and records its outcome: wait (until the deadline) for that to finish before the pool,
   * which TypeORM closes next, goes.
   */
  private async settle(deadline: number): Promise<void> {
    while (this.inFlight.size > 0 && Date.now() < deadline) {
      await Promise.race([Promise.allSettled([...this.inFlight]), new Promise((resolve) => setTimeout(resolve, deadline - Date.now()))]);
      // Let pg-boss issue what follows a settled query (a handler after its fetch, the completion after the handler).
      await new Promise((resolve) => setImmediate(resolve));
    }
  }
}
