import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { BcryptRunResult } from '../peers/bcrypt-compare.js';
import { peakRssMiB } from './processes.js';

const SCRIPT = fileURLToPath(new URL('../peers/bcrypt-compare.ts', import.meta.url));

export interface BcryptPeer {
  /** Comparisons per second with `concurrency` in flight for `seconds`. */
  rate(seconds: number, concurrency: number): Promise<number>;
  peakRssMiB(): number | null;
  stop(): Promise<void>;
}

/** The raw-bcrypt process of figure 3, started with the server's cost and UV_THREADPOOL_SIZE. */
export async function startBcryptPeer(cost: number, poolSize: number): Promise<BcryptPeer> {
  const child = fork(SCRIPT, [], {
    execArgv: ['--import', 'tsx'],
    env: { ...process.env, NODE_ENV: 'production', BCRYPT_COST: String(cost), UV_THREADPOOL_SIZE: String(poolSize) },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  await new Promise<void>((resolve, reject) => {
    child.once('message', () => resolve());
    child.once('exit', (code) => reject(new Error(`the bcrypt peer exited (${code}) before it was ready`)));
  });
  return {
    rate: (seconds, concurrency) =>
      new Promise((resolve, reject) => {
        const onExit = (code: number | null) => reject(new Error(`the bcrypt peer exited (${code})`));
        child.once('exit', onExit);
        child.once('message', (result: BcryptRunResult) => {
          child.off('exit', onExit);
          resolve(result.count / result.seconds);
        });
        child.send({ seconds, concurrency });
      }),
    peakRssMiB: () => peakRssMiB(child.pid),
    stop: async () => {
      if (child.exitCode !== null) return;
      const exited = new Promise((done) => child.once('exit', done));
      child.disconnect();
      await exited;
    },
  };
}
