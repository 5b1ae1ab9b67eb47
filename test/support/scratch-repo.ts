import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { REPO_ROOT, type RunningServer, type ServerExit, spawnProcess } from './server-process.js';

export interface ScratchRepo {
  dir: string;
  read(path: string): string;
  write(path: string, content: string): void;
  /** Runs `command` in the copy with PATH, HOME and `env`, to its end. */
  run(command: string, args: string[], env?: Record<string, string>): Promise<ServerExit>;
  /** Starts `command` in the copy, in a process group of its own (npm scripts start children). */
  start(command: string, args: string[], env?: Record<string, string>): RunningServer;
  remove(): void;
}

/**
 * A copy of the working tree (tracked and new files, never ignored ones such
 * as .env, data/ or dist/) in a temp dir, sharing node_modules through a
 * symlink: a place where a test may change sources and run npm scripts as a
 * developer would, leaving the real tree alone.
 */
export function createScratchRepo(): ScratchRepo {
  const dir = mkdtempSync(join(tmpdir(), 'gatehouse-repo-'));
  const listed = execFileSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], { cwd: REPO_ROOT }).toString('utf8');
  for (const file of listed.split('\0')) {
    // Listed but deleted in the working tree: the copy follows the working tree.
    if (!file || !existsSync(join(REPO_ROOT, file))) continue;
    mkdirSync(dirname(join(dir, file)), { recursive: true });
    copyFileSync(join(REPO_ROOT, file), join(dir, file));
  }
  symlinkSync(join(REPO_ROOT, 'node_modules'), join(dir, 'node_modules'), 'dir');
  return {
    dir,
    read: (path) => readFileSync(join(dir, path), 'utf8'),
    write: (path, content) => {
      mkdirSync(dirname(join(dir, path)), { recursive: true });
      writeFileSync(join(dir, path), content);
    },
    run: (command, args, env = {}) => spawnProcess(command, args, { cwd: dir, env }).exited,
    start: (command, args, env = {}) => spawnProcess(command, args, { cwd: dir, env, group: true }),
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}
