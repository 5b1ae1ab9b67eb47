/**
 * The peer for figure 2: node-oidc-provider issuing what Gatehouse issues for
 * client_credentials — ES256-signed JWT access tokens to a client that
 * authenticates with client_secret_basic — from an in-memory adapter.
 *
 * Run as a child process by the bench: PORT, CLIENT_ID, CLIENT_SECRET and
 * SCOPE come from the environment; it prints `listening <url>` when ready.
 */
import { generateKeyPair, exportJWK } from 'jose';
import Provider, { type Adapter, type AdapterPayload } from 'oidc-provider';

const port = Number(process.env.PORT ?? 0);
const clientId = required('CLIENT_ID');
const clientSecret = required('CLIENT_SECRET');
const scope = required('SCOPE');
const issuer = `http://127.0.0.1:${port}`;
const audience = `${issuer}/resource`;

function required(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} must be set`);
  return value;
}

/** A plain Map: client_credentials JWTs are not stored, so this only holds what the provider insists on keeping. */
class MemoryAdapter implements Adapter {
  private static readonly store = new Map<string, AdapterPayload>();

  constructor(private readonly model: string) {}

  private key(id: string): string {
    return `${this.model}:${id}`;
  }

  async upsert(id: string, payload: AdapterPayload): Promise<void> {
    MemoryAdapter.store.set(this.key(id), payload);
  }

  async find(id: string): Promise<AdapterPayload | undefined> {
    return MemoryAdapter.store.get(this.key(id));
  }

  async findByUserCode(): Promise<undefined> {
    return undefined;
  }

  async findByUid(): Promise<undefined> {
    return undefined;
  }

  async consume(id: string): Promise<void> {
    const payload = MemoryAdapter.store.get(this.key(id));
    if (payload) payload.consumed = Math.floor(Date.now() / 1000);
  }

  async destroy(id: string): Promise<void> {
    MemoryAdapter.store.delete(this.key(id));
  }

  async revokeByGrantId(): Promise<void> {}
}

const { privateKey } = await generateKeyPair('ES256', { extractable: true });
const signingKey = { ...(await exportJWK(privateKey)), kid: 'bench-es256', alg: 'ES256', use: 'sig' };

const provider = new Provider(issuer, {
  adapter: MemoryAdapter,
  clients: [
    {
      client_id: clientId,
      client_secret: clientSecret,
      grant_types: ['client_credentials'],
      response_types: [],
      redirect_uris: [],
      token_endpoint_auth_method: 'client_secret_basic',
      // The only key is ES256; the default (RS256) would make the client invalid.
      id_token_signed_response_alg: 'ES256',
      scope,
    },
  ],
  jwks: { keys: [signingKey] },
  scopes: scope.split(' '),
  ttl: { ClientCredentials: 900 },
  features: {
    devInteractions: { enabled: false },
    clientCredentials: { enabled: true },
    resourceIndicators: {
      enabled: true,
      defaultResource: () => audience,
      useGrantedResource: () => true,
      getResourceServerInfo: () => ({
        scope,
        audience,
        accessTokenTTL: 900,
        accessTokenFormat: 'jwt',
        jwt: { sign: { alg: 'ES256' } },
      }),
    },
  },
});

const server = provider.listen(port, '127.0.0.1', () => {
  process.stdout.write(`listening ${issuer}\n`);
});

const stop = () => server.close(() => process.exit(0));
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
process.on('disconnect', stop);
