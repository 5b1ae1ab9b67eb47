/**
 * A/B measurement on a noisy machine: both sides are warmed up, then run in
 * turn — A B, B A, A B, … (the order flips every round so that a slow drift
 * of the machine weighs on both alike) — and each side is summarised by its
 * median run.
 */
export interface Alternation<T> {
  a: T[];
  b: T[];
}

export async function alternate<T>(
  rounds: number,
  warmupSeconds: number,
  seconds: number,
  a: (seconds: number) => Promise<T>,
  b: (seconds: number) => Promise<T>,
): Promise<Alternation<T>> {
  if (warmupSeconds > 0) {
    await a(warmupSeconds);
    await b(warmupSeconds);
  }
  const result: Alternation<T> = { a: [], b: [] };
  for (let round = 0; round < rounds; round++) {
    if (round % 2 === 0) {
      result.a.push(await a(seconds));
      result.b.push(await b(seconds));
    } else {
      result.b.push(await b(seconds));
      result.a.push(await a(seconds));
    }
  }
  return result;
}

export function median(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((x, y) => x - y);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}
