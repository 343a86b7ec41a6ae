// The "Video or GIF" dialog of the Export menu: format, step range, size and pace; a progress bar and Cancel
// while frames are drawn and encoded. Loaded on demand with the encoders behind it (video.ts).

import { useEffect, useRef, useState } from 'react';
import { useExplorer } from '../../store/explorer';
import type { ExportWhich } from './exporter';
import type { MotionFormat } from './video';

const FORMATS: { id: MotionFormat; label: string }[] = [
  { id: 'gif', label: 'Animated GIF' },
  { id: 'webm', label: 'WebM video' },
  { id: 'mp4', label: 'MP4 video' },
];

export const MOTION_SIZES = [
  { id: '640x360', label: '640 × 360', width: 640, height: 360 },
  { id: '960x540', label: '960 × 540', width: 960, height: 540 },
  { id: '1280x720', label: '1280 × 720 (720p)', width: 1280, height: 720 },
  { id: '1920x1080', label: '1920 × 1080 (1080p)', width: 1920, height: 1080 },
] as const;

export interface MotionDialogProps {
  which: ExportWhich;
  onClose(refocus: boolean): void;
}

export function MotionDialog({ which, onClose }: MotionDialogProps) {
  const step = useExplorer((s) => s.step);
  const last = useExplorer((s) => s.run?.lastStep ?? 0);
  const [format, setFormat] = useState<MotionFormat>('gif');
  const [from, setFrom] = useState(() => Math.max(0, step));
  const [to, setTo] = useState(() => Math.min(last, step + 5));
  const [size, setSize] = useState<string>('960x540');
  const [pace, setPace] = useState(2);
  const [progress, setProgress] = useState<{ done: number; total: number } | null>(null);
  const [status, setStatus] = useState<{ text: string; failed: boolean } | null>(null);
  const abort = useRef<AbortController | null>(null);
  const first = useRef<HTMLSelectElement>(null);

  useEffect(() => {
    first.current?.focus();
    const onKey = (e: KeyboardEvent) => {
      if (e.key !== 'Escape') return;
      e.preventDefault();
      e.stopImmediatePropagation();
      abort.current?.abort();
      onClose(true);
    };
    window.addEventListener('keydown', onKey, true);
    return () => window.removeEventListener('keydown', onKey, true);
  }, [onClose]);

  // Closing the dialog (or leaving the page's explorer) cancels an export under way.
  useEffect(() => () => abort.current?.abort(), []);

  const valid = Number.isInteger(from) && Number.isInteger(to) && from >= 0 && to <= last && from < to && pace > 0 && pace <= 30;

  const start = async () => {
    const controller = new AbortController();
    abort.current = controller;
    setStatus(null);
    setProgress({ done: 0, total: 0 });
    const chosen = MOTION_SIZES.find((s) => s.id === size) ?? MOTION_SIZES[1];
    try {
      const [{ exportMotion }, { download }] = await Promise.all([import('./video'), import('./exporter')]);
      useExplorer.getState().pause();
      const file = await exportMotion({
        which,
        format,
        from,
        to,
        width: chosen.width,
        height: chosen.height,
        pace,
        signal: controller.signal,
        onProgress: (done, total) => setProgress({ done, total }),
      });
      download(file.blob, file.name);
      setStatus({ text: `Saved ${file.name} (${file.frames} frames, ${Math.ceil(file.blob.size / 1024).toLocaleString('en-US')} KB, ${file.encoder})`, failed: false });
    } catch (err) {
      if (err instanceof DOMException && err.name === 'AbortError') setStatus({ text: 'Export cancelled', failed: false });
      else setStatus({ text: `Export failed: ${err instanceof Error ? err.message : String(err)}`, failed: true });
    } finally {
      if (abort.current === controller) abort.current = null;
      setProgress(null);
    }
  };

  const busy = progress !== null;
  const steps = valid ? to - from + 1 : 0;
  return (
    <div className="export-popover motion-dialog" role="dialog" aria-label="Export video or GIF">
      <label className="export-row">
        <span className="label">Format</span>
        <select ref={first} value={format} disabled={busy} onChange={(e) => setFormat(e.target.value as MotionFormat)}>
          {FORMATS.map((f) => (
            <option key={f.id} value={f.id}>
              {f.label}
            </option>
          ))}
        </select>
      </label>
      <div className="export-row">
        <label>
          <span className="label">From step</span>{' '}
          <input type="number" className="motion-step" min={0} max={last} value={from} disabled={busy} onChange={(e) => setFrom(e.target.valueAsNumber)} />
        </label>
        <label>
          <span className="label">to</span> <input type="number" className="motion-step" min={0} max={last} value={to} disabled={busy} onChange={(e) => setTo(e.target.valueAsNumber)} />
        </label>
      </div>
      <label className="export-row">
        <span className="label">Size</span>
        <select value={size} disabled={busy} onChange={(e) => setSize(e.target.value)}>
          {MOTION_SIZES.map((s) => (
            <option key={s.id} value={s.id}>
              {s.label}
            </option>
          ))}
        </select>
      </label>
      <label className="export-row">
        <span className="label">Pace (steps/s)</span>
        <input type="number" className="motion-step" min={0.25} max={30} step={0.25} value={pace} disabled={busy} onChange={(e) => setPace(e.target.valueAsNumber)} />
      </label>
      <p className="motion-note">{valid ? `${steps} steps, ${(steps / pace).toLocaleString('en-US', { maximumFractionDigits: 1 })} s` : `Choose steps from 0 to ${last}, "to" after "from"`}</p>
      {busy ? (
        <div className="export-row">
          <progress className="motion-progress" max={progress.total || 1} value={progress.done} aria-label={`Drawing frames: ${progress.done} of ${progress.total || '…'}`} />
          <button type="button" onClick={() => abort.current?.abort()}>
            Cancel
          </button>
        </div>
      ) : (
        <div className="export-row">
          <button type="button" className="motion-start" disabled={!valid} onClick={() => void start()}>
            Export
          </button>
          <button type="button" onClick={() => onClose(true)}>
            Close
          </button>
        </div>
      )}
      <p className={`motion-status${status?.failed ? ' failed' : ''}`} role="status">
        {status?.text ?? ''}
      </p>
    </div>
  );
}
