// The shareable link: the URL hash carries the scenario text (deflate-raw, base64url), the kernel, the moment
// and the view, under a format version so links made today keep opening after future releases.
//   #v=2&pv=0.1.0&m=1&k=v6.4&t=42&at=12.0.3&ch=1.5&fp=…&cn=…&s=<base64url(deflate-raw(scenario text))>
// A link of an older format is turned into the current one by one upgrader per version (UPGRADERS), then read
// by the one reader of the current format. docs/links.md describes every field and version.
// Nothing decoded from a URL is ever executed or injected as HTML: it becomes plain text and numbers.

import { parseKernelSpec, resolveKernel } from '../core';
import { LIMITS } from '../scenario';
import { version as PINSCOPE_VERSION } from '../../package.json';
import { FINGERPRINT_LISTED, type ChapterPosition, type Fingerprint, type FolioCounters, type StatementPosition } from './urlMoment';

export { PINSCOPE_VERSION };

/** The link format this release writes. Every earlier one still opens (src/store/__fixtures__/links-v*.json). */
export const LINK_VERSION = 2;
/** The longest scenario text a link carries: the parser's own limit, so a text at exactly the limit opens. */
export const MAX_TEXT_CHARS = LIMITS.maxChars;
/**
 * The longest hash decoded: enough for a text at the limit that does not compress at all (3 UTF-8 bytes per
 * character, deflate's stored blocks, base64's 4/3) plus the other parameters. Anything longer is refused by
 * its length alone, before any parsing or decoding.
 */
export const MAX_HASH_CHARS = Math.ceil(((3 * MAX_TEXT_CHARS * 1.001 + 64) * 4) / 3) + 1_024;

export interface LinkState {
  text: string;
  /** Kernel override (`v6.5 zero-pin=skip`), or undefined to use the scenario's own `kernel` line. */
  kernel?: string;
  step?: number;
  /** Second kernel for compare mode (`c=`), when on. */
  compare?: string;
  /** The built-in or library scenario the text is (`id=`), when unchanged from it. */
  scenarioId?: string;
  /** The selected folio (`f=`), whose "why" panel is open. */
  folio?: number;
  /** The side panel that is open (`p=`): `findings`. */
  panel?: string;
  /** `mode=present`: presentation mode; `mode=embed`: the picture only, for an iframe (both public contracts). */
  mode?: 'present' | 'embed';
  /** The moment by statement and by chapter (format 2), besides the global `step`. */
  at?: StatementPosition;
  chapter?: ChapterPosition;
  /** The simulator's model version the link was made with (`m=`, format 2). */
  model?: number;
  /** The counters on screen when the link was made (`fp=` and `cn=`, format 2). */
  fingerprint?: Fingerprint;
  /** How an embed shows and behaves (format 2, with `mode=embed`). */
  embed?: EmbedOptions;
  /** A real-kernel trace shown beside the run (`rt=`, format 2, compressed like the text): the trace file's JSON. */
  realTrace?: string;
}

export const EMBED_VIEWS = ['pagetables', 'memory', 'graph', 'blockio'] as const;
export type EmbedView = (typeof EMBED_VIEWS)[number];
export type EmbedKeys = 'own' | 'host' | 'none';

export interface EmbedOptions {
  /** The views shown, in this order (all four when absent). */
  views?: EmbedView[];
  /** Whether the narration line under the picture shows (default: yes). */
  caption?: boolean;
  /** Stepping stays within [start, end]. */
  start?: number;
  end?: number;
  autoplay?: boolean;
  loop?: boolean;
  /** `own` (default): arrow keys step after a click inside; `host`: keys are posted to the host; `none`. */
  keys?: EmbedKeys;
  /** The only origin the embed talks to (`po=`), when the host page names itself. */
  parentOrigin?: string;
}

export type LinkDecode = { ok: true; link: LinkState } | { ok: false; reason: string } | { ok: 'empty' };

