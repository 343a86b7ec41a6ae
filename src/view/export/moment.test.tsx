// @vitest-environment happy-dom
// A frame is a pure function of (step, progress of its transition): drawn on pinscope's held clock, the same
// moment gives the same SVG every time, progress 1 is the step's picture at rest, and progress 0 still shows
// the previous step's numbers.
import { readFileSync } from 'node:fs';
import { act } from 'react';
import { createRoot } from 'react-dom/client';
import { afterEach, describe, expect, it } from 'vitest';
import { bornTest, frameModel } from '../memory/layout';
import { BUILTIN, runText } from '../memory/testing';
import { RefGraphView } from '../graph/RefGraphView';
import { catalogSlots, graphAt, graphGeometry } from '../graph/layout';
import { advanceTo, clockNow, finishMotions, holdClock, releaseClock } from '../common/clock';
import { STEP_TRANSITION_MS } from '../common/motion';

(globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true;

const run = runText(readFileSync(BUILTIN.dioWrite, 'utf8'));
const geo = graphGeometry(720);
const model = frameModel(run.catalog, run.events);
const slots = catalogSlots(run.catalog);

function picture(step: number) {
  const snapshot = run.snapshotAt(step);
  return graphAt(slots, geo, snapshot, { selected: null, born: bornTest(model, snapshot.folios, step) });
}

/** Mount a fresh view and draw `steps` one after the other on a held clock; then `at` moves the clock. */
function draw(steps: number[], progress: number | null): string {
  const host = document.createElement('div');
  document.body.append(host);
  const root = createRoot(host);
  holdClock();
  try {
    for (const [i, step] of steps.entries()) {
      if (i > 0) finishMotions();
      act(() => root.render(<RefGraphView picture={picture(step)} geo={geo} onSelect={() => {}} />));
    }
    if (progress === null) finishMotions();
    else advanceTo(clockNow() + progress * STEP_TRANSITION_MS);
    return host.innerHTML;
  } finally {
    act(() => root.unmount());
    host.remove();
    releaseClock();
  }
}

/** The moment (step, t): the view at step - 1 at rest, then step, with its transition at progress t. */
const moment = (step: number, t: number) => draw([step - 1, step], t);
/** The picture of a step at rest, with nothing drawn before it. */
const still = (step: number) => draw([step], null);

const counts = (html: string) => {
  const doc = new DOMParser().parseFromString(`<body>${html}</body>`, 'text/html');
  return [...doc.querySelectorAll('[data-field="refcount"]')].map((t) => `${t.getAttribute('data-folio')}:${t.textContent}`);
};

// A step of the default scenario whose counters change, so there is a transition to see.
const moving = (() => {
  for (let s = 1; s <= run.lastStep; s++) if (counts(still(s)).join() !== counts(still(s - 1)).join()) return s;
  throw new Error('no step of the scenario changes a count');
})();

afterEach(() => releaseClock());

describe('a frame is a function of (step, progress)', () => {
  it('draws the same moment identically twice, and a moment on the way differs from both ends', () => {
    const a = moment(moving, 0.4);
    expect(moment(moving, 0.4)).toBe(a);
    expect(a).not.toBe(moment(moving, 1));
    expect(a).not.toBe(moment(moving, 0));
  });

  it('ends on the static picture of the step (t = 1)', () => {
    expect(moment(moving, 1)).toBe(still(moving));
  });

  it('starts from the numbers of the step before (t = 0)', () => {
    expect(counts(moment(moving, 0))).toEqual(counts(still(moving - 1)));
    expect(counts(moment(moving, 0))).not.toEqual(counts(still(moving)));
  });
});
