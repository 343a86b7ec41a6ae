// npm run test:kernels: runs pinscope's scenarios on three real Debian kernels under qemu and compares every
// measured count with what the simulator says for the matching preset.
//   1. fetch.sh downloads (and caches) the kernels and tools with apt;
//   2. translate.ts turns each scenario into a C program (gcc -O2 -static);
//   3. boot.sh boots each kernel once (one at a time, with a timeout) and runs every program;
//   4. the table: scenario x kernel, agree / disagree (first differing value) / not runnable.
// Known model bugs being fixed elsewhere are listed in expected-disagreements.txt: reported, not failing.
// Last line: `N passed, N failed, N skipped` (one count per scenario and kernel). Exit 1 when anything failed.
// Environment: PINSCOPE_KERNELS="5.10 6.12" runs a subset; PINSCOPE_KERNEL_TIMEOUT (seconds per boot, 400).
// Options (for iterating): --only TEXT (scenarios whose path contains TEXT; repeatable), --kernel NAME (repeatable).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseScenario } from '../../src/scenario';
import { parseKernelSpec, simulate } from '../../src/core';
import { translate, type Plan } from './translate';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..', '..');
const cache = process.env.PINSCOPE_KERNEL_CACHE ?? join(root, '.cache', 'kernels');
const KERNELS: { name: string; preset: string }[] = [
  { name: '5.10', preset: 'v5.10 fork-pinned-file=share' },
  { name: '6.1', preset: 'v6.1 zero-pin=skip' },
  { name: '6.12', preset: 'v6.12' },
];
function argValues(flag: string): string[] {
  const out: string[] = [];
  const a = process.argv.slice(2);
  for (let i = 0; i < a.length; i++) {
    if (a[i] === flag && a[i + 1] !== undefined) out.push(a[++i]!);
    else if (a[i]!.startsWith(`${flag}=`)) out.push(a[i]!.slice(flag.length + 1));
  }
  return out;
}
const onlyFiles = argValues('--only');
const argKernels = argValues('--kernel');
const only = argKernels.length ? argKernels : process.env.PINSCOPE_KERNELS?.split(/[\s,]+/).filter(Boolean);
const kernels = only ? KERNELS.filter((k) => only.includes(k.name)) : KERNELS;
const timeout = Number(process.env.PINSCOPE_KERNEL_TIMEOUT ?? 400);

type Cell =
  | { status: 'agree'; measured: number; total: number }
  | { status: 'disagree'; known?: string; detail: string }
  | { status: 'not-runnable'; reason: string }
  | { status: 'error'; detail: string };

function summaryLine(passed: number, failed: number, skipped: number): void {
  console.log(`${passed} passed, ${failed} failed, ${skipped} skipped`);
}

function scenarioFiles(): string[] {
  const out: string[] = [];
  for (const dir of ['scenarios/library', 'scenarios/rows', 'scenarios/real']) {
    const d = join(root, dir);
    if (!existsSync(d)) continue;
    for (const f of readdirSync(d).sort()) if (f.endsWith('.scn') && (!onlyFiles.length || onlyFiles.some((o) => join(dir, f).includes(o)))) out.push(join(dir, f));
  }
  return out;
}

