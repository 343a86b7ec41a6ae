// Writing an animated GIF frame by frame with gifenc: each frame gets its own palette of up to 256 colours
// (the pictures are flat colours and text, which quantize well). Used in the GIF worker, or on the page where
// no worker can be started (the single-file copy).

// @ts-expect-error gifenc 1.0.3 ships no types; the few functions used here are typed below.
import * as untyped from 'gifenc';

type Palette = number[][];
interface Encoder {
  writeFrame(index: Uint8Array, width: number, height: number, options: { palette: Palette; delay: number; repeat: number }): void;
  finish(): void;
  bytes(): Uint8Array;
}
const { GIFEncoder, applyPalette, quantize } = untyped as {
  GIFEncoder(): Encoder;
  quantize(rgba: Uint8ClampedArray, maxColors: number): Palette;
  applyPalette(rgba: Uint8ClampedArray, palette: Palette): Uint8Array;
};

export interface GifWriter {
  add(rgba: Uint8ClampedArray, width: number, height: number, delayMs: number): void;
  finish(): Uint8Array;
}

export function gifWriter(): GifWriter {
  const gif = GIFEncoder();
  return {
    add(rgba, width, height, delayMs) {
      const palette = quantize(rgba, 256);
      gif.writeFrame(applyPalette(rgba, palette), width, height, { palette, delay: delayMs, repeat: 0 });
    },
    finish() {
      gif.finish();
      return gif.bytes();
    },
  };
}

/** Messages to the GIF worker: frames, then `finish`, answered by the file's bytes (or an error). */
export type GifRequest = { type: 'frame'; rgba: Uint8ClampedArray; width: number; height: number; delayMs: number } | { type: 'finish' };
export type GifReply = { type: 'done'; bytes: Uint8Array } | { type: 'failed'; message: string };
