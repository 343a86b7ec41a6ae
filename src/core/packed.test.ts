// A run packed in a worker and rebuilt on the page must be the same run: the same snapshot at every step, the
// same catalog, events, findings, chapters and expectations, whatever order the steps are visited in.
import { describe, expect, it } from 'vitest';
import { readdirSync, readFileSync } from 'node:fs';
import { parseScenario } from '../scenario';
import { packRun, packedTransferables, parseKernelSpec, simulate, unpackRun, type Run } from './index';

function runOf(text: string, kernel?: string): Run {
  const parsed = parseScenario(text);
  if (!parsed.ok) throw new Error(parsed.errors[0]!.message);
  const r = simulate(parsed.scenario, kernel ? { kernel: parseKernelSpec(kernel) } : {});
  if (!r.ok) throw new Error(`${r.error.line}:${r.error.col}: ${r.error.message}`);
  return r.run;
}

/** Through structured clone with the buffers transferred, as `postMessage` does between threads. */
function acrossThreads(run: Run): Run {
  const packed = packRun(run);
  return unpackRun(structuredClone(packed, { transfer: packedTransferables(packed) }));
}

function snapshotsAt(run: Run, steps: readonly number[]): string[] {
  return steps.map((s) => JSON.stringify(run.snapshot(s)));
}

function comparePair(text: string): string[] {
  const m = /^# compare: (\S+) (\S+)\s*$/m.exec(text);
  return m ? [m[1]!, m[2]!].map((k) => k.replace(/\+/g, ' ')) : [];
}

const cases: { name: string; text: string; kernel?: string }[] = [];
for (const dir of ['scenarios/builtin', 'scenarios/library']) {
  for (const f of readdirSync(dir).filter((x) => x.endsWith('.scn')).sort()) {
    const text = readFileSync(`${dir}/${f}`, 'utf8');
    cases.push({ name: `${dir}/${f}`, text });
    for (const kernel of comparePair(text)) cases.push({ name: `${dir}/${f} on ${kernel}`, text, kernel });
  }
}

describe('a run rebuilt from its packed form', () => {
  it('covers the built-in and library scenarios', () => {
    expect(cases.length).toBeGreaterThanOrEqual(4 + 13);
  });

  it.each(cases)('$name: the same snapshot at every step, forwards, backwards and jumping', ({ text, kernel }) => {
    const original = runOf(text, kernel);
    // Packing moves the original to its last step; the copy must not care where the original was.
    original.seek(Math.floor(original.lastStep / 2));
    const rebuilt = acrossThreads(original);
    expect(rebuilt.lastStep).toBe(original.lastStep);
    expect(rebuilt.step).toBe(original.lastStep);
    const forwards = Array.from({ length: original.lastStep + 1 }, (_, i) => i);
    const expected = snapshotsAt(runOf(text, kernel), forwards);
    expect(snapshotsAt(rebuilt, forwards)).toEqual(expected);
    expect(snapshotsAt(rebuilt, [...forwards].reverse())).toEqual([...expected].reverse());
    let seed = 11;
    const jumps = Array.from({ length: 40 }, () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) % (original.lastStep + 1));
    expect(snapshotsAt(rebuilt, jumps)).toEqual(jumps.map((s) => expected[s]));
    expect(rebuilt.catalog).toEqual(original.catalog);
    expect(rebuilt.events).toEqual(original.events);
    expect(rebuilt.findings).toEqual(original.findings);
    expect({ title: rebuilt.title, chapters: rebuilt.chapters, expectations: rebuilt.expectations, shows: rebuilt.shows, kernel: rebuilt.kernel }).toEqual({
      title: original.title,
      chapters: original.chapters,
      expectations: original.expectations,
      shows: original.shows,
      kernel: original.kernel,
    });
    // Snapshots at every step of the longer library scenarios take seconds on a busy machine.
  }, 60_000);

  it('answers the run queries the views use like the original', () => {
    const text = readFileSync('scenarios/builtin/01-dio-write-zero-page.scn', 'utf8');
    const original = runOf(text);
    const rebuilt = acrossThreads(original);
    const zero = original.snapshot(0).zeroFolio;
    expect(rebuilt.refcountSeries(zero)).toEqual(original.refcountSeries(zero));
    expect(rebuilt.lastChangeStep(zero, rebuilt.lastStep)).toBe(original.lastChangeStep(zero, original.lastStep));
    expect([...rebuilt.folioCounters(3)]).toEqual([...original.folioCounters(3)]);
  });

  it('keeps a long elided repeat steppable (muted spans become patches of their net effect)', () => {
    const text = 'kernel v5.10\nmmap buf 4K\nread buf\nrepeat 100000\n  pin buf 0 4K\nend\npin last buf 0 4K\n';
    const original = runOf(text);
    const rebuilt = acrossThreads(original);
    const steps = Array.from({ length: original.lastStep + 1 }, (_, i) => i);
    expect(snapshotsAt(rebuilt, steps)).toEqual(snapshotsAt(runOf(text), steps));
  });

  it('is made of typed arrays and one string, with every string stored once', () => {
    const run = runOf(readFileSync('scenarios/library/04-iomap-zeroing-bio.scn', 'utf8'));
    const packed = packRun(run);
    expect(packed.tags).toBeInstanceOf(Uint8Array);
    expect(packed.values).toBeInstanceOf(Float64Array);
    expect(packed.values.length).toBe(packed.tags.length);
    expect(typeof packed.strings).toBe('string');
    const list: string[] = [];
    let start = 0;
    for (const end of packed.stringEnds) {
      list.push(packed.strings.slice(start, end));
      start = end;
    }
    expect(new Set(list).size).toBe(list.length);
    expect(list).toContain(run.events[0]!.text);
  });

  it('refuses a format it does not know and a damaged stream', () => {
    const packed = packRun(runOf('mmap buf 4K\nread buf\n'));
    expect(() => unpackRun({ ...packed, format: 2 as unknown as 1 })).toThrow(/format 2/);
    const tags = packed.tags.slice();
    tags[0] = 99;
    expect(() => unpackRun({ ...packed, tags })).toThrow(/bad object tag 99/);
  });
});
