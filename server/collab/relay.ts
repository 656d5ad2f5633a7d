/**
 * Carries document updates and awareness between instances of the server (Redis pub/sub in the
 * scale-out issue). The default does nothing: one instance needs no relay.
 */
export interface DocumentRelay {
  publishUpdate(documentId: string, update: Uint8Array): void;
  publishAwareness(documentId: string, update: Uint8Array): void;
  /** Receives what other instances publish for a document; returns the unsubscribe function. */
  subscribe(
    documentId: string,
    handlers: { onUpdate(update: Uint8Array): void; onAwareness(update: Uint8Array): void },
  ): () => void;
  close(): Promise<void>;
}

/** Origin of transactions that came from the relay: not persisted here, nor published again. */
export const RELAY_ORIGIN = Symbol('relay');

export const noopRelay: DocumentRelay = {
  publishUpdate: () => undefined,
  publishAwareness: () => undefined,
  subscribe: () => () => undefined,
  close: async () => undefined,
};
