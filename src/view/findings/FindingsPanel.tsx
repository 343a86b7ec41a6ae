// The findings panel: in the right column of the workspace while no folio is selected (the WhyPanel takes
// the column when one is). Reads the whole run's findings and expectations.

import { useMemo, useState } from 'react';
import { selectRun, selectStep, useExplorer } from '../../store/explorer';
import { FindingsView } from './FindingsView';
import { groupFindings } from './group';
import './findings.css';

// The user's choice, kept across unmounts (the WhyPanel replaces this one while a folio is selected); until
// they choose, the column stays collapsed when there is nothing to report, leaving the views their room.
let chosen: boolean | null = null;

export function FindingsPanel() {
  const run = useExplorer(selectRun);
  const step = useExplorer(selectStep);
  const [choice, setChoice] = useState<boolean | null>(chosen);
  const groups = useMemo(() => (run ? groupFindings(run.findings, run.expectations) : []), [run]);
  if (!run) return null;
  const collapsed = choice ?? groups.every((g) => g.entries.length === 0);
  return <FindingsView groups={groups} step={step} collapsed={collapsed} onToggle={() => setChoice((chosen = !collapsed))} onSeek={(s) => useExplorer.getState().seek(s)} />;
}
