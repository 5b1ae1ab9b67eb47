import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { type EntityManager, Repository } from 'typeorm';
import { type AppConfig, InjectAppConfig } from '../../config/app.config.js';
import { deleteInBatches } from '../../database/batch-delete.js';
import { TransactionService } from '../../database/transaction.service.js';
import { AuthorizationCode } from './authorization-code.entity.js';

const hashCode = (code: string) => createHash('sha256').update(code, 'utf8').digest('hex');

/** What a code is bound to: everything the authorization request fixed, and who approved it. */
export interface CodeBinding {
  /** The clients table's id. */
  clientId: string;
  userId: string;
  sessionId: string;
  redirectUri: string;
  codeChallenge: string;
  scope: readonly string[];
  nonce: string | null;
  authTime: Date;
}

/** Authorization codes: issued by /oauth/authorize, redeemed once by the authorization_code grant. */
@Injectable()
export class AuthorizationCodes {
  constructor(
    @InjectRepository(AuthorizationCode) private readonly codes: Repository<AuthorizationCode>,
    @InjectAppConfig() private readonly config: AppConfig,
    private readonly transactions: TransactionService,
  ) {}

  /** A new code (256 random bits; only its hash is kept), valid for AUTHORIZATION_CODE_TTL seconds. */
  async issue(binding: CodeBinding): Promise<string> {
    const code = randomBytes(32).toString('base64url');
    const now = Date.now();
    await this.transactions.run((m) =>
      m.insert(AuthorizationCode, {
        id: randomUUID(),
        codeHash: hashCode(code),
        clientId: binding.clientId,
        userId: binding.userId,
        sessionId: binding.sessionId,
        redirectUri: binding.redirectUri,
        codeChallenge: binding.codeChallenge,
        scope: binding.scope.join(' '),
        nonce: binding.nonce,
        authTime: binding.authTime,
        createdAt: new Date(now),
        expiresAt: new Date(now + this.config.authorizationCodeTtl * 1000),
        usedAt: null,
        familyId: null,
        accessTokenJti: null,
        accessTokenExpiresAt: null,
      }),
    );
    return code;
  }

  find(code: string): Promise<AuthorizationCode | null> {
    return this.codes.findOne({ where: { codeHash: hashCode(code) } });
  }

  /** Marks the code used, only if nobody did first: of two concurrent exchanges exactly one wins. */
  async claim(m: EntityManager, id: string, access: { jti: string; expiresAt: Date }): Promise<boolean> {
    const result = await m
      .createQueryBuilder()
      .update(AuthorizationCode)
      .set({ usedAt: new Date(), accessTokenJti: access.jti, accessTokenExpiresAt: access.expiresAt })
      .where('id = :id AND used_at IS NULL', { id })
      .execute();
    return result.affected === 1;
  }

  /** Which refresh-token family the exchange started, in the transaction that claimed the code. */
  async recordFamily(m: EntityManager, id: string, familyId: string): Promise<void> {
    await m.update(AuthorizationCode, { id }, { familyId });
  }

  /** The used row again, as the winning exchange wrote it (what a replay must revoke). */
  reload(m: EntityManager, id: string): Promise<AuthorizationCode | null> {
    return m.findOne(AuthorizationCode, { where: { id } });
  }

  /** Codes whose lifetime ended before `before`: used or not, nothing can come of them any more. */
  prune(before: Date): Promise<number> {
    return deleteInBatches(this.transactions, 'authorization_codes', 'id', 'expires_at < :cutoff', { cutoff: before.getTime() });
  }
}
