import { vi } from 'vitest';

/** Runs `work` with stdout captured (and kept out of the test report: it may hold credentials). */
export async function capturingStdout<T>(work: () => Promise<T>): Promise<{ result: T; stdout: string }> {
  const chunks: string[] = [];
  const write = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    chunks.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8'));
    return true;
  });
  try {
    const result = await work();
    return { result, stdout: chunks.join('') };
  } finally {
    write.mockRestore();
  }
}

/** The credentials the bootstrap banner printed, by label. */
export function printed(stdout: string) {
  const field = (label: string) => new RegExp(`^\\s*${label}:\\s+(\\S+)\\s*$`, 'm').exec(stdout)?.[1];
  return {
    adminUsername: field('admin username'),
    adminPassword: field('admin password'),
    clientId: field('client_id'),
    clientSecret: field('client_secret'),
  };
}

export const occurrences = (haystack: string, needle: string) => haystack.split(needle).length - 1;
