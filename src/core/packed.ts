// A finished run as a few flat arrays, to move it between threads (a Web Worker simulates, the page steps).
//
// A run is its live state (plain objects, Maps and Int32Arrays: src/core/state.ts), the journal's patches,
// which point into that state and at values that left it, and what it reported (events, findings, ...). The
// patches only work if they point at the very objects of the rebuilt state, so the packing keeps the object
// graph: every object is written once, after the objects it holds, and referred to by its number.
//
// The packed form is two typed arrays of value slots (a tag byte and a float64 each) and the distinct strings
// concatenated into one string. Typed arrays are transferred without a copy, one string is copied in one
// piece, and structured clone's per-object cost on the receiving thread is replaced by one linear pass.

import { ABSENT, Journal } from './journal';
import { Run, type RunParts } from './run';
import type { Chapter, ExpectationResult, Finding, ShownViews, SimEvent } from './events';
import type { ResolvedKernel } from './policy';
import type { SimState } from './state';

export interface PackedRun {
  readonly format: typeof FORMAT;
  /** One tag per slot: a value's kind, or the start of an object (then `values` holds its length). */
  readonly tags: Uint8Array;
  readonly values: Float64Array;
  /** Every distinct string, concatenated; `stringEnds[i]` is where string i ends. */
  readonly strings: string;
  readonly stringEnds: Uint32Array;
}

const FORMAT = 1;

// Value slots.
const UNDEFINED = 0;
const NULL = 1;
const FALSE = 2;
const TRUE = 3;
const NUMBER = 4;
const STRING = 5;
const OBJECT = 6;
const JOURNAL_ABSENT = 7;
// Object headers: the slot's value is the object's length (entries for a Map, keys for a record).
const ARRAY = 10;
const MAP = 11;
const RECORD = 12;
const INT32_ARRAY = 13;

/** The separator of a record's key names in its shape string (no property name of the state contains it). */
const KEY_SEPARATOR = '\u0000';

class Packer {
  tags = new Uint8Array(1 << 12);
  values = new Float64Array(1 << 12);
  length = 0;
  /** Each object's number: the order it was written in (copies written as another share its number). */
  private readonly objectIds = new Map<object, number>();
  private written = 0;
  private readonly inProgress = new Set<object>();
  private readonly stringIds = new Map<string, number>();
  readonly stringList: string[] = [];

  /** Write `copy` as `original`, which must have been written: an equal, immutable object sent once. */
  sameAs(copy: object, original: object): void {
    this.objectIds.set(copy, this.objectIds.get(original)!);
  }

  private slot(tag: number, value: number): void {
    if (this.length === this.tags.length) {
      const tags = new Uint8Array(this.tags.length * 2);
      tags.set(this.tags);
      this.tags = tags;
      const values = new Float64Array(this.values.length * 2);
      values.set(this.values);
      this.values = values;
    }
    this.tags[this.length] = tag;
    this.values[this.length] = value;
    this.length++;
  }

  private string(s: string): number {
    let id = this.stringIds.get(s);
    if (id === undefined) {
      id = this.stringList.length;
      this.stringIds.set(s, id);
      this.stringList.push(s);
    }
    return id;
  }

  /** Write `v` as one slot; an object must have been written already. */
  private value(v: unknown): void {
    switch (typeof v) {
      case 'undefined':
        return this.slot(UNDEFINED, 0);
      case 'boolean':
        return this.slot(v ? TRUE : FALSE, 0);
      case 'number':
        return this.slot(NUMBER, v);
      case 'string':
        return this.slot(STRING, this.string(v));
      case 'symbol':
        if (v === ABSENT) return this.slot(JOURNAL_ABSENT, 0);
        throw new Error(`packRun: cannot pack the symbol ${String(v)}`);
      case 'object':
        if (v === null) return this.slot(NULL, 0);
        return this.slot(OBJECT, this.objectIds.get(v)!);
      default:
        throw new Error(`packRun: cannot pack a ${typeof v}`);
    }
  }

