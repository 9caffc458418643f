import { createDataSource } from '../src/database/data-source';
import { runPendingMigrations } from '../src/database/migrations-runner';
import { pendingSchemaChanges } from '../src/database/schema-drift';
import { createTestDatabase } from './support/databases';

/** Migrations are the schema's source of truth; entities must describe exactly what they build. */
describe('migrations (e2e)', () => {
  it('build a schema the entities agree with, revert cleanly and re-apply', async () => {
    const database = await createTestDatabase();
    const dataSource = await createDataSource(database.url).initialize();
    try {
      expect((await pendingSchemaChanges(dataSource)).up.map((change) => change.query)).toEqual([]);

      const migrations = dataSource.migrations.length;
      expect(migrations).toBeGreaterThan(0);
      for (let i = 0; i < migrations; i += 1) await dataSource.undoLastMigration({ transaction: 'each' });
      const tables = await dataSource.query(`SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' ORDER BY 1`);
      // Only TypeORM's own bookkeeping tables survive a full revert.
      expect(tables).toEqual([{ table_name: 'migrations' }, { table_name: 'typeorm_metadata' }]);

      await Promise.all([runPendingMigrations(dataSource), runPendingMigrations(dataSource)]);
      expect((await pendingSchemaChanges(dataSource)).up.map((change) => change.query)).toEqual([]);
      const applied = await dataSource.query('SELECT count(*)::int AS n FROM migrations');
      expect(applied[0].n).toBe(migrations);
    } finally {
      await dataSource.destroy();
      await database.drop();
    }
  });
});
