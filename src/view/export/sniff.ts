// Whether a dropped file is a picture (PNG or SVG) rather than scenario text: those go to the exporter, which
// is loaded only then. Kept apart from the exporter so the file drop can ask without loading it.

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

export async function isPictureFile(file: File): Promise<boolean> {
  if (file.type === 'image/png' || file.type === 'image/svg+xml' || /\.(png|svg)$/i.test(file.name)) return true;
  // A PNG saved without its extension or type (some mail clients) is still known by its signature.
  const head = new Uint8Array(await file.slice(0, 8).arrayBuffer());
  return head.length === 8 && PNG_SIGNATURE.every((b, i) => head[i] === b);
}
