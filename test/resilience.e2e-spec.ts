import { PASSWORD, registration, signUp } from './support/accounts';
import { postgresServerUrl } from './support/databases';
import { describeWithRedisServer, freePort, RedisServer } from './support/redis';
import { SmtpCapture } from './support/smtp-capture';
import { sql } from './support/sql';
import { TcpProxy } from './support/tcp-proxy';
import { eventually } from './support/eventually';
import { startTestApp } from './support/test-app';


describe('mail survives an SMTP outage (e2e)', () => {
  it('accepts the registration while SMTP refuses mail, and delivers once it accepts again', async () => {
    const t = await startTestApp();
    try {
      t.smtp.refusing = true;
      const input = registration();
      expect((await t.http.post('/api/v1/auth/register', input)).status).toBe(201);
      const retried = await eventually(
        () => sql<{ attempts: number; status: string }>(t.databaseUrl, 'SELECT attempts, status FROM mail_outbox WHERE recipient = $1', [input.email]),
        (rows) => rows[0]?.attempts >= 2,
      );
      expect(retried[0]).toMatchObject({ status: 'pending' });
      t.smtp.refusing = false;
      const mail = await t.smtp.waitFor(input.email, /Confirm/);
      expect(mail.text).toContain('http://app.test/api/v1/auth/confirm?token=');
      // The dispatcher records the delivery just after the SMTP server has accepted it.
      const [row] = await eventually(
        () => sql(t.databaseUrl, 'SELECT status, sent_at FROM mail_outbox WHERE recipient = $1', [input.email]),
        (rows) => rows[0]?.status === 'sent',
      );
      expect(row.status).toBe('sent');
      expect(row.sent_at).not.toBeNull();
    } finally {
      await t.close();
    }
  });

  it('keeps the mail when no SMTP server listens at all, and sends it when one appears', async () => {
    const port = await freePort();
    const t = await startTestApp({ env: { SMTP_URL: `smtp://127.0.0.1:${port}` }, smtp: new SmtpCapture() });
    const late = new SmtpCapture();
    try {
      const input = registration();
      expect((await t.http.post('/api/v1/auth/register', input)).status).toBe(201);
      await eventually(
        () => sql<{ attempts: number }>(t.databaseUrl, 'SELECT attempts FROM mail_outbox WHERE recipient = $1', [input.email]),
        (rows) => rows[0]?.attempts >= 1,
      );
      await late.start(port);
      expect((await late.waitFor(input.email, /Confirm/, 15_000)).subject).toMatch(/Confirm/);
    } finally {
      await t.close();
      await late.stop();
    }
  });
});

describe('database outage (e2e)', () => {
  it('answers 503 problems while PostgreSQL is unreachable and recovers when it returns', async () => {
    const target = new URL(postgresServerUrl());
    const proxy = new TcpProxy(target.hostname, Number(target.port || 5432));
    await proxy.start();
    const direct = await startTestApp();
    const viaProxy = new URL(direct.databaseUrl);
    viaProxy.hostname = '127.0.0.1';
    viaProxy.port = String(proxy.port);
    const t = await startTestApp({ databaseUrl: viaProxy.toString() });
    try {
      const account = await signUp(t);
      expect((await t.http.get('/health')).status).toBe(200);

      await proxy.cut();
      const health = await t.http.get('/health');
      expect(health.status).toBe(503);
      expect(health.headers.get('retry-after')).toMatch(/^[1-9]\d*$/);
      expect(health.body).toMatchObject({ status: 'down', checks: { database: { status: 'down' } } });
      // The probes: take this instance out of the load balancer, but do not restart it.
      const ready = await t.http.get('/health/ready');
      expect([ready.status, ready.body]).toEqual([503, { status: 'unavailable', reason: 'the database is unreachable' }]);
      expect((await t.http.get('/health/live')).status).toBe(200);
      for (const response of [
        await t.http.get('/api/v1/users'),
        await t.http.post('/api/v1/auth/register', registration()),
        await t.http.post('/api/v1/auth/login', { email: account.email, password: PASSWORD }),
      ]) {
        expect(response.status).toBe(503);
        expect(response.headers.get('retry-after')).toMatch(/^[1-9]\d*$/);
        expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
        expect(response.text).not.toMatch(/ECONNREFUSED|127\.0\.0\.1|postgres/i);
      }

      await proxy.restore();
      const healthy = await eventually(() => t.http.get('/health'), (r) => r.status === 200);
      expect(healthy.status).toBe(200);
      expect((await t.http.get('/health/ready')).status).toBe(200);
      expect((await t.http.post('/api/v1/auth/login', { email: account.email, password: PASSWORD })).status).toBe(200);
    } finally {
      await t.close();
      await direct.close();
      await proxy.cut();
    }
  });
});

describeWithRedisServer('Redis outage (e2e)', () => {
  it('keeps answering from the database while Redis is down, reports it, and resumes caching', async () => {
    const redis = new RedisServer(await freePort());
    await redis.start();
    const t = await startTestApp({ env: { REDIS_URL: redis.url } });
    try {
      const account = await signUp(t);
      await eventually(() => t.http.get('/health'), (r) => r.body.checks?.cache?.status === 'up');
      expect((await t.http.get('/health')).body).toMatchObject({ status: 'ok', checks: { cache: { store: 'redis', status: 'up' } } });

      await redis.stop();
      const degraded = await t.http.get('/health');
      expect(degraded.status).toBe(200);
      expect(degraded.body).toMatchObject({ status: 'degraded', checks: { database: { status: 'up' }, cache: { status: 'degraded' } } });
      expect((await t.http.get('/api/v1/users/me', { token: account.accessToken })).status).toBe(200);
      const login = await t.http.post('/api/v1/auth/login', { email: account.email, password: PASSWORD });
      expect(login.status).toBe(200);
      expect((await t.http.post('/api/v1/auth/logout', { refreshToken: login.body.refreshToken })).status).toBe(204);
      expect((await t.http.get('/api/v1/users/me', { token: login.body.accessToken })).status).toBe(401);

      await redis.start();
      const back = await eventually(() => t.http.get('/health'), (r) => r.body.status === 'ok');
      expect(back.body.checks.cache.status).toBe('up');
    } finally {
      await t.close();
      await redis.stop();
    }
  });
});
