import * as awarenessProtocol from 'y-protocols/awareness';
import type { CollabExtension } from './extensions';
import { RELAY_ORIGIN, type DocumentRelay } from './relay';

/** Publishes local changes and presence to other instances and applies theirs. */
export function relayExtension(relay: DocumentRelay): CollabExtension {
  const subscriptions = new Map<string, () => void>();
  return {
    name: 'relay',
    afterLoad(document) {
      subscriptions.set(
        document.id,
        relay.subscribe(document.id, {
          onUpdate: (update) => document.applyExternalUpdate(update, RELAY_ORIGIN),
          onAwareness: (update) =>
            awarenessProtocol.applyAwarenessUpdate(document.awareness, update, RELAY_ORIGIN),
        }),
      );
    },
    onChange({ document, update, origin }) {
      if (origin !== RELAY_ORIGIN) relay.publishUpdate(document.id, update);
    },
    onAwareness({ document, update, origin }) {
      if (origin !== RELAY_ORIGIN) relay.publishAwareness(document.id, update);
    },
    afterUnload(document) {
      subscriptions.get(document.id)?.();
      subscriptions.delete(document.id);
    },
    close: () => relay.close(),
  };
}
