import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse, parseAllDocuments } from 'yaml';
import { AppConfig } from '../src/config/app-config';
import { startTestApp, type TestApp } from './support/test-app';

const ROOT = join(__dirname, '..');
const read = (path: string) => readFileSync(join(ROOT, path), 'utf8');
const documentedVariables = new Set([...read('.env.example').matchAll(/^#?\s*([A-Z][A-Z0-9_]+)=/gm)].map((match) => match[1]));

/** Every manifest in deploy/k8s, by kind and name. */
function manifests(): Map<string, any> {
  const byKey = new Map<string, any>();
  for (const file of readdirSync(join(ROOT, 'deploy/k8s')).filter((name) => name.endsWith('.yaml'))) {
    for (const document of parseAllDocuments(read(`deploy/k8s/${file}`))) {
      expect(document.errors).toEqual([]);
      const manifest = document.toJS();
      byKey.set(`${manifest.kind}/${manifest.metadata.name}`, manifest);
    }
  }
  return byKey;
}

const isSubset = (labels: Record<string, string>, of: Record<string, string>) => Object.entries(labels).every(([key, value]) => of[key] === value);

describe('deployment files match the app (e2e)', () => {
  const k8s = manifests();
  const configMap = k8s.get('ConfigMap/chop-chop-config');
  const secret = k8s.get('Secret/chop-chop-secrets');
  const api = k8s.get('Deployment/chop-chop-api');
  const worker = k8s.get('Deployment/chop-chop-worker');
  const apiPod = api.spec.template;
  const apiContainer = apiPod.spec.containers[0];
  // What the pods would run with: the ConfigMap and the Secret through envFrom.
  const k8sConfig = AppConfig.fromEnv({ ...configMap.data, ...secret.stringData });
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  it('k8s: configures only variables the app documents, with values it accepts', () => {
    const keys = [...Object.keys(configMap.data), ...Object.keys(secret.stringData)];
    expect(keys.filter((key) => !documentedVariables.has(key))).toEqual([]);
    expect(k8sConfig.production).toBe(true);
    expect(k8sConfig.inlineWorkers).toBe(false); // the worker Deployment runs the jobs
    for (const deployment of [api, worker]) {
      expect(deployment.spec.template.spec.containers[0].envFrom).toEqual([{ configMapRef: { name: 'chop-chop-config' } }, { secretRef: { name: 'chop-chop-secrets' } }]);
    }
  });

  it('k8s: probes on the app’s probe endpoints and port, and those answer 200', async () => {
    const http = apiContainer.ports.find((port: any) => port.name === 'http');
    expect(http.containerPort).toBe(k8sConfig.port);
    expect(apiContainer.readinessProbe.httpGet).toEqual({ path: '/health/ready', port: 'http' });
    expect(apiContainer.startupProbe.httpGet).toEqual({ path: '/health/ready', port: 'http' });
    expect(apiContainer.livenessProbe.httpGet).toEqual({ path: '/health/live', port: 'http' });
    for (const probe of [apiContainer.readinessProbe, apiContainer.livenessProbe]) {
      const answer = await t.http.get(probe.httpGet.path);
      expect([probe.httpGet.path, answer.status]).toEqual([probe.httpGet.path, 200]);
    }
    expect(apiContainer.args).toEqual(['node', 'dist/src/main.js']);
    expect(existsSync(join(ROOT, 'src/main.ts'))).toBe(true);
  });

  it('k8s: a pod leaving service sleeps in preStop, drains and finishes within its grace period, with resources set', () => {
    const preStop = apiContainer.lifecycle.preStop.sleep.seconds;
    expect(preStop).toBeGreaterThan(0);
    const needed = preStop + (k8sConfig.shutdown.delayMs + k8sConfig.shutdown.graceMs) / 1000;
    expect(apiPod.spec.terminationGracePeriodSeconds).toBeGreaterThan(needed);
    expect(api.spec.strategy.rollingUpdate.maxUnavailable).toBe(0);
    for (const container of [apiContainer, worker.spec.template.spec.containers[0]]) {
      expect(container.resources.requests).toEqual({ cpu: expect.any(String), memory: expect.any(String) });
      expect(container.resources.limits.memory).toEqual(expect.any(String));
    }
  });

  it('k8s: the Service, autoscaler and disruption budget all point at the API pods', () => {
    const service = k8s.get('Service/chop-chop-api');
    expect(isSubset(service.spec.selector, apiPod.metadata.labels)).toBe(true);
    expect(isSubset(api.spec.selector.matchLabels, apiPod.metadata.labels)).toBe(true);
    expect(service.spec.ports[0].targetPort).toBe('http');
    const hpa = k8s.get('HorizontalPodAutoscaler/chop-chop-api');
    expect(hpa.spec.scaleTargetRef).toEqual({ apiVersion: 'apps/v1', kind: 'Deployment', name: 'chop-chop-api' });
    expect(hpa.spec.minReplicas).toBeGreaterThanOrEqual(2);
    const pdb = k8s.get('PodDisruptionBudget/chop-chop-api');
    expect(isSubset(pdb.spec.selector.matchLabels, apiPod.metadata.labels)).toBe(true);
    // The worker pods are not the Service's.
    expect(isSubset(service.spec.selector, worker.spec.template.metadata.labels)).toBe(false);
  });

  it('k8s: the worker runs the worker entry and is probed on its metrics port', () => {
    const container = worker.spec.template.spec.containers[0];
    expect(container.args).toEqual(['node', 'dist/src/worker.js']);
    expect(existsSync(join(ROOT, 'src/worker.ts'))).toBe(true);
    expect(container.ports).toEqual([{ name: 'metrics', containerPort: k8sConfig.jobs.workerMetricsPort }]);
    expect(container.livenessProbe.httpGet).toEqual({ path: '/metrics', port: 'metrics' });
  });

  it('compose: nginx in front of scalable api replicas, a worker, one media volume', () => {
    const compose = parse(read('docker-compose.yaml'));
    const { api: apiService, worker: workerService, nginx } = compose.services;
    const environment = Object.fromEntries(Object.entries(apiService.environment as Record<string, string>).map(([key, value]) => [key, value.replace(/\$\{(\w+):-([^}]*)\}/, '$2')]));
    const config = AppConfig.fromEnv(environment);
    expect(Object.keys(environment).filter((key) => !documentedVariables.has(key))).toEqual([]);
    expect(apiService.ports).toBeUndefined(); // `--scale api=3` needs no fixed host port
    expect(apiService.deploy.replicas).toBeGreaterThanOrEqual(2);
    expect(apiService.healthcheck.test.join(' ')).toContain(`http://127.0.0.1:${config.port}/health/ready`);
    expect(config.trustProxy).toBe(1);
    // nginx: the production example, upstream on the api service's port.
    expect(nginx.volumes).toEqual(['./deploy/nginx.conf:/etc/nginx/nginx.conf:ro']);
    expect(read('deploy/nginx.conf')).toMatch(new RegExp(`^\\s*server api:${config.port} `, 'm'));
    expect(nginx.depends_on.api.condition).toBe('service_healthy');
    // Photos: processed by the worker, on a volume every replica reads.
    expect(config.inlineWorkers).toBe(false);
    expect(workerService.command).toEqual(['node', 'dist/src/worker.js']);
    expect(workerService.environment).toEqual(apiService.environment);
    for (const service of [apiService, workerService]) expect(service.volumes).toEqual([`media:${config.storage.mediaDir}`]);
    // Stopping waits out the drain and the grace.
    const seconds = (value: string) => Number(/^(\d+)s$/.exec(value)![1]);
    expect(seconds(apiService.stop_grace_period) * 1000).toBeGreaterThan(config.shutdown.delayMs + config.shutdown.graceMs);
  });

  it('Dockerfile: its health check is the readiness probe, its DATA_DIR the media volume’s parent', () => {
    const dockerfile = read('Dockerfile');
    expect(dockerfile).toMatch(/HEALTHCHECK[^\n]*\n[^\n]*\/health\/ready/);
    expect(dockerfile).toMatch(/ENV [^\n]*DATA_DIR=\/data/);
  });
});
