import { type ChildProcess, spawn, type SpawnOptions } from 'node:child_process';
import { readFileSync } from 'node:fs';

// The test support's: one definition of picking a free port for a child process.
export { freePort } from '../../test/support/server-process.js';

export interface Child {
  name: string;
  process: ChildProcess;
  /** Everything the child wrote, for the error message when it dies. */
  output(): string;
  /** Peak resident set size of the process so far (VmHWM), in MiB; null once it has gone. */
  peakRssMiB(): number | null;
  /** SIGTERM, then SIGKILL if it has not gone after a few seconds. */
  stop(): Promise<void>;
}

/** Starts a child and resolves once `ready` matches a line of its stdout; rejects if it exits first. */
export function startChild(name: string, command: string, args: string[], options: SpawnOptions & { ready: RegExp; timeoutMs?: number }): Promise<Child> {
  const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'], ...options });
  let output = '';
  const collect = (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-20_000);
  };
  child.stdout?.on('data', collect);
  child.stderr?.on('data', collect);
  const handle: Child = {
    name,
    process: child,
    output: () => output,
    peakRssMiB: () => peakRssMiB(child.pid),
    stop: () => stopChild(child),
  };
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      void handle.stop();
      reject(new Error(`${name} did not start within ${options.timeoutMs ?? 60_000} ms:\n${output}`));
    }, options.timeoutMs ?? 60_000);
    const onData = () => {
      if (options.ready.test(output)) {
        clearTimeout(timer);
        child.stdout?.off('data', onData);
        child.off('exit', onExit);
        resolve(handle);
      }
    };
    const onExit = (code: number | null, signal: string | null) => {
      clearTimeout(timer);
      reject(new Error(`${name} exited (${signal ?? code}) before it was ready:\n${output}`));
    };
    child.stdout?.on('data', onData);
    child.once('exit', onExit);
  });
}

export function peakRssMiB(pid: number | undefined): number | null {
  if (!pid) return null;
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kib = /^VmHWM:\s+(\d+) kB/m.exec(status)?.[1];
    return kib ? Number(kib) / 1024 : null;
  } catch {
    return null;
  }
}

function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const kill = setTimeout(() => child.kill('SIGKILL'), 10_000);
    child.once('exit', () => {
      clearTimeout(kill);
      resolve();
    });
    child.kill('SIGTERM');
  });
}
