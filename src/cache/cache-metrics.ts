import { Injectable } from '@nestjs/common';
import { Counter } from 'prom-client';
import { MetricsRegistry } from '../metrics/metrics.registry';

export type CacheOutcome = 'hit' | 'miss' | 'bypass' | 'error';

@Injectable()
export class CacheMetrics {
  private readonly responses: Counter<'route' | 'result'>;

  constructor(registry: MetricsRegistry) {
    this.responses = new Counter({
      name: 'chopchop_response_cache_total',
      help: 'Cacheable GET answers by route and cache result (error: the handler failed, nothing cached).',
      labelNames: ['route', 'result'],
      registers: [registry],
    });
  }

  count(route: string, result: CacheOutcome): void {
    this.responses.inc({ route, result });
  }
}
