// Property tests of the simulator: random valid scenarios (built as text from a small model of what exists,
// with the simulator itself asked which bios are in flight and which tasks are waiting) must run without
// throwing, keep every folio's refcount equal to the sum of its holders' references at every step, leave
// nothing behind on v6.5+ once everything is released, seek reversibly, and survive print → parse.
//
// A failing property prints fast-check's shrunk counterexample: the scenario text itself.

import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { parseScenario, printScenario } from '../scenario';
import type { Scenario } from '../scenario';
import { PRESETS, TOGGLES, simulate, type Run, type Snapshot } from './index';

// ---- the generator -------------------------------------------------------------------------------------

const K = 1024;
const PAGE = 4 * K;
const SECTOR = 512;
const FS = ['legacy', 'iomap', 'blockdev'] as const;
const BLOCKSIZES = [512, 1024, 2048, 4096] as const;
const NEW_PRESETS = ['v6.5', 'v6.9', 'v6.12', 'latest'];

type MapKind = 'anon' | 'thp' | 'ro' | 'memfd' | 'file' | 'shanon';
const MAP_KINDS: readonly MapKind[] = ['anon', 'thp', 'ro', 'memfd', 'file', 'shanon'];

interface MapInfo {
  name: string;
  size: number;
  writable: boolean;
}
interface TaskModel {
  alive: boolean;
  maps: Map<string, MapInfo>;
}
type HandleKind = 'pin' | 'get' | 'vfio' | 'pipe';
interface HandleModel {
  name: string;
  kind: HandleKind;
  released: boolean;
}

/** Random numbers that the builder turns into one statement (or a pair, or a repeat block). */
interface RawOp {
  kind: number;
  a: number;
  b: number;
  c: number;
  d: number;
  f: number;
  body: RawOp[];
}
interface RawScenario {
  preset: string;
  toggles: { t: number; v: number }[];
  files: { fs: number; bs: number; sectors: number; holes: boolean }[];
  maps: { kind: number; pages: number }[];
  ops: RawOp[];
  /** Bit 0: tear down at the end; bit 1: exit the tasks before releasing the handles. */
  teardown: number;
}

export interface Generated {
  text: string;
  kernel: string;
  /** Every handle released, `complete all` run and every task exited at the end. */
  tornDown: boolean;
}

const simpleOp: fc.Arbitrary<RawOp> = fc.record({
  kind: fc.nat(99),
  a: fc.nat(1_000_000),
  b: fc.nat(1_000_000),
  c: fc.nat(1_000_000),
  d: fc.nat(1_000_000),
  f: fc.nat(255),
  body: fc.constant([] as RawOp[]),
});
const rawOp: fc.Arbitrary<RawOp> = fc.record({
  kind: fc.nat(99),
  a: fc.nat(1_000_000),
  b: fc.nat(1_000_000),
  c: fc.nat(1_000_000),
  d: fc.nat(1_000_000),
  f: fc.nat(255),
  body: fc.array(simpleOp, { minLength: 1, maxLength: 3 }),
});

function rawScenario(opts: { presets?: readonly string[]; toggles: boolean; teardown: 'always' | 'random'; maxOps: number }): fc.Arbitrary<RawScenario> {
  return fc.record({
    preset: fc.constantFrom(...(opts.presets ?? PRESETS.map((p) => p.name))),
    toggles: opts.toggles ? fc.array(fc.record({ t: fc.nat(99), v: fc.nat(99) }), { maxLength: 2 }) : fc.constant([]),
    files: fc.array(fc.record({ fs: fc.nat(2), bs: fc.nat(3), sectors: fc.nat(128), holes: fc.boolean() }), { minLength: 1, maxLength: 3 }),
    maps: fc.array(fc.record({ kind: fc.nat(MAP_KINDS.length - 1), pages: fc.integer({ min: 1, max: 8 }) }), { minLength: 1, maxLength: 4 }),
    ops: fc.array(rawOp, { maxLength: opts.maxOps }),
    teardown: opts.teardown === 'always' ? fc.constantFrom(1, 3) : fc.nat(3),
  });
}

function sizeText(n: number): string {
  if (n > 0 && n % (1024 * K) === 0) return `${n / (1024 * K)}M`;
  if (n > 0 && n % K === 0) return `${n / K}K`;
  return String(n);
}

/** What the simulator says about a prefix of the scenario (which bios are in flight, who waits). */
function oracle(lines: readonly string[]): Snapshot | undefined {
  const parsed = parseScenario(lines.join('\n'));
  if (!parsed.ok) return undefined;
  const out = simulate(parsed.scenario);
  return out.ok ? out.run.snapshot(out.run.lastStep) : undefined;
}

