import type { FigureResult } from '../figures.js';

/** The verdict column: met, or by how much (relative to the target) it is missed. */
export function verdict(result: FigureResult): string {
  const { op, value } = result.target;
  if (!Number.isFinite(result.ratio)) return 'no result';
  const met = op === '>=' ? result.ratio >= value : result.ratio <= value;
  if (met) return 'met';
  const shortfall = op === '>=' ? (value - result.ratio) / value : (result.ratio - value) / value;
  return `missed by ${(shortfall * 100).toFixed(0)}%`;
}

function quantity(value: number, unit: string): string {
  if (!Number.isFinite(value)) return 'n/a';
  const digits = unit === 'ms' ? (value < 10 ? 2 : 1) : value < 100 ? 1 : 0;
  return `${value.toFixed(digits)} ${unit}`;
}

/** One Markdown table (it pastes into bench/README.md as it is), then the notes each row earned. */
export function renderTable(results: FigureResult[], rss: Map<string, number>): string {
  const header = ['#', 'ratio', 'db', 'A (median)', 'B (median)', 'A ÷ B', 'target', 'verdict'];
  const rows = results.map((r) => [
    String(r.figure),
    r.title,
    r.dialect,
    `${r.a.label} ${quantity(r.a.median, r.a.unit)}`,
    `${r.b.label} ${quantity(r.b.median, r.b.unit)}`,
    Number.isFinite(r.ratio) ? r.ratio.toFixed(2) : 'n/a',
    `${r.target.op === '>=' ? '≥' : '≤'} ${r.target.value}`,
    verdict(r),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i].length)));
  const numeric = new Set([3, 4, 5]);
  const line = (cells: string[]) => `| ${cells.map((cell, i) => (numeric.has(i) ? cell.padStart(widths[i]) : cell.padEnd(widths[i]))).join(' | ')} |`;
  const rule = `|${widths.map((w, i) => (numeric.has(i) ? `${'-'.repeat(w + 1)}:` : '-'.repeat(w + 2))).join('|')}|`;
  const out = [line(header), rule, ...rows.map(line), ''];
  const peaks = [...rss.entries()].map(([name, mib]) => `${name} ${mib.toFixed(0)} MiB`);
  out.push(`Peak RSS under load (VmHWM): ${peaks.length ? peaks.join('; ') : 'n/a'}`);
  const notes = results.flatMap((r) => r.notes.map((note) => `- ${r.figure} (${r.dialect}): ${note}`));
  if (notes.length) out.push('', 'Notes:', ...notes);
  return `${out.join('\n')}\n`;
}
