// The findings panel: in the right column of the workspace while no folio is selected (the WhyPanel takes
// the column when one is). Reads the whole run's findings and expectations.

import { useMemo, useState } from 'react';
import { selectRun, selectStep, useExplorer } from '../../store/explorer';
import { FindingsView } from './FindingsView';
import { groupFindings } from './group';
import './findings.css';

// Kept across unmounts (the WhyPanel replaces this one while a folio is selected).
let wasCollapsed = false;

export function FindingsPanel() {
  const run = useExplorer(selectRun);
  const step = useExplorer(selectStep);
  const [collapsed, setCollapsed] = useState(wasCollapsed);
  const groups = useMemo(() => (run ? groupFindings(run.findings, run.expectations) : []), [run]);
  if (!run) return null;
  return <FindingsView groups={groups} step={step} collapsed={collapsed} onToggle={() => setCollapsed((wasCollapsed = !collapsed))} onSeek={(s) => useExplorer.getState().seek(s)} />;
}
