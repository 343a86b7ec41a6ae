// Video (MP4, WebM) and animated GIF of a step range, with the transitions, drawn offline frame by frame:
// each frame is a moment (step, progress) drawn with pinscope's clock held (frames.ts), exported as SVG like
// the still export, rasterized at the chosen size, and handed to the encoder. MP4 and WebM go through WebCodecs
// with mediabunny, or MediaRecorder where WebCodecs is missing; GIFs through gifenc in a worker. The encoders are
// imported only when a video is asked for (this module itself is loaded on demand by the export dialog).

import { useExplorer } from '../../store/explorer';
import { holdClock, releaseClock } from '../common/clock';
import { composeOnScreen, currentLink, svgImage, type ExportWhich } from './exporter';
import { MAX_FRAME_SIDE, MomentPainter, drawFitted, planFrames, type FramePlan } from './frames';
import { spawnGifWorker } from './gifSpawn';
import type { GifReply, GifRequest } from './gifWriter';

export type MotionFormat = 'mp4' | 'webm' | 'gif';

export interface MotionExport {
  which: ExportWhich;
  format: MotionFormat;
  from: number;
  to: number;
  width: number;
  height: number;
  /** Steps per second. */
  pace: number;
  /** Frames per second; GIFs default to 10, videos to 30. */
  fps?: number;
  signal?: AbortSignal;
  onProgress?(done: number, total: number): void;
}

export interface MotionFile {
  blob: Blob;
  name: string;
  frames: number;
  /** How it was encoded, for the status line: "WebCodecs vp9", "MediaRecorder", "gifenc". */
  encoder: string;
}

/** Receives the frames drawn into the canvas, one after the other, and gives the file at the end. */
interface FrameSink {
  readonly encoder: string;
  add(canvas: HTMLCanvasElement, index: number): Promise<void>;
  finish(): Promise<Blob>;
  cancel(): Promise<void>;
}

function cancelled(): DOMException {
  return new DOMException('export cancelled', 'AbortError');
}

async function webCodecsSink(format: 'mp4' | 'webm', canvas: HTMLCanvasElement, plan: FramePlan): Promise<FrameSink | null> {
  if (typeof VideoEncoder === 'undefined') return null;
  const mb = await import('mediabunny');
  const container = format === 'mp4' ? new mb.Mp4OutputFormat() : new mb.WebMOutputFormat();
  const codec = await mb.getFirstEncodableVideoCodec(container.getSupportedVideoCodecs(), { width: canvas.width, height: canvas.height });
  if (!codec) return null;
  const target = new mb.BufferTarget();
  const output = new mb.Output({ format: container, target });
  const source = new mb.CanvasSource(canvas, { codec, quality: mb.QUALITY_HIGH, keyFrameInterval: 1 });
  output.addVideoTrack(source, { frameRate: plan.fps });
  await output.start();
  return {
    encoder: `WebCodecs ${codec}`,
    add: (_c, index) => source.add(index * plan.frameSeconds, plan.frameSeconds),
    async finish() {
      await output.finalize();
      if (!target.buffer) throw new Error('the encoder gave no file');
      return new Blob([target.buffer], { type: container.mimeType });
    },
    cancel: () => output.cancel(),
  };
}

/**
 * MediaRecorder, where WebCodecs is missing: it records in real time, so the frames are drawn first (offline,
 * kept as bitmaps) and then played into a captured canvas at their frame rate.
 */
function mediaRecorderSink(format: 'mp4' | 'webm', canvas: HTMLCanvasElement, plan: FramePlan): FrameSink | null {
  if (typeof MediaRecorder === 'undefined' || typeof canvas.captureStream !== 'function') return null;
  const types = format === 'mp4' ? ['video/mp4;codecs=avc1', 'video/mp4'] : ['video/webm;codecs=vp9', 'video/webm;codecs=vp8', 'video/webm'];
  const mimeType = types.find((t) => MediaRecorder.isTypeSupported(t));
  if (!mimeType) return null;
  const frames: ImageBitmap[] = [];
  let stopped = false;
  return {
    encoder: 'MediaRecorder',
    async add(c) {
      frames.push(await createImageBitmap(c));
    },
    async finish() {
      const player = document.createElement('canvas');
      player.width = canvas.width;
      player.height = canvas.height;
      const ctx = player.getContext('2d')!;
      const stream = player.captureStream(0);
      const track = stream.getVideoTracks()[0] as CanvasCaptureMediaStreamTrack;
      const recorder = new MediaRecorder(stream, { mimeType, videoBitsPerSecond: 8_000_000 });
      const chunks: Blob[] = [];
      recorder.addEventListener('dataavailable', (e) => chunks.push(e.data));
      const done = new Promise<void>((resolve) => recorder.addEventListener('stop', () => resolve(), { once: true }));
      recorder.start();
      const t0 = performance.now();
      for (const [i, frame] of frames.entries()) {
        if (stopped) break;
        ctx.drawImage(frame, 0, 0);
        track.requestFrame();
        frame.close();
        const wait = t0 + (i + 1) * plan.frameSeconds * 1000 - performance.now();
        if (wait > 0) await new Promise((r) => setTimeout(r, wait));
      }
      recorder.stop();
      await done;
      if (stopped) throw cancelled();
      return new Blob(chunks, { type: mimeType.split(';')[0] });
    },
    async cancel() {
      stopped = true;
      for (const f of frames) f.close();
    },
  };
}

