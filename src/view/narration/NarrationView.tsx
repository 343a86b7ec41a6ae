// The narration, as a pure component: what just happened in plain words (big enough for a projector), the
// author's note, the kernel call chain with links to the source at the run's kernel version, the kernel, and
// the checks so far, each a button that jumps to its step.

import { useEffect, useRef } from 'react';
import type { SimEvent } from '../../core';
import { chainLinks, startCaption, type Check } from './layout';

export interface NarrationViewProps {
  title: string;
  step: number;
  event: SimEvent | undefined;
  note: string | undefined;
  elixirVersion: string;
  kernelLabel: string;
  checks: Check[];
  onSeek(step: number): void;
}

export function NarrationView({ title, step, event, note, elixirVersion, kernelLabel, checks, onSeek }: NarrationViewProps) {
  const links = event ? chainLinks(event.chain, elixirVersion) : [];
  const listRef = useRef<HTMLOListElement>(null);
  // Keep the newest check in view as they accumulate.
  const count = checks.length;
  useEffect(() => {
    const el = listRef.current;
    if (el && count > 0) el.scrollTop = el.scrollHeight;
  }, [count]);
  const failed = checks.filter((c) => !c.ok).length;
  return (
    <div className="nr">
      <div className="nr-main">
        <p className={`nr-caption${event?.kind === 'elided' ? ' elided' : ''}`} key={step} aria-live="polite" data-field="caption" title={event?.text}>
          {event ? (
            <>
              {event.kind !== 'mark' && <span className={`nr-kind nr-kind-${event.kind}`}>{event.kind}</span>}
              {event.text}
            </>
          ) : (
            startCaption(title)
          )}
        </p>
        {note && (
          <blockquote className="nr-note" data-field="note" title={note}>
            {note}
          </blockquote>
        )}
        <div className="nr-where">
          {links.length > 0 ? (
            <nav aria-label="Kernel call chain" className="nr-chain">
              <ol>
                {links.map((l, i) => (
                  <li key={`${i}-${l.name}`} className={i === links.length - 1 ? 'innermost' : undefined}>
                    {l.href ? (
                      <a href={l.href} target="_blank" rel="noopener noreferrer" title={`${l.name} in Linux ${elixirVersion} (Elixir, new tab)`}>
                        {l.name}
                      </a>
                    ) : (
                      <span className="nr-pseudo">{l.name}</span>
                    )}
                  </li>
                ))}
              </ol>
            </nav>
          ) : (
            <span className="nr-chain nr-nochain">{event ? 'no kernel code runs for this step' : ''}</span>
          )}
          {event && <span className="nr-line">line {event.line}</span>}
        </div>
      </div>
      <aside className="nr-side" aria-label="Kernel and checks">
        <div className="nr-kernel" title="The kernel whose rules this run follows">
          kernel <strong data-field="kernel">{kernelLabel}</strong>
        </div>
        <div className="nr-checks-head">
          {checks.length === 0 ? (
            <span className="hint">no checks yet</span>
          ) : (
            <span>
              checks so far: <span className="nr-ok-count">{checks.length - failed} ✓</span>
              {failed > 0 && <span className="nr-bad-count"> {failed} ✗</span>}
            </span>
          )}
        </div>
        {checks.length > 0 && (
          <ol className="nr-checks" ref={listRef}>
            {checks.map((c, i) => (
              <li key={`${c.step}-${c.kind}-${i}`}>
                <button
                  type="button"
                  className={`nr-check ${c.ok ? 'ok' : 'bad'}${c.step === step ? ' here' : ''}`}
                  title={`${c.text} (line ${c.line}): jump to step ${c.step}`}
                  data-step={c.step}
                  onClick={() => onSeek(c.step)}
                >
                  <span className="nr-mark" aria-label={c.ok ? 'holds' : 'fails'}>
                    {c.ok ? '✓' : '✗'}
                  </span>
                  <span className="nr-check-text">
                    {c.kind !== 'expect' && <span className="nr-finding-kind">{c.kind}</span>}
                    {c.text}
                    {c.times > 1 && <span className="nr-times"> ×{c.times.toLocaleString('en-US')}</span>}
                  </span>
                  <span className="nr-check-step">{c.step}</span>
                </button>
              </li>
            ))}
          </ol>
        )}
      </aside>
    </div>
  );
}
