// The frames of a video or GIF of a step range: which moment (step, progress of its transition) each frame
// shows, drawing that moment on the page with pinscope's clock held, and rasterizing it at the chosen size.
// Frames are drawn one after the other as fast as the machine allows, not recorded from the screen in real time.

import { flushSync } from 'react-dom';
import { useExplorer } from '../../store/explorer';
import { advanceTo, clockNow, finishMotions } from '../common/clock';
import { STEP_TRANSITION_MS } from '../common/motion';

export interface Moment {
  step: number;
  /** Progress of the step's transition, 0 (the step before) to 1 (the step at rest). */
  t: number;
}

export interface FramePlan {
  fps: number;
  /** Seconds each frame lasts (1 / fps). */
  frameSeconds: number;
  moments: Moment[];
}

/**
 * The moments of a video of steps `from`..`to` (inclusive) at `pace` steps per second and `fps` frames per
 * second: `from` is shown at rest for one step's time, then each following step plays its transition (300 ms,
 * or the whole step's time if shorter) and rests until the next one. Pure.
 */
export function planFrames(from: number, to: number, pace: number, fps: number): FramePlan {
  if (!(pace > 0) || !(fps > 0)) throw new Error('pace and frame rate must be positive');
  if (!Number.isInteger(from) || !Number.isInteger(to) || from < 0 || to < from) throw new Error(`no steps from ${from} to ${to}`);
  const perStep = Math.max(1, Math.round(fps / pace));
  const stepSeconds = perStep / fps;
  const transitionSeconds = Math.min(STEP_TRANSITION_MS / 1000, stepSeconds);
  const moments: Moment[] = [];
  for (let step = from; step <= to; step++) {
    for (let f = 0; f < perStep; f++) {
      const t = step === from ? 1 : Math.min(1, f / fps / transitionSeconds);
      moments.push({ step, t });
    }
  }
  return { fps, frameSeconds: 1 / fps, moments };
}

/**
 * Draws moments on the page's views. The clock must be held (holdClock) while it is used. A moment is drawn
 * from scratch as the step before at rest, then its step with the clock at `t` of the transition, so what it
 * shows depends on (step, t) only; moments of one step in increasing `t` reuse that start.
 */
export class MomentPainter {
  private entered: { step: number; t: number; at: number } | null = null;

  draw({ step, t }: Moment): void {
    const store = useExplorer.getState();
    if (!this.entered || this.entered.step !== step || t < this.entered.t) {
      flushSync(() => store.seek(Math.max(0, step - 1)));
      finishMotions();
      flushSync(() => store.seek(step));
      this.entered = { step, t, at: clockNow() };
    }
    this.entered.t = t;
    advanceTo(this.entered.at + t * STEP_TRANSITION_MS);
  }
}

/** The largest video or GIF frame side: encoders and GIF viewers do badly beyond it. */
export const MAX_FRAME_SIDE = 3840;

/**
 * Draw `image` (a picture of `width`×`height`) centred into `ctx`'s canvas, scaled to fit, on `background`
 * (the picture's aspect ratio is kept; the bands beside it are background).
 */
export function drawFitted(ctx: CanvasRenderingContext2D | OffscreenCanvasRenderingContext2D, image: CanvasImageSource, width: number, height: number, background: string): void {
  const W = ctx.canvas.width;
  const H = ctx.canvas.height;
  ctx.fillStyle = background;
  ctx.fillRect(0, 0, W, H);
  const k = Math.min(W / width, H / height);
  const w = width * k;
  const h = height * k;
  ctx.drawImage(image, (W - w) / 2, (H - h) / 2, w, h);
}
