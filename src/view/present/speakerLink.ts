// The wire between the two windows: a BroadcastChannel named after the session, and postMessage to the other
// window (the opener, or the window opened) for pages where the channel may not connect (file:// pages have an
// opaque origin). Every message goes both ways at once; SpeakerPeer drops the second copy.

import { SpeakerPeer, type SpeakerMessage, type SpeakerPayload } from './speakerProtocol';

export interface SpeakerLink {
  readonly peer: SpeakerPeer;
  send(payload: SpeakerPayload): void;
  close(): void;
}

/**
 * The target origin for postMessage to the paired window: our own origin, except on file:// pages, whose
 * origin is opaque to the other window whatever ours reads ("null", or "file://" in Chromium, which no window
 * matches): there only "*" is delivered, and the receiver accepts messages from its paired window alone.
 */
export function postTarget(location: Pick<Location, 'origin' | 'protocol'>): string {
  return location.protocol === 'file:' || location.origin === 'null' ? '*' : location.origin;
}

export function openSpeakerLink(session: string, other: () => Window | null, onMessage: (msg: SpeakerMessage) => void): SpeakerLink {
  const peer = new SpeakerPeer(session);
  let channel: BroadcastChannel | null = null;
  try {
    channel = typeof BroadcastChannel === 'function' ? new BroadcastChannel(`pinscope-speaker-${session}`) : null;
  } catch {
    channel = null;
  }
  const take = (data: unknown) => {
    const msg = peer.accept(data);
    if (msg) onMessage(msg);
  };
  channel?.addEventListener('message', (e: MessageEvent) => take(e.data));
  const onWindowMessage = (e: MessageEvent) => {
    // Only from the window we are paired with: its origin is ours, or "null" for file:// pages.
    const w = other();
    if (!w || e.source !== w) return;
    take(e.data);
  };
  window.addEventListener('message', onWindowMessage);
  return {
    peer,
    send(payload) {
      const msg = peer.stamp(payload);
      try {
        // A BroadcastChannel reaches only this origin's pages: it has no target origin to give.
        // oxlint-disable-next-line unicorn/require-post-message-target-origin
        channel?.postMessage(msg);
      } catch {
        // A closed channel: the window path may still work.
      }
      const w = other();
      if (w && !w.closed) {
        try {
          w.postMessage(msg, postTarget(window.location));
        } catch {
          // The other window went away between the check and the post.
        }
      }
    },
    close() {
      window.removeEventListener('message', onWindowMessage);
      channel?.close();
      channel = null;
    },
  };
}
