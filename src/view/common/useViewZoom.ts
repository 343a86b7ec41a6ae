// The views' zoom (--view-zoom) follows the root font size: the pictures are laid out in their own units and
// drawn 1.2× at the browser's default 16 px, so their smallest text (--vfs-xs) is 12 CSS px, and a larger
// browser font size (or the large-screen steps of theme.css) grows them with the rest of the type.

import { useLayoutEffect } from 'react';

export const VIEW_ZOOM_AT_16PX = 1.2;

export function viewZoomFor(rootFontPx: number): number {
  return Math.round(((VIEW_ZOOM_AT_16PX * rootFontPx) / 16) * 1000) / 1000;
}

export function useViewZoom(): void {
  useLayoutEffect(() => {
    const root = document.documentElement;
    const update = () => {
      const px = parseFloat(getComputedStyle(root).fontSize) || 16;
      const zoom = String(viewZoomFor(px));
      if (root.style.getPropertyValue('--view-zoom') !== zoom) root.style.setProperty('--view-zoom', zoom);
    };
    update();
    window.addEventListener('resize', update);
    return () => window.removeEventListener('resize', update);
  }, []);
}
