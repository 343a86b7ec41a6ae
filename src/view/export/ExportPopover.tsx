// The Export menu's popover: which picture, SVG, PNG 1×/2×/3×, Copy image, and the way to the video dialog.
// Loaded the first time the menu opens (ExportMenu.tsx keeps the button, the state and the status line).

import { useEffect, useRef } from 'react';

const PICTURES = [
  { id: 'all', label: 'Whole picture' },
  { id: 'pagetables', label: 'Page tables' },
  { id: 'memory', label: 'Memory' },
  { id: 'graph', label: 'Refcount graph' },
  { id: 'blockio', label: 'Block I/O' },
] as const;
export type ExportPicture = (typeof PICTURES)[number]['id'];

export type ExportAction = { kind: 'svg' } | { kind: 'png'; scale: number } | { kind: 'copy' } | { kind: 'offline' };

export interface ExportPopoverProps {
  picture: ExportPicture;
  onPicture(picture: ExportPicture): void;
  onRun(action: ExportAction): void;
  onMotion(): void;
}

export function ExportPopover({ picture, onPicture, onRun, onMotion }: ExportPopoverProps) {
  const first = useRef<HTMLSelectElement>(null);
  // Focus moves into the menu when it opens (it mounts open).
  useEffect(() => first.current?.focus(), []);
  return (
    <div className="export-popover" role="dialog" aria-label="Export">
      <label className="export-row">
        <span className="label">Picture</span>
        <select ref={first} value={picture} aria-label="Picture to export" onChange={(e) => onPicture(e.target.value as ExportPicture)}>
          {PICTURES.map((p) => (
            <option key={p.id} value={p.id}>
              {p.label}
            </option>
          ))}
        </select>
      </label>
      <div className="export-row" role="group" aria-label="Save as">
        <button type="button" onClick={() => onRun({ kind: 'svg' })} title="Self-contained SVG with the link in its metadata">
          SVG
        </button>
        {[1, 2, 3].map((scale) => (
          <button key={scale} type="button" aria-label={`PNG ${scale}×`} onClick={() => onRun({ kind: 'png', scale })} title={`PNG at ${scale}× the size on screen; dropping it on pinscope reopens this picture`}>
            {`PNG ${scale}×`}
          </button>
        ))}
      </div>
      <button type="button" className="export-copy" onClick={() => onRun({ kind: 'copy' })} title="Put a 2× PNG on the clipboard">
        Copy image
      </button>
      <button type="button" className="export-motion" aria-haspopup="dialog" onClick={onMotion} title="A video or an animated GIF of a range of steps, with the transitions">
        Video or GIF…
      </button>
      <button type="button" className="export-offline" onClick={() => onRun({ kind: 'offline' })} title="One HTML file that runs pinscope offline (from a USB stick, a mail attachment) and opens on this scenario, kernel and step">
        Save a copy with this scenario
      </button>
    </div>
  );
}
