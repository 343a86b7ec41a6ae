// The compare panel: shown instead of the four views while a compare kernel is set. The main timeline drives
// both runs; the store keeps the compare run on the same event of the same statement (or at its end).

import { useMemo } from 'react';
import { selectCompareAlignment, selectCompareRun, selectCompareSnapshot, selectRun, selectSelectedFolio, selectSnapshot, useExplorer } from '../../store/explorer';
import { divergences } from '../../store/compare';
import { CompareView, type CompareSideData } from './CompareView';
import { folioDiffs } from './diff';
import './compare.css';

export function ComparePanel() {
  const run = useExplorer(selectRun);
  const snapshot = useExplorer(selectSnapshot);
  const compareRun = useExplorer(selectCompareRun);
  const compareSnapshot = useExplorer(selectCompareSnapshot);
  const compareError = useExplorer((s) => s.compareError);
  const alignment = useExplorer(selectCompareAlignment);
  const source = useExplorer((s) => s.source);
  const selected = useExplorer(selectSelectedFolio);
  const divs = useMemo(() => (run && compareRun ? divergences(run, compareRun) : []), [run, compareRun]);
  const diffs = useMemo(() => folioDiffs(snapshot?.folios ?? [], compareSnapshot?.folios ?? []), [snapshot, compareSnapshot]);
  if (!run || !snapshot) return null;
  const a: CompareSideData = { label: run.kernel.label, catalog: run.catalog, events: run.events, snapshot };
  const b: CompareSideData | null = compareRun && compareSnapshot ? { label: compareRun.kernel.label, catalog: compareRun.catalog, events: compareRun.events, snapshot: compareSnapshot, ...(alignment ? { alignment } : {}) } : null;
  const store = useExplorer.getState;
  return (
    <CompareView
      source={source}
      a={a}
      b={b}
      error={compareError}
      diffs={b ? diffs : new Map()}
      divergences={divs}
      selected={selected}
      onSelect={(id) => store().selectFolio(id)}
      onSeek={(step) => store().seek(step)}
      onExit={() => store().setCompare(null)}
    />
  );
}
