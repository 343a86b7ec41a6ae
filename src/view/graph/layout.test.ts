import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { RunView as Run } from '../../store/runView';
import { bornTest, frameModel } from '../memory/layout';
import { BUILTIN, runText, synthetic, onKernel } from '../memory/testing';
import {
  FOCUS_FOLIOS,
  EDGE_LABEL_H,
  FOLIO_H,
  HOLDER_ROW,
  HOLDER_CHAR_W,
  HOLDER_TEXT_INSET,
  HOLDER_GROUPS,
  catalogSlots,
  edgeLabel,
  edgeWidth,
  focusSlots,
  graphAt,
  graphGeometry,
  graphSlots,
  stretchSlots,
  holderChars,
  holderLines,
  roomForWrappedLabels,
  HOLDER_LINE,
  groupOf,
  leakOwner,
  needsFocus,
  ports,
  runSlots,
  shortHolderLabel,
  sumParts,
} from './layout';

const read = (path: string) => readFileSync(path, 'utf8');

function picture(run: Run, step: number, selected: number | null = null, width = 720) {
  const snapshot = run.snapshotAt(step);
  const model = frameModel(run.catalog, run.events);
  return { snapshot, pic: graphAt(catalogSlots(run.catalog), graphGeometry(width), snapshot, { selected, born: bornTest(model, snapshot.folios, step) }) };
}

describe('holder groups and labels', () => {
  it('groups holder kinds in a fixed order, leaks last', () => {
    expect(groupOf('map')).toBe('map');
    expect(groupOf('pmd')).toBe('map');
    expect(groupOf('dioq')).toBe('dio');
    expect(groupOf('diocur')).toBe('dio');
    expect(groupOf('tmp')).toBe('kernel');
    expect(groupOf('leak')).toBe('leak');
    expect(groupOf('martian')).toBe('other');
    const order = HOLDER_GROUPS.map((g) => g.id);
    expect(order.indexOf('map')).toBeLessThan(order.indexOf('bio'));
    expect(order.indexOf('kernel')).toBeLessThan(order.indexOf('leak'));
  });

  it('names holders briefly, and a leak by the holder that should have released it', () => {
    expect(shortHolderLabel('map:main@0x7f0000000000')).toBe('0x7f0000000000 · main');
    expect(shortHolderLabel('pmd:main@0x7f0000200000')).toBe('PMD 0x7f0000200000 · main');
    expect(shortHolderLabel('dioq:dio#1')).toBe('dio#1 queue');
    expect(shortHolderLabel('kernel:zero-page')).toBe('zero page (reserved)');
    expect(shortHolderLabel('leak:vfio:dma')).toBe('leaked by vfio dma');
    expect(leakOwner('leak:vfio:dma')).toBe('vfio:dma');
    expect(leakOwner('vfio:dma')).toBeUndefined();
  });
});

