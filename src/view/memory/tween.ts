// Motion helpers shared by the memory view and the refcount graph. React renders the target state; these
// hooks only animate the way there, starting from the previous value, on pinscope's motion clock
// (common/clock.ts) with d3's interpolators and easings, and every new step ends the running motion and starts
// a fresh one towards the new target (or jumps to it when motion is reduced). Nothing here decides what is
// shown at rest, and what is shown on the way depends only on the motion's progress.

import { useEffect, useLayoutEffect, useRef, type RefObject } from 'react';
import { interpolateNumber, interpolateRound, interpolateString } from 'd3-interpolate';
import { easeCubicInOut, easeCubicOut } from 'd3-ease';
import { transitionMs } from '../common/motion';
import { interruptMotion, startMotion } from '../common/clock';

// useLayoutEffect warns when rendered on a server (the SVG snapshot tests); effects never run there anyway.
const useIsoLayoutEffect = typeof window === 'undefined' ? useEffect : useLayoutEffect;

/**
 * Count the text of `ref` (a single text node React renders) from the previous value up to `value`, so a
 * +1024 is seen counting up. Only the Text node's value changes; React keeps owning the node.
 */
export function useCountTween(ref: RefObject<Element | null>, value: number, format: (n: number) => string): void {
  const prev = useRef<number | null>(null);
  useIsoLayoutEffect(() => {
    const node = ref.current;
    const from = prev.current;
    prev.current = value;
    if (!node) return;
    const text = node.firstChild;
    interruptMotion(node, 'count');
    if (!text || text.nodeType !== 3) return;
    text.nodeValue = format(value);
    const ms = transitionMs();
    if (from === null || from === value || ms === 0 || !Number.isFinite(from)) return;
    const i = interpolateRound(from, value);
    // The first frame (the previous value) is drawn before the first paint: no flash of the final number. An
    // ended or interrupted count shows the value it was counting to.
    startMotion(
      node,
      'count',
      ms,
      easeCubicOut,
      (e) => {
        text.nodeValue = format(i(e));
      },
      () => {
        text.nodeValue = format(value);
      },
    );
  }, [value]);
  useEffect(() => {
    const node = ref.current;
    return () => {
      if (node) interruptMotion(node, 'count');
    };
  }, [ref]);
}

/**
 * Tween numeric attributes of `ref` (a rect's x and width, a path's stroke-width) from their previous values
 * to the ones React just rendered. `attrs` must be the same values React rendered.
 */
export function useAttrTween(ref: RefObject<Element | null>, attrs: Record<string, number>): void {
  const prev = useRef<Record<string, number> | null>(null);
  const key = Object.entries(attrs)
    .map(([k, v]) => `${k}=${v}`)
    .join(';');
  useIsoLayoutEffect(() => {
    const node = ref.current;
    const from = prev.current;
    prev.current = attrs;
    if (!node) return;
    interruptMotion(node, 'attrs');
    for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, String(v));
    const ms = transitionMs();
    const changed = from ? Object.keys(attrs).filter((k) => from[k] !== undefined && from[k] !== attrs[k]) : [];
    if (!from || ms === 0 || changed.length === 0) return;
    const between = changed.map((k) => [k, interpolateNumber(from[k]!, attrs[k]!)] as const);
    startMotion(
      node,
      'attrs',
      ms,
      easeCubicOut,
      (e) => {
        for (const [k, i] of between) node.setAttribute(k, String(i(e)));
      },
      () => {
        for (const k of changed) node.setAttribute(k, String(attrs[k]));
      },
    );
  }, [key]);
}

/**
 * The length of a path made of M, L and C commands with absolute coordinates (what d3-shape's links draw),
 * a little over the exact one (the chords of 24 pieces per curve, plus 1%); undefined for any other path.
 * Computed from the text, so that drawing an edge in never asks the browser for a layout in mid-commit (one
 * getTotalLength per new edge, after the previous edge's style write, is a full layout each).
 */
