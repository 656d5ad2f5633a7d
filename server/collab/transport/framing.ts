/**
 * The websocket framing of y-websocket messages as clients send them: reads one message into
 * a typed ClientMessage with every length checked against the bytes left, and the bounded lib0
 * readers that the update check and the awareness guard decode their payloads with. Update
 * payloads are only framed here; document/update-check.ts reads them, and only for writers.
 */
import * as decoding from 'lib0/decoding';
import { MessageType, SyncMessageType } from '../../../lib/collab/protocol';

/** A client message, fully read and checked before anything acts on it. */
export type ClientMessage =
  | { kind: 'syncStep1'; stateVector: Uint8Array }
  | { kind: 'syncStep2'; update: Uint8Array }
  | { kind: 'update'; update: Uint8Array }
  | { kind: 'awareness'; update: Uint8Array }
  | { kind: 'queryAwareness' };

/** Input that breaks the protocol; the connection that sent it is closed with `reason`. */
export class MalformedMessage extends Error {
  constructor(readonly reason: string) {
    super(reason);
    this.name = 'MalformedMessage';
  }
}

/**
 * Reads one websocket message. Checks every length against the bytes actually left, refuses
 * unknown types and trailing bytes, and throws MalformedMessage rather than a decoder error.
 * Update payloads are only framed here; `checkUpdate` decodes them, and only for writers.
 */
export function parseClientMessage(data: Uint8Array): ClientMessage {
  if (data.length === 0) throw new MalformedMessage('empty message');
  const decoder = decoding.createDecoder(data);
  const type = readSmallUint(decoder, 'message type');
  let message: ClientMessage;
  switch (type) {
    case MessageType.sync: {
      const syncType = readSmallUint(decoder, 'sync type');
      const payload = readBytes(decoder, 'sync payload');
      if (syncType === SyncMessageType.step1) {
        checkStateVector(payload);
        message = { kind: 'syncStep1', stateVector: payload };
      } else if (syncType === SyncMessageType.step2) {
        message = { kind: 'syncStep2', update: payload };
      } else if (syncType === SyncMessageType.update) {
        message = { kind: 'update', update: payload };
      } else {
        throw new MalformedMessage(`unknown sync message type ${syncType}`);
      }
      break;
    }
    case MessageType.awareness:
      message = { kind: 'awareness', update: readBytes(decoder, 'awareness payload') };
      break;
    case MessageType.queryAwareness:
      message = { kind: 'queryAwareness' };
      break;
    default:
      throw new MalformedMessage(`unknown message type ${type}`);
  }
  if (decoding.hasContent(decoder)) throw new MalformedMessage('trailing bytes after message');
  return message;
}

/** A state vector (a sync step 1): entry count within bounds, no trailing bytes. */
function checkStateVector(stateVector: Uint8Array): void {
  const decoder = decoding.createDecoder(stateVector);
  const entries = readSmallUint(decoder, 'state vector size');
  if (entries * 2 > decoder.arr.length - decoder.pos) {
    throw new MalformedMessage('state vector size out of bounds');
  }
  for (let i = 0; i < entries; i++) {
    readSmallUint(decoder, 'state vector client');
    readSmallUint(decoder, 'state vector clock');
  }
  if (decoding.hasContent(decoder)) throw new MalformedMessage('trailing bytes in state vector');
}

/** A varuint that must end inside the buffer and fit in 32 bits (lib0 allows 53). */
export function readSmallUint(decoder: decoding.Decoder, what: string): number {
  let value: number;
  try {
    value = decoding.readVarUint(decoder);
  } catch {
    throw new MalformedMessage(`truncated ${what}`);
  }
  if (value > 0xffffffff) throw new MalformedMessage(`${what} out of range`);
  return value;
}

/** A length-prefixed byte array whose length must fit in what is left. */
export function readBytes(decoder: decoding.Decoder, what: string): Uint8Array {
  const length = readSmallUint(decoder, `${what} length`);
  if (length > decoder.arr.length - decoder.pos) {
    throw new MalformedMessage(`${what} length beyond the message`);
  }
  return decoding.readUint8Array(decoder, length);
}

/** A length-prefixed UTF-8 string; bad UTF-8 is refused rather than replaced. */
export function readString(decoder: decoding.Decoder, what: string, maxBytes: number): string {
  const bytes = readBytes(decoder, what);
  if (bytes.length > maxBytes) throw new MalformedMessage(`${what} too large`);
  try {
    return utf8.decode(bytes);
  } catch {
    throw new MalformedMessage(`${what} is not UTF-8`);
  }
}

/** One decoder for every string: without `stream`, each decode starts afresh, even after an error. */
const utf8 = new TextDecoder('utf-8', { fatal: true });
