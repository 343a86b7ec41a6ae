// The layers depend one way: the scenario language and the store build on the core, never the reverse. The core
// owns the statement types (ast.ts); only its tests may use the parser to read scenario text.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
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
});
