// @vitest-environment happy-dom
import { readFileSync } from 'node:fs';
import { act } from 'react';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { useExplorer } from '../../store/explorer';
import { buildTimelineModel } from './layout';
import { Timeline } from './Timeline';
import { TimelineView, type TransportId } from './TimelineView';
import { parseScenario } from '../../scenario';
import { simulate, type Run } from '../../core';
import { useDomHost } from '../testing/domHost';

(globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true;

const TEXT = readFileSync('scenarios/builtin/01-dio-write-zero-page.scn', 'utf8');

function runOf(text: string): Run {
  const parsed = parseScenario(text);
  if (!parsed.ok) throw new Error('parse');
  const outcome = simulate(parsed.scenario);
  if (!outcome.ok) throw new Error(outcome.error.message);
  return outcome.run;
}

const dom = useDomHost();

const key = (el: Element, k: string, shiftKey = false) => {
  const e = new KeyboardEvent('keydown', { key: k, shiftKey, bubbles: true, cancelable: true });
  act(() => {
    el.dispatchEvent(e);
  });
  return e;
};

describe('TimelineView interactions', () => {
  const model = buildTimelineModel(runOf(TEXT));
  const handlers = () => ({
    onCommand: vi.fn<(id: TransportId) => void>(),
    onScrub: vi.fn<(step: number) => void>(),
    onScrubStart: vi.fn<() => void>(),
    onScrubEnd: vi.fn<(step: number) => void>(),
    onSliderKey: vi.fn<(unit: 'event' | 'statement' | 'chapter' | 'start' | 'end', dir: 1 | -1) => void>(),
    onSeek: vi.fn<(step: number) => void>(),
    onSpeed: vi.fn<(n: number) => void>(),
  });

  it('handles arrow keys on the focused slider and keeps them from the window shortcuts', () => {
    const h = handlers();
    act(() => dom.root.render(<TimelineView model={model} width={1000} step={10} playing={false} speed={8} titles={{}} {...h} />));
    const windowKeys = vi.fn<(e: KeyboardEvent) => void>();
    window.addEventListener('keydown', windowKeys);
    try {
      const slider = dom.host.querySelector('[role="slider"]')!;
      const e1 = key(slider, 'ArrowRight');
      key(slider, 'ArrowLeft', true);
      key(slider, 'PageDown');
      key(slider, 'Home');
      key(slider, 'End');
      expect(h.onSliderKey.mock.calls).toEqual([
        ['event', 1],
        ['statement', -1],
        ['chapter', 1],
        ['start', -1],
        ['end', 1],
      ]);
      expect(e1.defaultPrevented).toBe(true);
      expect(windowKeys).not.toHaveBeenCalled();
      // Keys the slider does not own (Space: play) still reach the global handler.
      key(slider, ' ');
      expect(windowKeys).toHaveBeenCalledTimes(1);
    } finally {
      window.removeEventListener('keydown', windowKeys);
    }
  });

  it('seeks from a pointer press and drag, and ends the scrub on release', () => {
    const h = handlers();
    act(() => dom.root.render(<TimelineView model={model} width={1000} step={0} playing={false} speed={8} titles={{}} {...h} />));
    const slider = dom.host.querySelector<HTMLDivElement>('[role="slider"]')!;
    slider.getBoundingClientRect = () => ({ left: 0, top: 0, right: 1000, bottom: 66, width: 1000, height: 66, x: 0, y: 0, toJSON: () => ({}) });
    const fire = (type: string, clientX: number) =>
      act(() => {
        slider.dispatchEvent(new PointerEvent(type, { clientX, button: 0, pointerId: 1, bubbles: true }));
      });
    fire('pointerdown', 12 + (976 * 10) / 47);
    fire('pointermove', 12 + (976 * 20) / 47);
    fire('pointerup', 988);
    fire('pointermove', 500); // not dragging any more
    expect(h.onScrubStart).toHaveBeenCalledTimes(1);
    expect(h.onScrub.mock.calls).toEqual([[10], [20]]);
    expect(h.onScrubEnd.mock.calls).toEqual([[47]]);
  });

  it('jumps from chapter flags and problem markers, changes speed, and runs transport commands', () => {
    const h = handlers();
    const vfio = buildTimelineModel(runOf(readFileSync('scenarios/builtin/03-vfio-zero-page.scn', 'utf8')));
    act(() => dom.root.render(<TimelineView model={vfio} width={1000} step={0} playing={false} speed={8} titles={{}} {...h} />));
    act(() => dom.host.querySelectorAll<HTMLButtonElement>('.tl-flag')[1]!.click());
    act(() => dom.host.querySelector<HTMLButtonElement>('.tl-marker')!.click());
    expect(h.onSeek.mock.calls).toEqual([[16], [43]]);
    act(() => dom.host.querySelector<HTMLButtonElement>('[data-command="statement-next"]')!.click());
    expect(h.onCommand).toHaveBeenCalledWith('statement-next');
    const select = dom.host.querySelector<HTMLSelectElement>('select')!;
    act(() => {
      select.value = '32';
      select.dispatchEvent(new Event('change', { bubbles: true }));
    });
    expect(h.onSpeed).toHaveBeenCalledWith(32);
  });
});

describe('Timeline (connected to the store)', () => {
  beforeEach(() => {
    act(() => useExplorer.getState().load(TEXT, { scenarioId: 'dio-write-zero-page' }));
  });

  it('shows the store step, and its buttons drive the same actions as the keys', () => {
    act(() => dom.root.render(<Timeline />));
    // It opens on the first step of the first chapter where kernel code runs (the read fault after the mark).
    expect(useExplorer.getState().step).toBe(4);
    expect(dom.host.querySelector('[role="slider"]')!.getAttribute('aria-valuenow')).toBe('4');
    act(() => dom.host.querySelector<HTMLButtonElement>('[data-command="event-next"]')!.click());
    expect(useExplorer.getState().step).toBe(5);
    act(() => dom.host.querySelector<HTMLButtonElement>('[data-command="chapter-next"]')!.click());
    expect(useExplorer.getState().step).toBe(17);
    act(() => dom.host.querySelector<HTMLButtonElement>('[data-command="end"]')!.click());
    expect(useExplorer.getState().step).toBe(47);
    expect(dom.host.querySelector('[data-field="step"]')!.textContent).toBe('step 47 / 47');
    act(() => dom.host.querySelector<HTMLButtonElement>('[data-command="start"]')!.click());
    expect(useExplorer.getState().step).toBe(0);
    expect(dom.host.querySelector('[data-command="event-next"]')!.getAttribute('title')).toBe('Next event (→)');
  });

  it('moves by statement with Shift+arrow on the slider, once', () => {
    act(() => dom.root.render(<Timeline />));
    act(() => useExplorer.getState().seek(17));
    key(dom.host.querySelector('[role="slider"]')!, 'ArrowRight', true);
    // Statement 19 (the dio write) ends with the task asleep at step 32.
    expect(useExplorer.getState().step).toBe(32);
  });

  it('pauses playback when a scrub starts', () => {
    act(() => dom.root.render(<Timeline />));
    act(() => useExplorer.getState().play());
    const slider = dom.host.querySelector<HTMLDivElement>('[role="slider"]')!;
    act(() => {
      slider.dispatchEvent(new PointerEvent('pointerdown', { clientX: 0, button: 0, pointerId: 1, bubbles: true }));
      slider.dispatchEvent(new PointerEvent('pointerup', { clientX: 0, button: 0, pointerId: 1, bubbles: true }));
    });
    expect(useExplorer.getState().playing).toBe(false);
    expect(useExplorer.getState().step).toBe(0);
  });
});
