import { Client } from 'pg';
import { EmbeddedDatabase } from '../../src/database/embedded-postgres';
import { createDataSource } from '../../src/database/data-source';
import { TEMPLATE_DATABASE, withDatabase } from './databases';

const TEST_EMBEDDED_PORT = 54330;

/**
 * Once per run: find PostgreSQL (DATABASE_URL, or an embedded server of our own), then build a
 * migrated template database that every test file clones into a database of its own.
 */
export default async function globalSetup(): Promise<void> {
  process.env.TZ = 'UTC';
  let serverUrl = process.env.DATABASE_URL;
  if (!serverUrl) {
    const embedded = new EmbeddedDatabase('var/test-postgres', TEST_EMBEDDED_PORT);
    serverUrl = await embedded.start();
    (globalThis as { embeddedDatabase?: EmbeddedDatabase }).embeddedDatabase = embedded;
  }
  process.env.TEST_POSTGRES_URL = serverUrl;
  const admin = new Client({ connectionString: serverUrl });
  await admin.connect();
  try {
    await admin.query(`DROP DATABASE IF EXISTS ${TEMPLATE_DATABASE} WITH (FORCE)`);
    await admin.query(`CREATE DATABASE ${TEMPLATE_DATABASE}`);
  } finally {
    await admin.end();
  }
  const dataSource = await createDataSource(withDatabase(serverUrl, TEMPLATE_DATABASE)).initialize();
  try {
    await dataSource.runMigrations({ transaction: 'each' });
  } finally {
    await dataSource.destroy();
  }
}
