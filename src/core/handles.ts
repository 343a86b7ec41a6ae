// Handles: what one pin/get/vfio call took, and its release (pipes, the vmsplice handles, are in pipe.ts). Auto-numbered handles made by the same
// statement with identical results are kept as one handle standing for several calls (pin#3…pin#2097154), so
// a repeat of millions of pins costs no memory per call.
// Kernel: mm/gup.c (pin_user_pages*, unpin_user_pages*), drivers/vfio/vfio_iommu_type1.c
// (vfio_pin_pages_remote, vaddr_get_pfns, put_pfn).

import type { Sim } from './sim';
import type { Handle, HandleKind, HandlePage, Mm, Vma } from './state';
import { PAGE_SIZE } from './state';
import { folioName, moveHold, orphanHolds, pinWeight } from './folio';
import { gup, gupPutFolio, releasePages, type GupFlags, type GupResult } from './gup';
import { currentTask, findVma, lookup, mmOf } from './mm';
import { holder as holderOf } from './holders';

export function handleHolder(name: string, kind: HandleKind): string {
  return kind === 'vfio' ? holderOf.vfio(name) : kind === 'pipe' ? holderOf.pipe(name) : holderOf.gup(name);
}

/** A handle by name; `pin#7` also finds the auto handle whose run of calls includes call 7. */
export function findHandle(sim: Sim, name: string): { handle: Handle; member: boolean } | undefined {
  const exact = sim.state.handles.get(name);
  // `pin#3` naming the first call of a group pin#3…pin#9 means that call alone.
  if (exact) return { handle: exact, member: exact.perCall && exact.calls > 1 };
  const m = /^(pin|get)#(\d+)$/.exec(name);
  if (!m) return undefined;
  const n = Number(m[2]);
  for (const h of sim.state.handles.values()) {
    if (h.kind === m[1] && h.autoFirst !== undefined && n >= h.autoFirst && n < h.autoFirst + h.calls) return { handle: h, member: true };
  }
  return undefined;
}

export function requireHandle(sim: Sim, name: string): { handle: Handle; member: boolean } {
  const found = findHandle(sim, name);
  if (!found) {
    const names = [...sim.state.handles.values()].map(displayName);
    sim.error(`no handle "${name}"${names.length ? ` (handles: ${names.slice(0, 8).join(', ')}${names.length > 8 ? ', …' : ''})` : ''}`);
  }
  return found;
}

export function displayName(h: Handle): string {
  return h.perCall && h.autoFirst !== undefined && h.calls > 1 ? `${h.kind}#${h.autoFirst}…${h.kind}#${h.autoFirst + h.calls - 1}` : h.name;
}

function rangeOf(sim: Sim, vma: Vma, off: number, len: number): { va: number; npages: number } {
  if (len <= 0) sim.error('the length must be positive');
  if (off + len > vma.size) sim.error(`${off}+${len} runs past the end of "${vma.name}" (${vma.size} bytes)`);
  const va = vma.start + off;
  const first = Math.floor(va / PAGE_SIZE);
  const last = Math.floor((va + len - 1) / PAGE_SIZE);
  return { va: first * PAGE_SIZE, npages: last - first + 1 };
}

function samePages(a: readonly HandlePage[], b: readonly HandlePage[]): boolean {
  return a.length === b.length && a.every((p, i) => p.folio === b[i]!.folio && p.page === b[i]!.page && p.va === b[i]!.va);
}

interface CallSpec {
  kind: HandleKind;
  name: string | undefined;
  mapping: string;
  off: number;
  len: number;
  write: boolean;
  longterm: boolean;
  fast: boolean;
}

/**
 * Make (or extend) the handle for one call. `take` does the call with the holder key it is given.
 * Auto handles try to join the previous call of the same statement; named handles accumulate.
 */
