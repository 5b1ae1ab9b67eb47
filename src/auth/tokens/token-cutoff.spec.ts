import { describe, expect, it } from 'vitest';
import { isCutOff, withinCutoffSecond } from './token-cutoff.js';

describe('isCutOff: iat ≤ tokens_not_before', () => {
  it('kills what was issued at or before any cut-off, and spares what came after all of them', () => {
    expect(isCutOff(1_000, 1_000)).toBe(true);
    expect(isCutOff(999, 1_000)).toBe(true);
    expect(isCutOff(1_001, 1_000)).toBe(false);
    expect(isCutOff(5_000, 0, 4_000)).toBe(false);
    expect(isCutOff(5_000, 6_000, 0)).toBe(true);
  });

  it('spares everything when no cut-off applies (0)', () => {
    expect(isCutOff(1, 0, 0)).toBe(false);
    expect(isCutOff(1)).toBe(false);
  });
});

describe('withinCutoffSecond', () => {
  it('is true only inside the whole second of the cut-off', () => {
    const cutoff = new Date(10_400);
    expect(withinCutoffSecond(cutoff, new Date(10_999))).toBe(true);
    expect(withinCutoffSecond(cutoff, new Date(11_000))).toBe(false);
    expect(withinCutoffSecond(null, new Date(10_500))).toBe(false);
  });
});
