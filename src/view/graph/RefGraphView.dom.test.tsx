// @vitest-environment happy-dom
import { readFileSync } from 'node:fs';
import { act } from 'react';
import { describe, expect, it, vi } from 'vitest';
import { bornTest, frameModel } from '../memory/layout';
import { BUILTIN, runText } from '../memory/testing';
import { RefGraphView } from './RefGraphView';
import { catalogSlots, graphAt, graphGeometry } from './layout';
import { useDomHost } from '../testing/domHost';

(globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true;

const dom = useDomHost();

const run = runText(readFileSync(BUILTIN.dioWrite, 'utf8'));
const geo = graphGeometry(720);
const model = frameModel(run.catalog, run.events);

function draw(step: number, onSelect: (id: number) => void, ghosts = false) {
  const snapshot = run.snapshotAt(step);
  const pic = graphAt(catalogSlots(run.catalog), geo, snapshot, { selected: null, born: bornTest(model, snapshot.folios, step) });
  act(() => dom.root.render(<RefGraphView picture={pic} geo={geo} onSelect={onSelect} ghosts={ghosts ? pic.edges : []} />));
  return pic;
}

describe('RefGraphView in a DOM', () => {
  it('selects a folio by click or keyboard', () => {
    const onSelect = vi.fn<(id: number) => void>();
    const global = vi.fn<(e: KeyboardEvent) => void>();
    window.addEventListener('keydown', global);
    draw(30, onSelect);
    const zero = dom.host.querySelector('g.gf[data-folio="1"]')!;
    act(() => zero.dispatchEvent(new MouseEvent('click', { bubbles: true })));
    expect(onSelect).toHaveBeenLastCalledWith(1);
    const huge = dom.host.querySelector('g.gf[data-folio="2"]')!;
    act(() => huge.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', bubbles: true })));
    expect(onSelect).toHaveBeenLastCalledWith(2);
    act(() => huge.dispatchEvent(new KeyboardEvent('keydown', { key: ' ', bubbles: true })));
    expect(onSelect).toHaveBeenCalledTimes(3);
    expect(global).not.toHaveBeenCalled();
    window.removeEventListener('keydown', global);
  });

  it('adds and removes edges as the step changes, the final picture never waiting for motion', async () => {
    const before = draw(17, () => {});
    const edgesAt = () => [...dom.host.querySelectorAll('path.edge:not(.edge-ghost)')].map((p) => p.getAttribute('data-edge'));
    expect(edgesAt().sort()).toEqual(before.edges.map((e) => e.key).sort());
    const during = draw(30, () => {});
    expect(during.edges.some((e) => e.holder === 'bio:bio#1')).toBe(true);
    expect(edgesAt().sort()).toEqual(during.edges.map((e) => e.key).sort());
    const bio = dom.host.querySelector('path[data-edge="bio:bio#1→1"]')!;
    expect(bio.getAttribute('d')).toBe(during.edges.find((e) => e.holder === 'bio:bio#1')!.d);
    // After the draw-in, no dash is left on the edge (waited for, not slept for).
    await vi.waitFor(() => expect((bio as SVGPathElement).style.strokeDasharray).toBe(''), { timeout: 2000, interval: 20 });
    const after = draw(run.lastStep, () => {});
    expect(after.edges.some((e) => e.holder === 'bio:bio#1')).toBe(false);
    expect(edgesAt().sort()).toEqual(after.edges.map((e) => e.key).sort());
  });

  it('draws ghosts as decoration only (no counters, hidden from assistive tech)', () => {
    draw(30, () => {}, true);
    const ghosts = dom.host.querySelectorAll('path.edge-ghost');
    expect(ghosts.length).toBeGreaterThan(0);
    for (const g of ghosts) {
      expect(g.getAttribute('aria-hidden')).toBe('true');
      expect(g.hasAttribute('data-edge')).toBe(false);
    }
  });
});
