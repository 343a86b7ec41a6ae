// Compare mode, pure: one of the four views at a time (a tab each), the main run on the left and the compare
// run (at the end of the same statement) on the right; folios whose counters differ are ringed in the memory
// view with the other side's value. A one-line strip below names where the runs diverge, each a button.

import { useState, type KeyboardEvent } from 'react';
import type { Catalog, SimEvent, Snapshot } from '../../core';
import type { Divergence } from '../../store/compare';
import type { Alignment } from '../../store/navigation';
import { CompareSide } from './CompareSide';
import { describeDifference, divergenceHeadline, statementText, type FolioDiff } from './diff';

export interface CompareSideData {
  /** Kernel label (`v6.4`, `v6.1 zero-pin=skip`). */
  label: string;
  catalog: Catalog;
  events: readonly SimEvent[];
  snapshot: Snapshot;
  /** For the compare side: how its step faces the main run's (store/navigation.ts alignStep). */
  alignment?: Alignment;
}

/** The compare side's caption: where its step stands in the statement the main run is in. */
export function alignmentCaption(step: number, alignment: Alignment | undefined): string {
  if (alignment?.kind === 'event') return `step ${step} (event ${alignment.index} of ${alignment.count} of the same statement)`;
  if (alignment?.kind === 'none') return `step ${step} (the statement made no event here)`;
  return `step ${step} (end of the same statement)`;
}

export type CompareTab = 'memory' | 'graph' | 'pagetables' | 'blockio';

export const TAB_LABEL: Record<CompareTab, string> = {
  pagetables: 'Page tables',
  memory: 'Memory',
  graph: 'Refcount graph',
  blockio: 'Block I/O',
};

const TABS: CompareTab[] = ['memory', 'graph', 'pagetables', 'blockio'];

export interface CompareViewProps {
  source: string;
  a: CompareSideData;
  /** Null while the compare run is missing (its error is shown instead). */
  b: CompareSideData | null;
  error: string | null;
  diffs: ReadonlyMap<number, FolioDiff>;
  divergences: readonly Divergence[];
  selected: number | null;
  onSelect(id: number): void;
  onSeek(step: number): void;
  onExit(): void;
  /** Initial column width before measuring (tests, server rendering). */
  width?: number;
  /** The view shown first (memory unless told). */
  initialTab?: CompareTab;
}

export function CompareView(props: CompareViewProps) {
  const { source, a, b, error, diffs, divergences, selected, onSelect, onSeek, onExit } = props;
  const [tab, setTab] = useState<CompareTab>(props.initialTab ?? 'memory');
  const step = a.snapshot.step;
  const headline = b ? divergenceHeadline(divergences, source, a.label, b.label) : '';
  const here = diffs.size;
  const onTabKey = (e: KeyboardEvent<HTMLDivElement>) => {
    const dir = e.key === 'ArrowRight' ? 1 : e.key === 'ArrowLeft' ? -1 : 0;
    if (!dir) return;
    // Arrows move between the tabs (and not the run) while a tab has focus.
    e.preventDefault();
    e.stopPropagation();
    const next = TABS[(TABS.indexOf(tab) + dir + TABS.length) % TABS.length]!;
    setTab(next);
    e.currentTarget.querySelector<HTMLButtonElement>(`[data-tab="${next}"]`)?.focus();
  };
  return (
    <section className="panel compare" aria-label="Compare kernels">
      <header className="panel-title compare-title">
        <span>{`Compare: ${a.label} vs ${b?.label ?? '…'}`}</span>
        <div className="compare-tabs" role="tablist" tabIndex={-1} aria-label="View to compare" onKeyDown={onTabKey}>
          {TABS.map((t) => (
            <button key={t} type="button" role="tab" data-tab={t} className="compare-tab" aria-selected={t === tab} tabIndex={t === tab ? 0 : -1} onClick={() => setTab(t)}>
              {TAB_LABEL[t]}
            </button>
          ))}
        </div>
        <span className="compare-count" data-testid="compare-count">
          {b ? (here === 0 ? 'same counters at this step' : `${here} folio${here === 1 ? ' differs' : 's differ'} at this step`) : ''}
        </span>
        <button type="button" className="small compare-exit" onClick={onExit}>
          Exit compare
        </button>
      </header>
      <div className="panel-body compare-body">
        <div className="compare-columns">
          <CompareSide side="a" tab={tab} data={a} caption={`main run · step ${step}`} other={b?.label ?? ''} diffs={diffs} selected={selected} onSelect={onSelect} width={props.width} />
          {b ? (
            <CompareSide side="b" tab={tab} data={b} caption={alignmentCaption(b.snapshot.step, b.alignment)} other={a.label} diffs={diffs} selected={selected} onSelect={onSelect} width={props.width} />
          ) : (
            <div className="compare-side compare-missing" data-side="b">
              <p role="alert">{error ? `The compare kernel cannot run this scenario: ${error}` : 'Running the compare kernel…'}</p>
            </div>
          )}
        </div>
      </div>
      {b && (
        <nav className="compare-divergences" aria-label="Where the runs diverge">
          <p className="compare-headline" data-testid="compare-headline" title={headline}>
            {headline}
          </p>
          {divergences.length > 0 && (
            <ol className="compare-list">
              {divergences.map((d) => {
                const current = step === d.stepA;
                const what = describeDifference(d, a.label, b.label, 2);
                return (
                  <li key={`${d.stmt}`}>
                    <button
                      type="button"
                      className={`compare-item${current ? ' current' : ''}`}
                      aria-current={current ? 'step' : undefined}
                      data-step={d.stepA}
                      title={`line ${d.line}: ${statementText(source, d.line)}: ${what}`}
                      onClick={() => onSeek(d.stepA)}
                    >
                      <span className="compare-line">{`line ${d.line}`}</span>
                      <code>{statementText(source, d.line)}</code>
                      <span className="compare-what visually-hidden">{what}</span>
                    </button>
                  </li>
                );
              })}
            </ol>
          )}
        </nav>
      )}
    </section>
  );
}
