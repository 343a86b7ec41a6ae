// Tweening React-rendered SVG on pinscope's motion clock (clock.ts), without ever owning the final state.
//
// React renders every tracked element at its target and also writes the target into a data attribute
// (`data-tw-transform`, `data-tw-opacity`, `data-tw-width`, `data-tw-height`, `data-tw-x`); `data-tw` names
// the element. After each render `tweenTracked` animates the elements whose target changed since the previous
// render from the old target to the new one, after interrupting whatever ran on them; every other element is
// snapped to its target unless a transition towards that same target is still running, so an interrupted
// transition never leaves a stale value on screen. `data-tw-from-ATTR` gives a starting value for an
// element that was not there before (an entering bvec grows from width 0).

import { useLayoutEffect, useRef, type RefObject } from 'react';
import { interpolate } from 'd3-interpolate';
import { easeCubicInOut } from 'd3-ease';
import { transitionMs } from './motion';
import { clockNow, interruptMotion, startMotion } from './clock';

export const TWEEN_ATTRS = ['transform', 'opacity', 'width', 'height', 'x'] as const;
export type TweenAttr = (typeof TWEEN_ATTRS)[number];

/** Previous targets by `key|attr`, and until when a transition towards each is running. */
export type TweenMemory = Map<string, { to: string; until: number }>;

export function tweenTracked(root: Element, prev: TweenMemory, ms: number, now: number = clockNow()): TweenMemory {
  const next: TweenMemory = new Map();
  const firstRender = prev.size === 0;
  for (const el of root.querySelectorAll('[data-tw]')) {
    const key = el.getAttribute('data-tw')!;
    for (const attr of TWEEN_ATTRS) {
      const to = el.getAttribute(`data-tw-${attr}`);
      if (to === null) continue;
      const id = `${key}|${attr}`;
      const was = prev.get(id);
      // Same target and a transition still heading there (a re-render for a hover, say): let it run.
      if (was && was.to === to && was.until > now && ms > 0) {
        next.set(id, was);
        continue;
      }
      interruptMotion(el, `tw-${attr}`);
      el.setAttribute(attr, to);
      const before = was?.to ?? (firstRender ? null : el.getAttribute(`data-tw-from-${attr}`));
      if (ms <= 0 || before === null || before === to) {
        next.set(id, { to, until: 0 });
        continue;
      }
      next.set(id, { to, until: now + ms });
      // d3's interpolator for attribute text: numbers inside transforms and lengths are interpolated.
      const between = interpolate(before, to);
      startMotion(
        el,
        `tw-${attr}`,
        ms,
        easeCubicInOut,
        (e) => el.setAttribute(attr, e >= 1 ? to : String(between(e))),
        () => el.setAttribute(attr, to),
      );
    }
  }
  return next;
}

/** Interrupt every tracked transition and snap to the targets (on unmount, say). */
export function snapTracked(root: Element): void {
  for (const el of root.querySelectorAll('[data-tw]')) {
    for (const attr of TWEEN_ATTRS) {
      const to = el.getAttribute(`data-tw-${attr}`);
      if (to === null) continue;
      interruptMotion(el, `tw-${attr}`);
      el.setAttribute(attr, to);
    }
  }
}

/**
 * Tween every tracked attribute under `body` from its previous value after each render, and snap them all to
 * their targets when the component goes away (the final state never waits for a transition).
 */
export function useTrackedTweens(body: RefObject<Element | null>): void {
  const memory = useRef<TweenMemory>(new Map());
  useLayoutEffect(() => {
    if (body.current) memory.current = tweenTracked(body.current, memory.current, transitionMs());
  });
  useLayoutEffect(() => {
    const root = body.current;
    return () => {
      if (root) snapTracked(root);
    };
  }, [body]);
}
