import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import type { AccessChange } from '../../../../lib/collab/live-documents';

/** Health of the relay, as /healthz and the metrics report it. */
export type RelayStatus = 'disabled' | 'connected' | 'disconnected';

/**
 * Carries bytes between instances of the server: one channel per document, one for access
 * changes. It knows nothing of Yjs (relay-extension.ts speaks the protocol over it). Delivery is
 * best effort: a message published while the link is down is lost, and `onReady` fires again
 * after a reconnect so that the instances re-exchange state.
 */
export interface DocumentRelay {
  /** Unique per process: tells this instance's own messages and replies addressed to it apart. */
  readonly instanceId: string;
  publish(documentId: string, message: Uint8Array): void;
  /**
   * Receives what other instances publish for a document. `onReady` runs once the subscription is
   * active, and again after every reconnect. Returns the unsubscribe function.
   */
  subscribe(
    documentId: string,
    handlers: { onMessage(message: Uint8Array): void; onReady(): void },
  ): () => void;
  publishAccessChange(change: AccessChange): void;
  /** Access changes published by other instances; returns the unsubscribe function. */
  onAccessChange(listener: (change: AccessChange) => void): () => void;
  status(): RelayStatus;
  close(): Promise<void>;
}

export const noopRelay: DocumentRelay = {
  instanceId: 'single',
  publish: () => undefined,
  subscribe: () => () => undefined,
  publishAccessChange: () => undefined,
  onAccessChange: () => () => undefined,
  status: () => 'disabled',
  close: async () => undefined,
};

/** Kinds of messages between instances on a document channel. */
export const RelayKind = {
  /** A change made on the sender: [varUint seq][varString userId][varUint8Array update]. */
  update: 0,
  /** Awareness changes: [varUint8Array awareness update]. */
  awareness: 1,
  /** The sender's state vector; whoever receives it answers with a step 2 for the sender only. */
  syncStep1: 2,
  /** The difference a step 1 asked for: applied by its target only. */
  syncStep2: 3,
  /** The sender stored its own updates of this document up to `seq`: [varUint seq]. */
  saved: 4,
  /**
   * The document's comments changed (written through any instance's app): the receivers tell
   * their own connections. [varString layerId][varString thread JSON] ('' = none), see
   * CommentsNotice.
   */
  comments: 5,
} as const;

export type RelayMessage =
  | { kind: 'update'; seq: number; userId: string | null; update: Uint8Array }
  | { kind: 'awareness'; update: Uint8Array }
  | { kind: 'syncStep1'; stateVector: Uint8Array }
  | { kind: 'syncStep2'; update: Uint8Array }
  | { kind: 'saved'; seq: number }
  | { kind: 'comments'; layerId: string | null; thread: string | null; topic?: 'amendments' };

/** Envelope: [varUint kind][varString sender][varString target, '' = every instance][body]. */
export type RelayEnvelope = { sender: string; target: string; message: RelayMessage };

export function encodeRelayMessage(envelope: RelayEnvelope): Uint8Array {
  const encoder = encoding.createEncoder();
  const { message } = envelope;
  encoding.writeVarUint(encoder, RelayKind[message.kind]);
  encoding.writeVarString(encoder, envelope.sender);
  encoding.writeVarString(encoder, envelope.target);
  switch (message.kind) {
    case 'update':
      encoding.writeVarUint(encoder, message.seq);
      encoding.writeVarString(encoder, message.userId ?? '');
      encoding.writeVarUint8Array(encoder, message.update);
      break;
    case 'awareness':
    case 'syncStep2':
      encoding.writeVarUint8Array(encoder, message.update);
      break;
    case 'syncStep1':
      encoding.writeVarUint8Array(encoder, message.stateVector);
      break;
    case 'saved':
      encoding.writeVarUint(encoder, message.seq);
      break;
    case 'comments':
      encoding.writeVarString(encoder, message.layerId ?? '');
      encoding.writeVarString(encoder, message.thread ?? '');
      if (message.topic) encoding.writeVarString(encoder, message.topic);
      break;
  }
  return encoding.toUint8Array(encoder);
}

/** Reads an envelope; throws on bytes that are not one (Redis is shared infrastructure). */
export function decodeRelayMessage(data: Uint8Array): RelayEnvelope {
  const decoder = decoding.createDecoder(data);
  const kind = decoding.readVarUint(decoder);
  const sender = decoding.readVarString(decoder);
  const target = decoding.readVarString(decoder);
  let message: RelayMessage;
  switch (kind) {
    case RelayKind.update: {
      const seq = decoding.readVarUint(decoder);
      const userId = decoding.readVarString(decoder);
      message = { kind: 'update', seq, userId: userId || null, update: readBytes(decoder) };
      break;
    }
    case RelayKind.awareness:
      message = { kind: 'awareness', update: readBytes(decoder) };
      break;
    case RelayKind.syncStep1:
      message = { kind: 'syncStep1', stateVector: readBytes(decoder) };
      break;
    case RelayKind.syncStep2:
      message = { kind: 'syncStep2', update: readBytes(decoder) };
      break;
    case RelayKind.saved:
      message = { kind: 'saved', seq: decoding.readVarUint(decoder) };
      break;
    case RelayKind.comments: {
      const layerId = decoding.readVarString(decoder) || null;
      const thread = decoding.readVarString(decoder) || null;
      const topic = decoding.hasContent(decoder) ? decoding.readVarString(decoder) : '';
      message =
        topic === 'amendments'
          ? { kind: 'comments', layerId, thread, topic }
          : { kind: 'comments', layerId, thread };
      break;
    }
    default:
      throw new Error(`unknown relay message kind ${kind}`);
  }
  if (decoding.hasContent(decoder)) throw new Error('trailing bytes in relay message');
  return { sender, target, message };
}

function readBytes(decoder: decoding.Decoder): Uint8Array {
  const length = decoding.readVarUint(decoder);
  if (length > decoder.arr.length - decoder.pos) throw new Error('relay message truncated');
  return decoding.readUint8Array(decoder, length);
}
