// @vitest-environment happy-dom
import { readFileSync } from 'node:fs';
import { act } from 'react';
import { describe, expect, it, vi } from 'vitest';
import { parseScenario } from '../../scenario';
import { simulate, type Run } from '../../core';
import { PageTablesView } from './PageTablesView';
import { useDomHost } from '../testing/domHost';

(globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true;

function runOf(text: string): Run {
  const parsed = parseScenario(text);
  if (!parsed.ok) throw new Error('parse');
  const outcome = simulate(parsed.scenario);
  if (!outcome.ok) throw new Error(outcome.error.message);
  return outcome.run;
}

const FORK = runOf(readFileSync('scenarios/rows/07-fork-with-longterm-pin.v6.5.scn', 'utf8'));
const LAST = FORK.snapshot(FORK.lastStep);

const dom = useDomHost();

function mount(handlers: { onSelectFolio?: (id: number) => void; onSelectTask?: (t: string) => void; onHoverVa?: (va: number | null) => void; onPickVa?: (va: number) => void }, focusVa: number | null = null) {
  act(() => dom.root.render(<PageTablesView snapshot={LAST} catalog={FORK.catalog} task="main" selectedFolio={null} focusVa={focusVa} {...handlers} />));
}

describe('PageTablesView interactions', () => {
  it('selects the folio a PTE maps, by click and by keyboard, without picking the row', () => {
    const onSelectFolio = vi.fn<(id: number) => void>();
    const onPickVa = vi.fn<(va: number) => void>();
    mount({ onSelectFolio, onPickVa });
    const label = dom.host.querySelector<SVGGElement>('.pt-folio[role="button"]')!;
    const folio = Number(label.getAttribute('data-folio'));
    expect(LAST.tasks.find((t) => t.name === 'main')!.entries[0]!.folio).toBe(folio);
    act(() => label.dispatchEvent(new MouseEvent('click', { bubbles: true })));
    expect(onSelectFolio).toHaveBeenCalledWith(folio);
    act(() => label.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', bubbles: true })));
    expect(onSelectFolio).toHaveBeenCalledTimes(2);
    expect(onPickVa).not.toHaveBeenCalled();
  });

  it('picks an address by clicking its row, and explains it on hover', () => {
    const onPickVa = vi.fn<(va: number) => void>();
    const onHoverVa = vi.fn<(va: number | null) => void>();
    mount({ onPickVa, onHoverVa });
    const row = dom.host.querySelector<SVGGElement>('.pt-row')!;
    act(() => row.dispatchEvent(new MouseEvent('click', { bubbles: true })));
    expect(onPickVa).toHaveBeenCalledWith(0x7f0000000000);
    act(() => row.dispatchEvent(new FocusEvent('focusin', { bubbles: true })));
    expect(onHoverVa).toHaveBeenCalledWith(0x7f0000000000);
  });

  it('picks an address from the keyboard on its row button, and nests no control inside another', () => {
    const onPickVa = vi.fn<(va: number) => void>();
    mount({ onPickVa, onSelectFolio: () => {} });
    const buttons = [...dom.host.querySelectorAll<SVGGElement>('.pt-row [role="button"]')];
    expect(buttons.length).toBeGreaterThan(1);
    expect(buttons.filter((b) => b.querySelector('[role="button"], [tabindex]')).map((b) => b.getAttribute('aria-label'))).toEqual([]);
    const row = dom.host.querySelector<SVGGElement>('.pt-row-hit')!;
    act(() => row.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', bubbles: true })));
    expect(onPickVa).toHaveBeenCalledWith(0x7f0000000000);
    expect(row.getAttribute('aria-label')).toMatch(/^0x7f0000000000 0 P RW U A /);
  });

  it('switches task from the tab row', () => {
    const onSelectTask = vi.fn<(t: string) => void>();
    mount({ onSelectTask });
    const tabs = [...dom.host.querySelectorAll<HTMLButtonElement>('[role="tab"]')];
    expect(tabs.map((t) => t.textContent)).toEqual(['main', 'child']);
    act(() => tabs[1]!.click());
    expect(onSelectTask).toHaveBeenCalledWith('child');
  });

  it('shows the index arithmetic of the focused address', () => {
    mount({}, 0x7f0000000000);
    const strip = dom.host.querySelector('.pt-strip')!;
    expect(strip.getAttribute('aria-label')).toBe('Index computation for 0x7f0000000000');
    expect([...strip.querySelectorAll('.pt-strip-idx')].map((t) => t.textContent)).toEqual(['0x0fe = 254', '0x000 = 0', '0x000 = 0', '0x000 = 0', '0x000']);
  });
});
