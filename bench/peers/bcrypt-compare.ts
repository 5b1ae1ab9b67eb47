/**
 * The physical limit for figure 3: bare `bcrypt.compare` at the server's cost,
 * `concurrency` comparisons in flight, in a process of its own started with
 * the server's UV_THREADPOOL_SIZE (bcrypt runs on the libuv pool, so the pool
 * size is what bounds the rate).
 *
 * Driven over IPC: `{ seconds, concurrency }` in, `{ count, seconds }` out.
 */
import bcrypt from 'bcrypt';

export interface BcryptRunRequest {
  seconds: number;
  concurrency: number;
}

export interface BcryptRunResult {
  count: number;
  seconds: number;
}

const cost = Number(process.env.BCRYPT_COST ?? 12);
const password = 'bench-password-0123456789';
const hash = await bcrypt.hash(password, cost);

async function run({ seconds, concurrency }: BcryptRunRequest): Promise<BcryptRunResult> {
  const started = performance.now();
  const end = started + seconds * 1000;
  let count = 0;
  const worker = async () => {
    while (performance.now() < end) {
      if (!(await bcrypt.compare(password, hash))) throw new Error('bcrypt.compare said no to the right password');
      count++;
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return { count, seconds: (performance.now() - started) / 1000 };
}

process.on('message', (message: BcryptRunRequest) => {
  run(message).then(
    (result) => process.send?.(result),
    (error: unknown) => {
      process.stderr.write(`${String(error)}\n`);
      process.exit(1);
    },
  );
});
process.on('disconnect', () => process.exit(0));
process.send?.({ ready: true });
