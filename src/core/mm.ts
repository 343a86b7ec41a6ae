// Address spaces: VMAs and x86-64 4-level page tables, mapping and unmapping folios (fork and exit: fork.ts).
// Kernel: mm/mmap.c, mm/memory.c (zap_pte_range), mm/huge_memory.c (__split_huge_pmd).

import type { Sim } from './sim';
import type { Folio, Mm, PmdLeaf, Pte, Task, Vma } from './state';
import { PAGE_SIZE, PMD_SIZE } from './state';
import { holder } from './holders';
import {
  decPageMapcount,
  folioName,
  folioOf,
  getRef,
  incEntireMapcount,
  incPageMapcount,
  putRef,
} from './folio';

// ---- x86-64 page-table arithmetic ------------------------------------------------------------------------

export const LEVELS = [
  { name: 'PGD', shift: 39 },
  { name: 'PUD', shift: 30 },
  { name: 'PMD', shift: 21 },
  { name: 'PTE', shift: 12 },
] as const;

/** The 9-bit table index at each level for `va` (PGD, PUD, PMD, PTE), and the page offset. */
export function walkIndices(va: number): { pgd: number; pud: number; pmd: number; pte: number; offset: number } {
  const idx = (shift: number) => Math.floor(va / 2 ** shift) % 512;
  return { pgd: idx(39), pud: idx(30), pmd: idx(21), pte: idx(12), offset: va % PAGE_SIZE };
}

export function hex(n: number): string {
  return `0x${n.toString(16)}`;
}

export function vpn(va: number): number {
  return Math.floor(va / PAGE_SIZE);
}

export function pmdKey(va: number): number {
  return Math.floor(va / PMD_SIZE);
}

export function mapHolder(mm: Mm, va: number): string {
  return holder.pte(mm, va);
}

export function pmdHolder(mm: Mm, va: number): string {
  return holder.pmd(mm, pmdKey(va) * PMD_SIZE);
}

// ---- lookups ---------------------------------------------------------------------------------------------

export function currentTask(sim: Sim): Task {
  const t = sim.state.tasks.get(sim.state.cur.task);
  if (!t) throw new Error('internal: no current task');
  return t;
}

export function mmOf(sim: Sim, task: Task): Mm {
  const mm = sim.state.mms.get(task.mm);
  if (!mm) throw new Error(`internal: task ${task.name} has no mm`);
  return mm;
}

export function findVma(sim: Sim, mm: Mm, name: string): Vma {
  const vma = mm.vmas.get(name);
  if (!vma) {
    const names = [...mm.vmas.keys()];
    sim.error(`no mapping "${name}" in task ${mm.owner}${names.length ? ` (mappings: ${names.join(', ')})` : ''}`);
  }
  return vma;
}

export function vmaAt(mm: Mm, va: number): Vma | undefined {
  for (const v of mm.vmas.values()) if (va >= v.start && va < v.start + v.size) return v;
  return undefined;
}

/** VM_WRITE of the VMA that covers `va` (after partial mprotect() calls, the piece `va` is in). */
export function writableAt(vma: Vma, va: number): boolean {
  for (let i = vma.prot.length - 1; i >= 0; i--) {
    const r = vma.prot[i]!;
    if (va >= r.start && va < r.end) return r.writable;
  }
  return vma.writable;
}

/** The lowest address in [start, end) where a store is not allowed, if any (checked at the mprotect edges only). */
export function firstReadOnly(vma: Vma, start: number, end: number): number | undefined {
  const candidates = [start, ...vma.prot.flatMap((r) => [r.start, r.end]).filter((a) => a > start && a < end)].sort((a, b) => a - b);
  return candidates.find((a) => !writableAt(vma, a));
}

/** Is [start, start+len) one protection throughout (one VMA, were the mapping split as the kernel splits it)? */
export function uniformProtection(vma: Vma, start: number, len: number): boolean {
  const w = writableAt(vma, start);
  // Protection can only change at the edge of an mprotect()ed range.
  for (const r of vma.prot) for (const edge of [r.start, r.end]) if (edge > start && edge < start + len && writableAt(vma, edge) !== w) return false;
  return true;
}

