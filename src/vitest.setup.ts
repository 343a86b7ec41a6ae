// Vitest setup (vite.config.ts `test.setupFiles`): tests run without a worker, so every run goes on the page's
// thread; the app loads that simulator on first need (src/store/simClient.ts), tests load it once up front so
// a run is done before `run` returns, as the page's runs are once it is loaded.
import { loadPageRunner } from './store/simClient';

await loadPageRunner();
