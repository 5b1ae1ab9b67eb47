import bcrypt from 'bcrypt';
import { alternate, median } from './lib/alternate.js';
import type { BcryptPeer } from './lib/bcrypt-peer.js';
import type { BenchDatabase, Dialect } from './lib/database.js';
import { clientCredentialsLoop, machineTokenCall, me, METADATA, refreshChains, tokenCall } from './lib/calls.js';
import { adminAccessToken, CLIENT, clientCredentialsForm, type Gatehouse, passwordForm, token } from './lib/gatehouse.js';
import { cannon, paced, startStorm, type Throughput } from './lib/load.js';
import type { BenchOptions } from './lib/options.js';
import { seed, seededRefreshToken } from './lib/seed.js';

/** One row of the table: median of the A runs ÷ median of the B runs, against a target. */
export interface FigureResult {
  figure: number;
  title: string;
  dialect: Dialect;
  a: Measured;
  b: Measured;
  ratio: number;
  target: { op: '>=' | '<='; value: number };
  notes: string[];
}

export interface Measured {
  label: string;
  unit: string;
  median: number;
  runs: number[];
}

export interface FigureContext {
  options: BenchOptions;
  dialect: Dialect;
  server: Gatehouse;
  peerUrl: string;
  bcryptPeer: BcryptPeer;
  /** Figure 6's second server, on a database of its own. */
  seeded?: { server: Gatehouse; database: BenchDatabase };
  progress: (message: string) => void;
  /** Peak RSS per process, by name. */
  rss: Map<string, number>;
}

const compact = (n: number) => (n >= 1e6 ? `${n / 1e6}M` : n >= 1e3 ? `${n / 1e3}k` : String(n));

export function title(figure: number, options: BenchOptions): string {
  if (figure === 6) return `guarded rps, ${compact(options.seed.refreshTokens)} refresh tokens + ${compact(options.seed.users)} users ÷ empty db`;
  return TITLES[figure];
}

const TITLES: Record<number, string> = {
  1: 'guarded GET /me rps ÷ public metadata rps',
  2: 'client_credentials rps ÷ node-oidc-provider rps',
  3: 'password grant rate ÷ raw bcrypt.compare rate',
  4: 'refresh-grant rate (chains) ÷ client_credentials rate',
  5: 'guarded p99 in a password storm ÷ idle guarded p99',
};

const TARGETS: Record<number, FigureResult['target']> = {
  1: { op: '>=', value: 0.85 },
  2: { op: '>=', value: 1.0 },
  3: { op: '>=', value: 0.85 },
  4: { op: '>=', value: 0.5 },
  5: { op: '<=', value: 3 },
  6: { op: '>=', value: 0.9 },
};

