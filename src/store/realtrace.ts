// A real trace (scripts/record/record.sh, format "pinscope-trace/1") beside the simulation: reading the file,
// choosing the preset closest to the kernel it was recorded on, and aligning its measurements with the
// simulated run, by statement line and by folio role. Pure functions; the explorer's state is in realtraceStore.

import type { Snapshot } from '../core';
import type { RunView } from './runView';
import { PRESETS } from '../core';
import { parseScenario } from '../scenario';

export const TRACE_FORMAT = 'pinscope-trace/1';

export interface TraceMeasurement {
  line: number;
  text: string;
  field?: string;
  value?: string;
  unmeasured?: string;
}
export interface TracePage {
  id: string;
  role: string;
  pfn: string;
  firstLine: number;
  large: boolean;
}
export interface TraceChange {
  line: number;
  page: string;
  field: string;
  from: number;
  to: number;
  func: string | null;
  seen: string;
}
export interface TraceEvent {
  t: number;
  line: number;
  pid: number;
  own: boolean;
  func: string;
  at: 'entry' | 'return';
  counts: Record<string, Record<string, number>>;
}
export interface RealTrace {
  format: string;
  recorded?: string;
  kernel: { release: string; version: string; machine?: string };
  scenario: { file: string; text: string };
  program?: { exit: number; seconds: number; errors: string[]; info: string[] };
  probes?: { functions: string[]; absent: string[]; lostEvents: number };
  pages: TracePage[];
  measurements: TraceMeasurement[];
  changes: TraceChange[];
  events: TraceEvent[];
}

export type TraceRead = { ok: true; trace: RealTrace } | { ok: false; reason: string };

