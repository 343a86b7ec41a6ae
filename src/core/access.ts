// The current task's own use of its address space: mmap(2), loads and stores (which fault pages in),
// munmap(2), and writeback of the pages a mapping holds.
// Kernel: mm/mmap.c (do_mmap, __vm_munmap), arch/x86/mm/fault.c (exc_page_fault), mm/vmscan.c and
// mm/page-writeback.c for writeback; faults themselves are modelled in fault.ts.

import type { Access, Mmap, Munmap, Writeback } from './ast';
import type { Sim } from './sim';
import { PAGE_SIZE } from './state';
import { addVma, currentTask, findVma, firstReadOnly, mmOf, zapRange } from './mm';
import { handleFault } from './fault';
import { maybeDmaPinned, setDirty } from './folio';

export function mmapStatement(sim: Sim, st: Mmap): void {
  const mm = mmOf(sim, currentTask(sim));
  if (st.backing.kind === 'file' && !sim.state.files.has(st.backing.file)) sim.error(`no file "${st.backing.file}" (declare it first with: file ${st.backing.file} SIZE)`);
  sim.call('do_mmap', () =>
    addVma(sim, mm, {
      name: st.name,
      size: st.size,
      backing: st.backing.kind,
      ...(st.backing.kind === 'file' ? { file: st.backing.file } : {}),
      shared: st.shared,
      writable: st.writable,
      thp: st.thp,
    }),
  );
}

/** A range of a mapping, checked against its size: `[off, off + len)` in bytes. */
function rangeOf(sim: Sim, name: string, size: number, offArg?: number, lenArg?: number): { off: number; len: number } {
  const off = offArg ?? 0;
  const len = lenArg ?? size - off;
  if (off + len > size || len <= 0) sim.error(`${off}+${len} is outside "${name}" (${size} bytes)`);
  return { off, len };
}

/** `read`/`write`: the CPU touches every page of the range; a missing or read-only entry faults. */
export function accessStatement(sim: Sim, st: Access): void {
  const mm = mmOf(sim, currentTask(sim));
  const vma = findVma(sim, mm, st.name);
  const { off, len } = rangeOf(sim, st.name, vma.size, st.off, st.len);
  const first = Math.floor((vma.start + off) / PAGE_SIZE);
  const last = Math.floor((vma.start + off + len - 1) / PAGE_SIZE);
  // Charged before any per-page work: a huge mapping is refused by the budget, not walked.
  sim.charge(last - first + 1);
  const readOnly = st.op === 'write' ? firstReadOnly(vma, first * PAGE_SIZE, (last + 1) * PAGE_SIZE) : undefined;
  if (readOnly !== undefined) sim.error(`"${st.name}" is read-only${vma.prot.length ? ` at offset ${readOnly - vma.start}` : ''}: a store would get SIGSEGV`);
  sim.inContext([st.op === 'read' ? 'CPU load' : 'CPU store', 'exc_page_fault'], () => {
    sim.eachPage(last - first + 1, `this ${st.op} of "${st.name}"`, (i) => {
      const p = first + i;
      const va = p * PAGE_SIZE;
      const pte = mm.ptes.get(p);
      const pmd = mm.pmds.get(Math.floor(va / (2 * 1024 * 1024)));
      const mapped = pte ?? pmd;
      const needsFault = !mapped || (st.op === 'write' && !mapped.rw);
      if (needsFault) handleFault(sim, mm, vma, va, st.op);
      // A store to a clean writable PTE sets its dirty bit (the hardware does; modelled as a write fault).
      else if (st.op === 'write' && pte && !pte.dirty) handleFault(sim, mm, vma, va, 'write');
    });
  });
  const at = off ? ` at offset ${off}` : '';
  const what = st.op === 'write' ? `has written ${len} bytes to` : `has read ${len} bytes of`;
  sim.emit('task', () => ({ text: `${mm.owner} ${what} "${st.name}"${at}.`, task: mm.owner }));
}

export function munmapStatement(sim: Sim, st: Munmap): void {
  const mm = mmOf(sim, currentTask(sim));
  const vma = findVma(sim, mm, st.name);
  sim.call('__vm_munmap', () => {
    zapRange(sim, mm, vma.start, vma.size, 'munmap');
    sim.journal.mapDelete(mm.vmas, vma.name);
    sim.emit('vma', () => ({ text: `"${vma.name}" is unmapped from ${mm.owner}.`, task: mm.owner, va: vma.start }));
  });
}

/** `writeback`: the mapping's dirty pages are written out and become clean, unless reclaim must skip them. */
export function writebackStatement(sim: Sim, st: Writeback): void {
  const mm = mmOf(sim, currentTask(sim));
  const vma = findVma(sim, mm, st.name);
  const { off, len } = rangeOf(sim, st.name, vma.size, st.off, st.len);
  sim.charge(Math.ceil(len / PAGE_SIZE));
  sim.call('writeback', () => {
    for (let va = vma.start + off; va < vma.start + off + len; va += PAGE_SIZE) {
      const pte = mm.ptes.get(va / PAGE_SIZE);
      const f = pte && !pte.special ? sim.state.folios.get(pte.folio) : undefined;
      if (!f) continue;
      // Reclaim cannot unmap an exclusive anon page that may be pinned (folio_try_share_anon_rmap_pte
      // refuses), so it is never swapped out and stays dirty.
      if (f.kind === 'anon' && sim.policy['anon-exclusive'] === 'yes' && f.anonExclusive[pte!.page] === 1 && maybeDmaPinned(f)) {
        sim.emit('flag', () => ({ text: `F${f.id} may be pinned and is exclusive: reclaim cannot unmap it, so it is not written out and stays dirty.`, folio: f.id }));
        continue;
      }
      setDirty(sim, f, false, 'by writeback (its contents are now saved, e.g. to swap)');
    }
  });
}
