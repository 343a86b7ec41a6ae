// The layers depend one way: the scenario language and the store build on the core, never the reverse. The core
// owns the statement types (ast.ts); only its tests may use the parser to read scenario text.
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = join(dir, e.name);
    if (e.isDirectory()) return e.name.startsWith('__') ? [] : sources(p);
    return /\.tsx?$/.test(e.name) && !/\.test\.tsx?$/.test(e.name) ? [p] : [];
  });
}

function importsOf(file: string): string[] {
  return [...readFileSync(file, 'utf8').matchAll(/^\s*(?:import|export)[^'"]*from\s+'([^']+)'/gm)].map((m) => m[1]!);
}

describe('layering', () => {
  const core = sources('src/core');

  it('finds the core sources', () => {
    expect(core.length).toBeGreaterThan(30);
    expect(core).toContain(join('src/core', 'ast.ts'));
  });

  it('src/core imports nothing from the scenario layer, the store or the views', () => {
    const offending = core.flatMap((f) => importsOf(f).filter((i) => /(^|\/)(scenario|store|view)(\/|$)/.test(i)).map((i) => `${f}: ${i}`));
    expect(offending).toEqual([]);
  });

  it('src/core has no import cycle (type imports included): the snapshot and the catalog read RunParts, not the Run', () => {
    const known = new Set(core.map((f) => resolve(f)));
    const deps = new Map(core.map((f) => [resolve(f), importsOf(f).filter((i) => i.startsWith('.')).map((i) => `${resolve(dirname(f), i)}.ts`).filter((d) => known.has(d))]));
    const cycles: string[] = [];
    const state = new Map<string, 'open' | 'done'>();
    const visit = (file: string, path: string[]) => {
      state.set(file, 'open');
      for (const d of deps.get(file) ?? []) {
        if (state.get(d) === 'open') cycles.push([...path.slice(path.indexOf(d)), d].map((p) => p.slice(p.lastIndexOf('/') + 1)).join(' -> '));
        else if (!state.has(d)) visit(d, [...path, d]);
      }
      state.set(file, 'done');
    };
    for (const f of known) if (!state.has(f)) visit(f, [f]);
    expect(cycles).toEqual([]);
  });
});
