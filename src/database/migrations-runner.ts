import { Logger } from '@nestjs/common';
import type { DataSource } from 'typeorm';

// Arbitrary constant: the advisory lock that serialises boot-time migrations across instances.
const MIGRATION_LOCK_ID = 7_400_211;
const logger = new Logger('Migrations');

/** Runs pending migrations under an advisory lock, so instances booting together take turns. */
export async function runPendingMigrations(dataSource: DataSource): Promise<void> {
  const runner = dataSource.createQueryRunner();
  await runner.connect();
  try {
    await runner.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_ID]);
    const applied = await dataSource.runMigrations({ transaction: 'each' });
    for (const migration of applied) logger.log(`applied ${migration.name}`);
  } finally {
    await runner.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK_ID]).catch(() => undefined);
    await runner.release();
  }
}
