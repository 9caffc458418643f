import type { INestApplication } from '@nestjs/common';
import { DataSource } from 'typeorm';

export interface RecordedQuery {
  sql: string;
  parameters: unknown[];
}

/** Records every SQL statement the app sends (a TypeORM BeforeQuery subscriber) while `during` runs. */
export async function recordQueries<T>(app: INestApplication, during: () => Promise<T>): Promise<{ result: T; queries: RecordedQuery[] }> {
  const dataSource = app.get(DataSource);
  const queries: RecordedQuery[] = [];
  const subscriber = {
    beforeQuery(event: { query: string; parameters?: unknown[] }) {
      queries.push({ sql: event.query, parameters: event.parameters ?? [] });
    },
  };
  dataSource.subscribers.push(subscriber);
  try {
    const result = await during();
    return { result, queries };
  } finally {
    dataSource.subscribers.splice(dataSource.subscribers.indexOf(subscriber), 1);
  }
}
