// The `?` overlay: every shortcut, from the same action list the keyboard handler uses.

import { useExplorer } from '../store/explorer';
import { ACTIONS } from './actions';

export function HelpOverlay() {
  const open = useExplorer((s) => s.helpOpen);
  const close = () => useExplorer.getState().setHelpOpen(false);
  if (!open) return null;
  return (
    <div className="overlay">
      <div className="overlay-card" role="dialog" aria-modal="true" aria-label="Keyboard shortcuts">
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