export function pathLength(d: string): number | undefined {
  const tokens = d.match(/[MLC]|-?(?:\d+\.?\d*|\.\d+)(?:e[-+]?\d+)?/gi);
  if (!tokens || tokens.join('').length === 0 || /[^MLC\d.,\s\-+e]/i.test(d)) return undefined;
  let i = 0;
  let x = 0;
  let y = 0;
  let length = 0;
  let command = '';
  const num = () => Number(tokens[i++]);
  while (i < tokens.length) {
    if (/^[MLC]$/i.test(tokens[i]!)) command = tokens[i++]!;
    if (command === 'M') {
      x = num();
      y = num();
      command = 'L'; // coordinates after a move are lines
    } else if (command === 'L') {
      const nx = num();
      const ny = num();
      length += Math.hypot(nx - x, ny - y);
      x = nx;
      y = ny;
    } else if (command === 'C') {
      const [x1, y1, x2, y2, x3, y3] = [num(), num(), num(), num(), num(), num()];
      let px = x;
      let py = y;
      for (let k = 1; k <= 24; k++) {
        const t = k / 24;
        const u = 1 - t;
        const qx = u * u * u * x + 3 * u * u * t * x1 + 3 * u * t * t * x2 + t * t * t * x3;
        const qy = u * u * u * y + 3 * u * u * t * y1 + 3 * u * t * t * y2 + t * t * t * y3;
        length += Math.hypot(qx - px, qy - py);
        px = qx;
        py = qy;
      }
      x = x3;
      y = y3;
    } else return undefined;
    if (!Number.isFinite(x) || !Number.isFinite(y)) return undefined;
  }
  return length * 1.01 + 1;
}

/**
 * Morph a path's `d` from the previous shape to the new one (both drawn by d3-shape with the same commands),
 * and draw it in on first appearance (stroke dash from 0 to its full length).
 */
export function usePathTween(ref: RefObject<SVGPathElement | null>, d: string, drawIn: boolean): void {
  const prev = useRef<string | null>(null);
  useIsoLayoutEffect(() => {
    const node = ref.current;
    const from = prev.current;
    prev.current = d;
    if (!node) return;
    interruptMotion(node, 'path');
    const ms = transitionMs();
    const restore = () => {
      node.setAttribute('d', d);
      node.style.removeProperty('stroke-dasharray');
      node.style.removeProperty('stroke-dashoffset');
    };
    restore();
    if (ms === 0) return;
    if (from === null) {
      if (!drawIn) return;
      const len = pathLength(d) ?? (typeof node.getTotalLength === 'function' ? node.getTotalLength() : 0);
      if (!(len > 0)) return;
      node.style.strokeDasharray = `${len} ${len}`;
      startMotion(
        node,
        'path',
        ms,
        easeCubicOut,
        (e) => {
          node.style.strokeDashoffset = String(len * (1 - e));
        },
        restore,
      );
      return;
    }
    if (from === d) return;
    const i = interpolateString(from, d);
    startMotion(node, 'path', ms, easeCubicOut, (e) => node.setAttribute('d', i(e)), restore);
  }, [d]);
}

/** Fade `ref` out (a ghost of something that just went away). */
export function useFadeOut(ref: RefObject<Element | null>): void {
  useIsoLayoutEffect(() => {
    const node = ref.current;
    if (!node) return;
    const ms = transitionMs();
    if (ms === 0) {
      node.setAttribute('opacity', '0');
      return;
    }
    startMotion(node, 'fade', ms, easeCubicOut, (e) => node.setAttribute('opacity', String(1 - e)));
    return () => interruptMotion(node, 'fade');
  }, []);
}

/** Fade `ref` in when it first appears. */
export function useFadeIn(ref: RefObject<Element | null>): void {
  useIsoLayoutEffect(() => {
    const node = ref.current;
    if (!node) return;
    const ms = transitionMs();
    if (ms === 0) return;
    const style = (node as HTMLElement | SVGElement).style;
    const clear = () => style?.removeProperty('opacity');
    startMotion(node, 'fadein', ms, easeCubicInOut, (e) => style?.setProperty('opacity', String(e)), clear);
    return () => interruptMotion(node, 'fadein');
  }, []);
}