describe('edge weights and labels', () => {
  it('labels a reference ×1, a small folio’s pin 1024, and pins on a large folio as +N pin', () => {
    expect(edgeLabel(1, 0, false)).toBe('×1');
    expect(edgeLabel(4, 0, false)).toBe('×4');
    expect(edgeLabel(1024, 1, false)).toBe('1024');
    expect(edgeLabel(3072, 3, false)).toBe('3×1024');
    expect(edgeLabel(1025, 1, false)).toBe('×1 + 1024');
    expect(edgeLabel(1, 1, true)).toBe('×1 +1 pin');
    expect(edgeLabel(2, 0, true)).toBe('×2');
  });

  it('scales edge width by the log of the references', () => {
    expect(edgeWidth(1)).toBeCloseTo(1.4, 6);
    expect(edgeWidth(1024)).toBeGreaterThan(edgeWidth(4));
    expect(edgeWidth(2 ** 21)).toBeCloseTo(12, 6);
    expect(edgeWidth(2 ** 30)).toBeCloseTo(12, 6);
    // log: ×2 in references adds a constant width.
    expect(edgeWidth(2048) - edgeWidth(1024)).toBeCloseTo(edgeWidth(4) - edgeWidth(2), 6);
  });

  it('spreads ports evenly around a centre', () => {
    expect(ports(1, 50, 40, 13)).toEqual([50]);
    expect(ports(3, 50, 40, 13)).toEqual([37, 50, 63]);
    expect(ports(5, 50, 40, 13)).toEqual([30, 40, 50, 60, 70]);
    expect(ports(0, 50, 40, 13)).toEqual([]);
  });

  it('writes a long sum with its first terms and how many more', () => {
    const t = (refs: number) => ({ refs, kind: 'map', leaked: false, holder: 'map:x' });
    expect(sumParts([t(1), t(1024), t(1024)], 40)).toEqual({ terms: [{ text: '1', kind: 'map', leaked: false }, { text: '1024', kind: 'map', leaked: false }, { text: '1024', kind: 'map', leaked: false }], hidden: 0 });
    const long = sumParts(Array.from({ length: 12 }, () => t(1)), 16);
    expect(long.hidden).toBeGreaterThan(0);
    expect(long.terms.length + long.hidden).toBe(12);
  });
});

describe('slots', () => {
  const run = runText(read(BUILTIN.subblock));
  const slots = catalogSlots(run.catalog);

  it('gives every holder of the run a slot, grouped, and every folio one', () => {
    expect(slots.holders.map((h) => h.key).sort()).toEqual(run.catalog.holders.map((h) => h.key).sort());
    expect(slots.folios.map((f) => f.id)).toEqual(run.catalog.folios.map((f) => f.id));
    // The kernel's references are on the zero page and the huge zero folio, the first folios: its group goes first.
    expect(slots.groups.map((g) => g.id)).toEqual(['kernel', 'map', 'bio', 'dio']);
    const ys = slots.holders.map((h) => h.y);
    expect(ys).toEqual([...ys].sort((a, b) => a - b));
    for (let i = 1; i < slots.folios.length; i++) expect(slots.folios[i]!.y - slots.folios[i - 1]!.y).toBeGreaterThanOrEqual(FOLIO_H);
    expect(catalogSlots(run.catalog)).toBe(slots);
  });

  it('keeps every holder and folio in place at every step', () => {
    const pos = (step: number) => {
      const { pic } = picture(run, step);
      return [pic.holders.map((h) => [h.key, h.y]), pic.folios.map((f) => [f.id, f.y])];
    };
    const first = pos(0);
    for (const step of [5, 13, 30, 38, run.lastStep]) expect(pos(step)).toEqual(first);
  });

  it('adds a holder the catalog missed rather than lose its edge', () => {
    const snapshot = run.snapshotAt(30);
    const partial = { folios: run.catalog.folios, holders: run.catalog.holders.filter((h) => h.kind !== 'map') };
    const merged = runSlots(partial, snapshot);
    expect(merged.holders.some((h) => h.kind === 'map')).toBe(true);
    expect(runSlots(run.catalog, snapshot)).toBe(slots);
  });
});

