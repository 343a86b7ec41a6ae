// @vitest-environment happy-dom
import { readFileSync } from 'node:fs';
import { act } from 'react';
import { createRoot, type Root } from 'react-dom/client';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { useExplorer } from '../../store/explorer';
import { WhyPanel } from './WhyPanel';

(globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true;

const TEXT = readFileSync('scenarios/builtin/01-dio-write-zero-page.scn', 'utf8');

let host: HTMLDivElement;
let root: Root;
beforeEach(() => {
  host = document.createElement('div');
  document.body.append(host);
  root = createRoot(host);
  act(() => useExplorer.getState().load(TEXT, { scenarioId: 'dio-write-zero-page' }));
});
afterEach(() => {
  act(() => root.unmount());
  host.remove();
  act(() => useExplorer.getState().selectFolio(null));
});

describe('WhyPanel (connected)', () => {
  it('is hidden until a folio is selected, and closes from its button', () => {
    act(() => root.render(<WhyPanel />));
    expect(host.querySelector('.why')).toBeNull();
    const zero = useExplorer.getState().snapshot!.zeroFolio;
    act(() => useExplorer.getState().selectFolio(zero));
    expect(host.querySelector('.why')).not.toBeNull();
    expect(host.querySelector('.why-close')!.getAttribute('title')).toBe('Close the folio details (Esc)');
    act(() => host.querySelector<HTMLButtonElement>('.why-close')!.click());
    expect(useExplorer.getState().selectedFolio).toBeNull();
    expect(host.querySelector('.why')).toBeNull();
  });

  it('follows the step, and jumps to the step that last changed the refcount', () => {
    act(() => root.render(<WhyPanel />));
    const s = useExplorer.getState();
    const zero = s.snapshot!.zeroFolio;
    act(() => {
      s.selectFolio(zero);
      s.seek(30);
    });
    const refcount = () => host.querySelector(`[data-folio="${zero}"][data-field="refcount"]`)!.textContent;
    expect(refcount()).toBe(String(useExplorer.getState().snapshot!.folios.find((f) => f.id === zero)!.refcount));
    expect(refcount()).toBe('5');
    const jump = host.querySelector<HTMLButtonElement>('.why-jump button')!;
    expect(jump.dataset.step).toBe('25');
    act(() => jump.click());
    expect(useExplorer.getState().step).toBe(25);
    expect(host.querySelector('[data-field="last-change"]')!.textContent).toBe('this step (25) changed it');
    act(() => useExplorer.getState().seek(40));
    expect(refcount()).toBe(String(useExplorer.getState().snapshot!.folios.find((f) => f.id === zero)!.refcount));
    expect(host.querySelector('.why-cursor text')!.textContent).toBe('step 40');
  });
});
