import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './view/App';
import './view/styles.css';

const root = document.getElementById('root');
if (!root) throw new Error('pinscope: #root element missing from index.html');

createRoot(root).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
