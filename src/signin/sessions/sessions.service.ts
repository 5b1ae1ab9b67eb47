import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { IsNull, Repository } from 'typeorm';
import { SessionFamily } from '../../auth/authorize/session-family.entity.js';
import { RefreshTokenService } from '../../auth/tokens/refresh-token.service.js';
import { type AppConfig, InjectAppConfig } from '../../config/app.config.js';
import { deleteInBatches } from '../../database/batch-delete.js';
import { TransactionService } from '../../database/transaction.service.js';
import { SignInSession } from './signin-session.entity.js';

/** A session that is live right now. */
export interface ActiveSession {
  id: string;
  userId: string;
  authTime: Date;
}

const hashToken = (token: string) => createHash('sha256').update(token, 'utf8').digest('hex');
/** A session is touched at most this often: idle expiry needs minutes, not a write per page view. */
const TOUCH_EVERY_MS = 60_000;

/**
 * Server-side sign-in sessions behind an HttpOnly, SameSite=Lax cookie
 * (Secure, and `__Host-` prefixed, when the issuer is https). A session ends
 * at SESSION_TTL after sign-in, or SESSION_IDLE_TTL after it was last used.
 */
@Injectable()
export class SessionsService {
  readonly cookieName: string;
  private readonly secure: boolean;

  constructor(
    @InjectRepository(SignInSession) private readonly sessions: Repository<SignInSession>,
    @InjectAppConfig() private readonly config: AppConfig,
    private readonly transactions: TransactionService,
    private readonly refreshTokens: RefreshTokenService,
  ) {
    this.secure = config.issuer.startsWith('https:');
    this.cookieName = this.secure ? '__Host-gatehouse_session' : 'gatehouse_session';
  }

  /** Starts a session for `userId` and sets its cookie on `reply`. */
  async start(userId: string, reply: FastifyReply): Promise<ActiveSession> {
    const token = randomBytes(32).toString('base64url');
    const now = new Date();
    const session = {
      id: randomUUID(),
      tokenHash: hashToken(token),
      userId,
      createdAt: now,
      lastSeenAt: now,
      expiresAt: new Date(now.getTime() + this.config.sessionTtl * 1000),
      endedAt: null,
    };
    await this.transactions.run((m) => m.insert(SignInSession, session));
    reply.setCookie(this.cookieName, token, {
      path: '/',
      httpOnly: true,
      sameSite: 'lax',
      secure: this.secure,
      maxAge: this.config.sessionTtl,
    });
    return { id: session.id, userId, authTime: now };
  }

  /** The live session the request's cookie names, or null (none, unknown, ended, expired or idle too long). */
  async current(request: FastifyRequest): Promise<ActiveSession | null> {
    const token = request.cookies[this.cookieName];
    if (!token || token.length > 100) return null;
    const row = await this.sessions.findOne({ where: { tokenHash: hashToken(token), endedAt: IsNull() } });
    if (!row) return null;
    const now = Date.now();
    if (row.expiresAt.getTime() <= now || row.lastSeenAt.getTime() + this.config.sessionIdleTtl * 1000 <= now) return null;
    if (now - row.lastSeenAt.getTime() >= TOUCH_EVERY_MS) {
      await this.transactions.run((m) => m.update(SignInSession, { id: row.id }, { lastSeenAt: new Date(now) }));
    }
    return { id: row.id, userId: row.userId, authTime: row.createdAt };
  }

  /**
   * Ends a session and, in the same transaction, revokes every refresh-token
   * family made through it (signin_session_families): what a sign-out (issue
   * 12's logout) calls. Returns the families revoked; none when it had ended.
   */
  async end(sessionId: string): Promise<string[]> {
    const { revoked, entries } = await this.transactions.run(async (m) => {
      const ended = await m
        .createQueryBuilder()
        .update(SignInSession)
        .set({ endedAt: new Date() })
        .where('id = :sessionId AND ended_at IS NULL', { sessionId })
        .execute();
      if (ended.affected !== 1) return { revoked: [], entries: [] };
      const links = await m.find(SessionFamily, { where: { sessionId } });
      const revoked: string[] = [];
      const entries = [];
      for (const { familyId } of links) {
        const entry = await this.refreshTokens.endFamily(m, familyId, 'session_ended');
        if (entry) revoked.push(familyId);
        entries.push(entry);
      }
      return { revoked, entries };
    });
    await this.refreshTokens.announce(entries);
    return revoked;
  }

  /** Sessions that ended (expired, or signed out) before `before`. */
  prune(before: Date): Promise<number> {
    return deleteInBatches(this.transactions, 'signin_sessions', 'id', 'expires_at < :cutoff OR ended_at < :cutoff', { cutoff: before.getTime() });
  }
}
