// "A newer pinscope is available — reload": non-modal, in the notices row, never taking the focus.

import { reloadOntoNewerVersion, useNewerVersion } from './serviceWorker';

export function NewerVersionNotice() {
  const waiting = useNewerVersion((s) => s.waiting);
  const dismissed = useNewerVersion((s) => s.dismissed);
  if (!waiting || dismissed) return null;
  return (
    <div className="notice newer-version" role="status">
      <span>A newer pinscope is available.</span>{' '}
      <button type="button" className="link" onClick={reloadOntoNewerVersion}>
        reload
      </button>{' '}
      <button type="button" className="link" onClick={() => useNewerVersion.setState({ dismissed: true })}>
        later
      </button>
    </div>
  );
}
