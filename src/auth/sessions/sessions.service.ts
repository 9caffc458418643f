import { Injectable, UnauthorizedException } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { LRUCache } from 'lru-cache';
import type { EntityManager } from 'typeorm';
import { CacheService } from '../../cache/cache.service';
import { hashToken, newRandomToken } from '../../common/security/random-token';
import { Vanished } from '../../common/errors/vanished';
import { AppConfig } from '../../config/app-config';
import { answerMissingReference } from '../../database/pg-errors';
import type { TokenDto } from '../dto/token.dto';
import { SessionsRepository } from './sessions.repository';

export interface AccessClaims {
  sub: string;
  sid: string;
}

type VerifiedClaims = AccessClaims & { exp: number };

export interface Caller {
  userId: string;
  sessionId: string;
}

// How long a "session is live" answer may be reused (it also bounds a tombstone lost to a cache outage).
const LIVE_SESSION_TTL_SECONDS = 30;
const REVOKED = 'revoked';
const sessionKey = (sessionId: string): string => `auth:session:${sessionId}`;

/** Sessions: opening one at login, rotating refresh tokens, revoking, and vouching for access tokens. */
@Injectable()
export class SessionsService {
  private readonly unwrittenTombstones = new Set<string>();
  /**
   * Access tokens whose signature this instance has checked, until they expire: verifying one with
   * @nestjs/jwt (jsonwebtoken) measured ~350 µs, four times a whole cached answer, and clients send
   * the same token on every request. Revocation does not depend on it: isLive() runs every time.
   */
  private readonly verified = new LRUCache<string, VerifiedClaims>({ max: 10_000 });

  constructor(
    private readonly sessions: SessionsRepository,
    private readonly jwt: JwtService,
    private readonly cache: CacheService,
    private readonly config: AppConfig,
  ) {
    cache.onRecovery(() => this.writeUnwrittenTombstones());
  }

  async open(userId: string): Promise<TokenDto> {
    const refreshToken = newRandomToken();
    const expiresAt = new Date(Date.now() + this.config.auth.refreshTtlSeconds * 1000);
    const sessionId = await answerMissingReference(this.sessions.create(userId, expiresAt, hashToken(refreshToken)), { users: Vanished.account });
    return this.tokens(userId, sessionId, refreshToken);
  }

  /** Rotation: the presented token is spent; presenting a spent one again revokes its whole session. */
  async rotate(refreshToken: string): Promise<TokenDto> {
    const next = newRandomToken();
    const outcome = await this.sessions.transaction(async (manager) => {
      const lookup = await this.sessions.useRefreshToken(manager, hashToken(refreshToken));
      if (lookup.state === 'valid') await this.sessions.addRefreshToken(manager, lookup.sessionId, hashToken(next));
      if (lookup.state === 'reused') await this.sessions.revoke(lookup.sessionId, manager);
      return lookup;
    });
    if (outcome.state === 'reused') await this.forget([outcome.sessionId]);
    if (outcome.state !== 'valid') throw new UnauthorizedException('The refresh token is invalid, expired or already used.');
    return this.tokens(outcome.userId, outcome.sessionId, next);
  }

  /** Logout: ends the session of this refresh token (and with it its access tokens). */
  async close(refreshToken: string): Promise<void> {
    const sessionId = await this.sessions.transaction(async (manager) => {
      const lookup = await this.sessions.useRefreshToken(manager, hashToken(refreshToken));
      if (lookup.state === 'unknown') return null;
      await this.sessions.revoke(lookup.sessionId, manager);
      return lookup.sessionId;
    });
    if (!sessionId) throw new UnauthorizedException('The refresh token is invalid.');
    await this.forget([sessionId]);
  }

  /** Ends every session of the user except `keep`; inside the caller's transaction (then call forget() after its commit) or alone. */
  async revokeAllOfUser(userId: string, keep: string | null = null, manager?: EntityManager): Promise<string[]> {
    const revoked = await this.sessions.revokeAllOfUser(userId, keep, manager);
    if (!manager) await this.forget(revoked);
    return revoked;
  }

