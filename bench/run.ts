/**
 * npm run bench [-- --quick] — see bench/README.md.
 *
 * Builds the server, starts it as production would (`node dist/main.js`) on a
 * fresh SQLite file (and on a fresh PostgreSQL database when
 * BENCH_DATABASE_URL is set), starts node-oidc-provider and a raw-bcrypt
 * process beside it, measures every figure by alternating its A and B runs,
 * and prints one table of ratios of medians. Progress goes to stderr; stdout
 * gets the table only.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { resolve } from 'node:path';
import { FIGURES, type FigureContext, type FigureResult, rssResult, title } from './figures.js';
import { startBarePeer } from './lib/bare-peer.js';
import { startBcryptPeer } from './lib/bcrypt-peer.js';
import { type BenchDatabase, freshDatabase } from './lib/database.js';
import { type Gatehouse, startGatehouse } from './lib/gatehouse.js';
import { startOidcPeer } from './lib/oidc-peer.js';
import { type BenchOptions, parseOptions } from './lib/options.js';
import { runProfiles } from './profile.js';
import { renderTable } from './lib/table.js';

const started = performance.now();
const progress = (message: string) => process.stderr.write(`[bench ${((performance.now() - started) / 1000).toFixed(1).padStart(6)} s] ${message}\n`);

async function main(): Promise<void> {
  const options = parseOptions(process.argv.slice(2), process.env);
  if (options.build) {
    progress('npm run build');
    const build = spawnSync('npm', ['run', 'build'], { stdio: ['ignore', process.stderr, process.stderr] });
    if (build.status !== 0) throw new Error('npm run build failed');
  }
  const entry = resolve(options.dist, 'main.js');
  if (!existsSync(entry)) throw new Error(`${entry} does not exist; run without --no-build, or npm run build first`);
  options.dist = resolve(options.dist);
  if (options.profile) {
    await runProfiles(options, progress);
    return;
  }
  const { results, rss } = await measure(options);
  results.sort((x, y) => x.figure - y.figure || options.dialects.indexOf(x.dialect) - options.dialects.indexOf(y.dialect));
  process.stdout.write(`${describeRun(options)}\n\n${renderTable(results, rss)}`);
  if (options.json) {
    writeFileSync(
      options.json,
      `${JSON.stringify({ run: describeRun(options), machine: machine(), options: { ...options, only: [...options.only] }, results, rss: Object.fromEntries(rss) }, null, 2)}\n`,
    );
  }
}

async function measure(options: BenchOptions): Promise<{ results: FigureResult[]; rss: Map<string, number> }> {
  const results: FigureResult[] = [];
  const rss = new Map<string, number>();
  const wanted = (figure: number) => options.only.has(figure);
  // Start-up is slow (Nest, bcrypt hashes at full cost): the peers start while the server does.
  const peerStart = wanted(2) || wanted(13) ? startOidcPeer() : Promise.resolve(undefined);
  const bcryptStart = wanted(3) ? startBcryptPeer(options.bcryptCost, options.poolSize) : Promise.resolve(undefined);
  // Their failure is reported where they are awaited, not as an unhandled rejection in the meantime.
  for (const start of [peerStart, bcryptStart]) start.catch(() => undefined);
  try {
    for (const dialect of options.dialects) {
      const databases = await Promise.all([freshDatabase(dialect), wanted(6) || wanted(9) ? freshDatabase(dialect) : undefined]);
      const start = (name: string, database: BenchDatabase) =>
        startGatehouse({ name, entry: `${options.dist}/main.js`, databaseUrl: database.url, bcryptCost: options.bcryptCost, poolSize: options.poolSize });
      const servers = await Promise.allSettled([
        start(`gatehouse-${dialect}`, databases[0]),
        databases[1] ? start(`gatehouse-seeded-${dialect}`, databases[1]) : undefined,
      ]);
      const [server, seeded] = servers.map((s) => (s.status === 'fulfilled' ? s.value : undefined));
      let barePeer: Awaited<ReturnType<typeof startBarePeer>> | undefined;
      try {
        for (const s of servers) if (s.status === 'rejected') throw s.reason;
        // It verifies this server's tokens, so it starts once this server publishes its keys.
        barePeer = wanted(7) || wanted(8) ? await startBarePeer(server!.url) : undefined;
        const [peer, bcryptPeer] = await Promise.all([peerStart, bcryptStart]);
        const ctx: FigureContext = {
          options,
          dialect,
          server: server!,
          seeded: seeded && databases[1] ? { server: seeded, database: databases[1] } : undefined,
          peerUrl: peer?.url ?? '',
          barePeerUrl: barePeer?.url ?? '',
          bcryptPeer: bcryptPeer!,
          progress,
          rss,
        };
        // Figure 6 first: its empty side is the main server, before the other figures add rows.
        // Figure 9 next, on the same seeded server, which then stops to leave the machine to the rest.
        for (const figure of [6, 9, 1, 7, 2, 8, 3, 4, 5]) {
          if (!wanted(figure)) continue;
          progress(`figure ${figure} (${dialect}): ${title(figure, options)}`);
          results.push(await FIGURES[figure](ctx));
          if (figure === 9 || (figure === 6 && !wanted(9))) await stopSeeded(seeded, dialect, rss);
        }
        const peak = server!.peakRssMiB();
        if (peak !== null) rss.set(`gatehouse (${dialect})`, peak);
      } finally {
        await Promise.all([server?.stop(), stopSeeded(seeded, dialect, rss), barePeer?.stop()]);
        for (const database of databases) await database?.drop();
      }
    }
    const peerPeak = (await peerStart)?.peakRssMiB();
    if (peerPeak) rss.set('node-oidc-provider', peerPeak);
    if (wanted(13) && peerPeak) {
      for (const dialect of options.dialects) {
        const peaks = [rss.get(`gatehouse (${dialect})`), rss.get(`gatehouse seeded (${dialect})`)].filter((mib) => mib !== undefined);
        if (peaks.length) results.push(rssResult(options, dialect, Math.max(...peaks), peerPeak));
      }
    }
  } finally {
    await Promise.allSettled([peerStart.then((peer) => peer?.stop()), bcryptStart.then((peer) => peer?.stop())]);
  }
  return { results, rss };
}

/** Stops figure 6 and 9's server (once), keeping its peak memory for figure 13. */
async function stopSeeded(seeded: Gatehouse | undefined, dialect: string, rss: Map<string, number>): Promise<void> {
  if (!seeded || seeded.process.exitCode !== null || seeded.process.signalCode !== null) return;
  const peak = seeded.peakRssMiB();
  if (peak !== null) rss.set(`gatehouse seeded (${dialect})`, peak);
  await seeded.stop();
}

function machine(): { nproc: number; cpu: string; node: string } {
  return { nproc: cpus().length, cpu: cpus()[0]?.model.trim() ?? 'unknown', node: process.version };
}

function describeRun(options: BenchOptions): string {
  const m = machine();
  return [
    `Gatehouse benchmark (${options.quick ? 'quick' : 'full'}), ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC`,
    `machine: ${m.nproc} × ${m.cpu}, node ${m.node}; UV_THREADPOOL_SIZE=${options.poolSize}, bcrypt cost ${options.bcryptCost}`,
    `method: ${options.rounds} alternating A/B runs of ${options.seconds} s after a ${options.warmupSeconds} s warm-up each; medians; ${options.connections} connections`,
  ].join('\n');
}

main().catch((error: unknown) => {
  process.stderr.write(`bench failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
