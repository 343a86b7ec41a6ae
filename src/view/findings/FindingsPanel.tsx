// The findings panel: in the right column of the workspace while no folio is selected (the WhyPanel takes
// the column when one is). Reads the whole run's findings and expectations.

import { useMemo } from 'react';
import { usePrefs } from '../prefs';
import { selectRun, selectStep, useExplorer } from '../../store/explorer';
import { FindingsView } from './FindingsView';
import { groupFindings } from './group';
import './findings.css';

// The user's choice (or a link's) is kept in the view preferences, across unmounts (the WhyPanel replaces this
// one while a folio is selected); until then, the column stays collapsed when there is nothing to report.

export function FindingsPanel() {
  const run = useExplorer(selectRun);
  const step = useExplorer(selectStep);
  const open = usePrefs((p) => p.findingsOpen);
  const groups = useMemo(() => (run ? groupFindings(run.findings, run.expectations) : []), [run]);
  if (!run) return null;
  const collapsed = open === null ? groups.every((g) => g.entries.length === 0) : !open;
  return <FindingsView groups={groups} step={step} collapsed={collapsed} onToggle={() => usePrefs.getState().setFindingsOpen(collapsed)} onSeek={(s) => useExplorer.getState().seek(s)} />;
}
