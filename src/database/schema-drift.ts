import type { DataSource } from 'typeorm';

/** SQL TypeORM would run to make the database match the entities: empty when migrations and entities agree. */
export async function pendingSchemaChanges(dataSource: DataSource): Promise<{ up: SchemaChange[]; down: SchemaChange[] }> {
  const log = await dataSource.driver.createSchemaBuilder().log();
  const toChange = (q: { query: string; parameters?: unknown[] }): SchemaChange => ({ query: q.query, parameters: q.parameters ?? [] });
  return { up: log.upQueries.map(toChange), down: log.downQueries.map(toChange).reverse() };
}

export interface SchemaChange {
  query: string;
  parameters: unknown[];
}
