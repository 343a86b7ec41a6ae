// The kernel-semantics table as executable scenarios. Every scenarios/rows/*.scn is run under its own
// `kernel` line and under every kernel its `# also:` line names, and must parse, run and keep every
// expectation. The scenarios at the top of scenarios/ (and the built-in ones) must hold too.
//
// Header comments a row file may carry (each on its own line, anywhere before the first action):
//   # also: v6.9 v6.12 latest v6.1+zero-pin=skip
//       other kernels under which the same expectations must hold; `+` joins a preset and its toggles.
//   # findings: stale-pin
//       the scenario shows a pin going stale (the pinned page is no longer the one mapped): at least one
//       stale-pin finding is required. Without it, a stale pin is a failure (the pin must stay reliable).
//   # disagreement: v6.2 v6.4 latest
//       the simulator is known to disagree with the kernel facts for these kernels (the file's own kernel is
//       named like the others). The expectations stay kernel-correct; the test for that kernel is marked
//       `it.fails`, so it starts failing (and must be unmarked) once the simulator is fixed.
// Invariant violations are a failure unless the file itself expects some (`expect violations > 0`, ...).

import { readdirSync, readFileSync, existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseScenario, type Scenario, type Statement, type Trivia } from '../scenario';
import { simulate, VIOLATION_KINDS, type Run } from './index';
import { resolveKernel } from './policy';
import { parseKernelSpec } from './kernelspec';

const SCENARIOS = join(dirname(fileURLToPath(import.meta.url)), '../../scenarios');
const ROWS = join(SCENARIOS, 'rows');

interface RowFile {
  name: string;
  path: string;
  text: string;
  also: string[];
  disagreements: Set<string>;
  findings: Set<string>;
}

function headerList(text: string, key: string): string[] | undefined {
  const line = text.split('\n').find((l) => l.startsWith(`# ${key}:`));
  if (line === undefined) return undefined;
  return line
    .slice(`# ${key}:`.length)
    .trim()
    .split(/\s+/)
    .filter((w) => w.length > 0);
}

function loadDir(dir: string): RowFile[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((n) => n.endsWith('.scn'))
    .sort()
    .map((name) => {
      const path = join(dir, name);
      const text = readFileSync(path, 'utf8');
      return {
        name,
        path,
        text,
        also: headerList(text, 'also') ?? [],
        disagreements: new Set(headerList(text, 'disagreement') ?? []),
        findings: new Set(headerList(text, 'findings') ?? []),
      };
    });
}

/** `v6.1+zero-pin=skip` → the --kernel form `v6.1 zero-pin=skip`. */
function kernelSpec(word: string): string {
  return word.split('+').join(' ');
}

function flatten(statements: readonly (Statement | Trivia)[]): Statement[] {
  const out: Statement[] = [];
  for (const s of statements) {
    if (s.op === 'trivia') continue;
    out.push(s);
    if (s.op === 'repeat') out.push(...flatten(s.body));
  }
  return out;
}

/** Does the file itself say that invariant violations happen (`expect violations > 0`, `>= 1`, `== 3`, `!= 0`)? */
function expectsViolations(scenario: Scenario): boolean {
  return flatten(scenario.statements).some((s): boolean => {
    if (s.op !== 'expect' || s.subject !== 'violations' || s.value.type !== 'number') return false;
    const v = s.value.value;
    switch (s.cmp) {
      case '>': return v >= 0;
      case '>=': return v >= 1;
      case '==': return v >= 1;
      case '!=': return v === 0;
      default: return false;
    }
  });
}

function describeFailures(run: Run): string {
  return run.expectations
    .filter((e) => !e.ok)
    .map((e) => `line ${e.line}: ${e.text} — actual ${e.actual}${e.checks > 1 ? ` (${e.failures} of ${e.checks} checks failed)` : ''}`)
    .join('\n');
}

function violationFindings(run: Run): string {
  return run.findings
    .filter((f) => VIOLATION_KINDS.has(f.kind))
    .map((f) => `step ${f.step} line ${f.line} ${f.kind}: ${f.message}`)
    .join('\n');
}

/** Parse, run under `kernel` (undefined: the file's own line) and check everything the conventions require. */
function expectRowHolds(file: RowFile, kernel: string | undefined): Run {
  const parsed = parseScenario(file.text, file.name);
  if (!parsed.ok) throw new Error(`${file.name} does not parse:\n${parsed.errors.map((e) => `${e.line}:${e.col}: ${e.message}`).join('\n')}`);
  const options = { file: file.name, ...(kernel !== undefined ? { kernel: parseKernelSpec(kernelSpec(kernel)) } : {}) };
  const outcome = simulate(parsed.scenario, options);
  if (!outcome.ok) throw new Error(`${file.name} [${kernel ?? 'own kernel'}] does not run: ${outcome.error.line}:${outcome.error.col}: ${outcome.error.message}`);
  const run = outcome.run;
  const where = `${file.name} under ${run.kernel.label}`;
  expect(run.expectations.length, `${where}: a scenario without expectations asserts nothing`).toBeGreaterThan(0);
  expect(run.expectations.filter((e) => !e.ok).length, `${where}: failed expectations:\n${describeFailures(run)}`).toBe(0);
  const violations = run.snapshot(run.lastStep).violations;
  expect(violations === 0 || expectsViolations(parsed.scenario), `${where}: unexpected invariant violations:\n${violationFindings(run)}`).toBe(true);
  const stale = run.findings.filter((f) => f.kind === 'stale-pin').map((f) => `line ${f.line}: ${f.message}`);
  const staleExpected = file.findings.has('stale-pin');
  expect(stale.length > 0, `${where}: ${staleExpected ? 'the file says a pin goes stale, but none did' : `a pin went stale (the pin is not reliable):\n${stale.join('\n')}`}`).toBe(staleExpected);
  return run;
}

