// The shareable link: the URL hash carries the scenario text (deflate-raw, base64url), the kernel, the step and
// the view, under a format version so links made today keep opening after future releases.
//   #v=1&k=v6.4&t=42&s=<base64url(deflate-raw(scenario text))>
// Nothing decoded from a URL is ever executed or injected as HTML: it becomes plain text and numbers.

import { parseKernelSpec, resolveKernel } from '../core';
import { LIMITS } from '../scenario';

export const LINK_VERSION = 1;
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
  /** `mode=present`: open in presentation mode (a public contract; `?mode=present` in the query works too). */
  mode?: 'present';
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

export async function encodeLink(link: LinkState): Promise<string> {
  const params = new URLSearchParams();
  params.set('v', String(LINK_VERSION));
  if (link.kernel) params.set('k', link.kernel);
  if (link.compare) params.set('c', link.compare);
  if (link.step !== undefined) params.set('t', String(link.step));
  if (link.scenarioId) params.set('id', link.scenarioId);
  if (link.folio !== undefined) params.set('f', String(link.folio));
  if (link.panel) params.set('p', link.panel);
  if (link.mode) params.set('mode', link.mode);
  params.set('s', await compressText(link.text));
  return `#${params.toString()}`;
}

const KERNEL_SPEC = /^[A-Za-z0-9._=\- ]{1,200}$/;
const SCENARIO_ID = /^[a-z0-9][a-z0-9/_-]{0,100}$/;
const PANEL = /^[a-z]{1,20}$/;

/** Why a kernel setting from a link cannot be used (unknown preset or toggle, bad value), or undefined. */
function kernelProblem(spec: string): string | undefined {
  if (!KERNEL_SPEC.test(spec)) return 'is malformed';
  const resolved = resolveKernel(parseKernelSpec(spec));
  return resolved.ok ? undefined : `is not one pinscope knows: ${resolved.message}`;
}

/** Decode a location hash. Never throws; a damaged link gives a reason to show the user. */
export async function decodeLink(hash: string): Promise<LinkDecode> {
  const raw = hash.startsWith('#') ? hash.slice(1) : hash;
  if (raw.length === 0) return { ok: 'empty' };
  if (raw.length > MAX_HASH_CHARS) return { ok: false, reason: `the link is too long (${raw.length.toLocaleString('en-US')} characters)` };
  try {
    const params = new URLSearchParams(raw);
    const version = params.get('v');
    if (version === null) return { ok: false, reason: 'the link has no format version' };
    if (version !== String(LINK_VERSION)) return { ok: false, reason: `the link uses format version ${version.slice(0, 12)}, which this version of pinscope does not know` };
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
    // Added later than v=1's first fields: optional, and a malformed one is ignored rather than refused.
    const id = params.get('id');
    if (id !== null && SCENARIO_ID.test(id)) link.scenarioId = id;
    const f = params.get('f');
    if (f !== null && /^\d{1,9}$/.test(f)) link.folio = Number(f);
    const panel = params.get('p');
    if (panel !== null && PANEL.test(panel)) link.panel = panel;
    if (params.get('mode') === 'present') link.mode = 'present';
    const t = params.get('t');
    if (t !== null) {
      const step = Number(t);
      if (!Number.isSafeInteger(step) || step < 0) return { ok: false, reason: 'the step in the link is not a number' };
      link.step = step;
    }
    return { ok: true, link };
  } catch (e) {
    return { ok: false, reason: `the scenario data is damaged (${e instanceof Error ? e.message : 'unreadable'})` };
  }
}
