import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { FIGURE_NUMBERS } from '../bench/lib/options.js';
import { testDialect } from './support/database.js';

/**
 * `npm run bench -- --quick` runs end to end and prints its table. No speed is
 * asserted: this machine is shared, and the figures belong in bench/README.md.
 * dist/ is already built (pretest), so the bench is told not to rebuild it
 * under the other specs' feet. Each e2e project benches its own dialect.
 */
describe('npm run bench -- --quick', () => {
  it('prints one table row with a numeric ratio for each figure', async () => {
    const dialect = testDialect();
    const env: NodeJS.ProcessEnv = { ...process.env };
    if (dialect === 'postgres') env.BENCH_DATABASE_URL = process.env.TEST_DATABASE_URL;
    const run = await npm(['run', 'bench', '--', '--quick', '--no-build', '--dialect', dialect], env);
    expect(run.code, run.stderr).toBe(0);

    const rows = run.stdout
      .split('\n')
      .filter((line) => /^\| \d+ +\|/.test(line))
      .map((line) =>
        line
          .split('|')
          .slice(1, -1)
          .map((cell) => cell.trim()),
      );
    expect(rows.map(([figure, , db]) => `${figure} ${db}`)).toEqual(FIGURE_NUMBERS.map((figure) => `${figure} ${dialect}`));
    for (const [figure, , , a, b, ratio, target, verdict] of rows) {
      expect(Number(ratio), `figure ${figure}: ${ratio}`).toBeGreaterThan(0);
      expect(a, `figure ${figure}`).toMatch(/\d/);
      expect(b, `figure ${figure}`).toMatch(/\d/);
      expect(target).toMatch(/^[≥≤] [\d.]+$/);
      expect(verdict).toMatch(/^(met|missed by \d+%)$/);
    }
    expect(run.stdout).toMatch(/^Peak RSS under load \(VmHWM\): .*gatehouse \(\w+\) \d+ MiB/m);
  }, 240_000);
});

function npm(args: string[], env: NodeJS.ProcessEnv): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn('npm', args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.once('error', reject);
    child.once('exit', (code) => resolve({ code, stdout, stderr }));
  });
}
