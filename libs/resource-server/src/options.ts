/** What to do once the event stream has been down longer than `events.maxOutageSeconds`. */
export type OutagePolicy = 'fail-closed' | 'introspect';

export interface GatehouseEventsOptions {
  /** The Server-Sent Events endpoint. Default: `<issuer>/events`. */
  url?: string;
  /** Scope asked for the stream's client-credentials token. Default: `events:subscribe`. */
  scope?: string;
  /**
   * How long the stream may be down (not connected, or silent past the heartbeat bound) before the
   * outage policy applies. Until then cached decisions are still used: this is the longest a
   * change can go unseen. Default: 30.
   */
  maxOutageSeconds?: number;
  /** A connected stream that sends nothing (not even a heartbeat) for this long counts as down. Default: 15. */
  heartbeatTimeoutSeconds?: number;
  /**
   * `fail-closed` (default): every guarded request is answered `503` until the stream is back.
   * `introspect`: every guarded request asks Gatehouse (`POST /oauth/introspect`) instead of the cache.
   */
  onOutage?: OutagePolicy;
  /** First reconnect delay; it doubles up to `maxReconnectDelayMs` (or the server's `retry:`). Default: 250. */
  reconnectDelayMs?: number;
  /** Default: 5000. */
  maxReconnectDelayMs?: number;
}

export interface GatehouseResourceOptions {
  /** Gatehouse's `ISSUER`, exactly as in the tokens' `iss`; its metadata is read from `<issuer>/.well-known/oauth-authorization-server`. */
  issuer: string;
  /** The `aud` this service accepts (Gatehouse's `ACCESS_TOKEN_AUDIENCE`, or the resource this service is registered as). Default: the issuer. */
  audience?: string;
  /** This service's client at Gatehouse: it needs the `client_credentials` grant and the `introspect` and `events:subscribe` scopes. */
  clientId: string;
  clientSecret: string;
  /** `realm` of the `WWW-Authenticate` challenges. Default: `gatehouse`. */
  realm?: string;
  /** Clock leeway for `exp` and `iat`, seconds. Default: 30 (as Gatehouse). */
  clockToleranceSeconds?: number;
  /** The longest lifetime (`exp - iat`) a token may claim; set it to Gatehouse's `ACCESS_TOKEN_TTL`. Default: 3600. */
  maxTokenLifetimeSeconds?: number;
  /** Algorithms accepted; each token's must also be its key's. Default: `['ES256', 'RS256']` (what Gatehouse signs with). */
  algorithms?: string[];
  /** An unknown `kid` refetches the key set at most this often, seconds. Default: 30. */
  jwksCooldownSeconds?: number;
  /** Tokens whose permissions are kept in memory. Default: 10000. */
  permissionCacheSize?: number;
  /** Timeout of each call to Gatehouse (metadata, keys, introspection, token), ms. Default: 5000. */
  requestTimeoutMs?: number;
  events?: GatehouseEventsOptions;
}

/** The options with every default filled in, checked once at start. */
export interface ResolvedOptions {
  issuer: string;
  audience: string;
  clientId: string;
  clientSecret: string;
  realm: string;
  clockToleranceSeconds: number;
  maxTokenLifetimeSeconds: number;
  algorithms: string[];
  jwksCooldownSeconds: number;
  permissionCacheSize: number;
  requestTimeoutMs: number;
  events: Required<GatehouseEventsOptions>;
}

export const RESOLVED_OPTIONS = Symbol('GatehouseResourceResolvedOptions');

export function resolveOptions(options: GatehouseResourceOptions): ResolvedOptions {
  const issuer = requireUrl('issuer', options.issuer).replace(/\/+$/, '');
  requireText('clientId', options.clientId);
  requireText('clientSecret', options.clientSecret);
  const events = options.events ?? {};
  const resolved: ResolvedOptions = {
    issuer,
    audience: options.audience ?? issuer,
    clientId: options.clientId,
    clientSecret: options.clientSecret,
    realm: options.realm ?? 'gatehouse',
    clockToleranceSeconds: options.clockToleranceSeconds ?? 30,
    maxTokenLifetimeSeconds: options.maxTokenLifetimeSeconds ?? 3600,
    algorithms: options.algorithms ?? ['ES256', 'RS256'],
    jwksCooldownSeconds: options.jwksCooldownSeconds ?? 30,
    permissionCacheSize: options.permissionCacheSize ?? 10_000,
    requestTimeoutMs: options.requestTimeoutMs ?? 5_000,
    events: {
      url: requireUrl('events.url', events.url ?? `${issuer}/events`),
      scope: events.scope ?? 'events:subscribe',
      maxOutageSeconds: events.maxOutageSeconds ?? 30,
      heartbeatTimeoutSeconds: events.heartbeatTimeoutSeconds ?? 15,
      onOutage: events.onOutage ?? 'fail-closed',
      reconnectDelayMs: events.reconnectDelayMs ?? 250,
      maxReconnectDelayMs: events.maxReconnectDelayMs ?? 5_000,
    },
  };
  if (!['fail-closed', 'introspect'].includes(resolved.events.onOutage)) {
    throw new Error(`GatehouseResourceModule: events.onOutage must be 'fail-closed' or 'introspect'`);
  }
  for (const [name, value] of Object.entries({
    clockToleranceSeconds: resolved.clockToleranceSeconds,
    maxTokenLifetimeSeconds: resolved.maxTokenLifetimeSeconds,
    jwksCooldownSeconds: resolved.jwksCooldownSeconds,
    permissionCacheSize: resolved.permissionCacheSize,
    requestTimeoutMs: resolved.requestTimeoutMs,
    'events.maxOutageSeconds': resolved.events.maxOutageSeconds,
    'events.heartbeatTimeoutSeconds': resolved.events.heartbeatTimeoutSeconds,
    'events.reconnectDelayMs': resolved.events.reconnectDelayMs,
    'events.maxReconnectDelayMs': resolved.events.maxReconnectDelayMs,
  })) {
    if (!Number.isFinite(value) || value < 0) throw new Error(`GatehouseResourceModule: ${name} must be a number of at least 0`);
  }
  return resolved;
}

function requireText(name: string, value: unknown): void {
  if (typeof value !== 'string' || value === '') throw new Error(`GatehouseResourceModule: ${name} is required`);
}

function requireUrl(name: string, value: unknown): string {
  requireText(name, value);
  if (!URL.canParse(value as string) || !['http:', 'https:'].includes(new URL(value as string).protocol))
    throw new Error(`GatehouseResourceModule: ${name} must be an http(s) URL`);
  return value as string;
}
