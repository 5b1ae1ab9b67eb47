import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { createHmac, randomBytes } from 'node:crypto';
import { Repository } from 'typeorm';
import { TransactionService } from '../../database/transaction.service.js';
import { ServerKeys } from '../keys/server-keys.service.js';
import { ServerSecret } from '../keys/server-secret.entity.js';

const NAME = 'refresh-token-successor';

/**
 * Derives a refresh token's successor from the token itself:
 * HMAC-SHA-256(parent) under a 256-bit server secret. Only hashes are stored,
 * so this is what lets a grace-period retry (a lost response, five tabs at
 * once) be answered with the very successor the first presentation got, on
 * any instance and after a restart, without keeping a token in clear.
 *
 * Why a secret, and not a plain hash of the parent: whoever holds a used
 * parent (a log, a stolen backup of a client) could otherwise compute its
 * successor and present that directly, skipping the reuse detection that
 * presenting the parent triggers. The secret is made once, kept in the
 * database sealed like the signing keys, so every instance derives the same
 * successor; it is never in a response or a log.
 */
@Injectable()
export class SuccessorKey {
  private key?: Promise<Buffer>;

  constructor(
    @InjectRepository(ServerSecret) private readonly secrets: Repository<ServerSecret>,
    private readonly keys: ServerKeys,
    private readonly transactions: TransactionService,
  ) {}

  /** The successor of `parent` (a token value): 256 bits, base64url like every refresh token. */
  async successorOf(parent: string): Promise<string> {
    return createHmac('sha256', await this.secret())
      .update(parent, 'utf8')
      .digest('base64url');
  }

  private secret(): Promise<Buffer> {
    this.key ??= this.load().catch((error: unknown) => {
      this.key = undefined;
      throw error;
    });
    return this.key;
  }

  /** Made by the first instance that needs it; one that races it keeps whichever was stored first. */
  private async load(): Promise<Buffer> {
    let row = await this.secrets.findOneBy({ name: NAME });
    if (!row) {
      const sealed = this.keys.encryption.seal(randomBytes(32).toString('base64url'));
      await this.transactions.run((m) =>
        m.createQueryBuilder().insert().into(ServerSecret).values({ name: NAME, sealed, createdAt: new Date() }).orIgnore().execute(),
      );
      row = await this.secrets.findOneByOrFail({ name: NAME });
    }
    const opened = this.keys.encryption.open(row.sealed);
    // Stored in clear by an older version, or sealed under SIGNING_KEY_ENCRYPTION_SECRET_PREVIOUS: seal it anew.
    if (!opened.sealedUnderCurrent) {
      const resealed = this.keys.encryption.seal(opened.pem);
      await this.transactions.run((m) => m.update(ServerSecret, { name: NAME }, { sealed: resealed }));
    }
    return Buffer.from(opened.pem, 'base64url');
  }
}
