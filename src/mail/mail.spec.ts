import { retryDelayMs } from './mail-dispatcher.service';
import { confirmationMail, passwordResetMail } from './templates/account-mails';

describe('mail', () => {
  it('backs off exponentially, capped at an hour', () => {
    expect([1, 2, 3, 4].map((attempt) => retryDelayMs(attempt, 1000))).toEqual([1000, 2000, 4000, 8000]);
    expect(retryDelayMs(30, 1000)).toBe(3_600_000);
  });

  it('renders text and HTML with the link, escaping what users typed', () => {
    const mail = confirmationMail('<b>Eve</b> & co', 'http://x.test/api/v1/auth/confirm?token=abc&x=1');
    expect(mail.subject).toBe('Confirm your Chop-chop account');
    expect(mail.text).toContain('Hi <b>Eve</b> & co,');
    expect(mail.text).toContain('http://x.test/api/v1/auth/confirm?token=abc&x=1');
    expect(mail.html).toContain('Hi &lt;b&gt;Eve&lt;/b&gt; &amp; co,');
    expect(mail.html).toContain('href="http://x.test/api/v1/auth/confirm?token=abc&amp;x=1"');
    expect(passwordResetMail('Ann', 'http://x.test/reset-password?token=t').text).toContain('expires in 1 hour');
  });
});