  /**
   * Revocation wins every race with requests in flight: after the revoking transaction commits, a
   * tombstone overwrites the session's cached answer, and "live" is only ever cached where nothing
   * is (SET NX). A request that read "live" from the database before the commit can then no longer
   * store it. The tombstone outlives every access token of the session.
   */
  async forget(sessionIds: string[]): Promise<void> {
    const ttl = this.config.auth.accessTtlSeconds + LIVE_SESSION_TTL_SECONDS;
    const written = await Promise.all(sessionIds.map((id) => this.cache.set(sessionKey(id), REVOKED, ttl)));
    sessionIds.filter((_, i) => !written[i]).forEach((id) => this.unwrittenTombstones.add(id));
  }

  /** Tombstones the store could not take are written once it answers again. */
  private async writeUnwrittenTombstones(): Promise<void> {
    const ids = [...this.unwrittenTombstones];
    this.unwrittenTombstones.clear();
    await this.forget(ids);
  }

  /** Verifies an access token: signature, expiry, and that its session is still live. */
  async authenticate(accessToken: string): Promise<Caller> {
    const caller = await this.claimedCaller(accessToken);
    await this.requireLive(caller);
    return caller;
  }

  /**
   * The caller a token names, when its signature and expiry check out — not yet whether its session
   * is live: `requireLive` must pass before anything is answered to it (authenticate does both; the
   * cache's shortcut runs the liveness check beside its own read).
   */
  async claimedCaller(accessToken: string): Promise<Caller> {
    const claims = await this.verify(accessToken);
    return { userId: claims.sub, sessionId: claims.sid };
  }

  async requireLive(caller: Caller): Promise<void> {
    await this.requireLiveFrom(caller, await this.cache.getStrings([this.livenessKey(caller)]).then(([raw]) => raw));
  }

  /** The cache key of the session's state: a caller that batches its own reads reads it with them (see requireLiveFrom). */
  livenessKey({ sessionId }: Caller): string {
    return sessionKey(sessionId);
  }

  /** requireLive, given what CacheService.getStrings read under livenessKey (absent: the database decides). */
  async requireLiveFrom({ sessionId, userId }: Caller, raw: string | undefined): Promise<void> {
    if (!(await this.isLive(sessionId, userId, this.cache.decodeValue<string>(raw)))) throw new UnauthorizedException('The session has ended; log in again.');
  }

  /** The token's claims when its signature is right and it has not expired (checked once per token and instance). */
  private async verify(accessToken: string): Promise<VerifiedClaims> {
    const invalid = () => new UnauthorizedException('The access token is invalid or expired.');
    const known = this.verified.get(accessToken);
    if (known) {
      if (known.exp * 1000 > Date.now()) return known;
      this.verified.delete(accessToken);
      throw invalid();
    }
    let claims: VerifiedClaims;
    try {
      claims = await this.jwt.verifyAsync<VerifiedClaims>(accessToken, { algorithms: ['HS256'] });
    } catch {
      throw invalid();
    }
    if (typeof claims.sub !== 'string' || typeof claims.sid !== 'string' || typeof claims.exp !== 'number') throw invalid();
    this.verified.set(accessToken, claims);
    return claims;
  }

  private async isLive(sessionId: string, userId: string, cached: string | undefined): Promise<boolean> {
    if (cached === REVOKED) return false;
    if (cached === userId) return true;
    const live = await this.sessions.isLive(sessionId, userId);
    if (live) await this.cache.setIfAbsent(sessionKey(sessionId), userId, LIVE_SESSION_TTL_SECONDS);
    return live;
  }

  private async tokens(userId: string, sessionId: string, refreshToken: string): Promise<TokenDto> {
    const claims: AccessClaims = { sub: userId, sid: sessionId };
    const accessToken = await this.jwt.signAsync(claims, { expiresIn: this.config.auth.accessTtlSeconds });
    return { accessToken, refreshToken, tokenType: 'Bearer', expiresIn: this.config.auth.accessTtlSeconds };
  }
}
