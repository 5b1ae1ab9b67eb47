/**
 * npm run bench -- --profile: one fresh server per hot path, run under
 * `node --cpu-prof`, driven by that path's load alone; the samples taken under
 * load (start-up and warm-up cut off) are summarised as top self-time
 * functions and time per package. Profiles and summary.md are written to
 * bench/results/profiles/<time>/ (open a .cpuprofile in Chrome DevTools or
 * speedscope for the flame graph).
 */
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { machineTokenCall, me, METADATA, refreshChains, tokenCall } from './lib/calls.js';
import { renderSummary, summarise } from './lib/cpuprofile.js';
import { freshDatabase } from './lib/database.js';
import { adminAccessToken, type Gatehouse, passwordForm, startGatehouse } from './lib/gatehouse.js';
import { cannon } from './lib/load.js';
import type { BenchOptions } from './lib/options.js';

interface HotPath {
  key: string;
  title: string;
  drive: (server: Gatehouse, seconds: number) => Promise<unknown>;
}

export async function runProfiles(options: BenchOptions, progress: (message: string) => void): Promise<void> {
  const root = process.cwd();
  const dir = resolve(root, 'bench/results/profiles', new Date().toISOString().replace(/[:.]/g, '-'));
  const seconds = options.quick ? 3 : 15;
  const connections = options.connections;
  const passwordConcurrency = Math.max(4, 2 * options.poolSize);
  const paths: HotPath[] = [
    {
      key: 'public',
      title: `Public request (the baseline of figure 1): GET /.well-known/oauth-authorization-server, ${connections} connections`,
      drive: (server, s) => cannon(server.url, METADATA, connections, s),
    },
    {
      key: 'guarded',
      title: `Guarded request: GET /me, ${connections} connections`,
      drive: async (server, s) => cannon(server.url, me(await adminAccessToken(server.url)), connections, s),
    },
    {
      key: 'client-credentials',
      title: `client_credentials grant, ${connections} connections`,
      drive: (server, s) => cannon(server.url, machineTokenCall(server), connections, s),
    },
    {
      key: 'password',
      title: `Password grant, ${passwordConcurrency} in flight, bcrypt cost ${options.bcryptCost}`,
      drive: (server, s) => cannon(server.url, tokenCall(passwordForm()), passwordConcurrency, s),
    },
    {
      key: 'refresh',
      title: `Refresh grant, ${connections} chains of rotations`,
      drive: (() => {
        let chains: ReturnType<typeof refreshChains> | undefined;
        return (server: Gatehouse, s: number) => (chains ??= refreshChains(server.url, connections)).run(s);
      })(),
    },
  ];
  const sections: string[] = [];
  for (const path of paths) {
    progress(`profiling ${path.key} for ${seconds} s`);
    const profileDir = resolve(dir, path.key);
    mkdirSync(profileDir, { recursive: true });
    const database = await freshDatabase(options.dialects[0]);
    const server = await startGatehouse({
      name: `gatehouse-${path.key}`,
      entry: `${options.dist}/main.js`,
      databaseUrl: database.url,
      bcryptCost: options.bcryptCost,
      poolSize: options.poolSize,
      profileDir,
    });
    let from: number;
    let to: number;
    try {
      await path.drive(server, Math.min(2, seconds)); // warm-up: JIT, caches
      from = await mark(server);
      await path.drive(server, seconds);
      to = await mark(server);
    } finally {
      await server.stop();
      await database.drop();
    }
    const file = readdirSync(profileDir).find((name) => name.endsWith('.cpuprofile'));
    if (!file) throw new Error(`no .cpuprofile in ${profileDir}`);
    sections.push(renderSummary(path.title, summarise(resolve(profileDir, file), from, to, root)));
  }
  const header = `Profiles of ${options.dialects[0]} runs, ${seconds} s of load each; UV_THREADPOOL_SIZE=${options.poolSize}, node ${process.version}.\n`;
  const summary = `${header}\n${sections.join('\n')}`;
  writeFileSync(resolve(dir, 'summary.md'), summary);
  process.stdout.write(summary);
  progress(`profiles and summary.md in ${dir}`);
}

/** The server's monotonic clock in µs (the clock of its profile), asked over IPC. */
function mark(server: Gatehouse): Promise<number> {
  return new Promise((resolveMark, reject) => {
    const timer = setTimeout(() => reject(new Error('no answer to mark')), 5000);
    server.process.once('message', (message: { mark: number }) => {
      clearTimeout(timer);
      resolveMark(message.mark);
    });
    server.process.send('mark');
  });
}
