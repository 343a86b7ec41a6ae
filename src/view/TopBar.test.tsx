// @vitest-environment happy-dom
import { readFileSync } from 'node:fs';
import { act } from 'react';
import { createRoot, type Root } from 'react-dom/client';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { useExplorer } from '../store/explorer';
import { actionForKey } from './actions';
import { TopBar } from './TopBar';

(globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true;

const TEXT = readFileSync('scenarios/builtin/01-dio-write-zero-page.scn', 'utf8');

let host: HTMLDivElement;
let root: Root;
beforeEach(() => {
  host = document.createElement('div');
  document.body.append(host);
  root = createRoot(host);
  act(() => useExplorer.getState().load(TEXT, { scenarioId: 'dio-write-zero-page' }));
  act(() => useExplorer.getState().setCompare(null));
  act(() => root.render(<TopBar />));
});
afterEach(() => {
  act(() => root.unmount());
  host.remove();
});

const select = (label: string) => host.querySelector<HTMLSelectElement>(`select[aria-label="${label}"]`)!;

function choose(el: HTMLSelectElement, value: string) {
  el.focus();
  act(() => {
    el.value = value;
    el.dispatchEvent(new Event('change', { bubbles: true }));
  });
}

describe('TopBar', () => {
  it('keeps focus on a dropdown after a choice, and its step keys step the run', () => {
    const keyOn = (key: string, target: Element | null) => {
      const e = new KeyboardEvent('keydown', { key });
      Object.defineProperty(e, 'target', { value: target });
      return actionForKey(e)?.id;
    };
    const kernel = select('Kernel release');
    choose(kernel, 'v6.5');
    expect(useExplorer.getState().run!.kernel.preset.name).toBe('v6.5');
    expect(document.activeElement).toBe(kernel);
    const scenario = select('Scenario');
    const other = [...scenario.options].find((o) => o.value && o.value !== 'dio-write-zero-page')!.value;
    choose(scenario, other);
    expect(useExplorer.getState().scenarioId).toBe(other);
    expect(document.activeElement).toBe(scenario);
    // On the focused dropdown, → PageDown End Space are the run's; ↑/↓ and letters still choose in it.
    expect(keyOn('ArrowRight', scenario)).toBe('event-next');
    expect(keyOn('PageDown', scenario)).toBe('chapter-next');
    expect(keyOn('End', scenario)).toBe('end');
    expect(keyOn(' ', scenario)).toBe('play');
    expect(keyOn('ArrowDown', scenario)).toBeUndefined();
    expect(keyOn('[', scenario)).toBeUndefined();
    // A text field keeps every key.
    const field = document.createElement('textarea');
    expect(keyOn('ArrowRight', field)).toBeUndefined();
  });

  it('closes the toggles popover with Escape and with a press outside it', () => {
    const button = host.querySelector<HTMLButtonElement>('.kernel:not(.compare-control) .toggle-button')!;
    act(() => button.click());
    expect(host.querySelector('.toggle-popover')).not.toBeNull();
    act(() => {
      window.dispatchEvent(new KeyboardEvent('keydown', { key: 'Escape', bubbles: true }));
    });
    expect(host.querySelector('.toggle-popover')).toBeNull();
    act(() => button.click());
    expect(host.querySelector('.toggle-popover')).not.toBeNull();
    // A press inside it keeps it open; one outside closes it.
    act(() => {
      host.querySelector('.toggle-popover .chip')!.dispatchEvent(new MouseEvent('mousedown', { bubbles: true }));
    });
    expect(host.querySelector('.toggle-popover')).not.toBeNull();
    act(() => {
      document.body.dispatchEvent(new MouseEvent('mousedown', { bubbles: true }));
    });
    expect(host.querySelector('.toggle-popover')).toBeNull();
  });

  it('copies the text as it runs on screen: selected kernel and toggles, and the compare kernel', async () => {
    const writeText = vi.fn<(text: string) => Promise<void>>(async () => {});
    Object.defineProperty(navigator, 'clipboard', { value: { writeText }, configurable: true });
    act(() => useExplorer.getState().setKernel('v6.5 zero-pin=count'));
    act(() => useExplorer.getState().setCompare('v6.1'));
    const copy = [...host.querySelectorAll('button')].find((b) => b.textContent === 'Copy text')!;
    await act(async () => copy.click());
    const text = writeText.mock.calls[0]![0];
    expect(text).toMatch(/^kernel v6\.5 zero-pin=count$/m);
    expect(text).not.toMatch(/^kernel v6\.4$/m);
    expect(text).toMatch(/^# compare: v6\.5\+zero-pin=count v6\.1$/m);
  });
});
