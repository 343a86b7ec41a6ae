// Views see only immutable data: no file in src/view (tests aside) imports from src/core anything but types and
// the pure functions and constants listed here, and none gets hold of the simulator's `Run` (or a way to make
// one) from anywhere. The store hands views a RunView (src/store/runView.ts) instead.
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

/** Values a view may take from the core: constants and pure functions of holder keys, addresses and kernels. */
const CORE_VALUES_FOR_VIEWS = new Set([
  // constants
  'GUP_PIN_COUNTING_BIAS',
  'HOLDER_KINDS',
  'HOLDER_KIND_LABELS',
  'PAGE_SIZE',
  'PMD_SIZE',
  'PRESETS',
  'TOGGLES',
  'VIEW_NAMES',
  'VIOLATION_KINDS',
  // pure functions
  'describeHolder',
  'elixirLink',
  'holder',
  'holderClass',
  'kindsOfClass',
  'leakOwner',
  'parseKernelSpec',
  'resolveKernel',
  'shortHolderLabel',
  'walkIndices',
]);

/** Names no view may import from anywhere: the live run, its parts, and what makes or rebuilds one. */
const FORBIDDEN_NAMES = new Set(['Run', 'RunParts', 'RunResult', 'runSource', 'simulate', 'packRun', 'unpackRun', 'RunUnpacker', 'viewOfRun']);

const CORE = resolve('src/core');

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = join(dir, e.name);
    if (e.isDirectory()) return e.name.startsWith('__') ? [] : sources(p);
    return /\.tsx?$/.test(e.name) && !/\.test\.tsx?$/.test(e.name) ? [p] : [];
  });
}

interface ImportClause {
  from: string;
  typeOnly: boolean;
  /** Imported names (as exported, before `as`), each with whether it is marked `type`. */
  names: { name: string; type: boolean }[];
  /** `import * as x` or `import x`: everything (or the default) at once. */
  whole: boolean;
}

/** The import and re-export clauses of a source text (multi-line ones included) and its dynamic imports. */
function importClauses(text: string): ImportClause[] {
  const out: ImportClause[] = [];
  for (const m of text.matchAll(/^\s*(import|export)\s+(type\s+)?([^;'"]*?)\s*from\s*'([^']+)'/gms)) {
    const typeOnly = m[2] !== undefined;
    const clause = m[3]!;
    const braces = /\{([^}]*)\}/s.exec(clause);
    const names = (braces?.[1] ?? '')
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean)
      .map((s) => {
        const type = /^type\s+/.test(s);
        return { name: s.replace(/^type\s+/, '').split(/\s+as\s+/)[0]!.trim(), type };
      });
    const outside = clause.replace(/\{[^}]*\}/s, '').replace(/,/g, ' ').trim();
    out.push({ from: m[4]!, typeOnly, names, whole: outside.length > 0 });
  }
  for (const m of text.matchAll(/\bimport\(\s*'([^']+)'\s*\)/g)) out.push({ from: m[1]!, typeOnly: false, names: [], whole: true });
  return out;
}

/** What is wrong with a view file's imports (empty when nothing is). */
function layeringProblems(file: string, text: string): string[] {
  const problems: string[] = [];
  for (const c of importClauses(text)) {
    for (const n of c.names) if (FORBIDDEN_NAMES.has(n.name)) problems.push(`${file}: imports ${n.name} from ${c.from}`);
    const target = c.from.startsWith('.') ? resolve(dirname(file), c.from) : c.from;
    const intoCore = target === CORE || target.startsWith(`${CORE}/`);
    if (!intoCore || c.typeOnly) continue;
    if (c.whole) problems.push(`${file}: imports all of ${c.from}`);
    for (const n of c.names) if (!n.type && !CORE_VALUES_FOR_VIEWS.has(n.name)) problems.push(`${file}: imports the value ${n.name} from ${c.from}`);
  }
  return problems;
}

describe('views see only immutable data', () => {
  const files = sources('src/view');

  it('finds the view sources', () => {
    expect(files.length).toBeGreaterThan(40);
    expect(files).toContain(join('src/view', 'App.tsx'));
  });

  it('no view imports the Run, or anything but types and the allowed pure values from src/core', () => {
    const problems = files.flatMap((f) => layeringProblems(f, readFileSync(f, 'utf8')));
    expect(problems).toEqual([]);
  });

  it('the check catches what it forbids', () => {
    const file = join('src/view', 'x', 'Bad.tsx');
    const bad = [
      "import { simulate, holder, type Snapshot } from '../../core';",
      "import type { Run } from '../../core';",
      "import {\n  walkIndices,\n  buildSnapshot,\n} from '../../core/snapshot';",
      "import * as core from '../../core';",
      "import { runSource } from '../../store/explorer';",
      "const lazy = () => import('../../core/run');",
    ].join('\n');
    const problems = layeringProblems(file, bad).map((p) => relative('src/view', p.split(':')[0]!) + p.slice(p.indexOf(':')));
    expect(problems).toEqual([
      'x/Bad.tsx: imports simulate from ../../core',
      'x/Bad.tsx: imports the value simulate from ../../core',
      'x/Bad.tsx: imports Run from ../../core',
      'x/Bad.tsx: imports the value buildSnapshot from ../../core/snapshot',
      'x/Bad.tsx: imports all of ../../core',
      'x/Bad.tsx: imports runSource from ../../store/explorer',
      'x/Bad.tsx: imports all of ../../core/run',
    ]);
    // Types and the allowed values pass.
    expect(layeringProblems(file, "import { holder, type Snapshot } from '../../core';\nimport type { Catalog } from '../../core';")).toEqual([]);
  });
});
