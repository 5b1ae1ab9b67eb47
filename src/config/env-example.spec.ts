import 'reflect-metadata';
import { getMetadataStorage } from 'class-validator';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadAppConfig } from './app.config.js';
import { EnvironmentVariables } from './env.schema.js';

/** `# NAME=value` lines of .env.example, in order. */
function documented(): [string, string][] {
  const text = readFileSync(join(import.meta.dirname, '..', '..', '.env.example'), 'utf8');
  return [...text.matchAll(/^# ([A-Z][A-Z0-9_]*)=(.*)$/gm)].map((match) => [match[1], match[2]]);
}

function schemaVariables(): string[] {
  const metadata = getMetadataStorage().getTargetValidationMetadatas(EnvironmentVariables, '', true, false);
  return [...new Set(metadata.map((m) => m.propertyName))];
}

describe('.env.example', () => {
  it('lists every variable the configuration reads, once', () => {
    const names = documented().map(([name]) => name);
    expect(new Set(names).size).toBe(names.length);
    expect([...names].sort()).toEqual(schemaVariables().sort());
  });

  it('each variable has a one-line meaning above it', () => {
    const text = readFileSync(join(import.meta.dirname, '..', '..', '.env.example'), 'utf8');
    const lines = text.split('\n');
    for (const [name] of documented()) {
      const index = lines.findIndex((line) => line.startsWith(`# ${name}=`));
      expect(lines[index - 1], name).toMatch(/^# \S.{9,}/);
      expect(lines[index - 1], name).not.toMatch(/^# [A-Z][A-Z0-9_]*=/);
    }
  });

  it('the values shown are the real defaults', () => {
    const env = Object.fromEntries(documented());
    expect(loadAppConfig(env)).toEqual(loadAppConfig({}));
  });
});
