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
  private readonly objectIds = new Map<object, number>();
  private readonly inProgress = new Set<object>();
  private readonly stringIds = new Map<string, number>();
  readonly stringList: string[] = [];

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
    const children = (x: unknown) => {
      if (typeof x === 'object' && x !== null) this.object(x);
    };
    if (Array.isArray(v)) {
      v.forEach(children);
      this.slot(ARRAY, v.length);
      for (const x of v) this.value(x);
    } else if (v instanceof Map) {
      for (const [k, x] of v) {
        children(k);
        children(x);
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
        children(record[k]);
      }
      this.slot(RECORD, keys.length);
      this.slot(STRING, this.string(keys.join(KEY_SEPARATOR)));
      for (const k of keys) this.value(record[k]);
    } else {
      throw new Error(`packRun: cannot pack a ${v.constructor?.name ?? 'object without prototype'}; the state holds plain objects, arrays, Maps and Int32Arrays only`);
    }
    this.inProgress.delete(v);
    const id = this.objectIds.size;
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
  const packer = new Packer();
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

/** Rebuild a run from `packRun`'s output: same events, same journal, same snapshot at every step. */
export function unpackRun(packed: PackedRun): Run {
  if (packed.format !== FORMAT) throw new Error(`unpackRun: packed format ${String(packed.format)}, expected ${FORMAT}`);
  const { tags, values, strings, stringEnds } = packed;
  if (tags.length !== values.length) throw new Error('unpackRun: tags and values differ in length');
  const stringList: string[] = Array.from({ length: stringEnds.length });
  let start = 0;
  for (let i = 0; i < stringEnds.length; i++) {
    stringList[i] = strings.slice(start, stringEnds[i]);
    start = stringEnds[i]!;
  }
  const shapes = new Map<number, string[]>();
  const objects: object[] = [];
  const read = (at: number): unknown => {
    switch (tags[at]) {
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
      case STRING:
        return stringList[values[at]!];
      case OBJECT:
        return objects[values[at]!];
      case JOURNAL_ABSENT:
        return ABSENT;
      default:
        throw new Error(`unpackRun: bad value tag ${tags[at]} at slot ${at}`);
    }
  };
  let at = 0;
  while (at < tags.length) {
    const tag = tags[at]!;
    const length = values[at]!;
    at++;
    if (tag === ARRAY) {
      const array: unknown[] = Array.from({ length });
      for (let i = 0; i < length; i++) array[i] = read(at++);
      objects.push(array);
    } else if (tag === MAP) {
      const map = new Map<unknown, unknown>();
      for (let i = 0; i < length; i++, at += 2) map.set(read(at), read(at + 1));
      objects.push(map);
    } else if (tag === INT32_ARRAY) {
      const array = new Int32Array(length);
      for (let i = 0; i < length; i++) array[i] = values[at++]!;
      objects.push(array);
    } else if (tag === RECORD) {
      const shapeId = values[at++]!;
      let keys = shapes.get(shapeId);
      if (!keys) {
        const shape = stringList[shapeId]!;
        keys = shape === '' ? [] : shape.split(KEY_SEPARATOR);
        shapes.set(shapeId, keys);
      }
      const record: Record<string, unknown> = {};
      for (const k of keys) record[k] = read(at++);
      objects.push(record);
    } else {
      throw new Error(`unpackRun: bad object tag ${tag} at slot ${at - 1}`);
    }
  }
  const contents = objects[objects.length - 1] as RunContents | undefined;
  if (!contents?.state) throw new Error('unpackRun: the packed run is empty');
  const journal = Journal.fromPatches(contents.targets, contents.keys, contents.befores, contents.afters);
  const parts: RunParts = { state: contents.state, journal, events: contents.events, findings: contents.findings, kernel: contents.kernel };
  return new Run(parts, contents.title, contents.chapters, contents.expectations, contents.shows);
}