function loadKnown(): Map<string, string> {
  const known = new Map<string, string>();
  const f = join(here, 'expected-disagreements.txt');
  if (!existsSync(f)) return known;
  for (const raw of readFileSync(f, 'utf8').split('\n')) {
    const line = raw.replace(/#.*/, '').trim();
    if (!line) continue;
    const [scn, kernel, lineNo, ...reason] = line.split(/\s+/);
    known.set(`${scn} ${kernel} ${lineNo}`, reason.join(' '));
  }
  return known;
}

/** Simulated value per expect line for this kernel (only the expectations that apply to it). */
function simulated(text: string, file: string, preset: string): Map<number, string> | string {
  const parsed = parseScenario(text, file);
  if (!parsed.ok) return `does not parse: ${parsed.errors[0]?.message}`;
  const outcome = simulate(parsed.scenario, { file, kernel: parseKernelSpec(preset) });
  if (!outcome.ok) return `simulator error: ${outcome.error.message}`;
  const m = new Map<number, string>();
  for (const e of outcome.run.expectations) m.set(e.line, String(e.actual));
  return m;
}

interface Program { file: string; id: string; text: string; plans: Map<number, Plan>; stopped?: string; built: boolean; buildError?: string }

function buildPrograms(files: string[], progDir: string): Program[] {
  rmSync(progDir, { recursive: true, force: true });
  mkdirSync(progDir, { recursive: true });
  const progs: Program[] = [];
  for (const file of files) {
    const text = readFileSync(join(root, file), 'utf8');
    const id = file.replace(/^scenarios\//, '').replace(/\.scn$/, '').replace(/[^A-Za-z0-9.-]+/g, '_');
    const t = translate(text, file);
    const p: Program = { file, id, text, plans: t.plans, built: false, ...(t.stoppedAt ? { stopped: t.stoppedAt.reason } : {}) };
    if (t.c) {
      const src = join(progDir, `${id}.c`);
      writeFileSync(src, t.c);
      const r = spawnSync('gcc', ['-O2', '-static', '-w', '-I', here, '-o', join(progDir, `${id}.bin`), src, '-lpthread'], { encoding: 'utf8' });
      if (r.status === 0) p.built = true;
      else p.buildError = (r.stderr || r.stdout || 'gcc failed').split('\n').find((l) => l.includes('error')) ?? 'gcc failed';
    }
    progs.push(p);
  }
  return progs;
}

/** Program output per program id: line -> measured value, line -> reason it was not measured, plus status. */
interface Output { m: Map<number, string>; x: Map<number, string>; errors: string[]; ended: boolean; info: string[] }
function parseLog(log: string): Map<string, Output> {
  const outs = new Map<string, Output>();
  let cur: Output | undefined;
  for (const raw of log.split(/\r?\n/)) {
    const line = raw.replace(/^.*?(@@)/, '@@');
    if (!line.startsWith('@@')) continue;
    const [tag, a, b, ...rest] = line.split(' ');
    if (tag === '@@BEGIN' && a) { cur = { m: new Map(), x: new Map(), errors: [], ended: false, info: [] }; outs.set(a, cur); }
    else if (tag === '@@END' && cur) { cur.ended = true; if (b !== '0') cur.errors.push(`exit status ${b}`); cur = undefined; }
    else if (tag === '@@M' && cur && a) cur.m.set(Number(a), rest.join(' '));
    else if (tag === '@@X' && cur && a) cur.x.set(Number(a), [b, ...rest].join(' '));
    else if (tag === '@@E' && cur) cur.errors.push([a, b, ...rest].join(' '));
    else if (tag === '@@I' && cur) cur.info.push([a, b, ...rest].join(' '));
  }
  return outs;
}

/** Entries of expected-disagreements.txt that some run actually showed. */
const usedKnown = new Set<string>();

function compare(p: Program, kernelName: string, sim: Map<number, string> | string, out: Output | undefined, known: Map<string, string>): Cell {
  if (typeof sim === 'string') return { status: 'error', detail: sim };
  const applicable = [...sim.keys()].filter((l) => p.plans.get(l)?.status === 'measure');
  if (!p.built) {
    const first = [...p.plans.values()].find((x) => x.status === 'not-runnable');
    const reason = p.buildError ? `does not compile: ${p.buildError}` : p.stopped ?? (first?.status === 'not-runnable' ? first.reason : 'no expectation can be measured');
    return { status: 'not-runnable', reason };
  }
  if (applicable.length === 0) return { status: 'not-runnable', reason: p.stopped ?? 'no expectation for this kernel can be measured' };
  if (!out) return { status: 'error', detail: 'the program did not run (boot failed or timed out)' };
  // A program that crashed, stopped early or could not read a count is a failure, not a skip.
  if (out.errors.length) return { status: 'error', detail: `the program failed: ${out.errors[0]}` };
  if (!out.ended) return { status: 'error', detail: 'the program did not finish (the boot timed out)' };
  const stoppedEarly = out.info.find((i) => i.startsWith('stopped at statement') || i.startsWith('every task exited'));
  if (stoppedEarly) return { status: 'error', detail: `the program ${stoppedEarly}` };
  let measured = 0;
  const notMeasured: string[] = [];
  const unknownDis: string[] = [];
  const knownDis: string[] = [];
  for (const line of applicable.sort((a, b) => a - b)) {
    const real = out.m.get(line);
    if (real === undefined) {
      const why = out.x.get(line) ?? (out.ended ? 'not reached' : 'the program stopped before it');
      notMeasured.push(`line ${line}: ${why}`);
      continue;
    }
    measured++;
    const simV = sim.get(line)!;
    if (real !== simV) {
      const detail = `line ${line} \`${p.plans.get(line)!.text}\`: real ${real}, simulated ${simV}`;
      const k1 = `${basename(p.file)} ${kernelName} ${line}`, k2 = `${basename(p.file)} * ${line}`;
      const reason = known.get(k1) ?? known.get(k2);
      if (reason) usedKnown.add(known.has(k1) ? k1 : k2);
      if (reason) knownDis.push(`${detail} (known: ${reason})`);
      else unknownDis.push(detail);
    }
  }
  if (unknownDis.length) return { status: 'disagree', detail: unknownDis[0]! + (unknownDis.length > 1 ? `; also ${unknownDis.slice(1).map((d) => d.replace(/ `.*`:/, ':')).join('; ')}` : '') };
  if (knownDis.length) return { status: 'disagree', known: knownDis[0]!, detail: knownDis[0]! + (knownDis.length > 1 ? ` (+${knownDis.length - 1} more)` : '') };
  if (measured === 0) return { status: 'not-runnable', reason: notMeasured[0] ?? 'nothing measured' };
  return { status: 'agree', measured, total: applicable.length };
}

function main(): number {
  const t0 = Date.now();
  console.log('test:kernels: pinscope scenarios on real Debian kernels (qemu TCG, one kernel at a time)');
  // 1. kernels and tools
  const fetch = spawnSync('bash', [join(here, 'fetch.sh')], { encoding: 'utf8', env: { ...process.env, PINSCOPE_KERNEL_CACHE: cache } });
  process.stderr.write(fetch.stderr ?? '');
  const dirs = new Map<string, string>();
  for (const line of (fetch.stdout ?? '').split('\n')) {
    const [name, dir] = line.split('\t');
    if (name && dir) dirs.set(name, dir);
  }
  const files = scenarioFiles();
  const known = loadKnown();
  if (!existsSync('/usr/bin/qemu-system-x86_64') && spawnSync('sh', ['-c', 'command -v qemu-system-x86_64']).status !== 0) {
    console.log('test:kernels: qemu-system-x86_64 is not available (apt-get install qemu-system-x86); every case skipped');
    summaryLine(0, 0, files.length * kernels.length);
    return 0;
  }
  // 2. programs
  const progDir = join(cache, 'programs');
  const progs = buildPrograms(files, progDir);
  const runnable = progs.filter((p) => p.built).length;
  console.log(`translated ${files.length} scenarios: ${runnable} programs, ${files.length - runnable} with nothing runnable`);
  // 3. boots
  const results = new Map<string, Map<string, Cell>>();
  const times: string[] = [];
  for (const k of kernels) {
    const cells = new Map<string, Cell>();
    results.set(k.name, cells);
    const dir = dirs.get(k.name);
    let outs: Map<string, Output> | undefined;
    let bootNote = '';
    if (!dir) bootNote = `kernel ${k.name} could not be downloaded`;
    else {
      const log = join(cache, `boot-${k.name}.log`);
      const b0 = Date.now();
      const r = spawnSync('bash', [join(here, 'boot.sh'), dir, progDir, log, String(timeout)], { encoding: 'utf8' });
      const secs = ((Date.now() - b0) / 1000).toFixed(0);
      const text = existsSync(log) ? readFileSync(log, 'utf8') : '';
      if (r.status !== 0) bootNote = `boot.sh failed: ${(r.stderr || '').trim().split('\n').pop()}`;
      else if (!text.includes('@@READY')) bootNote = `kernel ${k.name} did not boot (see ${log})`;
      else {
        outs = parseLog(text);
        if (!text.includes('@@DONE')) bootNote = `kernel ${k.name}: the run did not finish within ${timeout} s`;
      }
      times.push(`${k.name} ${secs} s`);
    }
    for (const p of progs) {
      const sim = simulated(p.text, p.file, k.preset);
      if (!dir) { cells.set(p.file, { status: 'not-runnable', reason: bootNote }); continue; }
      cells.set(p.file, compare(p, k.name, sim, outs?.get(p.id), known));
    }
    if (bootNote) console.log(`test:kernels: ${bootNote}`);
  }
  // 4. the table
  let passed = 0, failed = 0, skipped = 0;
  const short = (c: Cell) => c.status === 'agree' ? `agree ${c.measured}/${c.total}` : c.status === 'disagree' ? (c.known ? 'known-disagree' : 'DISAGREE') : c.status === 'error' ? 'ERROR' : 'not runnable';
  const w = Math.max(...files.map((f) => f.length)) + 2;
  console.log('');
  console.log('scenario'.padEnd(w) + kernels.map((k) => k.name.padEnd(16)).join(''));
  const details: string[] = [];
  for (const p of progs) {
    const row = kernels.map((k) => results.get(k.name)!.get(p.file)!);
    console.log(p.file.padEnd(w) + row.map((c) => short(c).padEnd(16)).join(''));
    row.forEach((c, i) => {
      const kn = kernels[i]!.name;
      if (c.status === 'agree') passed++;
      else if (c.status === 'disagree' && c.known) { skipped++; details.push(`  known   ${p.file} on ${kn}: ${c.detail}`); }
      else if (c.status === 'disagree' || c.status === 'error') { failed++; details.push(`  FAILED  ${p.file} on ${kn}: ${c.detail}`); }
      else { skipped++; if (i === 0 || c.reason !== (row[0] as { reason?: string }).reason) details.push(`  skipped ${p.file} on ${kernels.slice(i).map((x) => x.name).join('/')}: ${c.reason}`); }
    });
  }
  console.log('');
  console.log('details (first differing value, or why not runnable):');
  for (const d of details) console.log(d);
  // Listed disagreements that no kernel showed any more: the list should be trimmed.
  const stale = [...known.keys()].filter((k) => !usedKnown.has(k) && files.some((f) => basename(f) === k.split(' ')[0]) && (!k.split(' ')[1] || k.split(' ')[1] === '*' || kernels.some((x) => x.name === k.split(' ')[1])));
  if (stale.length) console.log(`expected-disagreements.txt: no longer seen (remove them): ${stale.join(', ')}`);
  console.log('');
  console.log(`boot and run: ${times.join(', ')}; total ${((Date.now() - t0) / 1000).toFixed(0)} s`);
  summaryLine(passed, failed, skipped);
  return failed > 0 ? 1 : 0;
}

process.exitCode = main();