function toBase64Url(bytes: Uint8Array): string {
  let bin = '';
  for (let i = 0; i < bytes.length; i += 0x8000) bin += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(bin).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

function fromBase64Url(text: string): Uint8Array<ArrayBuffer> {
  if (!/^[A-Za-z0-9_-]*$/.test(text)) throw new Error('the scenario data has characters that base64url does not use');
  const b64 = text.replace(/-/g, '+').replace(/_/g, '/') + '='.repeat((4 - (text.length % 4)) % 4);
  const bin = atob(b64);
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

async function pump(stream: ReadableStream<Uint8Array>, limit: number): Promise<Uint8Array> {
  const reader = stream.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.length;
    if (total > limit) {
      await reader.cancel();
      throw new Error(`the scenario is larger than ${limit.toLocaleString('en-US')} bytes`);
    }
    chunks.push(value);
  }
  const out = new Uint8Array(total);
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.length;
  }
  return out;
}

let lastCompressed: { text: string; data: string } | undefined;

export async function compressText(text: string): Promise<string> {
  // Stepping re-encodes the link on every step: the text rarely changes, so keep its last encoding.
  if (lastCompressed?.text === text) return lastCompressed.data;
  const data = await deflate(text);
  lastCompressed = { text, data };
  return data;
}

async function deflate(text: string): Promise<string> {
  const input = new Blob([new TextEncoder().encode(text)]).stream().pipeThrough(new CompressionStream('deflate-raw'));
  return toBase64Url(await pump(input, 4 * MAX_TEXT_CHARS));
}

export async function decompressText(data: string): Promise<string> {
  const bytes = fromBase64Url(data);
  const stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream('deflate-raw'));
  const out = await pump(stream, MAX_TEXT_CHARS * 4);
  const text = new TextDecoder('utf-8', { fatal: true }).decode(out);
  if (text.length > MAX_TEXT_CHARS) throw new Error('the scenario is too long');
  return text;
}


// ---- writing ---------------------------------------------------------------------------------------------

function writePosition(at: StatementPosition): string {
  return `${at.line}.${at.occurrence}.${at.offset}`;
}

function writeCounters(counters: readonly FolioCounters[]): string {
  return counters
    .slice(0, FINGERPRINT_LISTED)
    .map((c) => `${c.id}.${c.refcount}.${c.mapcount}.${c.pincount}`)
    .join('_');
}

export async function encodeLink(link: LinkState): Promise<string> {
  const params = new URLSearchParams();
  params.set('v', String(LINK_VERSION));
  params.set('pv', PINSCOPE_VERSION);
  if (link.model !== undefined) params.set('m', String(link.model));
  if (link.kernel) params.set('k', link.kernel);
  if (link.compare) params.set('c', link.compare);
  if (link.step !== undefined) params.set('t', String(link.step));
  if (link.at) params.set('at', writePosition(link.at));
  if (link.chapter) params.set('ch', `${link.chapter.chapter}.${link.chapter.offset}`);
  if (link.fingerprint) {
    params.set('fp', link.fingerprint.hash);
    params.set('cn', writeCounters(link.fingerprint.counters));
  }
  if (link.scenarioId) params.set('id', link.scenarioId);
  if (link.folio !== undefined) params.set('f', String(link.folio));
  if (link.panel) params.set('p', link.panel);
  if (link.mode) params.set('mode', link.mode);
  const e = link.embed;
  if (e) {
    if (e.views) params.set('views', e.views.join(','));
    if (e.caption === false) params.set('caption', '0');
    if (e.start !== undefined) params.set('start', String(e.start));
    if (e.end !== undefined) params.set('end', String(e.end));
    if (e.autoplay) params.set('autoplay', '1');
    if (e.loop) params.set('loop', '1');
    if (e.keys) params.set('keys', e.keys);
    if (e.parentOrigin) params.set('po', e.parentOrigin);
  }
  if (link.realTrace) params.set('rt', await compressText(link.realTrace));
  params.set('s', await compressText(link.text));
  return `#${params.toString()}`;
}

// ---- upgrading older formats -----------------------------------------------------------------------------

/**
 * Format 1 → 2. Format 2 added the moment by statement and chapter (`at`, `ch`), the model version and
 * fingerprint (`m`, `fp`, `cn`), the maker (`pv`), `mode=embed` and the embed options. A format-1 link that
 * happens to carry any of those names did not mean them (a format-1 reader ignored them), so they are dropped,
 * as is any `mode` other than `present`: the link opens exactly as it did. Every field format 1 knew keeps its
 * name and meaning.
 */
