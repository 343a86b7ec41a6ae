// The embed's postMessage protocol, version 1 (docs/embed.md). Every message either way is an object
// `{ pinscope: 1, type, ... }`. Commands from the host are checked here against an allow-list, field by field;
// anything else is refused with a reason (the bridge logs it as a console warning and ignores it).

import { EMBED_VIEWS, MAX_TEXT_CHARS, kernelProblem, type EmbedView } from '../../store/url';

export const PROTOCOL_VERSION = 1;

export type EmbedTheme = 'default' | 'projector';

export type Command =
  | { type: 'hello' }
  | { type: 'goto'; step: number }
  | { type: 'next' }
  | { type: 'prev' }
  | { type: 'nextChapter' }
  | { type: 'prevChapter' }
  | { type: 'play' }
  | { type: 'pause' }
  | { type: 'getState' }
  | { type: 'setOptions'; views?: EmbedView[]; theme?: EmbedTheme; caption?: boolean }
  | { type: 'load'; text: string; kernel?: string }
  | { type: 'export'; format: ExportFormat; view?: EmbedView; scale?: number };

export type ExportFormat = 'svg' | 'png';
const EXPORT_FORMATS: readonly ExportFormat[] = ['svg', 'png'];
/** PNG scales an `export` may ask for (as the explorer's menu offers). */
export const EXPORT_SCALES = [1, 2, 3] as const;

export type EmbedEvent =
  | { type: 'ready'; steps: number; chapters: { title: string; step: number }[]; kernel: string }
  | { type: 'state'; step: number; steps: number; chapter: number | null; kernel: string }
  | { type: 'key'; key: string }
  | { type: 'resize'; height: number }
  | { type: 'error'; message: string }
  /** The picture asked for by `export`: the SVG's text, or the PNG as a Blob (with the link in its tEXt chunk). */
  | { type: 'export'; format: ExportFormat; view: EmbedView | 'all'; data: string | Blob };

export type Parsed = { ok: true; command: Command } | { ok: false; reason: string };

const BARE = new Set(['hello', 'next', 'prev', 'nextChapter', 'prevChapter', 'play', 'pause', 'getState']);
const THEMES: readonly EmbedTheme[] = ['default', 'projector'];

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Check one message from the host. Never throws. */
export function parseCommand(data: unknown): Parsed {
  if (!isRecord(data)) return { ok: false, reason: 'not an object' };
  if (data.pinscope !== PROTOCOL_VERSION) return { ok: false, reason: `"pinscope" is not ${PROTOCOL_VERSION}` };
  const type = data.type;
  if (typeof type !== 'string') return { ok: false, reason: '"type" is not a string' };
  if (BARE.has(type)) return { ok: true, command: { type } as Command };
  if (type === 'goto') {
    const step = data.step;
    if (typeof step !== 'number' || !Number.isSafeInteger(step) || step < 0) return { ok: false, reason: 'goto: "step" is not a whole number ≥ 0' };
    return { ok: true, command: { type, step } };
  }
  if (type === 'setOptions') {
    const command: Extract<Command, { type: 'setOptions' }> = { type };
    if (data.views !== undefined) {
      if (!Array.isArray(data.views) || data.views.length === 0 || data.views.length > EMBED_VIEWS.length || !data.views.every((v) => (EMBED_VIEWS as readonly unknown[]).includes(v))) {
        return { ok: false, reason: `setOptions: "views" is not a list of ${EMBED_VIEWS.join(', ')}` };
      }
      command.views = [...new Set(data.views as EmbedView[])];
    }
    if (data.theme !== undefined) {
      if (!THEMES.includes(data.theme as EmbedTheme)) return { ok: false, reason: `setOptions: "theme" is not one of ${THEMES.join(', ')}` };
      command.theme = data.theme as EmbedTheme;
    }
    if (data.caption !== undefined) {
      if (typeof data.caption !== 'boolean') return { ok: false, reason: 'setOptions: "caption" is not true or false' };
      command.caption = data.caption;
    }
    return { ok: true, command };
  }
  if (type === 'load') {
    if (typeof data.text !== 'string') return { ok: false, reason: 'load: "text" is not a string' };
    if (data.text.length > MAX_TEXT_CHARS) return { ok: false, reason: `load: "text" is longer than ${MAX_TEXT_CHARS} characters` };
    if (data.kernel !== undefined) {
      if (typeof data.kernel !== 'string') return { ok: false, reason: 'load: "kernel" is not a string' };
      const bad = kernelProblem(data.kernel);
      if (bad) return { ok: false, reason: `load: "kernel" ${bad}` };
      return { ok: true, command: { type, text: data.text, kernel: data.kernel } };
    }
    return { ok: true, command: { type, text: data.text } };
  }
  if (type === 'export') {
    if (!EXPORT_FORMATS.includes(data.format as ExportFormat)) return { ok: false, reason: `export: "format" is not one of ${EXPORT_FORMATS.join(', ')}` };
    const command: Extract<Command, { type: 'export' }> = { type, format: data.format as ExportFormat };
    if (data.view !== undefined) {
      if (!(EMBED_VIEWS as readonly unknown[]).includes(data.view)) return { ok: false, reason: `export: "view" is not one of ${EMBED_VIEWS.join(', ')}` };
      command.view = data.view as EmbedView;
    }
    if (data.scale !== undefined) {
      if (command.format !== 'png' || !(EXPORT_SCALES as readonly unknown[]).includes(data.scale)) return { ok: false, reason: `export: "scale" is not one of ${EXPORT_SCALES.join(', ')} for a PNG` };
      command.scale = data.scale as number;
    }
    return { ok: true, command };
  }
  return { ok: false, reason: `unknown type "${type.slice(0, 40)}"` };
}
