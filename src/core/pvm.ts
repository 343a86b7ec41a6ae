// process_vm_readv(2) / process_vm_writev(2): the kernel pins the *other* task's pages and copies between them
// and the caller's buffer, one batch at a time; nothing stays pinned when the call returns.
// Kernel: mm/process_vm_access.c (process_vm_rw, process_vm_rw_core, process_vm_rw_single_vec,
// process_vm_rw_pages), mm/gup.c (pin_user_pages_remote, unpin_user_pages_dirty_lock).

import type { Sim } from './sim';
import type { Handle } from './state';
import { PAGE_SIZE } from './state';
import { ERRNO } from './events';
import { gup, releasePages, type GupFlags } from './gup';
import { findVma, hex, mmOf } from './mm';

/**
 * PVM_MAX_USER_PAGES: PVM_MAX_KMALLOC_PAGES (2) pages of `struct page *` pointers, so 2 * 4096 / 8 = 1024
 * pages per pin_user_pages_remote() call on a 64-bit kernel. (PVM_MAX_PP_ARRAY_COUNT, 16, is only the size of
 * the on-stack array used when every remote iovec is that small.)
 */
export const PVM_MAX_USER_PAGES = (2 * PAGE_SIZE) / 8;

export interface PvmSpec {
  write: boolean;
  handle: string | undefined;
  task: string;
  mapping: string;
  off: number;
  len: number;
}

/**
 * `pvm read|write [HANDLE] TASK NAME OFF LEN`: copy LEN bytes from (read) or to (write) TASK's mapping NAME.
 * Each batch of at most 1024 remote pages is pinned with FOLL_PIN (FOLL_WRITE for a write into the remote
 * task), copied, and unpinned with unpin_user_pages_dirty_lock(), which dirties the pages of a write.
 * Returns the bytes copied, or -EFAULT when the first batch could not be pinned.
 */
export function processVmRw(sim: Sim, spec: PvmSpec): number {
  const task = sim.state.tasks.get(spec.task);
  if (!task) sim.error(`no task "${spec.task}" (tasks: ${[...sim.state.tasks.keys()].join(', ')})`);
  // find_get_task_by_vpid() finds no exited task; mm_access() would give no mm either.
  if (!task.alive) sim.error(`task "${spec.task}" has exited (process_vm_${spec.write ? 'writev' : 'readv'} would fail with -ESRCH)`);
  const mm = mmOf(sim, task);
  const vma = findVma(sim, mm, spec.mapping);
  if (spec.off + spec.len > vma.size) sim.error(`${spec.off}+${spec.len} runs past the end of "${vma.name}" (${vma.size} bytes)`);
  const syscall = spec.write ? 'process_vm_writev' : 'process_vm_readv';
  const holder = `tmp:${syscall}`;
  const flags: GupFlags = { pin: true, write: spec.write, longterm: false, fast: false };
  const addr = vma.start + spec.off;
  let nrPages = Math.floor((addr + spec.len - 1) / PAGE_SIZE) - Math.floor(addr / PAGE_SIZE) + 1;
  let pa = Math.floor(addr / PAGE_SIZE) * PAGE_SIZE;
  let startOffset = addr - pa;
  let left = spec.len;
  let copied = 0;
  let failed = 0;
  sim.inContext([syscall, 'process_vm_rw', 'process_vm_rw_core', 'process_vm_rw_single_vec'], () => {
    sim.emit('gup', () => ({ text: `${syscall} ${spec.write ? 'writes' : 'reads'} ${spec.len} bytes ${spec.write ? 'into' : 'of'} ${task.name}'s "${vma.name}" at ${hex(addr)}, pinning at most ${PVM_MAX_USER_PAGES} of its pages at a time.`, task: task.name, va: addr }));
    while (nrPages > 0 && left > 0) {
      const batch = Math.min(nrPages, PVM_MAX_USER_PAGES);
      const r = gup(sim, mm, pa, batch, flags, holder, 'pin_user_pages_remote');
      if (r.result <= 0) {
        failed = -ERRNO.EFAULT!;
        break;
      }
      const pinned = r.pages.length;
      const bytes = Math.min(pinned * PAGE_SIZE - startOffset, left);
      sim.call('process_vm_rw_pages', () =>
        sim.emit('gup', () => ({ text: `${bytes} bytes are copied ${spec.write ? 'from the caller into the pinned pages' : 'from the pinned pages to the caller'} (${spec.write ? 'copy_page_from_iter' : 'copy_page_to_iter'}).`, task: task.name, va: pa })),
      );
      sim.call('unpin_user_pages_dirty_lock', () => releasePages(sim, r.pages, true, holder, spec.write));
      copied += bytes;
      left -= bytes;
      startOffset = 0;
      nrPages -= pinned;
      pa += pinned * PAGE_SIZE;
      if (pinned < batch) {
        failed = -ERRNO.EFAULT!;
        break;
      }
    }
  });
  // Some data copied: the call returns the byte count; none: the error.
  const result = copied > 0 ? copied : failed;
  sim.emit('task', () => ({ text: result >= 0 ? `${syscall} returns ${result}.` : `${syscall} fails with -EFAULT.`, task: task.name }));
  if (spec.handle !== undefined) recordCall(sim, spec, mm.id, vma.name, result);
  return result;
}

/** A named call keeps its result for `expect NAME.result` / `NAME.bytes`; it holds no page. */
function recordCall(sim: Sim, spec: PvmSpec, mm: number, vma: string, result: number): void {
  const existing = sim.state.handles.get(spec.handle!);
  if (existing && existing.kind !== 'pvm' && !existing.released) sim.error(`"${spec.handle}" already exists (a ${existing.kind} handle)`);
  const handle: Handle = {
    name: spec.handle!, kind: 'pvm', calls: (existing?.kind === 'pvm' ? existing.calls : 0) + 1, perCall: false, task: spec.task, mm, vma,
    off: spec.off, len: spec.len, write: spec.write, longterm: false, fast: false, pages: [], result, bytes: result, released: true, line: sim.line,
  };
  sim.journal.mapSet(sim.state.handles, spec.handle!, handle);
}