/** A private mapping that may be written: the kernel's is_cow_mapping(). */
export function isCow(vma: Vma): boolean {
  // is_cow_mapping() tests VM_MAYWRITE, which every private mapping has, read-only ones included.
  return !vma.shared;
}

export interface Mapping {
  folio: Folio;
  page: number;
  pte?: Pte;
  pmd?: PmdLeaf;
}

/** What maps `va` now: a PTE or a PMD leaf, resolved to folio and page within it. */
export function lookup(sim: Sim, mm: Mm, va: number): Mapping | undefined {
  const pmd = mm.pmds.get(pmdKey(va));
  if (pmd) return { folio: folioOf(sim, pmd.folio), page: Math.floor((va % PMD_SIZE) / PAGE_SIZE), pmd };
  const pte = mm.ptes.get(vpn(va));
  if (pte) return { folio: folioOf(sim, pte.folio), page: pte.page, pte };
  return undefined;
}

// ---- page-table pages ------------------------------------------------------------------------------------

/** Allocate the PUD, PMD and (unless `leafLevel` is PMD) PTE table pages on the walk to `va`. */
export function ensureTables(sim: Sim, mm: Mm, va: number, leafLevel: 'pte' | 'pmd'): void {
  const walk = tableWalk(va);
  // The common case in a big run: every table on the walk is there already.
  if (mm.tables.has(walk[2]![0]) && mm.tables.has(walk[1]![0]) && mm.tables.has(walk[0]![0])) return;
  const needed = leafLevel === 'pte' ? walk : walk.slice(0, 2);
  for (const [key, fn, what] of needed) {
    if (mm.tables.has(key)) continue;
    const pfn = sim.state.counters.pfn;
    sim.journal.set(sim.state.counters, 'pfn', pfn + 2);
    sim.journal.mapSet(mm.tables, key, pfn);
    sim.call(fn, () => sim.emit('table', () => ({ text: `The walk for ${hex(va)} needs ${what}: a page-table page is allocated.`, task: mm.owner, va })));
  }
}

/** The table keys on the walk to each 2 MiB region (PUD, PMD, PTE), made once per region rather than per page. */
const tableWalks = new Map<number, readonly (readonly [string, string, string])[]>();

function tableWalk(va: number): readonly (readonly [string, string, string])[] {
  const region = Math.floor(va / PMD_SIZE);
  let walk = tableWalks.get(region);
  if (!walk) {
    const i = walkIndices(va);
    walk = [
      [`pud:${i.pgd}`, '__pud_alloc', `a PUD table under PGD entry ${i.pgd}`],
      [`pmd:${i.pgd}/${i.pud}`, '__pmd_alloc', `a PMD table under PUD entry ${i.pud}`],
      [`pte:${i.pgd}/${i.pud}/${i.pmd}`, '__pte_alloc', `a PTE table under PMD entry ${i.pmd}`],
    ];
    tableWalks.set(region, walk);
  }
  return walk;
}

// ---- installing and removing mappings --------------------------------------------------------------------

/** Install a PTE for `va`. The caller has arranged the mapping reference (or none for special PTEs). */
export function setPte(sim: Sim, mm: Mm, va: number, pte: Pte | undefined, text: string): void {
  const key = vpn(va);
  if (pte) sim.journal.mapSet(mm.ptes, key, pte);
  else sim.journal.mapDelete(mm.ptes, key);
  sim.pageTableWrites++;
  sim.emit(pte ? 'pte' : 'map', () => ({ text, task: mm.owner, va, folio: pte?.folio }));
}

