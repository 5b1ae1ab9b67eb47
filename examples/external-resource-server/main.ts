import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { AppModule } from './app.module.js';

/**
 *   npm run build && GATEHOUSE_ISSUER=… GATEHOUSE_CLIENT_ID=… GATEHOUSE_CLIENT_SECRET=… \
 *     node examples/external-resource-server/dist/main.js
 *
 * PORT (default 4000; 0 picks a free one), HOST (default 127.0.0.1). See README.md for the rest.
 */
async function main(): Promise<void> {
  const app = await NestFactory.create<NestFastifyApplication>(AppModule, new FastifyAdapter(), { logger: ['error', 'warn'] });
  app.enableShutdownHooks();
  await app.listen(Number(process.env.PORT ?? 4000), process.env.HOST ?? '127.0.0.1');
  process.stdout.write(`external resource server listening on ${(await app.getUrl()).replace('[::1]', '127.0.0.1')}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
