// The GIF encoder's worker: quantizing and LZW-compressing each frame is the slow part of a GIF, kept off the page.

import { gifWriter, type GifReply, type GifRequest } from './gifWriter';

// The app is compiled against the DOM library, whose `postMessage` is the window's; a dedicated worker's takes
// the message and the transfer list only.
const port = self as unknown as {
  postMessage(message: GifReply, transfer: Transferable[]): void;
  addEventListener(type: 'message', listener: (event: MessageEvent<GifRequest>) => void): void;
};
const writer = gifWriter();

port.addEventListener('message', (e) => {
  try {
    if (e.data.type === 'frame') writer.add(e.data.rgba, e.data.width, e.data.height, e.data.delayMs);
    else {
      const bytes = writer.finish();
      port.postMessage({ type: 'done', bytes }, [bytes.buffer]);
    }
  } catch (err) {
    port.postMessage({ type: 'failed', message: err instanceof Error ? err.message : String(err) }, []);
  }
});
