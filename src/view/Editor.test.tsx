// @vitest-environment happy-dom
// The editor re-renders only the lines whose highlight changes when the step moves.
import { act, memo, type ComponentType } from 'react';
import { createRoot, type Root } from 'react-dom/client';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { SimEvent, Snapshot } from '../core';
import { useExplorer } from '../store/explorer';

(globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true;

const renders = { code: 0, gutter: 0 };

// Each line component counted as it renders, with the original's own comparison (a component that is not
// memoized has no inner type to call, and the test fails).
vi.mock('./editorLine', async (importOriginal) => {
  const orig = await importOriginal<typeof import('./editorLine')>();
  type Memo = { type: ComponentType<object>; compare: ((a: object, b: object) => boolean) | null };
  const counted = (component: unknown, which: keyof typeof renders) => {
    const { type: Inner, compare } = component as Memo;
    if (typeof Inner !== 'function') throw new Error(`${which} lines are not memoized`);
    const Counted = (props: object) => {
      renders[which]++;
      return <Inner {...props} />;
    };
    return memo(Counted, compare ?? undefined);
  };
  return { ...orig, CodeLine: counted(orig.CodeLine, 'code'), GutterLine: counted(orig.GutterLine, 'gutter') };
});

const { Editor } = await import('./Editor');

const LINES = 2000;
const TEXT = Array.from({ length: LINES }, (_, i) => `mmap buf${i} 4K`).join('\n');

function at(line: number): Snapshot {
  return { step: line, lastStep: LINES, event: { line } as SimEvent, kernel: 'latest', currentTask: 'main', folios: [], tasks: [], bios: [], dios: [], handles: [], files: [], violations: 0, leaks: 0, zeroFolio: 0, hugeZeroFolio: 0 };
}

let host: HTMLDivElement;
let root: Root;
beforeEach(() => {
  host = document.createElement('div');
  document.body.append(host);
  root = createRoot(host);
  act(() => useExplorer.setState({ source: TEXT, errors: [], snapshot: at(10) }));
});
afterEach(() => {
  act(() => root.unmount());
  host.remove();
});

describe('Editor', () => {
  it('draws the blocks of lines in view and the current line\'s, then a step re-renders only the lines whose highlight moved', () => {
    renders.code = 0;
    renders.gutter = 0;
    act(() => root.render(<Editor />));
    // happy-dom lays nothing out: the view is the first blocks; the current line (10) is in the first.
    const drawnAtFirst = renders.code;
    expect(drawnAtFirst).toBeGreaterThan(10);
    expect(drawnAtFirst).toBeLessThanOrEqual(3 * 64);
    expect(renders.gutter).toBe(drawnAtFirst);
    expect(host.querySelectorAll('.code-line')).toHaveLength(drawnAtFirst);
    expect(host.querySelector('.code-line.current')?.textContent).toBe('mmap buf9 4K');
    // The lines not drawn are gaps of their height, so the drawn ones sit where the textarea has them.
    const gaps = [...host.querySelectorAll<HTMLElement>('.editor-layer .editor-gap')];
    expect(gaps.map((g) => g.style.height)).toEqual([`calc(var(--editor-line) * ${LINES - drawnAtFirst})`]);

    // A far step draws the current line's block (at most 64 lines) and un-highlights one line.
    renders.code = 0;
    act(() => useExplorer.setState({ snapshot: at(1500) }));
    expect(renders.code).toBeLessThanOrEqual(64 + 1);
    expect(host.querySelectorAll('.code-line').length).toBeLessThanOrEqual(drawnAtFirst + 64);
    expect(host.querySelector('.code-line.current')?.textContent).toBe('mmap buf1499 4K');

    // Steps within drawn blocks re-render the two lines whose highlight moved, nothing else.
    for (const [to, from] of [[1501, 1500], [1502, 1501]] as const) {
      renders.code = 0;
      renders.gutter = 0;
      act(() => useExplorer.setState({ snapshot: at(to) }));
      expect(renders).toEqual({ code: 2, gutter: 2 });
      const current = host.querySelectorAll('.code-line.current');
      expect(current).toHaveLength(1);
      expect(current[0]!.textContent).toBe(`mmap buf${to - 1} 4K`);
      expect(host.querySelector('.gutter-line.current')?.textContent).toBe(String(to));
      expect([...host.querySelectorAll('.gutter-line')].find((g) => g.textContent === String(from))!.className).toBe('gutter-line');
    }
    // Back to a line in the first block: the far block goes, one line is highlighted.
    renders.code = 0;
    act(() => useExplorer.setState({ snapshot: at(11) }));
    expect(renders.code).toBe(1);
    expect(host.querySelectorAll('.code-line')).toHaveLength(drawnAtFirst);
  });

  it('an error marks its line and re-renders only that line', () => {
    act(() => useExplorer.setState({ snapshot: at(700) }));
    act(() => root.render(<Editor />));
    renders.code = 0;
    act(() => useExplorer.setState({ errors: [{ line: 700, col: 6, message: 'no such thing' }] as never }));
    expect(renders.code).toBe(1);
    expect(host.querySelector('.code-line.error .error-mark')?.textContent).toBe('buf699 4K');
  });
});