  /** Write the objects `v` holds (depth first), then `v` itself; returns its number. */
  object(v: object): number {
    const known = this.objectIds.get(v);
    if (known !== undefined) return known;
    if (this.inProgress.has(v)) throw new Error('packRun: the run holds a cycle of objects; the state must be a tree');
    this.inProgress.add(v);
    if (Array.isArray(v)) {
      for (const x of v) if (typeof x === 'object' && x !== null) this.object(x);
      this.slot(ARRAY, v.length);
      for (const x of v) this.value(x);
    } else if (v instanceof Map) {
      for (const [k, x] of v) {
        if (typeof k === 'object' && k !== null) this.object(k);
        if (typeof x === 'object' && x !== null) this.object(x);
      }
      this.slot(MAP, v.size);
      for (const [k, x] of v) {
        this.value(k);
        this.value(x);
      }
    } else if (v instanceof Int32Array) {
      this.slot(INT32_ARRAY, v.length);
      for (const x of v) this.slot(NUMBER, x);
    } else if (Object.getPrototypeOf(v) === Object.prototype) {
      const record = v as Record<string, unknown>;
      const keys = Object.keys(record);
      for (const k of keys) {
        if (k.includes(KEY_SEPARATOR)) throw new Error(`packRun: a property name holds U+0000: ${JSON.stringify(k)}`);
        const x = record[k];
        if (typeof x === 'object' && x !== null) this.object(x);
      }
      this.slot(RECORD, keys.length);
      this.slot(STRING, this.string(keys.join(KEY_SEPARATOR)));
      for (const k of keys) this.value(record[k]);
    } else {
      throw new Error(`packRun: cannot pack a ${v.constructor?.name ?? 'object without prototype'}; the state holds plain objects, arrays, Maps and Int32Arrays only`);
    }
    this.inProgress.delete(v);
    const id = this.written++;
    this.objectIds.set(v, id);
    return id;
  }
}

/** What a packed run holds, in the order `unpack` reads it. */
interface RunContents {
  state: SimState;
  targets: object[];
  keys: unknown[];
  befores: unknown[];
  afters: unknown[];
  events: readonly SimEvent[];
  findings: readonly Finding[];
  kernel: ResolvedKernel;
  title: string;
  chapters: readonly Chapter[];
  expectations: readonly ExpectationResult[];
  shows: readonly ShownViews[];
}

/** Pack a finished run. Moves its live state to the last step (the rebuilt run starts there too). */
export function packRun(run: Run): PackedRun {
  const parts: RunParts = run.partsAtEnd();
  const patches = parts.journal.patches();
  const contents: RunContents = {
    state: parts.state,
    targets: [...patches.targets],
    keys: [...patches.keys],
    befores: [...patches.befores],
    afters: [...patches.afters],
    events: parts.events,
    findings: parts.findings,
    kernel: parts.kernel,
    title: run.title,
    chapters: run.chapters,
    expectations: run.expectations,
    shows: run.shows,
  };
  // Each event has its own copy of its call chain, and most chains repeat: one copy of each is sent. (Chains are
  // never changed once made, so events may share them.)
  const packer = new Packer();
  const chains = new Map<string, readonly string[]>();
  for (const e of parts.events) {
    const key = e.chain.join('\u0000');
    const first = chains.get(key);
    if (first === undefined) {
      chains.set(key, e.chain);
      packer.object(e.chain);
    } else if (first !== e.chain) packer.sameAs(e.chain, first);
  }
  packer.object(contents);
  const ends = new Uint32Array(packer.stringList.length);
  let end = 0;
  packer.stringList.forEach((s, i) => (ends[i] = end += s.length));
  return { format: FORMAT, tags: packer.tags.slice(0, packer.length), values: packer.values.slice(0, packer.length), strings: packer.stringList.join(''), stringEnds: ends };
}

/** The buffers of a packed run, for `postMessage`'s transfer list (they are moved, not copied). */
export function packedTransferables(packed: PackedRun): ArrayBuffer[] {
  return [packed.tags.buffer, packed.values.buffer, packed.stringEnds.buffer] as ArrayBuffer[];
}

/**
 * Rebuilds a run from `packRun`'s output a piece at a time, so that the page can spread a big run over several
 * tasks and keep painting in between: `advance` decodes objects until it has read about `slots` slots.
 */
