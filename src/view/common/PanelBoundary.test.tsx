// @vitest-environment happy-dom
import { readFileSync } from 'node:fs';
import { act } from 'react';
import { createRoot, type Root } from 'react-dom/client';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { useExplorer } from '../../store/explorer';
import { PanelBoundary } from './PanelBoundary';

(globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true;

const TEXT = readFileSync('scenarios/builtin/01-dio-write-zero-page.scn', 'utf8');

function Boom(): never {
  throw new Error('layout exploded');
}

let host: HTMLDivElement;
let root: Root;
beforeEach(() => {
  host = document.createElement('div');
  document.body.append(host);
  root = createRoot(host);
  act(() => useExplorer.getState().load(TEXT, { scenarioId: 'dio-write-zero-page', kernel: 'v6.5' }));
  act(() => useExplorer.getState().seek(12));
});
afterEach(() => {
  act(() => root.unmount());
  host.remove();
});

describe('PanelBoundary', () => {
  it('shows the failed panel’s error and a report while its neighbours keep rendering', () => {
    const quiet = vi.spyOn(console, 'error').mockImplementation(() => {});
    act(() =>
      root.render(
        <>
          <PanelBoundary name="Memory">
            <Boom />
          </PanelBoundary>
          <PanelBoundary name="Page tables">
            <p className="neighbour">still here</p>
          </PanelBoundary>
        </>,
      ),
    );
    quiet.mockRestore();
    const failed = host.querySelector('[role="alert"]')!;
    expect(failed.getAttribute('aria-label')).toBe('Memory (failed)');
    expect(failed.textContent).toContain('layout exploded');
    const report = host.querySelector<HTMLTextAreaElement>('.panel-error-report')!.value;
    expect(report).toContain('scenario: dio-write-zero-page');
    expect(report).toContain('kernel: v6.5');
    expect(report).toContain('step: 12');
    expect(report).toContain('message: layout exploded');
    expect(host.querySelector('.neighbour')!.textContent).toBe('still here');
  });
});