export function upgradeV1ToV2(v1: URLSearchParams): URLSearchParams {
  const V1_FIELDS = ['k', 'c', 't', 'id', 'f', 'p', 's'];
  const v2 = new URLSearchParams();
  v2.set('v', '2');
  for (const name of V1_FIELDS) {
    const value = v1.get(name);
    if (value !== null) v2.set(name, value);
  }
  if (v1.get('mode') === 'present') v2.set('mode', 'present');
  return v2;
}

/** UPGRADERS[n] turns a format-n link into format n+1. Pure; applied in order up to LINK_VERSION. */
export const UPGRADERS: Readonly<Record<number, (params: URLSearchParams) => URLSearchParams>> = {
  1: upgradeV1ToV2,
};

/** The link's parameters in the current format, or why not. */
export function upgradeLink(params: URLSearchParams): { ok: true; params: URLSearchParams } | { ok: false; reason: string } {
  const version = params.get('v');
  if (version === null) return { ok: false, reason: 'the link has no format version' };
  if (!/^[1-9]\d{0,5}$/.test(version)) return { ok: false, reason: `the link uses format version ${version.slice(0, 12)}, which this version of pinscope does not know` };
  let n = Number(version);
  if (n > LINK_VERSION) {
    const maker = params.get('pv');
    const by = maker && /^[0-9A-Za-z.+-]{1,40}$/.test(maker) ? `pinscope ${maker}` : 'a newer pinscope';
    return {
      ok: false,
      reason: `the link uses format version ${n}, made by ${by}; this is pinscope ${PINSCOPE_VERSION}, which reads formats up to ${LINK_VERSION}. Open it in ${by === 'a newer pinscope' ? 'a newer pinscope' : `${by} or later`}`,
    };
  }
  let current = params;
  while (n < LINK_VERSION) {
    const upgrade = UPGRADERS[n];
    if (!upgrade) return { ok: false, reason: `the link uses format version ${n}, which this version of pinscope does not know` };
    current = upgrade(current);
    n++;
  }
  return { ok: true, params: current };
}

// ---- reading the current format --------------------------------------------------------------------------

const KERNEL_SPEC = /^[A-Za-z0-9._=\- ]{1,200}$/;
const SCENARIO_ID = /^[a-z0-9][a-z0-9/_-]{0,100}$/;
const PANEL = /^[a-z]{1,20}$/;
const SMALL_INT = /^\d{1,9}$/;

/** Why a kernel setting from a link cannot be used (unknown preset or toggle, bad value), or undefined. */
export function kernelProblem(spec: string): string | undefined {
  if (!KERNEL_SPEC.test(spec)) return 'is malformed';
  const resolved = resolveKernel(parseKernelSpec(spec));
  return resolved.ok ? undefined : `is not one pinscope knows: ${resolved.message}`;
}

function readStatementPosition(text: string | null): StatementPosition | undefined {
  const m = text === null ? null : /^(\d{1,9})\.(\d{1,9})\.(\d{1,9})$/.exec(text);
  return m ? { line: Number(m[1]), occurrence: Number(m[2]), offset: Number(m[3]) } : undefined;
}

function readChapterPosition(text: string | null): ChapterPosition | undefined {
  const m = text === null ? null : /^(\d{1,6})\.(\d{1,9})$/.exec(text);
  return m ? { chapter: Number(m[1]), offset: Number(m[2]) } : undefined;
}

function readFingerprint(hash: string | null, counters: string | null): Fingerprint | undefined {
  if (hash === null || !/^[0-9a-f]{8}$/.test(hash)) return undefined;
  const listed: FolioCounters[] = [];
  for (const item of (counters ?? '').split('_').slice(0, FINGERPRINT_LISTED)) {
    const m = /^(\d{1,9})\.(-?\d{1,12})\.(-?\d{1,12})\.(-?\d{1,12})$/.exec(item);
    if (m) listed.push({ id: Number(m[1]), refcount: Number(m[2]), mapcount: Number(m[3]), pincount: Number(m[4]) });
  }
  return { hash, counters: listed };
}

