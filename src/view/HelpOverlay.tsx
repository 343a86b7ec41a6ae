// The `?` overlay: every shortcut, from the same action list the keyboard handler uses. A modal dialog: focus
// moves into it when it opens, Tab and Shift+Tab cycle inside it, and when it closes (Escape, its button, `?`)
// focus goes back to where it was, or to the top bar's shortcuts button when it was nowhere.

import { useEffect, useRef } from 'react';
import { useExplorer } from '../store/explorer';
import { ACTIONS } from './actions';

const FOCUSABLE = 'button:not([disabled]), [href], input:not([disabled]), select:not([disabled]), textarea:not([disabled]), [tabindex]:not([tabindex="-1"])';

export function HelpOverlay() {
  const open = useExplorer((s) => s.helpOpen);
  if (!open) return null;
  return <HelpDialog />;
}

function HelpDialog() {
  const card = useRef<HTMLDivElement>(null);
  const close = () => useExplorer.getState().setHelpOpen(false);

  useEffect(() => {
    // The opener may be an HTML control or an SVG one (a folio card, a page-table row).
    const active = document.activeElement;
    const opener = (active instanceof HTMLElement || active instanceof SVGElement) && active !== document.body ? active : null;
    const first = () => card.current?.querySelector<HTMLElement>(FOCUSABLE)?.focus();
    first();
    // Focus that leaves the dialog any other way (a click on the scrim) is brought back.
    const keep = (e: FocusEvent) => {
      if (card.current && e.target instanceof Node && !card.current.contains(e.target)) first();
    };
    // Tab and Shift+Tab cycle through the dialog's controls.
    const cycle = (e: KeyboardEvent) => {
      if (e.key !== 'Tab' || !card.current) return;
      const items = [...card.current.querySelectorAll<HTMLElement>(FOCUSABLE)];
      if (items.length === 0) return;
      const i = items.indexOf(document.activeElement as HTMLElement);
      const next = e.shiftKey ? (i <= 0 ? items.length - 1 : i - 1) : i === items.length - 1 ? 0 : i + 1;
      e.preventDefault();
      items[next]!.focus();
    };
    // A press on the scrim would move focus to the page's body (no focus event to catch): it is kept.
    const scrim = card.current?.parentElement;
    const hold = (e: MouseEvent) => {
      if (e.target === scrim) e.preventDefault();
    };
    document.addEventListener('focusin', keep);
    document.addEventListener('keydown', cycle);
    scrim?.addEventListener('mousedown', hold);
    return () => {
      document.removeEventListener('focusin', keep);
      document.removeEventListener('keydown', cycle);
      scrim?.removeEventListener('mousedown', hold);
      const back = opener?.isConnected ? opener : document.querySelector<HTMLElement>('button[aria-label="Keyboard shortcuts"]');
      back?.focus();
    };
  }, []);

  return (
    <div className="overlay">
      <div className="overlay-card" role="dialog" aria-modal="true" aria-label="Keyboard shortcuts" ref={card}>
        <h2>Keyboard shortcuts</h2>
        <table>
          <tbody>
            {ACTIONS.map((a) => (
              <tr key={a.id}>
                <td>
                  <kbd>{a.keyLabel}</kbd>
                </td>
                <td>{a.label}</td>
              </tr>
            ))}
          </tbody>
        </table>
        <p className="hint">Click any folio to see who holds its references. Drop a .scn file anywhere to open it.</p>
        <button type="button" onClick={close}>
          Close
        </button>
      </div>
    </div>
  );
}