export function setPmd(sim: Sim, mm: Mm, va: number, pmd: PmdLeaf | undefined, text: string): void {
  const key = pmdKey(va);
  if (pmd) sim.journal.mapSet(mm.pmds, key, pmd);
  else sim.journal.mapDelete(mm.pmds, key);
  sim.pageTableWrites++;
  sim.emit(pmd ? 'pte' : 'map', () => ({ text, task: mm.owner, va, folio: pmd?.folio }));
}

/** Map page `page` of `f` at `va` with a new PTE: refcount +1 (taken before the mapcount, as the kernel does). */
export function mapPage(sim: Sim, mm: Mm, va: number, f: Folio, page: number, bits: Omit<Pte, 'folio' | 'page' | 'special'>, refHeld = false): void {
  ensureTables(sim, mm, va, 'pte');
  const holder = mapHolder(mm, va);
  if (!refHeld) getRef(sim, f, holder, 1, 'for the new mapping');
  incPageMapcount(sim, f, page);
  setPte(sim, mm, va, { folio: f.id, page, special: false, ...bits }, `A PTE for ${hex(va)} in ${mm.owner} now maps ${folioName(f)}${f.order ? ` page ${page}` : ''} (${bits.rw ? 'writable' : 'read-only'}${bits.dirty ? ', dirty' : ''}); mapcount → ${f.mapcount[page]! + 1}.`);
}

/** Map the shared zero page at `va`: a special, read-only PTE; neither refcount nor mapcount change. */
export function mapZeroPage(sim: Sim, mm: Mm, va: number): void {
  ensureTables(sim, mm, va, 'pte');
  const zero = sim.state.zeroFolio;
  setPte(sim, mm, va, { folio: zero, page: 0, rw: false, dirty: false, accessed: true, special: true }, `A special, read-only PTE for ${hex(va)} maps the shared zero page; its refcount and mapcount do not change.`);
}

/** Remove whatever maps the page at `va` (zap_pte_range): drop the mapping reference and mapcount. */
export function unmapPage(sim: Sim, mm: Mm, va: number, why: string): void {
  const pte = mm.ptes.get(vpn(va));
  if (!pte) return;
  const f = folioOf(sim, pte.folio);
  setPte(sim, mm, va, undefined, `The PTE for ${hex(va)} in ${mm.owner} is cleared (${why}).`);
  if (pte.special) return;
  if (pte.dirty && f.kind !== 'anon') sim.journal.set(f, 'dirty', true);
  decPageMapcount(sim, f, pte.page);
  putRef(sim, f, mapHolder(mm, va), 1, `as the mapping goes away`);
}

export function unmapPmd(sim: Sim, mm: Mm, va: number, why: string): void {
  const pmd = mm.pmds.get(pmdKey(va));
  if (!pmd) return;
  const f = folioOf(sim, pmd.folio);
  const base = pmdKey(va) * PMD_SIZE;
  setPmd(sim, mm, base, undefined, `The PMD for ${hex(base)} in ${mm.owner} is cleared (${why}).`);
  if (pmd.special || f.kind === 'hugezero') return;
  incEntireMapcount(sim, f, -1);
  putRef(sim, f, pmdHolder(mm, base), 1, 'as the PMD mapping goes away');
}

/**
 * Split a PMD mapping into 512 PTEs (__split_huge_pmd). A huge zero PMD becomes 512 special zero-page PTEs;
 * a THP's one PMD reference becomes one reference per PTE.
 */
