// Placeholder entry point (build infrastructure only); the lead replaces it with the real app.
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';

const root = document.getElementById('root');
if (!root) throw new Error('pinscope: #root element missing from index.html');

createRoot(root).render(
  <StrictMode>
    <h1>pinscope</h1>
  </StrictMode>,
);
