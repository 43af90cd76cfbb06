import { defineConfig, mergeConfig } from 'vitest/config';
import viteConfig from './vite.config.mjs';

/**
 * The web app's tests, with the app's own Vite configuration (React plugin, root web/): the pure
 * modules (`*.test.ts`) in Node, as they ran under jest; the components (`*.test.tsx`) in jsdom
 * (a DOM costs each file about a second to set up).
 */
export default mergeConfig(
  viteConfig,
  defineConfig({
    test: {
      // CI's machine has 2 cores; a component test that fills a form of thirty fields takes a few
      // seconds there, several times that when other work shares the cores (hence 30 s a test)
      maxWorkers: 2,
      minWorkers: 1,
      projects: [
        { extends: true, test: { name: 'modules', include: ['src/**/*.test.ts'], environment: 'node' } },
        { extends: true, test: { name: 'components', include: ['src/**/*.test.tsx'], environment: 'jsdom', setupFiles: ['./src/test/setup.ts'], restoreMocks: true, testTimeout: 30_000 } },
      ],
    },
  }),
);
