// A slim bar with a Cancel button while a simulation takes longer than SHOW_AFTER_MS (quick runs never show
// it, so it does not flash on every keystroke). Cancel stops the worker; the picture stays the previous run's.

import { useEffect, useState } from 'react';
import { cancelRuns, useSimRuns, type RunActivity } from '../store/simRuns';
import './run-progress.css';

export const SHOW_AFTER_MS = 150;

/** How far a run is, 0 to 1: whichever of its budgets (work, time) it has used more of. */
function fraction(a: RunActivity): number {
  const p = a.progress;
  if (!p) return 0;
  const work = Number.isFinite(p.maxWork) && p.maxWork > 0 ? p.work / p.maxWork : 0;
  const time = Number.isFinite(p.maxMillis) && p.maxMillis > 0 ? p.millis / p.maxMillis : 0;
  return Math.min(1, Math.max(work, time));
}

export function RunProgress() {
  const active = useSimRuns((s) => s.active);
  const oldest = active.reduce<RunActivity | null>((o, a) => (o === null || a.since < o.since ? a : o), null);
  // The bar shows a run SHOW_AFTER_MS after it was asked for (progress ticks do not restart the wait).
  const key = oldest ? `${oldest.channel}@${oldest.since}` : null;
  const since = oldest?.since ?? 0;
  const [shownKey, setShownKey] = useState<string | null>(null);
  useEffect(() => {
    if (key === null) return;
    const timer = setTimeout(() => setShownKey(key), Math.max(0, SHOW_AFTER_MS - (performance.now() - since)));
    return () => clearTimeout(timer);
  }, [key, since]);
  if (!oldest || shownKey !== key) return null;
  const f = fraction(oldest);
  const events = oldest.progress?.events ?? 0;
  const what = oldest.channel === 'compare' ? 'Simulating under the compare kernel' : 'Simulating the scenario';
  return (
    <div className="run-progress" role="status" data-testid="run-progress">
      <span className="run-progress-label">
        {what}… {events > 0 ? `${events.toLocaleString('en-US')} events so far` : ''}
      </span>
      <progress className="run-progress-bar" max={1} value={f} aria-label={`${what}: ${Math.round(f * 100)}% of its budget`} />
      <button type="button" className="run-progress-cancel" onClick={() => cancelRuns()}>
        Cancel
      </button>
    </div>
  );
}
