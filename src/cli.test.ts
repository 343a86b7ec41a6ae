// The command line (scripts/sim.ts), run as a child process: a --kernel typo is reported at its column.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..');
const sim = (...args: string[]) => spawnSync(join(root, 'node_modules/.bin/tsx'), [join(root, 'scripts/sim.ts'), ...args], { cwd: root, encoding: 'utf8' });

describe('npm run sim -- FILE --kernel SPEC', () => {
  it('reports a --kernel typo at the column of the word, with a suggestion, and exits 2', () => {
    const r = sim('scenarios/builtin/01-dio-write-zero-page.scn', '--kernel', 'v6.12 zero-pn=skip dio=pni');
    expect(r.status).toBe(2);
    expect(r.stderr.trim().split('\n')).toEqual([
      '--kernel:1:7: unknown toggle "zero-pn" (did you mean "zero-pin"?)',
      '--kernel:1:24: toggle dio takes get | pin, not "pni" (did you mean "pin"?)',
    ]);
  });
});
