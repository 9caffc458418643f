import { Logger } from '@nestjs/common';
import { AppConfig } from '../src/config/app-config';
import { MailOutboxRepository } from '../src/mail/mail-outbox.repository';
import { createMailTransport } from '../src/mail/mail-transport';
import { follow, PASSWORD, signUp } from './support/accounts';
import { eventually } from './support/eventually';
import { linkIn } from './support/smtp-capture';
import { sql } from './support/sql';
import { startTestApp, type TestApp } from './support/test-app';

/** Every row of every table as text: what someone with a copy of the database could read. */
async function dumpDatabase(databaseUrl: string): Promise<string> {
  const tables = await sql<{ table_name: string }>(databaseUrl, `SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE'`);
  const dumps = await Promise.all(tables.map(({ table_name }) => sql<{ row: string }>(databaseUrl, `SELECT row_to_json(t)::text AS row FROM "${table_name}" t`)));
  return dumps.flat().map((r) => r.row).join('\n');
}

describe('secrets at rest (e2e)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  it('once its e-mail is sent, no usable token is readable in the database', async () => {
    const account = await signUp(t); // register, confirmation mail, confirm, login
    const secrets: string[] = [account.accessToken, account.refreshToken];
    const refreshed = await t.http.post('/api/v1/auth/refresh', { refreshToken: account.refreshToken });
    secrets.push(refreshed.body.accessToken, refreshed.body.refreshToken);

    await t.http.post('/api/v1/auth/password/forgot', { email: account.email });
    const first = linkIn(await t.smtp.waitFor(account.email, /Reset/), 'http://app.test/reset-password?token=');
    await t.http.post('/api/v1/auth/password/forgot', { email: account.email });
    const second = linkIn(await t.smtp.waitFor(account.email, /Reset/), 'http://app.test/reset-password?token=');
    const resetToken = new URL(second).searchParams.get('token')!;
    secrets.push(new URL(first).searchParams.get('token')!, resetToken);
    // The second link is still unused, still usable: it must not be readable either.
    const registered = await t.http.post('/api/v1/auth/register', { email: `other.${Date.now()}@example.com`, password: PASSWORD, firstName: 'Un', lastName: 'Confirmed' });
    const confirmLink = linkIn(await t.smtp.waitFor(registered.body.email, /Confirm/), 'http://app.test/api/v1/auth/confirm?token=');
    secrets.push(new URL(confirmLink).searchParams.get('token')!);

    // Sent mails are marked sent once the SMTP server has them: wait for the outbox to catch up.
    await eventually(() => sql<{ n: number }>(t.databaseUrl, `SELECT count(*)::int AS n FROM mail_outbox WHERE status = 'pending'`), (rows) => rows[0].n === 0);
    const dump = await dumpDatabase(t.databaseUrl);
    expect(dump).toContain(account.email); // the dump is real
    for (const secret of secrets) expect(dump).not.toContain(secret);
    expect(dump).not.toMatch(/token=/);

    // And the unused links still work: nothing was lost by not keeping them.
    expect((await follow(t, confirmLink)).status).toBe(200);
    expect((await t.http.post('/api/v1/auth/password/reset', { token: resetToken, password: 'a-new-password' })).status).toBe(200);
  });

  it('sent and failed mails past MAIL_RETENTION_DAYS are purged; recent ones and pending ones stay', async () => {
    const rows = await sql<{ id: string }>(
      t.databaseUrl,
      `INSERT INTO mail_outbox (recipient, subject, text, html, status, created_at, next_attempt_at) VALUES
         ('a@example.com', 'old sent', '', '', 'sent', now() - interval '40 days', now() + interval '1 year'),
         ('b@example.com', 'old failed', '', '', 'failed', now() - interval '40 days', now() + interval '1 year'),
         ('c@example.com', 'recent sent', '', '', 'sent', now() - interval '2 days', now() + interval '1 year'),
         ('d@example.com', 'old pending', 'x', 'x', 'pending', now() - interval '40 days', now() + interval '1 year')
       RETURNING id`,
    );
    expect(rows).toHaveLength(4);
    expect(await t.app.get(MailOutboxRepository).purgeOlderThan(30)).toBe(2);
    const left = await sql<{ subject: string }>(t.databaseUrl, `SELECT subject FROM mail_outbox WHERE recipient LIKE '_@example.com' ORDER BY subject`);
    expect(left.map((r) => r.subject)).toEqual(['old pending', 'recent sent']);
  });

  it('in production without SMTP_URL, the log names recipient and subject, never the message or its link', async () => {
    const lines: string[] = [];
    const spy = jest.spyOn(Logger.prototype, 'warn').mockImplementation((message: unknown) => void lines.push(String(message)));
    try {
      const transport = createMailTransport(AppConfig.fromEnv({ NODE_ENV: 'production', JWT_SECRET: 'p'.repeat(40), DATA_DIR: '/nonexistent' }));
      await transport.send({ id: 'm1', to: 'ada@example.com', subject: 'Reset your Chop-chop password', text: 'open https://x.test/reset?token=SECRET', html: '<a href="https://x.test/reset?token=SECRET">' });
      transport.close();
    } finally {
      spy.mockRestore();
    }
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain('ada@example.com');
    expect(lines[0]).toContain('Reset your Chop-chop password');
    expect(lines[0]).not.toContain('SECRET');
  });
});
