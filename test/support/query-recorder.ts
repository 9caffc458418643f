import type { INestApplication } from '@nestjs/common';
import { DataSource, type EntitySubscriberInterface } from 'typeorm';

export interface RecordedQuery {
  sql: string;
  parameters: unknown[];
}

/** Records the SQL statements the app sends (a TypeORM BeforeQuery subscriber) while `during` runs. */
export async function recordQueries<T>(app: INestApplication, during: () => Promise<T>): Promise<{ result: T; queries: RecordedQuery[] }> {
  const dataSource = app.get(DataSource);
  const queries: RecordedQuery[] = [];
  const subscriber: EntitySubscriberInterface = {
    beforeQuery(event) {
      // The mail dispatcher and the account-mail handler poll on their own timers: not part of any request.
      if (/mail_outbox|account_mail_requests SET/.test(event.query)) return;
      queries.push({ sql: event.query, parameters: Array.isArray(event.parameters) ? event.parameters : [] });
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
