import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

const here = (p) => fileURLToPath(new URL(p, import.meta.url));

/** The console is served by the gateway under /app; everything is bundled (no CDN at run time). */
export default defineConfig({
  root: here('./web'),
  base: '/app/',
  plugins: [react()],
  build: {
    outDir: here('./dist/public'),
    emptyOutDir: true,
    sourcemap: false,
    // the chart library (lazy, analytics page only) is the one large chunk
    chunkSizeWarningLimit: 600,
  },
});