function gifSink(plan: FramePlan): FrameSink {
  const worker = spawnGifWorker();
  const delayMs = Math.round(plan.frameSeconds * 1000);
  if (!worker) {
    // No worker (the single-file copy): the same writer, on the page.
    const writing = import('./gifWriter').then((m) => m.gifWriter());
    return {
      encoder: 'gifenc',
      async add(canvas) {
        const ctx = canvas.getContext('2d')!;
        (await writing).add(ctx.getImageData(0, 0, canvas.width, canvas.height).data, canvas.width, canvas.height, delayMs);
      },
      async finish() {
        return new Blob([(await writing).finish() as Uint8Array<ArrayBuffer>], { type: 'image/gif' });
      },
      async cancel() {},
    };
  }
  let failure: Error | null = null;
  const result = new Promise<Uint8Array>((resolve, reject) => {
    worker.addEventListener('message', (e: MessageEvent<GifReply>) => (e.data.type === 'done' ? resolve(e.data.bytes) : reject(new Error(e.data.message))));
    worker.addEventListener('error', (e) => {
      e.preventDefault();
      reject((failure = new Error(`the GIF worker failed${e.message ? `: ${e.message}` : ''}`)));
    });
  });
  result.catch(() => {});
  const send = (m: GifRequest, transfer: Transferable[] = []) => worker.postMessage(m, transfer);
  return {
    encoder: 'gifenc',
    async add(canvas) {
      if (failure) throw failure;
      const { data } = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height);
      send({ type: 'frame', rgba: data, width: canvas.width, height: canvas.height, delayMs }, [data.buffer]);
    },
    async finish() {
      send({ type: 'finish' });
      try {
        return new Blob([(await result) as Uint8Array<ArrayBuffer>], { type: 'image/gif' });
      } finally {
        worker.terminate();
      }
    },
    async cancel() {
      worker.terminate();
    },
  };
}

async function sinkFor(format: MotionFormat, canvas: HTMLCanvasElement, plan: FramePlan): Promise<FrameSink> {
  if (format === 'gif') return gifSink(plan);
  const sink = (await webCodecsSink(format, canvas, plan)) ?? mediaRecorderSink(format, canvas, plan);
  if (!sink) throw new Error(`this browser can encode no ${format === 'mp4' ? 'MP4' : 'WebM'} video at ${canvas.width}×${canvas.height}`);
  return sink;
}

/** Export steps `from`..`to` as a video or GIF. Rejects with an AbortError when `signal` is aborted. */
export async function exportMotion(o: MotionExport): Promise<MotionFile> {
  const store = useExplorer.getState();
  const run = store.run;
  if (!run) throw new Error('nothing is drawn yet');
  if (o.to > run.lastStep) throw new Error(`the run has ${run.lastStep} steps; step ${o.to} is past its end`);
  // Encoders want even sides (H.264's 4:2:0 chroma) within a sane size.
  const width = Math.min(MAX_FRAME_SIDE, Math.max(2, Math.round(o.width / 2) * 2));
  const height = Math.min(MAX_FRAME_SIDE, Math.max(2, Math.round(o.height / 2) * 2));
  const plan = planFrames(o.from, o.to, o.pace, o.fps ?? (o.format === 'gif' ? 10 : 30));
  const canvas = document.createElement('canvas');
  canvas.width = width;
  canvas.height = height;
  const ctx = canvas.getContext('2d', { willReadFrequently: o.format === 'gif' });
  if (!ctx) throw new Error('this browser gives no 2D canvas');
  const back = store.step;
  const link = await currentLink();
  const background = getComputedStyle(document.querySelector('.views section.panel, .embed-views section.panel') ?? document.body).backgroundColor || '#ffffff';
  const sink = await sinkFor(o.format, canvas, plan);
  const painter = new MomentPainter();
  holdClock();
  let finished = false;
  try {
    for (const [i, moment] of plan.moments.entries()) {
      if (o.signal?.aborted) throw cancelled();
      // A step at rest looks the same until the next one: its later frames reuse the canvas as it is.
      const previous = plan.moments[i - 1];
      const resting = previous !== undefined && previous.step === moment.step && previous.t === 1 && moment.t === 1;
      if (!resting) {
        painter.draw(moment);
        const picture = composeOnScreen(o.which, link);
        drawFitted(ctx, await svgImage(picture.svg), picture.width, picture.height, background);
      }
      await sink.add(canvas, i);
      o.onProgress?.(i + 1, plan.moments.length);
      // A task boundary per frame: the progress bar paints and Cancel is heard between frames.
      await new Promise((r) => setTimeout(r, 0));
    }
    if (o.signal?.aborted) throw cancelled();
    const blob = await sink.finish();
    finished = true;
    const slug = (run.title || 'pinscope').replace(/[^\w-]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 60) || 'pinscope';
    const ext = o.format === 'gif' ? 'gif' : blob.type.includes('mp4') ? 'mp4' : 'webm';
    return { blob, name: `${slug}${o.which === 'all' ? '' : `-${o.which}`}-steps-${o.from}-${o.to}.${ext}`, frames: plan.moments.length, encoder: sink.encoder };
  } finally {
    if (!finished) await sink.cancel().catch(() => {});
    releaseClock();
    useExplorer.getState().seek(back);
  }
}
