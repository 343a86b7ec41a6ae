// Reads test-results/{steps.txt,vitest.json,playwright.json} written by scripts/test-all.sh, prints one line
// per step, then `N passed, N failed, N skipped` as the very last line, and exits 1 if anything failed.
//
// Counting: every Vitest test and every Playwright test counts once. A failed typecheck, lint or build counts
// as 1 failed. Each Vitest test file that failed without a failed test (it did not load, or threw at top
// level) counts as 1 failed. A runner that exited non-zero with nothing failed in its report (a crash, a web
// server that did not start) or left no report counts as 1 failed. Browser tests skipped because the build
// failed count as 1 failed.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const dir = process.argv[2] ?? 'test-results';

/** @returns {any} */
function readJson(file) {
  const path = join(dir, file);
  if (!existsSync(path)) return undefined;
  try {
    return JSON.parse(readFileSync(path, 'utf8'));
  } catch (err) {
    console.log(`summary: cannot parse ${path}: ${err instanceof Error ? err.message : String(err)}`);
    return undefined;
  }
}

/** @type {Map<string, string>} step name -> exit code, or 'skipped' */
const steps = new Map();
const stepsPath = join(dir, 'steps.txt');
if (existsSync(stepsPath)) {
  for (const line of readFileSync(stepsPath, 'utf8').split('\n')) {
    const [name, rc] = line.trim().split(/\s+/);
    if (name && rc) steps.set(name, rc);
  }
}

let passed = 0;
let failed = 0;
let skipped = 0;
const lines = [];

for (const name of ['typecheck', 'lint', 'build', 'budget']) {
  const rc = steps.get(name);
  if (rc === undefined) {
    lines.push(`${name}: did not run`);
    failed += 1;
  } else if (rc === '0') {
    lines.push(`${name}: ok`);
  } else {
    lines.push(`${name}: FAILED (exit ${rc})`);
    failed += 1;
  }
}

// Vitest: numPassedTests / numFailedTests / numPendingTests / numTodoTests, numFailedTestSuites.
{
  const rc = steps.get('unit');
  const v = readJson('vitest.json');
  if (v) {
    const p = v.numPassedTests ?? 0;
    const f = v.numFailedTests ?? 0;
    const s = (v.numPendingTests ?? 0) + (v.numTodoTests ?? 0);
    // Test files that failed without a failed test (an import or syntax error, a throw at top level).
    const results = Array.isArray(v.testResults) ? v.testResults : [];
    let extra = results.filter(
      (r) =>
        r?.status === 'failed' &&
        !(Array.isArray(r.assertionResults) && r.assertionResults.some((a) => a?.status === 'failed')),
    ).length;
    if (rc !== '0' && f === 0 && extra === 0) extra = 1;
    passed += p;
    failed += f + extra;
    skipped += s;
    lines.push(
      `unit (vitest): ${p} passed, ${f} failed, ${s} skipped` +
        (extra ? ` (+${extra} failed: test files that did not run, or runner exit ${rc})` : ''),
    );
  } else {
    failed += 1;
    lines.push(`unit (vitest): no report (exit ${rc ?? 'n/a'}), counted as 1 failed`);
  }
}

// Playwright: stats.expected / unexpected / flaky / skipped.
{
  const rc = steps.get('e2e');
  if (rc === 'skipped') {
    failed += 1;
    lines.push('e2e (playwright): skipped because the build failed, counted as 1 failed');
  } else {
    const pw = readJson('playwright.json');
    if (pw?.stats) {
      const p = (pw.stats.expected ?? 0) + (pw.stats.flaky ?? 0);
      const f = pw.stats.unexpected ?? 0;
      const s = pw.stats.skipped ?? 0;
      const errors = Array.isArray(pw.errors) ? pw.errors.length : 0;
      const extra = rc !== '0' && f === 0 ? 1 : 0;
      passed += p;
      failed += f + extra;
      skipped += s;
      lines.push(
        `e2e (playwright): ${p} passed, ${f} failed, ${s} skipped` +
          (pw.stats.flaky ? ` (${pw.stats.flaky} flaky)` : '') +
          (extra ? ` (+1 failed: runner exit ${rc}${errors ? `, ${errors} errors` : ''})` : ''),
      );
    } else {
      failed += 1;
      lines.push(`e2e (playwright): no report (exit ${rc ?? 'n/a'}), counted as 1 failed`);
    }
  }
}

console.log('--- summary ---');
for (const line of lines) console.log(line);
console.log(`${passed} passed, ${failed} failed, ${skipped} skipped`);
process.exitCode = failed > 0 ? 1 : 0;
