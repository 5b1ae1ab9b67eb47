import { execFileSync, spawn } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { REPO_ROOT } from './server-process.js';

export interface CommandRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

export interface ScratchRepo {
  dir: string;
  read(path: string): string;
  write(path: string, content: string): void;
  /** Runs `command` in the copy with PATH, HOME and `env`. */
  run(command: string, args: string[], env?: Record<string, string>): Promise<CommandRun>;
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
    run: (command, args, env = {}) =>
      new Promise((resolve, reject) => {
        const child = spawn(command, args, {
          cwd: dir,
          env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env },
          stdio: ['ignore', 'pipe', 'pipe'],
        });
        let stdout = '';
        let stderr = '';
        child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
        child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
        child.once('error', reject);
        child.once('close', (code) => resolve({ code, stdout, stderr }));
      }),
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}
