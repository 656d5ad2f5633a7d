import * as decoding from 'lib0/decoding';
import type * as encoding from 'lib0/encoding';
import type { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import { MessageType, readAccessMessage, readSavedMessage, type AccessInfo } from './protocol';

/** What the UI shows: "Saved", "Saving…", or "Offline, kept on this device". */
export type SavedStatus = 'saved' | 'saving' | 'offline';

export type SavedStatusTracker = {
  status(): SavedStatus;
  /** True while this device holds changes the server has not confirmed as stored. */
  hasUnsavedChanges(): boolean;
  /** The access the server last reported, or null before it did. */
  access(): AccessInfo | null;
  /** Called on every change of status or access; returns the unsubscribe function. */
  subscribe(listener: () => void): () => void;
  destroy(): void;
};

type MessageHandler = (
  encoder: encoding.Encoder,
  decoder: decoding.Decoder,
  provider: WebsocketProvider,
  emitSynced: boolean,
  messageType: number,
) => void;

/**
 * Registers the handlers of our saved and access messages on a y-websocket provider and derives
 * the saved status: saved when the server's durable state vector covers every change this
 * document's client id made, saving when it does not, offline when the socket is down.
 */
export function trackSavedStatus(provider: WebsocketProvider): SavedStatusTracker {
  const doc = provider.doc;
  const listeners = new Set<() => void>();
  // Clock of our own client id that the server confirmed as stored.
  let durableClock = 0;
  let access: AccessInfo | null = null;
  let last: SavedStatus | null = null;
  let lastAccess: AccessInfo | null = null;

  const localClock = () => Y.getState(doc.store, doc.clientID);
  const hasUnsavedChanges = () => localClock() > durableClock;
  const status = (): SavedStatus => {
    if (!provider.wsconnected) return 'offline';
    return hasUnsavedChanges() ? 'saving' : 'saved';
  };
  const notify = () => {
    const now = status();
    if (now === last && access === lastAccess) return;
    last = now;
    lastAccess = access;
    for (const listener of listeners) listener();
  };

  const handlers = provider.messageHandlers as unknown as MessageHandler[];
  handlers[MessageType.saved] = (_encoder, decoder) => {
    const stateVector = Y.decodeStateVector(readSavedMessage(decoder));
    durableClock = Math.max(durableClock, stateVector.get(doc.clientID) ?? 0);
    notify();
  };
  handlers[MessageType.access] = (_encoder, decoder) => {
    access = readAccessMessage(decoder);
    notify();
  };

  const onUpdate = () => notify();
  const onStatus = () => notify();
  doc.on('update', onUpdate);
  provider.on('status', onStatus);
  provider.on('connection-close', onStatus);

  return {
    status,
    hasUnsavedChanges,
    access: () => access,
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    destroy() {
      doc.off('update', onUpdate);
      provider.off('status', onStatus);
      provider.off('connection-close', onStatus);
      delete handlers[MessageType.saved];
      delete handlers[MessageType.access];
      listeners.clear();
    },
  };
}