export class RunUnpacker {
  private readonly tags: Uint8Array;
  private readonly values: Float64Array;
  private readonly stringList: string[] = [];
  private readonly shapes = new Map<number, string[]>();
  private readonly objects: object[] = [];
  private at = 0;

  constructor(packed: PackedRun) {
    if (packed.format !== FORMAT) throw new Error(`unpackRun: packed format ${String(packed.format)}, expected ${FORMAT}`);
    const { tags, values, strings, stringEnds } = packed;
    if (tags.length !== values.length) throw new Error('unpackRun: tags and values differ in length');
    this.tags = tags;
    this.values = values;
    let start = 0;
    for (let i = 0; i < stringEnds.length; i++) {
      this.stringList.push(strings.slice(start, stringEnds[i]));
      start = stringEnds[i]!;
    }
  }

  /** How many of the packed run's slots are decoded, and how many there are. */
  get progress(): { done: number; total: number } {
    return { done: this.at, total: this.tags.length };
  }

  private read(at: number): unknown {
    const values = this.values;
    switch (this.tags[at]) {
      case UNDEFINED:
        return undefined;
      case NULL:
        return null;
      case FALSE:
        return false;
      case TRUE:
        return true;
      case NUMBER:
        return values[at];
      // `| 0`: an index read from a Float64Array is a double, and V8 looks up a double key on its slow path.
      case STRING:
        return this.stringList[values[at]! | 0];
      case OBJECT:
        return this.objects[values[at]! | 0];
      case JOURNAL_ABSENT:
        return ABSENT;
      default:
        throw new Error(`unpackRun: bad value tag ${this.tags[at]} at slot ${at}`);
    }
  }

  /** Decode whole objects until about `slots` more slots are read; true once everything is. */
  advance(slots = Infinity): boolean {
    const { tags, values, objects } = this;
    const stop = Math.min(tags.length, this.at + slots);
    let at = this.at;
    while (at < stop) {
      const tag = tags[at]!;
      const length = values[at]! | 0;
      at++;
      if (tag === ARRAY) {
        // Pushed, not preallocated: Array.from({ length }) goes element by element through the generic path.
        const array: unknown[] = [];
        for (let i = 0; i < length; i++) array.push(this.read(at++));
        objects.push(array);
      } else if (tag === MAP) {
        const map = new Map<unknown, unknown>();
        for (let i = 0; i < length; i++, at += 2) map.set(this.read(at), this.read(at + 1));
        objects.push(map);
      } else if (tag === INT32_ARRAY) {
        const array = new Int32Array(length);
        for (let i = 0; i < length; i++) array[i] = values[at++]!;
        objects.push(array);
      } else if (tag === RECORD) {
        const shapeId = values[at++]! | 0;
        let keys = this.shapes.get(shapeId);
        if (!keys) {
          const shape = this.stringList[shapeId]!;
          keys = shape === '' ? [] : shape.split(KEY_SEPARATOR);
          this.shapes.set(shapeId, keys);
        }
        const record: Record<string, unknown> = {};
        for (const k of keys) record[k] = this.read(at++);
        objects.push(record);
      } else {
        throw new Error(`unpackRun: bad object tag ${tag} at slot ${at - 1}`);
      }
    }
    this.at = at;
    return at >= tags.length;
  }

  /** The rebuilt run (once `advance` returned true). */
  run(): Run {
    if (this.at < this.tags.length) throw new Error('unpackRun: the run is not decoded yet');
    const contents = this.objects[this.objects.length - 1] as RunContents | undefined;
    if (!contents?.state) throw new Error('unpackRun: the packed run is empty');
    const journal = Journal.fromPatches(contents.targets, contents.keys, contents.befores, contents.afters);
    const parts: RunParts = { state: contents.state, journal, events: contents.events, findings: contents.findings, kernel: contents.kernel };
    return new Run(parts, contents.title, contents.chapters, contents.expectations, contents.shows);
  }
}

/** Rebuild a run from `packRun`'s output: same events, same journal, same snapshot at every step. */
export function unpackRun(packed: PackedRun): Run {
  const unpacker = new RunUnpacker(packed);
  unpacker.advance();
  return unpacker.run();
}
