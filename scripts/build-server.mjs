// Compiles the custom server, the sync server on its own, and the persistence thread into
// dist/server/ (one file each, ESM). Packages stay external: the process loads them, Yjs
// included, from node_modules once, shared with the Next.js route code (next.config.ts).
import { build } from 'esbuild';

await build({
  entryPoints: {
    index: 'server/index.ts',
    standalone: 'server/collab/standalone.ts',
    'persist-thread-worker': 'server/collab/hooks/persistence/persist-thread-worker.ts',
  },
  outdir: 'dist/server',
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'esm',
  packages: 'external',
  sourcemap: true,
  logLevel: 'warning',
});
console.log('server compiled to dist/server/');
