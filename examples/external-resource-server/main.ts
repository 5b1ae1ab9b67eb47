import type { AddressInfo } from 'node:net';
import { createResourceServer, discover } from './resource-server.js';

/**
 *   GATEHOUSE_ISSUER=http://localhost:3000 node --import tsx examples/external-resource-server/main.ts
 *
 * GATEHOUSE_ISSUER (required): Gatehouse's ISSUER. GATEHOUSE_AUDIENCE: the `aud` of its tokens
 * (default: the issuer, as Gatehouse does). PORT (default 4000; 0 picks a free one), HOST (default 127.0.0.1).
 */
async function main(): Promise<void> {
  const issuer = process.env.GATEHOUSE_ISSUER?.replace(/\/+$/, '');
  if (!issuer) throw new Error('Set GATEHOUSE_ISSUER to the issuer of the Gatehouse whose tokens this server accepts');
  const audience = process.env.GATEHOUSE_AUDIENCE || issuer;
  const jwksUri = await discover(issuer);
  const server = createResourceServer({ issuer, audience, jwksUri });
  server.listen(Number(process.env.PORT ?? 4000), process.env.HOST ?? '127.0.0.1', () => {
    const { address, port } = server.address() as AddressInfo;
    process.stdout.write(`external resource server listening on http://${address}:${port} (tokens of ${issuer}, keys from ${jwksUri.href})\n`);
  });
  const stop = () => server.close(() => process.exit(0));
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
