// The bar that gives edited text back: a draft from an earlier visit, or the text just replaced by another
// scenario or a dropped file.

import { clearDraft, restoreDraft, undoReplace, useDrafts } from './draft';

export function DraftBar() {
  const offered = useDrafts((d) => d.offered);
  const undo = useDrafts((d) => d.undo);
  if (undo) {
    return (
      <div className="notice draft-bar" role="status">
        <span>{`Your edited text was replaced by ${undo.by}.`}</span>
        <button type="button" onClick={undoReplace}>
          Undo
        </button>
        <button type="button" className="link" onClick={() => useDrafts.getState().setUndo(null)}>
          dismiss
        </button>
      </div>
    );
  }
  if (!offered) return null;
  const title = /^\s*title\s+(.*)$/m.exec(offered.text)?.[1]?.trim();
  const when = offered.savedAt ? new Date(offered.savedAt).toLocaleString() : 'an earlier visit';
  return (
    <div className="notice draft-bar" role="status">
      <span>{`You have a draft${title ? ` ("${title}")` : ''} from ${when}.`}</span>
      <button type="button" onClick={restoreDraft}>
        Restore it
      </button>
      <button
        type="button"
        className="link"
        onClick={() => {
          clearDraft();
          useDrafts.getState().offer(null);
        }}
      >
        discard
      </button>
    </div>
  );
}