export const FIGURES: Record<number, (ctx: FigureContext) => Promise<FigureResult>> = {
  /** The price of authentication: the same app, the same Fastify, one route behind the guard and one open. */
  1: async (ctx) => {
    const { server, options } = ctx;
    const guarded = me(await adminAccessToken(server.url));
    const runs = await alternate(
      options.rounds,
      options.warmupSeconds,
      options.seconds,
      (s) => cannon(server.url, guarded, options.connections, s),
      (s) => cannon(server.url, METADATA, options.connections, s),
    );
    return throughputResult(ctx, 1, runs, ['GET /me', 'metadata']);
  },

  /** Against a real peer doing the same job: sign an ES256 JWT for a client_secret_basic client. */
  2: async (ctx) => {
    const { server, options, peerUrl } = ctx;
    const runs = await alternate(
      options.rounds,
      options.warmupSeconds,
      options.seconds,
      (s) => cannon(server.url, machineTokenCall(server), options.connections, s),
      (s) => cannon(peerUrl, tokenCall(clientCredentialsForm(), '/token'), options.connections, s),
    );
    return throughputResult(ctx, 2, runs, ['gatehouse', 'oidc-provider']);
  },

  /** Against the physical limit: a password grant can be no faster than the bcrypt comparison inside it. */
  3: async (ctx) => {
    const { server, options, bcryptPeer } = ctx;
    const concurrency = passwordConcurrency(options);
    const runs = await alternate(
      options.rounds,
      options.warmupSeconds,
      options.seconds,
      async (s) => (await cannon(server.url, tokenCall(passwordForm()), concurrency, s)).rps,
      async (s) => bcryptPeer.rate(s, concurrency),
    );
    return result(ctx, 3, { label: 'password', unit: '/s', runs: runs.a }, { label: 'bcrypt', unit: '/s', runs: runs.b }, [
      `${concurrency} in flight, cost ${options.bcryptCost}`,
    ]);
  },

  /** Rotation is a read, a conditional update and an insert in one transaction; client_credentials writes nothing. */
  4: async (ctx) => {
    const { server, options } = ctx;
    const refresh = refreshChains(server.url, options.connections);
    const clientCredentials = clientCredentialsLoop(server, options.connections);
    const runs = await alternate(
      options.rounds,
      options.warmupSeconds,
      options.seconds,
      (s) => refresh.run(s),
      (s) => clientCredentials.run(s),
    );
    return throughputResult(ctx, 4, runs, ['refresh', 'client_credentials']);
  },

  /** bcrypt runs on the libuv pool: a login storm must not stall the event loop that serves everyone else. */
  5: async (ctx) => {
    const { server, options } = ctx;
    const guarded = me(await adminAccessToken(server.url));
    const stormConnections = 2 * passwordConcurrency(options);
    const storms: Throughput[] = [];
    const runs = await alternate(
      options.rounds,
      options.warmupSeconds,
      options.seconds,
      async (s) => {
        const storm = startStorm(server.url, tokenCall(passwordForm()), stormConnections, s + 30);
        // Let the pool fill before measuring.
        await sleep(Math.min(1000, s * 250));
        const sample = await paced(server.url, guarded, options.pacedRate, s);
        storms.push(await storm.stop());
        return sample;
      },
      (s) => paced(server.url, guarded, options.pacedRate, s),
    );
    const failed = [...runs.a, ...runs.b].reduce((sum, r) => sum + r.failed, 0);
    const notes = [
      `${options.pacedRate} req/s paced; storm: ${stormConnections} connections, ${median(storms.map((s) => s.rps)).toFixed(1)} logins/s`,
      `p50 ${median(runs.a.map((r) => r.p50Ms)).toFixed(2)} ms in storm vs ${median(runs.b.map((r) => r.p50Ms)).toFixed(2)} ms idle`,
    ];
    if (failed > 0) notes.push(`${failed} guarded requests failed`);
    return result(
      ctx,
      5,
      { label: 'storm p99', unit: 'ms', runs: runs.a.map((r) => r.p99Ms) },
      { label: 'idle p99', unit: 'ms', runs: runs.b.map((r) => r.p99Ms) },
      notes,
    );
  },

  /**
   * Nothing on the guarded path may grow with the data. Runs first, while the
   * main server's database is still as bootstrapped (the empty side); the
   * seeded side is a second server, started beside it, whose database is
   * filled once it has migrated it.
   */
  6: async (ctx) => {
    const { options, dialect, progress, server: empty } = ctx;
    const { users, refreshTokens, tokensPerFamily } = options.seed;
    const seeded = ctx.seeded;
    if (!seeded) throw new Error('figure 6 needs the seeded server');
    progress(`seeding ${users} users and ${refreshTokens} refresh tokens (${dialect})`);
    const seededAt = performance.now();
    await seed(seeded.database, options.seed, await bcrypt.hash('bench-user-password', options.bcryptCost), CLIENT.clientId);
    const seedSeconds = (performance.now() - seededAt) / 1000;
    // The seeded rows are real to the server: the newest token of the first family refreshes.
    await token(seeded.server.url, { grant_type: 'refresh_token', refresh_token: seededRefreshToken(tokensPerFamily - 1) });
    const seededCall = me(await adminAccessToken(seeded.server.url));
    const emptyCall = me(await adminAccessToken(empty.url));
    const runs = await alternate(
      options.rounds,
      options.warmupSeconds,
      options.seconds,
      (s) => cannon(seeded.server.url, seededCall, options.connections, s),
      (s) => cannon(empty.url, emptyCall, options.connections, s),
    );
    const rss = seeded.server.peakRssMiB();
    if (rss !== null) ctx.rss.set(`gatehouse seeded (${dialect})`, rss);
    return throughputResult(
      ctx,
      6,
      runs,
      ['seeded', 'empty'],
      [`${users} users, ${refreshTokens} refresh tokens in families of ${tokensPerFamily}; seeded in ${seedSeconds.toFixed(1)} s`],
    );
  },
};

/** Enough comparisons in flight to keep every pool thread busy, as a real login burst would. */
function passwordConcurrency(options: BenchOptions): number {
  return Math.max(4, 2 * options.poolSize);
}

function throughputResult(
  ctx: FigureContext,
  figure: number,
  runs: { a: Throughput[]; b: Throughput[] },
  labels: [string, string],
  notes: string[] = [],
): FigureResult {
  const failedA = runs.a.reduce((sum, r) => sum + r.failed, 0);
  const failedB = runs.b.reduce((sum, r) => sum + r.failed, 0);
  if (failedA) notes.push(`${labels[0]}: ${failedA} failed requests`);
  if (failedB) notes.push(`${labels[1]}: ${failedB} failed requests`);
  return result(
    ctx,
    figure,
    { label: labels[0], unit: 'rps', runs: runs.a.map((r) => r.rps) },
    { label: labels[1], unit: 'rps', runs: runs.b.map((r) => r.rps) },
    notes,
  );
}

function result(ctx: FigureContext, figure: number, a: Omit<Measured, 'median'>, b: Omit<Measured, 'median'>, notes: string[]): FigureResult {
  const ma = { ...a, median: median(a.runs) };
  const mb = { ...b, median: median(b.runs) };
  return { figure, title: title(figure, ctx.options), dialect: ctx.dialect, a: ma, b: mb, ratio: ma.median / mb.median, target: TARGETS[figure], notes };
}

const sleep = (ms: number) => new Promise((done) => setTimeout(done, ms));
