// Test helpers for the memory and graph views: real runs of the built-in scenarios, and a synthetic
// catalog/snapshot of any size (262,144 frames) for the layout and virtualization tests.
// Only imported by tests (which read the scenario files and pass the text).

import { holder, type Catalog, type CatalogFolio, type FolioView, type Snapshot } from '../../core';
import type { RunView } from '../../store/runView';
import { runViewOf } from '../../store/runViewOf';

export const BUILTIN = {
  dioWrite: 'scenarios/builtin/01-dio-write-zero-page.scn',
  subblock: 'scenarios/builtin/02-legacy-subblock-zeroing.scn',
  vfio: 'scenarios/builtin/03-vfio-zero-page.scn',
  dioRead: 'scenarios/builtin/04-dio-read-fresh-memory.scn',
} as const;

/** The same scenario under another kernel (replaces its `kernel` line). */
export function onKernel(text: string, kernel: string): string {
  return text.replace(/^kernel .*$/m, `kernel ${kernel}`);
}

export function runText(text: string): RunView {
  const { view, errors } = runViewOf(text, null);
  if (!view) throw new Error(`scenario does not run: ${JSON.stringify(errors)}`);
  return view;
}


export interface Synthetic {
  catalog: Pick<Catalog, 'folios' | 'holders'>;
  folios: FolioView[];
  snapshot: Snapshot;
}

/**
 * `frames` small anonymous folios (plus the zero page and the huge zero folio), each mapped once, laid out
 * like the allocator does (a one-page gap after each). Every `freedEvery`-th anon folio is freed.
 */
export function synthetic(frames: number, freedEvery = 0): Synthetic {
  const folios: CatalogFolio[] = [
    { id: 1, kind: 'zero', order: 0, pfn: 10752 },
    { id: 2, kind: 'hugezero', order: 9, pfn: 262144 },
  ];
  for (let i = 0; i < frames; i++) folios.push({ id: 3 + i, kind: 'anon', order: 0, pfn: 1048582 + 2 * i });
  const view = (f: CatalogFolio): FolioView => {
    const special = f.kind !== 'anon';
    const key = special ? (f.kind === 'zero' ? holder.zeroPage() : holder.hugeZero()) : holder.pte('main', 0x7f0000000000 + (f.id - 3) * 4096);
    return {
      id: f.id,
      kind: f.kind,
      order: f.order,
      pfn: f.pfn,
      refcount: 1,
      mapcount: special ? 0 : 1,
      pincount: 0,
      pinned: false,
      exclusive: !special,
      dirty: !special,
      reserved: f.kind === 'zero',
      holders: [{ key, kind: special ? 'kernel' : 'map', label: key, refs: 1, pins: 0, leaked: false }],
      held: 1,
    };
  };
  const alive = folios.filter((f) => !(freedEvery > 0 && f.kind === 'anon' && (f.id - 3) % freedEvery === freedEvery - 1));
  const views = alive.map(view);
  const holders = [
    { key: holder.hugeZero(), kind: 'kernel', label: 'the kernel (huge zero folio)' },
    { key: holder.zeroPage(), kind: 'kernel', label: 'the kernel (the zero page is reserved)' },
    ...folios.slice(2).map((f) => {
      const key = holder.pte('main', 0x7f0000000000 + (f.id - 3) * 4096);
      return { key, kind: 'map', label: key };
    }),
  ];
  const snapshot: Snapshot = {
    step: 1,
    lastStep: 1,
    kernel: 'latest',
    currentTask: 'main',
    folios: views,
    tasks: [],
    bios: [],
    dios: [],
    handles: [],
    files: [],
    violations: 0,
    leaks: 0,
    zeroFolio: 1,
    hugeZeroFolio: 2,
  };
  return { catalog: { folios, holders }, folios: views, snapshot };
}
