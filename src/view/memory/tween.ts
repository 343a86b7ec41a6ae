// Motion helpers shared by the memory view and the refcount graph. React renders the target state; these
// hooks only animate the way there with d3-transition, starting from the previous value, and every new step
// interrupts the running transition and starts a fresh one towards the new target (or jumps to it when motion
// is reduced). Nothing here decides what is shown at rest.

import { useEffect, useLayoutEffect, useRef, type RefObject } from 'react';
import { select } from 'd3-selection';
import 'd3-transition';
import { interpolateNumber, interpolateRound, interpolateString } from 'd3-interpolate';
import { easeCubicOut } from 'd3-ease';
import { transitionMs } from '../common/motion';

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
    const sel = select(node);
    sel.interrupt('count');
    if (!text || text.nodeType !== 3) return;
    text.nodeValue = format(value);
    const ms = transitionMs();
    if (from === null || from === value || ms === 0 || !Number.isFinite(from)) return;
    const i = interpolateRound(from, value);
    // Start from the previous value before the first paint (no flash of the final number), then count.
    text.nodeValue = format(from);
    sel
      .transition('count')
      .duration(ms)
      .ease(easeCubicOut)
      .tween('count', () => (t: number) => {
        text.nodeValue = format(i(t));
      })
      .on('interrupt', () => {
        // An interrupted count must not stay half-way: show the value it was counting to.
        text.nodeValue = format(value);
      });
  }, [value]);
  useEffect(() => {
    const node = ref.current;
    return () => {
      if (node) select(node).interrupt('count');
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
    const sel = select(node);
    sel.interrupt('attrs');
    for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, String(v));
    const ms = transitionMs();
    const changed = from ? Object.keys(attrs).filter((k) => from[k] !== undefined && from[k] !== attrs[k]) : [];
    if (!from || ms === 0 || changed.length === 0) return;
    for (const k of changed) sel.attr(k, from[k]!);
    const t = sel.transition('attrs').duration(ms).ease(easeCubicOut);
    for (const k of changed) t.attrTween(k, () => interpolateToString(interpolateNumber(from[k]!, attrs[k]!)));
    t.on('interrupt', () => {
      for (const k of changed) node.setAttribute(k, String(attrs[k]));
    });
  }, [key]);
}

function interpolateToString(i: (t: number) => number): (t: number) => string {
  return (t) => String(i(t));
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
    const sel = select(node);
    sel.interrupt('path');
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
      node.style.strokeDashoffset = String(len);
      sel
        .transition('path')
        .duration(ms)
        .ease(easeCubicOut)
        .styleTween('stroke-dashoffset', () => (t: number) => String(len * (1 - t)))
        .on('end', restore)
        .on('interrupt', restore);
      return;
    }
    if (from === d) return;
    sel.attr('d', from);
    sel
      .transition('path')
      .duration(ms)
      .ease(easeCubicOut)
      .attrTween('d', () => interpolateString(from, d))
      .on('interrupt', restore);
  }, [d]);
}

/** Fade `ref` out (a ghost of something that just went away). */
export function useFadeOut(ref: RefObject<Element | null>): void {
  useIsoLayoutEffect(() => {
    const node = ref.current;
    if (!node) return;
    const ms = transitionMs();
    const sel = select(node);
    if (ms === 0) {
      sel.attr('opacity', 0);
      return;
    }
    sel.attr('opacity', 1).transition('fade').duration(ms).ease(easeCubicOut).attr('opacity', 0);
    return () => {
      sel.interrupt('fade');
    };
  }, []);
}

/** Fade `ref` in when it first appears. */
export function useFadeIn(ref: RefObject<Element | null>): void {
  useIsoLayoutEffect(() => {
    const node = ref.current;
    if (!node) return;
    const ms = transitionMs();
    if (ms === 0) return;
    const sel = select(node);
    sel
      .style('opacity', 0)
      .transition('fadein')
      .duration(ms)
      .style('opacity', 1)
      .on('end interrupt', () => node instanceof SVGElement && node.style.removeProperty('opacity'));
    return () => {
      sel.interrupt('fadein');
      if (node instanceof SVGElement || node instanceof HTMLElement) node.style.removeProperty('opacity');
    };
  }, []);
}