class Builder {
  readonly lines: string[] = [];
  readonly tasks = new Map<string, TaskModel>();
  readonly handles: HandleModel[] = [];
  readonly files: { name: string; size: number }[] = [];
  cur = 'main';
  private nextHandle = 1;
  private nextChild = 1;
  private indent = '';

  constructor() {
    this.tasks.set('main', { alive: true, maps: new Map() });
  }

  emit(line: string): void {
    this.lines.push(this.indent + line);
  }

  task(): TaskModel {
    return this.tasks.get(this.cur)!;
  }

  liveTasks(): string[] {
    return [...this.tasks].filter(([, t]) => t.alive).map(([n]) => n);
  }

  mapping(n: number): MapInfo | undefined {
    const maps = [...this.task().maps.values()];
    return maps.length ? maps[n % maps.length] : undefined;
  }

  handle(): string {
    return `h${this.nextHandle++}`;
  }

  /** A 512-aligned range of a mapping: offset and length. */
  range(m: MapInfo, a: number, b: number, maxLen = 64 * K): { off: number; len: number } {
    const slots = m.size / SECTOR;
    const off = (a % slots) * SECTOR;
    const room = Math.min(maxLen, m.size - off) / SECTOR;
    return { off, len: (1 + (b % room)) * SECTOR };
  }

  // --- statements ---

  access(op: RawOp): void {
    const m = this.mapping(op.a);
    if (!m) return;
    const verb = m.writable && op.f & 1 ? 'write' : 'read';
    if (op.f & 2) {
      this.emit(`${verb} ${m.name}`);
      return;
    }
    const r = this.range(m, op.b, op.c, 256 * K);
    this.emit(`${verb} ${m.name} ${sizeText(r.off)} ${sizeText(r.len)}`);
  }

  gup(op: RawOp, name: string, kind: 'pin' | 'get'): boolean {
    const m = this.mapping(op.a);
    if (!m) return false;
    const r = this.range(m, op.b, op.c, 32 * K);
    const flags = [op.f & 1 && 'write', kind === 'pin' && op.f & 2 && 'longterm', op.f & 4 && 'fast'].filter(Boolean).join(' ');
    this.emit(`${kind} ${name} ${m.name} ${sizeText(r.off)} ${sizeText(r.len)}${flags ? ` ${flags}` : ''}`);
    return true;
  }

  vfio(op: RawOp, name: string): boolean {
    const m = this.mapping(op.a);
    if (!m) return false;
    const r = this.range(m, op.b, op.c, 32 * K);
    this.emit(`vfio map ${name} ${m.name} ${sizeText(r.off)} ${sizeText(r.len)}${op.f & 1 ? ' write' : ''}`);
    return true;
  }

  vmsplice(op: RawOp, name: string): boolean {
    const m = this.mapping(op.a);
    if (!m) return false;
    const r = this.range(m, op.b, op.c, 32 * K);
    this.emit(`vmsplice ${name} ${m.name} ${sizeText(r.off)} ${sizeText(r.len)}`);
    return true;
  }

  release(h: HandleModel, dirty: boolean): void {
    if (h.kind === 'pin') this.emit(`unpin ${h.name}${dirty ? ' dirty' : ''}`);
    else if (h.kind === 'get') this.emit(`put ${h.name}`);
    else if (h.kind === 'vfio') this.emit(`vfio unmap ${h.name}`);
    else this.emit(`close ${h.name}`);
    h.released = true;
  }

  take(op: RawOp, kind: HandleKind): HandleModel | undefined {
    const name = this.handle();
    const ok = kind === 'pin' || kind === 'get' ? this.gup(op, name, kind) : kind === 'vfio' ? this.vfio(op, name) : this.vmsplice(op, name);
    if (!ok) return undefined;
    const h: HandleModel = { name, kind, released: false };
    this.handles.push(h);
    return h;
  }

  dio(op: RawOp): void {
    const m = this.mapping(op.a);
    if (!m || this.files.length === 0) return;
    const file = this.files[op.b % this.files.length]!;
    const dir = op.f & 1 ? 'write' : 'read';
    const r = this.range(m, op.c, op.d, 64 * K);
    let foff: number;
    const fileSlots = Math.floor(file.size / SECTOR);
    if (dir === 'write' && (op.f & 6) === 6) {
      // Now and then, a write that extends the file (at or just below its end).
      foff = Math.max(0, fileSlots - (op.c % 3)) * SECTOR;
    } else if (dir === 'write') {
      if (fileSlots === 0) return;
      const len = Math.min(r.len, fileSlots * SECTOR);
      foff = (op.d % (fileSlots - len / SECTOR + 1)) * SECTOR;
      r.len = len;
    } else {
      foff = fileSlots === 0 ? 0 : (op.d % fileSlots) * SECTOR;
    }
    if (dir === 'write') file.size = Math.max(file.size, foff + r.len);
    const async = op.f & 8 ? ' async' : '';
    const bufoff = r.off ? ` ${sizeText(r.off)}` : async ? ' 0' : '';
    this.emit(`dio ${dir} ${file.name} ${sizeText(foff)} ${sizeText(r.len)} ${m.name}${bufoff}${async}`);
  }

