import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root, and the compiled server `npm test` builds first (pretest). */
export const REPO_ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const COMPILED_SERVER = join(REPO_ROOT, 'dist', 'main.js');

export interface ServerExit {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export interface RunningServer {
  child: ChildProcess;
  /** Output so far. */
  stdout(): string;
  stderr(): string;
  /** Resolves when the process has ended. */
  exited: Promise<ServerExit>;
  /** SIGTERM, then the exit (SIGKILL if it has not ended within `graceMs`). */
  stop(graceMs?: number): Promise<ServerExit>;
}

export interface SpawnOptions {
  cwd?: string;
  env?: Record<string, string>;
  /** Piped to its stdin, which is then closed; no stdin at all when undefined. */
  stdin?: string;
  /** In a process group of its own, so that stop() also ends what it started (npm → nest → node). */
  group?: boolean;
}

/** What test servers on PostgreSQL seal their signing keys under, where a test names no secret of its own. */
export const TEST_KEY_ENCRYPTION_SECRET = 'key-encryption-secret-for-tests-0123456789';

/** PostgreSQL requires SIGNING_KEY_ENCRYPTION_SECRET; SQLite runs without it (a generated key file beside the database). */
export function keyEncryptionEnv(databaseUrl: string | undefined): Record<string, string> {
  return databaseUrl?.startsWith('postgres') ? { SIGNING_KEY_ENCRYPTION_SECRET: TEST_KEY_ENCRYPTION_SECRET } : {};
}

/**
 * Runs `command` (cwd the repository root unless given) with exactly `env`
 * plus PATH and HOME (and, on PostgreSQL, the test key-encryption secret
 * unless `env` names one): nothing leaks in from the test process. Its
 * output is captured.
 */
export function spawnProcess(command: string, args: string[], { cwd = REPO_ROOT, env = {}, stdin, group = false }: SpawnOptions = {}): RunningServer {
  const child = spawn(command, args, {
    cwd,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...keyEncryptionEnv(env.DATABASE_URL), ...env },
    stdio: [stdin === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
    detached: group,
  });
  let stdout = '';
  let stderr = '';
  child.stdout!.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  if (stdin !== undefined) child.stdin!.end(stdin);
  const exited = new Promise<ServerExit>((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
  const signal = (name: NodeJS.Signals) => {
    if (group && child.pid) process.kill(-child.pid, name);
    else child.kill(name);
  };
  return {
    child,
    stdout: () => stdout,
    stderr: () => stderr,
    exited,
    async stop(graceMs = 10_000) {
      if (child.exitCode === null && child.signalCode === null) signal('SIGTERM');
      const timer = setTimeout(() => signal('SIGKILL'), graceMs);
      try {
        return await exited;
      } finally {
        clearTimeout(timer);
      }
    },
  };
}

/** The compiled server (`node dist/main.js`), as an operator runs it. */
export function spawnServer(env: Record<string, string>, { cwd = REPO_ROOT }: { cwd?: string } = {}): RunningServer {
  if (!existsSync(COMPILED_SERVER)) {
    throw new Error(`${COMPILED_SERVER} is missing: run \`npm run build\` (npm test does it first)`);
  }
  return spawnProcess(process.execPath, [COMPILED_SERVER], { cwd, env });
}

/** Waits until stdout matches `pattern`; fails early if the process ends first. */
export async function waitForOutput(server: RunningServer, pattern: RegExp, timeoutMs = 45_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let ended = false;
  void server.exited.then(() => (ended = true));
  while (!pattern.test(server.stdout())) {
    if (ended) {
      throw new Error(`server exited before printing ${pattern}\nstdout:\n${server.stdout()}\nstderr:\n${server.stderr()}`);
    }
    if (Date.now() > deadline) {
      throw new Error(`server did not print ${pattern} within ${timeoutMs} ms\nstdout:\n${server.stdout()}\nstderr:\n${server.stderr()}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** A TCP port nothing is listening on right now. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}
