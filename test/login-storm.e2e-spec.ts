import { PASSWORD, signUp } from './support/accounts';
import { expectProblem } from './support/problems';
import { startTestApp, type TestApp } from './support/test-app';

/** HASH_CONCURRENCY=1: one bcrypt at a time, 16 waiting; a storm beyond that is shed with 503, never queued without bound. */
describe('a login storm (e2e)', () => {
  let t: TestApp;
  afterAll(() => t.close());

  it('computes one hash at a time, queues sixteen, and answers the rest 503 with Retry-After', async () => {
    t = await startTestApp({ env: { HASH_CONCURRENCY: '1', BCRYPT_ROUNDS: '10' } });
    const cook = await signUp(t);
    const answers = await Promise.all(Array.from({ length: 40 }, () => t.http.post('/api/v1/auth/login', { email: cook.email, password: PASSWORD })));
    const ok = answers.filter((r) => r.status === 200);
    const shed = answers.filter((r) => r.status === 503);
    expect(ok.length + shed.length).toBe(40);
    // Never shed while there is room: the one hashing and the sixteen waiting always get through.
    expect(ok.length).toBeGreaterThanOrEqual(17);
    expect(shed.length).toBeGreaterThan(0);
    for (const answer of shed) {
      expectProblem(answer, 503);
      expect(answer.headers.get('retry-after')).toBe('1');
    }
    // Once the storm is over, logins are served again.
    expect((await t.http.post('/api/v1/auth/login', { email: cook.email, password: PASSWORD })).status).toBe(200);
  });
});
