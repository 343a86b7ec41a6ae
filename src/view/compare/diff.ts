// Compare mode, pure: which folio counters differ between the two sides at the aligned steps, and the words
// for where two runs diverge. No React, no store.

import type { FolioKind, FolioView } from '../../core';
import type { Divergence } from '../../store/compare';
import { folioLabel } from '../common/palette';

export const COUNTERS = ['refcount', 'mapcount', 'pincount'] as const;
export type Counter = (typeof COUNTERS)[number];

export interface Counts {
  refcount: number;
  mapcount: number;
  pincount: number;
}

export interface FolioDiff {
  id: number;
  kind: FolioKind;
  /** Counters that differ; empty when the folio is alive on one side only (see `a`/`b`). */
  fields: Counter[];
  a?: Counts;
  b?: Counts;
}

const counts = (f: FolioView): Counts => ({ refcount: f.refcount, mapcount: f.mapcount, pincount: f.pincount });

/** Folios whose counters differ between side a and side b (or that are alive on one side only), by id. */
export function folioDiffs(a: readonly FolioView[], b: readonly FolioView[]): Map<number, FolioDiff> {
  const byIdB = new Map(b.map((f) => [f.id, f]));
  const out = new Map<number, FolioDiff>();
  for (const x of a) {
    const y = byIdB.get(x.id);
    if (!y) {
      out.set(x.id, { id: x.id, kind: x.kind, fields: [], a: counts(x) });
      continue;
    }
    const fields = COUNTERS.filter((c) => x[c] !== y[c]);
    if (fields.length > 0 || x.kind !== y.kind) out.set(x.id, { id: x.id, kind: x.kind, fields, a: counts(x), b: counts(y) });
  }
  const idsA = new Set(a.map((f) => f.id));
  for (const y of b) if (!idsA.has(y.id)) out.set(y.id, { id: y.id, kind: y.kind, fields: [], b: counts(y) });
  return out;
}

/** The source text of a line (1-based), trimmed, or '' when out of range. */
export function statementText(source: string, line: number): string {
  return (source.split('\n')[line - 1] ?? '').trim();
}

function folioName(id: number, kind: string): string {
  return folioLabel({ id, kind: kind as FolioKind });
}

/** "zero page refcount 5 (v6.4) vs 1 (v6.5)" for the first differing counter of a divergence's first folio. */
export function describeDifference(d: Divergence, labelA: string, labelB: string, max = 3): string {
  const parts: string[] = [];
  for (const f of d.folios) {
    const name = folioName(f.id, f.kind);
    if (!f.a || !f.b) {
      parts.push(`${name} ${f.a ? `alive (${labelA}) vs gone (${labelB})` : `gone (${labelA}) vs alive (${labelB})`}`);
      continue;
    }
    for (const c of COUNTERS) if (f.a[c] !== f.b[c]) parts.push(`${name} ${c} ${f.a[c]} (${labelA}) vs ${f.b[c]} (${labelB})`);
  }
  const more = parts.length - max;
  return parts.slice(0, max).join('; ') + (more > 0 ? `; and ${more} more` : '');
}

/** The headline under the two columns. */
export function divergenceHeadline(divs: readonly Divergence[], source: string, labelA: string, labelB: string): string {
  const first = divs[0];
  if (!first) return `The runs never diverge: every folio has the same refcount, mapcount and pincount under ${labelA} and ${labelB} at the end of every statement.`;
  return `Runs diverge first at line ${first.line} (\`${statementText(source, first.line)}\`): ${describeDifference(first, labelA, labelB)}`;
}

/** The short mark shown on a differing folio: the other side's value of the first differing counter. */
export function diffBadge(d: FolioDiff, side: 'a' | 'b', otherLabel: string): { text: string; title: string; field: string; other: string } {
  const mine = side === 'a' ? d.a : d.b;
  const other = side === 'a' ? d.b : d.a;
  if (!mine || !other) return { text: other ? '≠ gone' : '≠ only here', title: `${otherLabel}: ${other ? `alive, refcount ${other.refcount}` : 'not alive at this step'}`, field: 'alive', other: other ? String(other.refcount) : '' };
  const field = d.fields[0] ?? 'refcount';
  const prefix = field === 'refcount' ? '' : field === 'mapcount' ? 'map ' : 'pin ';
  const title = `${otherLabel}: ${d.fields.map((c) => `${c} ${other[c]}`).join(', ')} (here ${d.fields.map((c) => `${c} ${mine[c]}`).join(', ')})`;
  return { text: `≠ ${prefix}${other[field]}`, title, field, other: String(other[field]) };
}
