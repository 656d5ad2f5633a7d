import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';

// AES-256-GCM under a key derived from AUTH_SECRET: a copy of the database alone does not reveal
// anyone's TOTP secret. Changing AUTH_SECRET makes stored secrets unreadable (users re-enrol).
const INFO = 'briefing-workspace totp secret v1';
const VERSION = 'v1';

function keyOf(authSecret: string): Buffer {
  return Buffer.from(hkdfSync('sha256', authSecret, Buffer.alloc(0), INFO, 32));
}

/** Encrypts a TOTP secret for storage: "v1.<iv>.<tag>.<ciphertext>", base64url parts. */
export function sealTotpSecret(secret: string, authSecret: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', keyOf(authSecret), iv);
  const body = Buffer.concat([cipher.update(secret, 'utf8'), cipher.final()]);
  return [VERSION, iv, cipher.getAuthTag(), body]
    .map((part) => (typeof part === 'string' ? part : part.toString('base64url')))
    .join('.');
}

/** The stored secret in clear, or null when it was sealed under another key or is damaged. */
export function openTotpSecret(box: string, authSecret: string): string | null {
  const [version, iv, tag, body] = box.split('.');
  if (version !== VERSION || !iv || !tag || !body) return null;
  try {
    const decipher = createDecipheriv(
      'aes-256-gcm',
      keyOf(authSecret),
      Buffer.from(iv, 'base64url'),
    );
    decipher.setAuthTag(Buffer.from(tag, 'base64url'));
    return Buffer.concat([
      decipher.update(Buffer.from(body, 'base64url')),
      decipher.final(),
    ]).toString('utf8');
  } catch {
    return null;
  }
}
