import { newId } from '@/lib/framework/ids';

/**
 * A short random id for a bracket (ties its runs together when other marks split it). From the
 * project's id helper: crypto.randomUUID is missing on a plain-http LAN address.
 */
export function newBracketId(): string {
  return `b${newId().slice(0, 12)}`;
}
