// Builds the Next.js app once if there is no production build yet, so `npm start` works on a
// fresh clone. Run `npm run build` yourself after changing the code.
import { existsSync } from 'node:fs';
import { spawnSync } from 'node:child_process';

const distDir = process.env.NEXT_DIST_DIR ?? '.next';
if (!existsSync(`${distDir}/BUILD_ID`)) {
  console.log('No production build found: running "next build" once (takes a minute or two).');
  const result = spawnSync('npx', ['next', 'build'], { stdio: 'inherit' });
  process.exit(result.status ?? 1);
}
