// A reversible journal of every mutation the simulator makes to its state.
//
// The simulator keeps one live state and mutates it only through `Journal.set`, `mapSet` and `mapDelete`.
// Each mutation is recorded as (target, key, before, after) in flat parallel arrays, so the live state can be
// moved to any step of a finished run by undoing or redoing the patches in between. That gives instant
// stepping both ways without storing a copy of the state per step.
//
// For `repeat` blocks of millions of iterations the journal can be muted: mutations go unrecorded, and at the
// end the muted span is turned into patches by diffing a shallow copy of every object taken when muting began.

const ABSENT: unique symbol = Symbol('absent');
type Absent = typeof ABSENT;

type Target = object;

/** A shallow copy of one object's own state, taken when a muted span begins. */
type Shallow = Map<unknown, unknown> | unknown[] | Int32Array | Record<string, unknown>;

export class Journal {
  private targets: Target[] = [];
  private keys: unknown[] = [];
  private befores: unknown[] = [];
  private afters: unknown[] = [];
  private muted = false;

  get length(): number {
    return this.targets.length;
  }

  /** How many writes changed the state, recorded or not (a repeat iteration that made none changed nothing). */
  writes = 0;
  /** Past this many writes `onOverrun` is called (the simulator's work budget; it throws). */
  writeLimit = Infinity;
  onOverrun: (() => void) | undefined;

  /** Called every 4096 writes (the simulator checks its time budget there). */
  onTick: (() => void) | undefined;

  private counted(): void {
    if (++this.writes > this.writeLimit) this.onOverrun?.();
    if ((this.writes & 4095) === 0) this.onTick?.();
  }

  get isMuted(): boolean {
    return this.muted;
  }

  set<T extends object, K extends keyof T>(target: T, key: K, value: T[K]): void {
    const before = target[key];
    if (Object.is(before, value)) return;
    target[key] = value;
    if (!this.muted) this.push(target, key, before, value);
    else if (this.tracing) this.traceWrite(target, key, before, value);
    this.counted();
  }

  /** Set one slot of a typed array (per-page counters of a large folio). */
  setIndex(target: Int32Array, index: number, value: number): void {
    const before = target[index];
    if (before === value) return;
    target[index] = value;
    if (!this.muted) this.push(target, index, before, value);
    else if (this.tracing) this.traceWrite(target, index, before, value);
    this.counted();
  }

  mapSet<K, V>(map: Map<K, V>, key: K, value: V): void {
    const before: V | Absent = map.has(key) ? (map.get(key) as V) : ABSENT;
    if (before !== ABSENT && Object.is(before, value)) return;
    map.set(key, value);
    if (!this.muted) this.push(map, key, before, value);
    else if (this.tracing) this.traceWrite(map, key, before, value);
    this.counted();
  }

  /** Insert a new entity (folio, task, mm, VMA, file, handle, bio, dio) into its table. */
  insertNew<K, V extends object>(map: Map<K, V>, key: K, value: V): void {
    this.mapSet(map, key, value);
    if (this.muted && this.tracing) this.created.add(value);
  }

  mapDelete<K, V>(map: Map<K, V>, key: K): void {
    if (!map.has(key)) return;
    const before = map.get(key);
    map.delete(key);
    if (!this.muted) this.push(map, key, before, ABSENT);
    else if (this.tracing) this.traceWrite(map, key, before, ABSENT);
    this.counted();
  }

  // ---- write traces while muted (for repeat fast-forward) ------------------------------------------------

  private tracing = false;
  private trace = new Map<Target, Map<unknown, { before: unknown; after: unknown }>>();
  /** Entities inserted while tracing: writes to them are part of the new value, not changes to old state. */
  private created = new Set<object>();

  private traceWrite(target: Target, key: unknown, before: unknown, after: unknown): void {
    let slots = this.trace.get(target);
    if (!slots) {
      slots = new Map();
      this.trace.set(target, slots);
    }
    const slot = slots.get(key);
    if (slot) slot.after = after;
    else slots.set(key, { before, after });
  }

  get isTracing(): boolean {
    return this.tracing;
  }

  /** Start collecting the net effect (first before, last after) of every write while muted. */
  startTrace(): void {
    this.tracing = true;
    this.trace = new Map();
    this.created = new Set();
  }

