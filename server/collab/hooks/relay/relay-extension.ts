import * as awarenessProtocol from 'y-protocols/awareness';
import * as Y from 'yjs';
import type { CommentsNotice } from '../../../../lib/collab/protocol';
import { metrics } from '../../../metrics';
import type { CollabExtension } from '../extension';
import type { LiveDocument } from '../../document/live-document';
import type { DocumentWriter } from '../persistence/persistence';
import { sendCommentsChanged } from '../../document/comments-changed';
import { RelayOrigin, isRelayOrigin } from '../../document/change-context';
import {
  decodeRelayMessage,
  encodeRelayMessage,
  type DocumentRelay,
  type RelayMessage,
} from './relay';

/**
 * What the relay needs from persistence: the writer of a document (to take other instances'
 * "stored" confirmations), and its own "stored" events (to announce them).
 */
export type RelayPersistence = {
  writerOf(documentId: string): DocumentWriter | undefined;
  onStored(listener: (document: LiveDocument, seq: number) => void): void;
};

/** The relay's hooks, plus what the app side publishes through it. */
export type RelayExtension = CollabExtension & {
  /**
   * Tells the other instances that a document's comments changed; those with the document
   * loaded tell their connections. Published whether or not the document is loaded here.
   */
  publishComments(documentId: string, notice: CommentsNotice): void;
};

/** At most one missing-dependency resync per document in this period. */
const RESYNC_THROTTLE_MS = 500;

/**
 * Publishes local changes and presence to other instances and applies theirs. The instances of
 * a document keep each other whole with y-protocols' two steps, addressed: a step 1 goes to
 * every instance, its step 2 answer only to the one that asked, and nobody else applies it
 * (Hocuspocus broadcast such answers, and an instance that applied a diff computed for another
 * peer could end up with deletions of content it never had). Exchanges run when the document
 * loads, after every reconnect, and when an applied update leaves missing dependencies.
 */
export function relayExtension(
  relay: DocumentRelay,
  persistence: RelayPersistence,
): RelayExtension {
  const me = relay.instanceId;
  // One instance alone (no REDIS_URL): nothing to publish, so no copy of every change to encode.
  const alone = relay.status() === 'disabled';
  const states = new Map<
    string,
    { unsubscribe: () => void; lastMissingAsk: number; missingTimer: NodeJS.Timeout | null }
  >();

  const publish = (documentId: string, message: RelayMessage, target = '') => {
    if (alone) return;
    metrics().relayMessages.inc({ direction: 'out', kind: message.kind });
    relay.publish(documentId, encodeRelayMessage({ sender: me, target, message }));
  };

  const requestState = (document: LiveDocument, reason: string) => {
    metrics().relayResyncs.inc({ reason });
    publish(document.id, { kind: 'syncStep1', stateVector: Y.encodeStateVector(document.doc) });
  };

  const hasMissingDependencies = (doc: Y.Doc) =>
    doc.store.pendingStructs !== null || doc.store.pendingDs !== null;

  const receive = (document: LiveDocument, bytes: Uint8Array) => {
    if (document.unloading) return;
    let envelope;
    try {
      envelope = decodeRelayMessage(bytes);
    } catch (error) {
      metrics().errors.inc({ kind: 'relay' });
      document.log.warn({ err: error }, 'unreadable relay message');
      return;
    }
    const { sender, target, message } = envelope;
    // Our own publications come back to us; answers addressed to another instance are not ours.
    if (sender === me || (target !== '' && target !== me)) return;
    metrics().relayMessages.inc({ direction: 'in', kind: message.kind });
    try {
      switch (message.kind) {
        case 'update':
          document.applyExternalUpdate(
            message.update,
            new RelayOrigin(sender, message.seq, message.userId),
          );
          break;
        case 'syncStep2':
          document.applyExternalUpdate(message.update, new RelayOrigin(sender, null, null));
          break;
        case 'awareness':
          awarenessProtocol.applyAwarenessUpdate(
            document.awareness,
            message.update,
            new RelayOrigin(sender, null, null),
          );
          break;
        case 'syncStep1': {
          const diff = Y.encodeStateAsUpdate(document.doc, message.stateVector);
          publish(document.id, { kind: 'syncStep2', update: diff }, sender);
          if (target === '') {
            // A broadcast ask: ask back, so the exchange runs both ways, and share presence.
            publish(
              document.id,
              { kind: 'syncStep1', stateVector: Y.encodeStateVector(document.doc) },
              sender,
            );
            const clients = [...document.awareness.getStates().keys()];
            if (clients.length > 0) {
              const update = awarenessProtocol.encodeAwarenessUpdate(document.awareness, clients);
              publish(document.id, { kind: 'awareness', update }, sender);
            }
          }
          break;
        }
        case 'saved':
          persistence.writerOf(document.id)?.acknowledgeRelayed(sender, message.seq);
          break;
        case 'comments':
          sendCommentsChanged(document, {
            layerId: message.layerId,
            thread: message.thread,
            ...(message.topic ? { topic: message.topic } : {}),
          });
          break;
      }
    } catch (error) {
      metrics().errors.inc({ kind: 'relay' });
      document.log.error({ err: error, kind: message.kind, sender }, 'relay message failed');
      return;
    }
    if (message.kind === 'update' || message.kind === 'syncStep2') askForMissing(document);
  };

  /**
   * Something an applied update builds on never arrived here: ask the others for it, at once,
   * or at the end of the throttle period if it is still missing then (out-of-order arrivals
   * from several instances usually fill themselves in).
   */
  const askForMissing = (document: LiveDocument) => {
    const state = states.get(document.id);
    if (!state || state.missingTimer || !hasMissingDependencies(document.doc)) return;
    const wait = state.lastMissingAsk + RESYNC_THROTTLE_MS - Date.now();
    const ask = () => {
      state.missingTimer = null;
      if (document.unloading || !hasMissingDependencies(document.doc)) return;
      state.lastMissingAsk = Date.now();
      requestState(document, 'missing');
    };
    if (wait <= 0) ask();
    else state.missingTimer = setTimeout(ask, wait);
  };

  persistence.onStored((document, seq) => {
    if (states.has(document.id)) publish(document.id, { kind: 'saved', seq });
  });

  return {
    name: 'relay',
    afterLoad(document) {
      const unsubscribe = relay.subscribe(document.id, {
        onMessage: (bytes) => receive(document, bytes),
        // Subscribed (first time or after a reconnect): whatever was missed is asked for now.
        onReady: () => requestState(document, 'ready'),
      });
      states.set(document.id, { unsubscribe, lastMissingAsk: 0, missingTimer: null });
    },
    onChange({ document, update, change }) {
      if (alone || change.relayed) return;
      // The number persistence announces in its "saved" message once it stored this change.
      publish(document.id, { kind: 'update', seq: change.seq, userId: change.userId, update });
    },
    onAwareness({ document, update, origin }) {
      if (!isRelayOrigin(origin)) publish(document.id, { kind: 'awareness', update });
    },
    afterUnload(document) {
      const state = states.get(document.id);
      state?.unsubscribe();
      if (state?.missingTimer) clearTimeout(state.missingTimer);
      states.delete(document.id);
    },
    close: () => relay.close(),
    publishComments: (documentId, notice) => publish(documentId, { kind: 'comments', ...notice }),
  };
}
