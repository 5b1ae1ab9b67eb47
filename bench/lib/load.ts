import autocannon from 'autocannon';
import { Agent, request as httpRequest } from 'node:http';

export interface HttpCall {
  method: 'GET' | 'POST';
  path: string;
  headers?: Record<string, string>;
  body?: string;
}

/** A closed-loop run: `connections` keep-alive connections, each sending its next request when the last one is answered. */
export interface Throughput {
  /** 2xx responses per second of the run. */
  rps: number;
  ok: number;
  /** Responses other than 2xx, plus socket errors and timeouts. */
  failed: number;
  seconds: number;
}

/** The rate is 2xx ÷ the actual duration (autocannon stops on its sampling tick). */
const throughputOf = (result: autocannon.Result): Throughput => ({
  rps: result['2xx'] / result.duration,
  ok: result['2xx'],
  failed: result.non2xx + result.errors + result.timeouts,
  seconds: result.duration,
});

/** autocannon, for the figures whose requests are all alike. */
export async function cannon(baseUrl: string, call: HttpCall, connections: number, seconds: number): Promise<Throughput> {
  const result = await autocannon({
    url: `${baseUrl}${call.path}`,
    method: call.method,
    headers: call.headers,
    body: call.body,
    connections,
    pipelining: 1,
    duration: seconds,
    // autocannon stops on its sampling tick (1 s by default); the rate is 2xx ÷ the actual duration either way.
    sampleInt: 100,
  });
  return throughputOf(result);
}

/**
 * autocannon over many callers of one route: each request carries the next bearer token of
 * `tokens` in turn, as real traffic carries one token per user.
 */
export async function cannonCycling(baseUrl: string, path: string, tokens: readonly string[], connections: number, seconds: number): Promise<Throughput> {
  let next = 0;
  const result = await autocannon({
    url: `${baseUrl}${path}`,
    connections,
    pipelining: 1,
    duration: seconds,
    sampleInt: 100,
    requests: [
      {
        method: 'GET',
        path,
        setupRequest: (request) => ({ ...request, headers: { ...request.headers, authorization: `Bearer ${tokens[next++ % tokens.length]}` } }),
      },
    ],
  });
  return throughputOf(result);
}

/** Starts an autocannon run that goes on until stopped (figure 5's storm). */
export function startStorm(baseUrl: string, call: HttpCall, connections: number, maxSeconds: number): { stop: () => Promise<Throughput> } {
  let instance: autocannon.Instance | undefined;
  const finished = new Promise<autocannon.Result>((resolve, reject) => {
    instance = autocannon(
      {
        url: `${baseUrl}${call.path}`,
        method: call.method,
        headers: call.headers,
        body: call.body,
        connections,
        pipelining: 1,
        duration: maxSeconds,
        sampleInt: 100,
      },
      (error, result) => (error ? reject(error as Error) : resolve(result)),
    );
  });
  return {
    stop: async () => {
      instance?.stop();
      const result = await finished;
      return throughputOf(result);
    },
  };
}

interface Response {
  status: number;
  body: string;
}

function send(agent: Agent, baseUrl: string, call: HttpCall): Promise<Response> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(`${baseUrl}${call.path}`, { method: call.method, headers: call.headers, agent }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(call.body);
  });
}

/**
 * A closed loop where each connection's next request may depend on its last
 * answer — a chain of refresh-token rotations, where every request presents
 * the token the previous one returned. Chains live on from one run to the
 * next (an answer that arrives after the bell still advances its chain, it
 * is just not counted); `prepare` (re)starts a chain before the clock starts.
 */
export class Chains<S> {
  private readonly states: (S | undefined)[];

  constructor(
    private readonly baseUrl: string,
    connections: number,
    private readonly spec: {
      prepare: () => Promise<S>;
      next: (state: S) => HttpCall;
      /** The chain's new state after a 2xx answer. */
      advance?: (state: S, body: string) => S;
    },
  ) {
    this.states = Array.from({ length: connections }, () => undefined);
  }

  async run(seconds: number): Promise<Throughput> {
    await Promise.all(this.states.map(async (state, i) => (this.states[i] = state ?? (await this.spec.prepare()))));
    const agents = this.states.map(() => new Agent({ keepAlive: true, maxSockets: 1 }));
    let ok = 0;
    let failed = 0;
    const end = performance.now() + seconds * 1000;
    await Promise.all(
      this.states.map(async (_, i) => {
        while (performance.now() < end) {
          let res: Response;
          try {
            res = await send(agents[i], this.baseUrl, this.spec.next(this.states[i]!));
          } catch {
            failed++;
            this.states[i] = undefined;
            return;
          }
          const inTime = performance.now() <= end;
          if (res.status >= 200 && res.status < 300) {
            if (inTime) ok++;
            if (this.spec.advance) this.states[i] = this.spec.advance(this.states[i]!, res.body);
          } else {
            if (inTime) failed++;
            // A broken chain is not load; it is started afresh next run.
            this.states[i] = undefined;
            return;
          }
        }
      }),
    );
    for (const agent of agents) agent.destroy();
    return { rps: ok / seconds, ok, failed, seconds };
  }
}

export interface LatencySample {
  count: number;
  failed: number;
  p50Ms: number;
  p99Ms: number;
}

/**
 * An open loop at a fixed rate (requests go out on schedule whether or not
 * earlier ones have been answered), so the latency seen is the server's and
 * not the load generator's queue. Latency is timed per request in µs.
 */
export async function paced(baseUrl: string, call: HttpCall, rate: number, seconds: number): Promise<LatencySample> {
  const agent = new Agent({ keepAlive: true, maxSockets: 256 });
  const total = Math.max(1, Math.round(rate * seconds));
  const latencies: number[] = [];
  let failed = 0;
  const pending: Promise<void>[] = [];
  const started = performance.now();
  for (let k = 0; k < total; k++) {
    const due = started + (k * 1000) / rate;
    const wait = due - performance.now();
    if (wait > 1) await new Promise((done) => setTimeout(done, wait));
    const sent = performance.now();
    pending.push(
      send(agent, baseUrl, call).then(
        (res) => {
          if (res.status >= 200 && res.status < 300) latencies.push(performance.now() - sent);
          else failed++;
        },
        () => {
          failed++;
        },
      ),
    );
  }
  await Promise.all(pending);
  agent.destroy();
  latencies.sort((a, b) => a - b);
  return { count: latencies.length, failed, p50Ms: percentile(latencies, 0.5), p99Ms: percentile(latencies, 0.99) };
}

function percentile(sorted: number[], q: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)];
}