/** The embed options; a malformed one is left out, so the embed still shows something sensible. */
export function readEmbed(params: URLSearchParams): EmbedOptions {
  const e: EmbedOptions = {};
  const views = params.get('views');
  if (views !== null) {
    const chosen = views.split(',').filter((v): v is EmbedView => (EMBED_VIEWS as readonly string[]).includes(v));
    if (chosen.length > 0) e.views = [...new Set(chosen)];
  }
  if (params.get('caption') === '0') e.caption = false;
  const start = params.get('start');
  if (start !== null && SMALL_INT.test(start)) e.start = Number(start);
  const end = params.get('end');
  if (end !== null && SMALL_INT.test(end)) e.end = Number(end);
  if (params.get('autoplay') === '1') e.autoplay = true;
  if (params.get('loop') === '1') e.loop = true;
  const keys = params.get('keys');
  if (keys === 'own' || keys === 'host' || keys === 'none') e.keys = keys;
  const origin = params.get('po');
  if (origin !== null && /^https?:\/\/[A-Za-z0-9.-]{1,200}(:\d{1,5})?$/.test(origin)) e.parentOrigin = origin;
  return e;
}

/** Decode a location hash. Never throws; a damaged link gives a reason to show the user. */
export async function decodeLink(hash: string): Promise<LinkDecode> {
  const raw = hash.startsWith('#') ? hash.slice(1) : hash;
  if (raw.length === 0) return { ok: 'empty' };
  if (raw.length > MAX_HASH_CHARS) return { ok: false, reason: `the link is too long (${raw.length.toLocaleString('en-US')} characters)` };
  try {
    const upgraded = upgradeLink(new URLSearchParams(raw));
    if (!upgraded.ok) return upgraded;
    const params = upgraded.params;
    const data = params.get('s');
    if (!data) return { ok: false, reason: 'the link carries no scenario' };
    const text = await decompressText(data);
    const link: LinkState = { text };
    const kernel = params.get('k');
    if (kernel !== null) {
      const bad = kernelProblem(kernel);
      if (bad) return { ok: false, reason: `the kernel in the link (k=) ${bad}` };
      link.kernel = kernel;
    }
    const compare = params.get('c');
    if (compare !== null) {
      const bad = kernelProblem(compare);
      if (bad) return { ok: false, reason: `the compare kernel in the link (c=) ${bad}` };
      link.compare = compare;
    }
    // Added later than format 1's first fields: optional, and a malformed one is ignored rather than refused.
    const id = params.get('id');
    if (id !== null && SCENARIO_ID.test(id)) link.scenarioId = id;
    const f = params.get('f');
    if (f !== null && SMALL_INT.test(f)) link.folio = Number(f);
    const panel = params.get('p');
    if (panel !== null && PANEL.test(panel)) link.panel = panel;
    const mode = params.get('mode');
    if (mode === 'present' || mode === 'embed') link.mode = mode;
    const t = params.get('t');
    if (t !== null) {
      const step = Number(t);
      if (!Number.isSafeInteger(step) || step < 0) return { ok: false, reason: 'the step in the link is not a number' };
      link.step = step;
    }
    const at = readStatementPosition(params.get('at'));
    if (at) link.at = at;
    const chapter = readChapterPosition(params.get('ch'));
    if (chapter) link.chapter = chapter;
    const model = params.get('m');
    if (model !== null && /^\d{1,6}$/.test(model)) link.model = Number(model);
    const fingerprint = readFingerprint(params.get('fp'), params.get('cn'));
    if (fingerprint) link.fingerprint = fingerprint;
    if (link.mode === 'embed') link.embed = readEmbed(params);
    const rt = params.get('rt');
    if (rt !== null) {
      // A damaged trace does not cost the reader the scenario: it is left out, and opening says so.
      link.realTrace = await decompressText(rt).catch(() => '');
    }
    return { ok: true, link };
  } catch (e) {
    return { ok: false, reason: `the scenario data is damaged (${e instanceof Error ? e.message : 'unreadable'})` };
  }
}
