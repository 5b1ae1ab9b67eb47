import { createRequire } from 'node:module';
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';

type Job = { op: 'hash'; password: string; cost: number } | { op: 'compare'; password: string; hash: string };

interface Pending {
  job: Job;
  resolve: (value: string | boolean) => void;
  reject: (error: Error) => void;
}

/**
 * The code each worker runs. It lowers its own thread's scheduling priority
 * (Linux: a thread's nice value is its own), then does bcrypt synchronously:
 * the work stays off the event loop and off libuv's pool, and under a storm
 * of logins the event loop — every other request — is scheduled first.
 */
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const bcrypt = require(workerData.bcrypt);
try {
  const tid = Number(require('node:fs').readlinkSync('/proc/thread-self').split('/').pop());
  require('node:os').setPriority(tid, workerData.nice);
} catch {}
parentPort.on('message', ({ id, job }) => {
  try {
    const result = job.op === 'hash' ? bcrypt.hashSync(job.password, job.cost) : bcrypt.compareSync(job.password, job.hash);
    parentPort.postMessage({ id, result });
  } catch (error) {
    parentPort.postMessage({ id, error: String((error && error.message) || error) });
  }
});
`;

/** Nice value of the bcrypt threads: well below the event loop, never starved on an idle machine. */
const NICE = 10;

/** A fixed pool of low-priority worker threads doing bcrypt, one job each at a time. */
export class BcryptPool {
  private readonly idle: Worker[] = [];
  private readonly busy = new Map<Worker, { id: number; pending: Pending }>();
  private readonly queue: Pending[] = [];
  private nextId = 0;
  private closed = false;

  constructor(size = availableParallelism()) {
    for (let i = 0; i < size; i++) this.idle.push(this.spawn());
  }

  hash(password: string, cost: number): Promise<string> {
    return this.run({ op: 'hash', password, cost }) as Promise<string>;
  }

  compare(password: string, hash: string): Promise<boolean> {
    return this.run({ op: 'compare', password, hash }) as Promise<boolean>;
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const pending of this.queue.splice(0)) pending.reject(new Error('The password hasher has shut down'));
    await Promise.all([...this.idle, ...this.busy.keys()].map((worker) => worker.terminate()));
  }

  private run(job: Job): Promise<string | boolean> {
    if (this.closed) return Promise.reject(new Error('The password hasher has shut down'));
    return new Promise((resolve, reject) => {
      this.queue.push({ job, resolve, reject });
      this.dispatch();
    });
  }

  private dispatch(): void {
    while (this.idle.length && this.queue.length) {
      const worker = this.idle.pop()!;
      const pending = this.queue.shift()!;
      const id = this.nextId++;
      this.busy.set(worker, { id, pending });
      worker.postMessage({ id, job: pending.job });
    }
  }

  private spawn(): Worker {
    const worker = new Worker(WORKER_SOURCE, {
      eval: true,
      workerData: { bcrypt: createRequire(import.meta.url).resolve('bcrypt'), nice: NICE },
    });
    worker.unref();
    worker.on('message', (message: { id: number; result?: string | boolean; error?: string }) => {
      const current = this.busy.get(worker);
      if (!current || current.id !== message.id) return;
      this.busy.delete(worker);
      if (message.error !== undefined) current.pending.reject(new Error(message.error));
      else current.pending.resolve(message.result!);
      this.idle.push(worker);
      this.dispatch();
    });
    // A worker that dies takes only its own job with it; a fresh one takes its place.
    worker.on('exit', () => {
      const current = this.busy.get(worker);
      this.busy.delete(worker);
      current?.pending.reject(new Error('A password hashing worker stopped'));
      const index = this.idle.indexOf(worker);
      if (index >= 0) this.idle.splice(index, 1);
      if (!this.closed) {
        this.idle.push(this.spawn());
        this.dispatch();
      }
    });
    return worker;
  }
}
