// The fuzzer (issue 9): three generators of scenario texts and the properties every input must keep.
//
//   soup      random lines of the language's own words, numbers at the edges and junk characters;
//   grammar   well-formed statements built from the parser's usage table (USAGE in src/scenario/parser.ts),
//             so a new statement or option is fuzzed as soon as its usage line names it;
//   mutate    every shipped scenario with lines deleted, duplicated or swapped, numbers replaced by edge
//             values (0, 1, 1023, 1024, 2^21, 2^31-1, 2^32, huge sizes, odd offsets), words replaced, and
//             statements wrapped in a repeat.
//
// Properties (checkInput): parsing and simulating never throw (a problem is a located scenario error); a run
// stays within its time guard and the simulator's budgets; at sampled steps each folio's refcount is the sum
// of its holders' references unless a refcount-mismatch or bad-release was reported by then (the invariant
// src/core/invariants.ts checks as it runs); and on v6.5+ kernels without toggles, tearing everything down
// (complete every bio, release every handle, exit every task) leaves no leaked reference and no folio behind.
// A failing input is shrunk line by line (shrink) so it can be saved as a regression fixture.
//
// Pure TypeScript (no Node, no DOM): the Vitest test and `npm run fuzz` (scripts/fuzz.ts) both drive it.

import { COMPARE_OPS, EXPECT_FIELDS, FOLIO_KINDS, RUN_SUBJECTS, STATEMENT_KEYWORDS, USAGE, parseScenario } from '../scenario';
import { PRESETS, TOGGLES, simulate, type Run, type SimulateOptions } from '../core';
import type { Scenario } from '../core/ast';

// ---- random numbers --------------------------------------------------------------------------------------