  completeOne(op: RawOp): void {
    const snap = oracle(this.lines);
    const inflight = snap?.bios.filter((b) => b.state === 'submitted') ?? [];
    if (inflight.length === 0) this.emit('complete all');
    else this.emit(`complete ${inflight[op.a % inflight.length]!.name}`);
  }

  fork(): void {
    const child = `c${this.nextChild++}`;
    this.emit(`fork ${child}`);
    const maps = new Map([...this.task().maps].map(([k, v]) => [k, { ...v }]));
    this.tasks.set(child, { alive: true, maps });
  }

  exit(op: RawOp): void {
    const live = this.liveTasks();
    if (live.length < 2) return;
    const snap = oracle(this.lines);
    if (!snap) return;
    const idle = live.filter((n) => !snap.tasks.find((t) => t.name === n)?.waitingOn);
    if (idle.length === 0) return;
    const name = idle[op.a % idle.length]!;
    this.emit(`exit ${name}`);
    this.tasks.get(name)!.alive = false;
    if (name === this.cur) this.cur = this.liveTasks()[0]!;
  }

  /** One top-level operation. */
  op(op: RawOp): void {
    const k = op.kind;
    const open = () => this.handles.filter((h) => !h.released);
    if (k < 14) this.access(op);
    else if (k < 24) this.take(op, op.f & 16 ? 'get' : 'pin');
    else if (k < 34) {
      const hs = open();
      if (hs.length) this.release(hs[op.a % hs.length]!, (op.f & 32) !== 0);
    } else if (k < 46) this.dio(op);
    else if (k < 50) this.emit('complete all');
    else if (k < 54) this.completeOne(op);
    else if (k < 58) this.fork();
    else if (k < 63) {
      const live = this.liveTasks();
      this.cur = live[op.a % live.length]!;
      this.emit(`task ${this.cur}`);
    } else if (k < 65) this.exit(op);
    else if (k < 68) {
      const m = this.mapping(op.a);
      if (!m) return;
      this.emit(`munmap ${m.name}`);
      this.task().maps.delete(m.name);
    } else if (k < 73) {
      const m = this.mapping(op.a);
      if (!m) return;
      if (op.f & 1) this.emit(`madvise ${m.name} dontneed`);
      else {
        const r = this.range(m, op.b, op.c, m.size);
        this.emit(`madvise ${m.name} dontneed ${sizeText(r.off)} ${sizeText(r.len)}`);
      }
    } else if (k < 78) this.take(op, 'pipe');
    else if (k < 84) this.take(op, 'vfio');
    else if (k < 92) this.repeat(op);
    else this.access(op);
  }

  /** `repeat N` with a body that stays valid on every iteration. */
  repeat(op: RawOp): void {
    const count = 2 + (op.a % 7);
    const start = this.lines.length;
    this.emit(`repeat ${count}`);
    this.indent = '  ';
    const accumulated: HandleModel[] = [];
    for (const b of op.body) {
      const k = b.kind % 8;
      if (k === 0 || k === 1) this.access(b);
      else if (k === 2) {
        const kind: HandleKind = (['pin', 'get', 'pipe', 'vfio'] as const)[b.d % 4]!;
        const h = this.take(b, kind);
        if (h) this.release(h, (b.f & 32) !== 0);
      } else if (k === 3) {
        // A named pin taken on every iteration accumulates on one handle, released after the repeat.
        const h = this.take(b, b.f & 16 ? 'get' : 'pin');
        if (h) accumulated.push(h);
      } else if (k === 4) {
        this.dio({ ...b, f: b.f | 8 });
      } else if (k === 5) {
        this.dio({ ...b, f: b.f & ~8 });
        this.emit('complete all');
      } else if (k === 6) {
        const m = this.mapping(b.a);
        if (m) this.emit(`madvise ${m.name} dontneed`);
      } else this.access(b);
    }
    this.indent = '';
    if (this.lines.length === start + 1) {
      this.lines.pop();
      return;
    }
    this.emit('end');
  }

  teardown(exitFirst: boolean): void {
    this.emit('complete all');
    const releaseAll = () => {
      for (const h of this.handles) if (!h.released) this.release(h, false);
    };
    const exitAll = () => {
      for (const name of this.liveTasks()) {
        this.emit(`exit ${name}`);
        this.tasks.get(name)!.alive = false;
      }
    };
    if (exitFirst) {
      exitAll();
      releaseAll();
    } else {
      releaseAll();
      exitAll();
    }
  }
}

