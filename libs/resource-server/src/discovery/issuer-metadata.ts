import { Inject, Injectable } from '@nestjs/common';
import { RESOLVED_OPTIONS, type ResolvedOptions } from '../options.js';

/** The parts of Gatehouse's RFC 8414 metadata this library uses. */
export interface IssuerEndpoints {
  jwksUri: URL;
  tokenEndpoint: URL;
  introspectionEndpoint: URL;
}

/** A failed discovery is answered from memory this long, so a flood of requests while Gatehouse is down is not a flood of fetches. */
const RETRY_AFTER_FAILURE_MS = 2_000;

/**
 * Reads `<issuer>/.well-known/oauth-authorization-server` once and keeps it. A failure is kept
 * only briefly, then the next caller tries again; concurrent callers share one request.
 */
@Injectable()
export class IssuerMetadata {
  private endpoints: Promise<IssuerEndpoints> | null = null;

  constructor(@Inject(RESOLVED_OPTIONS) private readonly options: ResolvedOptions) {}

  get(): Promise<IssuerEndpoints> {
    this.endpoints ??= this.discover().catch((error: unknown) => {
      setTimeout(() => (this.endpoints = null), RETRY_AFTER_FAILURE_MS).unref();
      throw error;
    });
    return this.endpoints;
  }

  private async discover(): Promise<IssuerEndpoints> {
    const { issuer, requestTimeoutMs } = this.options;
    const url = `${issuer}/.well-known/oauth-authorization-server`;
    const response = await fetch(url, { signal: AbortSignal.timeout(requestTimeoutMs), headers: { Accept: 'application/json' } });
    if (!response.ok) throw new Error(`${url} answered ${response.status}`);
    const metadata = (await response.json()) as Record<string, unknown>;
    // RFC 8414 §3.3: metadata naming another issuer must not be used.
    if (metadata.issuer !== issuer) throw new Error(`${url} names issuer ${String(metadata.issuer)}, expected ${issuer}`);
    return {
      jwksUri: endpoint(metadata, 'jwks_uri'),
      tokenEndpoint: endpoint(metadata, 'token_endpoint'),
      introspectionEndpoint: endpoint(metadata, 'introspection_endpoint'),
    };
  }
}

function endpoint(metadata: Record<string, unknown>, name: string): URL {
  const value = metadata[name];
  if (typeof value !== 'string' || !URL.canParse(value)) throw new Error(`The issuer's metadata has no usable ${name}`);
  return new URL(value);
}
