// The findings list, pure: violations, leaks, stale pins and failed expectations of the whole run, each with
// its step and line; a click seeks to the step. Collapsible to a narrow strip with the count.

import type { FindingGroup } from './group';
import { totalEntries } from './group';

export interface FindingsViewProps {
  groups: readonly FindingGroup[];
  /** The current step: entries at or before it are "passed", the one at it is current. */
  step: number;
  collapsed: boolean;
  onToggle(): void;
  onSeek(step: number): void;
}

export function FindingsView({ groups, step, collapsed, onToggle, onSeek }: FindingsViewProps) {
  const total = totalEntries(groups);
  if (collapsed) {
    return (
      <section className="panel findings findings-collapsed" aria-label="Findings">
        <button type="button" className="findings-strip" aria-expanded={false} onClick={onToggle} title="Show the findings of the run">
          <span className={`findings-count${total ? ' bad' : ''}`}>{total}</span>
          <span className="findings-strip-label">Findings</span>
        </button>
      </section>
    );
  }
  return (
    <section className="panel findings" aria-label="Findings">
      <header className="panel-title findings-title">
        <span>{`Findings${total ? ` (${total})` : ''}`}</span>
        <button type="button" className="findings-close" aria-expanded={true} aria-label="Collapse the findings" title="Collapse" onClick={onToggle}>
          ›
        </button>
      </header>
      <div className="panel-body findings-body">
        {total === 0 ? (
          <p className="findings-none">No violations, leaks or failed expectations</p>
        ) : (
          groups.map((g) => (
            <div key={g.key} className={`findings-group findings-${g.key}`} data-group={g.key}>
              <h3>{`${g.title} · ${g.entries.length}`}</h3>
              <ul>
                {g.entries.map((e) => (
                  <li key={e.key}>
                    <button
                      type="button"
                      className={`findings-entry${e.step === step ? ' current' : e.step > step ? ' ahead' : ''}`}
                      data-step={e.step}
                      data-kind={e.kind}
                      onClick={() => onSeek(e.step)}
                      title={`Go to step ${e.step}`}
                    >
                      <span className="findings-where">{`step ${e.step} · line ${e.line}${e.count > 1 ? ` · ×${e.count.toLocaleString('en-US')}${e.lastStep !== undefined ? ` (steps ${e.step}–${e.lastStep})` : ''}` : ''}`}</span>
                      <span className="findings-message">{e.message}</span>
                      {e.holder && <span className="findings-holder">{`should have been released by: ${e.holder}`}</span>}
                    </button>
                  </li>
                ))}
              </ul>
            </div>
          ))
        )}
      </div>
    </section>
  );
}
