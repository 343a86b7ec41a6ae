// The top bar's Export menu: SVG of the whole picture or of one view, PNG at 1×/2×/3×, Copy image, and the
// "Video or GIF" dialog. The menu itself is small and in the main bundle; the exporter and the dialog are
// imported when asked for.

import { lazy, Suspense, useCallback, useEffect, useRef, useState } from 'react';
import './export.css';

const MotionDialog = lazy(() => import('./MotionDialog').then((m) => ({ default: m.MotionDialog })));
/** The popover's code (the explorer fetches it once the first picture is drawn). */
export const loadExportPopover = () => import('./ExportPopover');
const ExportPopover = lazy(() => loadExportPopover().then((m) => ({ default: m.ExportPopover })));

import type { ExportAction, ExportPicture as Picture } from './ExportPopover';

export function ExportMenu() {
  const [open, setOpen] = useState(false);
  const [motion, setMotion] = useState(false);
  const [picture, setPicture] = useState<Picture>('all');
  const [status, setStatus] = useState<{ text: string; failed: boolean } | null>(null);
  const [busy, setBusy] = useState(false);
  const root = useRef<HTMLDivElement>(null);
  const button = useRef<HTMLButtonElement>(null);
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);

  // Stable (refs and a state setter only), so the open menu's listeners are set once per opening.
  const close = useCallback((refocus: boolean) => {
    setOpen(false);
    if (refocus) button.current?.focus();
  }, []);

  useEffect(() => {
    if (!open) return;
    // Escape closes the menu (before the global Escape, which closes the folio details) and gives focus back
    // to the Export button; a press outside the menu and its button closes it too.
    const onKey = (e: KeyboardEvent) => {
      if (e.key !== 'Escape') return;
      e.preventDefault();
      e.stopImmediatePropagation();
      close(true);
    };
    const onDown = (e: MouseEvent) => {
      if (root.current && e.target instanceof Node && !root.current.contains(e.target)) close(false);
    };
    window.addEventListener('keydown', onKey, true);
    document.addEventListener('mousedown', onDown, true);
    return () => {
      window.removeEventListener('keydown', onKey, true);
      document.removeEventListener('mousedown', onDown, true);
    };
  }, [open, close]);

  useEffect(() => () => clearTimeout(timer.current), []);

  const closeMotion = useCallback((refocus: boolean) => {
    setMotion(false);
    if (refocus) button.current?.focus();
  }, []);

  const say = (text: string, failed: boolean) => {
    setStatus({ text, failed });
    clearTimeout(timer.current);
    timer.current = setTimeout(() => setStatus(null), failed ? 8000 : 3000);
  };

  const run = async (action: ExportAction) => {
    close(true);
    setBusy(true);
    try {
      if (action.kind === 'offline') {
        const [{ offlineCopy }, { download }] = await Promise.all([import('./offlineCopy'), import('./exporter')]);
        const copy = await offlineCopy();
        download(new Blob([copy.html], { type: 'text/html' }), copy.name);
        say(`Saved ${copy.name}`, false);
        return;
      }
      const ex = await import('./exporter');
      if (action.kind === 'svg') say(`Saved ${await ex.downloadSvg(picture)}`, false);
      else if (action.kind === 'png') say(`Saved ${await ex.downloadPng(picture, action.scale)}`, false);
      else {
        await ex.copyPng(picture);
        say('Image copied', false);
      }
    } catch (err) {
      say(`${action.kind === 'copy' ? 'Copy image failed' : 'Export failed'}: ${err instanceof Error ? err.message : String(err)}`, true);
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="export-menu" ref={root}>
      <button type="button" ref={button} aria-haspopup="dialog" aria-expanded={open} aria-busy={busy} onClick={() => setOpen(!open)} title="Export the picture as SVG or PNG">
        Export
      </button>
      {open && (
        <Suspense fallback={null}>
          <ExportPopover picture={picture} onPicture={setPicture} onRun={(action) => void run(action)} onMotion={() => {
            setOpen(false);
            setMotion(true);
          }} />
        </Suspense>
      )}
      {motion && (
        <Suspense fallback={null}>
          <MotionDialog which={picture} onClose={closeMotion} />
        </Suspense>
      )}
      <span className={`export-status${status?.failed ? ' failed' : ''}`} role="status">
        {status?.text ?? ''}
      </span>
    </div>
  );
}
