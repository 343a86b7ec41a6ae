import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './view/App';
import { SpeakerApp } from './view/present/SpeakerApp';
import { speakerSession } from './view/present/speakerProtocol';
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
if (asksEmbed()) {
  void import('./view/embed/EmbedApp').then(({ EmbedApp }) =>
    reactRoot.render(
      <StrictMode>
        <EmbedApp />
      </StrictMode>,
    ),
  );
} else {
  reactRoot.render(
    <StrictMode>
      {speaker ? <SpeakerApp session={speakerSession(window.location.search)} /> : <App />}
    </StrictMode>,
  );
}
