// A plain, immutable picture of the simulator state at one step: what every view and the command line read.
// Views never see the simulator's internals, only this.

import type { RunParts } from './runparts';
import type { FolioKind } from './state';
import { PAGE_SIZE, PMD_SIZE } from './state';
import { hasPincount, mapcountOf, maybeDmaPinned } from './folio';
import { describeHolder, holderKind, isLeak } from './holders';
import { bioBytes, bvecPages } from './block';
import { displayName } from './handles';
import { leakedRefs } from './invariants';
import { hex, walkIndices } from './mm';
import type { SimEvent } from './events';

export interface HolderView {
  key: string;
  kind: string;
  label: string;
  refs: number;
  pins: number;
  leaked: boolean;
}

export interface FolioView {
  id: number;
  kind: FolioKind;
  order: number;
  pfn: number;
  refcount: number;
  mapcount: number;
  pincount: number;
  pinned: boolean;
  exclusive: boolean;
  dirty: boolean;
  reserved: boolean;
  file?: string;
  index?: number;
  holders: HolderView[];
  /** Sum of holder contributions (equals refcount unless an invariant is broken). */
  held: number;
}

export interface PteView {
  va: number;
  vaHex: string;
  level: 'pte' | 'pmd';
  indices: { pgd: number; pud: number; pmd: number; pte: number };
  folio: number;
  page: number;
  present: true;
  rw: boolean;
  user: true;
  accessed: boolean;
  dirty: boolean;
  special: boolean;
  vma?: string;
}

export interface VmaView {
  name: string;
  start: number;
  end: number;
  backing: string;
  file?: string;
  shared: boolean;
  writable: boolean;
  thp: boolean;
  /** vma->anon_vma exists: fork copies this VMA's page tables. */
  anonVma: boolean;
}

export interface TaskView {
  name: string;
  alive: boolean;
  current: boolean;
  waitingOn?: string;
  hasPinned: boolean;
  vmas: VmaView[];
  entries: PteView[];
  tables: string[];
}

export interface BvecView {
  folio: number;
  page: number;
  offset: number;
  len: number;
  pages: number;
  hold: 'get' | 'pin' | 'none';
}

export interface BioView {
  id: number;
  name: string;
  op: string;
  file: string;
  sector: number;
  bytes: number;
  state: string;
  pinned: boolean;
  zeroing: boolean;
  deferred: boolean;
  endIo: string;
  dio?: string;
  bvecs: BvecView[];
}

export interface DioView {
  id: number;
  name: string;
  engine: string;
  op: string;
  file: string;
  task: string;
  async: boolean;
  pinned: boolean;
  state: string;
  result: number;
  refcount: number;
  queue: { folio: number; page: number }[];
  cur: { folio: number; page: number; offset: number; len: number } | null;
  bios: string[];
}

export interface HandleView {
  name: string;
  display: string;
  kind: string;
  calls: number;
  result: number;
  pages: number;
  released: boolean;
  task: string;
  mapping: string;
  flags: string[];
}

export interface Snapshot {
  step: number;
  lastStep: number;
  event?: SimEvent;
  kernel: string;
  currentTask: string;
  folios: FolioView[];
  tasks: TaskView[];
  bios: BioView[];
  dios: DioView[];
  handles: HandleView[];
  files: { name: string; size: number; fs: string; blocksize: number; blocks: number; cached: number }[];
  violations: number;
  leaks: number;
  zeroFolio: number;
  hugeZeroFolio: number;
}

/** Where the live state is: the step it shows, the run's length, the step's event and the kernel's label. */
export interface SnapshotPlace {
  step: number;
  lastStep: number;
  event?: SimEvent;
  kernel: string;
}

