// The presentation statement `show`: what the parser accepts and refuses, how it prints, and the views the
// simulator records on the steps.
import { describe, expect, it } from 'vitest';
import { simulate, type Run } from '../core';
import { formatError, parseScenario } from './parser';
import { printScenario } from './printer';

function errorsOf(text: string): string[] {
  const r = parseScenario(text);
  if (r.ok) throw new Error(`expected errors for ${JSON.stringify(text)}`);
  return r.errors.map(formatError);
}

function runOf(text: string): Run {
  const parsed = parseScenario(text);
  if (!parsed.ok) throw new Error(parsed.errors.map(formatError).join('\n'));
  const r = simulate(parsed.scenario);
  if (!r.ok) throw new Error(r.error.message);
  return r.run;
}

describe('parsing show', () => {
  it('takes one or more view names, or all', () => {
    const r = parseScenario('show graph\nshow memory graph\nshow all\nshow blockio pagetables memory graph\n');
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.scenario.statements.map((s) => (s.op === 'show' ? s.views : s.op))).toEqual([['graph'], ['memory', 'graph'], 'all', ['blockio', 'pagetables', 'memory', 'graph']]);
  });

  it('refuses an unknown view at its line and column, with the nearest name', () => {
    expect(errorsOf('kernel v6.4\nshow memory grpah\n')).toEqual(['scenario.scn:2:13: unknown view "grpah" (did you mean "graph"?)']);
    expect(errorsOf('show pagetabels\n')).toEqual(['scenario.scn:1:6: unknown view "pagetabels" (did you mean "pagetables"?)']);
    // Words a speaker reaches for point at the view they mean.
    expect(errorsOf('show refcount\n')).toEqual(['scenario.scn:1:6: unknown view "refcount" (did you mean "graph"?)']);
    expect(errorsOf('show bios\n')).toEqual(['scenario.scn:1:6: unknown view "bios" (did you mean "blockio"?)']);
    expect(errorsOf('show xyzzy\n')).toEqual(['scenario.scn:1:6: unknown view "xyzzy" (views: pagetables, memory, graph, blockio, all)']);
  });

  it('needs a view, names each once, and keeps all alone', () => {
    expect(errorsOf('show\n')[0]).toMatch(/^scenario\.scn:1:5: missing view name \(usage: show /);
    expect(errorsOf('show graph graph\n')).toEqual(['scenario.scn:1:12: view "graph" is already named on this line']);
    expect(errorsOf('show graph all\n')[0]).toMatch(/^scenario\.scn:1:12: "all" stands alone/);
    expect(errorsOf('show all memory\n')[0]).toMatch(/^scenario\.scn:1:6: "all" stands alone/);
  });

  it('may come before the kernel line, like mark and note', () => {
    expect(parseScenario('show graph\nkernel v6.4\nmmap buf 4K\n').ok).toBe(true);
  });
});

describe('printing show', () => {
  it('round-trips, comments included', () => {
    const text = 'title t\nshow graph  # one big graph\nmmap buf 4K\nshow memory graph\nread buf\nshow all\n';
    const parsed = parseScenario(text);
    expect(parsed.ok).toBe(true);
    if (!parsed.ok) return;
    expect(printScenario(parsed.scenario)).toBe(text);
  });
});

describe('the views recorded on the steps', () => {
  const text = [
    'kernel v6.4',
    'mmap buf 16K',
    'show graph', //          from the first event of `read buf` on
    'read buf',
    'show memory graph',
    'mark Pin',
    'pin p buf 0 4K',
    'show all',
    'unpin p',
    '',
  ].join('\n');
  const run = runOf(text);
  const withoutShow = runOf(text.replace(/^show .*$/gm, ''));

  it('add no event: the run is the same as without them', () => {
    expect(run.events.map((e) => e.text)).toEqual(withoutShow.events.map((e) => e.text));
    expect(withoutShow.shows).toEqual([]);
    expect(withoutShow.viewsAt(withoutShow.lastStep)).toEqual(['pagetables', 'memory', 'graph', 'blockio']);
  });

  it('each choice holds from the next event until the next show', () => {
    const firstOf = (line: number) => run.events.findIndex((e) => e.line === line) + 1;
    const readStart = firstOf(4);
    const markStep = run.chapters[0]!.step;
    const unpinStart = firstOf(9);
    expect(run.shows.map((s) => ({ line: s.line, step: s.step, views: s.views }))).toEqual([
      { line: 3, step: readStart, views: ['graph'] },
      { line: 5, step: markStep, views: ['memory', 'graph'] },
      { line: 8, step: unpinStart, views: ['pagetables', 'memory', 'graph', 'blockio'] },
    ]);
    expect(run.viewsAt(readStart - 1)).toEqual(['pagetables', 'memory', 'graph', 'blockio']);
    expect(run.viewsAt(readStart)).toEqual(['graph']);
    expect(run.viewsAt(markStep - 1)).toEqual(['graph']);
    expect(run.viewsAt(markStep)).toEqual(['memory', 'graph']);
    expect(run.viewsAt(unpinStart - 1)).toEqual(['memory', 'graph']);
    expect(run.viewsAt(run.lastStep)).toEqual(['pagetables', 'memory', 'graph', 'blockio']);
  });

  it('a show before the first event applies from step 0; later choices at the same step replace it', () => {
    const r = runOf('show memory\nshow graph\nkernel v6.4\nmmap buf 4K\nread buf\n');
    expect(r.shows).toEqual([{ line: 2, step: 1, views: ['graph'] }]);
    expect(r.viewsAt(0)).toEqual(['graph']);
    expect(r.viewsAt(r.lastStep)).toEqual(['graph']);
  });

  it('inside a long repeat the last choice made is the one in effect after it', () => {
    const r = runOf('kernel v6.4\nmmap buf 4K\nrepeat 100000\n  show memory\n  read buf\n  show graph\nend\nread buf\n');
    expect(r.viewsAt(r.lastStep)).toEqual(['graph']);
  });
});
