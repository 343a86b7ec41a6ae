// PNG text chunks, written and read by hand: an exported PNG carries the pinscope link in a `tEXt` chunk so
// dropping the file back on pinscope reopens that picture. Only what that needs: the chunk walk, CRC-32 and
// Latin-1 text (the link is ASCII, so tEXt suffices; iTXt and zTXt are not written).

/** The keyword of the chunk holding the link. */
export const LINK_KEYWORD = 'pinscope-link';

const SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

let table: Uint32Array | null = null;

/** CRC-32 as PNG uses it (ISO 3309, reflected polynomial 0xEDB88320), over the chunk type and data. */
export function crc32(bytes: Uint8Array): number {
  if (!table) {
    table = new Uint32Array(256);
    for (let n = 0; n < 256; n++) {
      let c = n;
      for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
      table[n] = c >>> 0;
    }
  }
  let crc = 0xffffffff;
  for (const b of bytes) crc = table[(crc ^ b) & 0xff]! ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}

export function isPng(bytes: Uint8Array): boolean {
  return bytes.length >= 8 && SIGNATURE.every((b, i) => bytes[i] === b);
}

interface Chunk {
  type: string;
  /** Offset of the chunk's length field; the chunk spans [start, start + 12 + length). */
  start: number;
  length: number;
}

/** The chunks in file order; throws on a truncated file or a bad CRC, so a damaged link is never opened. */
function chunks(bytes: Uint8Array): Chunk[] {
  if (!isPng(bytes)) throw new Error('not a PNG file');
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const out: Chunk[] = [];
  let at = 8;
  while (at < bytes.length) {
    if (at + 12 > bytes.length) throw new Error('truncated PNG chunk');
    const length = view.getUint32(at);
    if (at + 12 + length > bytes.length) throw new Error('truncated PNG chunk');
    const type = String.fromCharCode(...bytes.subarray(at + 4, at + 8));
    const crc = view.getUint32(at + 8 + length);
    if (crc32(bytes.subarray(at + 4, at + 8 + length)) !== crc) throw new Error(`bad CRC in PNG chunk ${type}`);
    out.push({ type, start: at, length });
    at += 12 + length;
    if (type === 'IEND') break;
  }
  if (out[out.length - 1]?.type !== 'IEND') throw new Error('PNG has no IEND chunk');
  return out;
}

function latin1(text: string, what: string): Uint8Array {
  const out = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c > 0xff || c === 0) throw new Error(`${what} must be Latin-1 text without NUL`);
    out[i] = c;
  }
  return out;
}

/** One complete chunk (length, type, data, CRC). */
export function encodeChunk(type: string, data: Uint8Array): Uint8Array {
  const out = new Uint8Array(12 + data.length);
  const view = new DataView(out.buffer);
  view.setUint32(0, data.length);
  out.set(latin1(type, 'chunk type'), 4);
  out.set(data, 8);
  view.setUint32(8 + data.length, crc32(out.subarray(4, 8 + data.length)));
  return out;
}

/** The PNG with a `tEXt` chunk `keyword`=`text` inserted just before IEND (any earlier one of that keyword removed). */
export function withTextChunk(png: Uint8Array, keyword: string, text: string): Uint8Array {
  if (keyword.length < 1 || keyword.length > 79) throw new Error('a tEXt keyword has 1 to 79 characters');
  const key = latin1(keyword, 'keyword');
  const value = latin1(text, 'text');
  const data = new Uint8Array(key.length + 1 + value.length);
  data.set(key, 0);
  data.set(value, key.length + 1);
  const chunk = encodeChunk('tEXt', data);
  const parts: Uint8Array[] = [png.subarray(0, 8)];
  for (const c of chunks(png)) {
    if (c.type === 'tEXt' && textOf(png, c)?.[0] === keyword) continue;
    if (c.type === 'IEND') parts.push(chunk);
    parts.push(png.subarray(c.start, c.start + 12 + c.length));
  }
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

function textOf(png: Uint8Array, c: Chunk): [string, string] | null {
  const data = png.subarray(c.start + 8, c.start + 8 + c.length);
  const nul = data.indexOf(0);
  if (nul < 1) return null;
  return [String.fromCharCode(...data.subarray(0, nul)), decodeLatin1(data.subarray(nul + 1))];
}

function decodeLatin1(bytes: Uint8Array): string {
  let s = '';
  for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return s;
}

/** The text of the first `tEXt` chunk named `keyword`, or null when there is none. Throws on a damaged PNG. */
export function readTextChunk(png: Uint8Array, keyword: string): string | null {
  for (const c of chunks(png)) {
    if (c.type !== 'tEXt') continue;
    const kv = textOf(png, c);
    if (kv && kv[0] === keyword) return kv[1];
  }
  return null;
}

/** Width and height from the IHDR chunk. */
export function pngSize(png: Uint8Array): { width: number; height: number } {
  const first = chunks(png)[0];
  if (first?.type !== 'IHDR') throw new Error('PNG does not start with IHDR');
  const view = new DataView(png.buffer, png.byteOffset, png.byteLength);
  return { width: view.getUint32(first.start + 8), height: view.getUint32(first.start + 12) };
}