export class Rng {
  private s: number;
  constructor(seed: number) {
    this.s = seed >>> 0 || 0x9e3779b9;
  }
  /** mulberry32 */
  next(): number {
    let t = (this.s = (this.s + 0x6d2b79f5) >>> 0);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  int(n: number): number {
    return Math.floor(this.next() * n);
  }
  pick<T>(xs: readonly T[]): T {
    return xs[this.int(xs.length)]!;
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
}

// ---- values ----------------------------------------------------------------------------------------------

/** The edge values of the brief, as the language writes them. */
export const EDGE_NUMBERS = ['0', '1', '3', '511', '512', '1023', '1024', '4095', '4096', '4097', '0x1001', '2M', '2097152', '2097153', '2147483647', '2147483648', '4294967296', '1G', '64G', '1024G', '9007199254740991', '99999999999999999999'];
const SMALL_SIZES = ['4K', '8K', '12K', '16K', '64K', '2M', '4M'];
const OFFSETS = ['0', '0', '0', '4K', '8K', '512', '1', '2K', '0x1800'];
const LENGTHS = ['4K', '4K', '4K', '8K', '512', '1', '1K', '3K'];
const REPEATS = ['0', '1', '2', '3', '5', '1023', '1024', '2097152', '2147483647', '4294967296'];
const JUNK = ['', '#', '"', '""', '"unterminated', '==', '=', '-', '-ENOMEM', '-1', '\t', '\u00e9', '\u202e', '\0', '__proto__', 'constructor', 'toString', '+', '.', 'bio#', 'pin#0', 'pin#99999999999'];

/** Words the language uses, from its own tables. */
function vocabulary(): string[] {
  const words = new Set<string>([...STATEMENT_KEYWORDS, ...RUN_SUBJECTS, ...FOLIO_KINDS, ...COMPARE_OPS, 'zero', 'hugezero', 'all', 'on', 'dontneed', 'map', 'unmap']);
  for (const u of Object.values(USAGE)) for (const w of u.split(/[\s[\]|]+/)) if (w && !/^[A-Z.]+$/.test(w)) words.add(w.replace(/\.\.\.$/, ''));
  for (const fields of Object.values(EXPECT_FIELDS)) for (const f of fields) words.add(f);
  for (const p of PRESETS) words.add(p.name);
  for (const t of TOGGLES) for (const v of t.values) words.add(`${t.name}=${v}`);
  return [...words].filter((w) => w.length > 0);
}

// ---- generator 1: token soup -----------------------------------------------------------------------------

export function soup(rng: Rng): string {
  const vocab = vocabulary();
  const lines: string[] = [];
  const n = 1 + rng.int(14);
  for (let i = 0; i < n; i++) {
    const words: string[] = [];
    const m = rng.int(8);
    for (let j = 0; j < m; j++) {
      const r = rng.next();
      words.push(r < 0.55 ? rng.pick(vocab) : r < 0.8 ? rng.pick(EDGE_NUMBERS) : r < 0.9 ? rng.pick(['buf', 'f', 'h', 'pin#1', 'bio#1', 'dio#1', 'buf+0', 'zero.refcount', 'main', 'child']) : rng.pick(JUNK));
    }
    lines.push(words.join(rng.chance(0.9) ? ' ' : '\t'));
  }
  return lines.join('\n') + (rng.chance(0.8) ? '\n' : '');
}

// ---- generator 2: the grammar, from the usage table ------------------------------------------------------

type Node = { t: 'lit'; text: string } | { t: 'ph'; name: string; rest: boolean } | { t: 'opt'; alts: Node[][]; many: boolean } | { t: 'alt'; alts: Node[][] };

/** Parse one usage line ("pin [HANDLE] NAME OFF LEN [write] [longterm] [fast]") into a tree. */
export function parseUsage(usage: string): Node[][] {
  const tokens = usage.replace(/\[/g, ' [ ').replace(/\]/g, ' ] ').replace(/ \| /g, ' | ').split(/\s+/).filter(Boolean);
  let i = 0;
  const word = (w: string): Node => {
    const eq = w.indexOf('=');
    if (w.includes('|')) {
      const prefix = eq >= 0 ? w.slice(0, eq + 1) : '';
      const alts = (eq >= 0 ? w.slice(eq + 1) : w).split('|').map((a) => [word(prefix + a)]);
      return { t: 'alt', alts };
    }
    if (/^[A-Z]/.test(w.replace(/^[a-z-]+=/, ''))) {
      const name = w.replace(/\.\.\.$/, '');
      return { t: 'ph', name, rest: w.endsWith('...') };
    }
    if (/^[a-z]+#[A-Z]$/.test(w)) return { t: 'ph', name: w, rest: false };
    return { t: 'lit', text: w };
  };
  const seq = (): Node[][] => {
    const alts: Node[][] = [[]];
    while (i < tokens.length) {
      const tok = tokens[i]!;
      if (tok === ']') break;
      i++;
      if (tok === '|') alts.push([]);
      else if (tok === '[') {
        const inner = seq();
        i++; // ]
        const last = inner[inner.length - 1]!;
        const many = last.length > 0 && last[last.length - 1]!.t === 'lit' && (last[last.length - 1] as { text: string }).text === '...';
        if (many) last.pop();
        alts[alts.length - 1]!.push({ t: 'opt', alts: inner, many });
      } else alts[alts.length - 1]!.push(word(tok));
    }
    return alts;
  };
  return seq();
}

/** What the grammar generator knows exists, so most names it writes are real. */
interface World {
  maps: string[];
  files: string[];
  handles: string[];
  tasks: string[];
  auto: Record<string, number>;
  kinds: Record<string, string>;
}

/** The kind of handle each releasing statement takes. */
const RELEASES: Readonly<Record<string, string>> = { unpin: 'pin', put: 'get', close: 'pipe', vfio: 'vfio' };
const CREATES_HANDLE: ReadonlySet<string> = new Set(['pin', 'get', 'vfio-map', 'vmsplice']);

function placeholder(rng: Rng, name: string, keyword: string, w: World): string {
  const fresh = (prefix: string) => `${prefix}${rng.int(4)}`;
  if (name === 'TOGGLE=VALUE') {
    const t = rng.pick(TOGGLES);
    return `${t.name}=${rng.pick(t.values)}`;
  }
  const prefix = name.includes('=') ? name.slice(0, name.indexOf('=') + 1) : '';
  const base = name.slice(prefix.length);
  const edge = rng.chance(0.04);
  let v: string;
  switch (base) {
    case 'NAME':
      if (keyword === 'task' || keyword === 'exit') v = rng.pick(w.tasks);
      else if (keyword === 'file') v = fresh('f');
      else if (keyword === 'mmap') v = fresh('m');
      else v = w.maps.length && !rng.chance(0.05) ? rng.pick(w.maps) : fresh('m');
      break;
    case 'FILE':
      v = w.files.length && !rng.chance(0.05) ? rng.pick(w.files) : fresh('f');
      break;
    case 'HANDLE':
      // Statements that make a handle get a fresh name; the others mostly name one that exists.
      if (CREATES_HANDLE.has(keyword)) v = fresh('h');
      else {
        const want = RELEASES[keyword];
        const fitting = w.handles.filter((h) => w.kinds[h] === want);
        const pool = fitting.length && rng.chance(0.9) ? fitting : w.handles;
        v = pool.length && rng.chance(0.97) ? rng.pick(pool) : rng.chance(0.5) ? fresh('h') : rng.pick(['pin#1', 'pin#2', 'get#1', 'dio#1']);
      }
      break;
    case 'CHILD':
      v = fresh('c');
      break;
    case 'SIZE':
      v = edge ? rng.pick(EDGE_NUMBERS) : rng.pick(SMALL_SIZES);
      break;
    case 'OFF':
    case 'FOFF':
    case 'BUFOFF':
      v = edge ? rng.pick(EDGE_NUMBERS) : rng.pick(OFFSETS);
      break;
    case 'LEN':
      v = edge ? rng.pick(EDGE_NUMBERS) : rng.pick(LENGTHS);
      break;
    case 'N':
      v = keyword === 'repeat' ? (edge ? rng.pick(REPEATS) : rng.pick(['0', '1', '2', '3', '4', '7', '50', '300'])) : edge ? rng.pick(EDGE_NUMBERS) : rng.pick(['512', '1024', '2048', '4096']);
      break;
    case 'PRESET':
      v = rng.pick(PRESETS).name;
      break;
    case 'TEXT':
      v = Array.from({ length: 1 + rng.int(3) }, () => rng.pick(['the', 'zero', 'page', 'pin', 'x', '"q"', 'a#b'])).join(' ');
      break;
    case 'bio#N':
      v = `bio#${rng.int(6)}`;
      break;
    default:
      v = rng.pick(EDGE_NUMBERS);
  }
  return prefix + v;
}

function expand(rng: Rng, nodes: Node[], keywordIn: string, w: World, out: string[]): void {
  let keyword = keywordIn;
  for (const n of nodes) {
    if (n.t === 'lit') {
      out.push(n.text);
      if (keyword === 'vfio' && n.text === 'map') keyword = 'vfio-map';
    }
    else if (n.t === 'ph') out.push(placeholder(rng, n.name, keyword, w));
    else if (n.t === 'alt') expand(rng, rng.pick(n.alts), keyword, w, out);
    else {
      const times = n.many ? rng.int(3) : rng.chance(0.5) ? 1 : 0;
      for (let k = 0; k < times; k++) expand(rng, rng.pick(n.alts), keyword, w, out);
    }
  }
}

function expectLine(rng: Rng, w: World): string {
  const r = rng.int(5);
  let subject: string;
  let field: string | undefined;
  if (r === 0) subject = rng.pick(RUN_SUBJECTS);
  else if (r === 1) {
    subject = rng.pick(['zero', 'hugezero']);
    field = rng.pick(EXPECT_FIELDS.folio);
  } else if (r === 2 && w.maps.length) {
    subject = `${rng.pick(w.maps)}+${rng.pick(OFFSETS)}`;
    field = rng.pick(EXPECT_FIELDS.folio);
  } else if (r === 3) {
    subject = rng.pick(['bio#1', 'bio#2', 'dio#1']);
    field = rng.pick(subject.startsWith('bio') ? EXPECT_FIELDS.bio : EXPECT_FIELDS.dio);
  } else {
    subject = w.handles.length ? rng.pick(w.handles) : 'pin#1';
    field = rng.pick(EXPECT_FIELDS.handle);
  }
  const value = rng.pick(['0', '1', '1025', 'true', 'false', '-ENOMEM', 'anon', 'zero', 'none', 'submitted', '2147483647']);
  const on = rng.chance(0.2) ? ` on ${rng.pick(['>=v6.5', '<v6.5', 'v6.1', 'zero-pin=skip', 'v5.10,v6.4'])}` : '';
  return `expect ${subject}${field && rng.chance(0.8) ? `.${field}` : ''} ${rng.pick(COMPARE_OPS)} ${value}${on}`;
}

/**
 * Keywords the grammar generator builds statements for: every keyword in the usage table (the ones that take
 * or release references twice as often).
 */
const FREQUENT: ReadonlySet<string> = new Set(['pin', 'get', 'unpin', 'put', 'read', 'write', 'dio', 'complete', 'vfio', 'vmsplice', 'close']);
const GRAMMAR_KEYWORDS = STATEMENT_KEYWORDS.filter((k) => k !== 'end' && k !== 'kernel' && k !== 'title').flatMap((k) => (FREQUENT.has(k) ? [k, k, k] : [k]));
const USAGE_TREES = new Map<string, Node[][]>(STATEMENT_KEYWORDS.map((k) => [k, parseUsage(USAGE[k])]));

/** A well-formed scenario (most names exist; numbers are mostly plausible, sometimes at the edges). */
export function grammar(rng: Rng, options: { preset?: string; toggles?: boolean } = {}): string {
  const w: World = { maps: [], files: [], handles: [], tasks: ['main'], auto: {}, kinds: {} };
  const lines: string[] = [];
  if (rng.chance(0.5)) lines.push(`title ${placeholder(rng, 'TEXT', 'title', w)}`);
  const preset = options.preset ?? rng.pick(PRESETS).name;
  const toggles = options.toggles !== false && rng.chance(0.3) ? ` ${placeholder(rng, 'TOGGLE=VALUE', 'kernel', w)}` : '';
  lines.push(`kernel ${preset}${toggles}`);
  // A little set-up so most statements find something to act on.
  for (let i = 0; i < 1 + rng.int(2); i++) {
    const f = `f${i}`;
    const fs = rng.pick(['legacy', 'iomap', 'blockdev']);
    lines.push(`file ${f} ${rng.pick(['16K', '64K', '1M', '0'])} fs=${fs}${fs !== 'blockdev' && rng.chance(0.3) ? ' holes' : ''}`);
    w.files.push(f);
  }
  for (let i = 0; i < 1 + rng.int(3); i++) {
    const m = `m${i}`;
    lines.push(`mmap ${m} ${rng.pick(['32K', '64K', '2M', '4M'])}${rng.chance(0.3) ? ' thp' : ''}${rng.chance(0.2) ? ` file=${w.files[0]} shared` : ''}`);
    w.maps.push(m);
  }
  let depth = 0;
  const n = 3 + rng.int(18);
  for (let i = 0; i < n; i++) {
    let keyword: string = rng.pick(GRAMMAR_KEYWORDS);
    // Release what exists: with nothing of the kind to release, take something instead (mostly).
    const wants = RELEASES[keyword];
    if (wants && keyword !== 'vfio' && !w.handles.some((h) => w.kinds[h] === wants) && rng.chance(0.9)) keyword = rng.pick(['pin', 'get', 'vmsplice']);
    if (keyword === 'expect') {
      lines.push(`${'  '.repeat(depth)}${expectLine(rng, w)}`);
      continue;
    }
    const out: string[] = [];
    expand(rng, rng.pick(USAGE_TREES.get(keyword)!), keyword, w, out);
    if (keyword === 'repeat') {
      if (depth >= 3) continue;
      lines.push(`${'  '.repeat(depth)}${out.join(' ')}`);
      depth++;
      continue;
    }
    lines.push(`${'  '.repeat(depth)}${out.join(' ')}`);
    // Learn the names the statement made.
    if (keyword === 'mmap' && out[1]) w.maps.push(out[1]);
    if (keyword === 'file' && out[1]) w.files.push(out[1]);
    if (keyword === 'fork') w.tasks.push(out[1] ?? 'child');
    const learn = (h: string | undefined, kind: string) => {
      if (h === undefined) return;
      w.handles.push(h);
      w.kinds[h] = kind;
    };
    if (keyword === 'pin' || keyword === 'get') {
      if (out[1] && !w.maps.includes(out[1])) learn(out[1], keyword);
      else learn(`${keyword}#${(w.auto[keyword] = (w.auto[keyword] ?? 0) + 1)}`, keyword);
    }
    if (keyword === 'vfio' && out[1] === 'map') learn(out[2], 'vfio');
    if (keyword === 'vmsplice') learn(out[1], 'pipe');
    if (depth > 0 && rng.chance(0.3)) {
      depth--;
      lines.push(`${'  '.repeat(depth)}end`);
    }
  }
  while (depth-- > 0) lines.push(`${'  '.repeat(Math.max(0, depth))}end`);
  return lines.join('\n') + '\n';
}

// ---- generator 3: mutations of the shipped scenarios -----------------------------------------------------

const NUMBER = /\b(0x[0-9a-fA-F]+|\d+[KMG]?)\b/g;

export function mutate(rng: Rng, text: string): string {
  let lines = text.split('\n');
  const edits = 1 + rng.int(4);
  for (let e = 0; e < edits; e++) {
    const i = rng.int(Math.max(1, lines.length));
    const line = lines[i] ?? '';
    switch (rng.int(8)) {
      case 0: // numbers at the edges
      case 1: {
        const nums = [...line.matchAll(NUMBER)];
        if (nums.length === 0) break;
        const m = rng.pick(nums);
        lines[i] = line.slice(0, m.index) + rng.pick(EDGE_NUMBERS) + line.slice(m.index! + m[0].length);
        break;
      }
      case 2:
        lines.splice(i, 1);
        break;
      case 3:
        lines.splice(i, 0, line);
        break;
      case 4: {
        const j = rng.int(lines.length);
        [lines[i], lines[j]] = [lines[j] ?? '', line];
        break;
      }
      case 5: {
        const words = line.split(' ');
        words[rng.int(words.length)] = rng.chance(0.5) ? rng.pick(vocabulary()) : rng.pick(JUNK);
        lines[i] = words.join(' ');
        break;
      }
      case 6: // wrap a statement in a repeat with an edge count
        lines.splice(i, 1, `repeat ${rng.pick(REPEATS)}`, line, 'end');
        break;
      default: // truncate
        lines = lines.slice(0, i + 1);
        if (rng.chance(0.5)) lines[i] = line.slice(0, rng.int(line.length + 1));
    }
  }
  return lines.join('\n');
}

// ---- properties ------------------------------------------------------------------------------------------

export interface Failure {
  property: 'throws' | 'unlocated-error' | 'time' | 'refcount-sum' | 'teardown-leak' | 'fast-forward';
  message: string;
}

export interface CheckOptions {
  /** Wall-time guard per input (generous: a guard against hangs, not a benchmark). */
  timeLimitMs?: number;
  simulate?: SimulateOptions;
  /** How many steps of a run to check the refcount sum at. */
  sampleSteps?: number;
  now?: () => number;
}

export interface CheckResult {
  failure?: Failure;
  /** The run ended in a located scenario error (parse or run). */
  errored: boolean;
  teardownChecked: boolean;
  ms: number;
}

/**
 * The budgets a campaign runs with: smaller than the simulator's defaults (work 200,000 units instead of 2M,
 * 1 s instead of 5 s) so that thousands of inputs fit in CI; the guard is per input, checks included.
 */
export const FUZZ_CHECK: CheckOptions = { simulate: { maxWork: 200_000, maxMillis: 1_000 }, timeLimitMs: 10_000 };

const NEW_KERNELS = new Set(['v6.5', 'v6.9', 'v6.12', 'latest']);

/** Run one input through parser and simulator and check every property. */
export function checkInput(text: string, options: CheckOptions = {}): CheckResult {
  const now = options.now ?? (() => Date.now());
  const limit = options.timeLimitMs ?? 10_000;
  const t0 = now();
  const done = (r: Omit<CheckResult, 'ms'>): CheckResult => {
    const ms = now() - t0;
    if (!r.failure && ms > limit) return { ...r, failure: { property: 'time', message: `took ${ms} ms (guard ${limit} ms)` }, ms };
    return { ...r, ms };
  };
  let run: Run;
  try {
    const parsed = parseScenario(text);
    if (!parsed.ok) {
      const bad = parsed.errors.find((e) => !(e.line >= 1 && e.col >= 1 && typeof e.message === 'string' && e.message.length > 0));
      return done({ errored: true, teardownChecked: false, ...(bad ? { failure: { property: 'unlocated-error', message: JSON.stringify(bad) } } : {}) });
    }
    const outcome = simulate(parsed.scenario, options.simulate);
    if (!outcome.ok) {
      const e = outcome.error;
      const located = e.line >= 1 && e.col >= 1 && e.message.length > 0 && !/internal/.test(e.message);
      if (!located) return done({ errored: true, teardownChecked: false, failure: { property: 'unlocated-error', message: JSON.stringify(e) } });
      // The part that ran before the error must keep the invariant too.
      const sum = outcome.run ? refcountSums(outcome.run, 4) : undefined;
      return done({ errored: true, teardownChecked: false, ...(sum ? { failure: { property: 'refcount-sum', message: sum } } : {}) });
    }
    run = outcome.run;
    const sum = refcountSums(run, options.sampleSteps ?? 12);
    if (sum) return done({ errored: false, teardownChecked: false, failure: { property: 'refcount-sum', message: sum } });
    if (/^\s*repeat\b/m.test(text)) {
      const differs = fastForwardDiffers(parsed.scenario, run, options.simulate);
      if (differs) return done({ errored: false, teardownChecked: false, failure: { property: 'fast-forward', message: differs } });
    }
    const kernel = run.kernel;
    const eligible = NEW_KERNELS.has(kernel.preset.name) && Object.keys(kernel.overrides).length === 0 && !run.findings.some((f) => f.kind === 'refcount-wrap' || f.kind === 'gup-refused');
    if (!eligible) return done({ errored: false, teardownChecked: false });
    const tail = teardown(run);
    if (tail === undefined) return done({ errored: false, teardownChecked: false });
    const full = `${text}\n${tail}`;
    const again = parseScenario(full);
    if (!again.ok) return done({ errored: false, teardownChecked: false });
    const o2 = simulate(again.scenario, options.simulate);
    if (!o2.ok) return done({ errored: false, teardownChecked: false });
    const leak = leftovers(o2.run);
    return done({ errored: false, teardownChecked: true, ...(leak ? { failure: { property: 'teardown-leak', message: `${leak}\nafter the teardown:\n${tail}` } } : {}) });
  } catch (e) {
    return done({ errored: false, teardownChecked: false, failure: { property: 'throws', message: e instanceof Error ? `${e.name}: ${e.message}` : String(e) } });
  }
}

/**
 * Property: fast-forwarding repeats changes nothing but the time taken. The same scenario with every iteration
 * run for real (when that fits the budgets) ends with the same events, expectations, findings and state.
 */
function fastForwardDiffers(scenario: Scenario, fast: Run, simulateOptions: SimulateOptions | undefined): string | undefined {
  // A small budget: only runs that are cheap to execute in full are compared (most fuzz repeats are not).
  const slow = simulate(scenario, { ...simulateOptions, maxWork: 20_000, maxMillis: 250, fastForward: false });
  if (!slow.ok) return undefined; // too long to run every iteration: nothing to compare
  const facts = (run: Run) => ({
    // Where a muted span starts and ends may differ (a body that changes nothing is skipped before it is
    // muted), so the elided summary events are not compared; every other event is.
    events: run.events.filter((e) => e.kind !== 'elided').map((e) => `${e.kind}:${e.line}:${e.text}`),
    expectations: run.expectations.map(({ step: _step, ...e }) => e),
    findings: run.findings.map((f) => ({ kind: f.kind, line: f.line, count: f.count, message: f.message })),
    state: { ...run.snapshot(run.lastStep), event: undefined, step: undefined, lastStep: undefined },
  });
  const a = facts(fast);
  const b = facts(slow.run);
  for (const key of Object.keys(a) as (keyof typeof a)[]) {
    const x = JSON.stringify(a[key]);
    const y = JSON.stringify(b[key]);
    if (x !== y) return `${key} differ with fast-forward: ${x.slice(0, 300)}\nwithout: ${y.slice(0, 300)}`;
  }
  return undefined;
}

/** Property: at sampled steps, refcount = sum of holders, unless a mismatch or bad release was reported by then. */
function refcountSums(run: Run, samples: number): string | undefined {
  const last = run.lastStep;
  const steps = new Set<number>([0, last]);
  for (let i = 1; i < samples; i++) steps.add(Math.round((i * last) / samples));
  for (const step of [...steps].sort((a, b) => a - b)) {
    const snap = run.snapshot(step);
    const excused = run.findings.some((f) => (f.kind === 'refcount-mismatch' || f.kind === 'bad-release') && f.step <= Math.max(step, 1));
    if (excused) continue;
    for (const f of snap.folios) {
      const sum = f.holders.reduce((n, h) => n + h.refs, 0) | 0;
      if (sum !== f.refcount) return `step ${step}: F${f.id} (${f.kind}) refcount ${f.refcount}, holders sum ${sum}`;
    }
  }
  return undefined;
}

/** Statements that release everything the run still holds, or undefined when that is not expressible. */
function teardown(run: Run): string | undefined {
  const snap = run.snapshot(run.lastStep);
  const out: string[] = ['complete all'];
  let statements = 0;
  for (const h of snap.handles) {
    if (h.released || h.pages === 0) continue;
    const names: string[] = [];
    const m = /^(pin|get)#(\d+)…(pin|get)#(\d+)$/.exec(h.display);
    if (m) {
      const a = Number(m[2]);
      const b = Number(m[4]);
      if (b - a > 64) return undefined;
      for (let k = a; k <= b; k++) names.push(`${m[1]}#${k}`);
    } else names.push(h.name);
    for (const n of names) {
      statements++;
      if (h.kind === 'pin') out.push(`task ${h.task}`, `unpin ${n}`);
      else if (h.kind === 'get') out.push(`task ${h.task}`, `put ${n}`);
      else if (h.kind === 'vfio') out.push(`vfio unmap ${n}`);
      else if (h.kind === 'pipe') out.push(`close ${n}`);
    }
  }
  for (const t of snap.tasks) if (t.alive) out.push(`exit ${t.name}`);
  out.push('complete all');
  return statements > 500 ? undefined : out.filter((l) => !l.startsWith('task ') || snap.tasks.some((t) => t.alive && l === `task ${t.name}`)).join('\n');
}

/** Leaked references or folios other than page cache left after a full teardown. */
function leftovers(run: Run): string | undefined {
  const snap = run.snapshot(run.lastStep);
  const problems: string[] = [];
  if (snap.leaks !== 0) problems.push(`leaks ${snap.leaks}`);
  for (const f of snap.folios) {
    const holders = JSON.stringify(f.holders.map((h) => [h.key, h.refs, h.pins]));
    if (f.kind === 'zero' || f.kind === 'hugezero') {
      if (f.refcount !== 1) problems.push(`the ${f.kind} folio has refcount ${f.refcount} at rest; holders ${holders}`);
    } else if (f.kind !== 'file' || f.holders.some((h) => h.kind !== 'cache')) {
      problems.push(`F${f.id} (${f.kind}) is left with refcount ${f.refcount}; holders ${holders}`);
    }
  }
  return problems.length ? problems.join('; ') : undefined;
}

// ---- shrinking -------------------------------------------------------------------------------------------

/** The smallest text (by deleting lines, then words) that still fails the same property. */
export function shrink(text: string, property: Failure['property'], options: CheckOptions = {}, budget = 400): string {
  const fails = (t: string) => checkInput(t, options).failure?.property === property;
  let lines = text.split('\n');
  let tries = 0;
  let changed = true;
  while (changed && tries < budget) {
    changed = false;
    for (let size = Math.max(1, lines.length >> 1); size >= 1 && tries < budget; size >>= 1) {
      for (let i = 0; i + size <= lines.length && tries < budget; ) {
        const candidate = [...lines.slice(0, i), ...lines.slice(i + size)];
        tries++;
        if (fails(candidate.join('\n'))) {
          lines = candidate;
          changed = true;
        } else i++;
      }
    }
  }
  return lines.join('\n').trim() + '\n';
}

// ---- the campaign ----------------------------------------------------------------------------------------

export type GeneratorName = 'soup' | 'grammar' | 'mutate';

export interface FuzzInput {
  generator: GeneratorName;
  index: number;
  text: string;
}

/** The `index`-th input of a campaign: deterministic in (seed, index), so any input can be regenerated. */
export function inputAt(seed: number, index: number, shipped: readonly string[]): FuzzInput {
  const rng = new Rng((seed ^ Math.imul(index + 1, 0x9e3779b1)) >>> 0);
  const g = index % 3;
  if (g === 0) return { generator: 'soup', index, text: soup(rng) };
  if (g === 1 || shipped.length === 0) return { generator: 'grammar', index, text: grammar(rng, rng.chance(0.5) ? { preset: rng.pick([...NEW_KERNELS]), toggles: false } : {}) };
  return { generator: 'mutate', index, text: mutate(rng, shipped[rng.int(shipped.length)]!) };
}

export interface FuzzReport {
  inputs: number;
  byGenerator: Record<GeneratorName, number>;
  errored: number;
  teardownChecked: number;
  failures: (FuzzInput & Failure & { shrunk: string })[];
  slowestMs: number;
}

export function fuzz(options: { seed: number; count: number; shipped: readonly string[]; check?: CheckOptions; onProgress?: (done: number) => void; shrinkFailures?: boolean }): FuzzReport {
  const report: FuzzReport = { inputs: 0, byGenerator: { soup: 0, grammar: 0, mutate: 0 }, errored: 0, teardownChecked: 0, failures: [], slowestMs: 0 };
  for (let i = 0; i < options.count; i++) {
    const input = inputAt(options.seed, i, options.shipped);
    const r = checkInput(input.text, options.check ?? FUZZ_CHECK);
    report.inputs++;
    report.byGenerator[input.generator]++;
    if (r.errored) report.errored++;
    if (r.teardownChecked) report.teardownChecked++;
    report.slowestMs = Math.max(report.slowestMs, r.ms);
    if (r.failure) {
      const shrunk = options.shrinkFailures === false || r.failure.property === 'time' ? input.text : shrink(input.text, r.failure.property, options.check ?? FUZZ_CHECK);
      report.failures.push({ ...input, ...r.failure, shrunk });
    }
    if (options.onProgress && (i + 1) % 1000 === 0) options.onProgress(i + 1);
  }
  return report;
}
