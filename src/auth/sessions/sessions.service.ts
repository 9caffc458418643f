import { Injectable, UnauthorizedException } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import type { EntityManager } from 'typeorm';
import { CacheService } from '../../cache/cache.service';
import { hashToken, newRandomToken } from '../../common/security/random-token';
import { AppConfig } from '../../config/app-config';
import type { TokenDto } from '../dto/token.dto';
import { SessionsRepository } from './sessions.repository';

export interface AccessClaims {
  sub: string;
  sid: string;
}

export interface Caller {
  userId: string;
  sessionId: string;
}

// How long a "session is live" answer may be reused; revocations delete it at once, this bounds a lost delete.
const LIVE_SESSION_TTL_SECONDS = 30;
const liveKey = (sessionId: string): string => `auth:session:${sessionId}:live`;

/** Sessions: opening one at login, rotating refresh tokens, revoking, and vouching for access tokens. */
@Injectable()
export class SessionsService {
  constructor(
    private readonly sessions: SessionsRepository,
    private readonly jwt: JwtService,
    private readonly cache: CacheService,
    private readonly config: AppConfig,
  ) {}

  async open(userId: string): Promise<TokenDto> {
    const refreshToken = newRandomToken();
    const expiresAt = new Date(Date.now() + this.config.auth.refreshTtlSeconds * 1000);
    const sessionId = await this.sessions.create(userId, expiresAt, hashToken(refreshToken));
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

  /** Ends every session of the user except `keep`, inside the caller's transaction when given one. */
  async revokeAllOfUser(userId: string, keep: string | null = null, manager?: EntityManager): Promise<string[]> {
    const revoked = await this.sessions.revokeAllOfUser(userId, keep, manager);
    if (!manager) await this.forget(revoked);
    return revoked;
  }

  /** Drops cached "live" answers; call after the revoking transaction commits. */
  async forget(sessionIds: string[]): Promise<void> {
    await this.cache.del(...sessionIds.map(liveKey));
  }

  /** Verifies an access token: signature, expiry, and that its session is still live. */
  async authenticate(accessToken: string): Promise<Caller> {
    let claims: AccessClaims;
    try {
      claims = await this.jwt.verifyAsync<AccessClaims>(accessToken, { algorithms: ['HS256'] });
    } catch {
      throw new UnauthorizedException('The access token is invalid or expired.');
    }
    if (typeof claims.sub !== 'string' || typeof claims.sid !== 'string') {
      throw new UnauthorizedException('The access token is invalid or expired.');
    }
    if (!(await this.isLive(claims.sid, claims.sub))) {
      throw new UnauthorizedException('The session has ended; log in again.');
    }
    return { userId: claims.sub, sessionId: claims.sid };
  }

  private async isLive(sessionId: string, userId: string): Promise<boolean> {
    const cached = await this.cache.get<string>(liveKey(sessionId));
    if (cached === userId) return true;
    const live = await this.sessions.isLive(sessionId, userId);
    if (live) await this.cache.set(liveKey(sessionId), userId, LIVE_SESSION_TTL_SECONDS);
    return live;
  }

  private async tokens(userId: string, sessionId: string, refreshToken: string): Promise<TokenDto> {
    const claims: AccessClaims = { sub: userId, sid: sessionId };
    const accessToken = await this.jwt.signAsync(claims, { expiresIn: this.config.auth.accessTtlSeconds });
    return { accessToken, refreshToken, tokenType: 'Bearer', expiresIn: this.config.auth.accessTtlSeconds };
  }
}
