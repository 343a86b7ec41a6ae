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
  it('draws every line once, then a step re-renders only the two lines whose highlight moved', () => {
    renders.code = 0;
    renders.gutter = 0;
    act(() => root.render(<Editor />));
    expect(renders).toEqual({ code: LINES, gutter: LINES });
    expect(host.querySelectorAll('.code-line')).toHaveLength(LINES);
    expect(host.querySelector('.code-line.current')?.textContent).toBe('mmap buf9 4K');

    for (const [to, from] of [[1500, 10], [1501, 1500], [11, 1501]] as const) {
      renders.code = 0;
      renders.gutter = 0;
      act(() => useExplorer.setState({ snapshot: at(to) }));
      expect(renders).toEqual({ code: 2, gutter: 2 });
      const current = host.querySelectorAll('.code-line.current');
      expect(current).toHaveLength(1);
      expect(current[0]!.textContent).toBe(`mmap buf${to - 1} 4K`);
      expect(host.querySelectorAll('.gutter-line')[from - 1]!.className).toBe('gutter-line');
      expect(host.querySelector('.gutter-line.current')?.textContent).toBe(String(to));
    }
  });

  it('an error marks its line and re-renders only that line', () => {
    act(() => root.render(<Editor />));
    renders.code = 0;
    act(() => useExplorer.setState({ errors: [{ line: 700, col: 6, message: 'no such thing' }] as never }));
    expect(renders.code).toBe(1);
    expect(host.querySelector('.code-line.error .error-mark')?.textContent).toBe('buf699 4K');
  });
});
