/**
 * npm run keys:rotate — adds a new active signing key to the shared key set.
 * The previous key stays published until every token it signed has expired,
 * and running instances pick the new key up within a minute (at once with
 * REDIS_URL). Same environment as the server.
 */
import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { AppModule } from '../app.module.js';
import { KeySetService } from '../auth/keys/key-set.service.js';
import { loadAppConfig } from '../config/app.config.js';

async function rotate(): Promise<void> {
  loadAppConfig(process.env);
  const app = await NestFactory.createApplicationContext(AppModule, { logger: ['error'], abortOnError: false });
  try {
    const { kid, retired } = await app.get(KeySetService).rotate(null);
    process.stdout.write(`New signing key ${kid} is active; retired: ${retired.join(', ') || 'none'}\n`);
  } finally {
    await app.close();
  }
}

rotate().catch((error: unknown) => {
  process.stderr.write(`Key rotation failed: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
