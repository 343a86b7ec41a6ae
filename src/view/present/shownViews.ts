// The views a `show` statement chose for the current step, as the attribute the layout reads: undefined when
// all four are shown (no `show`, or `show all`), else the names in the explorer's order ("memory graph").

import { VIEW_NAMES, type ViewName } from '../../core';
import type { RunView } from '../../store/runView';
import { useExplorer } from '../../store/explorer';

/** The chosen views at `step`, in the explorer's order, or undefined for all four. */
export function shownViews(run: Pick<RunView, 'viewsAt'> | null, step: number): ViewName[] | undefined {
  if (!run) return undefined;
  const chosen = run.viewsAt(step);
  if (chosen.length >= VIEW_NAMES.length) return undefined;
  return VIEW_NAMES.filter((v) => chosen.includes(v));
}

/** `data-show` for the views' grid: the chosen views at the current step (compare mode has its own layout). */
export function useShownViews(): { 'data-show'?: string; 'data-count'?: number } {
  const attr = useExplorer((s) => (s.compareSpec !== null ? undefined : shownViews(s.run, s.step)?.join(' ')));
  return attr === undefined ? {} : { 'data-show': attr, 'data-count': attr.split(' ').length };
}