describe('the picture at a step', () => {
  it('draws one edge per (holder, folio) and each folio’s refcount is the sum of its edges', () => {
    for (const path of Object.values(BUILTIN)) {
      const run = runText(read(path));
      for (const step of [0, Math.floor(run.lastStep / 3), Math.floor((2 * run.lastStep) / 3), run.lastStep]) {
        const { pic, snapshot } = picture(run, step);
        for (const f of snapshot.folios) {
          const edges = pic.edges.filter((e) => e.folio === f.id);
          expect(edges.reduce((n, e) => n + e.refs, 0)).toBe(f.refcount);
          expect(edges.map((e) => e.holder).sort()).toEqual(f.holders.filter((h) => h.refs || h.pins).map((h) => h.key).sort());
          const node = pic.folios.find((n) => n.id === f.id)!;
          expect(node.terms.reduce((n, t) => n + t.refs, 0)).toBe(f.refcount);
          expect(node.state).toBe('alive');
        }
        expect(new Set(pic.edges.map((e) => e.key)).size).toBe(pic.edges.length);
      }
    }
  });

  it('runs edges from the holder column to the folio column with d3 links', () => {
    const run = runText(read(BUILTIN.dioWrite));
    const geo = graphGeometry(720);
    const { pic } = picture(run, 30);
    const bio = pic.edges.find((e) => e.holder === 'bio:bio#1')!;
    expect(bio.refs).toBe(4);
    expect(bio.label).toBe('×4');
    expect(bio.sx).toBe(geo.holderX + geo.holderW);
    expect(bio.tx).toBe(geo.folioX);
    expect(bio.d).toMatch(/^M[\d.]+,[\d.]+C/);
    // The current event puts the zero page in bio#1: that edge and holder are the current ones.
    expect(pic.edges.filter((e) => e.current).map((e) => e.key)).toEqual(['bio:bio#1→1']);
    expect(pic.holders.filter((h) => h.current).map((h) => h.key)).toEqual(['bio:bio#1']);
    // Ports at the folio follow the holders' order, so edges do not cross at the node.
    const zero = pic.edges.filter((e) => e.folio === 1).sort((a, b) => a.ty - b.ty);
    const holderY = (key: string) => pic.holders.find((h) => h.key === key)!.y;
    expect(zero.map((e) => holderY(e.holder))).toEqual([...zero.map((e) => holderY(e.holder))].sort((a, b) => a - b));
    // Holders holding nothing keep their slot but are idle.
    expect(pic.holders.find((h) => h.key === 'kernel:zero-page')!.active).toBe(true);
  });

  it('marks leaked references and the vfio holder that should have released them', () => {
    const run = runText(read(BUILTIN.vfio));
    const { pic } = picture(run, run.lastStep);
    const leak = pic.edges.filter((e) => e.leaked);
    expect(leak.length).toBeGreaterThan(0);
    expect(leak.every((e) => e.holder.startsWith('leak:'))).toBe(true);
    const node = pic.holders.find((h) => h.key === leak[0]!.holder)!;
    expect(node.leaked).toBe(true);
    expect(node.short).toBe('leaked by vfio dma');
    expect(node.group).toBe('leak');
    // The vfio mapping itself is gone: idle, in its slot.
    const vfio = pic.holders.find((h) => h.key === 'vfio:dma')!;
    expect(vfio.active).toBe(false);
  });

  it('lights the selected folio’s edges and marks the current event', () => {
    const run = runText(onKernel(read(BUILTIN.dioRead), 'v6.12'));
    // The first event that takes a reference on F4 by a named holder.
    const step = run.events.findIndex((e) => e.folio === 4 && e.holder !== undefined && e.kind === 'pin') + 1;
    expect(step).toBeGreaterThan(0);
    const { pic, snapshot } = picture(run, step, 3);
    expect(pic.edges.filter((e) => e.lit).every((e) => e.folio === 3)).toBe(true);
    expect(pic.folios.find((f) => f.id === 3)!.selected).toBe(true);
    expect(pic.folios.filter((f) => f.current).map((f) => f.id)).toEqual([4]);
    expect(pic.edges.filter((e) => e.current).map((e) => e.holder)).toEqual([snapshot.event!.holder]);
    expect(pic.holders.filter((h) => h.current).map((h) => h.key)).toEqual([snapshot.event!.holder]);
    const { pic: none } = picture(run, step, null);
    expect(none.edges.every((e) => e.lit)).toBe(true);
  });

  it('shows folios that are not allocated yet, and freed ones, in their slots', () => {
    const run = runText(onKernel(read(BUILTIN.dioRead), 'v6.12'));
    const { pic } = picture(run, 0);
    expect(pic.folios.filter((f) => f.state === 'unborn').map((f) => f.id)).toEqual([3, 4, 5, 6]);
    const gone = runText('title t\nmmap a 4K\nwrite a\nmark x\nmunmap a\n');
    const { pic: end } = picture(gone, gone.lastStep);
    expect(end.folios.find((f) => f.id === 3)!.state).toBe('freed');
    expect(end.edges.some((e) => e.folio === 3)).toBe(false);
  });
});

