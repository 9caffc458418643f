import { DataSource } from 'typeorm';
import { dataSourceOptions } from '../src/database/data-source';
import { MAX_PREPARED_STATEMENTS, prepared, preparedName } from '../src/database/prepared-statements';
import { createTestDatabase } from './support/databases';

/** The pool's client sends marked statements as named prepared statements, and only those (PostgreSQL). */
describe('prepared statements (PostgreSQL)', () => {
  let database: Awaited<ReturnType<typeof createTestDatabase>>;
  let dataSource: DataSource;
  beforeAll(async () => {
    database = await createTestDatabase();
    dataSource = await new DataSource({ ...dataSourceOptions(database.url, 2), migrations: [] }).initialize();
  });
  afterAll(async () => {
    await dataSource.destroy();
    await database.drop();
  });

  /** The statements prepared on one connection, after running `texts` on it. */
  async function preparedAfter(texts: [string, unknown[]][]): Promise<{ name: string; statement: string }[]> {
    const runner = dataSource.createQueryRunner();
    try {
      for (const [text, params] of texts) await runner.query(text, params);
      return await runner.query(`SELECT name, statement FROM pg_prepared_statements ORDER BY name`);
    } finally {
      await runner.release();
    }
  }

  it('prepares a marked statement once per connection and answers from it with each call’s values', async () => {
    const text = prepared(`SELECT $1::int + 1 AS n /* marked */`);
    const runner = dataSource.createQueryRunner();
    try {
      expect(await runner.query(text, [1])).toEqual([{ n: 2 }]);
      expect(await runner.query(text, [41])).toEqual([{ n: 42 }]);
      const rows: { name: string; statement: string }[] = await runner.query(`SELECT name, statement FROM pg_prepared_statements`);
      expect(rows).toEqual([{ name: preparedName(text), statement: text }]);
    } finally {
      await runner.release();
    }
  });

  it('leaves unmarked statements unnamed', async () => {
    const statements = await preparedAfter([[`SELECT $1::text AS unmarked`, ['x']]]);
    expect(statements.map((s) => s.statement)).not.toContain(`SELECT $1::text AS unmarked`);
  });

  it('stops naming new texts at the bound: they run unprepared, still answered', async () => {
    const texts = Array.from({ length: MAX_PREPARED_STATEMENTS + 5 }, (_, i) => prepared(`SELECT ${i} + $1::int AS n`));
    expect(texts.filter((text) => preparedName(text) !== undefined).length).toBeLessThanOrEqual(MAX_PREPARED_STATEMENTS);
    const last = texts[texts.length - 1];
    expect(preparedName(last)).toBeUndefined();
    const statements = await preparedAfter([[last, [1]]]);
    expect(statements.map((s) => s.statement)).not.toContain(last);
    expect(await dataSource.query(last, [1])).toEqual([{ n: MAX_PREPARED_STATEMENTS + 5 }]);
  });
});