export function buildSnapshot(sim: Pick<RunParts, 'state'>, at: SnapshotPlace): Snapshot {
  const s = sim.state;
  const folios: FolioView[] = [...s.folios.values()]
    .map((f) => {
      const holders: HolderView[] = [...f.holds.entries()]
        .map(([key, h]) => ({ key, kind: holderKind(key), label: describeHolder(key), refs: h.refs, pins: h.pins, leaked: isLeak(key) }))
        .sort((a, b) => a.key.localeCompare(b.key));
      return {
        id: f.id,
        kind: f.kind,
        order: f.order,
        pfn: f.pfn,
        refcount: f.refcount,
        mapcount: mapcountOf(f),
        pincount: hasPincount(f) ? f.pincount : 0,
        pinned: maybeDmaPinned(f),
        exclusive: f.anonExclusive.some((x) => x === 1),
        dirty: f.dirty,
        reserved: f.reserved,
        ...(f.file !== undefined ? { file: f.file, index: f.index } : {}),
        holders,
        held: holders.reduce((sum, h) => sum + h.refs, 0),
      };
    })
    .sort((a, b) => a.id - b.id);
  const tasks: TaskView[] = [...s.tasks.values()].sort((a, b) => a.mm - b.mm).map((t) => {
    const mm = s.mms.get(t.mm)!;
    // Map order can differ after seeking back over a deletion; snapshots sort everything they list.
    const vmas = [...mm.vmas.values()].sort((a, b) => a.start - b.start).map((v) => ({ name: v.name, start: v.start, end: v.start + v.size, backing: v.backing, ...(v.file ? { file: v.file } : {}), shared: v.shared, writable: v.writable, thp: v.thp, anonVma: v.anonVma }));
    const vmaName = (va: number) => vmas.find((v) => va >= v.start && va < v.end)?.name;
    const entries: PteView[] = [];
    for (const [key, pmd] of mm.pmds) {
      const va = key * PMD_SIZE;
      const i = walkIndices(va);
      entries.push({ va, vaHex: hex(va), level: 'pmd', indices: { pgd: i.pgd, pud: i.pud, pmd: i.pmd, pte: -1 }, folio: pmd.folio, page: 0, present: true, rw: pmd.rw, user: true, accessed: pmd.accessed, dirty: pmd.dirty, special: pmd.special, ...optionalVma(vmaName(va)) });
    }
    for (const [vpn, pte] of mm.ptes) {
      const va = vpn * PAGE_SIZE;
      const i = walkIndices(va);
      entries.push({ va, vaHex: hex(va), level: 'pte', indices: { pgd: i.pgd, pud: i.pud, pmd: i.pmd, pte: i.pte }, folio: pte.folio, page: pte.page, present: true, rw: pte.rw, user: true, accessed: pte.accessed, dirty: pte.dirty, special: pte.special, ...optionalVma(vmaName(va)) });
    }
    entries.sort((a, b) => a.va - b.va);
    const dio = t.waitingOn !== undefined ? s.dios.get(t.waitingOn)?.name : undefined;
    return { name: t.name, alive: t.alive, current: s.cur.task === t.name, ...(dio ? { waitingOn: dio } : {}), hasPinned: mm.hasPinned, vmas, entries, tables: [...mm.tables.keys()].sort() };
  });
  const bios: BioView[] = [...s.bios.values()].sort((a, b) => a.id - b.id).map((b) => ({
    id: b.id,
    name: b.name,
    op: b.op,
    file: b.file,
    sector: b.sector,
    bytes: bioBytes(b),
    state: b.state,
    pinned: b.pinned,
    zeroing: b.zeroing,
    deferred: b.deferred,
    endIo: b.endIo,
    ...(b.dio !== undefined ? { dio: s.dios.get(b.dio)?.name ?? `dio#${b.dio}` } : {}),
    bvecs: b.bvecs.map((v) => ({ folio: v.folio, page: v.page, offset: v.offset, len: v.len, pages: bvecPages(v), hold: v.hold })),
  }));
  const dios: DioView[] = [...s.dios.values()].sort((a, b) => a.id - b.id).map((d) => ({
    id: d.id,
    name: d.name,
    engine: d.engine,
    op: d.op,
    file: d.file,
    task: d.task,
    async: d.async,
    pinned: d.isPinned,
    state: d.state,
    result: d.result,
    refcount: d.refcount,
    queue: d.queue.map((q) => ({ folio: q.folio, page: q.page })),
    cur: d.cur ? { ...d.cur } : null,
    bios: d.bios.map((id) => s.bios.get(id)?.name ?? `bio#${id}`),
  }));
  const handles: HandleView[] = [...s.handles.values()].map((h) => ({
    name: h.name,
    display: displayName(h),
    kind: h.kind,
    calls: h.calls,
    result: h.result,
    pages: h.released ? 0 : h.pages.length * (h.perCall ? h.calls : 1),
    released: h.released,
    task: h.task,
    mapping: h.vma,
    flags: [h.write && 'write', h.longterm && 'longterm', h.fast && 'fast'].filter((x): x is string => Boolean(x)),
  }));
  return {
    step: at.step,
    lastStep: at.lastStep,
    ...(at.event ? { event: at.event } : {}),
    kernel: at.kernel,
    currentTask: s.cur.task,
    folios,
    tasks,
    bios,
    dios,
    handles,
    files: [...s.files.values()].filter((f) => !f.shmem).sort((a, b) => a.name.localeCompare(b.name)).map((f) => ({ name: f.name, size: f.size, fs: f.fs, blocksize: f.blocksize, blocks: f.blocks.size, cached: f.cache.size })),
    violations: s.counters.violations,
    leaks: leakedRefs(sim),
    zeroFolio: s.zeroFolio,
    hugeZeroFolio: s.hugeZeroFolio,
  };
}

function optionalVma(name: string | undefined): { vma?: string } {
  return name ? { vma: name } : {};
}