function ownKernelLabel(file: RowFile): string {
  const parsed = parseScenario(file.text, file.name);
  if (!parsed.ok) return '?';
  const k = parsed.scenario.statements.find((s) => s.op === 'kernel');
  if (!k || k.op !== 'kernel') return 'latest';
  return [k.preset, ...k.toggles.map((t) => `${t.name}=${t.value}`)].join('+');
}

const rows = loadDir(ROWS);

describe('scenarios/rows: the kernel-semantics table', () => {
  it('has the row files', () => {
    expect(rows.length).toBeGreaterThan(0);
    const names = rows.map((r) => r.name);
    const required = [
      /^01-.*\.v6\.5\.scn$/, /^01-.*\.v5\.10\.scn$/,
      /^03-/, /^04-/,
      /^07-.*\.v6\.5\.scn$/, /^08-/, /^10-/, /^11-/,
      /^14-/,
      /^16-.*\.v6\.1\.scn$/, /^16-.*\.v6\.2\.scn$/,
      /^17-/,
      /^25-.*\.v6\.5\.scn$/, /^25-.*\.v6\.4\.scn$/,
      /^26-/, /^27-legacy.*\.v6\.5\.scn$/, /^27-legacy.*\.v6\.4\.scn$/, /^28-/,
      /^30-.*\.v5\.10\.scn$/, /^30-.*\.v6\.5\.scn$/,
      /^31-.*\.v5\.10\.scn$/, /^31-.*\.v6\.0\.scn$/, /^31-.*\.v6\.2\.scn$/, /^31-.*\.v6\.9\.scn$/,
      /^32-/, /^33-/, /^34-/,
      /^s8-/,
    ];
    for (const re of required) expect(names.some((n) => re.test(n)), `no row file matches ${re}`).toBe(true);
  });

  for (const file of rows) {
    describe(`${file.name}`, () => {
      it('follows the row file format', () => {
        const lines = file.text.split('\n');
        expect(lines[0]!.startsWith('# also:'), 'the first line is the "# also:" comment').toBe(true);
        const parsed = parseScenario(file.text, file.name);
        expect(parsed.ok).toBe(true);
        if (!parsed.ok) return;
        const ops = flatten(parsed.scenario.statements).map((s) => s.op);
        for (const op of ['title', 'kernel', 'mark', 'note', 'expect'] as const) expect(ops, `${file.name} has no ${op} line`).toContain(op);
        for (const k of [...file.also, ...file.disagreements]) {
          const r = resolveKernel(parseKernelSpec(kernelSpec(k)));
          expect(r.ok, `${file.name}: "${k}" is not a kernel`).toBe(true);
        }
        const kernels = new Set([ownKernelLabel(file), ...file.also]);
        for (const k of file.disagreements) expect(kernels.has(k), `${file.name}: disagreement "${k}" names a kernel the file does not run`).toBe(true);
        for (const f of file.findings) expect(['stale-pin'], `${file.name}: unknown finding "${f}"`).toContain(f);
      });

      const own = ownKernelLabel(file);
      for (const kernel of [undefined, ...file.also]) {
        const label = kernel ?? own;
        const title = `holds under ${kernelSpec(label)}${kernel === undefined ? ' (its kernel line)' : ''}`;
        const known = file.disagreements.has(label);
        const test = known ? it.fails : it;
        test(`${title}${known ? ' — known simulator disagreement' : ''}`, () => {
          expectRowHolds(file, kernel);
        }, 120_000);
      }
      // it.fails passes on any exception; make sure a known disagreement is about counts, not a broken file.
      for (const label of file.disagreements) {
        it(`parses and runs under ${kernelSpec(label)} (the disagreement is in its expectations)`, () => {
          const parsed = parseScenario(file.text, file.name);
          expect(parsed.ok).toBe(true);
          const outcome = simulate((parsed as Extract<typeof parsed, { ok: true }>).scenario, { file: file.name, kernel: parseKernelSpec(kernelSpec(label)) });
          expect(outcome.ok).toBe(true);
          const run = (outcome as Extract<typeof outcome, { ok: true }>).run;
          expect(run.expectations.some((e) => !e.ok)).toBe(true);
        });
      }
    });
  }
});

describe('scenarios/*.scn and scenarios/builtin/*.scn', () => {
  const tops = [...loadDir(SCENARIOS), ...loadDir(join(SCENARIOS, 'builtin'))];
  it('exist', () => expect(tops.length).toBeGreaterThan(0));
  for (const file of tops) {
    it(`${file.name} holds under its kernel line`, () => {
      expectRowHolds(file, undefined);
    }, 60_000);
  }
});

