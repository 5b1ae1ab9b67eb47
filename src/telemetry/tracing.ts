import type { NodeSDK } from '@opentelemetry/sdk-node';

let sdk: NodeSDK | undefined;

/**
 * OpenTelemetry traces (HTTP, Fastify, pg, ioredis), only when
 * OTEL_EXPORTER_OTLP_ENDPOINT is set: otherwise nothing of OpenTelemetry is
 * even loaded, so an untraced server pays nothing. Everything else is the
 * standard OTEL_* environment (OTEL_SERVICE_NAME, OTEL_EXPORTER_OTLP_PROTOCOL,
 * OTEL_TRACES_SAMPLER, …).
 *
 * Must run before the application's modules are imported: instrumentation
 * works by wrapping a library as it loads. The server is ESM, so besides the
 * CommonJS require hook this registers the ESM loader hook
 * (import-in-the-middle) for libraries the application imports.
 */
export async function startTracing(env: NodeJS.ProcessEnv = process.env): Promise<boolean> {
  if (!env.OTEL_EXPORTER_OTLP_ENDPOINT) return false;
  const { register } = await import('node:module');
  register('@opentelemetry/instrumentation/hook.mjs', import.meta.url);
  const [{ NodeSDK }, { HttpInstrumentation }, { PgInstrumentation }, { IORedisInstrumentation }, { FastifyOtelInstrumentation }] = await Promise.all([
    import('@opentelemetry/sdk-node'),
    import('@opentelemetry/instrumentation-http'),
    import('@opentelemetry/instrumentation-pg'),
    import('@opentelemetry/instrumentation-ioredis'),
    import('@fastify/otel'),
  ]);
  sdk = new NodeSDK({
    serviceName: env.OTEL_SERVICE_NAME ?? 'gatehouse',
    instrumentations: [
      new HttpInstrumentation(),
      new FastifyOtelInstrumentation({ registerOnInitialization: true }),
      // Statement text only: the parameters carry token digests and password hashes.
      new PgInstrumentation({ enhancedDatabaseReporting: false }),
      new IORedisInstrumentation(),
    ],
  });
  sdk.start();
  return true;
}

/** Flushes the spans still buffered; called when the application shuts down. */
export async function stopTracing(): Promise<void> {
  const running = sdk;
  sdk = undefined;
  await running?.shutdown();
}
