// The simulation worker: runs scenarios off the page's thread, so a slow one never freezes the page. All it
// does is in protocol.ts (`serve`); this file only connects it to the worker's message port.

import { serve, type RunRequest, type WorkerReply } from './protocol';

// The app is compiled against the DOM library, whose `postMessage` is the window's; a dedicated worker's takes
// the message and a transfer list.
const port = globalThis as unknown as {
  postMessage(message: WorkerReply, transfer: Transferable[]): void;
  addEventListener(type: 'message', listener: (event: MessageEvent<RunRequest>) => void): void;
};

port.addEventListener('message', (event) => {
  if (event.data?.type === 'run') serve(event.data, (reply, transfer) => port.postMessage(reply, transfer ?? []));
});
port.postMessage({ type: 'ready' }, []);
