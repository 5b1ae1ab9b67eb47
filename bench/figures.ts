import bcrypt from 'bcrypt';
import { alternate, median } from './lib/alternate.js';
import type { BcryptPeer } from './lib/bcrypt-peer.js';
import type { BenchDatabase, Dialect } from './lib/database.js';
import { clientCredentialsLoop, me, METADATA, refreshChains, tokenCall } from './lib/calls.js';
import { adminAccessToken, CLIENT, clientCredentialsForm, type Gatehouse, passwordForm, token } from './lib/gatehouse.js';
import { cannon, cannonCycling, type HttpCall, paced, startStorm, type Throughput } from './lib/load.js';
import type { BenchOptions } from './lib/options.js';
import { SEEDED_USER_PASSWORD, seed, seededRefreshToken, seededUsername } from './lib/seed.js';

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
  /** bench/peers/bare-fastify.ts beside this dialect's server: figures 7 and 8's floor. */
  barePeerUrl: string;
  bcryptPeer: BcryptPeer;
  /** Figures 6 and 9's second server, on a database of its own, seeded by whichever runs first. */
  seeded?: { server: Gatehouse; database: BenchDatabase; seededIn?: Promise<number> };
  progress: (message: string) => void;
  /** Peak RSS per process, by name. */
  rss: Map<string, number>;
}

const compact = (n: number) => (n >= 1e6 ? `${n / 1e6}M` : n >= 1e3 ? `${n / 1e3}k` : String(n));

export function title(figure: number, options: BenchOptions): string {
  if (figure === 6) return `guarded rps, ${compact(options.seed.refreshTokens)} refresh tokens + ${compact(options.seed.users)} users ÷ empty db`;
  if (figure === 9) return `guarded GET /me, ${compact(cycledTokens(options))} user tokens cycled ÷ 1 token`;
  return TITLES[figure];
}

/** Real traffic carries one token per user: figure 9 cycles this many (bounded by the seeded users). */
const cycledTokens = (options: BenchOptions) => Math.min(options.quick ? 200 : 20_000, options.seed.users);

const TITLES: Record<number, string> = {
  1: 'guarded GET /me rps ÷ public metadata rps',
  2: 'client_credentials rps ÷ node-oidc-provider rps',
  3: 'password grant rate ÷ raw bcrypt.compare rate',
  4: 'refresh-grant rate (chains) ÷ client_credentials rate',
  5: 'guarded p99 in a password storm ÷ idle guarded p99',
  7: 'guarded GET /me ÷ bare Fastify verifying the same ES256 token',
  8: 'client_credentials ÷ bare Fastify token endpoint',
  13: 'peak RSS under the bench ÷ node-oidc-provider peak RSS',
};

const TARGETS: Record<number, FigureResult['target']> = {
  1: { op: '>=', value: 0.85 },
  2: { op: '>=', value: 1.5 },
  3: { op: '>=', value: 0.85 },
  4: { op: '>=', value: 0.6 },
  5: { op: '<=', value: 3 },
  6: { op: '>=', value: 0.9 },
  7: { op: '>=', value: 0.7 },
  8: { op: '>=', value: 0.8 },
  9: { op: '>=', value: 0.8 },
  13: { op: '<=', value: 1.0 },
};

