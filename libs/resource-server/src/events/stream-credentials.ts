import { Inject, Injectable } from '@nestjs/common';
import { postAsClient } from '../discovery/client-authentication.js';
import { IssuerMetadata } from '../discovery/issuer-metadata.js';
import { RESOLVED_OPTIONS, type ResolvedOptions } from '../options.js';

/**
 * The bearer token the event stream is opened with: a client_credentials token of this service's
 * own client, kept until shortly before it expires (a tenth of its life, at least 10 s) so that a
 * reconnection never presents one about to lapse.
 */
@Injectable()
export class StreamCredentials {
  private token: { value: string; renewAt: number } | null = null;

  constructor(
    @Inject(RESOLVED_OPTIONS) private readonly options: ResolvedOptions,
    private readonly metadata: IssuerMetadata,
  ) {}

  async accessToken(): Promise<string> {
    if (this.token && Date.now() < this.token.renewAt) return this.token.value;
    const { tokenEndpoint } = await this.metadata.get();
    const { status, body } = await postAsClient(this.options, tokenEndpoint, { grant_type: 'client_credentials', scope: this.options.events.scope });
    if (status !== 200 || typeof body.access_token !== 'string') {
      throw new Error(`the token endpoint answered ${status}${typeof body.error === 'string' ? ` ${body.error}` : ''}`);
    }
    const lifetimeMs = (typeof body.expires_in === 'number' ? body.expires_in : 60) * 1000;
    this.token = { value: body.access_token, renewAt: Date.now() + lifetimeMs - Math.max(10_000, lifetimeMs / 10) };
    return this.token.value;
  }

  /** The stream refused the token (401): take a new one next time. */
  discard(): void {
    this.token = null;
  }
}
