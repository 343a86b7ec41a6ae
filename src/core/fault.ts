// Page faults: read faults (the shared zero page, the huge zero folio, page cache), write faults (new anon
// pages, COW from the zero page / a shared anon page / the page cache, reuse of an exclusive page) and
// unshare faults (FAULT_FLAG_UNSHARE). Kernel: mm/memory.c (handle_mm_fault, do_anonymous_page, do_wp_page,
// wp_page_copy, wp_page_reuse), mm/huge_memory.c (do_huge_pmd_anonymous_page, do_huge_pmd_wp_page).

import type { Sim } from './sim';
import { holder as holderOf } from './holders';
import type { FileObj, Folio, Mm, Vma } from './state';
import { PAGE_SIZE, PMD_ORDER, PMD_SIZE } from './state';
import { allocFolio, folioName, incEntireMapcount, incPageMapcount, decPageMapcount, putRef, setDirty, setExclusive } from './folio';
import { anonVmaPrepare, ensureTables, hex, lookup, uniformProtection, writableAt, mapHolder, mapPage, mapZeroPage, pmdHolder, pmdKey, setPmd, setPte, splitPmd, vpn } from './mm';

export type FaultKind = 'read' | 'write' | 'unshare';

/** handle_mm_fault(). Returns false when the access is not allowed (the task would get SIGSEGV / GUP -EFAULT). */
export function handleFault(sim: Sim, mm: Mm, vma: Vma, va: number, kind: FaultKind): boolean {
  const page = Math.floor(va / PAGE_SIZE) * PAGE_SIZE;
  if (kind === 'write' && !writableAt(vma, va)) return false;
  return sim.call('handle_mm_fault', () => {
    sim.emit('fault', () => ({
      text: `A ${kind === 'unshare' ? 'FAULT_FLAG_UNSHARE' : kind} fault at ${hex(page)} in ${mm.owner} ("${vma.name}").`,
      task: mm.owner,
      va: page,
    }));
    // The upper levels of the walk are allocated before the fault is dispatched.
    sim.call('__handle_mm_fault', () => ensureTables(sim, mm, page, 'pmd'));
    if (thpEligible(vma, page) && hugeFault(sim, mm, vma, page, kind)) return true;
    const existing = mm.ptes.get(vpn(page));
    if (!existing) return sim.call('do_pte_missing', () => missingPte(sim, mm, vma, page, kind));
    if (kind === 'read' || (kind === 'write' && existing.rw)) {
      if (kind === 'write' && !existing.dirty) setPte(sim, mm, page, { ...existing, dirty: true, accessed: true }, `The CPU sets the dirty bit of the PTE at ${hex(page)}.`);
      return true;
    }
    return sim.call('do_wp_page', () => wpPage(sim, mm, vma, page, kind));
  });
}

function thpEligible(vma: Vma, va: number): boolean {
  if (!vma.thp || vma.backing !== 'anon' || vma.shared) return false;
  const base = Math.floor(va / PMD_SIZE) * PMD_SIZE;
  // transhuge_vma_suitable(): the 2 MiB must lie in one VMA, which a partial mprotect() may have split.
  return base >= vma.start && base + PMD_SIZE <= vma.start + vma.size && uniformProtection(vma, base, PMD_SIZE);
}

