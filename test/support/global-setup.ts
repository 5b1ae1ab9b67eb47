import { createConnection } from 'node:net';
import pg from 'pg';

/**
 * CI names its services in TEST_DATABASE_URL and TEST_REDIS_URL. A named
 * service that cannot be reached fails the whole run here, loudly, instead of
 * letting its half of the suite skip in silence.
 */
export default async function globalSetup(): Promise<void> {
  const databaseUrl = process.env.TEST_DATABASE_URL;
  if (databaseUrl) {
    const client = new pg.Client({ connectionString: databaseUrl, connectionTimeoutMillis: 3000 });
    try {
      await client.connect();
      await client.query('SELECT 1');
    } catch (error) {
      throw new Error(`TEST_DATABASE_URL is set but PostgreSQL cannot be reached at ${redact(databaseUrl)}: ${(error as Error).message}`, { cause: error });
    } finally {
      await client.end().catch(() => undefined);
    }
  }
  const redisUrl = process.env.TEST_REDIS_URL;
  if (redisUrl) await pingRedis(redisUrl);
}

function redact(url: string): string {
  const parsed = new URL(url);
  if (parsed.password) parsed.password = '***';
  return parsed.toString();
}

function pingRedis(url: string): Promise<void> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = createConnection({ host: hostname, port: Number(port || 6379), timeout: 3000 });
    const fail = (reason: string) => {
      socket.destroy();
      reject(new Error(`TEST_REDIS_URL is set but Redis cannot be reached at ${url}: ${reason}`));
    };
    socket.once('connect', () => socket.write('PING\r\n'));
    socket.once('data', (data) => {
      socket.end();
      if (data.toString().startsWith('+PONG')) resolve();
      else fail(`unexpected reply ${JSON.stringify(data.toString().trim())}`);
    });
    socket.once('timeout', () => fail('timed out'));
    socket.once('error', (error) => fail(error.message));
  });
}
