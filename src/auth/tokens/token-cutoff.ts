import { setTimeout as sleep } from 'node:timers/promises';

/**
 * Access tokens carry `iat` in whole seconds, and a cut-off (a user disabled,
 * a client suspended) kills every token with iat ≤ the cut-off. A token issued
 * after re-enabling but within the cut-off's second would therefore look cut
 * off for its whole life. Re-enabling waits, outside any transaction, until
 * that second has passed: at most one second, and only right after a cut-off.
 */
export async function waitOutCutoffSecond(cutoff: Date | null): Promise<void> {
  if (!cutoff) return;
  const clearAt = cutoffSecond(cutoff) * 1000 + 1000;
  const wait = clearAt - Date.now();
  if (wait > 0) await sleep(wait);
}

/** Whether `now` is still within the cut-off's second (so re-enabling must wait). */
export function withinCutoffSecond(cutoff: Date | null, now: Date): boolean {
  return cutoff !== null && cutoffSecond(cutoff) === cutoffSecond(now);
}

/** The cut-off as tokens see it: epoch seconds, the unit of `iat` (a token with iat ≤ this is dead). */
export function cutoffSecond(cutoff: Date): number {
  return Math.floor(cutoff.getTime() / 1000);
}

/**
 * The one cut-off rule: a token (or a refresh-token family) issued at
 * `issuedAtMs` is dead when it was issued at or before any of the cut-offs
 * that apply to it (its user's, its client's; epoch ms, 0 for none). At or
 * before, not before: `iat` has whole seconds, so a token of the cut-off's own
 * second is cut off (and re-enabling waits that second out, above).
 */
export function isCutOff(issuedAtMs: number, ...tokensNotBefore: number[]): boolean {
  return tokensNotBefore.some((cutoff) => issuedAtMs <= cutoff);
}
