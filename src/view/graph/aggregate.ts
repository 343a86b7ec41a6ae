// Edges of the refcount graph bundled by holder class: when more than a threshold of holders of one class
// (PTE mappings, bios, GUP handles...) hold the same folio, they are drawn as one edge from their group with
// a count, instead of a fan of edges that all land on the same few pixels. Pure, before any layout.

/** More holders than this of one class on one folio become one edge. */
export const AGGREGATE_ABOVE = 24;

/** One holder's references on one folio (`h`, `f`: their slot indices). */
export interface HolderPair {
  h: number;
  f: number;
  refs: number;
  pins: number;
  leaked: boolean;
  kind: string;
  key: string;
  large: boolean;
}

export interface DrawnPair extends HolderPair {
  /** The holder class the pair stands for when it bundles several holders (else undefined). */
  group?: string;
  /** Holders the pair stands for (1 unless bundled). */
  holders: number;
  /** The holder keys it stands for. */
  members: readonly string[];
}

/**
 * The pairs to draw: each (folio, class) with more than `above` holders becomes one pair carrying their sums;
 * the others stay as they are. A bundle takes the place of its first member, so the order is kept.
 */
export function aggregatePairs(pairs: readonly HolderPair[], classOf: (kind: string) => string, above = AGGREGATE_ABOVE): DrawnPair[] {
  const count = new Map<string, number>();
  const bucket = (p: HolderPair) => `${p.f}\u0000${classOf(p.kind)}`;
  for (const p of pairs) count.set(bucket(p), (count.get(bucket(p)) ?? 0) + 1);
  const bundles = new Map<string, DrawnPair & { kinds: Map<string, number>; members: string[] }>();
  const out: DrawnPair[] = [];
  for (const p of pairs) {
    const b = bucket(p);
    if ((count.get(b) ?? 0) <= above) {
      out.push({ ...p, holders: 1, members: [p.key] });
      continue;
    }
    let bundle = bundles.get(b);
    if (!bundle) {
      const group = classOf(p.kind);
      bundle = { h: p.h, f: p.f, refs: 0, pins: 0, leaked: false, kind: p.kind, key: `class:${group}`, large: p.large, group, holders: 0, members: [], kinds: new Map() };
      bundles.set(b, bundle);
      out.push(bundle);
    }
    // Its place is its first member with a slot (h < 0: a holder the picture has no row for).
    if (p.h >= 0 && (bundle.h < 0 || p.h < bundle.h)) bundle.h = p.h;
    bundle.refs += p.refs;
    bundle.pins += p.pins;
    bundle.leaked ||= p.leaked;
    bundle.holders += 1;
    bundle.members.push(p.key);
    bundle.kinds.set(p.kind, (bundle.kinds.get(p.kind) ?? 0) + 1);
  }
  return out.map((p) => {
    if (!('kinds' in p)) return p;
    // Coloured as the most common kind among its holders (PTEs rather than the odd PMD).
    const { kinds, ...pair } = p as DrawnPair & { kinds: Map<string, number> };
    let kind = pair.kind;
    let most = 0;
    for (const [k, n] of kinds) if (n > most) [kind, most] = [k, n];
    return { ...pair, kind };
  });
}

/** The label of a bundled edge: how many holders, and their references when that is not one each. */
export function bundleLabel(holders: number, refs: number): string {
  const n = `${holders.toLocaleString('en-US')} holders`;
  return refs === holders ? n : `${n} ×${refs.toLocaleString('en-US')}`;
}
