// The messages between the audience window (presentation mode, the source of truth for the step) and the
// speaker view it opened. Every message is `{pinscope: 1, type, session, from, seq, ...}`: `session` pairs one
// audience window with its speaker windows, `from` names the sending window and `seq` counts its messages, so
// a message that arrives twice (once over BroadcastChannel, once over postMessage) is taken once.
// Anything else, or a message of a type this version does not know, is ignored.

export const SPEAKER_TYPES = ['speaker-hello', 'speaker-command', 'speaker-bye', 'audience-scenario', 'audience-step', 'audience-bye'] as const;
export type SpeakerMessageType = (typeof SPEAKER_TYPES)[number];

/** What the speaker window asks the audience window to do: the clicker's commands. */
export type SpeakerCommand = { kind: 'stop'; dir: 1 | -1 } | { kind: 'chapter'; dir: 1 | -1 } | { kind: 'blank' } | { kind: 'toggle' };

interface Envelope {
  pinscope: 1;
  session: string;
  from: string;
  seq: number;
}

export type SpeakerMessage = Envelope &
  (
    | { type: 'speaker-hello' }
    | { type: 'speaker-command'; command: SpeakerCommand }
    | { type: 'speaker-bye' }
    /** The scenario the audience shows; `rev` changes whenever the text or the kernel does. */
    | { type: 'audience-scenario'; rev: number; source: string; kernel: string | null; title: string }
    | { type: 'audience-step'; rev: number; step: number; presenting: boolean; blanked: boolean }
    | { type: 'audience-bye' }
  );

export type SpeakerPayload = SpeakerMessage extends infer M ? (M extends SpeakerMessage ? Omit<M, keyof Envelope> : never) : never;

/** The longest scenario text a message may carry (the parser's own limit is lower). */
const MAX_SOURCE = 400_000;
const ID = /^[A-Za-z0-9_-]{1,64}$/;

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isCount = (v: unknown): v is number => typeof v === 'number' && Number.isSafeInteger(v) && v >= 0;
const isDir = (v: unknown): v is 1 | -1 => v === 1 || v === -1;

function readCommand(v: unknown): SpeakerCommand | undefined {
  if (!isRecord(v)) return undefined;
  if ((v.kind === 'stop' || v.kind === 'chapter') && isDir(v.dir)) return { kind: v.kind, dir: v.dir };
  if (v.kind === 'blank' || v.kind === 'toggle') return { kind: v.kind };
  return undefined;
}

/** The message in `data` if it is one of ours and well formed, else undefined (ignored). */
export function readSpeakerMessage(data: unknown): SpeakerMessage | undefined {
  if (!isRecord(data) || data.pinscope !== 1) return undefined;
  const { type, session, from, seq } = data;
  if (typeof session !== 'string' || !ID.test(session) || typeof from !== 'string' || !ID.test(from) || !isCount(seq)) return undefined;
  const env: Envelope = { pinscope: 1, session, from, seq };
  switch (type) {
    case 'speaker-hello':
    case 'speaker-bye':
    case 'audience-bye':
      return { ...env, type };
    case 'speaker-command': {
      const command = readCommand(data.command);
      return command ? { ...env, type, command } : undefined;
    }
    case 'audience-scenario': {
      const { rev, source, kernel, title } = data;
      if (!isCount(rev) || typeof source !== 'string' || source.length > MAX_SOURCE) return undefined;
      if (kernel !== null && (typeof kernel !== 'string' || kernel.length > 200)) return undefined;
      if (typeof title !== 'string' || title.length > 1_000) return undefined;
      return { ...env, type, rev, source, kernel, title };
    }
    case 'audience-step': {
      const { rev, step, presenting, blanked } = data;
      if (!isCount(rev) || !isCount(step) || typeof presenting !== 'boolean' || typeof blanked !== 'boolean') return undefined;
      return { ...env, type, rev, step, presenting, blanked };
    }
    default:
      return undefined;
  }
}

/** A fresh id for a session or a window (letters and digits). */
export function newId(): string {
  const bytes = new Uint8Array(9);
  crypto.getRandomValues(bytes);
  return Array.from(bytes, (b) => b.toString(36).padStart(2, '0')).join('');
}

/** One window's end of the conversation: stamps what it sends, and takes each message it receives once. */
export class SpeakerPeer {
  readonly from = newId();
  private seq = 0;
  private readonly lastSeen = new Map<string, number>();

  constructor(readonly session: string) {}

  stamp(payload: SpeakerPayload): SpeakerMessage {
    return { pinscope: 1, session: this.session, from: this.from, seq: ++this.seq, ...payload } as SpeakerMessage;
  }

  /**
   * The message, if it is ours, for this session, from another window, and not seen before. Each transport
   * delivers in order, so a sequence number at or below the last one taken from that window is a copy.
   */
  accept(data: unknown): SpeakerMessage | undefined {
    const msg = readSpeakerMessage(data);
    if (!msg || msg.session !== this.session || msg.from === this.from) return undefined;
    const last = this.lastSeen.get(msg.from) ?? 0;
    if (msg.seq <= last) return undefined;
    this.lastSeen.set(msg.from, msg.seq);
    return msg;
  }
}

/** The speaker view's address: the app's own page with `mode=speaker` and the session (no scenario: it is sent). */
export function speakerUrl(location: { pathname: string; search: string }, session: string): string {
  const params = new URLSearchParams(location.search);
  params.delete('mode');
  params.delete('scenario');
  params.set('mode', 'speaker');
  params.set('session', session);
  return `${location.pathname}?${params.toString()}`;
}

/** The session of a speaker window's address, or undefined when the page is not a speaker view. */
export function speakerSession(search: string): string | undefined {
  const params = new URLSearchParams(search);
  if (params.get('mode') !== 'speaker') return undefined;
  const session = params.get('session') ?? '';
  return ID.test(session) ? session : undefined;
}
