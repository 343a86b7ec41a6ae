// The views' type in their own drawing units. At the desk the smallest size (--vfs-xs) is 10 units and the body
// size (--vfs-sm) 10.8, whatever the browser's font size (the views' zoom follows it); the projector theme's
// type is larger relative to the pictures, so a view that places text by estimated widths asks for these.

import { useLayoutEffect, useState } from 'react';

export interface ViewType {
  xs: number;
  sm: number;
}

/** The desk's type: --vfs-xs and --vfs-sm (12 and 13 CSS px drawn at zoom 1.2). */
export const DESK_TYPE: ViewType = { xs: 10, sm: 13 / 1.2 };

function remOrPx(value: string, rootPx: number): number {
  const v = parseFloat(value);
  if (!Number.isFinite(v)) return 0;
  return value.trim().endsWith('rem') ? v * rootPx : v;
}

/** The projector theme's type in the views' units, or null at the desk. */
export function readProjectorType(root: HTMLElement = document.documentElement): ViewType | null {
  if (root.getAttribute('data-theme') !== 'projector') return null;
  const style = getComputedStyle(root);
  const rootPx = parseFloat(style.fontSize) || 16;
  const zoom = parseFloat(style.getPropertyValue('--view-zoom')) || 1;
  const xs = remOrPx(style.getPropertyValue('--fs-xs'), rootPx) / zoom;
  const sm = remOrPx(style.getPropertyValue('--fs-sm'), rootPx) / zoom;
  if (!(xs > 0 && sm > 0)) return null;
  return { xs: Math.round(xs * 100) / 100, sm: Math.round(sm * 100) / 100 };
}

/** The projector's type while presenting (kept up to date as the theme and the views' zoom change), else null. */
export function useProjectorType(): ViewType | null {
  const [type, setType] = useState<ViewType | null>(null);
  useLayoutEffect(() => {
    const root = document.documentElement;
    const update = () =>
      setType((t) => {
        const next = readProjectorType(root);
        return t?.xs === next?.xs && t?.sm === next?.sm ? t : next;
      });
    update();
    const themes = new MutationObserver(update);
    themes.observe(root, { attributes: true, attributeFilter: ['data-theme', 'style'] });
    return () => themes.disconnect();
  }, []);
  return type;
}