  /** Stop collecting and return the net effect per (target, key). */
  takeTrace(): Map<Target, Map<unknown, { before: unknown; after: unknown }>> {
    this.tracing = false;
    const t = this.trace;
    this.trace = new Map();
    for (const entity of this.created) t.delete(entity);
    this.created = new Set();
    return t;
  }

  private push(target: Target, key: unknown, before: unknown, after: unknown): void {
    this.targets.push(target);
    this.keys.push(key);
    this.befores.push(before);
    this.afters.push(after);
  }

  /** The recorded patches as four parallel arrays (to copy a finished run elsewhere, e.g. out of a worker). */
  patches(): { targets: readonly Target[]; keys: readonly unknown[]; befores: readonly unknown[]; afters: readonly unknown[] } {
    return { targets: this.targets, keys: this.keys, befores: this.befores, afters: this.afters };
  }

  /** A journal holding given patches, for a run rebuilt from a copy; the arrays are taken over, not copied. */
  static fromPatches(targets: Target[], keys: unknown[], befores: unknown[], afters: unknown[]): Journal {
    if (keys.length !== targets.length || befores.length !== targets.length || afters.length !== targets.length) throw new Error('journal patches: the four arrays differ in length');
    const journal = new Journal();
    journal.targets = targets;
    journal.keys = keys;
    journal.befores = befores;
    journal.afters = afters;
    return journal;
  }

  /** Visit every recorded patch (for catalogs of everything a run ever created). */
  forEachPatch(visit: (target: Target, key: unknown, before: unknown, after: unknown) => void): void {
    for (let i = 0; i < this.targets.length; i++) visit(this.targets[i]!, this.keys[i], this.befores[i], this.afters[i]);
  }

  /** Undo patches [from, to) in reverse order. */
  undo(from: number, to: number): void {
    for (let i = to - 1; i >= from; i--) write(this.targets[i]!, this.keys[i], this.befores[i]);
  }

  /** Redo patches [from, to) in order. */
  redo(from: number, to: number): void {
    for (let i = from; i < to; i++) write(this.targets[i]!, this.keys[i], this.afters[i]);
  }

  // ---- segments: compressed runs of patches, for long jumps -----------------------------------------------

  private segments: Segment[] | undefined;
  static readonly SEGMENT = 4096;

  /**
   * The net effect of each block of SEGMENT patches: per (target, key), the value before the block and after
   * it. Crossing a whole block in either direction then writes each slot once instead of replaying every
   * patch. Built on first use, once the run is complete.
   */
  private segmentsFor(): Segment[] {
    if (this.segments) return this.segments;
    const out: Segment[] = [];
    for (let from = 0; from + Journal.SEGMENT <= this.targets.length; from += Journal.SEGMENT) {
      const to = from + Journal.SEGMENT;
      const index = new Map<Target, Map<unknown, number>>();
      const seg: Segment = { from, to, targets: [], keys: [], befores: [], afters: [] };
      for (let i = from; i < to; i++) {
        const t = this.targets[i]!;
        let slots = index.get(t);
        if (!slots) {
          slots = new Map();
          index.set(t, slots);
        }
        const at = slots.get(this.keys[i]);
        if (at === undefined) {
          slots.set(this.keys[i], seg.targets.length);
          seg.targets.push(t);
          seg.keys.push(this.keys[i]);
          seg.befores.push(this.befores[i]);
          seg.afters.push(this.afters[i]);
        } else seg.afters[at] = this.afters[i];
      }
      out.push(seg);
    }
    this.segments = out;
    return out;
  }

