// fork and exit: dup_mmap() with copy_page_range() for each VMA, and exit_mmap().
// Kernel: kernel/fork.c (dup_mmap), mm/memory.c (vma_needs_copy, copy_page_range, copy_present_ptes,
// copy_present_page), mm/huge_memory.c (copy_huge_pmd), mm/rmap.c (anon_vma_fork), mm/mmap.c (exit_mmap).

import type { Exit, Fork, TaskSwitch } from './ast';
import type { Sim } from './sim';
import type { Mm, Pte, Task, Vma } from './state';
import { PAGE_SIZE, PMD_SIZE } from './state';
import { allocFolio, folioName, folioOf, getRef, incEntireMapcount, incPageMapcount, maybeDmaPinned, setExclusive } from './folio';
import { newMm } from './init';
import { releaseRingsOf } from './uring';
import { currentTask, ensureTables, hex, isCow, mapHolder, mmOf, pmdHolder, removeVma, setPmd, setPte, splitPmd, vpn, writableAt } from './mm';

/** fork(): copy the VMAs and, for private mappings, the present PTEs (copy_page_range). */
export function forkTask(sim: Sim, parent: Task, childName: string): Task {
  if (sim.state.tasks.has(childName)) sim.error(`a task named "${childName}" already exists`);
  const pmm = mmOf(sim, parent);
  const id = sim.state.counters.mm;
  sim.journal.set(sim.state.counters, 'mm', id + 1);
  const cmm = newMm(id, childName);
  cmm.nextVa = pmm.nextVa;
  sim.journal.insertNew(sim.state.mms, id, cmm);
  const child: Task = { name: childName, mm: id, alive: true };
  sim.journal.insertNew(sim.state.tasks, childName, child);
  sim.emit('task', () => ({ text: `${parent.name} forks: ${childName} gets a copy of its address space.`, task: childName }));
  for (const vma of pmm.vmas.values()) {
    if (vma.dontCopy) {
      sim.emit('vma', () => ({ text: `"${vma.name}" is VM_DONTCOPY (MADV_DONTFORK): dup_mmap leaves it out of ${childName} altogether.`, task: childName, va: vma.start }));
      continue;
    }
    if (vma.wipeOnFork) {
      // dup_mmap() gives the child's copy no anon_vma and skips copy_page_range(): it reads as fresh memory.
      sim.journal.insertNew(cmm.vmas, vma.name, { ...vma, anonVma: false });
      sim.emit('vma', () => ({ text: `"${vma.name}" is VM_WIPEONFORK: ${childName} gets it empty, with no anon_vma; nothing is copied.`, task: childName, va: vma.start }));
      continue;
    }
    // anon_vma_fork(): the child's VMA has an anon_vma exactly when the parent's has one.
    sim.journal.insertNew(cmm.vmas, vma.name, { ...vma });
    sim.call('copy_page_range', () => {
      // vma_needs_copy(): without an anon_vma (never set on shared mappings) every PTE can be refilled by a
      // fault, so none is copied: a mapping that was only read, even one full of zero-page PTEs, starts empty.
      if (!vma.anonVma) {
        const mapped = hasMappings(pmm, vma);
        if (mapped) sim.emit('vma', () => ({ text: `vma_needs_copy: "${vma.name}" has no anon_vma (${vma.shared ? 'a shared mapping' : 'nothing was ever written or COWed there'}), so its page tables are not copied: ${childName} will fault its pages in afresh.`, task: childName, va: vma.start }));
        return;
      }
      copyVmaTables(sim, pmm, cmm, vma);
    });
  }
  return child;
}

function hasMappings(mm: Mm, vma: Vma): boolean {
  const end = vma.start + vma.size;
  for (const k of mm.ptes.keys()) if (k * PAGE_SIZE >= vma.start && k * PAGE_SIZE < end) return true;
  for (const k of mm.pmds.keys()) if (k * PMD_SIZE >= vma.start && k * PMD_SIZE < end) return true;
  return false;
}

function copyVmaTables(sim: Sim, pmm: Mm, cmm: Mm, vma: Vma): void {
  const end = vma.start + vma.size;
  for (const [key, pmd] of [...pmm.pmds]) {
    const base = key * PMD_SIZE;
    if (base < vma.start || base >= end) continue;
    const f = folioOf(sim, pmd.folio);
    if (f.kind === 'hugezero') {
      ensureTables(sim, cmm, base, 'pmd');
      sim.journal.set(cmm, 'hugeZeroRef', true);
      sim.call('copy_huge_pmd', () => setPmd(sim, cmm, base, { ...pmd }, `The child's PMD at ${hex(base)} maps the huge zero folio too (no folio reference, one huge-zero reference per mm).`));
      continue;
    }
    if (pmm.hasPinned && maybeDmaPinned(f)) {
      // A maybe-pinned THP cannot be shared: split it and copy page by page below.
      sim.call('copy_huge_pmd', () => splitPmd(sim, pmm, base));
      continue;
    }
    sim.call('copy_huge_pmd', () => {
      const wp = { ...pmd, rw: false };
      setPmd(sim, pmm, base, wp, `The parent's PMD at ${hex(base)} is write-protected for COW.`);
      setExclusive(sim, f, -1, false);
      ensureTables(sim, cmm, base, 'pmd');
      getRef(sim, f, pmdHolder(cmm, base), 1, "for the child's PMD");
      incEntireMapcount(sim, f, 1);
      setPmd(sim, cmm, base, wp, `The child's PMD at ${hex(base)} maps ${folioName(f)} read-only.`);
    });
  }
  const first = vpn(vma.start);
  const last = vpn(end - 1);
  const keys = [...pmm.ptes.keys()].filter((k) => k >= first && k <= last).sort((a, b) => a - b);
  for (const k of keys) {
    const va = k * PAGE_SIZE;
    const pte = pmm.ptes.get(k)!;
    sim.call('copy_present_ptes', () => copyPte(sim, pmm, cmm, vma, va, pte));
  }
}

