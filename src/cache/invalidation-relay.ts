import { Injectable, Logger, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { CacheService } from './cache.service';
import { generationKey } from './cache-keys';
import { ResponseCacheService } from './response-cache.service';

const CHANNEL = 'chopchop_cache_invalidation';

/**
 * Without Redis each process caches in its own memory, so a write answered by one process (a worker
 * marking a photo ready, say) must still retire what the others cached. Processes then tell each
 * other through PostgreSQL, which they all share: every invalidation is NOTIFYed, and each process
 * LISTENs and bumps the same generations in its memory. A relay skips its own notifications: it
 * bumped before sending, and a second bump would retire entries cached in between for nothing. With
 * Redis the generations are shared and nothing is relayed.
 */
@Injectable()
export class InvalidationRelay implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger(InvalidationRelay.name);
  private listener?: Client;
  /** This relay's own notifications carry it (one per relay: a worker module may share the process). */
  private readonly id = randomUUID();

  constructor(
    private readonly cache: CacheService,
    private readonly responses: ResponseCacheService,
    @InjectDataSource() private readonly dataSource: DataSource,
  ) {}

  async onModuleInit(): Promise<void> {
    if (this.cache.kind !== 'memory') return;
    this.listener = new Client({ connectionString: (this.dataSource.options as { url?: string }).url });
    this.listener.on('error', (error) => this.logger.warn(`invalidation relay: ${error.message}`));
    this.listener.on('notification', (message) => {
      const { from, tags } = parseRelayed(message.payload);
      if (from === this.id) return;
      // Applied here directly (not through invalidate), so a relayed bump is not relayed again.
      void this.cache.increment(tags.map(generationKey), Date.now() * 1000);
    });
    await this.listener.connect();
    await this.listener.query(`LISTEN ${CHANNEL}`);
    this.responses.onInvalidate((tags) => this.dataSource.query('SELECT pg_notify($1, $2)', [CHANNEL, JSON.stringify({ from: this.id, tags })]).then(() => undefined));
  }

  async onApplicationShutdown(): Promise<void> {
    await this.listener?.end().catch(() => undefined);
  }
}

/** A relayed invalidation: `{ from, tags }`, or a bare array of tags from a process of the previous version. */
function parseRelayed(payload: string | undefined): { from?: string; tags: string[] } {
  const parsed = JSON.parse(payload ?? '[]') as string[] | { from: string; tags: string[] };
  return Array.isArray(parsed) ? { tags: parsed } : parsed;
}
