// Builds the product once if there is no production build yet (the Next.js app, or the compiled
// server), so `npm start` works on a fresh clone. Run `npm run build` yourself after changing code.
import { existsSync } from 'node:fs';
import { spawnSync } from 'node:child_process';

const distDir = process.env.NEXT_DIST_DIR ?? '.next';
const shell = process.platform === 'win32';
const run = (command, args) => {
  const result = spawnSync(command, args, { stdio: 'inherit', shell });
  if (result.status !== 0) process.exit(result.status ?? 1);
};
if (!existsSync(`${distDir}/BUILD_ID`)) {
  console.log('No production build found: running "next build" once (takes a minute or two).');
  run('npx', ['next', 'build']);
}
if (!existsSync('dist/server/index.js')) run('node', ['scripts/build-server.mjs']);