export function build(raw: RawScenario): Generated {
  const b = new Builder();
  const toggles = new Map<string, string>();
  for (const t of raw.toggles) {
    const spec = TOGGLES[t.t % TOGGLES.length]!;
    toggles.set(spec.name, spec.values[t.v % spec.values.length]!);
  }
  const kernel = [raw.preset, ...[...toggles].map(([k, v]) => `${k}=${v}`)].join(' ');
  b.emit('title generated');
  b.emit(`kernel ${kernel}`);
  raw.files.forEach((f, i) => {
    const fs = FS[f.fs]!;
    const bs = BLOCKSIZES[f.bs]!;
    let size = f.sectors * SECTOR;
    // The first file backs a private file mapping: give it at least a page.
    if (i === 0 && raw.maps.some((m) => MAP_KINDS[m.kind] === 'file')) size = Math.max(size, 4 * PAGE);
    const holes = f.holes && fs !== 'blockdev' ? ' holes' : '';
    b.emit(`file f${i + 1} ${sizeText(size)} fs=${fs} blocksize=${sizeText(bs)}${holes}`);
    b.files.push({ name: `f${i + 1}`, size });
  });
  raw.maps.forEach((m, i) => {
    const kind = MAP_KINDS[m.kind]!;
    const name = `m${i + 1}`;
    let size = m.pages * PAGE;
    let line: string;
    let writable = true;
    switch (kind) {
      case 'anon':
        line = `mmap ${name} ${sizeText(size)}`;
        break;
      case 'thp':
        size = 2 * 1024 * K;
        line = `mmap ${name} 2M thp`;
        break;
      case 'ro':
        writable = false;
        line = `mmap ${name} ${sizeText(size)} ro`;
        break;
      case 'memfd':
        line = `mmap ${name} ${sizeText(size)} memfd shared`;
        break;
      case 'shanon':
        line = `mmap ${name} ${sizeText(size)} anon shared`;
        break;
      case 'file': {
        const f = b.files[0]!;
        size = Math.max(PAGE, Math.min(size, Math.floor(f.size / PAGE) * PAGE));
        line = `mmap ${name} ${sizeText(size)} file=${f.name} private`;
        break;
      }
    }
    b.emit(line);
    b.task().maps.set(name, { name, size, writable });
  });
  for (const op of raw.ops) b.op(op);
  const tornDown = (raw.teardown & 1) === 1;
  if (tornDown) b.teardown((raw.teardown & 2) === 2);
  return { text: `${b.lines.join('\n')}\n`, kernel, tornDown };
}

function scenarioArb(opts: { presets?: readonly string[]; toggles: boolean; teardown: 'always' | 'random'; maxOps?: number }): fc.Arbitrary<Generated> {
  return rawScenario({ ...opts, maxOps: opts.maxOps ?? 30 }).map(build);
}

function parse(text: string): Scenario {
  const parsed = parseScenario(text);
  if (!parsed.ok) throw new Error(`the generator wrote a scenario that does not parse: ${JSON.stringify(parsed.errors)}\n${text}`);
  return parsed.scenario;
}

function runOf(text: string): Run {
  const out = simulate(parse(text));
  if (!out.ok) throw new Error(`scenario error ${out.error.line}:${out.error.col}: ${out.error.message}`);
  return out.run;
}

/** Steps to look at: all of them for short runs, otherwise the ends and a spread of 50. */
function sampleSteps(run: Run, rng: () => number, n = 50): number[] {
  if (run.lastStep <= n) return Array.from({ length: run.lastStep + 1 }, (_, i) => i);
  const steps = new Set<number>([0, run.lastStep]);
  while (steps.size < n) steps.add(Math.floor(rng() * (run.lastStep + 1)));
  return [...steps].sort((a, b) => a - b);
}

function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const RUNS = 150;

// ---- the properties ------------------------------------------------------------------------------------

describe('simulator properties on random valid scenarios', () => {
  it('a. simulate never throws, and generated scenarios run (ok: true) almost always', () => {
    let total = 0;
    const errors: string[] = [];
    fc.assert(
      fc.property(scenarioArb({ toggles: true, teardown: 'random' }), (g) => {
        total++;
        const out = simulate(parse(g.text));
        if (!out.ok) errors.push(`${out.error.line}:${out.error.col}: ${out.error.message}\n${g.text}`);
      }),
      { numRuns: RUNS },
    );
    if (errors.length) console.log(`a. ${errors.length} of ${total} generated scenarios stopped with a scenario error; first:\n${errors[0]}`);
    expect(errors.length).toBeLessThanOrEqual(Math.floor(total * 0.05));
  });
});
