// What the narration shows, as pure functions of a run and a step: the call chain as links to the kernel
// source, the author's note for the current statement, and the checks (expectations and findings) so far.

import { VIOLATION_KINDS, elixirLink, type ExpectationResult, type Finding, type SimEvent } from '../../core';

export interface ChainLink {
  name: string;
  /** Set for C functions; pseudo-frames such as "CPU load" have none. */
  href?: string;
}

/** A C identifier (what Elixir can look up); anything else in a chain is a pseudo-frame. */
const C_IDENT = /^[A-Za-z_][A-Za-z0-9_]*$/;

export function isKernelFunction(name: string): boolean {
  return C_IDENT.test(name);
}

export function chainLinks(chain: readonly string[], version: string): ChainLink[] {
  return chain.map((name) => (isKernelFunction(name) ? { name, href: elixirLink(version, name) } : { name }));
}

/** Statement executions that carry a note: [first step, last step] and the note. Sorted by step. */
export interface NoteSpan {
  from: number;
  to: number;
  note: string;
}

/**
 * Where the author's notes apply: a `note` is attached to the first event of the next statement, and it stays
 * on screen while that statement's events are stepped through. Built once per run (one pass over the events).
 */
export function noteSpans(events: readonly SimEvent[]): NoteSpan[] {
  const spans: NoteSpan[] = [];
  let open: NoteSpan | undefined;
  for (let i = 0; i < events.length; i++) {
    const e = events[i]!;
    const prev = events[i - 1];
    if (prev === undefined || prev.stmt !== e.stmt) open = undefined;
    if (e.note !== undefined && open === undefined) {
      open = { from: i + 1, to: i + 1, note: e.note };
      spans.push(open);
    } else if (open) open.to = i + 1;
  }
  return spans;
}

/** The note shown at `step` (binary search over the spans). */
export function noteAt(spans: readonly NoteSpan[], step: number): string | undefined {
  let lo = 0;
  let hi = spans.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const s = spans[mid]!;
    if (step < s.from) hi = mid - 1;
    else if (step > s.to) lo = mid + 1;
    else return s.note;
  }
  return undefined;
}

export interface Check {
  step: number;
  ok: boolean;
  /** 'expect' or a finding kind. */
  kind: string;
  text: string;
  line: number;
  /** Whether the finding counts as an invariant violation (not for expectations). */
  violation: boolean;
  /** Times it happened (repeat); 1 usually. */
  times: number;
}

/** Expectations checked and findings raised up to and including `step`, in step order. */
export function checksUpTo(expectations: readonly ExpectationResult[], findings: readonly Finding[], step: number): Check[] {
  const out: Check[] = [];
  for (const x of expectations) {
    if (x.step > step) continue;
    out.push({
      step: x.step,
      ok: x.ok,
      kind: 'expect',
      text: x.ok ? x.text : `${x.text} (actual: ${x.actual})`,
      line: x.line,
      violation: false,
      times: x.ok ? x.checks : x.failures,
    });
  }
  for (const f of findings) {
    // Failed expectations are findings too (kind 'expect'); they are listed above, from the expectations.
    if (f.step > step || f.kind === 'expect') continue;
    out.push({ step: f.step, ok: false, kind: f.kind, text: f.message, line: f.line, violation: VIOLATION_KINDS.has(f.kind), times: f.count });
  }
  // Stable: expectations before findings at the same step keep their source order.
  return out.sort((a, b) => a.step - b.step);
}

/** The caption when no event has happened yet. */
export function startCaption(title: string): string {
  return title ? `“${title}”: nothing has happened yet. Step forward to begin.` : 'Nothing has happened yet. Step forward to begin.';
}
