import { join } from 'node:path';
import { DataSource, type DataSourceOptions } from 'typeorm';
import { ENTITIES } from './entities';
import { PreparingClient } from './prepared-statements';

// Compiled migrations sit in dist/migrations; under Jest (ts sources) in ./migrations.
const MIGRATIONS_GLOB = join(__dirname, '..', '..', 'migrations', '*.{js,ts}');

/** The one DataSource description shared by the app, the migration CLI and the tests. */
export function dataSourceOptions(url: string, poolMax = 20): DataSourceOptions {
  return {
    type: 'postgres',
    url,
    entities: ENTITIES,
    migrations: [MIGRATIONS_GLOB],
    migrationsTableName: 'migrations',
    uuidExtension: 'pgcrypto', // gen_random_uuid() is built into PostgreSQL 13+: no extension needed
    migrationsTransactionMode: 'each',
    synchronize: false,
    logging: false, // failures surface through the problem filter and the services' own logs
    extra: { max: poolMax, connectionTimeoutMillis: 5000, Client: PreparingClient },
  };
}

export function createDataSource(url: string): DataSource {
  return new DataSource(dataSourceOptions(url));
}