  /** Move the state from patch position `from` to `to`, using whole segments where they fit. */
  travel(from: number, to: number): void {
    if (from === to) return;
    const segs = this.segmentsFor();
    const size = Journal.SEGMENT;
    if (to > from) {
      let pos = from;
      const firstWhole = Math.ceil(pos / size) * size;
      if (firstWhole + size > to || segs.length === 0) {
        this.redo(pos, to);
        return;
      }
      this.redo(pos, firstWhole);
      pos = firstWhole;
      while (pos + size <= to && pos / size < segs.length) {
        const seg = segs[pos / size]!;
        for (let i = 0; i < seg.targets.length; i++) write(seg.targets[i]!, seg.keys[i], seg.afters[i]);
        pos += size;
      }
      this.redo(pos, to);
    } else {
      let pos = from;
      const lastWhole = Math.floor(pos / size) * size;
      if (lastWhole - size < to || segs.length === 0) {
        this.undo(to, pos);
        return;
      }
      this.undo(lastWhole, pos);
      pos = lastWhole;
      while (pos - size >= to) {
        const seg = segs[pos / size - 1];
        if (!seg) break;
        for (let i = seg.targets.length - 1; i >= 0; i--) write(seg.targets[i]!, seg.keys[i], seg.befores[i]);
        pos -= size;
      }
      this.undo(to, pos);
    }
  }

  // ---- muted spans -------------------------------------------------------------------------------------

  private shallows: Map<Target, Shallow> | undefined;

  /** Stop recording. `roots` reach every object the simulator may mutate while muted. */
  mute(roots: object[]): void {
    if (this.muted) return;
    this.shallows = new Map();
    for (const root of roots) copyReachable(root, this.shallows);
    this.muted = true;
  }

  /** Resume recording, appending one patch per (object, key) that the muted span changed. */
  unmute(): void {
    if (!this.muted || !this.shallows) return;
    this.muted = false;
    for (const [target, copy] of this.shallows) diffInto(target, copy, this);
    this.shallows = undefined;
  }

  /** Used by `diffInto`; records a patch without touching the target (it already holds `after`). */
  recordPatch(target: Target, key: unknown, before: unknown, after: unknown): void {
    this.push(target, key, before, after);
  }
}

export { ABSENT };

interface Segment {
  from: number;
  to: number;
  targets: Target[];
  keys: unknown[];
  befores: unknown[];
  afters: unknown[];
}

function write(target: Target, key: unknown, value: unknown): void {
  if (target instanceof Map) {
    if (value === ABSENT) target.delete(key);
    else target.set(key, value);
  } else {
    (target as Record<PropertyKey, unknown>)[key as PropertyKey] = value;
  }
}

function isTraversable(value: unknown): value is object {
  return typeof value === 'object' && value !== null;
}

function copyReachable(root: object, into: Map<Target, Shallow>): void {
  const stack: object[] = [root];
  while (stack.length > 0) {
    const obj = stack.pop()!;
    if (into.has(obj)) continue;
    if (obj instanceof Map) {
      into.set(obj, new Map(obj));
      for (const v of obj.values()) if (isTraversable(v)) stack.push(v);
    } else if (obj instanceof Int32Array) {
      into.set(obj, obj.slice());
    } else if (Array.isArray(obj)) {
      // Arrays in the state are immutable values (replaced whole, never edited); their elements may be objects.
      into.set(obj, obj.slice());
      for (const v of obj) if (isTraversable(v)) stack.push(v);
    } else {
      const copy: Record<string, unknown> = { ...(obj as Record<string, unknown>) };
      into.set(obj, copy);
      for (const v of Object.values(copy)) if (isTraversable(v)) stack.push(v);
    }
  }
}

function diffInto(target: Target, copy: Shallow, journal: Journal): void {
  if (target instanceof Map && copy instanceof Map) {
    for (const [k, before] of copy) {
      if (!target.has(k)) journal.recordPatch(target, k, before, ABSENT);
      else if (!Object.is(target.get(k), before)) journal.recordPatch(target, k, before, target.get(k));
    }
    for (const [k, after] of target) if (!copy.has(k)) journal.recordPatch(target, k, ABSENT, after);
  } else if (target instanceof Int32Array && copy instanceof Int32Array) {
    for (let i = 0; i < copy.length; i++) if (copy[i] !== target[i]) journal.recordPatch(target, i, copy[i], target[i]);
  } else if (Array.isArray(target)) {
    // immutable by convention: nothing to diff
  } else {
    const rec = target as Record<string, unknown>;
    const before = copy as Record<string, unknown>;
    for (const k of Object.keys(before)) if (!Object.is(rec[k], before[k])) journal.recordPatch(target, k, before[k], rec[k]);
    for (const k of Object.keys(rec)) if (!(k in before)) journal.recordPatch(target, k, undefined, rec[k]);
  }
}