describe('large runs', () => {
  it('narrows to the folios in focus', () => {
    const big = synthetic(5000);
    expect(needsFocus(big.catalog)).toBe(true);
    const { slots, shown } = focusSlots(big.catalog, { ...big.snapshot, event: { kind: 'ref', text: '', chain: [], line: 1, stmt: 1, patchEnd: 0, folio: 4000 } }, 42);
    expect(shown).toBeLessThanOrEqual(FOCUS_FOLIOS);
    expect(slots.folios.map((f) => f.id)).toEqual([1, 2, 42, 4000]);
    // Only the holders of those folios get slots.
    expect(slots.holders.map((h) => h.key).sort()).toEqual(['kernel:huge-zero', 'kernel:zero-page', 'map:main@0x7f0000027000', 'map:main@0x7f0000f9d000'].sort());
    const small = synthetic(10);
    expect(needsFocus(small.catalog)).toBe(false);
    expect(graphSlots(small.catalog.folios, small.catalog.holders).folios).toHaveLength(12);
  });
});

describe('layout bugs found on day one', () => {
  const crosses = (a: { sy: number; ty: number }, b: { sy: number; ty: number }) => (a.sy - b.sy) * (a.ty - b.ty) < 0;

  it('draws a kernel holder of a single folio beside it, level with that folio, not on the opposite side', () => {
    for (const path of Object.values(BUILTIN)) {
      const run = runText(read(path));
      const { pic } = picture(run, Math.floor(run.lastStep / 2));
      let checked = 0;
      for (const k of pic.edges.filter((e) => e.kind === 'kernel')) {
        if (pic.edges.filter((e) => e.holder === k.holder).length !== 1) continue;
        const folio = pic.folios.find((f) => f.id === k.folio)!;
        expect(k.sy, `${path}: ${k.key}`).toBeGreaterThanOrEqual(folio.y);
        expect(k.sy, `${path}: ${k.key}`).toBeLessThanOrEqual(folio.y + FOLIO_H);
        // Two kernel holders never cross each other.
        for (const other of pic.edges.filter((e) => e.kind === 'kernel' && e !== k)) expect(crosses(k, other)).toBe(false);
        checked++;
      }
      expect(checked).toBeGreaterThan(0);
    }
  });

  it('gives the holder column the width of its longest label, so "zero page (reserved)" is not cut', () => {
    const run = runText(read(BUILTIN.dioWrite));
    const longest = Math.max(...catalogSlots(run.catalog).holders.map((h) => h.short.length));
    for (const width of [380, 480, 720]) {
      const geo = graphGeometry(width, longest);
      expect(holderChars(geo.holderW), `at ${width}`).toBeGreaterThanOrEqual(longest);
      expect(geo.holderX + geo.holderW).toBeLessThan(geo.folioX);
    }
    expect(HOLDER_TEXT_INSET + longest * HOLDER_CHAR_W).toBeGreaterThan(graphGeometry(380).holderW);
  });

  it('keeps the labels at a folio at least a label height apart', () => {
    const run = runText(read(BUILTIN.dioRead));
    let seen = 0;
    for (let step = 0; step <= run.lastStep; step++) {
      const { pic } = picture(run, step);
      for (const f of pic.folios) {
        const ys = pic.edges.filter((e) => e.folio === f.id && e.label !== '').map((e) => e.ty).sort((a, b) => a - b);
        for (let i = 1; i < ys.length; i++) expect(ys[i]! - ys[i - 1]!).toBeGreaterThanOrEqual(EDGE_LABEL_H);
        seen += ys.length;
      }
    }
    expect(seen).toBeGreaterThan(0);
  });
});

