import { Controller, Get, HttpStatus, Res, VERSION_NEUTRAL } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProperty, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
import { InjectDataSource } from '@nestjs/typeorm';
import type { FastifyReply } from 'fastify';
import { DataSource } from 'typeorm';
import { CacheService } from '../cache/cache.service';
import { RETRY_AFTER_UNAVAILABLE_SECONDS } from '../common/errors/problem-details.filter';

const DATABASE_TIMEOUT_MS = 2000;

class HealthCheckDto {
  @ApiProperty({ enum: ['up', 'down', 'degraded'] })
  status: 'up' | 'down' | 'degraded';

  @ApiProperty({ required: false, enum: ['redis', 'memory'], example: 'redis', description: 'The cache store in use.' })
  store?: string;
}

class HealthChecksDto {
  @ApiProperty({ type: HealthCheckDto, example: { status: 'up' } })
  database: HealthCheckDto;

  @ApiProperty({ type: HealthCheckDto, example: { status: 'up', store: 'redis' } })
  cache: HealthCheckDto;
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
    return { status, checks: { database: { status: databaseUp ? 'up' : 'down' }, cache } };
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