export function splitPmd(sim: Sim, mm: Mm, va: number): void {
  const pmd = mm.pmds.get(pmdKey(va));
  if (!pmd) return;
  const base = pmdKey(va) * PMD_SIZE;
  sim.call('__split_huge_pmd', () => {
    const f = folioOf(sim, pmd.folio);
    setPmd(sim, mm, base, undefined, `The PMD mapping ${folioName(f)} at ${hex(base)} is split into 512 PTEs.`);
    ensureTables(sim, mm, base, 'pte');
    if (f.kind === 'hugezero') {
      for (let i = 0; i < 512; i++) {
        sim.pageTableWrites++;
        sim.journal.mapSet(mm.ptes, vpn(base) + i, { folio: sim.state.zeroFolio, page: 0, rw: false, dirty: false, accessed: true, special: true });
      }
      sim.emit('pte', () => ({ text: `512 special PTEs now map the 4 KiB shared zero page instead.`, task: mm.owner, va: base }));
      return;
    }
    for (let i = 0; i < 512; i++) {
      const pva = base + i * PAGE_SIZE;
      getRef(sim, f, mapHolder(mm, pva), 1, 'for a PTE of the split');
      incPageMapcount(sim, f, i);
      sim.pageTableWrites++;
      sim.journal.mapSet(mm.ptes, vpn(pva), { folio: f.id, page: i, rw: pmd.rw, dirty: pmd.dirty, accessed: pmd.accessed, special: false });
    }
    incEntireMapcount(sim, f, -1);
    putRef(sim, f, pmdHolder(mm, base), 1, 'as the PMD reference becomes per-PTE references');
  });
}

// ---- VMAs ------------------------------------------------------------------------------------------------

export function addVma(sim: Sim, mm: Mm, spec: Omit<Vma, 'start' | 'anonVma' | 'prot' | 'dontCopy' | 'wipeOnFork'>): Vma {
  if (mm.vmas.has(spec.name)) sim.error(`mapping "${spec.name}" already exists in task ${mm.owner}`);
  const align = spec.thp ? PMD_SIZE : PAGE_SIZE;
  const start = Math.ceil(mm.nextVa / align) * align;
  const size = Math.ceil(spec.size / PAGE_SIZE) * PAGE_SIZE;
  const vma: Vma = { ...spec, start, size, anonVma: false, prot: [], dontCopy: false, wipeOnFork: false };
  sim.journal.set(mm, 'nextVa', start + size + PAGE_SIZE);
  sim.journal.insertNew(mm.vmas, spec.name, vma);
  sim.emit('vma', () => ({
    text: `mmap creates "${spec.name}": ${hex(start)}–${hex(start + size)} (${size / 1024} KiB, ${spec.backing}${spec.file ? ` ${spec.file}` : ''}, ${spec.shared ? 'shared' : 'private'}, ${spec.writable ? 'rw' : 'ro'}${spec.thp ? ', THP' : ''}). Nothing is mapped until it is touched.`,
    task: mm.owner,
    va: start,
  }));
  return vma;
}

/**
 * anon_vma_prepare() (vmf_anon_prepare() on newer kernels): the VMA gets its anon_vma before its first anon
 * page. Silent: it changes no count, only what fork will copy.
 */
export function anonVmaPrepare(sim: Sim, vma: Vma): void {
  if (!vma.anonVma) sim.journal.set(vma, 'anonVma', true);
}

/** Unmap every page of [start, start+len) in `mm` (zap_page_range). Partially covered PMDs are split first. */
export function zapRange(sim: Sim, mm: Mm, start: number, len: number, why: string): void {
  const end = start + len;
  for (const key of [...mm.pmds.keys()]) {
    const base = key * PMD_SIZE;
    if (base + PMD_SIZE <= start || base >= end) continue;
    if (base >= start && base + PMD_SIZE <= end) unmapPmd(sim, mm, base, why);
    else splitPmd(sim, mm, base);
  }
  const first = vpn(start);
  const last = vpn(end - 1);
  const keys = [...mm.ptes.keys()].filter((k) => k >= first && k <= last).sort((a, b) => a - b);
  for (const k of keys) unmapPage(sim, mm, k * PAGE_SIZE, why);
}

export function removeVma(sim: Sim, mm: Mm, vma: Vma, why: string): void {
  zapRange(sim, mm, vma.start, vma.size, why);
  sim.journal.mapDelete(mm.vmas, vma.name);
  sim.emit('vma', () => ({ text: `"${vma.name}" is unmapped from ${mm.owner} (${why}).`, task: mm.owner, va: vma.start }));
}
