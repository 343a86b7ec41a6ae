// The narration strip above the timeline, connected to the store.

import { useMemo } from 'react';
import { useExplorer, selectElixirVersion, selectEvent, selectKernelLabel, selectRun, selectStep } from '../../store/explorer';
import { checksUpTo, noteAt, noteSpans } from './layout';
import { NarrationView } from './NarrationView';
import './narration.css';

export function Narration() {
  const run = useExplorer(selectRun);
  const step = useExplorer(selectStep);
  const event = useExplorer(selectEvent);
  const elixir = useExplorer(selectElixirVersion);
  const kernelLabel = useExplorer(selectKernelLabel);
  const spans = useMemo(() => (run ? noteSpans(run.events) : []), [run]);
  const note = noteAt(spans, step);
  const checks = useMemo(() => (run ? checksUpTo(run.expectations, run.findings, step) : []), [run, step]);
  if (!run) return <section className="panel narration" aria-label="Narration" />;
  return (
    <section className="panel narration" aria-label="Narration">
      <NarrationView
        title={run.title}
        step={step}
        event={event}
        note={note}
        elixirVersion={elixir}
        kernelLabel={kernelLabel}
        checks={checks}
        onSeek={(s) => useExplorer.getState().seek(s)}
      />
    </section>
  );
}