export const FIGURES: Record<number, (ctx: FigureContext) => Promise<FigureResult>> = {
  /** The price of authentication: the same app, the same Fastify, one route behind the guard and one open. */
  1: async (ctx) => {
    const { server } = ctx;
    return cannonPair(ctx, 1, [server.url, me(await adminAccessToken(server.url))], [server.url, METADATA], ['GET /me', 'metadata']);
  },

  /** Against a real peer doing the same job: sign an ES256 JWT for a client_secret_basic client. */
  2: async (ctx) =>
    cannonPair(
      ctx,
      2,
      [ctx.server.url, tokenCall(clientCredentialsForm())],
      [ctx.peerUrl, tokenCall(clientCredentialsForm(), '/token')],
      ['gatehouse', 'oidc-provider'],
    ),

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
    const clientCredentials = clientCredentialsLoop(server.url, options.connections);
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
    const { options, server: empty } = ctx;
    const { users, refreshTokens, tokensPerFamily } = options.seed;
    const seeded = await seededServer(ctx);
    const seedSeconds = await ctx.seeded!.seededIn!;
    // The seeded rows are real to the server: the newest token of the first family refreshes.
    await token(seeded.url, { grant_type: 'refresh_token', refresh_token: seededRefreshToken(tokensPerFamily - 1) });
    return cannonPair(
      ctx,
      6,
      [seeded.url, me(await adminAccessToken(seeded.url))],
      [empty.url, me(await adminAccessToken(empty.url))],
      ['seeded', 'empty'],
      [`${users} users, ${refreshTokens} refresh tokens in families of ${tokensPerFamily}; seeded in ${seedSeconds.toFixed(1)} s`],
    );
  },

  /** The price of Nest, the auth model and the response DTO over the least a Fastify route can do with the same token. */
  7: async (ctx) => {
    const guarded = me(await adminAccessToken(ctx.server.url));
    return cannonPair(ctx, 7, [ctx.server.url, guarded], [ctx.barePeerUrl, guarded], ['gatehouse', 'bare fastify']);
  },

  /** The same closed loop of client_credentials requests against Gatehouse and against the bare endpoint. */
  8: async (ctx) =>
    cannonPair(
      ctx,
      8,
      [ctx.server.url, tokenCall(clientCredentialsForm())],
      [ctx.barePeerUrl, tokenCall(clientCredentialsForm(), '/token')],
      ['gatehouse', 'bare fastify'],
    ),

  /**
   * One token per user, as in real traffic: every request of side A carries another user's token, so
   * the guard's caches see as many distinct tokens and users as the seeded database can give; side B
   * sends one of those tokens over and over.
   */
  9: async (ctx) => {
    const { options, progress } = ctx;
    const seeded = await seededServer(ctx);
    const count = cycledTokens(options);
    progress(`signing in ${count} seeded users`);
    const tokens = await userAccessTokens(seeded.url, count, 2 * options.connections);
    const one = me(tokens[0]);
    const runs = await alternate(
      options.rounds,
      options.warmupSeconds,
      options.seconds,
      (s) => cannonCycling(seeded.url, '/me', tokens, options.connections, s),
      (s) => cannon(seeded.url, one, options.connections, s),
    );
    return throughputResult(ctx, 9, runs, [`${compact(count)} tokens`, '1 token']);
  },
};

/** Figures 6 and 9's server, seeded once by whichever of them runs first. */
async function seededServer(ctx: FigureContext): Promise<Gatehouse> {
  const seeded = ctx.seeded;
  if (!seeded) throw new Error(`figures 6 and 9 need the seeded server`);
  seeded.seededIn ??= (async () => {
    const { users, refreshTokens } = ctx.options.seed;
    ctx.progress(`seeding ${users} users and ${refreshTokens} refresh tokens (${ctx.dialect})`);
    const seededAt = performance.now();
    // Cost 4, whatever the server's: figure 9 signs thousands of these users in before it measures.
    await seed(seeded.database, ctx.options.seed, await bcrypt.hash(SEEDED_USER_PASSWORD, 4), CLIENT.clientId);
    return (performance.now() - seededAt) / 1000;
  })();
  await seeded.seededIn;
  return seeded.server;
}

/** Access tokens of the first `count` seeded users, by the password grant, `concurrency` at a time. */
async function userAccessTokens(baseUrl: string, count: number, concurrency: number): Promise<string[]> {
  const tokens = new Array<string>(count);
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      for (let i = next++; i < count; i = next++) {
        tokens[i] = (await token(baseUrl, { grant_type: 'password', username: seededUsername(i), password: SEEDED_USER_PASSWORD })).access_token;
      }
    }),
  );
  return tokens;
}

/** Peak memory against the peer's, as a figure of its own: Gatehouse's largest process over node-oidc-provider's. */
export function rssResult(options: BenchOptions, dialect: Dialect, gatehouseMiB: number, peerMiB: number): FigureResult {
  return {
    figure: 13,
    title: title(13, options),
    dialect,
    a: { label: 'gatehouse', unit: 'MiB', median: gatehouseMiB, runs: [gatehouseMiB] },
    b: { label: 'oidc-provider', unit: 'MiB', median: peerMiB, runs: [peerMiB] },
    ratio: gatehouseMiB / peerMiB,
    target: TARGETS[13],
    notes: [],
  };
}

/** Throughput of one request against one server (A) and another (B), alternated, at the bench's connections. */
async function cannonPair(ctx: FigureContext, figure: number, a: [string, HttpCall], b: [string, HttpCall], labels: [string, string], notes: string[] = []) {
  const { options } = ctx;
  const runs = await alternate(
    options.rounds,
    options.warmupSeconds,
    options.seconds,
    (s) => cannon(a[0], a[1], options.connections, s),
    (s) => cannon(b[0], b[1], options.connections, s),
  );
  return throughputResult(ctx, figure, runs, labels, notes);
}

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
