import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
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

  it('has no problem under either linter', () => {
    const run = spawnSync(process.execPath, ['scripts/lint-openapi.mjs', documentFile], { encoding: 'utf8', timeout: 60_000 });
    expect(run.stderr).toBe('');
    const problems = JSON.parse(run.stdout) as { redocly: unknown[]; spectral: unknown[] };
    expect(problems).toEqual({ redocly: [], spectral: [] });
    expect(run.status).toBe(0);
  });
});
