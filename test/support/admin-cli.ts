import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { REPO_ROOT } from './server-process.js';

export interface AdminRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** `npm run admin -- …` as an operator runs it: the compiled CLI, exactly `env` plus PATH and HOME, `stdin` piped in. */
export function runAdmin(args: string[], env: Record<string, string>, stdin = ''): Promise<AdminRun> {
  const child = spawn(process.execPath, [join(REPO_ROOT, 'dist', 'cli', 'admin.js'), ...args], {
    cwd: REPO_ROOT,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  child.stdin.end(stdin);
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code) => resolve({ code, stdout, stderr }));
  });
}
