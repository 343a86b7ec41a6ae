// pinscope's command line: run a scenario headless.
//   npm run -s sim -- FILE [--kernel "PRESET [TOGGLE=VALUE ...]"] [--json]
// Exit status: 0 when every expectation holds, 1 when one fails, 2 when the scenario cannot be parsed or run.

import { readFileSync } from 'node:fs';
import { formatError, parseScenario } from '../src/scenario';
import { checkKernelSpec, errnoName, formatKernelSpecError, formatTrace, simulate, type KernelConfig, type Run, type Snapshot } from '../src/core';

interface Args {
  file?: string;
  kernel?: string;
  json: boolean;
  trace: boolean;
}

function parseArgs(argv: string[]): Args | string {
  const args: Args = { json: false, trace: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--json') args.json = true;
    else if (a === '--trace') args.trace = true;
    else if (a === '--kernel') {
      const v = argv[++i];
      if (v === undefined) return '--kernel needs a value, e.g. --kernel "v6.1 zero-pin=skip"';
      args.kernel = v;
    } else if (a.startsWith('--kernel=')) args.kernel = a.slice('--kernel='.length);
    else if (a === '--help' || a === '-h') return 'help';
    else if (a.startsWith('-')) return `unknown option ${a}`;
    else if (args.file === undefined) args.file = a;
    else return `unexpected argument ${a}`;
  }
  if (args.file === undefined) return 'no scenario file given';
  return args;
}

const USAGE = 'usage: npm run -s sim -- FILE [--kernel "PRESET [TOGGLE=VALUE ...]"] [--json] [--trace]';

function main(): number {
  const args = parseArgs(process.argv.slice(2));
  if (typeof args === 'string') {
    if (args === 'help') {
      console.log(USAGE);
      return 0;
    }
    console.error(`pinscope: ${args}\n${USAGE}`);
    return 2;
  }
  const file = args.file!;
  let kernel: KernelConfig | undefined;
  if (args.kernel !== undefined) {
    const check = checkKernelSpec(args.kernel);
    if (!check.ok) {
      for (const e of check.errors) console.error(formatKernelSpecError(e));
      return 2;
    }
    kernel = check.config;
  }
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    console.error(`${file}: cannot read: ${(e as Error).message}`);
    return 2;
  }
  const parsed = parseScenario(text, file);
  if (!parsed.ok) {
    for (const e of parsed.errors) console.error(formatError(e));
    return 2;
  }
  const outcome = simulate(parsed.scenario, { file, ...(kernel !== undefined ? { kernel } : {}) });
  if (!outcome.ok) {
    console.error(formatError(outcome.error));
    return 2;
  }
  const run = outcome.run;
  const snap = run.snapshot(run.lastStep);
  const failed = run.expectations.filter((e) => !e.ok);
  if (args.trace) console.log(formatTrace(run));
  if (args.json) console.log(JSON.stringify(toJson(run, snap), null, 2));
  else printSummary(run, snap);
  return failed.length > 0 ? 1 : 0;
}

function toJson(run: Run, snap: Snapshot): unknown {
  return {
    title: run.title,
    kernel: run.kernel.label,
    policy: run.kernel.policy,
    steps: run.lastStep,
    expectations: run.expectations.map((e) => ({ line: e.line, text: e.text, ok: e.ok, actual: e.actual, checks: e.checks, failures: e.failures })),
    violations: run.findings.filter((f) => f.kind !== 'expect' && f.kind !== 'stale-pin' && f.kind !== 'leak').map((f) => ({ step: f.step, kind: f.kind, message: f.message, line: f.line, count: f.count, firstStep: f.step, lastStep: f.lastStep ?? f.step })),
    findings: run.findings.map((f) => ({ step: f.step, kind: f.kind, message: f.message, line: f.line, count: f.count, firstStep: f.step, lastStep: f.lastStep ?? f.step })),
    leaks: snap.leaks,
    chapters: run.chapters,
    folios: snap.folios.map((f) => ({
      id: f.id,
      kind: f.kind,
      order: f.order,
      refcount: f.refcount,
      mapcount: f.mapcount,
      pincount: f.pincount,
      pinned: f.pinned,
      holders: f.holders.map((h) => ({ holder: h.key, refs: h.refs, pins: h.pins })),
    })),
    handles: snap.handles.map((h) => ({ name: h.display, kind: h.kind, result: h.result < 0 ? errnoName(h.result) : h.result, pages: h.pages, released: h.released })),
    bios: snap.bios.map((b) => ({ name: b.name, state: b.state, pinned: b.pinned, bvecs: b.bvecs.length, bytes: b.bytes })),
  };
}

function printSummary(run: Run, snap: Snapshot): void {
  const out: string[] = [];
  out.push(`${run.title || '(untitled scenario)'} — kernel ${run.kernel.label}, ${run.lastStep.toLocaleString('en-US')} steps`);
  out.push('');
  out.push('Folios at the end:');
  for (const f of snap.folios) {
    const name = f.kind === 'zero' ? 'zero page' : f.kind === 'hugezero' ? 'huge zero folio' : `F${f.id} (${f.kind}${f.order ? `, order ${f.order}` : ''})`;
    out.push(`  ${name.padEnd(26)} refcount ${String(f.refcount).padStart(11)}  mapcount ${String(f.mapcount).padStart(3)}  pincount ${String(f.pincount).padStart(3)}${f.pinned ? '  maybe-pinned' : ''}`);
  }
  if (run.expectations.length) {
    out.push('');
    out.push('Expectations:');
    for (const e of run.expectations) out.push(`  ${e.ok ? 'ok  ' : 'FAIL'} line ${e.line}: ${e.text}${e.ok ? '' : `   (actual ${e.actual})`}`);
  }
  const findings = run.findings.filter((f) => f.kind !== 'expect');
  if (findings.length) {
    out.push('');
    out.push('Findings:');
    for (const f of findings) out.push(`  step ${f.step} (line ${f.line}) ${f.kind}: ${f.message}${f.count > 1 ? ` (×${f.count.toLocaleString('en-US')}, steps ${f.step}–${f.lastStep ?? f.step})` : ''}`);
  }
  out.push('');
  const failed = run.expectations.filter((e) => !e.ok).length;
  out.push(`${run.expectations.length - failed} of ${run.expectations.length} expectations hold; ${snap.violations} violation(s); ${snap.leaks} leaked reference(s).`);
  console.log(out.join('\n'));
}

// `npm run -s sim -- x.scn --trace | head` must not die with EPIPE.
process.stdout.on('error', (e: NodeJS.ErrnoException) => {
  if (e.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  throw e;
});

process.exitCode = main();
