import { availableParallelism } from 'node:os';
import type { Dialect } from './database.js';
import type { SeedSize } from './seed.js';

export interface BenchOptions {
  quick: boolean;
  /** Run `npm run build` first (off with --no-build, e.g. when dist/ was just built). */
  build: boolean;
  /** Directory of the compiled server (its main.js is started). */
  dist: string;
  dialects: Dialect[];
  /** Figures to run (all by default; --only 1,3). */
  only: Set<number>;
  /** A/B pairs per figure, and seconds per run; warm-up runs before them are discarded. */
  rounds: number;
  seconds: number;
  warmupSeconds: number;
  bcryptCost: number;
  /** UV_THREADPOOL_SIZE of the server and of the raw-bcrypt process alike. */
  poolSize: number;
  /** Keep-alive connections of the throughput runs. */
  connections: number;
  /** Requests per second of the paced guarded load in figure 5. */
  pacedRate: number;
  seed: SeedSize;
  /** --profile: take `--cpu-prof` profiles of each hot path instead of the table. */
  profile: boolean;
  /** --json FILE: also write the results as JSON. */
  json?: string;
}

/** Every figure the bench measures (10–12 await the flows they measure: see bench/README.md). */
export const FIGURE_NUMBERS = [1, 2, 3, 4, 5, 6, 7, 8, 9, 13];

const USAGE = `usage: npm run bench -- [--quick] [--no-build] [--dist DIR] [--dialect sqlite|postgres]
       [--only 1,2,…] [--rounds N] [--seconds S] [--bcrypt-cost N] [--json FILE] [--profile]`;

export function parseOptions(argv: string[], env: NodeJS.ProcessEnv): BenchOptions {
  const quick = argv.includes('--quick');
  const options: BenchOptions = {
    quick,
    build: true,
    dist: 'dist',
    dialects: env.BENCH_DATABASE_URL ? ['sqlite', 'postgres'] : ['sqlite'],
    only: new Set(FIGURE_NUMBERS),
    rounds: quick ? 2 : 5,
    seconds: quick ? 0.5 : 6,
    warmupSeconds: quick ? 0.25 : 2,
    // Quick runs only prove the machinery and last about a second: on a loaded machine (the rest of the
    // test suite running beside the smoke spec) even cost 10 finished no hash in half a second.
    bcryptCost: quick ? 4 : 12,
    poolSize: Number(env.UV_THREADPOOL_SIZE) || availableParallelism(),
    connections: 10,
    pacedRate: quick ? 100 : 300,
    seed: quick ? { users: 2_000, refreshTokens: 20_000, tokensPerFamily: 4 } : { users: 100_000, refreshTokens: 1_000_000, tokensPerFamily: 4 },
    profile: false,
  };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const value = () => {
      const next = argv.at(++i);
      if (next === undefined) fail(`${arg} needs a value`);
      return next;
    };
    const number = () => {
      const parsed = Number(value());
      if (!Number.isFinite(parsed) || parsed <= 0) fail(`${arg} needs a positive number`);
      return parsed;
    };
    switch (arg) {
      case '--quick':
        break;
      case '--no-build':
        options.build = false;
        break;
      case '--dist':
        options.dist = value();
        options.build = false;
        break;
      case '--dialect': {
        const dialects = value().split(',');
        if (!dialects.every((d): d is Dialect => d === 'sqlite' || d === 'postgres')) fail('--dialect takes sqlite, postgres or both');
        if (dialects.includes('postgres') && !env.BENCH_DATABASE_URL) fail('--dialect postgres needs BENCH_DATABASE_URL');
        options.dialects = dialects;
        break;
      }
      case '--only':
        options.only = new Set(value().split(',').map(Number));
        if (![...options.only].every((figure) => FIGURE_NUMBERS.includes(figure))) fail(`--only takes figures among ${FIGURE_NUMBERS.join(',')}`);
        break;
      case '--rounds':
        options.rounds = Math.round(number());
        break;
      case '--seconds':
        options.seconds = number();
        break;
      case '--bcrypt-cost':
        options.bcryptCost = Math.round(number());
        break;
      case '--json':
        options.json = value();
        break;
      case '--profile':
        options.profile = true;
        break;
      case '--help':
      case '-h':
        process.stdout.write(`${USAGE}\n`);
        process.exit(0);
        break;
      default:
        fail(`unknown option ${arg}`);
    }
  }
  return options;
}

function fail(message: string): never {
  process.stderr.write(`${message}\n${USAGE}\n`);
  process.exit(2);
}
