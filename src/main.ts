import { startTracing } from './telemetry/tracing.js';

/**
 * The entry point. Tracing (when configured) must be running before the
 * server's modules load, so the server is imported only afterwards.
 */
try {
  await startTracing();
} catch (error) {
  process.stderr.write(`Gatehouse failed to start tracing: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
}
await import('./server.js');
