// Motion preferences: transitions of about 300 ms, none when the user prefers reduced motion.
// The final state of a step never depends on an animation finishing: views render the target state and only
// animate the way there.

import { clockHeld } from './clock';

export const STEP_TRANSITION_MS = 300;

export function prefersReducedMotion(): boolean {
  return typeof window !== 'undefined' && typeof window.matchMedia === 'function' && window.matchMedia('(prefers-reduced-motion: reduce)').matches;
}

export function transitionMs(): number {
  // A held clock is an export drawing the transitions frame by frame: those are wanted even with reduced motion.
  if (clockHeld()) return STEP_TRANSITION_MS;
  return prefersReducedMotion() ? 0 : STEP_TRANSITION_MS;
}
