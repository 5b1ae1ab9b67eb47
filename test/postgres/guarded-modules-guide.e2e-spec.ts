import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createScratchRepo, type ScratchRepo } from '../support/scratch-repo.js';

const GUIDE = new URL('../../docs/guarded-modules.md', import.meta.url);

/** One `<!-- guide: … -->` instruction and the fenced block under it. */
interface Step {
  instruction: string;
  block: string;
}

function steps(): Step[] {
  const text = readFileSync(GUIDE, 'utf8');
  return [...text.matchAll(/<!-- guide: (.+?) -->\s*\n```\w*\n([\s\S]*?)\n```/g)].map((match) => ({ instruction: match[1], block: match[2] }));
}

/**
 * docs/guarded-modules.md, followed to the letter in a scratch copy of the
 * repository: every file it shows is written, every edit made where it says,
 * every command it gives run (the PostgreSQL half on TEST_DATABASE_URL). If
 * the code moves on and the page does not, this fails.
 */
describe('docs/guarded-modules.md, followed mechanically', () => {
  let repo: ScratchRepo;
  const env = () => ({
    TEST_DATABASE_URL: process.env.TEST_DATABASE_URL!,
    ...(process.env.SCRATCH_DATABASE_PREFIX ? { SCRATCH_DATABASE_PREFIX: process.env.SCRATCH_DATABASE_PREFIX } : {}),
  });

  beforeAll(() => {
    repo = createScratchRepo();
  });
  afterAll(() => repo.remove());

  async function run(line: string): Promise<void> {
    const result = await repo.run('bash', ['--noprofile', '--norc', '-c', line], env());
    expect(result.code, `${line}\n${result.stdout}\n${result.stderr}`).toBe(0);
  }

  async function apply({ instruction, block }: Step): Promise<void> {
    const create = /^create (\S+)$/.exec(instruction);
    if (create) {
      repo.write(create[1], `${block}\n`);
      return;
    }
    const insert = /^insert into (\S+) after (line )?"(.+)"$/.exec(instruction);
    if (insert) {
      const [, path, wholeLine, anchor] = insert;
      const text = repo.read(path);
      const at = text.indexOf(anchor);
      expect(at, `"${anchor}" in ${path}`).toBeGreaterThanOrEqual(0);
      const end = wholeLine ? text.indexOf('\n', at) + 1 : at + anchor.length;
      repo.write(path, text.slice(0, end) + (wholeLine ? `${block}\n` : `${block.trim()} `) + text.slice(end));
      return;
    }
    if (instruction === 'run') {
      for (const line of block.split('\n').filter((command) => command.trim() && !command.startsWith('#'))) await run(line);
      return;
    }
    throw new Error(`the guide has an instruction this test does not know: ${instruction}`);
  }

  it('builds a module that compiles, is lint-clean, migrates on both dialects and passes its own and the affected specs', async () => {
    const all = steps();
    expect(all.filter((step) => step.instruction === 'run').length).toBeGreaterThanOrEqual(2);
    for (const step of all) await apply(step);
    // The specs that read the seeded roles and the catalogue: the guide's advice must not break them.
    await run('npx vitest run --project e2e:sqlite test/oauth-token.e2e-spec.ts test/admin-users-roles.e2e-spec.ts test/guarded-access.e2e-spec.ts');
    await run('npx prettier --check docs/guarded-modules.md docs/reference.md');
  }, 900_000);
});
