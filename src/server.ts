import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { AppModule } from './app.module.js';
import { configureApp, createAdapter } from './app.setup.js';
import { ConfigValidationError, loadAppConfig } from './config/app.config.js';

async function main(): Promise<void> {
  // Fail before anything starts, with one line naming the bad variable.
  const config = loadAppConfig(process.env);
  // No logger until pino takes over in configureApp: a failure to start is reported below in one
  // line, not as Nest's start-up chatter and stack traces in another format.
  const app = await NestFactory.create<NestFastifyApplication>(AppModule, createAdapter(config), {
    logger: false,
    abortOnError: false,
  });
  await configureApp(app);
  await app.listen({ port: config.port, host: config.host });
  app.get(AppModule); // keeps the module graph referenced for the process lifetime
  process.stdout.write(`Gatehouse listening on http://${config.host}:${config.port} (issuer ${config.issuer})\n`);
}

main().catch((error: unknown) => {
  if (error instanceof ConfigValidationError) {
    process.stderr.write(`${error.message}\n`);
  } else {
    process.stderr.write(`Gatehouse failed to start: ${error instanceof Error ? error.message : String(error)}\n`);
  }
  process.exit(1);
});