/** PMD-level handling. Returns true if the fault was resolved at PMD level. */
function hugeFault(sim: Sim, mm: Mm, vma: Vma, va: number, kind: FaultKind): boolean {
  const base = pmdKey(va) * PMD_SIZE;
  const pmd = mm.pmds.get(pmdKey(va));
  if (!pmd) {
    // Only when no PTE table has been populated under this PMD.
    const first = vpn(base);
    for (let i = 0; i < 512; i++) if (mm.ptes.has(first + i)) return false;
    // do_huge_pmd_anonymous_page() prepares the anon_vma before it decides between the huge zero folio and
    // a new THP: a THP range that was only read has one, so fork copies its huge zero PMD.
    anonVmaPrepare(sim, vma);
    if (kind === 'read') {
      return sim.call('do_huge_pmd_anonymous_page', () => {
        ensureTables(sim, mm, base, 'pmd');
        if (!mm.hugeZeroRef) {
          sim.journal.set(mm, 'hugeZeroRef', true);
          sim.call('mm_get_huge_zero_folio', () =>
            sim.emit('ref', () => ({ text: `${mm.owner}'s mm takes its one reference on the huge zero folio (huge_zero_refcount, not the folio's refcount).`, folio: sim.state.hugeZeroFolio })),
          );
        }
        setPmd(sim, mm, base, { folio: sim.state.hugeZeroFolio, rw: false, dirty: false, accessed: true, special: sim.policy['huge-zero-special'] === 'yes' },
          `A read-only PMD for ${hex(base)} maps the huge zero folio (2 MiB of zeros); its refcount and mapcount do not change.`);
        return true;
      });
    }
    return sim.call('do_huge_pmd_anonymous_page', () => {
      ensureTables(sim, mm, base, 'pmd');
      const f = allocFolio(sim, 'anon', PMD_ORDER, pmdHolder(mm, base));
      setExclusive(sim, f, -1, true);
      incEntireMapcount(sim, f, 1);
      setPmd(sim, mm, base, { folio: f.id, rw: true, dirty: true, accessed: true, special: false }, `A writable PMD for ${hex(base)} maps the new 2 MiB THP ${folioName(f)}.`);
      return true;
    });
  }
  if (kind === 'read' || (kind === 'write' && pmd.rw)) return true;
  const f = sim.state.folios.get(pmd.folio)!;
  return sim.call('do_huge_pmd_wp_page', () => {
    if (f.kind === 'hugezero') {
      // do_huge_zero_wp_pmd() (v6.13) runs for every fault do_huge_pmd_wp_page() gets, unshare included, and
      // maps the new THP writable and dirty whatever the fault was (map_anon_folio_pmd). Before it, both split.
      if (sim.policy['huge-zero-wp'] === 'thp') {
        return sim.call('do_huge_zero_wp_pmd', () => {
          const thp = allocFolio(sim, 'anon', PMD_ORDER, pmdHolder(mm, base));
          setExclusive(sim, thp, -1, true);
          incEntireMapcount(sim, thp, 1);
          setPmd(sim, mm, base, { folio: thp.id, rw: writableAt(vma, base), dirty: true, accessed: true, special: false },
            `The ${kind === 'unshare' ? 'unshare fault' : 'write'} replaces the huge zero folio at ${hex(base)} with a new 2 MiB THP ${folioName(thp)}, mapped writable and exclusive.`);
          return true;
        });
      }
      // Write or unshare on the huge zero PMD: split it into zero-page PTEs and let the PTE fault handle one page.
      splitPmd(sim, mm, base);
      return false;
    }
    if (f.anonExclusive[0] === 1) return reuseThp(sim, mm, base, f, kind, 'it is PageAnonExclusive');
    if (sim.policy['anon-exclusive'] === 'yes') {
      // v5.19+: a folio nobody else references (refcount 1) is made exclusive and reused; an unshare fault
      // then returns without splitting or copying (the `if (unshare) return 0` after the reuse label).
      if (f.refcount === 1) {
        sim.call('folio_move_anon_rmap', () => setExclusive(sim, f, -1, true));
        return reuseThp(sim, mm, base, f, kind, 'nobody else holds a reference (refcount 1), so it is made exclusive');
      }
    } else if (kind === 'write' && hugeMapcount(f) === 1) {
      // Before v5.19, reuse_swap_page() asked page_trans_huge_mapcount() only: a THP mapped once is reused
      // even while GUP holds references to it.
      return reuseThp(sim, mm, base, f, kind, `it is mapped only once (reuse_swap_page looks at the mapcount, not at the refcount ${f.refcount})`);
    }
    splitPmd(sim, mm, base);
    return false;
  });
}

/** page_trans_huge_mapcount(): the most mappings any one page of the THP has (PMD mappings count for all). */
function hugeMapcount(f: Folio): number {
  let most = 0;
  for (let i = 0; i < f.mapcount.length; i++) most = Math.max(most, f.mapcount[i]! + 1);
  return most + f.entireMapcount + 1;
}