function copyPte(sim: Sim, pmm: Mm, cmm: Mm, vma: Vma, va: number, pte: Pte): void {
  if (pte.special) {
    ensureTables(sim, cmm, va, 'pte');
    setPte(sim, cmm, va, { ...pte }, `The zero-page PTE at ${hex(va)} is copied as it is: special, read-only, no count changes.`);
    return;
  }
  const f = folioOf(sim, pte.folio);
  const exclusiveRule = sim.policy['anon-exclusive'] === 'yes';
  // v5.19+: only an exclusive anon page that may be pinned is copied at fork. Before, any page of a COW
  // mapping that may be pinned was (page_maybe_dma_pinned with mm->has_pinned), page cache included, unless
  // the kernel carries the 5.10.153 stable backport that copies anonymous pages only (fork-pinned-file=share).
  const copiesKind = f.kind === 'anon' || sim.policy['fork-pinned-file'] === 'copy';
  const mustCopy = exclusiveRule
    ? f.kind === 'anon' && f.anonExclusive[pte.page] === 1 && pmm.hasPinned && maybeDmaPinned(f)
    : isCow(vma) && copiesKind && pmm.hasPinned && maybeDmaPinned(f);
  if (mustCopy) {
    // copy_present_page(): the child gets its own copy now, the parent keeps the pinned page mapped as it was.
    sim.call('copy_present_page', () => {
      const copy = allocFolio(sim, 'anon', 0, mapHolder(cmm, va));
      setExclusive(sim, copy, 0, true);
      ensureTables(sim, cmm, va, 'pte');
      incPageMapcount(sim, copy, 0);
      setPte(sim, cmm, va, { folio: copy.id, page: 0, rw: writableAt(vma, va), dirty: true, accessed: true, special: false },
        `${folioName(f)} may be DMA-pinned (the mm has pinned before and refcount ≥ 1024), so it cannot be shared: the child gets its own copy F${copy.id} at once.`);
    });
    return;
  }
  if (f.kind === 'anon' && exclusiveRule) setExclusive(sim, f, pte.page, false);
  ensureTables(sim, cmm, va, 'pte');
  const wp: Pte = isCow(vma) ? { ...pte, rw: false } : pte;
  if (isCow(vma) && pte.rw) setPte(sim, pmm, va, wp, `The parent's PTE at ${hex(va)} is write-protected: the page is now shared copy-on-write.`);
  getRef(sim, f, mapHolder(cmm, va), 1, "for the child's PTE");
  incPageMapcount(sim, f, pte.page);
  setPte(sim, cmm, va, wp, `The child's PTE at ${hex(va)} maps ${folioName(f)} ${wp.rw ? 'writable' : 'read-only'}; mapcount → ${f.mapcount[pte.page]! + 1}.`);
}

/** exit(): tear down every mapping of the task's mm. */
export function exitTask(sim: Sim, task: Task): void {
  const mm = mmOf(sim, task);
  sim.call('exit_mmap', () => {
    for (const vma of [...mm.vmas.values()]) removeVma(sim, mm, vma, `${task.name} exits`);
    if (mm.hugeZeroRef) sim.journal.set(mm, 'hugeZeroRef', false);
  });
  releaseRingsOf(sim, task.name);
  sim.journal.set(task, 'alive', false);
  sim.emit('task', () => ({ text: `${task.name} has exited; its address space is gone.`, task: task.name }));
}

/** `fork [CHILD]`: the current task forks; an unnamed child is called child, child2, … */
export function forkStatement(sim: Sim, st: Fork): void {
  const parent = currentTask(sim);
  let name = st.child;
  if (!name) {
    const n = sim.state.counters.child;
    sim.journal.set(sim.state.counters, 'child', n + 1);
    name = n === 1 ? 'child' : `child${n}`;
  }
  const childName = name;
  sim.inContext(['kernel_clone', 'copy_process', 'dup_mm', 'dup_mmap'], () => forkTask(sim, parent, childName));
}

/** `task NAME`: the statements that follow run in that task. */
export function switchTaskStatement(sim: Sim, st: TaskSwitch): void {
  const t = sim.state.tasks.get(st.name);
  if (!t) sim.error(`no task "${st.name}" (tasks: ${[...sim.state.tasks.keys()].join(', ')})`);
  if (!t.alive) sim.error(`task "${st.name}" has exited`);
  sim.journal.set(sim.state.cur, 'task', st.name);
  sim.emit('task', () => ({ text: `The following statements run in ${st.name}.`, task: st.name }));
}

/** `exit [TASK]`: the task exits (its mm goes away); a live task, if any, becomes the current one. */
export function exitStatement(sim: Sim, st: Exit): void {
  const t = st.name ? sim.state.tasks.get(st.name) : currentTask(sim);
  if (!t) sim.error(`no task "${st.name}"`);
  if (!t.alive) sim.error(`task "${t.name}" has already exited`);
  sim.inContext(['do_exit', 'exit_mm', 'mmput'], () => exitTask(sim, t));
  if (sim.state.cur.task === t.name) {
    const other = [...sim.state.tasks.values()].find((x) => x.alive);
    if (other) sim.journal.set(sim.state.cur, 'task', other.name);
  }
}
