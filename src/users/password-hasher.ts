import { Injectable, ServiceUnavailableException } from '@nestjs/common';
import { compare, getRounds, hash } from 'bcrypt';
import { createHmac } from 'node:crypto';
import { ConcurrencyGate, GateFull } from '../common/concurrency/concurrency-gate';
import { AppConfig } from '../config/app-config';

/** Hashes that may wait per one being computed: at BCRYPT_ROUNDS=12 (~0.2 s a hash here) about 3 s of queue. */
const WAITING_PER_SLOT = 16;

// bcrypt reads at most 72 bytes: two passwords sharing them would be one. So the password is first
// reduced to HMAC-SHA-256 (32 bytes, base64: 44 ASCII bytes, no NUL) and that is bcrypted. The key
// is PASSWORD_PEPPER when set (a secret kept outside the database), else a fixed one (a plain pre-hash).
const UNPEPPERED = '$chop-h0$';
const PEPPERED = '$chop-h1$';
const FIXED_KEY = 'chop-chop password pre-hash v1';

function scheme(pepper: string | undefined): { prefix: string; key: string } {
  return pepper ? { prefix: PEPPERED, key: pepper } : { prefix: UNPEPPERED, key: FIXED_KEY };
}

function preHash(password: string, key: string): string {
  return createHmac('sha256', key).update(password, 'utf8').digest('base64');
}

/** A stored hash of `password`: the prefix names the scheme, so stored hashes can be upgraded. */
export async function hashPassword(password: string, rounds: number, pepper?: string): Promise<string> {
  const { prefix, key } = scheme(pepper);
  return prefix + (await hash(preHash(password, key), rounds));
}

/**
 * bcrypt over an HMAC pre-hash, with BCRYPT_ROUNDS. Hashes stored before the pre-hash (plain `$2b$`)
 * still verify, and `verify` says when a stored hash should be replaced (`rehash`): at the next login.
 *
 * At most HASH_CONCURRENCY hashes are computed at once (default: cores − 1), so a login storm leaves
 * a core to everything else (bcrypt runs on libuv's four threads: unbounded, four hashes take both
 * cores of a small machine and every cached read waits). The rest queue, boundedly; beyond, 503.
 */
@Injectable()
export class PasswordHasher {
  private readonly decoy: Promise<string>;
  private readonly gate: ConcurrencyGate;

  constructor(private readonly config: AppConfig) {
    this.gate = new ConcurrencyGate(config.auth.hashConcurrency, config.auth.hashConcurrency * WAITING_PER_SLOT);
    this.decoy = hashPassword('decoy password never used', config.auth.bcryptRounds, config.auth.passwordPepper);
  }

  hash(password: string): Promise<string> {
    return this.gated(() => hashPassword(password, this.config.auth.bcryptRounds, this.config.auth.passwordPepper));
  }

  async verify(password: string, stored: string): Promise<{ matches: boolean; rehash: boolean }> {
    return this.gated(() => this.check(password, stored));
  }

  private async gated<T>(work: () => Promise<T>): Promise<T> {
    try {
      return await this.gate.run(work);
    } catch (error) {
      if (!(error instanceof GateFull)) throw error;
      throw new ServiceUnavailableException({ message: 'Too many sign-ins at once: retry in a moment.', retryAfter: 1 });
    }
  }

  private async check(password: string, stored: string): Promise<{ matches: boolean; rehash: boolean }> {
    const { passwordPepper: pepper, bcryptRounds: rounds } = this.config.auth;
    const prefix = [PEPPERED, UNPEPPERED].find((candidate) => stored.startsWith(candidate));
    if (prefix) {
      const key = prefix === PEPPERED ? pepper : FIXED_KEY;
      // A peppered hash with no pepper configured cannot be checked: it never matches.
      if (!key) return { matches: false, rehash: false };
      const bcrypted = stored.slice(prefix.length);
      const matches = await compare(preHash(password, key), bcrypted);
      return { matches, rehash: matches && (prefix !== scheme(pepper).prefix || getRounds(bcrypted) !== rounds) };
    }
    // Legacy: plain bcrypt, as stored before the pre-hash (truncates at 72 bytes): replaced on success.
    const matches = await compare(password, stored);
    return { matches, rehash: matches };
  }

  /** Spends the time of a real check when there is no account to check against. */
  async matchesNothing(password: string): Promise<false> {
    await this.verify(password, await this.decoy);
    return false;
  }
}
