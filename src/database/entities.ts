import { AccessEventRow } from '../events/access-event.entity.js';
import { AuditEvent } from '../audit/audit-event.entity.js';
import { ServerSecret } from '../auth/keys/server-secret.entity.js';
import { AuthorizationCode } from '../auth/authorize/authorization-code.entity.js';
import { SessionFamily } from '../auth/authorize/session-family.entity.js';
import { SigningKey } from '../auth/keys/signing-key.entity.js';
import { RefreshTokenFamily } from '../auth/tokens/refresh-token-family.entity.js';
import { RefreshToken } from '../auth/tokens/refresh-token.entity.js';
import { RevokedAccessToken } from '../auth/tokens/revoked-access-token.entity.js';
import { TokenIssuanceCount } from '../auth/tokens/token-issuance-count.entity.js';
import { Client } from '../clients/client.entity.js';
import { Note } from '../resources/notes/note.entity.js';
import { SignInSource } from '../throttling/sign-in-source.entity.js';
import { Consent } from '../signin/consents/consent.entity.js';
import { SignInSession } from '../signin/sessions/signin-session.entity.js';
import { Role } from '../users/role.entity.js';
import { User } from '../users/user.entity.js';

/** Every entity, listed once; the migrations of both dialects must match exactly this. */
export const ENTITIES = [
  User,
  Role,
  Client,
  AuditEvent,
  SigningKey,
  ServerSecret,
  RefreshTokenFamily,
  RefreshToken,
  RevokedAccessToken,
  TokenIssuanceCount,
  Note,
  SignInSource,
  AccessEventRow,
  // Browser sign-in (authorization code flow).
  SignInSession,
  SessionFamily,
  AuthorizationCode,
  Consent,
];
