// In presentation mode a view's picture is drawn at the projector's zoom, but a small screen (1024×768, four
// views two by two) leaves a panel narrower than the picture's narrowest layout at that zoom, so it ran off the
// panel's right edge. This draws the picture smaller, just enough for `minUnits` of its own units to fit the
// panel's width, and never so small that its smallest text (--fs-xs drawn through --view-zoom) is under 16
// CSS px; what is still too tall scrolls down inside the panel. At the desk the shared --view-zoom applies.

import { useLayoutEffect, type RefObject } from 'react';

/** The smallest text the projector may show, in CSS px. */
export const PRESENT_MIN_TEXT_PX = 16;

function remOrPx(value: string, rootPx: number): number {
  const v = parseFloat(value);
  if (!Number.isFinite(v)) return 0;
  return value.trim().endsWith('rem') ? v * rootPx : v;
}

/** The zoom for a body `bodyPx` wide that must hold `minUnits`, between the floor that keeps text readable and the theme's zoom. */
export function fitZoom(bodyPx: number, minUnits: number, themeZoom: number, smallestTextPx: number): number {
  // Text drawn at `themeZoom` is `smallestTextPx`; at zoom z it is smallestTextPx * z / themeZoom.
  const floor = smallestTextPx > 0 ? (themeZoom * PRESENT_MIN_TEXT_PX) / smallestTextPx : themeZoom;
  const fit = bodyPx / minUnits;
  // Round down (to 0.001) so rounding never leaves the picture a fraction of a unit too wide; up for the floor.
  return Math.max(Math.ceil(floor * 1000) / 1000, Math.min(themeZoom, Math.floor(fit * 1000) / 1000));
}

export function usePresentFit(ref: RefObject<HTMLElement | null>, minUnits: number): void {
  useLayoutEffect(() => {
    const el = ref.current;
    const outer = el?.parentElement;
    if (!el || !outer) return;
    const root = document.documentElement;
    const update = () => {
      if (root.getAttribute('data-theme') !== 'projector' || !el.closest('.presenting')) {
        if (el.style.zoom) el.style.zoom = '';
        return;
      }
      const style = getComputedStyle(root);
      const rootPx = parseFloat(style.fontSize) || 16;
      const themeZoom = parseFloat(style.getPropertyValue('--view-zoom')) || 1;
      const smallest = remOrPx(style.getPropertyValue('--fs-xs'), rootPx);
      // The body's width on screen: its parent (the panel) is not zoomed; less the panel's borders.
      const bodyPx = outer.clientWidth;
      if (bodyPx <= 0) return;
      const zoom = String(fitZoom(bodyPx, minUnits, themeZoom, smallest));
      if (el.style.zoom !== zoom) el.style.zoom = zoom;
    };
    update();
    const themes = new MutationObserver(update);
    themes.observe(root, { attributes: true, attributeFilter: ['data-theme', 'style'] });
    if (typeof ResizeObserver === 'undefined') return () => themes.disconnect();
    const ro = new ResizeObserver(update);
    ro.observe(outer);
    return () => {
      ro.disconnect();
      themes.disconnect();
    };
  }, [ref, minUnits]);
}
