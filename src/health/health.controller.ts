import { Controller, Get, HttpStatus, Res, VERSION_NEUTRAL } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProperty, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
import { InjectDataSource } from '@nestjs/typeorm';
import type { FastifyReply } from 'fastify';
import { DataSource } from 'typeorm';
import { CacheService } from '../cache/cache.service';
import { RETRY_AFTER_UNAVAILABLE_SECONDS } from '../common/errors/problem-details.filter';
import { AppConfig } from '../config/app-config';
import { JobQueue } from '../jobs/job-queue';
import { PROCESS_PHOTO } from '../photos/photos.service';

const DATABASE_TIMEOUT_MS = 2000;

class HealthCheckDto {
  @ApiProperty({ enum: ['up', 'down', 'degraded'] })
  status: 'up' | 'down' | 'degraded';

  @ApiProperty({ required: false, enum: ['redis', 'memory'], example: 'redis', description: 'The cache store in use.' })
  store?: string;

  @ApiProperty({ required: false, type: 'integer', example: 0, description: 'Jobs: photo jobs waiting for a worker.' })
  waiting?: number;

  @ApiProperty({ required: false, description: 'Jobs: whether this process also runs the workers (WORKERS=inline).' })
  inline?: boolean;
}

class HealthChecksDto {
  @ApiProperty({ type: HealthCheckDto, example: { status: 'up' } })
  database: HealthCheckDto;

  @ApiProperty({ type: HealthCheckDto, example: { status: 'up', store: 'redis' } })
  cache: HealthCheckDto;

  @ApiProperty({ type: HealthCheckDto, example: { status: 'up', waiting: 0, inline: true }, description: 'The background job queue (in the database).' })
  jobs: HealthCheckDto;
}

class HealthDto {
  @ApiProperty({ enum: ['ok', 'degraded', 'down'], description: '`degraded`: answering, but without the cache.' })
  status: 'ok' | 'degraded' | 'down';

  @ApiProperty({ type: HealthChecksDto })
  checks: HealthChecksDto;
}

@ApiTags('health')
@Controller({ path: 'health', version: VERSION_NEUTRAL })
export class HealthController {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly cache: CacheService,
    private readonly jobs: JobQueue,
    private readonly config: AppConfig,
  ) {}

  @Get()
  @ApiOperation({ operationId: 'getHealth', summary: 'Liveness and readiness', description: '503 when the database is unreachable; a cache outage only degrades.' })
  @ApiOkResponse({ type: HealthDto, description: 'Serving.' })
  @ApiServiceUnavailableResponse({
    type: HealthDto,
    description: 'The database is unreachable.',
    headers: { 'Retry-After': { description: 'Seconds to wait before asking again.', schema: { type: 'integer' } } },
  })
  async check(@Res({ passthrough: true }) reply: FastifyReply): Promise<HealthDto> {
    const [databaseUp, cache] = await Promise.all([this.pingDatabase(), this.cache.health()]);
    const status = !databaseUp ? 'down' : cache.status === 'up' ? 'ok' : 'degraded';
    void reply.status(databaseUp ? HttpStatus.OK : HttpStatus.SERVICE_UNAVAILABLE).header('Cache-Control', 'no-store');
    if (!databaseUp) void reply.header('Retry-After', String(RETRY_AFTER_UNAVAILABLE_SECONDS));
    return { status, checks: { database: { status: databaseUp ? 'up' : 'down' }, cache, jobs: await this.jobsCheck(databaseUp) } };
  }

  private async jobsCheck(databaseUp: boolean): Promise<HealthCheckDto> {
    if (!databaseUp) return { status: 'down', inline: this.config.inlineWorkers };
    const waiting = await this.jobs.depth(PROCESS_PHOTO).catch(() => undefined);
    return waiting === undefined ? { status: 'down', inline: this.config.inlineWorkers } : { status: 'up', waiting, inline: this.config.inlineWorkers };
  }

  private async pingDatabase(): Promise<boolean> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), DATABASE_TIMEOUT_MS)));
    const ping = this.dataSource.query('SELECT 1').then(() => true, () => false);
    try {
      return await Promise.race([ping, timeout]);
    } finally {
      clearTimeout(timer);
    }
  }
}
