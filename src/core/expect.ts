// `expect SUBJECT[.FIELD] OP VALUE`: resolve the subject in the current state and compare; and `label`, which
// names a folio for later expectations.

import type { Expect } from './ast';
import type { Sim } from './sim';
import type { Folio, FolioLabel } from './state';
import { ERRNO, errnoName } from './events';
import { mapcountOf, maybeDmaPinned } from './folio';
import { findHandle } from './handles';
import { currentTask, findVma, lookup, mmOf, pmdKey, vpn } from './mm';
import { leakedRefs } from './invariants';
import { bioBytes, bvecPages } from './block';

export type ExpectActual = number | boolean | string;
type Actual = ExpectActual;

export interface ExpectOutcome {
  ok: boolean;
  actual: string;
  /** The value the subject had, before it was shown as text. */
  value: Actual;
}

export function evaluateExpect(sim: Sim, st: Expect): ExpectOutcome {
  const actual = resolve(sim, st);
  const ok = compare(actual, st);
  return { ok, actual: show(actual, st), value: actual };
}

/** The subject's value now, without comparing it (throws a located error when it cannot be resolved). */
export function expectActual(sim: Sim, st: Expect): Actual {
  return resolve(sim, st);
}

/** Whether `actual` satisfies the expect's comparison. */
export function expectHolds(actual: Actual, st: Expect): boolean {
  return compare(actual, st);
}

function show(v: Actual, st: Expect): string {
  if (typeof v === 'number' && (st.field === 'result' || st.field === 'bytes') && v < 0) return errnoName(v);
  return String(v);
}

function compare(actual: Actual, st: Expect): boolean {
  let expected: Actual;
  switch (st.value.type) {
    case 'number':
      expected = st.value.value;
      break;
    case 'errno':
      expected = -(ERRNO[st.value.name.replace(/^-/, '')] ?? NaN);
      break;
    case 'bool':
      expected = st.value.value;
      break;
    default:
      expected = st.value.value;
  }
  if (typeof actual === 'number' && typeof expected === 'number') {
    switch (st.cmp) {
      case '==': return actual === expected;
      case '!=': return actual !== expected;
      case '<': return actual < expected;
      case '<=': return actual <= expected;
      case '>': return actual > expected;
      case '>=': return actual >= expected;
    }
  }
  if (st.cmp === '==') return actual === expected;
  if (st.cmp === '!=') return actual !== expected;
  return false;
}

function folioField(sim: Sim, f: Folio, page: number, field: string): Actual {
  switch (field) {
    case 'refcount': return f.refcount;
    case 'mapcount': return mapcountOf(f);
    case 'pincount': return f.order > 0 ? f.pincount : 0;
    case 'pinned': return maybeDmaPinned(f);
    case 'kind': return f.kind;
    case 'exclusive': return f.anonExclusive[page] === 1;
    case 'dirty': return f.dirty;
    case 'freed': return false;
    default: return sim.error(`a folio has no field "${field}" (refcount, mapcount, pincount, pinned, kind, exclusive, dirty, freed)`);
  }
}

/** A labelled folio that has since been freed: its struct page reads refcount 0, nothing mapped or pinned. */
function freedField(label: FolioLabel, field: string): Actual {
  if (field === 'kind') return label.kind;
  if (field === 'freed') return true;
  return field === 'refcount' || field === 'mapcount' || field === 'pincount' ? 0 : false;
}

/** `label NAME MAPPING+OFF`: remember the folio (and page of it) mapped there in the current task now. */
export function labelFolio(sim: Sim, name: string, mapping: string, offset: number): void {
  const mm = mmOf(sim, currentTask(sim));
  const vma = findVma(sim, mm, mapping);
  if (offset >= vma.size) sim.error(`offset ${offset} is beyond "${mapping}" (${vma.size} bytes)`);
  const m = lookup(sim, mm, vma.start + offset);
  if (!m) sim.error(`nothing is mapped at ${mapping}+${offset} in ${mm.owner} to label (touch it first)`);
  sim.journal.mapSet(sim.state.labels, name, { folio: m.folio.id, page: m.page, kind: m.folio.kind });
}

