import { randomBytes } from 'node:crypto';
import { linkIn } from './smtp-capture';
import type { TestApp } from './test-app';

export const PASSWORD = 'a-good-password';

export interface Account {
  id: string;
  email: string;
  password: string;
  accessToken: string;
  refreshToken: string;
}

export function uniqueEmail(name = 'cook'): string {
  return `${name}.${randomBytes(4).toString('hex')}@example.com`;
}

/** Registration input with overrides. */
export function registration(overrides: Partial<Record<'email' | 'password' | 'firstName' | 'lastName', string>> = {}) {
  return { email: uniqueEmail(), password: PASSWORD, firstName: 'Ada', lastName: 'Lovelace', ...overrides };
}

/** Registers through HTTP and returns the confirmation link from the e-mail actually sent. */
export async function register(t: TestApp, overrides = {}): Promise<{ id: string; email: string; confirmLink: string }> {
  const input = registration(overrides);
  const response = await t.http.post('/api/v1/auth/register', input);
  if (response.status !== 201) throw new Error(`register: ${response.status} ${response.text}`);
  const mail = await t.smtp.waitFor(input.email, /Confirm/);
  return { id: response.body.id, email: input.email, confirmLink: linkIn(mail, 'http://app.test/api/v1/auth/confirm?token=') };
}

/** Follows an e-mailed app.test link against the app under test. */
export function follow(t: TestApp, link: string) {
  return t.http.get(link.replace('http://app.test', ''));
}

/** A confirmed, logged-in account, made the way a user would: register, open the e-mailed link, log in. */
export async function signUp(t: TestApp, overrides: Partial<Record<'email' | 'password' | 'firstName' | 'lastName', string>> = {}): Promise<Account> {
  const password = overrides.password ?? PASSWORD;
  const { id, email, confirmLink } = await register(t, overrides);
  const confirmed = await follow(t, confirmLink);
  if (confirmed.status !== 200) throw new Error(`confirm: ${confirmed.status} ${confirmed.text}`);
  const login = await t.http.post('/api/v1/auth/login', { email, password });
  if (login.status !== 200) throw new Error(`login: ${login.status} ${login.text}`);
  return { id, email, password, accessToken: login.body.accessToken, refreshToken: login.body.refreshToken };
}
