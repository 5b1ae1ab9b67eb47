import { fileURLToPath } from 'node:url';
import { CLIENT, MACHINE_SCOPE } from './gatehouse.js';
import { type Child, freePort, startChild } from './processes.js';

const SCRIPT = fileURLToPath(new URL('../peers/oidc-provider.ts', import.meta.url));

/** node-oidc-provider (bench/peers/oidc-provider.ts) with the bench's client, the same id and secret as Gatehouse's. */
export async function startOidcPeer(): Promise<Child & { url: string }> {
  const port = await freePort();
  const child = await startChild('node-oidc-provider', process.execPath, ['--import', 'tsx', SCRIPT], {
    env: {
      ...process.env,
      NODE_ENV: 'production',
      PORT: String(port),
      CLIENT_ID: CLIENT.clientId,
      CLIENT_SECRET: CLIENT.clientSecret,
      SCOPE: MACHINE_SCOPE,
    },
    ready: /^listening /m,
  });
  return { ...child, url: `http://127.0.0.1:${port}` };
}
