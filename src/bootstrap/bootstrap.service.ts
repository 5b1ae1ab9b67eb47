import { Inject, Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { randomBytes } from 'node:crypto';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Logger as PinoLogger } from 'pino';
import { DataSource } from 'typeorm';
import { LOCAL_OPERATOR } from '../authorization/grant-policy.js';
import { KeySetService } from '../auth/keys/key-set.service.js';
import { AuthStateCache } from '../auth/principal/auth-state.cache.js';
import { ClientsService } from '../clients/clients.service.js';
import { generateClientSecret } from '../clients/client-secret.js';
import { type AppConfig, InjectAppConfig } from '../config/app.config.js';
import { dataDirectory } from '../database/data-source-options.js';
import { withStartupLock } from '../database/startup-lock.js';
import { alwaysShown, ROOT_LOGGER } from '../logging/root-logger.js';
import { TransactionService } from '../database/transaction.service.js';
import { generatePassword } from '../users/credentials.policy.js';
import { PasswordService } from '../users/password.service.js';
import { ADMIN_ROLE, RolesService } from '../users/roles.service.js';
import { User } from '../users/user.entity.js';
import { UsersService } from '../users/users.service.js';

export interface GeneratedCredentials {
  admin?: { username: string; password: string };
  client?: { clientId: string; clientSecret: string };
}

/**
 * Seeds an empty database once: the roles, the first admin and the first-party
 * client. Values come from BOOTSTRAP_*; whatever is unset is generated and
 * printed once, here, and never again. A database that has users (or clients)
 * is never re-seeded.
 */
@Injectable()
export class BootstrapService implements OnApplicationBootstrap {
  private readonly logger = new Logger(BootstrapService.name);

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @InjectAppConfig() private readonly config: AppConfig,
    private readonly transactions: TransactionService,
    private readonly roles: RolesService,
    private readonly users: UsersService,
    private readonly clients: ClientsService,
    private readonly passwords: PasswordService,
    private readonly keys: KeySetService,
    private readonly authState: AuthStateCache,
    @Inject(ROOT_LOGGER) private readonly rootLogger: PinoLogger,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const generated = await withStartupLock(this.dataSource, () => this.seed());
    if (generated.admin || generated.client) this.announce(generated);
    // Load (and decrypt) the key set now: a wrong encryption secret stops start-up, not the first login.
    await this.keys.reload();
    await this.keys.activeKey();
    // Seeding (here or by another instance while this one waited) may have added clients.
    await this.authState.reloadRegistry();
  }

  async seed(): Promise<GeneratedCredentials> {
    const { bootstrap } = this.config;
    const generated: GeneratedCredentials = {};
    const adminUsername = bootstrap.adminUsername ?? 'admin';
    const adminPassword = bootstrap.adminPassword ?? generatePassword();
    // Hashing is slow; do it outside the transaction, and only when it may be needed.
    const needsAdmin = (await this.users.count()) === 0;
    const adminHash = needsAdmin ? await this.passwords.hash(adminPassword) : '';
    await this.transactions.run(async (m) => {
      await this.roles.seed(m);
      await this.clients.syncFirstParty(m);
      if (needsAdmin && (await m.count(User)) === 0) {
        await this.users.insert(m, adminUsername, adminHash, [ADMIN_ROLE], null, LOCAL_OPERATOR);
        if (!bootstrap.adminPassword) generated.admin = { username: adminUsername, password: adminPassword };
      }
      if ((await this.clients.count(m)) === 0) {
        const clientId = bootstrap.clientId ?? `first-party-${randomBytes(4).toString('hex')}`;
        const clientSecret = bootstrap.clientSecret ?? generateClientSecret();
        await this.clients.createFirstParty(m, clientId, clientSecret, 'Bootstrap first-party client');
        if (!bootstrap.clientSecret) generated.client = { clientId, clientSecret };
      }
      await this.keys.ensureActiveKey(m);
    });
    return generated;
  }

  /**
   * These values exist nowhere else in clear, so they are shown once and never
   * logged: a log pipeline would keep them. In development the box goes
   * straight to the terminal; in production to a file only this user can read,
   * and the log says where.
   */
  private announce(generated: GeneratedCredentials): void {
    const lines = ['==== Gatehouse bootstrap: generated credentials (shown once, store them now) ===='];
    if (generated.admin) lines.push(`  admin username:  ${generated.admin.username}`, `  admin password:  ${generated.admin.password}`);
    if (generated.client) lines.push(`  client_id:       ${generated.client.clientId}`, `  client_secret:   ${generated.client.clientSecret}`);
    lines.push('================================================================================');
    if (!this.config.production) {
      process.stdout.write(`\n${lines.join('\n')}\n\n`);
      this.logger.log('Seeded an empty database with generated bootstrap credentials (printed above, once)');
      return;
    }
    const file = join(dataDirectory(this.config.databaseUrl), BOOTSTRAP_CREDENTIALS_FILE);
    writePrivateFile(file, `${lines.join('\n')}\nDelete this file once they are stored.\n`);
    alwaysShown(this.rootLogger, BootstrapService.name).warn(
      { file },
      `Seeded an empty database: the generated credentials are in ${file} (mode 0600), not in the log. Store them, then delete the file`,
    );
  }
}

export const BOOTSTRAP_CREDENTIALS_FILE = 'bootstrap-credentials.txt';

/** Made afresh (never written through an existing file or link), readable by this user only. */
function writePrivateFile(path: string, text: string): void {
  mkdirSync(dirname(path), { recursive: true });
  rmSync(path, { force: true });
  writeFileSync(path, text, { mode: 0o600, flag: 'wx' });
}
