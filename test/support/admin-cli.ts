import { join } from 'node:path';
import { REPO_ROOT, type ServerExit, spawnProcess } from './server-process.js';

/** `npm run admin -- …` as an operator runs it: the compiled CLI, exactly `env` plus PATH and HOME, `stdin` piped in. */
export function runAdmin(args: string[], env: Record<string, string>, stdin = ''): Promise<ServerExit> {
  return spawnProcess(process.execPath, [join(REPO_ROOT, 'dist', 'cli', 'admin.js'), ...args], { env, stdin }).exited;
}