/** The bits of the entry that maps `va` (PTE or PMD leaf); all false where nothing is mapped. */
function pteField(sim: Sim, va: number, field: string): Actual {
  const mm = mmOf(sim, currentTask(sim));
  const pmd = mm.pmds.get(pmdKey(va));
  const entry = pmd ?? mm.ptes.get(vpn(va));
  switch (field) {
    case 'present': return entry !== undefined;
    case 'writable': return entry?.rw ?? false;
    case 'dirty': return entry?.dirty ?? false;
    case 'special': return entry?.special ?? false;
    case 'pmd': return pmd !== undefined;
    default: return sim.error(`a page table entry has no field "${field}" (present, writable, dirty, special, pmd)`);
  }
}

function resolve(sim: Sim, st: Expect): Actual {
  const field = st.field;
  if (st.subject === 'violations' || st.subject === 'leaks') {
    if (field) sim.error(`${st.subject} takes no field`);
    return st.subject === 'violations' ? sim.state.counters.violations : leakedRefs(sim);
  }
  if (st.subject === 'zero' || st.subject === 'hugezero') {
    const f = sim.state.folios.get(st.subject === 'zero' ? sim.state.zeroFolio : sim.state.hugeZeroFolio)!;
    return folioField(sim, f, 0, field ?? 'refcount');
  }
  if (st.offset !== undefined) {
    const mm = mmOf(sim, currentTask(sim));
    const vma = mm.vmas.get(st.subject);
    if (!vma) return sim.error(`no mapping "${st.subject}" in task ${mm.owner}`);
    if (st.offset >= vma.size) return sim.error(`offset ${st.offset} is beyond "${st.subject}" (${vma.size} bytes)`);
    if (field?.startsWith('pte.')) return pteField(sim, vma.start + st.offset, field.slice(4));
    const m = lookup(sim, mm, vma.start + st.offset);
    if (!m) return field === 'kind' ? 'none' : field === 'refcount' || field === 'mapcount' || field === 'pincount' || field === undefined ? 0 : false;
    return folioField(sim, m.folio, m.page, field ?? 'refcount');
  }
  const label = sim.state.labels.get(st.subject);
  if (label) {
    const f = sim.state.folios.get(label.folio);
    return f ? folioField(sim, f, label.page, field ?? 'refcount') : freedField(label, field ?? 'refcount');
  }
  const bio = /^bio#(\d+)$/.exec(st.subject);
  if (bio) {
    const b = sim.state.bios.get(Number(bio[1]));
    if (!b) return sim.error(`no ${st.subject}`);
    switch (field ?? 'state') {
      case 'pages': return b.bvecs.reduce((s, v) => s + bvecPages(v), 0);
      case 'bvecs': return b.bvecs.length;
      case 'bytes': return bioBytes(b);
      case 'state': return b.state;
      case 'pinned': return b.pinned;
      case 'inflight': return b.state === 'submitted';
      default: return sim.error(`a bio has no field "${field}" (state, pages, bvecs, bytes, pinned, inflight)`);
    }
  }
  const dio = /^dio#(\d+)$/.exec(st.subject);
  if (dio) {
    const d = sim.state.dios.get(Number(dio[1]));
    if (!d) return sim.error(`no ${st.subject}`);
    switch (field ?? 'result') {
      case 'result': return d.result;
      case 'state': return d.state;
      case 'bios': return d.bios.length;
      case 'inflight': return d.bios.filter((id) => sim.state.bios.get(id)?.state === 'submitted').length;
      case 'pages': return d.queue.length + (d.cur ? 1 : 0);
      default: return sim.error(`a dio has no field "${field}" (result, state, bios, inflight, pages)`);
    }
  }
  const found = findHandle(sim, st.subject);
  if (!found) return sim.error(`no handle, mapping offset or subject "${st.subject}"`);
  const h = found.handle;
  switch (field ?? 'result') {
    case 'result': return h.result;
    case 'pages': return h.released ? 0 : h.pages.length * (h.perCall && !found.member ? h.calls : 1);
    case 'bytes':
      if (h.bytes === undefined) return sim.error(`${st.subject} is not a pipe: only vmsplice returns bytes`);
      return h.bytes;
    default: return sim.error(`a handle has no field "${field}" (result, pages, bytes)`);
  }
}
