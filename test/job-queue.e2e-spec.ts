import { DataSource } from 'typeorm';
import { AppConfig } from '../src/config/app-config';
import { JobQueue } from '../src/jobs/job-queue';
import { createTestDatabase } from './support/databases';
import { sql } from './support/sql';

const QUEUE = 'test.quick';

/**
 * pg-boss runs a job it fetched even when its worker was told to stop while the fetch was in
 * flight, and records the outcome without awaiting it: the queue must not let the pool close before
 * that bookkeeping is done (it once surfaced as an unhandled "Cannot use a pool after calling end on
 * the pool" in whatever ran next).
 */
describe('the job queue at shutdown (PostgreSQL)', () => {
  let database: Awaited<ReturnType<typeof createTestDatabase>>;
  beforeAll(async () => {
    database = await createTestDatabase();
  });
  afterAll(() => database.drop());

  it.each([1, 2, 3, 4, 5])('records the job fetched as the worker stops before the pool closes (round %i)', async () => {
    const dataSource = await new DataSource({ type: 'postgres', url: database.url }).initialize();
    const queue = new JobQueue(dataSource, AppConfig.fromEnv({ NODE_ENV: 'test', DATABASE_URL: database.url, JWT_SECRET: 'x'.repeat(40), SHUTDOWN_GRACE_MS: '2000' }));
    queue.define({ name: QUEUE, retryLimit: 1, retryDelay: 1, expireInSeconds: 30 });
    const unhandled: unknown[] = [];
    const record = (reason: unknown) => unhandled.push(reason);
    process.on('unhandledRejection', record);
    try {
      await queue.sendAlone(QUEUE, { n: 1 });
      const ran: string[] = [];
      // No query of its own, so the handler succeeds whatever the pool's state: only pg-boss's
      // bookkeeping needs the pool afterwards.
      await queue.work(QUEUE, (_data, id) => Promise.resolve(void ran.push(id)));
      await queue.onApplicationShutdown(); // the worker's first fetch is in flight now
      await dataSource.destroy();
      await new Promise((resolve) => setTimeout(resolve, 300));

      expect(unhandled).toEqual([]);
      const [job] = await sql<{ id: string; state: string }>(database.url, `SELECT id, state FROM pgboss.job WHERE name = $1`, [QUEUE]);
      // Either the fetch lost the race (the job waits for the next worker) or the job ran and its
      // completion was recorded — never "ran, but left active for the expiry to find".
      expect([job.state, ran]).toEqual(ran.length === 0 ? ['created', []] : ['completed', [job.id]]);
    } finally {
      process.off('unhandledRejection', record);
      if (dataSource.isInitialized) await dataSource.destroy();
      await sql(database.url, `DELETE FROM pgboss.job WHERE name = $1`, [QUEUE]);
    }
  });
});
