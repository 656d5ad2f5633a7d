/**
 * Short random ids for layers and list items. crypto.getRandomValues exists in browsers (also on
 * plain http, unlike randomUUID) and in Node, so one function serves the editor and the server.
 */
const ALPHABET = '0123456789abcdefghijklmnopqrstuvwxyz';

/** A random id of 16 base-36 characters (about 82 bits). */
export function newId(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  let id = '';
  // The slight modulo bias is harmless: ids need to be unique, not uniform.
  for (const byte of bytes) id += ALPHABET[byte % 36];
  return id;
}
