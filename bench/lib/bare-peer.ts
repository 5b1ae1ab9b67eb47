import { fileURLToPath } from 'node:url';
import { CLIENT, MACHINE_SCOPE } from './gatehouse.js';
import { type Child, freePort, startChild } from './processes.js';

const SCRIPT = fileURLToPath(new URL('../peers/bare-fastify.ts', import.meta.url));

/**
 * bench/peers/bare-fastify.ts beside one Gatehouse: it verifies that server's tokens (its JWKS,
 * fetched once) and issues client_credentials tokens to the bench's client, with the same
 * issuer and audience.
 */
export async function startBarePeer(gatehouseUrl: string): Promise<Child & { url: string }> {
  const port = await freePort();
  const child = await startChild('bare-fastify', process.execPath, ['--import', 'tsx', SCRIPT], {
    env: {
      ...process.env,
      NODE_ENV: 'production',
      PORT: String(port),
      JWKS_URL: `${gatehouseUrl}/.well-known/jwks.json`,
      ISSUER: gatehouseUrl,
      AUDIENCE: gatehouseUrl,
      CLIENT_ID: CLIENT.clientId,
      CLIENT_SECRET: CLIENT.clientSecret,
      SCOPE: MACHINE_SCOPE,
    },
    ready: /^listening /m,
  });
  return { ...child, url: `http://127.0.0.1:${port}` };
}
