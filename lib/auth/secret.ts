import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/**
 * Makes sure AUTH_SECRET is set. Without one, a random secret is generated once and kept in the
 * data folder so a fresh machine runs with no configuration and sessions survive restarts.
 * Several instances must share one AUTH_SECRET (set it in the environment).
 */
export function ensureAuthSecret(env: NodeJS.ProcessEnv = process.env): string {
  if (env.AUTH_SECRET) return env.AUTH_SECRET;
  // The data folder is chosen at run time; nothing in it belongs in the build's file trace.
  const dir = path.resolve(/* turbopackIgnore: true */ env.DATA_DIR ?? '.data');
  const file = path.join(dir, 'auth-secret');
  let secret: string;
  try {
    secret = readFileSync(file, 'utf8').trim();
  } catch {
    mkdirSync(dir, { recursive: true });
    secret = randomBytes(32).toString('base64url');
    writeFileSync(file, secret, { mode: 0o600 });
  }
  env.AUTH_SECRET = secret;
  return secret;
}
