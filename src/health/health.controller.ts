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
import { Lifecycle } from './lifecycle';

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

class ProbeDto {
  @ApiProperty({ enum: ['ok', 'ready', 'draining', 'unavailable'], example: 'ready' })
  status: 'ok' | 'ready' | 'draining' | 'unavailable';

  @ApiProperty({ required: false, example: 'the database is unreachable', description: 'Why the instance is not ready.' })
  reason?: string;
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
    private readonly lifecycle: Lifecycle,
  ) {}

  /** Migrations never un-apply: once all were found applied, the check is skipped. */
  private migrated = false;

  @Get('live')
  @ApiOperation({ operationId: 'getLiveness', summary: 'Liveness', description: 'The process is up and answering (also while draining). Restart it when this fails.' })
  @ApiOkResponse({ type: ProbeDto, description: 'Alive.' })
  live(@Res({ passthrough: true }) reply: FastifyReply): ProbeDto {
    void reply.header('Cache-Control', 'no-store');
    return { status: 'ok' };
  }

  @Get('ready')
  @ApiOperation({
    operationId: 'getReadiness',
    summary: 'Readiness',
    description: 'Whether to send this instance traffic: the database answers, every migration is applied, and the instance is not draining (after SIGTERM). The cache is not required.',
  })
  @ApiOkResponse({ type: ProbeDto, description: 'Ready for traffic.' })
  @ApiServiceUnavailableResponse({
    type: ProbeDto,
    description: 'Draining, or the database is unreachable, or migrations are pending.',
    headers: { 'Retry-After': { description: 'Seconds to wait before asking again.', schema: { type: 'integer' } } },
  })
  async ready(@Res({ passthrough: true }) reply: FastifyReply): Promise<ProbeDto> {
    void reply.header('Cache-Control', 'no-store');
    const answer = await this.readiness();
    if (answer.status !== 'ready') void reply.status(HttpStatus.SERVICE_UNAVAILABLE).header('Retry-After', String(RETRY_AFTER_UNAVAILABLE_SECONDS));
    return answer;
  }

  private async readiness(): Promise<ProbeDto> {
    if (!(await this.pingDatabase())) return { status: 'unavailable', reason: 'the database is unreachable' };
    this.migrated ||= await this.dataSource.showMigrations().then((pending) => !pending, () => false);
    if (!this.migrated) return { status: 'unavailable', reason: 'database migrations are pending' };
    return this.lifecycle.draining ? { status: 'draining', reason: 'shutting down' } : { status: 'ready' };
  }

  @Get()
  @ApiOperation({
    operationId: 'getHealth',
    summary: 'Status of each dependency',
    description: '503 when the database is unreachable; a cache outage only degrades. For probes, use /health/live and /health/ready.',
  })
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
