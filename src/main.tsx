import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './view/App';
import { SpeakerApp } from './view/present/SpeakerApp';
import { speakerSession } from './view/present/speakerProtocol';
import './view/styles.css';

const root = document.getElementById('root');
if (!root) throw new Error('pinscope: #root element missing from index.html');

// `?mode=speaker&session=…` is the speaker view a presentation window opened (mode=present and embed are the
// app itself).
const speaker = new URLSearchParams(window.location.search).get('mode') === 'speaker';

createRoot(root).render(
  <StrictMode>
    {speaker ? <SpeakerApp session={speakerSession(window.location.search)} /> : <App />}
  </StrictMode>,
);
