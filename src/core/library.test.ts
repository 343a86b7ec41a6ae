// Every library scenario must hold its expectations on every preset (its `on` selectors say where each
// applies) and on its compare pair; a run with invariant violations must say so in a checked expectation.
import { describe, expect, it } from 'vitest';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { parseScenario } from '../scenario';
import { PRESETS, VIOLATION_KINDS, parseKernelSpec, simulate } from './index';

const DIR = 'scenarios/library';
const files = existsSync(DIR) ? readdirSync(DIR).filter((f) => f.endsWith('.scn')).sort() : [];

function comparePair(text: string): string[] {
  const m = /^# compare: (\S+) (\S+)\s*$/m.exec(text);
  return m ? [m[1]!, m[2]!].map((k) => k.replace(/\+/g, ' ')) : [];
}

describe('the scenario library', () => {
  it('has at least 13 scenarios, each with a title, a two-line description and a compare pair', () => {
    expect(files.length).toBeGreaterThanOrEqual(13);
    for (const f of files) {
      const text = readFileSync(`${DIR}/${f}`, 'utf8');
      const shape = { file: f, title: /^title \S/m.test(text), pair: comparePair(text).length, chapters: (text.match(/^mark /gm) ?? []).length >= 2 };
      expect(shape).toEqual({ file: f, title: true, pair: 2, chapters: true });
    }
  });

  for (const f of files) {
    const text = readFileSync(`${DIR}/${f}`, 'utf8');
    const kernels = [...new Set([...PRESETS.map((p) => p.name), ...comparePair(text)])];
    for (const kernel of kernels) {
      it(`${f} holds on ${kernel}`, () => {
        const parsed = parseScenario(text, f);
        if (!parsed.ok) throw new Error(parsed.errors.map((e) => `${e.line}:${e.col} ${e.message}`).join('\n'));
        const r = simulate(parsed.scenario, { file: f, kernel: parseKernelSpec(kernel) });
        if (!r.ok) throw new Error(`${r.error.line}:${r.error.col} ${r.error.message}`);
        const failed = r.run.expectations.filter((e) => !e.ok).map((e) => `line ${e.line}: ${e.text} (actual ${e.actual})`);
        expect(failed).toEqual([]);
        const violations = r.run.findings.filter((x) => VIOLATION_KINDS.has(x.kind));
        const announced = r.run.expectations.some((e) => /\bviolations\b/.test(e.text) && e.ok);
        expect({ unannounced: violations.length > 0 && !announced ? violations.map((v) => v.message) : [] }).toEqual({ unannounced: [] });
      });
    }
  }
});
