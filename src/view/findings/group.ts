// The findings list, pure: the run's findings and failed expectations in four groups, each entry with its step
// and line (and for a leak, the holder that should have released the references).

import { VIOLATION_KINDS, describeHolder, type ExpectationResult, type Finding } from '../../core';

export type GroupKey = 'violations' | 'leaks' | 'stale' | 'expectations';

export interface FindingEntry {
  key: string;
  step: number;
  line: number;
  kind: string;
  message: string;
  count: number;
  /** The last step it was met at, when the count spans several steps (`step` is the first). */
  lastStep?: number;
  /** For a leak: the holder, in words. */
  holder?: string;
}

export interface FindingGroup {
  key: GroupKey;
  title: string;
  entries: FindingEntry[];
}

const TITLES: Record<GroupKey, string> = {
  violations: 'Violations',
  leaks: 'Leaks',
  stale: 'Stale pins',
  expectations: 'Failed expectations',
};

/** Non-empty groups in a fixed order (violations, leaks, stale pins, failed expectations), entries by step. */
export function groupFindings(findings: readonly Finding[], expectations: readonly ExpectationResult[]): FindingGroup[] {
  const groups: Record<GroupKey, FindingEntry[]> = { violations: [], leaks: [], stale: [], expectations: [] };
  findings.forEach((f, i) => {
    const entry: FindingEntry = { key: `f${i}`, step: f.step, line: f.line, kind: f.kind, message: f.message, count: f.count, ...(f.lastStep !== undefined && f.lastStep > f.step ? { lastStep: f.lastStep } : {}) };
    if (f.kind === 'leak') {
      if (f.holder) entry.holder = describeHolder(f.holder);
      groups.leaks.push(entry);
    } else if (f.kind === 'stale-pin') groups.stale.push(entry);
    else if (VIOLATION_KINDS.has(f.kind)) groups.violations.push(entry);
    // 'expect' findings duplicate the failed expectations below.
  });
  for (const e of expectations) {
    if (e.ok) continue;
    const times = e.checks > 1 ? ` (failed ${e.failures} of ${e.checks} checks)` : '';
    groups.expectations.push({ key: `e${e.line}`, step: e.step, line: e.line, kind: 'expect', message: `${/^expect\b/.test(e.text) ? e.text : `expect ${e.text}`}: actual ${e.actual}${times}`, count: e.failures });
  }
  return (Object.keys(groups) as GroupKey[])
    .map((key) => ({ key, title: TITLES[key], entries: groups[key].sort((x, y) => x.step - y.step || x.line - y.line) }))
    .filter((g) => g.entries.length > 0);
}

export function totalEntries(groups: readonly FindingGroup[]): number {
  return groups.reduce((n, g) => n + g.entries.length, 0);
}
