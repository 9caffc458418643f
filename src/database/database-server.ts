import { Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { DataSource } from 'typeorm';
import { AppConfig } from '../config/app-config';
import { resolveDatabaseUrl } from './database-url';
import type { EmbeddedDatabase } from './embedded-postgres';

/** Knows where PostgreSQL is: DATABASE_URL, or an embedded server it starts and later stops. */
@Injectable()
export class DatabaseServer implements OnApplicationShutdown {
  private embedded?: EmbeddedDatabase;
  private url?: string;

  constructor(
    private readonly config: AppConfig,
    private readonly moduleRef: ModuleRef,
  ) {}

  async connectionUrl(): Promise<string> {
    if (!this.url) {
      const resolved = await resolveDatabaseUrl(this.config);
      this.url = resolved.url;
      this.embedded = resolved.embedded;
    }
    return this.url;
  }

  async onApplicationShutdown(): Promise<void> {
    if (!this.embedded) return;
    // The pool must close before its server stops, whichever shutdown hook Nest runs first.
    const dataSource = this.moduleRef.get(DataSource, { strict: false });
    if (dataSource.isInitialized) await dataSource.destroy();
    await this.embedded.stop();
  }
}
