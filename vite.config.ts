import react from '@vitejs/plugin-react';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  plugins: [react()],
  // Relative asset URLs: the built site works from any path (a subfolder, file-served, an iframe host).
  base: './',
  build: {
    target: 'es2022',
    sourcemap: true,
  },
  preview: {
    host: '127.0.0.1',
    port: 4173,
    strictPort: true,
  },
  test: {
    include: ['src/**/*.test.{ts,tsx}'],
    // Simulator and parser tests run in plain Node. A component test opts into a DOM with the comment
    // `// @vitest-environment happy-dom` on its first line.
    environment: 'node',
    // Reporters are chosen on the command line (scripts/test-all.sh adds the JSON one).
  },
});