/** Whether a dropped or pasted text looks like a trace file (so it is not opened as a scenario). */
export function looksLikeTrace(text: string): boolean {
  return /^\s*\{/.test(text) && text.includes('"format"') && text.includes('pinscope-trace/');
}

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Read and check a trace file; the reason names the first thing wrong. */
export function readTrace(text: string): TraceRead {
  let j: unknown;
  try {
    j = JSON.parse(text);
  } catch (e) {
    return { ok: false, reason: `it is not JSON (${(e as Error).message})` };
  }
  if (!isObj(j)) return { ok: false, reason: 'it is not a JSON object' };
  if (typeof j.format !== 'string' || !j.format.startsWith('pinscope-trace/')) return { ok: false, reason: 'it has no "format": "pinscope-trace/1" field' };
  if (j.format !== TRACE_FORMAT) return { ok: false, reason: `its format ${j.format} is not one this version reads (${TRACE_FORMAT})` };
  if (!isObj(j.kernel) || typeof j.kernel.release !== 'string') return { ok: false, reason: 'it has no kernel.release' };
  if (!isObj(j.scenario) || typeof j.scenario.text !== 'string') return { ok: false, reason: 'it has no scenario.text' };
  if (!Array.isArray(j.measurements)) return { ok: false, reason: 'it has no measurements list' };
  for (const m of j.measurements as unknown[]) {
    if (!isObj(m) || typeof m.line !== 'number' || (typeof m.value !== 'string' && typeof m.unmeasured !== 'string')) return { ok: false, reason: 'a measurement has no line and value' };
  }
  const trace: RealTrace = {
    format: j.format,
    ...(typeof j.recorded === 'string' ? { recorded: j.recorded } : {}),
    kernel: { release: j.kernel.release, version: typeof j.kernel.version === 'string' ? j.kernel.version : '', ...(typeof j.kernel.machine === 'string' ? { machine: j.kernel.machine } : {}) },
    scenario: { file: typeof j.scenario.file === 'string' ? j.scenario.file : 'trace.scn', text: j.scenario.text },
    ...(isObj(j.program) ? { program: j.program as unknown as RealTrace['program'] } : {}),
    ...(isObj(j.probes) ? { probes: j.probes as unknown as RealTrace['probes'] } : {}),
    pages: Array.isArray(j.pages) ? (j.pages as TracePage[]) : [],
    measurements: j.measurements as TraceMeasurement[],
    changes: Array.isArray(j.changes) ? (j.changes as TraceChange[]) : [],
    events: Array.isArray(j.events) ? (j.events as TraceEvent[]) : [],
  };
  return { ok: true, trace };
}

// ---- the kernel ------------------------------------------------------------------------------------------

export interface KernelPick {
  /** The kernel selection the scenario is run under (`v6.1 zero-pin=skip`). */
  spec: string;
  /** The upstream version the choice was made from (`6.1.158`), as read from the trace. */
  upstream: string;
  /** One sentence: which preset and why. */
  reason: string;
}

type Version = [number, number, number];
const cmp = (a: Version, b: Version) => a[0] - b[0] || a[1] - b[1] || a[2] - b[2];

/**
 * The upstream version of a kernel: a distribution's `uname -v` names it (Debian: "Debian 6.1.158-1"), since
 * its `uname -r` carries an ABI number instead (6.1.0-56); otherwise `uname -r` itself (6.12.3-arch1-1).
 */
export function upstreamVersion(release: string, version: string): Version | undefined {
  const deb = /\b(?:Debian|Ubuntu)\s+(\d+)\.(\d+)\.(\d+)/.exec(version);
  const m = deb ?? /^(\d+)\.(\d+)(?:\.(\d+))?/.exec(release);
  if (!m) return undefined;
  return [Number(m[1]), Number(m[2]), Number(m[3] ?? 0)];
}

/** Stable backports that change a modelled behaviour, per LTS series (see the toggles' meanings in policy.ts). */
const BACKPORTS: { series: [number, number]; from: number; to?: number; toggle: string; why: string }[] = [
  { series: [5, 10], from: 153, toggle: 'fork-pinned-file=share', why: 'the PageAnon test in copy_present_page() is a 5.10.153 stable backport' },
  { series: [6, 1], from: 130, to: 134, toggle: 'zero-pin=fail', why: 'the 6.1.130-6.1.134 zero-page pin backport fails the pin' },
  { series: [6, 1], from: 135, toggle: 'zero-pin=skip', why: 'the zero-page pin exemption (v6.5, c8070b787519) is backported from 6.1.135' },
];

/** The preset closest to a kernel: the newest one not newer than it, with the stable backports it carries. */
export function pickKernel(release: string, version: string): KernelPick {
  const v = upstreamVersion(release, version);
  const named = PRESETS.filter((p) => /^v\d+\.\d+$/.test(p.name)).map((p) => ({ name: p.name, v: p.name.slice(1).split('.').map(Number).concat(0) as Version }));
  if (!v) {
    const last = named[named.length - 1]!;
    return { spec: last.name, upstream: '?', reason: `The kernel version could not be read from "${release}", so the scenario runs under ${last.name}.` };
  }
  const upstream = v.join('.');
  const below = named.filter((p) => cmp(p.v, v) <= 0);
  if (below.length === 0) {
    const first = named[0]!;
    return { spec: first.name, upstream, reason: `Kernel ${release} (${upstream}) is older than every preset; the scenario runs under the oldest, ${first.name}.` };
  }
  const base = below[below.length - 1]!;
  const bp = BACKPORTS.find((b) => b.series[0] === v[0] && b.series[1] === v[1] && base.v[0] === v[0] && base.v[1] === v[1] && v[2] >= b.from && (b.to === undefined || v[2] <= b.to));
  const spec = bp ? `${base.name} ${bp.toggle}` : base.name;
  const exact = base.v[0] === v[0] && base.v[1] === v[1];
  const reason =
    `Recorded on ${release} (upstream ${upstream}): running under ${spec}` +
    (exact ? '' : `, the newest preset not newer than it`) +
    (bp ? ` (${bp.why})` : '') +
    '.';
  return { spec, upstream, reason };
}

// ---- alignment -------------------------------------------------------------------------------------------

export interface Check {
  line: number;
  text: string;
  field: string;
  simulated: string;
  real: string;
  agree: boolean;
  /** The step at which the simulator checked the expectation (the state both values describe). */
  step: number;
  /** The simulated folio the subject names at that step (zero page, huge zero folio, or NAME+OFF's folio). */
  folio?: number;
  /** The folio's role: `zero`, `hugezero`, `buf+0`; or the subject itself for other expectations. */
  role: string;
}
export interface Alignment {
  checks: Check[];
  /** Expectations that apply to this kernel but could not be measured on the real one, and why. */
  unmeasured: { line: number; text: string; reason: string }[];
  /** Applicable expectations the trace has nothing about (a different scenario text, or a stopped program). */
  missing: { line: number; text: string }[];
  agreed: number;
  /** Real count changes, each with the simulated folio of the same role when there is one. */
  changes: (TraceChange & { role: string; folio?: number })[];
}

interface Subject { subject: string; offset?: number; field: string }

/** The subject and field of every expect statement, by line. */
function expectSubjects(text: string): Map<number, Subject> {
  const out = new Map<number, Subject>();
  const parsed = parseScenario(text, 'trace.scn');
  if (!parsed.ok) return out;
  const visit = (sts: readonly { op: string }[]) => {
    for (const st of sts) {
      if (st.op === 'expect') {
        const e = st as unknown as { pos: { line: number }; subject: string; offset?: number; field?: string };
        out.set(e.pos.line, { subject: e.subject, ...(e.offset !== undefined ? { offset: e.offset } : {}), field: e.field ?? 'refcount' });
      } else if (st.op === 'repeat') visit((st as unknown as { body: { op: string }[] }).body);
    }
  };
  visit(parsed.scenario.statements);
  return out;
}

/** The simulated folio a role names in a snapshot: the zero pages, or the folio mapped at NAME+OFF. */
export function folioForRole(snap: Snapshot, subject: string, offset?: number): number | undefined {
  if (subject === 'zero') return snap.zeroFolio >= 0 ? snap.zeroFolio : undefined;
  if (subject === 'hugezero') return snap.hugeZeroFolio >= 0 ? snap.hugeZeroFolio : undefined;
  if (offset === undefined) return undefined;
  const task = snap.tasks.find((t) => t.name === snap.currentTask) ?? snap.tasks[0];
  const vma = task?.vmas.find((v) => v.name === subject);
  if (!task || !vma) return undefined;
  const va = vma.start + offset;
  const pte = task.entries.find((e) => va >= e.va && va < e.va + (e.level === 'pmd' ? 2 << 20 : 4096));
  return pte?.folio;
}

/** A trace role (`zero`, `hugezero`, `buf+4096`) as a subject and offset. */
function parseRole(role: string): { subject: string; offset?: number } {
  const m = /^(.*)\+(\d+)$/.exec(role);
  return m ? { subject: m[1]!, offset: Number(m[2]) } : { subject: role };
}

/**
 * Align a trace with a run of its own scenario: every expectation the simulator checked under this kernel is
 * a check when the trace measured the same line; the values are compared as the simulator prints them.
 */
export function alignTrace(trace: RealTrace, run: Pick<RunView, 'snapshotAt' | 'expectations' | 'lastStep'>): Alignment {
  const subjects = expectSubjects(trace.scenario.text);
  const byLine = new Map<number, TraceMeasurement>();
  for (const m of trace.measurements) byLine.set(m.line, m);
  const snaps = new Map<number, Snapshot>();
  const snapAt = (step: number) => {
    let s = snaps.get(step);
    if (!s) snaps.set(step, (s = run.snapshotAt(step)));
    return s;
  };
  const checks: Check[] = [];
  const unmeasured: Alignment['unmeasured'] = [];
  const missing: Alignment['missing'] = [];
  for (const e of run.expectations) {
    const m = byLine.get(e.line);
    if (!m) {
      missing.push({ line: e.line, text: e.text });
      continue;
    }
    if (m.value === undefined) {
      unmeasured.push({ line: e.line, text: e.text, reason: m.unmeasured ?? 'not measured' });
      continue;
    }
    const subj = subjects.get(e.line);
    const folio = subj ? folioForRole(snapAt(e.step), subj.subject, subj.offset) : undefined;
    const role = subj ? (subj.subject === 'zero' || subj.subject === 'hugezero' ? subj.subject : folio !== undefined && subj.offset !== undefined ? `${subj.subject}+${subj.offset}` : subj.subject) : '?';
    checks.push({
      line: e.line,
      text: e.text,
      field: subj?.field ?? m.field ?? '?',
      simulated: e.actual,
      real: m.value,
      agree: e.actual === m.value,
      step: e.step,
      ...(folio !== undefined ? { folio } : {}),
      role,
    });
  }
  const roleOf = new Map(trace.pages.map((p) => [p.id, p.role]));
  const lastSnap = snapAt(run.lastStep);
  const changes = trace.changes.map((c) => {
    const role = roleOf.get(c.page) ?? c.page;
    const r = parseRole(role);
    const folio = folioForRole(lastSnap, r.subject, r.offset);
    return { ...c, role, ...(folio !== undefined ? { folio } : {}) };
  });
  return { checks, unmeasured, missing, agreed: checks.filter((c) => c.agree).length, changes };
}

/** "agrees on N of M checks" */
export function agreementSummary(a: Pick<Alignment, 'checks' | 'agreed'>): string {
  return `agrees on ${a.agreed} of ${a.checks.length} check${a.checks.length === 1 ? '' : 's'}`;
}

/** The checks about a folio whose state at `step` is the one they measured (nothing changed it since). */
export function checksForFolio(a: Alignment, run: Pick<RunView, 'lastChangeStep'>, folio: number, step: number): Check[] {
  return a.checks.filter((c) => c.folio === folio && c.step <= step && run.lastChangeStep(folio, step) <= c.step);
}

/** Steps where the real kernel and the simulation differ, for the timeline's marks. */
export function disagreementSteps(a: Alignment): { step: number; lines: number[] }[] {
  const m = new Map<number, number[]>();
  for (const c of a.checks) if (!c.agree) m.set(c.step, [...(m.get(c.step) ?? []), c.line]);
  return [...m.entries()].sort((x, y) => x[0] - y[0]).map(([step, lines]) => ({ step, lines }));
}
