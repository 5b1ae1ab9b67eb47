import { readFileSync } from 'node:fs';

/** The parts of a V8 `.cpuprofile` (what `node --cpu-prof` writes) that a self-time summary needs. */
interface CpuProfile {
  nodes: { id: number; callFrame: { functionName: string; url: string; lineNumber: number } }[];
  startTime: number;
  samples: number[];
  timeDeltas: number[];
}

export interface SelfTime {
  name: string;
  where: string;
  pkg: string;
  ms: number;
  /** Share of the busy (non-idle) time. */
  share: number;
}

export interface ProfileSummary {
  wallMs: number;
  busyMs: number;
  functions: SelfTime[];
  packages: SelfTime[];
}

/**
 * Self time per function and per package, from the samples taken between
 * `from` and `to` (µs, the profile's own monotonic clock) only.
 */
export function summarise(file: string, from: number, to: number, root: string): ProfileSummary {
  const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
  const frames = new Map(profile.nodes.map((node) => [node.id, node.callFrame]));
  const byFunction = new Map<string, SelfTime>();
  const byPackage = new Map<string, SelfTime>();
  let wall = 0;
  let busy = 0;
  let time = profile.startTime;
  for (let i = 0; i < profile.samples.length; i++) {
    time += profile.timeDeltas[i] ?? 0;
    // The time since the previous sample is charged to this one.
    const delta = (profile.timeDeltas[i + 1] ?? 0) / 1000;
    if (time < from || time > to) continue;
    const frame = frames.get(profile.samples[i]);
    if (!frame) continue;
    wall += delta;
    if (frame.functionName === '(idle)') continue;
    busy += delta;
    const where = location(frame.url, frame.lineNumber, root);
    const name = frame.functionName || '(anonymous)';
    const pkg = packageOf(frame.url, frame.functionName, root);
    add(byFunction, `${name} ${where}`, name, where, pkg, delta);
    add(byPackage, pkg, pkg, '', pkg, delta);
  }
  const ranked = (map: Map<string, SelfTime>) =>
    [...map.values()].map((entry) => ({ ...entry, share: busy ? entry.ms / busy : 0 })).sort((a, b) => b.ms - a.ms);
  return { wallMs: wall, busyMs: busy, functions: ranked(byFunction), packages: ranked(byPackage) };
}

function add(map: Map<string, SelfTime>, key: string, name: string, where: string, pkg: string, ms: number): void {
  const entry = map.get(key) ?? { name, where, pkg, ms: 0, share: 0 };
  entry.ms += ms;
  map.set(key, entry);
}

function relative(url: string, root: string): string {
  const path = url.replace(/^file:\/\//, '');
  return path.startsWith(root) ? path.slice(root.length + 1) : path;
}

function location(url: string, line: number, root: string): string {
  if (!url) return '';
  const path = relative(url, root).replace(/^.*node_modules\//, '');
  return `${path}:${line + 1}`;
}

const GATEHOUSE = 'gatehouse (dist/)';

/** Which package the time belongs to: a node_modules package, Gatehouse's own code, Node's internals, or V8's bookkeeping. */
function packageOf(url: string, functionName: string, root: string): string {
  if (!url) return functionName.startsWith('(') ? functionName : '(native)';
  if (url.startsWith('node:')) return 'node (core)';
  const path = relative(url, root);
  const modules = path.lastIndexOf('node_modules/');
  if (modules >= 0) {
    const [first, second] = path.slice(modules + 'node_modules/'.length).split('/');
    return first.startsWith('@') ? `${first}/${second}` : first;
  }
  if (path.startsWith('dist/') || path.includes('/dist/')) return GATEHOUSE;
  return path;
}

export function renderSummary(title: string, summary: ProfileSummary, top = 15): string {
  const pct = (share: number) => `${(share * 100).toFixed(1)}%`;
  const lines = [
    `### ${title}`,
    '',
    `${(summary.wallMs / 1000).toFixed(1)} s sampled under load, main thread busy ${pct(summary.wallMs ? summary.busyMs / summary.wallMs : 0)} of it.`,
    '',
    '| self time | share of busy | function | where |',
    '|---:|---:|---|---|',
    ...summary.functions.slice(0, top).map((f) => `| ${f.ms.toFixed(0)} ms | ${pct(f.share)} | \`${f.name}\` | ${f.where} |`),
    '',
    '| by package | share of busy |',
    '|---|---:|',
    ...summary.packages.slice(0, 12).map((p) => `| ${p.name} | ${pct(p.share)} |`),
    '',
    "Gatehouse's own functions:",
    '',
    '| self time | share of busy | function | where |',
    '|---:|---:|---|---|',
    ...summary.functions
      .filter((f) => f.pkg === GATEHOUSE)
      .slice(0, 8)
      .map((f) => `| ${f.ms.toFixed(0)} ms | ${pct(f.share)} | \`${f.name}\` | ${f.where.replace(/^.*?dist\//, 'dist/')} |`),
    '',
  ];
  return lines.join('\n');
}