describe('stretchSlots', () => {
  const run = runText(readFileSync(BUILTIN.dioWrite, 'utf8'));
  const slots = graphSlots(run.catalog.folios, run.catalog.holders);
  it('spreads a short graph down a tall panel, nodes level and apart as before, nothing past the height', () => {
    const tall = stretchSlots(slots, slots.height * 2);
    expect(tall.height).toBe(Math.floor(slots.height * 2));
    const bottom = Math.max(...tall.folios.map((f) => f.y + FOLIO_H), ...tall.holders.map((h) => h.y + HOLDER_ROW / 2));
    expect(bottom).toBeLessThanOrEqual(tall.height);
    expect(bottom).toBeGreaterThan(tall.height * 0.7);
    for (let i = 1; i < tall.folios.length; i++) expect(tall.folios[i]!.y - tall.folios[i - 1]!.y).toBeGreaterThanOrEqual(FOLIO_H);
    // The kernel's zero-page holder stays level with the zero page's node.
    const zero = slots.folios.findIndex((f) => f.folio.kind === 'zero');
    const holder = slots.holders.findIndex((h) => h.key === 'kernel:zero-page');
    expect(slots.holders[holder]!.y).toBe(slots.folios[zero]!.y + FOLIO_H / 2);
    expect(tall.holders[holder]!.y).toBeCloseTo(tall.folios[zero]!.y + FOLIO_H / 2, 0);
  });
  it('stretches at most three times, and leaves a graph taller than its panel alone', () => {
    expect(stretchSlots(slots, slots.height * 10).height).toBe(Math.floor(slots.height * 3));
    expect(stretchSlots(slots, slots.height - 10)).toBe(slots);
  });
});

describe('labels on two lines', () => {
  it('breaks a long label at the space that makes its longer line shortest, and keeps a short one whole', () => {
    expect(holderLines('zero page (reserved)', 15)).toEqual(['zero page', '(reserved)']);
    expect(holderLines('0x7f0000000000 · main', 15)).toEqual(['0x7f0000000000', '· main']);
    expect(holderLines('huge zero folio', 15)).toEqual(['huge zero folio']);
    // No space to break at, or a word longer than the line: only then cut.
    expect(holderLines('0x7f0000000000', 10)).toEqual(['0x7f00000…']);
  });

  it('makes room under each wrapped label: the rows below and their group headers move down a line', () => {
    const run = runText(read(BUILTIN.subblock));
    const slots = catalogSlots(run.catalog);
    const chars = 15;
    const wrapped = slots.holders.filter((h) => h.short.length > chars);
    expect(wrapped.length).toBeGreaterThan(0);
    const roomy = roomForWrappedLabels(slots, chars);
    expect(roomy.height).toBe(Math.ceil(slots.height + wrapped.length * HOLDER_LINE));
    // Neighbouring rows stay at least a row apart, a wrapped one a row and a line.
    const ys = roomy.holders.map((h) => h.y);
    for (let i = 1; i < ys.length; i++) {
      const prevWraps = roomy.holders[i - 1]!.short.length > chars;
      const wraps = roomy.holders[i]!.short.length > chars;
      expect(ys[i]! - ys[i - 1]!).toBeGreaterThanOrEqual(HOLDER_ROW + ((prevWraps ? 1 : 0) + (wraps ? 1 : 0)) * (HOLDER_LINE / 2) - 0.01);
    }
    expect(roomy.folios).toEqual(slots.folios);
    // Nothing to wrap: the same slots.
    expect(roomForWrappedLabels(slots, 80)).toBe(slots);
  });

  it('sizes the holder column from the type it is given', () => {
    const desk = graphGeometry(600, 16);
    const wide = graphGeometry(600, 16, HOLDER_CHAR_W * 1.2);
    expect(wide.charW).toBeCloseTo(HOLDER_CHAR_W * 1.2);
    expect(holderChars(wide.holderW, wide.charW)).toBeGreaterThanOrEqual(16);
    expect(wide.holderW).toBeGreaterThan(desk.holderW - 1);
  });
});
