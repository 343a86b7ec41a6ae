import { describe, expect, it } from 'vitest';
import { holder, type CatalogFolio, type FolioView, type HolderView, type Snapshot } from '../../core';
import { AGGREGATE_ABOVE, aggregatePairs, bundleLabel, type HolderPair } from './aggregate';
import { graphAt, graphGeometry, graphSlots, groupOf } from './layout';

function pair(h: number, f: number, kind: string, refs = 1): HolderPair {
  return { h, f, refs, pins: 0, leaked: false, kind, key: `${kind}:${h}`, large: false };
}

describe('aggregatePairs', () => {
  it('bundles a class with more than the threshold of holders on one folio, and nothing else', () => {
    const crowd = Array.from({ length: AGGREGATE_ABOVE + 1 }, (_, i) => pair(10 + i, 0, i % 5 === 0 ? 'pmd' : 'map', 2));
    const pairs = [pair(0, 0, 'gup', 1024), ...crowd, pair(3, 1, 'map'), pair(4, 1, 'map')];
    const drawn = aggregatePairs(pairs, groupOf);
    expect(drawn).toHaveLength(4);
    const bundle = drawn.find((p) => p.group === 'map')!;
    expect(bundle).toMatchObject({ f: 0, h: 10, refs: 2 * crowd.length, holders: crowd.length, kind: 'map', key: 'class:map' });
    expect(bundle.members).toEqual(crowd.map((p) => p.key));
    // In the place of its first member; another folio's two mappings stay two edges.
    expect(drawn.map((p) => p.key)).toEqual(['gup:0', 'class:map', 'map:3', 'map:4']);
  });

  it('leaves exactly the threshold alone', () => {
    const pairs = Array.from({ length: AGGREGATE_ABOVE }, (_, i) => pair(i, 0, 'map'));
    expect(aggregatePairs(pairs, groupOf).every((p) => p.holders === 1)).toBe(true);
    expect(aggregatePairs(pairs, groupOf, AGGREGATE_ABOVE - 1)).toHaveLength(1);
  });
});

describe('graphAt with a crowd of holders', () => {
  /** One anon folio mapped by `n` PTEs and pinned by one GUP handle. */
  function picture(n: number, slotted = n) {
    const folio: CatalogFolio = { id: 3, kind: 'anon', order: 6, pfn: 4096 };
    const maps: HolderView[] = Array.from({ length: n }, (_, i) => {
      const key = holder.pte('main', 0x7f0000000000 + i * 4096);
      return { key, kind: 'map', label: key, refs: 1, pins: 0, leaked: false };
    });
    const gup: HolderView = { key: 'gup:h', kind: 'gup', label: 'GUP handle h', refs: 1024, pins: 1, leaked: false };
    const holders = [...maps, gup];
    const view: FolioView = { id: 3, kind: 'anon', order: 6, pfn: 4096, refcount: n + 1024, mapcount: n, pincount: 1, pinned: true, exclusive: true, dirty: true, reserved: false, holders, held: n + 1024 };
    const snapshot: Snapshot = { step: 1, lastStep: 1, kernel: 'latest', currentTask: 'main', folios: [view], tasks: [], bios: [], dios: [], handles: [], files: [], violations: 0, leaks: 0, zeroFolio: 0, hugeZeroFolio: 0 };
    // A focus view gives rows to some holders only.
    const slots = graphSlots([folio], [...maps.slice(0, slotted), gup].map((h) => ({ key: h.key, kind: h.kind, label: h.label })));
    return graphAt(slots, graphGeometry(720), snapshot, { selected: null, born: () => true });
  }

  it('draws one edge per holder up to the threshold', () => {
    const p = picture(AGGREGATE_ABOVE);
    expect(p.edges).toHaveLength(AGGREGATE_ABOVE + 1);
    expect(p.edges.every((e) => e.holders === 1)).toBe(true);
  });

  it('beyond it, one edge with the count from the group, while the sum keeps every term and every holder stays lit', () => {
    const n = 300;
    const p = picture(n);
    expect(p.edges).toHaveLength(2);
    const bundle = p.edges.find((e) => e.holders > 1)!;
    expect(bundle).toMatchObject({ holders: n, refs: n, kind: 'map', key: 'class:map→3' });
    expect(bundle.label).toBe('300 holders');
    expect(bundleLabel(30, 31_744)).toBe('30 holders ×31,744');
    const group = p.groups.find((g) => g.id === 'map')!;
    expect(bundle.sy).toBeGreaterThanOrEqual(group.y);
    expect(bundle.sy).toBeLessThanOrEqual(group.y + 17);
    expect(p.folios[0]!.terms).toHaveLength(n + 1);
    expect(p.folios[0]!.terms.reduce((s, t) => s + t.refs, 0)).toBe(n + 1024);
    expect(p.holders.filter((h) => h.active)).toHaveLength(n + 1);
  });

  it('a bundle counts the holders of its class that have no row too (a focus view)', () => {
    const p = picture(512, 30);
    const bundle = p.edges.find((e) => e.holders > 1)!;
    expect(bundle).toMatchObject({ holders: 512, refs: 512 });
    expect(p.edges).toHaveLength(2);
    // The sum lists what has rows; the rest is counted as "more" by the view, as before.
    expect(p.folios[0]!.terms).toHaveLength(31);
  });

  it('holders without rows, too few to bundle, are left out as before', () => {
    const p = picture(20, 5);
    expect(p.edges).toHaveLength(6);
    expect(p.edges.every((e) => e.holders === 1)).toBe(true);
  });
});
