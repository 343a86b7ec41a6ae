// Finish every running view animation at once (a clicker key pressed mid-animation jumps to its end, then acts).
// The views animate with named d3 transitions on React-rendered elements whose targets React already wrote:
// tracked tweens are snapped to their `data-tw-*` targets, and every other transition is interrupted (the
// counters' interrupt handlers write their final value; the next render starts from the previous targets).

import { selectAll } from 'd3-selection';
import 'd3-transition';
import { snapTracked } from '../common/trackedTween';

interface WithTransitions {
  __transition?: Record<string, { name: string }>;
}

export function finishAnimations(root: Element | null = typeof document === 'undefined' ? null : document.body): number {
  if (!root) return 0;
  snapTracked(root);
  let finished = 0;
  const running = Array.from(root.querySelectorAll('*')).filter((el) => (el as unknown as WithTransitions).__transition);
  for (const el of running) {
    const names = new Set(Object.values((el as unknown as WithTransitions).__transition ?? {}).map((s) => s.name));
    for (const name of names) selectAll([el]).interrupt(name);
    finished += names.size;
  }
  return finished;
}
