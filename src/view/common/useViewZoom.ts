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
      const style = getComputedStyle(root);
      const px = parseFloat(style.fontSize) || 16;
      // A theme may draw the pictures larger (the projector theme sets --view-zoom-scale).
      const scale = parseFloat(style.getPropertyValue('--view-zoom-scale')) || 1;
      const zoom = String(Math.round(viewZoomFor(px) * scale * 1000) / 1000);
      if (root.style.getPropertyValue('--view-zoom') !== zoom) root.style.setProperty('--view-zoom', zoom);
    };
    update();
    window.addEventListener('resize', update);
    const themes = new MutationObserver(update);
    themes.observe(root, { attributes: true, attributeFilter: ['data-theme'] });
    return () => {
      window.removeEventListener('resize', update);
      themes.disconnect();
    };
  }, []);
}
