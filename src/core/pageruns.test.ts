// Batched page runs: a statement that walks many alike pages records its first and last ones and summarises the
// middle as one elided step. The summary must change only how many events there are, never the state.

import { describe, expect, it } from 'vitest';
import { parseScenario } from '../scenario';
import { simulate, type SimulateOptions } from './index';
import { PAGE_RUN_EDGE } from './sim';
import type { Snapshot } from './snapshot';

function ok(text: string, options: SimulateOptions = {}) {
  const parsed = parseScenario(text);
  if (!parsed.ok) throw new Error(parsed.errors.map((e) => e.message).join('; '));
  const outcome = simulate(parsed.scenario, options);
  if (!outcome.ok) throw new Error(`${outcome.error.line}:${outcome.error.col}: ${outcome.error.message}`);
  return outcome.run;
}

/** A snapshot without what depends on how many steps led to it. */
function stateOf(s: Snapshot): unknown {
  const { step: _step, lastStep: _last, event: _event, ...rest } = s as Snapshot & { event?: unknown };
  return rest;
}

const WRITE_8M = 'title eight megabytes\nkernel v6.12\nmmap buf 8M\nwrite buf\nmmap other 64K\nread other\n';

describe('a write over many pages', () => {
  const summarised = ok(WRITE_8M);
  const full = ok(WRITE_8M, { pageRuns: false });

  it('records its first and last pages and one elided step for the pages between', () => {
    const elided = summarised.events.filter((e) => e.kind === 'elided');
    expect(elided).toHaveLength(1);
    expect(elided[0]!.pages).toBe(2048 - 2 * PAGE_RUN_EDGE);
    expect(elided[0]!.text).toMatch(/^Pages 33–2,016 of this write of "buf" \(1,984 pages\)/);
    expect(elided[0]!.text).toContain('1,984 page faults');
    expect(elided[0]!.text).toContain('1,984 folio allocations');
    // Every page still has its own events in the full run; the summary stands for exactly the ones left out.
    const faults = (run: typeof full) => run.events.filter((e) => e.kind === 'fault').length;
    expect(faults(full)).toBe(2048 + 16);
    expect(faults(summarised)).toBe(2 * PAGE_RUN_EDGE + 16);
    expect(summarised.events.length).toBeLessThan(full.events.length / 10);
  });

  it('ends in the same state, with the same findings and expectations', () => {
    expect(stateOf(summarised.snapshot(summarised.lastStep))).toEqual(stateOf(full.snapshot(full.lastStep)));
    expect(summarised.findings.map((f) => ({ ...f, step: 0, lastStep: 0 }))).toEqual(full.findings.map((f) => ({ ...f, step: 0, lastStep: 0 })));
  });

  it('has the state of the full run at either side of the summary step', () => {
    const at = summarised.events.findIndex((e) => e.kind === 'elided') + 1;
    const removed = summarised.events[at - 1]!.pages! * 4; // fault, alloc, flag and PTE per page
    const tables = full.events.filter((e, i) => e.kind === 'table' && i >= at - 1 && i < at - 1 + removed + 8).length;
    expect(stateOf(summarised.snapshot(at - 1))).toEqual(stateOf(full.snapshot(at - 1)));
    expect(stateOf(summarised.snapshot(at))).toEqual(stateOf(full.snapshot(at - 1 + removed + tables - 1 + 1)));
  });

  it('short walks record every page', () => {
    const small = ok('title four megabytes\nkernel v6.12\nmmap buf 4M\nwrite buf\n');
    expect(small.events.some((e) => e.kind === 'elided')).toBe(false);
    expect(small.events.filter((e) => e.kind === 'fault')).toHaveLength(1024);
  });
});

describe('a 1 GiB buffer written once', () => {
  it('fits the default budgets', () => {
    const run = ok('title one gigabyte\nkernel v6.12\nmmap buf 1G\nwrite buf\n');
    expect(run.events.length).toBeLessThan(400);
    expect(run.snapshot(run.lastStep).folios.length).toBeGreaterThanOrEqual(262_144);
  });
});