function callIntoHandle(sim: Sim, spec: CallSpec, take: (holder: string, mm: Mm, va: number, npages: number) => GupResult): Handle {
  const task = currentTask(sim);
  const mm = mmOf(sim, task);
  const vma = findVma(sim, mm, spec.mapping);
  const { va, npages } = rangeOf(sim, vma, spec.off, spec.len);
  const counters = sim.state.counters;
  let name = spec.name;
  let autoNo: number | undefined;
  if (name === undefined) {
    const key = spec.kind === 'get' ? 'get' : 'pin';
    autoNo = counters[key];
    sim.journal.set(counters, key, autoNo + 1);
    name = `${key}#${autoNo}`;
  }
  // Predict the group an auto call will join, so its references land on the right holder directly.
  const open = autoNo !== undefined ? openGroup(sim, spec, autoNo) : undefined;
  const existing = spec.name !== undefined ? sim.state.handles.get(spec.name) : undefined;
  const accumulate = existing && !existing.released ? existing : undefined;
  if (accumulate && accumulate.kind !== spec.kind) sim.error(`handle "${spec.name}" is a ${accumulate.kind} handle`);
  const holderName = open?.name ?? accumulate?.name ?? name;
  const groupHolder = handleHolder(holderName, spec.kind);
  // What the group holds before this call, so a call that turns out different can take exactly its own part.
  const before = open ? holdsOf(sim, groupHolder) : undefined;
  const r = take(groupHolder, mm, va, npages);
  if (open && samePages(open.pages, r.pages) && open.result === r.result) {
    sim.journal.set(open, 'calls', open.calls + 1);
    sim.lastAutoHandle.set(spec.kind, open);
    return open;
  }
  if (open && before) {
    // Not identical after all: give this call's references to a handle of its own.
    for (const [id, now] of holdsOf(sim, groupHolder)) {
      const was = before.get(id) ?? { refs: 0, pins: 0 };
      const part = { refs: now.refs - was.refs, pins: now.pins - was.pins };
      if (part.refs !== 0 || part.pins !== 0) moveHold(sim, sim.state.folios.get(id)!, groupHolder, handleHolder(name, spec.kind), part);
    }
  }
  if (accumulate) {
    sim.journal.set(accumulate, 'calls', accumulate.calls + 1);
    // Copying the pages so far costs their number: a named handle accumulating in a long repeat is charged for it.
    if (r.result > 0) sim.addWork(accumulate.pages.length);
    if (r.result > 0) sim.journal.set(accumulate, 'pages', [...accumulate.pages, ...r.pages]);
    sim.journal.set(accumulate, 'result', r.result);
    return accumulate;
  }
  const handle: Handle = {
    name,
    kind: spec.kind,
    calls: 1,
    perCall: autoNo !== undefined,
    task: task.name,
    mm: mm.id,
    vma: vma.name,
    off: spec.off,
    len: spec.len,
    write: spec.write,
    longterm: spec.longterm,
    fast: spec.fast,
    pages: r.pages,
    result: r.result,
    released: false,
    line: sim.line,
    ...(autoNo !== undefined ? { autoFirst: autoNo } : {}),
  };
  sim.journal.insertNew(sim.state.handles, name, handle);
  if (autoNo !== undefined) sim.lastAutoHandle.set(spec.kind, handle);
  return handle;
}

function holdsOf(sim: Sim, holder: string): Map<number, { refs: number; pins: number }> {
  const out = new Map<number, { refs: number; pins: number }>();
  for (const f of sim.state.folios.values()) {
    const h = f.holds.get(holder);
    if (h) out.set(f.id, h);
  }
  return out;
}

function openGroup(sim: Sim, spec: CallSpec, autoNo: number): Handle | undefined {
  // Only the previous auto call's handle can be contiguous with this one (autoFirst + calls === autoNo).
  const h = sim.lastAutoHandle.get(spec.kind);
  if (h && h.perCall && h.autoFirst !== undefined && !h.released && h.line === sim.line && h.autoFirst + h.calls === autoNo && h.task === sim.state.cur.task) return h;
  return undefined;
}

