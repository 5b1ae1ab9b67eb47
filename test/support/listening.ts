import { type ChildProcess, spawn } from 'node:child_process';

export interface ChildServer {
  process: ChildProcess;
  /** The URL the child printed when it started listening. */
  baseUrl: string;
  stop(): Promise<void>;
}

/**
 * Runs an entry point in its own Node process (a TypeScript one through tsx, a
 * compiled `.js` one as it is) and waits for it to print `listening on http://…`.
 * Fails with its output if it exits or stays silent first.
 */
export function startChildServer(entry: string, env: Record<string, string>, timeoutMs = 20_000): Promise<ChildServer> {
  // tsx would also remap imports through tsconfig.json's `paths`, so compiled code is run without it.
  const child = spawn(process.execPath, entry.endsWith('.js') ? [entry] : ['--import', 'tsx', entry], {
    env: { PATH: process.env.PATH ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const stop = () =>
    new Promise<void>((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) {
        resolve();
        return;
      }
      child.once('exit', () => resolve());
      child.kill('SIGTERM');
    });
  return new Promise((resolve, reject) => {
    const fail = (reason: string) => {
      clearTimeout(timer);
      void stop().then(() => reject(new Error(`${entry} ${reason}:\n${output}`)));
    };
    const timer = setTimeout(() => fail(`did not start within ${timeoutMs} ms`), timeoutMs);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const match = /listening on (http:\/\/[^\s]+)/.exec(output);
      if (match) {
        clearTimeout(timer);
        child.off('exit', onExit);
        resolve({ process: child, baseUrl: match[1], stop });
      }
    };
    const onExit = (code: number | null) => fail(`exited (code ${code}) before listening`);
    child.stdout.on('data', onData);
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.once('exit', onExit);
  });
}
