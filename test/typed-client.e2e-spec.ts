import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import ts from 'typescript';
import { linkIn } from './support/smtp-capture';
import { startTestApp, type TestApp } from './support/test-app';

// Spelled out rather than imported: importing the scenario would pull its generated types into `npm run typecheck`.
type RunScenario = (
  baseUrl: string,
  confirmationToken: (email: string) => Promise<string>,
) => Promise<{
  userId: string;
  postId: string;
  quantity: string | null | undefined;
  listed: string[];
  likes: number;
  commentId: string;
  social: { cookPostId: string; following: boolean; followersCount: number; feed: string[]; saved: string[]; flags: object; followingFlag?: boolean };
}>;

/**
 * The OpenAPI document is what client generators get: types generated from the live document must
 * type-check a real client scenario (and reject a client's mistakes), and that scenario must run.
 */
describe('typed client from the OpenAPI document (e2e)', () => {
  let t: TestApp;
  const clientDir = join(__dirname, 'client');
  beforeAll(async () => {
    t = await startTestApp();
    mkdirSync(join(clientDir, 'generated'), { recursive: true });
    const documentFile = join(clientDir, 'generated', 'openapi.json');
    writeFileSync(documentFile, (await t.http.get('/openapi.json')).text);
    // openapi-typescript loads ESM-only modules: it runs as its own process, as a build step would.
    const run = spawnSync(process.execPath, ['scripts/generate-client-types.mjs', documentFile, join(clientDir, 'generated', 'api.d.ts')], { encoding: 'utf8' });
    if (run.status !== 0) throw new Error(`openapi-typescript failed: ${run.stderr}`);
  });
  afterAll(() => t.close());

  it('generates types that type-check the client scenario strictly', () => {
    const configFile = join(clientDir, 'tsconfig.json');
    const { config } = ts.readConfigFile(configFile, (path) => ts.sys.readFile(path));
    const parsed = ts.parseJsonConfigFileContent(config, ts.sys, clientDir, undefined, configFile);
    const program = ts.createProgram(parsed.fileNames, parsed.options);
    const problems = ts.getPreEmitDiagnostics(program).map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'));
    expect(problems).toEqual([]);
    expect(parsed.fileNames.some((file) => file.endsWith('scenario.ts'))).toBe(true);
  });

  it('runs the scenario: register, confirm, log in, create a recipe with "800 g", list with filters, like, comment, follow, feed, save', async () => {
    // Loaded at run time: a static import would pull the scenario, and the types it needs (generated
    // above), into `npm run typecheck`, which runs before they exist.
    const { runScenario } = (await import(join(clientDir, 'scenario.ts'))) as { runScenario: RunScenario };
    const result = await runScenario(t.http.baseUrl, async (email) => {
      const link = linkIn(await t.smtp.waitFor(email, /Confirm/), 'http://app.test/api/v1/auth/confirm?token=');
      return new URL(link).searchParams.get('token')!;
    });
    expect(result.quantity).toBe('800 g');
    expect(result.listed).toContain(result.postId);
    expect(result.likes).toBe(1);
    expect((await t.http.get(`/api/v1/posts/${result.postId}/comments/${result.commentId}`)).body.author.id).toBe(result.userId);
    expect(result.social).toMatchObject({ following: true, followersCount: 1, followingFlag: true, flags: { liked: true, saved: false } });
    expect(result.social.feed).toEqual([result.social.cookPostId]);
    expect(result.social.saved).toEqual([result.social.cookPostId]);
  });
});
