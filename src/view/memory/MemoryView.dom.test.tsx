// @vitest-environment happy-dom
import { act } from 'react';
import { createRoot, type Root } from 'react-dom/client';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { MemoryView, CountText } from './MemoryView';
import { ROW_H, frameModel, layoutFrames, visibleRows } from './layout';
import { synthetic } from './testing';

(globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true;

let host: HTMLDivElement;
let root: Root;

beforeEach(() => {
  host = document.createElement('div');
  document.body.append(host);
  root = createRoot(host);
});

afterEach(() => {
  act(() => root.unmount());
  host.remove();
});

/** Wait for a condition instead of sleeping a fixed time (the count animation runs on animation frames). */
const until = (check: () => void) => vi.waitFor(check, { timeout: 2000, interval: 20 });

describe('MemoryView in a DOM', () => {
  const big = synthetic(262_144, 0);
  const model = frameModel(big.catalog, []);
  const layout = layoutFrames(model, 5);

  it('keeps 262,144 frames interactive: only the rows in view become elements', () => {
    const rows = visibleRows(layout, 50_000 * ROW_H, 600, 2);
    const onSelect = vi.fn<(id: number) => void>();
    act(() => root.render(<MemoryView model={model} layout={layout} folios={big.folios} step={1} rows={rows} selected={null} onSelect={onSelect} />));
    const blocks = host.querySelectorAll('g.mb');
    expect(blocks.length).toBeGreaterThan(0);
    expect(blocks.length).toBeLessThanOrEqual((rows[1] - rows[0]) * 5);
    expect(host.querySelectorAll('[data-field="refcount"]').length).toBe(blocks.length);
    // Scrolling on: another band of rows replaces this one.
    const next = visibleRows(layout, 200_000 * ROW_H, 600, 2);
    act(() => root.render(<MemoryView model={model} layout={layout} folios={big.folios} step={1} rows={next} selected={null} onSelect={onSelect} />));
    const ids = [...host.querySelectorAll('g.mb')].map((g) => Number(g.getAttribute('data-folio')));
    expect(Math.min(...ids)).toBeGreaterThanOrEqual(layout.rowStart[next[0]]!);
    expect(host.querySelectorAll('g.mb').length).toBeLessThanOrEqual((next[1] - next[0]) * 5);
  });

  it('selects a folio by click, Enter or Space, without the Space reaching the global shortcuts', () => {
    const onSelect = vi.fn<(id: number) => void>();
    const global = vi.fn<(e: KeyboardEvent) => void>();
    window.addEventListener('keydown', global);
    act(() => root.render(<MemoryView model={model} layout={layout} folios={big.folios} step={1} rows={[0, 2]} selected={null} onSelect={onSelect} />));
    const zero = host.querySelector('g.mb[data-folio="1"]') as SVGGElement;
    expect(zero.getAttribute('role')).toBe('button');
    expect(zero.getAttribute('tabindex')).toBe('0');
    act(() => zero.dispatchEvent(new MouseEvent('click', { bubbles: true })));
    expect(onSelect).toHaveBeenLastCalledWith(1);
    const f5 = host.querySelector('g.mb[data-folio="5"]') as SVGGElement;
    act(() => f5.dispatchEvent(new KeyboardEvent('keydown', { key: ' ', bubbles: true })));
    expect(onSelect).toHaveBeenLastCalledWith(5);
    act(() => f5.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', bubbles: true })));
    expect(onSelect).toHaveBeenCalledTimes(3);
    expect(global).not.toHaveBeenCalled();
    window.removeEventListener('keydown', global);
  });

  it('counts a refcount up from its previous value and always lands on the new one', async () => {
    const draw = (value: number) =>
      act(() =>
        root.render(
          <svg>
            <CountText className="mb-ref" x={0} y={0} fontSize={20} value={value} folio={7} field="refcount" />
          </svg>,
        ),
      );
    draw(1);
    const text = host.querySelector('[data-field="refcount"]')!;
    expect(text.textContent).toBe('1');
    draw(1025);
    expect(text.getAttribute('data-value')).toBe('1025');
    // It starts from the previous value...
    expect(Number(text.textContent)).toBeLessThan(1025);
    // ...and ends on the new one.
    await until(() => expect(text.textContent).toBe('1025'));
    // A new step in the middle of a count interrupts it and counts to the newest value.
    draw(2049);
    await until(() => expect(Number(text.textContent)).toBeGreaterThan(1025));
    draw(5);
    await until(() => expect(text.textContent).toBe('5'));
  });
});
