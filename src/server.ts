import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { AddressInfo } from 'node:net';
import { AppModule } from './app.module.js';
import { configureApp, createAdapter } from './app.setup.js';
import { ConfigValidationError, loadAppConfig } from './config/app.config.js';
import { alwaysShown, ROOT_LOGGER } from './logging/root-logger.js';

async function main(): Promise<void> {
  // Fail before anything starts, with one line naming the bad variable.
  const config = loadAppConfig(process.env);
  // Logs are held until pino takes over in configureApp, and dropped if start-up fails before
  // that: the failure is reported below in one line, not as Nest's chatter and stack traces.
  const app = await NestFactory.create<NestFastifyApplication>(AppModule, createAdapter(config), {
    bufferLogs: true,
    autoFlushLogs: false,
    abortOnError: false,
  });
  await configureApp(app);
  await app.listen({ port: config.port, host: config.host });
  app.get(AppModule); // keeps the module graph referenced for the process lifetime
  const { address, port } = app.getHttpServer().address() as AddressInfo;
  // Clients must use the issuer, not the bound address: openid-client and others refuse metadata
  // whose issuer differs from the URL they discovered it from ("localhost" is not "127.0.0.1").
  alwaysShown(app.get(ROOT_LOGGER), 'Gatehouse').info(
    `Gatehouse listening on ${address}:${port}. Use ${config.issuer}: it is the issuer, and clients discover from ${config.issuer}/.well-known/oauth-authorization-server`,
  );
}

/** One line for the person starting the server, never a stack trace. */
function describeStartupFailure(error: unknown): string {
  if (error instanceof ConfigValidationError) return error.message;
  const { code, address, port } = (error ?? {}) as { code?: unknown; address?: unknown; port?: unknown };
  if (code === 'EADDRINUSE') {
    return `Gatehouse failed to start: ${String(address)}:${String(port)} is already in use (is another server running there? stop it, or set PORT)`;
  }
  return `Gatehouse failed to start: ${error instanceof Error ? error.message : String(error)}`;
}

main().catch((error: unknown) => {
  process.stderr.write(`${describeStartupFailure(error)}\n`);
  process.exit(1);
});
