// pinscope's motion clock: every view animation (the tween helpers in memory/tween.ts and common/trackedTween.ts)
// is a motion started here, and its picture at any moment is a function of its progress only. Live, the clock
// follows the page's time and animation frames. Held (the video exporter, tests), time stands still and moves
// only when `advanceTo` is called, so the picture of a step at a given progress of its transition is the same
// every time it is drawn. d3 still computes the in-between values (d3-interpolate, d3-ease); only the clock is ours.

export type Ease = (t: number) => number;

interface Motion {
  owner: object;
  name: string;
  start: number;
  ms: number;
  ease: Ease;
  /** Draws the motion at eased progress `e` (0 at the start, 1 at the end). */
  frame: (e: number) => void;
  /** Leaves the motion's final state on screen (when it ends, is interrupted or finished early). */
  end: () => void;
}

const running = new Map<object, Map<string, Motion>>();
let held = false;
let heldNow = 0;
let scheduled = false;

export function clockNow(): number {
  return held ? heldNow : typeof performance !== 'undefined' ? performance.now() : Date.now();
}

/** Whether the clock is held (exporting frames): views then always animate, whatever the motion preference. */
export function clockHeld(): boolean {
  return held;
}

function count(): number {
  let n = 0;
  for (const byName of running.values()) n += byName.size;
  return n;
}

function remove(m: Motion): void {
  const byName = running.get(m.owner);
  if (byName?.get(m.name) !== m) return;
  byName.delete(m.name);
  if (byName.size === 0) running.delete(m.owner);
}

/** Draw every motion at the clock's time; the ones that reached their end are ended and dropped. */
function tick(): void {
  const now = clockNow();
  for (const byName of [...running.values()]) {
    for (const m of [...byName.values()]) {
      const p = m.ms > 0 ? Math.min(1, Math.max(0, (now - m.start) / m.ms)) : 1;
      m.frame(m.ease(p));
      if (p >= 1) {
        remove(m);
        m.end();
      }
    }
  }
}

function schedule(): void {
  if (held || scheduled || running.size === 0) return;
  scheduled = true;
  const next = (cb: () => void) => (typeof requestAnimationFrame === 'function' ? requestAnimationFrame(cb) : setTimeout(cb, 16));
  next(() => {
    scheduled = false;
    if (held) return;
    tick();
    schedule();
  });
}

/**
 * Start a motion named `name` on `owner` (an element), replacing (and ending) the one of that name it had. Its
 * first frame is drawn at once, so nothing flashes its final state before the first animation frame.
 */
export function startMotion(owner: object, name: string, ms: number, ease: Ease, frame: (e: number) => void, end: () => void = () => frame(1)): void {
  interruptMotion(owner, name);
  const m: Motion = { owner, name, start: clockNow(), ms, ease, frame, end };
  let byName = running.get(owner);
  if (!byName) running.set(owner, (byName = new Map()));
  byName.set(name, m);
  frame(ease(0));
  schedule();
}

/** End the motion `name` of `owner` now, leaving its final state. */
export function interruptMotion(owner: object, name: string): void {
  const m = running.get(owner)?.get(name);
  if (!m) return;
  remove(m);
  m.end();
}

/** Whether `owner` has a motion named `name` still on its way. */
export function isMoving(owner: object, name: string): boolean {
  return running.get(owner)?.has(name) ?? false;
}

/** End every running motion now (a clicker key pressed mid-animation, an export about to draw). Returns how many. */
export function finishMotions(): number {
  const n = count();
  for (const byName of [...running.values()]) for (const m of [...byName.values()]) {
    remove(m);
    m.end();
  }
  return n;
}

/** Hold the clock at time 0: from now on it moves only by `advanceTo`. */
export function holdClock(): void {
  held = true;
  heldNow = 0;
}

/** Set the held clock to `ms` and draw every motion at that time. */
export function advanceTo(ms: number): void {
  if (!held) throw new Error('advanceTo needs a held clock');
  heldNow = ms;
  tick();
}

/** Back to the page's time; motions still running finish at once. */
export function releaseClock(): void {
  finishMotions();
  held = false;
}
