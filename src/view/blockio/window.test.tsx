// @vitest-environment happy-dom
// The block I/O view of a big run draws a bounded window of its bios, whatever the step.
import { act } from 'react';
import { describe, expect, it } from 'vitest';
import { busyScenario } from '../../../bench/scenarios';
import { runViewOf } from '../../store/runViewOf';
import { BlockIoView } from './BlockIoView';
import { AROUND, DRAW_ALL_UP_TO, EARLIER_STEP, MAX_ANCHORS, blockIoWindow, windowSummary } from './window';
import { useDomHost } from '../testing/domHost';

(globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true;

const RUN = runViewOf(busyScenario(240), null).view!;
const CATALOG = RUN.catalog;
/** The most bios a window may hold: each anchor (the bios at work, the latest, the selected one's) with its neighbours. */
const BOUND = (MAX_ANCHORS + 2) * (2 * AROUND + 1);
const steps = Array.from({ length: 40 }, (_, i) => Math.round((i * RUN.lastStep) / 39));

describe('blockIoWindow', () => {
  it('the bench run has far more bios than a window', () => {
    expect(CATALOG.bios.length).toBeGreaterThan(3 * BOUND);
    expect(CATALOG.dios.length).toBeGreaterThan(3 * BOUND);
  });

  it('draws every bio at work, the latest one and the selected folio\'s, within the bound, and counts the rest', () => {
    const selected = CATALOG.folios.find((f) => f.kind === 'anon')!.id;
    for (const step of steps) {
      const snap = RUN.snapshotAt(step);
      const w = blockIoWindow(snap, CATALOG, selected);
      const drawn = new Set(w.bios.map((b) => b.id));
      expect(w.all).toBe(false);
      expect(w.bios.length).toBeLessThanOrEqual(BOUND);
      expect(w.earlier + w.between + w.later + w.bios.length).toBe(CATALOG.bios.length);
      // Every bio at work (this bench run has fewer than MAX_ANCHORS at once), the latest, the selected folio's.
      const atWork = snap.bios.filter((b) => b.state !== 'released');
      expect(atWork.length).toBeLessThanOrEqual(MAX_ANCHORS);
      const must = [...atWork, ...snap.bios.slice(-1), ...snap.bios.filter((b) => b.bvecs.some((v) => v.folio === selected)).slice(-1)];
      expect(must.filter((b) => !drawn.has(b.id))).toEqual([]);
      // Drawn in catalog order.
      const order = w.bios.map((b) => CATALOG.bios.indexOf(b));
      expect(order).toEqual([...order].sort((a, b) => a - b));
    }
  });

  it('says what it leaves out, and "show earlier" widens it towards the start', () => {
    const snap = RUN.snapshotAt(RUN.lastStep);
    const w = blockIoWindow(snap, CATALOG, null);
    expect(w.earlier).toBeGreaterThan(EARLIER_STEP);
    expect(windowSummary(w)).toContain(`${w.earlier.toLocaleString('en-US')} earlier bios`);
    const wider = blockIoWindow(snap, CATALOG, null, EARLIER_STEP);
    expect(wider.earlier).toBe(w.earlier - EARLIER_STEP);
    expect(wider.bios.length).toBe(w.bios.length + EARLIER_STEP);
  });

  it('a small run draws them all', () => {
    const small = { bios: CATALOG.bios.slice(0, DRAW_ALL_UP_TO), dios: CATALOG.dios.slice(0, 3) };
    const w = blockIoWindow(RUN.snapshotAt(RUN.lastStep), small, null);
    expect(w.all).toBe(true);
    expect(w.bios).toBe(small.bios);
    expect(windowSummary(w)).toBe('');
  });
});

const dom = useDomHost();

describe('BlockIoView of a big run', () => {
  it('keeps its element count bounded at every step, far below drawing every bio', () => {
    const counts: number[] = [];
    for (const step of steps.filter((_, i) => i % 3 === 0)) {
      act(() => dom.root.render(<BlockIoView snapshot={RUN.snapshotAt(step)} catalog={CATALOG} selectedFolio={null} width={900} />));
      counts.push(dom.host.querySelectorAll('*').length);
      expect(dom.host.querySelectorAll('[data-bio]').length).toBeLessThanOrEqual(BOUND);
      expect(dom.host.querySelectorAll('[data-dio]').length).toBeLessThanOrEqual(BOUND + MAX_ANCHORS);
    }
    // Every drawn bio or dio takes at least 5 elements, so drawing all of them would take more than this.
    const allAtLeast = 5 * (CATALOG.bios.length + CATALOG.dios.length);
    expect(Math.max(...counts)).toBeLessThan(allAtLeast / 2);
    expect(Math.max(...counts)).toBeGreaterThan(0);
  });

  it('"show earlier" draws more of the earlier bios, and the summary says how many are left', () => {
    act(() => dom.root.render(<BlockIoView snapshot={RUN.snapshotAt(RUN.lastStep)} catalog={CATALOG} selectedFolio={null} width={900} />));
    const line = dom.host.querySelector('.bio-window')!;
    const before = Number(line.getAttribute('data-bios-drawn'));
    const earlier = Number(line.getAttribute('data-bios-earlier'));
    expect(line.textContent).toContain(`${earlier.toLocaleString('en-US')} earlier bios`);
    act(() => dom.host.querySelector<HTMLButtonElement>('.bio-window-more')!.click());
    expect(dom.host.querySelectorAll('[data-bio]').length).toBe(before + EARLIER_STEP);
    expect(dom.host.querySelector('.bio-window')!.getAttribute('data-bios-earlier')).toBe(String(earlier - EARLIER_STEP));
  });
});
