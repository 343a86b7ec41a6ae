// The "ask why" column on the right of the workspace: shown while a folio is selected.

import { useMemo } from 'react';
import { useExplorer, selectRun, selectSelectedFolio, selectSnapshot, selectStep } from '../../store/explorer';
import { ACTIONS } from '../actions';
import { folioHistories } from './history';
import { WhyView } from './WhyView';
import './why.css';

const deselect = ACTIONS.find((a) => a.id === 'deselect');
const CLOSE = { label: deselect?.label ?? 'Close the folio details', keyLabel: deselect?.keyLabel ?? 'Esc' };

export function WhyPanel() {
  const selected = useExplorer(selectSelectedFolio);
  const run = useExplorer(selectRun);
  const runId = useExplorer((s) => s.runId);
  const snapshot = useExplorer(selectSnapshot);
  const step = useExplorer(selectStep);
  const folio = useMemo(() => (run && selected !== null ? run.catalog.folios.find((f) => f.id === selected) : undefined), [run, selected]);
  const history = useMemo(() => (run && folio ? folioHistories.get(run, runId, folio.id) : undefined), [run, runId, folio]);
  const series = history?.series ?? [];
  const lastChange = history ? history.lastChange(step) : 0;
  if (!run || !folio) return null;
  const view = snapshot?.folios.find((f) => f.id === folio.id);
  return (
    <section className="panel why" aria-label={`Ask why: ${folio.kind === 'zero' ? 'the zero page' : `folio ${folio.id}`}`}>
      <WhyView
        folio={folio}
        view={view}
        step={step}
        lastStep={run.lastStep}
        series={series}
        lastChange={lastChange}
        close={CLOSE}
        onJump={() => useExplorer.getState().jumpToLastChange(folio.id)}
        onClose={() => useExplorer.getState().selectFolio(null)}
      />
    </section>
  );
}
