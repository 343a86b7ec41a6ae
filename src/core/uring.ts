// io_uring fixed buffers: IORING_REGISTER_BUFFERS pins a user buffer long-term and keeps it as bvecs until
// IORING_UNREGISTER_BUFFERS (or the ring's teardown) unpins it.
// Kernel: io_uring/rsrc.c (io_sqe_buffers_register, io_sqe_buffer_register, io_pin_pages,
// io_check_coalesce_buffer, io_coalesce_buffer, io_buffer_unmap / io_release_ubuf).

import type { Sim } from './sim';
import type { Handle, HandlePage } from './state';
import { PAGE_SIZE } from './state';
import { ERRNO } from './events';
import { folioName, folioOf } from './folio';
import { gup, gupPutFolio, releasePages, type GupFlags } from './gup';
import { handleHolder, requireHandle } from './handles';
import { currentTask, findVma, mmOf } from './mm';

/** Runs of consecutive pages of one folio, in buffer order. */
function folioRuns(pages: readonly HandlePage[]): HandlePage[][] {
  const runs: HandlePage[][] = [];
  for (const p of pages) {
    const run = runs[runs.length - 1];
    const prev = run?.[run.length - 1];
    if (run && prev && prev.folio === p.folio && prev.page + 1 === p.page) run.push(p);
    else runs.push([p]);
  }
  return runs;
}

/**
 * Which runs registration may fold into one bvec each, per the policy: `folio` (v6.3) only a buffer inside
 * one large folio; `folios` (v6.12, io_check_coalesce_buffer) large folios of one size, each covered whole
 * except that the buffer may start inside the first and end inside the last. Small folios never coalesce.
 */
function coalescible(sim: Sim, runs: HandlePage[][]): boolean {
  const mode = sim.policy['uring-coalesce'];
  if (mode === 'pages' || runs.length === 0) return false;
  const folios = runs.map((r) => folioOf(sim, r[0]!.folio));
  if (folios.some((f) => f.order === 0)) return false;
  if (new Set(folios.map((f) => f.id)).size !== folios.length) return false;
  const total = runs.reduce((n, r) => n + r.length, 0);
  if (total < 2) return false;
  if (mode === 'folio') return runs.length === 1;
  const order = folios[0]!.order;
  if (folios.some((f) => f.order !== order)) return false;
  const size = 2 ** order;
  return runs.every((r, i) => {
    const first = r[0]!.page;
    const last = r[r.length - 1]!.page;
    if (i > 0 && first !== 0) return false;
    if (i < runs.length - 1 && last !== size - 1) return false;
    return true;
  });
}

/** `uring register HANDLE NAME OFF LEN`: IORING_REGISTER_BUFFERS of one iovec. */
export function uringRegister(sim: Sim, name: string, mapping: string, off: number, len: number): Handle {
  const existing = sim.state.handles.get(name);
  if (existing && !existing.released) sim.error(`"${name}" already exists (a ${existing.kind} handle)`);
  const task = currentTask(sim);
  const mm = mmOf(sim, task);
  const vma = findVma(sim, mm, mapping);
  if (off + len > vma.size) sim.error(`${off}+${len} runs past the end of "${vma.name}" (${vma.size} bytes)`);
  const holder = handleHolder(name, 'uring');
  const flags: GupFlags = { pin: true, write: true, longterm: true, fast: false };
  const start = vma.start + off;
  const first = Math.floor(start / PAGE_SIZE);
  const npages = Math.floor((start + len - 1) / PAGE_SIZE) - first + 1;
  return sim.inContext(['__io_uring_register', 'io_sqe_buffers_register', 'io_sqe_buffer_register'], () => {
    const r = sim.call('io_pin_pages', () => gup(sim, mm, first * PAGE_SIZE, npages, flags, holder, 'pin_user_pages'));
    let pages = r.pages;
    let result = r.result;
    if (r.result > 0 && r.pages.length < npages) {
      // A short pin fails the registration: io_pin_pages() unpins what it got and returns -EFAULT.
      sim.call('unpin_user_pages', () => releasePages(sim, r.pages, true, holder, false));
      pages = [];
      result = -ERRNO.EFAULT!;
    } else if (r.result > 0) {
      const runs = folioRuns(r.pages);
      if (coalescible(sim, runs)) {
        pages = runs.map((run) => run[0]!);
        sim.call('io_coalesce_buffer', () => {
          for (const run of runs) {
            const f = folioOf(sim, run[0]!.folio);
            sim.emit('gup', () => ({ text: `${folioName(f)} becomes one bvec: the pins of its other ${run.length - 1} page${run.length === 2 ? '' : 's'} are dropped, one stays.`, folio: f.id, holder }));
            if (run.length > 1) sim.call('unpin_user_pages', () => gupPutFolio(sim, f, run.length - 1, true, holder));
          }
        });
      }
    }
    const handle: Handle = {
      name, kind: 'uring', calls: 1, perCall: false, task: task.name, mm: mm.id, vma: vma.name, off, len,
      write: true, longterm: true, fast: false, pages, result: result > 0 ? pages.length : result, released: result <= 0, line: sim.line,
    };
    sim.journal.mapSet(sim.state.handles, name, handle);
    sim.emit('gup', () => ({ text: result > 0 ? `Fixed buffer ${name} is registered: ${pages.length} bvec${pages.length === 1 ? '' : 's'}, each holding a long-term pin.` : `Registering ${name} fails with ${result}.`, handle: name }));
    return handle;
  });
}

/** `uring unregister HANDLE`: IORING_UNREGISTER_BUFFERS; each bvec's page is unpinned (not dirtied). */
export function uringUnregister(sim: Sim, name: string): void {
  const { handle } = requireHandle(sim, name);
  if (handle.kind !== 'uring') sim.error(`${name} is not an io_uring fixed buffer (it is a ${handle.kind} handle)`);
  if (handle.released) sim.error(`${name} is not registered`);
  unmapBuffers(sim, handle, ['__io_uring_register', 'io_sqe_buffers_unregister', 'io_buffer_unmap'], 'is unregistered');
}

function unmapBuffers(sim: Sim, handle: Handle, chain: string[], what: string): void {
  sim.inContext(chain, () => {
    sim.emit('gup', () => ({ text: `Fixed buffer ${handle.name} ${what}: each of its ${handle.pages.length} bvec page${handle.pages.length === 1 ? '' : 's'} is unpinned.`, handle: handle.name }));
    for (const p of handle.pages) sim.call('unpin_user_page', () => gupPutFolio(sim, folioOf(sim, p.folio), 1, true, handleHolder(handle.name, 'uring')));
  });
  sim.journal.set(handle, 'released', true);
}

/**
 * A task exits: its files are closed, and closing the ring frees its context, which unregisters every fixed
 * buffer (io_uring_release → io_ring_ctx_free → io_sqe_buffers_unregister). Not modelled: a forked child that
 * inherited the ring's file descriptor would keep the ring, and the pins, alive until it closes it too.
 */
export function releaseRingsOf(sim: Sim, taskName: string): void {
  for (const h of [...sim.state.handles.values()]) {
    if (h.kind !== 'uring' || h.released || h.task !== taskName) continue;
    unmapBuffers(sim, h, ['exit_files', 'io_uring_release', 'io_ring_ctx_free', 'io_sqe_buffers_unregister'], `goes with ${taskName}'s io_uring ring`);
  }
}
