// Everything a run ever created, whatever the step: the explorer lays these out once, so an object keeps
// its place from step to step and nothing jumps when a step adds a node.

import type { RunParts } from './runparts';
import type { Bio, Folio, FolioKind, Mm, SimState } from './state';
import { ABSENT } from './journal';
import { describeHolder, holderKind } from './holders';

export interface CatalogFolio {
  id: number;
  kind: FolioKind;
  order: number;
  pfn: number;
  file?: string;
  index?: number;
}

export interface CatalogHolder {
  key: string;
  kind: string;
  label: string;
}

export interface Catalog {
  folios: CatalogFolio[];
  holders: CatalogHolder[];
  bios: { id: number; name: string }[];
  dios: { id: number; name: string }[];
  /** Per task (mm owner): every virtual page and PMD base that was ever mapped, sorted. */
  addresses: { task: string; pages: number[]; pmds: number[] }[];
  tasks: string[];
}

export function buildCatalog(sim: Pick<RunParts, 'state' | 'journal'>): Catalog {
  const state: SimState = sim.state;
  const folios = new Map<number, Folio>();
  const holders = new Set<string>();
  const bios = new Map<number, Bio>();
  const dios = new Map<number, string>();
  const mms = new Map<number, Mm>();
  const pages = new Map<Mm, Set<number>>();
  const pmds = new Map<Mm, Set<number>>();
  const addFolio = (f: Folio) => {
    folios.set(f.id, f);
    for (const k of f.holds.keys()) holders.add(k);
  };
  for (const f of state.folios.values()) addFolio(f);
  for (const mm of state.mms.values()) mms.set(mm.id, mm);
  const holdMaps = new Set<unknown>();
  for (const f of state.folios.values()) holdMaps.add(f.holds);
  sim.journal.forEachPatch((target, key, _before, after) => {
    if (after === ABSENT) return;
    if (target === state.folios) {
      const f = after as Folio;
      folios.set(f.id, f);
      holdMaps.add(f.holds);
      // The allocation reference is set before the folio is inserted, outside the journal.
      for (const k of f.holds.keys()) holders.add(k);
    } else if (target === state.mms) mms.set((after as Mm).id, after as Mm);
    else if (target === state.bios) bios.set((after as Bio).id, after as Bio);
    else if (target === state.dios) dios.set(key as number, (after as { name: string }).name);
  });
  // Holders and addresses need the maps found above, so a second pass.
  for (const f of folios.values()) holdMaps.add(f.holds);
  const pteMaps = new Map<unknown, Mm>();
  const pmdMaps = new Map<unknown, Mm>();
  for (const mm of mms.values()) {
    pteMaps.set(mm.ptes, mm);
    pmdMaps.set(mm.pmds, mm);
    pages.set(mm, new Set(mm.ptes.keys()));
    pmds.set(mm, new Set(mm.pmds.keys()));
  }
  sim.journal.forEachPatch((target, key, before, after) => {
    if (holdMaps.has(target)) holders.add(key as string);
    const pm = pteMaps.get(target);
    if (pm && (after !== ABSENT || before !== ABSENT)) pages.get(pm)!.add(key as number);
    const dm = pmdMaps.get(target);
    if (dm && (after !== ABSENT || before !== ABSENT)) pmds.get(dm)!.add(key as number);
  });
  for (const b of state.bios.values()) bios.set(b.id, b);
  for (const d of state.dios.values()) dios.set(d.id, d.name);
  return {
    folios: [...folios.values()]
      .map((f) => ({ id: f.id, kind: f.kind, order: f.order, pfn: f.pfn, ...(f.file !== undefined ? { file: f.file, index: f.index } : {}) }))
      .sort((a, b) => a.id - b.id),
    holders: [...holders].sort().map((key) => ({ key, kind: holderKind(key), label: describeHolder(key) })),
    bios: [...bios.values()].map((b) => ({ id: b.id, name: b.name })).sort((a, b) => a.id - b.id),
    dios: [...dios].map(([id, name]) => ({ id, name })).sort((a, b) => a.id - b.id),
    addresses: [...mms.values()].map((mm) => ({ task: mm.owner, pages: [...pages.get(mm)!].sort((a, b) => a - b), pmds: [...pmds.get(mm)!].sort((a, b) => a - b) })),
    tasks: [...mms.values()].map((mm) => mm.owner),
  };
}