/** The reuse label of do_huge_pmd_wp_page(): a write makes the PMD writable and dirty; an unshare does nothing more. */
function reuseThp(sim: Sim, mm: Mm, base: number, f: Folio, kind: FaultKind, why: string): boolean {
  const pmd = mm.pmds.get(pmdKey(base))!;
  if (kind === 'unshare') {
    sim.emit('fault', () => ({ text: `The THP ${folioName(f)} stays mapped read-only by its PMD: ${why}; nothing to unshare, no split.`, folio: f.id, va: base }));
    return true;
  }
  setPmd(sim, mm, base, { ...pmd, rw: true, dirty: true }, `The THP ${folioName(f)} is reused (${why}): the PMD at ${hex(base)} is made writable again, no copy.`);
  return true;
}

function missingPte(sim: Sim, mm: Mm, vma: Vma, va: number, kind: FaultKind): boolean {
  if (vma.backing === 'anon' && !vma.shared) {
    if (kind !== 'write') {
      sim.call('do_anonymous_page', () => mapZeroPage(sim, mm, va));
      return true;
    }
    sim.call('do_anonymous_page', () => newAnonPage(sim, mm, vma, va, true, 'a new zeroed anonymous page'));
    return true;
  }
  const file = backingFile(sim, vma);
  const index = Math.floor((va - vma.start) / PAGE_SIZE);
  if (kind !== 'write') {
    return sim.call('do_read_fault', () => {
      const f = pageCacheFolio(sim, file, index);
      // Shared mappings of shmem need no write notification, so their PTEs start writable.
      mapPage(sim, mm, va, f, 0, { rw: vma.shared && writableAt(vma, va) && file.shmem, dirty: false, accessed: true });
      return true;
    });
  }
  if (!vma.shared) {
    return sim.call('do_cow_fault', () => {
      const src = pageCacheFolio(sim, file, index);
      newAnonPage(sim, mm, vma, va, true, `a private copy of ${folioName(src)} (page ${index} of ${file.name})`);
      return true;
    });
  }
  return sim.call('do_shared_fault', () => {
    const f = pageCacheFolio(sim, file, index);
    mapPage(sim, mm, va, f, 0, { rw: true, dirty: true, accessed: true });
    setDirty(sim, f, true, 'by the write through a shared mapping');
    return true;
  });
}

/** The file behind a file/memfd/shared-anon mapping; shmem objects are created on first use. */
export function backingFile(sim: Sim, vma: Vma): FileObj {
  const name = vma.file ?? `shmem:${vma.name}`;
  let file = sim.state.files.get(name);
  if (!file) {
    file = { name, size: vma.size, fs: 'iomap', blocksize: PAGE_SIZE, blocks: new Map(), cache: new Map(), shmem: true };
    sim.journal.insertNew(sim.state.files, name, file);
  }
  return file;
}

/** filemap_fault(): find the page-cache folio for `index`, reading it in if absent. */
export function pageCacheFolio(sim: Sim, file: FileObj, index: number): Folio {
  const id = file.cache.get(index);
  if (id !== undefined) {
    const f = sim.state.folios.get(id);
    if (f) return f;
  }
  return sim.call('filemap_fault', () => {
    const f = allocFolio(sim, 'file', 0, holderOf.cache(file), { file: file.name, index });
    sim.journal.mapSet(file.cache, index, f.id);
    sim.emit('ref', () => ({ text: `${folioName(f)} holds page ${index} of ${file.name} in the page cache; the cache owns its reference.`, folio: f.id, holder: holderOf.cache(file) }));
    return f;
  });
}

function newAnonPage(sim: Sim, mm: Mm, vma: Vma, va: number, write: boolean, what: string): Folio {
  anonVmaPrepare(sim, vma);
  ensureTables(sim, mm, va, 'pte');
  const f = allocFolio(sim, 'anon', 0, mapHolder(mm, va));
  setExclusive(sim, f, 0, true);
  incPageMapcount(sim, f, 0);
  const rw = write && writableAt(vma, va);
  setPte(sim, mm, va, { folio: f.id, page: 0, rw, dirty: write, accessed: true, special: false },
    `A ${rw ? 'writable, dirty' : 'read-only'} PTE for ${hex(va)} maps ${folioName(f)}, ${what}: refcount 1, mapcount 1, exclusive.`);
  return f;
}

