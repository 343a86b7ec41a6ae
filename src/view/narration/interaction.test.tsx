// @vitest-environment happy-dom
import { readFileSync } from 'node:fs';
import { act } from 'react';
import { describe, expect, it } from 'vitest';
import { useExplorer } from '../../store/explorer';
import { Narration } from './Narration';
import { useDomHost } from '../testing/domHost';

(globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true;

const dom = useDomHost();

describe('Narration (connected)', () => {
  it('tells the current event, keeps the note over its statement, and jumps from a check', () => {
    act(() => useExplorer.getState().load(readFileSync('scenarios/builtin/03-vfio-zero-page.scn', 'utf8'), { scenarioId: 'vfio-zero-page' }));
    act(() => dom.root.render(<Narration />));
    act(() => useExplorer.getState().seek(18));
    const caption = () => dom.host.querySelector('[data-field="caption"]')!.textContent!;
    expect(caption()).toContain(useExplorer.getState().snapshot!.event!.text);
    const note = dom.host.querySelector('[data-field="note"]')!.textContent!;
    expect(note).toMatch(/^vfio pins one page at a time/);
    act(() => useExplorer.getState().seek(19));
    expect(dom.host.querySelector('[data-field="note"]')!.textContent).toBe(note);
    expect(dom.host.querySelector('[data-field="kernel"]')!.textContent).toBe('v5.10');
    act(() => useExplorer.getState().seek(useExplorer.getState().run!.lastStep));
    const leak = dom.host.querySelector<HTMLButtonElement>('.nr-check.bad')!;
    expect(leak.dataset.step).toBe('43');
    act(() => leak.click());
    expect(useExplorer.getState().step).toBe(43);
    // Links open in a new tab without handing over the opener.
    for (const a of dom.host.querySelectorAll('.nr-chain a')) {
      expect(a.getAttribute('target')).toBe('_blank');
      expect(a.getAttribute('rel')).toBe('noopener noreferrer');
      expect(a.getAttribute('href')).toMatch(/^https:\/\/elixir\.bootlin\.com\/linux\/v5\.10\/C\/ident\/[A-Za-z_]\w*$/);
    }
  });
});
