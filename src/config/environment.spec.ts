import { AppConfig } from './app-config';
import { InvalidEnvironmentError, parseEnvironment, parseTrustProxy } from './environment';

describe('parseEnvironment', () => {
  it('applies the documented defaults to an empty environment', () => {
    const env = parseEnvironment({});
    expect(env).toMatchObject({ PORT: 3000, APP_URL: 'http://localhost:3000', JWT_TTL: 900, BCRYPT_ROUNDS: 12, CACHE_BYPASS: 'off', MIGRATIONS_RUN: 'on' });
    expect(env.DATABASE_URL).toBeUndefined();
  });

  it('converts numbers and ignores variables it does not know', () => {
    const env = parseEnvironment({ PORT: '8080', CACHE_TTL: '5', HOME: '/root' });
    expect(env.PORT).toBe(8080);
    expect(env.CACHE_TTL).toBe(5);
    expect(env).not.toHaveProperty('HOME');
  });

  it.each([
    ['PORT', 'eighty'],
    ['PORT', '70000'],
    ['DATABASE_URL', 'mysql://x'],
    ['REDIS_URL', 'http://localhost:6379'],
    ['SMTP_URL', 'localhost:25'],
    ['APP_URL', 'not a url'],
    ['CACHE_BYPASS', 'yes'],
    ['TRUST_PROXY', 'yes'],
    ['TRUST_PROXY', '0'],
    ['TRUST_PROXY', '10.0.0.0/33'],
    ['TRUST_PROXY', '10.0.0.1,not-an-ip'],
    ['PASSWORD_PEPPER', 'short'],
    ['CONFIRM_URL', 'https://app.example/confirm'],
    ['MAIL_RETENTION_DAYS', '0'],
    ['BCRYPT_ROUNDS', '3'],
    ['JWT_SECRET', 'too-short'],
    ['NODE_ENV', 'staging'],
  ])('stops on a malformed %s, naming it', (name, value) => {
    expect(() => parseEnvironment({ [name]: value })).toThrow(InvalidEnvironmentError);
    expect(() => parseEnvironment({ [name]: value })).toThrow(new RegExp(`^Invalid environment:\\n  ${name}:`));
  });

  it('refuses production without JWT_SECRET', () => {
    expect(() => parseEnvironment({ NODE_ENV: 'production' })).toThrow(/JWT_SECRET: required when NODE_ENV=production/);
    expect(parseEnvironment({ NODE_ENV: 'production', JWT_SECRET: 'x'.repeat(32) }).NODE_ENV).toBe('production');
  });
});

describe('AppConfig', () => {
  it('groups the environment with types and resolved paths', () => {
    const config = AppConfig.fromEnv({ APP_URL: 'https://chop.example/', CACHE_BYPASS: 'on', DATA_DIR: '/tmp/chop', JWT_SECRET: 's'.repeat(40) });
    expect(config.appUrl).toBe('https://chop.example');
    expect(config.cache.allowBypass).toBe(true);
    expect(config.database.embeddedDir).toBe('/tmp/chop/postgres');
    expect(config.mail.outboxDir).toBe('/tmp/chop/outbox');
    expect(config.auth.jwtSecret).toBe('s'.repeat(40));
  });

  it('outside production, makes up one random secret per process when JWT_SECRET is unset', () => {
    const first = AppConfig.fromEnv({}).auth.jwtSecret;
    expect(first).toMatch(/^[0-9a-f]{64}$/);
    expect(AppConfig.fromEnv({}).auth.jwtSecret).toBe(first);
  });
});

describe('parseTrustProxy', () => {
  it('reads off, on (one hop), hop counts and address lists', () => {
    expect(parseTrustProxy('off')).toBe(false);
    expect(parseTrustProxy('on')).toBe(1);
    expect(parseTrustProxy('2')).toBe(2);
    expect(parseTrustProxy('10.0.0.0/8, 192.168.1.5,::1,fd00::/8')).toEqual(['10.0.0.0/8', '192.168.1.5', '::1', 'fd00::/8']);
  });
});