/** `pin` / `get`: pin_user_pages*() or get_user_pages*() on a range of a mapping. */
export function gupStatement(sim: Sim, spec: Omit<CallSpec, 'kind'> & { pin: boolean }): Handle {
  const flags: GupFlags = { pin: spec.pin, write: spec.write, longterm: spec.longterm, fast: spec.fast };
  const caller = `${spec.pin ? 'pin' : 'get'}_user_pages${spec.fast ? '_fast' : ''}`;
  return callIntoHandle(sim, { ...spec, kind: spec.pin ? 'pin' : 'get' }, (holder, mm, va, npages) => gup(sim, mm, va, npages, flags, holder, caller));
}

const RELEASE_BY_KIND: Record<HandleKind, string> = { pin: 'unpin', get: 'put', vfio: 'vfio unmap', pipe: 'close', uring: 'uring unregister', pvm: 'nothing (process_vm_readv/writev unpins before it returns)' };

/** `unpin HANDLE [dirty]` / `put HANDLE`. */
export function releaseStatement(sim: Sim, name: string, pin: boolean, dirty: boolean): void {
  const { handle, member } = requireHandle(sim, name);
  if (handle.kind !== 'pin' && handle.kind !== 'get') sim.error(`${name} is a ${handle.kind} handle: use ${RELEASE_BY_KIND[handle.kind]}`);
  const fn = pin ? (dirty ? 'unpin_user_pages_dirty_lock' : 'unpin_user_pages') : 'put_page';
  const target = member && handle.perCall && handle.calls > 1 ? splitOut(sim, handle, name) : handle;
  const short = releaseShortfall(sim, target, pin);
  if (short) {
    // The kernel would subtract references this caller does not own (a use-after-free in the making); the
    // simulator reports it and changes nothing, so no later statement can reach a freed folio.
    sim.find('bad-release', `${fn}(${displayName(target)}): ${short}; nothing is released`, { holder: handleHolder(target.name, target.kind) });
    sim.call(fn, () => sim.emit('gup', () => ({ text: `${displayName(target)} cannot be released with ${fn}: ${short}. Nothing changes.`, handle: target.name })));
    return;
  }
  sim.call(fn, () => {
    sim.emit('gup', () => ({ text: `${displayName(target)} is released with ${fn}${target.released ? ' again, although it was already released' : ''}.`, handle: target.name }));
    if (target.pages.length > 0) releasePages(sim, target.pages, pin, handleHolder(target.name, target.kind), dirty, target.perCall ? target.calls : 1);
  });
  sim.journal.set(target, 'released', true);
}

/** Why releasing `h` with unpin (`pin`) or put would take more than its holder holds, or undefined. */
export function releaseShortfall(sim: Sim, h: Handle, pin: boolean): string | undefined {
  if (h.released) return `${displayName(h)} was already released`;
  if (pin !== (h.kind === 'pin')) return `${displayName(h)} was taken with ${h.kind === 'pin' ? 'FOLL_PIN (release it with unpin)' : 'FOLL_GET (release it with put)'}`;
  const times = h.perCall ? h.calls : 1;
  const need = new Map<number, number>();
  for (const p of h.pages) need.set(p.folio, (need.get(p.folio) ?? 0) + times);
  const holder = handleHolder(h.name, h.kind);
  for (const [id, n] of need) {
    const f = sim.state.folios.get(id);
    if (!f) return `F${id} is no longer allocated`;
    if (pin && f.kind === 'zero' && sim.policy['zero-pin'] !== 'count') continue; // unpin leaves the zero page alone
    const hold = f.holds.get(holder) ?? { refs: 0, pins: 0 };
    const have = pin ? hold.pins : hold.refs - hold.pins * pinWeight(f);
    if (have < n) return `it holds ${have} ${pin ? 'pin(s)' : 'reference(s)'} on ${folioName(f)}, not ${n}`;
  }
  return undefined;
}

