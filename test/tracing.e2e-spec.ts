import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from './support/database.js';
import { freePort, type RunningServer, spawnServer, waitForOutput } from './support/server-process.js';

interface ReceivedSpan {
  traceId: string;
  name: string;
  scope: string;
  attributes: Record<string, unknown>;
}

/**
 * The receiving end of OTLP/HTTP (JSON encoding), in memory: the server under
 * test runs its real OpenTelemetry SDK and exporter, and its spans land here.
 */
class SpanReceiver {
  readonly spans: ReceivedSpan[] = [];
  private server?: Server;
  url = '';

  async start(): Promise<void> {
    this.server = createServer((request, response) => {
      let body = '';
      request.setEncoding('utf8').on('data', (chunk: string) => (body += chunk));
      request.on('end', () => {
        const payload = JSON.parse(body) as OtlpTraces;
        for (const resource of payload.resourceSpans ?? []) {
          for (const scoped of resource.scopeSpans ?? []) {
            for (const span of scoped.spans ?? []) {
              const attributes = Object.fromEntries((span.attributes ?? []).map(({ key, value }) => [key, Object.values(value)[0]]));
              this.spans.push({ traceId: span.traceId, name: span.name, scope: scoped.scope.name, attributes });
            }
          }
        }
        response.writeHead(200, { 'content-type': 'application/json' }).end('{}');
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => this.server?.close(() => resolve()) ?? resolve());
  }
}

interface OtlpTraces {
  resourceSpans?: {
    scopeSpans?: { scope: { name: string }; spans?: { traceId: string; name: string; attributes?: { key: string; value: Record<string, unknown> }[] }[] }[];
  }[];
}

const CLIENT = { id: 'tracing-client', secret: 'tracing-client-secret-0123456789abcdef' };

async function startTraced(database: TestDatabase, extra: Record<string, string>): Promise<{ server: RunningServer; url: string }> {
  const port = await freePort();
  const server = spawnServer({
    DATABASE_URL: database.url,
    PORT: String(port),
    LOG_LEVEL: 'warn',
    BCRYPT_COST: '4',
    SIGNING_KEY_ENCRYPTION_SECRET: 'tracing-test-key-encryption-secret-0123456789',
    BOOTSTRAP_ADMIN_USERNAME: 'admin',
    BOOTSTRAP_ADMIN_PASSWORD: 'tracing-admin-password',
    BOOTSTRAP_CLIENT_ID: CLIENT.id,
    BOOTSTRAP_CLIENT_SECRET: CLIENT.secret,
    ...(database.dialect === 'postgres' && process.env.TEST_REDIS_URL ? { REDIS_URL: process.env.TEST_REDIS_URL, REDIS_KEY_PREFIX: `tracing:${port}:` } : {}),
    ...extra,
  });
  await waitForOutput(server, /Gatehouse listening/, 90_000);
  return { server, url: `http://127.0.0.1:${port}` };
}

const login = (url: string) =>
  fetch(`${url}/oauth/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: `Basic ${Buffer.from(`${CLIENT.id}:${CLIENT.secret}`).toString('base64')}` },
    body: new URLSearchParams({ grant_type: 'password', username: 'admin', password: 'tracing-admin-password' }),
  });

describe('OpenTelemetry traces', () => {
  const receiver = new SpanReceiver();
  let database: TestDatabase;

  beforeAll(async () => {
    await receiver.start();
    database = await createTestDatabase();
  });
  afterAll(async () => {
    await receiver.stop();
    await database?.drop();
  });

  it('with OTEL_EXPORTER_OTLP_ENDPOINT set, a token request is one trace: HTTP, Fastify and (on PostgreSQL) database spans', async () => {
    const { server, url } = await startTraced(database, {
      OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url,
      OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json',
      OTEL_BSP_SCHEDULE_DELAY: '100',
    });
    try {
      const res = await login(url);
      expect(res.status).toBe(200);
      const deadline = Date.now() + 15_000;
      const tokenSpan = () => receiver.spans.find((span) => span.scope === '@opentelemetry/instrumentation-http' && span.name === 'POST /oauth/token');
      while (!tokenSpan() && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
      const root = tokenSpan();
      expect(root, JSON.stringify(receiver.spans.map((s) => s.name))).toBeDefined();
      const trace = receiver.spans.filter((span) => span.traceId === root!.traceId);
      expect(trace.some((span) => span.scope === '@fastify/otel' && span.name.includes('TokenController.token'))).toBe(true);
      if (database.dialect === 'postgres') {
        const queries = trace.filter((span) => span.scope === '@opentelemetry/instrumentation-pg');
        expect(queries.length).toBeGreaterThan(0);
        // Statements, never their parameters: those carry digests and hashes.
        expect(queries.every((span) => !('db.postgresql.values' in span.attributes))).toBe(true);
      }
    } finally {
      await server.stop();
    }
  });

  it('without OTEL_EXPORTER_OTLP_ENDPOINT the SDK never starts, whatever other OTEL_* variables say', async () => {
    const before = receiver.spans.length;
    // A started SDK would export to this signal-specific endpoint: nothing arriving means nothing started.
    const { server, url } = await startTraced(database, {
      OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: `${receiver.url}/v1/traces`,
      OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json',
      OTEL_BSP_SCHEDULE_DELAY: '100',
    });
    try {
      expect((await login(url)).status).toBe(200);
      await new Promise((resolve) => setTimeout(resolve, 500));
    } finally {
      await server.stop();
    }
    expect(receiver.spans.length).toBe(before);
  });
});
