import { isS256Challenge } from '../../auth/authorize/pkce.js';
import { matchRedirectUri } from '../../auth/authorize/redirect-match.js';
import { grantScope, parseScope } from '../../auth/grants/scope.js';
import { OAuthParams } from '../../auth/oauth/oauth-params.js';
import { OAuthError } from '../../common/http/http-errors.js';
import type { SignInClient } from '../clients/signin-client.js';

/** A validated authorization request (RFC 6749 §4.1.1, RFC 7636 §4.3, the OpenID parameters we honour). */
export interface AuthorizationRequest {
  client: SignInClient;
  redirectUri: string;
  state: string | undefined;
  /** Undefined: the client asked for no scope (it gets all it may have). */
  scope: string[] | undefined;
  codeChallenge: string;
  nonce: string | undefined;
  prompt: ReadonlySet<string>;
  maxAge: number | undefined;
  loginHint: string | undefined;
}

/** Fields the pages carry from one step to the next, as the client sent them. */
const CARRIED = [
  'response_type',
  'client_id',
  'redirect_uri',
  'scope',
  'state',
  'code_challenge',
  'code_challenge_method',
  'nonce',
  'prompt',
  'max_age',
  'login_hint',
];
const PROMPTS = new Set(['none', 'login', 'consent', 'select_account']);

/** Before the redirect URI is known good: shown as a page, never sent anywhere. */
export class UntrustedRequestError extends Error {
  constructor(
    readonly heading: string,
    message: string,
  ) {
    super(message);
  }
}

/** A client that is not approved: its own page, telling pending, rejected and suspended apart. */
export class ClientNotApprovedError extends Error {
  constructor(readonly client: SignInClient) {
    super(client.status);
  }
}

/** After the redirect URI is known good: sent back to it (RFC 6749 §4.1.2.1). */
export class RedirectableError extends Error {
  constructor(
    readonly error: string,
    readonly description: string,
    readonly request: Pick<AuthorizationRequest, 'redirectUri' | 'state'>,
  ) {
    super(description);
  }
}

/** The client_id and redirect_uri, checked first: until both are known good nothing is redirected. */
async function trustedTarget(params: OAuthParams, find: (clientId: string) => Promise<SignInClient | null>) {
  let clientId: string | undefined;
  let redirectUri: string | undefined;
  try {
    clientId = params.optional('client_id');
    redirectUri = params.optional('redirect_uri');
  } catch (error) {
    throw new UntrustedRequestError('This sign-in link is broken', (error as OAuthError).description);
  }
  if (!clientId) throw new UntrustedRequestError('This sign-in link is broken', 'It does not say which application is asking (client_id is missing).');
  const client = await find(clientId);
  if (!client) throw new UntrustedRequestError('Unknown application', 'No application with this client_id is registered here.');
  if (client.status !== 'approved') throw new ClientNotApprovedError(client);
  if (!redirectUri) throw new UntrustedRequestError('This sign-in link is broken', 'It does not say where to return to (redirect_uri is missing).');
  const matched = matchRedirectUri(client.redirectUris, redirectUri);
  if (!matched) {
    throw new UntrustedRequestError(
      'This sign-in link is not allowed',
      'The address it would return to (redirect_uri) is not one this application registered.',
    );
  }
  return { client, redirectUri: matched };
}

/** Parses and checks an authorization request; throws one of the three errors above. */
export async function parseAuthorizationRequest(body: unknown, find: (clientId: string) => Promise<SignInClient | null>): Promise<AuthorizationRequest> {
  let params: OAuthParams;
  try {
    params = OAuthParams.from(body);
  } catch (error) {
    throw new UntrustedRequestError('This sign-in link is broken', (error as OAuthError).description);
  }
  const { client, redirectUri } = await trustedTarget(params, find);
  // The state comes back even with an error about another parameter, so the client can match the answer.
  let state: string | undefined;
  try {
    state = params.optional('state');
  } catch (error) {
    throw new RedirectableError('invalid_request', (error as OAuthError).description, { redirectUri, state: undefined });
  }
  const fail = (error: string, description: string) => new RedirectableError(error, description, { redirectUri, state });
  try {
    const responseType = params.optional('response_type');
    if (responseType === undefined) throw fail('invalid_request', 'response_type is required');
    if (responseType !== 'code') throw fail('unsupported_response_type', 'Only response_type=code is supported');
    if (!client.grantTypes.has('authorization_code')) throw fail('unauthorized_client', 'This client may not use the authorization_code grant');
    const method = params.optional('code_challenge_method');
    const challenge = params.optional('code_challenge');
    if (challenge === undefined) throw fail('invalid_request', 'code_challenge is required (PKCE, RFC 7636)');
    if (method !== 'S256') throw fail('invalid_request', 'code_challenge_method must be S256 (plain is not accepted)');
    if (!isS256Challenge(challenge)) throw fail('invalid_request', 'code_challenge must be the 43-character BASE64URL of a SHA-256');
    const scope = parseScope(params.optional('scope'));
    // Beyond what the client may have is refused before anyone signs in; the user's own permissions are checked after.
    grantScope(scope, client.scopes);
    const prompt = new Set((params.optional('prompt') ?? '').split(' ').filter(Boolean));
    if ([...prompt].some((value) => !PROMPTS.has(value)) || (prompt.has('none') && prompt.size > 1)) throw fail('invalid_request', 'prompt is not valid');
    const maxAgeText = params.optional('max_age');
    if (maxAgeText !== undefined && !/^\d{1,9}$/.test(maxAgeText)) throw fail('invalid_request', 'max_age must be a number of seconds');
    const nonce = params.optional('nonce');
    if (nonce !== undefined && nonce.length > 512) throw fail('invalid_request', 'nonce is too long');
    return {
      client,
      redirectUri,
      state,
      scope,
      codeChallenge: challenge,
      nonce,
      prompt,
      maxAge: maxAgeText === undefined ? undefined : Number(maxAgeText),
      loginHint: params.optional('login_hint'),
    };
  } catch (error) {
    if (error instanceof OAuthError) throw fail(error.error, error.description);
    throw error;
  }
}

/** The request's parameters again, for the hidden fields of the next form; `drop` leaves some out. */
export function carriedFields(body: unknown, drop: readonly string[] = []): { name: string; value: string }[] {
  const params = OAuthParams.from(body);
  return CARRIED.filter((name) => !drop.includes(name)).flatMap((name) => {
    const value = params.optional(name);
    return value === undefined ? [] : [{ name, value }];
  });
}