/** Take call `name` out of an auto group: the calls before and after it keep their own handles. */
function splitOut(sim: Sim, group: Handle, name: string): Handle {
  const n = Number(name.slice(name.indexOf('#') + 1));
  const first = group.autoFirst!;
  const last = first + group.calls - 1;
  const groupHolder = handleHolder(group.name, group.kind);
  // Every call of a group took the same references, so each piece gets its share.
  const perCall = new Map<number, { refs: number; pins: number }>();
  for (const f of sim.state.folios.values()) {
    const hold = f.holds.get(groupHolder);
    if (hold) perCall.set(f.id, { refs: hold.refs / group.calls, pins: hold.pins / group.calls });
  }
  const pieces: { from: number; to: number }[] = [];
  if (n > first) pieces.push({ from: first, to: n - 1 });
  pieces.push({ from: n, to: n });
  if (n < last) pieces.push({ from: n + 1, to: last });
  let picked: Handle = group;
  for (const piece of pieces) {
    const calls = piece.to - piece.from + 1;
    if (piece.from === first) {
      sim.journal.set(group, 'calls', calls);
      if (piece.from === n) picked = group;
      continue;
    }
    const pieceName = `${group.kind}#${piece.from}`;
    const h: Handle = { ...group, name: pieceName, autoFirst: piece.from, calls };
    for (const [id, share] of perCall) {
      const f = sim.state.folios.get(id)!;
      moveHold(sim, f, groupHolder, handleHolder(pieceName, group.kind), { refs: share.refs * calls, pins: share.pins * calls });
    }
    sim.journal.insertNew(sim.state.handles, pieceName, h);
    if (piece.from === n) picked = h;
  }
  return picked;
}

// ---- vfio type1 ------------------------------------------------------------------------------------------

export function vfioMap(sim: Sim, name: string, mapping: string, off: number, len: number, write: boolean): Handle {
  if (sim.state.handles.get(name) && !sim.state.handles.get(name)!.released) sim.error(`vfio mapping "${name}" already exists`);
  const flags: GupFlags = { pin: true, write, longterm: true, fast: false };
  return sim.inContext(['vfio_iommu_type1_ioctl', 'vfio_dma_do_map', 'vfio_pin_map_dma', 'vfio_pin_pages_remote'], () =>
    callIntoHandle(sim, { kind: 'vfio', name, mapping, off, len, write, longterm: true, fast: false }, (holder, mm, va, npages) => {
      sim.emit('vfio', () => ({ text: `VFIO_IOMMU_MAP_DMA of ${npages} page(s) at ${va.toString(16)} (${write ? 'read/write' : 'read-only'} for the device): vfio pins them long-term.`, handle: name }));
      const pages: HandlePage[] = [];
      let result = 0;
      if (sim.policy['vfio-batch'] === 'yes') {
        const r = sim.call('vaddr_get_pfns', () => gup(sim, mm, va, npages, flags, holder, 'pin_user_pages_remote'));
        if (r.result < 0) return r;
        if (sim.policy['vfio-unpin-zero'] === 'yes') {
          for (const p of r.pages) {
            const f = sim.state.folios.get(p.folio)!;
            if (f.kind === 'zero') sim.call('vaddr_get_pfns', () => sim.call('unpin_user_page', () => gupPutFolio(sim, f, 1, true, holder)));
          }
        }
        pages.push(...r.pages);
        result = r.result;
      } else {
        // One page at a time; the page after each contiguous run is pinned as a probe and handed back.
        let basePfn = -1;
        let run = 0;
        let leakedProbes = 0;
        for (let i = 0; i < npages; i++) {
          const r = sim.call('vaddr_get_pfn', () => gup(sim, mm, va + i * PAGE_SIZE, 1, flags, holder, 'pin_user_pages_remote'));
          if (r.result < 0) return { pages, result: pages.length || r.result };
          const p = r.pages[0]!;
          const f = sim.state.folios.get(p.folio)!;
          const pfn = f.pfn + p.page;
          if (run > 0 && pfn !== basePfn + run) {
            // Not contiguous: put the probe back (put_pfn), end the chunk, and pin the page again for the next.
            if (sim.call('put_pfn', () => putPfn(sim, f, holder, write, 'the probe page breaks the contiguous run', true))) leakedProbes++;
            const again = sim.call('vaddr_get_pfn', () => gup(sim, mm, va + i * PAGE_SIZE, 1, flags, holder, 'pin_user_pages_remote'));
            if (again.result < 0) return { pages, result: pages.length || again.result };
            basePfn = pfn;
            run = 0;
          } else if (run === 0) basePfn = pfn;
          run++;
          pages.push(p);
        }
        result = pages.length;
        if (leakedProbes > 0) {
          sim.find('leak', `vfio mapping ${name}: ${leakedProbes} probe pin(s) of a reserved page were handed to put_pfn, which does not unpin reserved pages`, { folio: sim.state.zeroFolio, holder: holderOf.vfio(name) });
        }
      }
      sim.call('vfio_iommu_map', () => sim.emit('vfio', () => ({ text: `The IOMMU now maps ${pages.length} page(s) for the device${pages.some((p) => sim.state.folios.get(p.folio)?.kind === 'zero') ? ', including the shared zero page (a reserved pfn, so not charged to locked_vm)' : ''}.`, handle: name })));
      return { pages, result };
    }),
  );
}

