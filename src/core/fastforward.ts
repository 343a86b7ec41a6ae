// Fast-forward for long repeats. Inside a muted span, when two consecutive iterations have the same net
// effect on the state (every counter moved by the same amount, every other value set to the same thing),
// the iterations in between are affine and can be applied k at a time, as long as no counter comes near a
// value where the kernel's behaviour changes (0, 1, 2, the 1024 pin bias, the 32-bit limits). The iterations
// near such a value are run for real, so the overflow and its refusal happen exactly as they would.

type Trace = Map<object, Map<unknown, { before: unknown; after: unknown }>>;

type Change =
  | { kind: 'num'; target: object; key: unknown; delta: number }
  | { kind: 'obj'; target: object; key: unknown; deltas: Record<string, number>; fixed: Record<string, unknown> }
  | { kind: 'const'; target: object; key: unknown; value: unknown };

const BOUNDARIES = [-(2 ** 31), -2, -1, 0, 1, 2, 3, 1023, 1024, 1025, 2 ** 31 - 1];

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof Map) && !ArrayBuffer.isView(v);
}

/**
 * Equal by value, a few levels deep: an entity made afresh by each iteration (a named handle taken and released
 * again, with its page list) is the same value every time, although never the same object.
 */
function shallowEqual(a: unknown, b: unknown, depth = 3): boolean {
  if (Object.is(a, b)) return true;
  if (depth === 0) return false;
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, i) => shallowEqual(x, b[i], depth - 1));
  if (isPlainObject(a) && isPlainObject(b)) {
    const ka = Object.keys(a);
    return ka.length === Object.keys(b).length && ka.every((k) => shallowEqual(a[k], b[k], depth - 1));
  }
  return false;
}

function classify(target: object, key: unknown, before: unknown, after: unknown): Change {
  if (typeof before === 'number' && typeof after === 'number') return { kind: 'num', target, key, delta: after - before };
  if (isPlainObject(before) && isPlainObject(after)) {
    const keys = Object.keys(after);
    if (keys.length === Object.keys(before).length && keys.every((k) => k in before)) {
      const deltas: Record<string, number> = {};
      const fixed: Record<string, unknown> = {};
      for (const k of keys) {
        const b = before[k];
        const a = after[k];
        if (typeof a === 'number' && typeof b === 'number') deltas[k] = a - b;
        else fixed[k] = a;
      }
      return { kind: 'obj', target, key, deltas, fixed };
    }
  }
  return { kind: 'const', target, key, value: after };
}

export function netChanges(trace: Trace): Change[] {
  const out: Change[] = [];
  for (const [target, slots] of trace) for (const [key, { before, after }] of slots) out.push(classify(target, key, before, after));
  return out;
}

function sameChange(a: Change, b: Change): boolean {
  if (a.kind !== b.kind || a.target !== b.target || !Object.is(a.key, b.key)) return false;
  if (a.kind === 'num' && b.kind === 'num') return a.delta === b.delta;
  if (a.kind === 'obj' && b.kind === 'obj') return shallowEqual(a.deltas, b.deltas) && shallowEqual(a.fixed, b.fixed);
  if (a.kind === 'const' && b.kind === 'const') return shallowEqual(a.value, b.value);
  return false;
}

/** Two iterations are in a steady state when they changed the same slots in the same way. */
export function isSteady(previous: Change[] | undefined, current: Change[]): boolean {
  if (!previous || previous.length !== current.length || current.length === 0) return false;
  return current.every((c, i) => sameChange(previous[i]!, c));
}

function read(target: object, key: unknown): unknown {
  return target instanceof Map ? target.get(key) : (target as Record<PropertyKey, unknown>)[key as PropertyKey];
}

function write(target: object, key: unknown, value: unknown): void {
  if (target instanceof Map) target.set(key, value);
  else (target as Record<PropertyKey, unknown>)[key as PropertyKey] = value;
}

/** How many more iterations every counter can take while staying two steps clear of a boundary. */
export function safeIterations(changes: Change[], limit: number): number {
  let k = limit;
  const consider = (value: unknown, delta: number) => {
    if (typeof value !== 'number' || delta === 0) return;
    for (const b of BOUNDARIES) {
      const distance = (b - value) / delta;
      if (distance > 0) k = Math.min(k, Math.floor(distance) - 2);
    }
  };
  for (const c of changes) {
    if (c.kind === 'num') consider(read(c.target, c.key), c.delta);
    else if (c.kind === 'obj') {
      const current = read(c.target, c.key) as Record<string, unknown>;
      for (const [f, d] of Object.entries(c.deltas)) consider(current[f], d);
    }
  }
  return Math.max(0, k);
}

/** Apply `k` more iterations' worth of the steady changes directly to the (muted) state. */
export function applyIterations(changes: Change[], k: number): void {
  for (const c of changes) {
    if (c.kind === 'num') write(c.target, c.key, (read(c.target, c.key) as number) + c.delta * k);
    else if (c.kind === 'obj') {
      const current = read(c.target, c.key) as Record<string, unknown>;
      const next: Record<string, unknown> = { ...current };
      for (const [f, d] of Object.entries(c.deltas)) next[f] = (current[f] as number) + d * k;
      write(c.target, c.key, next);
    }
    // 'const' slots already hold their steady value.
  }
}
