// What it costs to move a finished run from the simulation worker to the page: `npm run -s bench:transfer`.
// The 100,000-event bench run (bench/scenarios.ts) is packed (worker side), posted through a MessageChannel
// with its buffers transferred (the structured clone a worker's postMessage does), and rebuilt (page side);
// beside it, what structured clone of the run's objects as they are would cost. Prints one JSON object.

import { MessageChannel } from 'node:worker_threads';
import { parseScenario } from '../src/scenario';
import { packRun, packedTransferables, simulate, unpackRun, type PackedRun, type Run } from '../src/core';
import { busyScenario } from './scenarios';

function runOf(text: string): Run {
  const parsed = parseScenario(text, 'bench.scn');
  if (!parsed.ok) throw new Error(`bench scenario does not parse: ${JSON.stringify(parsed.errors[0])}`);
  // No time budget: a loaded machine must not cut the benchmark run short.
  const out = simulate(parsed.scenario, { maxMillis: Number.POSITIVE_INFINITY });
  if (!out.ok) throw new Error(`bench scenario stopped at ${out.error.line}:${out.error.col}: ${out.error.message}`);
  return out.run;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const round = (x: number) => Math.round(x * 10) / 10;

function post(packed: PackedRun): Promise<PackedRun> {
  const { port1, port2 } = new MessageChannel();
  return new Promise((resolve) => {
    port2.once('message', (m: PackedRun) => {
      port1.close();
      port2.close();
      resolve(m);
    });
    port1.postMessage(packed, packedTransferables(packed));
  });
}

const run = runOf(busyScenario(2222));
const SAMPLES = 5;
const samples: { packMs: number; postMs: number; unpackMs: number; firstSnapshotMs: number }[] = [];
let bytes = { tags: 0, values: 0, strings: 0, stringTable: 0 };
for (let i = 0; i < SAMPLES + 1; i++) {
  const t0 = performance.now();
  const packed = packRun(run);
  const t1 = performance.now();
  bytes = { tags: packed.tags.byteLength, values: packed.values.byteLength, strings: packed.strings.length * 2, stringTable: packed.stringEnds.byteLength };
  const received = await post(packed);
  const t2 = performance.now();
  const rebuilt = unpackRun(received);
  const t3 = performance.now();
  rebuilt.snapshot(Math.floor(rebuilt.lastStep / 2));
  const t4 = performance.now();
  if (rebuilt.lastStep !== run.lastStep) throw new Error('the rebuilt run has another length');
  // The first round warms the code up.
  if (i > 0) samples.push({ packMs: t1 - t0, postMs: t2 - t1, unpackMs: t3 - t2, firstSnapshotMs: t4 - t3 });
}

// The alternative: structured clone of the objects themselves (the journal's "absent" marker is a symbol,
// which cannot be cloned: it is swapped for a string first, outside the timing).
const parts = run.partsAtEnd();
const patches = parts.journal.patches();
const swap = (xs: readonly unknown[]) => xs.map((x) => (typeof x === 'symbol' ? '\u0000absent' : x));
const graph = { state: parts.state, targets: patches.targets, keys: patches.keys, befores: swap(patches.befores), afters: swap(patches.afters), events: parts.events, findings: parts.findings };
const cloneMs: number[] = [];
for (let i = 0; i < SAMPLES + 1; i++) {
  const t0 = performance.now();
  structuredClone(graph);
  if (i > 0) cloneMs.push(performance.now() - t0);
}

const pick = (k: keyof (typeof samples)[number]) => round(median(samples.map((s) => s[k])));
const total = samples.map((s) => s.packMs + s.postMs + s.unpackMs);
console.log(
  JSON.stringify(
    {
      events: run.lastStep,
      journalPatches: patches.targets.length,
      packedBytes: { ...bytes, total: bytes.tags + bytes.values + bytes.strings + bytes.stringTable },
      medianMs: { pack: pick('packMs'), post: pick('postMs'), unpack: pick('unpackMs'), total: round(median(total)), firstSnapshotAfterUnpack: pick('firstSnapshotMs') },
      structuredCloneOfObjectsMs: round(median(cloneMs)),
      samples: SAMPLES,
      node: process.version,
      date: new Date().toISOString(),
    },
    null,
    2,
  ),
);
