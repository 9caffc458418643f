import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startTestApp, type TestApp } from './support/test-app';

/** The live OpenAPI document lints clean under Redocly `recommended` and Spectral `spectral:oas`. */
describe('OpenAPI document (e2e)', () => {
  let t: TestApp;
  let documentFile: string;
  beforeAll(async () => {
    t = await startTestApp();
    const response = await t.http.get('/openapi.json');
    documentFile = join(mkdtempSync(join(tmpdir(), 'openapi-')), 'openapi.json');
    writeFileSync(documentFile, response.text);
  });
  afterAll(() => t.close());

  it('documents a 4xx answer for every API operation, and problem+json for every error', async () => {
    const document = JSON.parse((await t.http.get('/openapi.json')).text) as { paths: Record<string, Record<string, { responses: Record<string, { content?: Record<string, unknown> }> }>> };
    for (const [path, item] of Object.entries(document.paths).filter(([path]) => path.startsWith('/api/v1'))) {
      for (const [method, operation] of Object.entries(item)) {
        const statuses = Object.keys(operation.responses);
        expect({ operation: `${method} ${path}`, has4xx: statuses.some((status) => /^4\d\d$/.test(status)) }).toEqual({ operation: `${method} ${path}`, has4xx: true });
        for (const status of statuses.filter((status) => Number(status) >= 400)) {
          expect(Object.keys(operation.responses[status].content ?? {})).toEqual(['application/problem+json']);
        }
      }
    }
  });

  it('docs/chop-chop.http has a request for every operation, and none for an operation that does not exist', async () => {
    const document = JSON.parse((await t.http.get('/openapi.json')).text) as { paths: Record<string, Record<string, unknown>> };
    const shape = (path: string) => path.replace(/\{\{?\w+\}?\}/g, '{}');
    const documented = Object.entries(document.paths).flatMap(([path, item]) => Object.keys(item).map((method) => `${method.toUpperCase()} ${shape(path)}`));
    const requests = readFileSync(join(__dirname, '..', 'docs', 'chop-chop.http'), 'utf8')
      .split('\n')
      .map((line) => /^(GET|POST|PUT|PATCH|DELETE) (\S+)/.exec(line))
      .filter((match) => match !== null)
      .map(([, method, url]) => `${method} ${shape(url.split('?')[0].replace('{{baseUrl}}', '').replace('{{api}}', '/api/v1'))}`);
    // The document itself is the one request the document does not list.
    expect([...new Set(requests)].sort()).toEqual([...new Set([...documented, 'GET /openapi.json'])].sort());
  });

  it('has no problem under either linter', () => {
    const run = spawnSync(process.execPath, ['scripts/lint-openapi.mjs', documentFile], { encoding: 'utf8', timeout: 60_000 });
    expect(run.stderr).toBe('');
    const problems = JSON.parse(run.stdout) as { redocly: unknown[]; spectral: unknown[] };
    expect(problems).toEqual({ redocly: [], spectral: [] });
    expect(run.status).toBe(0);
  });
});
