import { Counter, Registry } from 'prom-client';
import { serveMetrics } from './metrics-server';

describe('serveMetrics (the worker’s /metrics)', () => {
  it('serves the registry at /metrics and nothing else', async () => {
    const registry = new Registry();
    new Counter({ name: 'chopchop_test_total', help: 'A test counter.', registers: [registry] }).inc(3);
    const { server, port } = await serveMetrics(registry, 0, '127.0.0.1');
    try {
      const metrics = await fetch(`http://127.0.0.1:${port}/metrics`);
      expect(metrics.status).toBe(200);
      expect(await metrics.text()).toMatch(/^chopchop_test_total 3$/m);
      expect((await fetch(`http://127.0.0.1:${port}/`)).status).toBe(404);
      expect((await fetch(`http://127.0.0.1:${port}/metrics`, { method: 'POST' })).status).toBe(404);
    } finally {
      server.close();
    }
  });
});
