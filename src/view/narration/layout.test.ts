import { readFileSync, readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseScenario } from '../../scenario';
import { simulate, type Run, type SimEvent } from '../../core';
import { chainLinks, checksUpTo, isKernelFunction, noteAt, noteSpans, startCaption } from './layout';

function runOf(text: string): Run {
  const parsed = parseScenario(text);
  if (!parsed.ok) throw new Error(parsed.errors.map((e) => e.message).join('; '));
  const outcome = simulate(parsed.scenario);
  if (!outcome.ok) throw new Error(outcome.error.message);
  return outcome.run;
}
const BUILTINS = readdirSync('scenarios/builtin')
  .filter((f) => f.endsWith('.scn'))
  .sort()
  .map((f) => ({ name: f, run: runOf(readFileSync(`scenarios/builtin/${f}`, 'utf8')) }));
const byName = (prefix: string) => BUILTINS.find((b) => b.name.startsWith(prefix))!.run;

/** The obvious definition: walk back through the current statement to its note. */
function noteBrute(events: readonly SimEvent[], step: number): string | undefined {
  if (step < 1) return undefined;
  const stmt = events[step - 1]!.stmt;
  for (let i = step - 1; i >= 0 && events[i]!.stmt === stmt; i--) if (events[i]!.note !== undefined) return events[i]!.note;
  return undefined;
}

describe('chainLinks', () => {
  it('links every C function to Elixir at the run kernel version', () => {
    const links = chainLinks(['ksys_pwrite64', '__blkdev_direct_IO', 'try_grab_folio'], 'v6.4');
    expect(links).toEqual([
      { name: 'ksys_pwrite64', href: 'https://elixir.bootlin.com/linux/v6.4/C/ident/ksys_pwrite64' },
      { name: '__blkdev_direct_IO', href: 'https://elixir.bootlin.com/linux/v6.4/C/ident/__blkdev_direct_IO' },
      { name: 'try_grab_folio', href: 'https://elixir.bootlin.com/linux/v6.4/C/ident/try_grab_folio' },
    ]);
  });

  it('leaves pseudo-frames such as "CPU load" and "CPU store" unlinked', () => {
    const links = chainLinks(['CPU load', 'exc_page_fault'], 'v5.10');
    expect(links[0]).toEqual({ name: 'CPU load' });
    expect(links[1]!.href).toBe('https://elixir.bootlin.com/linux/v5.10/C/ident/exc_page_fault');
    expect(isKernelFunction('CPU store')).toBe(false);
    expect(isKernelFunction('<irq>')).toBe(false);
    expect(isKernelFunction('9lives')).toBe(false);
    expect(isKernelFunction('_x9')).toBe(true);
  });

  it('links exactly the identifiers of every chain in the built-in runs', () => {
    for (const { run } of BUILTINS) {
      for (const e of run.events) {
        const links = chainLinks(e.chain, run.kernel.preset.elixir);
        expect(links.map((l) => l.name)).toEqual([...e.chain]);
        const expected = e.chain.map((name) => (/^[A-Za-z_]\w*$/.test(name) ? `https://elixir.bootlin.com/linux/${run.kernel.preset.elixir}/C/ident/${name}` : undefined));
        expect(links.map((l) => l.href)).toEqual(expected);
        // Whatever is not linked is a pseudo-frame written in words ("CPU load").
        expect(links.filter((l) => !l.href).every((l) => l.name.includes(' '))).toBe(true);
      }
    }
  });
});

describe('notes', () => {
  it('shows a note for every event of the statement it belongs to, and nowhere else', () => {
    for (const { run } of BUILTINS) {
      const spans = noteSpans(run.events);
      for (let step = 0; step <= run.lastStep; step++) expect(noteAt(spans, step)).toBe(noteBrute(run.events, step));
    }
  });

  it('carries the author’s words over the dio write statement of the zero-page scenario', () => {
    const run = byName('01');
    const spans = noteSpans(run.events);
    expect(spans.map((s) => [s.from, s.to])).toEqual([
      [4, 15],
      [18, 32],
      [36, 44],
    ]);
    expect(noteAt(spans, 24)).toMatch(/^GUP-fast gives up on special PTEs/);
    expect(noteAt(spans, 33)).toBeUndefined();
    expect(noteAt(spans, 0)).toBeUndefined();
  });

  it('says where the story starts at step 0', () => {
    expect(startCaption('A title')).toBe('“A title”: nothing has happened yet. Step forward to begin.');
  });
});

describe('checksUpTo', () => {
  it('lists the expectations checked so far, in order', () => {
    const run = byName('01');
    expect(checksUpTo(run.expectations, run.findings, 15)).toEqual([]);
    const at34 = checksUpTo(run.expectations, run.findings, 34);
    expect(at34.map((c) => [c.step, c.ok, c.text])).toEqual([
      [16, true, 'expect zero.refcount == 1'],
      [33, true, 'expect zero.refcount == 5'],
      [34, true, 'expect bio#1.pages == 4'],
    ]);
    expect(checksUpTo(run.expectations, run.findings, 47)).toHaveLength(6);
  });

  it('adds findings as failures, without listing a failed expectation twice', () => {
    const run = byName('03');
    const all = checksUpTo(run.expectations, run.findings, run.lastStep);
    const leaks = all.filter((c) => c.kind === 'leak');
    expect(leaks.map((c) => c.step)).toEqual([43, 51]);
    expect(leaks.every((c) => !c.ok && !c.violation)).toBe(true);
    const overflow = runOf(['kernel v6.1', 'mmap buf 4K', 'read buf', 'repeat 2097152', 'pin buf 0 4K', 'end', 'expect violations == 0'].join('\n'));
    const checks = checksUpTo(overflow.expectations, overflow.findings, overflow.lastStep);
    expect(checks.map((c) => [c.kind, c.ok, c.violation])).toEqual([
      ['refcount-wrap', false, true],
      ['expect', false, false],
    ]);
    expect(checks[1]!.text).toBe('expect violations == 0 (actual: 1)');
  });
});
