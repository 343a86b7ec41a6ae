// The embed's side of the postMessage API (docs/embed.md): commands from the host page are checked
// (protocol.ts), run against the bounded stepping of embedStore.ts, and answered only to the origin that asked,
// or to the `parentOrigin` the link names. A `load` from an origin other than the embed's own waits for the
// reader's click: a page that frames pinscope must not make it show arbitrary text unasked.

import { runsSettled } from '../../store/simRuns';
import { useExplorer } from '../../store/explorer';
import { embedGoto, embedMove, embedPlay, embedStateMessage, useEmbed } from './embedStore';
import { parseCommand, PROTOCOL_VERSION, type Command, type EmbedEvent } from './protocol';

function hostWindow(): Window | null {
  return window.parent !== window ? window.parent : null;
}

/** Where unprompted events go: the named parent origin, else the host that connected; null: nowhere yet. */
function eventTarget(): string | null {
  const { parentOrigin, connectedOrigin } = useEmbed.getState();
  return parentOrigin ?? connectedOrigin;
}

export function postToHost(event: EmbedEvent, origin: string | null = eventTarget()): void {
  const host = hostWindow();
  if (!host || origin === null) return;
  host.postMessage({ pinscope: PROTOCOL_VERSION, ...event }, origin);
}

export function readyMessage(): EmbedEvent {
  const run = useExplorer.getState().run;
  return { type: 'ready', steps: run?.lastStep ?? 0, chapters: (run?.chapters ?? []).map((c) => ({ title: c.title, step: c.step })), kernel: run?.kernel.label ?? '' };
}

/** Load text into the embed (after a same-origin command, or the reader's click), and report the outcome. */
export async function loadIntoEmbed(text: string, kernel: string | undefined, origin: string): Promise<void> {
  useEmbed.setState({ playing: false, start: null, end: null, pendingLoad: null });
  useExplorer.getState().load(text, { kernel: kernel ?? null });
  // The run may come from the worker: report once it is shown.
  await runsSettled('main');
  const s = useExplorer.getState();
  if (s.errors.length > 0) {
    postToHost({ type: 'error', message: `the scenario did not run: ${s.errors.map((e) => `line ${e.line}: ${e.message}`).join('; ')}` }, origin);
    return;
  }
  postToHost(readyMessage(), origin);
}

/**
 * Answer `export` with the picture the embed shows (or one of its views) as SVG text or a PNG Blob, to the
 * asking origin only. The exporter is loaded on the first export.
 */
async function exportForHost(command: Extract<Command, { type: 'export' }>, origin: string): Promise<void> {
  const view = command.view ?? 'all';
  try {
    const ex = await import('../export/exporter');
    const picture = await ex.exportSvg(view);
    const data = command.format === 'svg' ? picture.svg : await ex.renderPng(picture, command.scale ?? 2);
    postToHost({ type: 'export', format: command.format, view, data }, origin);
  } catch (err) {
    postToHost({ type: 'error', message: `export: ${err instanceof Error ? err.message : String(err)}` }, origin);
  }
}

/** Resolves once a run is shown (at once when one is): `ready` before it would say there are no steps. */
function whenRun(): Promise<void> {
  if (useExplorer.getState().run) return Promise.resolve();
  return new Promise((resolve) => {
    const off = useExplorer.subscribe((s) => {
      if (!s.run) return;
      off();
      resolve();
    });
  });
}

function run(command: Command, origin: string): void {
  switch (command.type) {
    case 'hello':
      // A host that says hello early (on its frame's load event, say) gets `ready` once there is something to step.
      return void whenRun().then(() => postToHost(readyMessage(), origin));
    case 'getState':
      return postToHost({ type: 'state', ...embedStateMessage() }, origin);
    case 'goto':
      return embedGoto(command.step);
    case 'next':
      return embedMove('event', 1);
    case 'prev':
      return embedMove('event', -1);
    case 'nextChapter':
      return embedMove('chapter', 1);
    case 'prevChapter':
      return embedMove('chapter', -1);
    case 'play':
      return embedPlay();
    case 'pause':
      return useEmbed.setState({ playing: false });
    case 'setOptions':
      return useEmbed.setState({
        ...(command.views ? { views: command.views } : {}),
        ...(command.theme ? { theme: command.theme } : {}),
        ...(command.caption !== undefined ? { caption: command.caption } : {}),
      });
    case 'export':
      return void exportForHost(command, origin);
    case 'load':
      if (origin === window.location.origin && origin !== 'null') return void loadIntoEmbed(command.text, command.kernel, origin);
      useEmbed.setState({ pendingLoad: { origin, text: command.text, ...(command.kernel ? { kernel: command.kernel } : {}) } });
      return;
  }
}

/** Listen to the host; returns the function that stops listening. Sends `ready` once the run is there. */
export function installBridge(): () => void {
  const host = hostWindow();
  if (!host) return () => {};
  const onMessage = (e: MessageEvent) => {
    // Only the page that frames the embed may command it; other frames' chatter is not for us.
    if (e.source !== host) return;
    const { parentOrigin } = useEmbed.getState();
    if (parentOrigin !== null && e.origin !== parentOrigin) {
      console.warn(`pinscope embed: ignored a message from ${e.origin}; this embed only takes messages from ${parentOrigin}`);
      return;
    }
    const parsed = parseCommand(e.data);
    if (!parsed.ok) {
      console.warn(`pinscope embed: ignored a message (${parsed.reason})`);
      return;
    }
    if (parentOrigin === null) useEmbed.setState({ connectedOrigin: e.origin });
    run(parsed.command, e.origin);
  };
  window.addEventListener('message', onMessage);

  // The unprompted `ready` carries no scenario text, only its size and chapters: without a named parent it goes
  // to any origin, so a host that does not know its own origin in advance can still connect.
  const sendReady = () => postToHost(readyMessage(), eventTarget() ?? '*');
  let readySent = false;
  const unsubscribeReady = useExplorer.subscribe((s) => {
    if (!readySent && s.run) {
      readySent = true;
      sendReady();
    }
  });
  if (useExplorer.getState().run) {
    readySent = true;
    sendReady();
  }
  const unsubscribeState = useExplorer.subscribe((s, prev) => {
    if (s.step !== prev.step || s.run !== prev.run) postToHost({ type: 'state', ...embedStateMessage() });
  });
  return () => {
    window.removeEventListener('message', onMessage);
    unsubscribeReady();
    unsubscribeState();
  };
}
