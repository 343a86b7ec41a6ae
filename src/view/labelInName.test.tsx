// @vitest-environment happy-dom
// WCAG 2.5.3 (label in name), as axe-core's label-content-name-mismatch checks it: every control of the
// pictures that has an aria-label names itself with its visible text, word for word and in order (words in
// parentheses are extra and not compared). Checked on every control of the memory, graph and page-table views
// at several steps of scenarios that draw every kind of folio, card state and page-table row.
import { readFileSync } from 'node:fs';
import { act } from 'react';
import { createRoot, type Root } from 'react-dom/client';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MemoryView } from './memory/MemoryView';
import { bornTest, frameModel, layoutFrames } from './memory/layout';
import { BUILTIN, runText } from './memory/testing';
import { RefGraphView } from './graph/RefGraphView';
import { catalogSlots, graphAt, graphGeometry } from './graph/layout';
import { PageTablesView } from './pagetables/PageTablesView';

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

/** Words as axe compares them: parentheses dropped, anything not a letter or digit a space, lower case. */
function words(text: string): string[] {
  let t = text.normalize('NFKD');
  for (let prev = ''; prev !== t; ) {
    prev = t;
    t = t.replace(/\([^()]*\)/g, '');
  }
  return t.replace(/[^\p{L}\p{N}]+/gu, ' ').toLowerCase().split(' ').filter(Boolean);
}

/** The text a control shows: its text nodes in document order, <title> tooltips left out. */
function shownText(el: Element): string {
  let out = '';
  const walk = (n: Node) => {
    if (n.nodeType === 3) out += n.nodeValue ?? '';
    else if (n.nodeType === 1 && (n as Element).tagName.toLowerCase() !== 'title') n.childNodes.forEach(walk);
  };
  walk(el);
  return out;
}

function contains(hay: string[], needle: string[]): boolean {
  for (let i = 0; i + needle.length <= hay.length; i++) if (needle.every((w, j) => hay[i + j] === w)) return true;
  return false;
}

function mismatches(): string[] {
  const bad: string[] = [];
  for (const el of host.querySelectorAll('[role="button"][aria-label]')) {
    const shown = words(shownText(el));
    const name = words(el.getAttribute('aria-label')!);
    if (!contains(name, shown)) bad.push(`"${el.getAttribute('aria-label')}" does not contain "${shown.join(' ')}"`);
  }
  return bad;
}

const SCENARIOS: string[] = [
  ...Object.values(BUILTIN),
  'scenarios/rows/07-fork-with-longterm-pin.v6.5.scn',
  'scenarios/rows/15-cow-huge-zeropage.latest.scn',
  'scenarios/rows/21-rw-longterm-pin-shared-file.v6.5.scn',
];

// Each case mounts three views at five steps of a whole scenario: seconds on a busy 2-core machine, so the
// timeout is a hang guard, not a speed check.
describe('controls name themselves with their visible text', { timeout: 60_000 }, () => {
  for (const path of SCENARIOS) {
    it(`in ${path}`, () => {
      const run = runText(readFileSync(path, 'utf8'));
      const model = frameModel(run.catalog, run.events);
      // Wide cards, so large folios draw their page ticks (and its label) too.
      const layout = layoutFrames(model, 4, 300);
      const geo = graphGeometry(720);
      let controls = 0;
      let ticks = 0;
      for (const step of [0, 1, Math.floor(run.lastStep / 3), Math.floor(run.lastStep / 2), run.lastStep]) {
        const snapshot = run.snapshotAt(step);
        const picture = graphAt(catalogSlots(run.catalog), geo, snapshot, { selected: null, born: bornTest(model, snapshot.folios, step) });
        // A fresh mount per step: a re-render would count the numbers up from the last step's (an animation).
        act(() => root.unmount());
        root = createRoot(host);
        act(() =>
          root.render(
            <>
              <MemoryView model={model} layout={layout} folios={snapshot.folios} step={step} rows={[0, layout.rows]} selected={null} onSelect={() => {}} />
              <RefGraphView picture={picture} geo={geo} onSelect={() => {}} ghosts={[]} />
              {snapshot.tasks.map((t) => (
                <PageTablesView key={t.name} snapshot={snapshot} catalog={run.catalog} task={t.name} selectedFolio={null} focusVa={null} onSelectFolio={() => {}} />
              ))}
            </>,
          ),
        );
        controls += host.querySelectorAll('[role="button"][aria-label]').length;
        ticks += host.querySelectorAll('.mb-ticks').length;
        expect(mismatches(), `step ${step}`).toEqual([]);
      }
      expect(controls).toBeGreaterThan(10);
      // Large folios (the huge zero folio at least) are drawn with their page ticks and their label.
      expect(ticks).toBeGreaterThan(0);
    });
  }
});