/**
 * put_pfn(): unpin unless the pfn is reserved or invalid, which the zero page is. A probe page handed back
 * here while reserved keeps its pin with no owner: it leaks. Returns whether it leaked.
 */
function putPfn(sim: Sim, f: import('./state').Folio, holder: string, write: boolean, why: string, probe: boolean): boolean {
  if (f.reserved) {
    sim.emit('vfio', () => ({ text: `put_pfn skips ${folioName(f)} (${why}): it is a reserved page, so it is not unpinned.`, folio: f.id, holder }));
    if (probe && (f.holds.get(holder)?.pins ?? 0) > 0) {
      moveHold(sim, f, holder, holderOf.leak(holder), { refs: f.order > 0 ? 1 : 1024, pins: 1 });
      return true;
    }
    return false;
  }
  sim.call('unpin_user_pages_dirty_lock', () => releasePages(sim, [{ folio: f.id, page: 0, va: 0 }], true, holder, write));
  return false;
}

export function vfioUnmap(sim: Sim, name: string): void {
  const { handle } = requireHandle(sim, name);
  if (handle.kind !== 'vfio') sim.error(`${name} is not a vfio mapping`);
  if (handle.released) sim.error(`${name} is already unmapped`);
  const holder = handleHolder(handle.name, 'vfio');
  sim.inContext(['vfio_iommu_type1_ioctl', 'vfio_dma_do_unmap', 'vfio_remove_dma', 'vfio_unmap_unpin'], () => {
    sim.emit('vfio', () => ({ text: `VFIO_IOMMU_UNMAP_DMA: the IOMMU mapping ${name} is removed and each pfn is handed to put_pfn.`, handle: name }));
    for (const p of handle.pages) {
      const f = sim.state.folios.get(p.folio);
      if (f) sim.call('put_pfn', () => putPfn(sim, f, holder, handle.write, 'unmapping', false));
    }
    // Whatever the mapping still holds now has no owner left to release it.
    for (const f of [...sim.state.folios.values()]) if (f.holds.has(holder)) orphanHolds(sim, f, holder, 'put_pfn() never unpins reserved pages');
  });
  sim.journal.set(handle, 'released', true);
}

/** Pins whose page is no longer the one mapped where they were taken. */
export function stalePins(sim: Sim): { handle: Handle; page: HandlePage; now: string }[] {
  const out: { handle: Handle; page: HandlePage; now: string }[] = [];
  for (const h of sim.state.handles.values()) {
    if (h.released || (h.kind !== 'pin' && h.kind !== 'vfio' && h.kind !== 'uring') || h.result <= 0) continue;
    const mm = sim.state.mms.get(h.mm);
    const task = sim.state.tasks.get(h.task);
    if (!mm || !task?.alive) continue;
    for (const p of h.pages) {
      const m = lookup(sim, mm, p.va);
      if (!m || m.folio.id !== p.folio) out.push({ handle: h, page: p, now: m ? folioName(m.folio) : 'nothing' });
    }
  }
  return out;
}
