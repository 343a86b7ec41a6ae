// `npm run fuzz`: the fuzzer (src/fuzz/fuzz.ts) over many inputs.
//   npm run fuzz [-- --count N] [--seed S]      (or FUZZ_COUNT / FUZZ_SEED; defaults 100000 and 1)
// Prints a summary as JSON; each failing input is shrunk and saved to src/fuzz/fixtures/ (replayed by
// src/fuzz/fuzz.test.ts). Exit status 1 when an input failed.

import { mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fuzz } from '../src/fuzz/fuzz';

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : process.argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);
}

function shippedScenarios(dir = 'scenarios'): string[] {
  const out: string[] = [];
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) out.push(...shippedScenarios(p));
    else if (e.name.endsWith('.scn')) out.push(readFileSync(p, 'utf8'));
  }
  return out;
}

const count = Number(arg('count') ?? process.env.FUZZ_COUNT ?? 100_000);
const seed = Number(arg('seed') ?? process.env.FUZZ_SEED ?? 1);
const t0 = Date.now();
const report = fuzz({
  seed,
  count,
  shipped: shippedScenarios(),
  onProgress: (n) => process.stderr.write(`\r${n.toLocaleString('en-US')} / ${count.toLocaleString('en-US')} inputs, ${((Date.now() - t0) / 1000).toFixed(0)} s`),
});
process.stderr.write('\n');
const fixtures = 'src/fuzz/fixtures';
mkdirSync(fixtures, { recursive: true });
for (const f of report.failures) {
  const file = join(fixtures, `found-${seed}-${f.index}-${f.property}.scn`);
  writeFileSync(file, `# found by npm run fuzz (seed ${seed}, input ${f.index}, ${f.generator}): ${f.property}: ${f.message.split('\n')[0]}\n${f.shrunk}`);
}
const summary = {
  seed,
  inputs: report.inputs,
  byGenerator: report.byGenerator,
  locatedErrors: report.errored,
  teardownChecked: report.teardownChecked,
  throws: report.failures.filter((f) => f.property === 'throws' || f.property === 'unlocated-error').length,
  overTimeGuard: report.failures.filter((f) => f.property === 'time').length,
  refcountSum: report.failures.filter((f) => f.property === 'refcount-sum').length,
  teardownLeaks: report.failures.filter((f) => f.property === 'teardown-leak').length,
  slowestMs: report.slowestMs,
  wallSeconds: Math.round((Date.now() - t0) / 100) / 10,
  failures: report.failures.map((f) => ({ index: f.index, generator: f.generator, property: f.property, message: f.message, shrunk: f.shrunk })),
};
console.log(JSON.stringify(summary, null, 2));
process.exitCode = report.failures.length > 0 ? 1 : 0;
