import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import type { AwarenessUser } from '../../../lib/collab/protocol';
import { MalformedMessage, readSmallUint, readString } from '../transport/framing';

export type AwarenessEntry = {
  clientId: number;
  clock: number;
  /** null removes the client's presence. */
  state: Record<string, unknown> | null;
};

/**
 * Reads an awareness update (y-protocols format: count, then client id, clock and JSON state per
 * entry) with bounds on the entry count and each state's size; throws MalformedMessage.
 */
export function parseAwarenessUpdate(
  update: Uint8Array,
  limits: { maxEntries: number; maxStateBytes: number },
): AwarenessEntry[] {
  const decoder = decoding.createDecoder(update);
  const count = readSmallUint(decoder, 'awareness entry count');
  if (count === 0) throw new MalformedMessage('empty awareness update');
  if (count > limits.maxEntries) throw new MalformedMessage('too many awareness entries');
  const entries: AwarenessEntry[] = [];
  for (let i = 0; i < count; i++) {
    const clientId = readSmallUint(decoder, 'awareness client id');
    const clock = readSmallUint(decoder, 'awareness clock');
    const json = readString(decoder, 'awareness state', limits.maxStateBytes);
    let state: unknown;
    try {
      state = JSON.parse(json);
    } catch {
      throw new MalformedMessage('awareness state is not JSON');
    }
    if (state !== null && (typeof state !== 'object' || Array.isArray(state))) {
      throw new MalformedMessage('awareness state is not an object');
    }
    entries.push({ clientId, clock, state: state as Record<string, unknown> | null });
  }
  if (decoding.hasContent(decoder)) throw new MalformedMessage('trailing bytes in awareness');
  return entries;
}

/** Replaces whatever `user` a client claimed with the identity the server authenticated. */
export function withServerIdentity(entry: AwarenessEntry, user: AwarenessUser): AwarenessEntry {
  if (entry.state === null) return entry;
  return { ...entry, state: { ...entry.state, user } };
}

export function encodeAwarenessEntries(entries: AwarenessEntry[]): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, entries.length);
  for (const entry of entries) {
    encoding.writeVarUint(encoder, entry.clientId);
    encoding.writeVarUint(encoder, entry.clock);
    encoding.writeVarString(encoder, JSON.stringify(entry.state));
  }
  return encoding.toUint8Array(encoder);
}
