// @vitest-environment happy-dom
import { readFileSync } from 'node:fs';
import { act } from 'react';
import { describe, expect, it, vi } from 'vitest';
import { parseScenario } from '../../scenario';
import { simulate, type Run } from '../../core';
import { BlockIoView } from './BlockIoView';
import { tweenTracked } from '../common/trackedTween';
import { useDomHost } from '../testing/domHost';

(globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true;

function runOf(text: string): Run {
  const parsed = parseScenario(text);
  if (!parsed.ok) throw new Error('parse');
  const outcome = simulate(parsed.scenario);
  if (!outcome.ok) throw new Error(outcome.error.message);
  return outcome.run;
}

const RUN = runOf(readFileSync('scenarios/builtin/02-legacy-subblock-zeroing.scn', 'utf8'));
const submitted = RUN.events.findIndex((e) => e.text.startsWith('bio#1 is submitted')) + 1;

const dom = useDomHost();

describe('BlockIoView interactions', () => {
  it('selects the folio of a clicked bvec, and with Enter or Space', () => {
    const onSelect = vi.fn<(id: number) => void>();
    act(() => dom.root.render(<BlockIoView snapshot={RUN.snapshot(submitted)} catalog={RUN.catalog} selectedFolio={null} onSelectFolio={onSelect} />));
    const segs = dom.host.querySelectorAll<SVGGElement>('.bio-seg[role="button"]');
    expect(segs).toHaveLength(2);
    act(() => segs[0]!.dispatchEvent(new MouseEvent('click', { bubbles: true })));
    expect(onSelect).toHaveBeenLastCalledWith(Number(segs[0]!.getAttribute('data-folio')));
    act(() => segs[1]!.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', bubbles: true })));
    expect(onSelect).toHaveBeenLastCalledWith(RUN.snapshot(submitted).zeroFolio);
    act(() => segs[1]!.dispatchEvent(new KeyboardEvent('keydown', { key: ' ', bubbles: true })));
    expect(onSelect).toHaveBeenCalledTimes(3);
    expect(segs[0]!.getAttribute('tabindex')).toBe('0');
  });

  it("selects the folio of the dio's current page chip", () => {
    const onSelect = vi.fn<(id: number) => void>();
    const step = RUN.events.findIndex((e) => e.text.startsWith("the zero page becomes dio#1's current page")) + 1;
    act(() => dom.root.render(<BlockIoView snapshot={RUN.snapshot(step)} catalog={RUN.catalog} selectedFolio={null} onSelectFolio={onSelect} />));
    const chip = dom.host.querySelector<SVGGElement>('.bio-chip[role="button"]')!;
    act(() => chip.dispatchEvent(new MouseEvent('click', { bubbles: true })));
    expect(onSelect).toHaveBeenCalledWith(RUN.snapshot(step).zeroFolio);
  });
});

describe('tweenTracked', () => {
  function bar(transform: string): SVGGElement {
    const g = document.createElementNS('http://www.w3.org/2000/svg', 'g');
    g.setAttribute('data-tw', 'bar');
    g.setAttribute('data-tw-transform', transform);
    g.setAttribute('transform', transform);
    dom.host.append(g);
    return g;
  }

  it('starts from the previous target and snaps to the new one when interrupted', () => {
    const g = bar('translate(10,0)');
    let memory = tweenTracked(dom.host, new Map(), 300, 0);
    expect(g.getAttribute('transform')).toBe('translate(10,0)'); // first render: nothing to animate
    // The next step moves the bar: the transition starts from where it was.
    g.setAttribute('data-tw-transform', 'translate(200,0)');
    g.setAttribute('transform', 'translate(200,0)');
    memory = tweenTracked(dom.host, memory, 300, 1000);
    expect(g.getAttribute('transform')).toBe('translate(10,0)');
    expect(memory.get('bar|transform')).toEqual({ to: 'translate(200,0)', until: 1300 });
    // Another step arrives (reduced motion, or a jump): whatever was running, the target is on screen at once.
    g.setAttribute('data-tw-transform', 'translate(400,0)');
    g.setAttribute('transform', 'translate(400,0)');
    memory = tweenTracked(dom.host, memory, 0, 1100);
    expect(g.getAttribute('transform')).toBe('translate(400,0)');
    expect(memory.get('bar|transform')).toEqual({ to: 'translate(400,0)', until: 0 });
  });

  it('lets a running transition finish on a re-render, and snaps one whose time is over', () => {
    const g = bar('translate(0,0)');
    let memory = tweenTracked(dom.host, new Map(), 300, 0);
    g.setAttribute('data-tw-transform', 'translate(100,0)');
    memory = tweenTracked(dom.host, memory, 300, 1000);
    g.setAttribute('transform', 'translate(37,0)'); // as if mid-flight
    memory = tweenTracked(dom.host, memory, 300, 1100); // a hover re-render: same target, still running
    expect(g.getAttribute('transform')).toBe('translate(37,0)');
    memory = tweenTracked(dom.host, memory, 300, 2000); // long after: whatever was left is snapped
    expect(g.getAttribute('transform')).toBe('translate(100,0)');
    expect(memory.size).toBe(1);
  });

  it('grows an entering element from its data-tw-from value', () => {
    const memory = tweenTracked(dom.host, new Map(), 300, 0);
    expect(memory.size).toBe(0);
    const other = bar('translate(5,0)');
    const rect = document.createElementNS('http://www.w3.org/2000/svg', 'rect');
    rect.setAttribute('data-tw', 'seg');
    rect.setAttribute('data-tw-width', '40');
    rect.setAttribute('data-tw-from-width', '0');
    rect.setAttribute('width', '40');
    dom.host.append(rect);
    const next = tweenTracked(dom.host, new Map([['x|transform', { to: 'y', until: 0 }]]), 300, 10);
    expect(rect.getAttribute('width')).toBe('0');
    expect(next.get('seg|width')).toEqual({ to: '40', until: 310 });
    expect(other.getAttribute('transform')).toBe('translate(5,0)');
  });
});