/** do_wp_page(): a write or unshare fault on a present, read-only PTE. */
function wpPage(sim: Sim, mm: Mm, vma: Vma, va: number, kind: FaultKind): boolean {
  const m = lookup(sim, mm, va)!;
  const pte = m.pte!;
  const f = m.folio;
  if (vma.shared) {
    if (kind === 'unshare') return true; // nothing to unshare in a shared mapping
    return sim.call('wp_page_shared', () => {
      setPte(sim, mm, va, { ...pte, rw: true, dirty: true }, `The shared mapping's PTE at ${hex(va)} becomes writable and dirty; ${folioName(f)} is written in place.`);
      setDirty(sim, f, true, 'by the write through a shared mapping');
      return true;
    });
  }
  if (pte.special) return copyPage(sim, mm, vma, va, kind, 'the zero page: a freshly zeroed page replaces it, nothing is copied');
  if (f.kind === 'anon') {
    if (sim.policy['anon-exclusive'] === 'yes') {
      if (f.anonExclusive[m.page] === 1) return reuse(sim, mm, va, kind, f, 'it is PageAnonExclusive');
      if (f.order === 0 && f.refcount === 1) {
        setExclusive(sim, f, 0, true);
        return reuse(sim, mm, va, kind, f, 'nobody else holds a reference (refcount 1), so it is made exclusive');
      }
      return copyPage(sim, mm, vma, va, kind, `${folioName(f)} may be shared (not exclusive, refcount ${f.refcount})`);
    }
    if (kind === 'unshare') return true;
    if (f.order === 0 && f.refcount === 1 && f.mapcount[0] === 0) return reuse(sim, mm, va, kind, f, 'its refcount is 1');
    return copyPage(sim, mm, vma, va, kind, `its refcount is ${f.refcount}, not 1`);
  }
  return copyPage(sim, mm, vma, va, kind, `${folioName(f)} belongs to the page cache of ${f.file}`);
}

function reuse(sim: Sim, mm: Mm, va: number, kind: FaultKind, f: Folio, why: string): boolean {
  const pte = mm.ptes.get(vpn(va))!;
  if (kind === 'unshare') {
    sim.emit('fault', () => ({ text: `${folioName(f)} stays mapped read-only: ${why}; nothing to unshare.`, folio: f.id, va }));
    return true;
  }
  sim.call('wp_page_reuse', () =>
    setPte(sim, mm, va, { ...pte, rw: true, dirty: true }, `${folioName(f)} is reused in place (${why}): the PTE at ${hex(va)} becomes writable and dirty.`),
  );
  return true;
}

/** wp_page_copy(): a new exclusive anon page replaces the old mapping; writable for a write, R/O for unshare. */
function copyPage(sim: Sim, mm: Mm, vma: Vma, va: number, kind: FaultKind, why: string): boolean {
  return sim.call('wp_page_copy', () => {
    anonVmaPrepare(sim, vma);
    const old = lookup(sim, mm, va)!;
    const holder = mapHolder(mm, va);
    const copy = allocFolio(sim, 'anon', 0, holder);
    setExclusive(sim, copy, 0, true);
    incPageMapcount(sim, copy, 0);
    const write = kind === 'write';
    setPte(sim, mm, va, { folio: copy.id, page: 0, rw: write && writableAt(vma, va), dirty: write, accessed: true, special: false },
      `${write ? 'Copy-on-write' : 'Unshare'}: ${why}. The PTE at ${hex(va)} now maps ${folioName(copy)} (${write ? 'writable' : 'read-only, exclusive'}).`);
    if (!old.pte!.special) {
      decPageMapcount(sim, old.folio, old.page);
      putRef(sim, old.folio, holder, 1, `as ${mm.owner} no longer maps it at ${hex(va)}`);
    }
    return true;
  });
}

