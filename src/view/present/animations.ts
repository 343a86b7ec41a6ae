// Finish every running view animation at once (a clicker key pressed mid-animation jumps to its end, then acts).
// Every view animation is a motion on pinscope's clock (common/clock.ts): finishing them leaves each at its end,
// and tracked tweens are snapped to their `data-tw-*` targets besides (the next render starts from those).

import { snapTracked } from '../common/trackedTween';
import { finishMotions } from '../common/clock';

export function finishAnimations(root: Element | null = typeof document === 'undefined' ? null : document.body): number {
  const finished = finishMotions();
  if (root) snapTracked(root);
  return finished;
}
