// Scrubbing at the pace of the screen: a drag produces many positions per frame; only the latest one per
// animation frame is sought, and the last one is sought at once when the drag ends.

export interface FrameThrottle<T> {
  /** Remember `value`; `run` gets the latest one on the next animation frame. */
  schedule(value: T): void;
  /** Run the pending value now (if any) and cancel the frame. */
  flush(): void;
  /** Drop the pending value. */
  cancel(): void;
}

type Raf = (cb: () => void) => number;
type Caf = (id: number) => void;

const defaultRaf: Raf = (cb) => (typeof requestAnimationFrame === 'function' ? requestAnimationFrame(() => cb()) : (setTimeout(cb, 16) as unknown as number));
const defaultCaf: Caf = (id) => (typeof cancelAnimationFrame === 'function' ? cancelAnimationFrame(id) : clearTimeout(id));

export function frameThrottle<T>(run: (value: T) => void, raf: Raf = defaultRaf, caf: Caf = defaultCaf): FrameThrottle<T> {
  let pending: { value: T } | null = null;
  let frame = 0;
  const fire = () => {
    frame = 0;
    const p = pending;
    pending = null;
    if (p) run(p.value);
  };
  return {
    schedule(value) {
      pending = { value };
      if (!frame) frame = raf(fire);
    },
    flush() {
      if (frame) caf(frame);
      fire();
    },
    cancel() {
      if (frame) caf(frame);
      frame = 0;
      pending = null;
    },
  };
}
