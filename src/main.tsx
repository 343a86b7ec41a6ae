// First: it keeps the single file's own HTML before anything draws, and opens a saved copy on its moment.
import './view/export/ownDocument';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './view/App';
import { warmUpSimulator } from './store/simRuns';
import { EmbedPoster, asksPoster } from './view/embed/EmbedPoster';
import { registerServiceWorker } from './view/offline/serviceWorker';
import './view/styles.css';

const root = document.getElementById('root');
if (!root) throw new Error('pinscope: #root element missing from index.html');

/** `mode=embed` in the link's hash or the query: the picture only, for an iframe (src/view/embed, loaded on demand). */
function asksEmbed(): boolean {
  const hash = new URLSearchParams(window.location.hash.slice(1));
  // A format-1 link never meant embed mode (its upgrader drops the name): it opens the explorer, as it always did.
  return new URLSearchParams(window.location.search).get('mode') === 'embed' || (hash.get('mode') === 'embed' && hash.get('v') !== '1');
}

// `?mode=speaker&session=…` is the speaker view a presentation window opened (mode=present is the app itself).
const speaker = new URLSearchParams(window.location.search).get('mode') === 'speaker';

const reactRoot = createRoot(root);

function startEmbed(): void {
  warmUpSimulator();
  void import('./view/embed/EmbedApp').then(({ EmbedApp }) =>
    reactRoot.render(
      <StrictMode>
        <EmbedApp />
      </StrictMode>,
    ),
  );
}

if (asksEmbed() && asksPoster(window.location)) {
  // `poster=1`: a light poster until the reader clicks; only then the simulator, the worker and the views.
  reactRoot.render(
    <StrictMode>
      <EmbedPoster onLoad={startEmbed} />
    </StrictMode>,
  );
} else if (asksEmbed()) {
  startEmbed();
} else if (speaker) {
  warmUpSimulator();
  // The speaker's window is rare and opened by the presenter's: its code is not part of the first picture.
  void Promise.all([import('./view/present/SpeakerApp'), import('./view/present/speakerProtocol')]).then(([{ SpeakerApp }, { speakerSession }]) =>
    reactRoot.render(
      <StrictMode>
        <SpeakerApp session={speakerSession(window.location.search)} />
      </StrictMode>,
    ),
  );
} else {
  warmUpSimulator();
  registerServiceWorker();
  reactRoot.render(
    <StrictMode>
      <App />
    </StrictMode>,
  );
}
