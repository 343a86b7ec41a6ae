// mprotect(2) between PROT_READ and PROT_READ|PROT_WRITE: the VMA's VM_WRITE, and what happens to the PTEs and
// PMDs already there. Kernel: mm/mprotect.c (do_mprotect_pkey, mprotect_fixup, change_protection,
// change_pte_range, can_change_pte_writable), mm/huge_memory.c (change_huge_pmd, can_change_pmd_writable).

import type { Sim } from './sim';
import type { Mm, Pte, Vma } from './state';
import { PAGE_SIZE, PMD_SIZE } from './state';
import { folioName, folioOf } from './folio';
import { backingFile } from './fault';
import { currentTask, findVma, hex, mmOf, setPmd, setPte, splitPmd, vpn } from './mm';

/** `mprotect NAME ro|rw [OFF LEN]`. */
export function mprotect(sim: Sim, name: string, writable: boolean, off = 0, lenArg?: number): void {
  const mm = mmOf(sim, currentTask(sim));
  const vma = findVma(sim, mm, name);
  if (off % PAGE_SIZE !== 0) sim.error(`mprotect needs a page-aligned start: offset ${off} is not (EINVAL)`);
  const len = Math.ceil((lenArg ?? vma.size - off) / PAGE_SIZE) * PAGE_SIZE;
  if (off + len > vma.size) sim.error(`${off}+${len} is outside "${name}" (${vma.size} bytes)`);
  const start = vma.start + off;
  const end = start + len;
  sim.inContext(['do_mprotect_pkey', 'mprotect_fixup'], () => {
    // A partial range splits the VMA in the kernel (the pieces share the anon_vma); here the mapping keeps its
    // name and remembers the piece's protection.
    if (off === 0 && len === vma.size) {
      sim.journal.set(vma, 'writable', writable);
      sim.journal.set(vma, 'prot', []);
    } else sim.journal.set(vma, 'prot', [...vma.prot, { start, end, writable }]);
    sim.emit('vma', () => ({ text: `mprotect makes ${off === 0 && len === vma.size ? `"${name}"` : `${len / 1024} KiB of "${name}" at offset ${off}`} ${writable ? 'readable and writable' : 'read-only'} (VM_WRITE ${writable ? 'set' : 'cleared'}).`, task: mm.owner, va: start }));
    sim.call('change_protection', () => changeProtection(sim, mm, vma, start, end, writable));
  });
}

function changeProtection(sim: Sim, mm: Mm, vma: Vma, start: number, end: number, writable: boolean): void {
  for (const key of [...mm.pmds.keys()].sort((a, b) => a - b)) {
    const base = key * PMD_SIZE;
    if (base + PMD_SIZE <= start || base >= end) continue;
    // change_pmd_range() splits a PMD the range covers only in part.
    if (base < start || base + PMD_SIZE > end) {
      splitPmd(sim, mm, base);
      continue;
    }
    sim.call('change_huge_pmd', () => {
      const pmd = mm.pmds.get(key)!;
      const f = folioOf(sim, pmd.folio);
      if (!writable && pmd.rw) setPmd(sim, mm, base, { ...pmd, rw: false }, `The PMD at ${hex(base)} is write-protected.`);
      // can_change_pmd_writable() (v6.2): an exclusive anon THP in a private mapping gets its write bit back.
      if (writable && !pmd.rw && !vma.shared && f.kind === 'anon' && f.anonExclusive[0] === 1 && sim.policy['mprotect-writable'] === 'exclusive') {
        setPmd(sim, mm, base, { ...pmd, rw: true }, `The PMD at ${hex(base)} maps the exclusive THP ${folioName(f)}: it is made writable at once, without a write fault.`);
      }
    });
  }
  const keys = [...mm.ptes.keys()].filter((k) => k >= vpn(start) && k < vpn(end)).sort((a, b) => a - b);
  sim.call('change_pte_range', () => {
    for (const k of keys) {
      const va = k * PAGE_SIZE;
      const pte = mm.ptes.get(k)!;
      if (!writable && pte.rw) setPte(sim, mm, va, { ...pte, rw: false }, `The PTE at ${hex(va)} is write-protected.`);
      else if (writable && !pte.rw && canChangePteWritable(sim, vma, pte)) {
        setPte(sim, mm, va, { ...pte, rw: true }, `The PTE at ${hex(va)} is made writable at once: ${vma.shared ? 'a shared mapping with nothing to track' : `${folioName(folioOf(sim, pte.folio))} is exclusive`}, so no write fault is needed.`);
      }
    }
  });
}

/**
 * can_change_pte_writable() (v6.0+) and, before it, the dirty-accountable test of change_pte_range(): may the
 * PTE be made writable without a write fault? Never for a page a write fault would have to copy.
 */
function canChangePteWritable(sim: Sim, vma: Vma, pte: Pte): boolean {
  if (pte.special) return false;
  const f = folioOf(sim, pte.folio);
  if (vma.shared) {
    // shmem needs no write notification, so its vm_page_prot is writable; a regular file's dirty PTE may be.
    return backingFile(sim, vma).shmem || pte.dirty;
  }
  const policy = sim.policy['mprotect-writable'];
  if (policy === 'shared' || f.kind !== 'anon' || f.anonExclusive[pte.page] !== 1) return false;
  return policy === 'exclusive' || pte.dirty;
}
