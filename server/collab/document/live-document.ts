import * as encoding from 'lib0/encoding';
import type { Logger } from 'pino';
import * as awarenessProtocol from 'y-protocols/awareness';
import * as Y from 'yjs';
import {
  MessageType,
  SyncMessageType,
  encodeAccessMessage,
  encodeSavedMessage,
} from '../../../lib/collab/protocol';
import {
  encodeAwarenessEntries,
  parseAwarenessUpdate,
  withServerIdentity,
  type AwarenessEntry,
} from './awareness-guard';
import type { CollabConfig } from '../config';
import type { Connection } from '../transport/connection';
import { ChangeCounter } from './change-context';
import { UpdateRefused, type CollabExtension } from '../hooks/extension';
import { MalformedMessage, parseClientMessage } from '../transport/framing';
import { checkUpdate, unmetRequirements } from './update-check';

/**
 * One open document in memory: its Y.Doc (gc on), awareness, and connections. Applies writers'
 * updates through the extension hooks and fans changes out to the other connections.
 */
export class LiveDocument {
  readonly doc: Y.Doc;
  readonly awareness: awarenessProtocol.Awareness;
  readonly connections = new Set<Connection>();
  /** Which connection speaks for each awareness client id. */
  private readonly awarenessOwners = new Map<number, Connection>();
  /** Which user first claimed each awareness client id (kept after they leave). */
  private readonly awarenessUsers = new Map<number, string>();
  /** Encoded size estimate: the loaded state plus every update since. */
  approximateSize: number;
  /** Everything up to this state vector is in the database (set by persistence). */
  savedStateVector: Uint8Array;
  /** Changes applied since the load, and how many of them the database holds. */
  changeCount = 0;
  private savedChangeCount = 0;
  /**
   * Connections owed a saved acknowledgement, with the change count it must cover: those that
   * sent changes (or joined) while some were unsaved. The others have nothing of their own
   * waiting, so a new durable state tells them nothing (clients only read their own client id).
   */
  private readonly awaitingSaved = new Map<Connection, number>();
  /** Holders (connections and connects in progress); the document unloads at zero. */
  holders = 0;
  unloading = false;
  /** Log rows the document was loaded from (persistence counts toward compaction from it). */
  loadedRowCount = 0;
  /** Changes of this event-loop turn not yet sent to the connections (see `flushBroadcast`). */
  private pendingBroadcast: Array<{ update: Uint8Array; origin: unknown }> = [];
  private broadcastTimer: NodeJS.Immediate | null = null;
  /** Numbers this instance's own changes and builds each change's context for the hooks. */
  private readonly changes = new ChangeCounter();

  constructor(
    readonly id: string,
    doc: Y.Doc,
    private readonly extensions: CollabExtension[],
    private readonly config: CollabConfig,
    readonly log: Logger,
  ) {
    this.doc = doc;
    this.approximateSize = Y.encodeStateAsUpdate(doc).length;
    this.savedStateVector = Y.encodeStateVector(doc);
    this.awareness = new awarenessProtocol.Awareness(doc);
    // The server itself has no presence.
    this.awareness.setLocalState(null);
    this.awareness.on('update', this.onAwarenessUpdate);
    doc.on('update', this.onDocUpdate);
  }

  addConnection(connection: Connection): void {
    this.connections.add(connection);
    connection.send(encodeAccessMessage({ role: connection.role, readOnly: connection.readOnly }));
    const encoder = encoding.createEncoder();
    encoding.writeVarUint(encoder, MessageType.sync);
    encoding.writeVarUint(encoder, SyncMessageType.step1);
    encoding.writeVarUint8Array(encoder, Y.encodeStateVector(this.doc));
    connection.send(encoding.toUint8Array(encoder));
    const states = this.awareness.getStates();
    if (states.size > 0) {
      connection.send(
        this.encodeAwarenessMessage(
          awarenessProtocol.encodeAwarenessUpdate(this.awareness, [...states.keys()]),
        ),
      );
    }
  }

  /** Forgets a closed connection and removes its presence for everyone. */
  removeConnection(connection: Connection): void {
    if (!this.connections.delete(connection)) return;
    this.awaitingSaved.delete(connection);
    const owned = [...connection.awarenessClientIds].filter(
      (id) => this.awarenessOwners.get(id) === connection,
    );
    for (const id of owned) this.awarenessOwners.delete(id);
    if (owned.length > 0)
      awarenessProtocol.removeAwarenessStates(this.awareness, owned, connection);
  }

  /** Handles one websocket message of a connection; bad input closes only that connection. */
  receive(connection: Connection, data: Uint8Array): void {
    if (connection.closed) return;
    if (!connection.takeMessageToken()) {
      connection.close('rateLimited');
      return;
    }
    try {
      const message = parseClientMessage(data);
      switch (message.kind) {
        case 'syncStep1':
          this.replyToSyncStep1(connection, message.stateVector);
          break;
        case 'syncStep2':
        case 'update':
          if (connection.readOnly) {
            this.dropReadOnlyUpdate(connection, message.kind, message.update);
          } else {
            this.applyFromConnection(connection, message.update);
          }
          break;
        case 'awareness':
          this.applyAwareness(connection, message.update);
          break;
        case 'queryAwareness':
          connection.send(
            this.encodeAwarenessMessage(
              awarenessProtocol.encodeAwarenessUpdate(this.awareness, [
                ...this.awareness.getStates().keys(),
              ]),
            ),
          );
          break;
      }
    } catch (error) {
      if (error instanceof MalformedMessage) {
        connection.log.warn({ reason: error.reason }, 'malformed collab message');
        connection.close('badMessage', error.reason);
      } else if (error instanceof UpdateRefused) {
        connection.log.warn({ reason: error.detail }, 'collab update refused');
        connection.close(error.event, error.detail);
      } else {
        connection.log.error({ err: error }, 'collab message failed');
        connection.close('serverError');
      }
    }
  }

  /**
   * Records that the database holds the first `changeCount` changes (`stateVector`) and sends the
   * saved acknowledgement to the connections waiting for one that it covers.
   */
  announceSaved(stateVector: Uint8Array, changeCount: number): void {
    this.savedStateVector = stateVector;
    this.savedChangeCount = Math.max(this.savedChangeCount, changeCount);
    let message: Uint8Array | undefined;
    for (const [connection, awaited] of this.awaitingSaved) {
      if (awaited > this.savedChangeCount) continue;
      this.awaitingSaved.delete(connection);
      message ??= encodeSavedMessage(stateVector);
      if (connection.synced) connection.send(message);
    }
  }

  /** Tells a connection its access changed (e.g. downgraded to read-only). */
  announceAccess(connection: Connection): void {
    connection.send(encodeAccessMessage({ role: connection.role, readOnly: connection.readOnly }));
  }

  destroy(): void {
    if (this.broadcastTimer) clearImmediate(this.broadcastTimer);
    this.broadcastTimer = null;
    this.pendingBroadcast = [];
    this.awareness.off('update', this.onAwarenessUpdate);
    this.doc.off('update', this.onDocUpdate);
    this.awareness.destroy();
    this.doc.destroy();
  }

  private replyToSyncStep1(connection: Connection, stateVector: Uint8Array): void {
    const encoder = encoding.createEncoder();
    encoding.writeVarUint(encoder, MessageType.sync);
    encoding.writeVarUint(encoder, SyncMessageType.step2);
    encoding.writeVarUint8Array(encoder, this.encodeIntegratedState(stateVector));
    connection.sendSyncReply(encoding.toUint8Array(encoder));
    connection.synced = true;
    connection.send(encodeSavedMessage(this.savedStateVector));
    // A reconnecting client's own changes may be among the unsaved ones (sent on its old socket).
    this.awaitSaved(connection);
  }

  /** The connection gets an acknowledgement once everything applied until now is stored. */
  private awaitSaved(connection: Connection): void {
    if (this.changeCount > this.savedChangeCount) {
      this.awaitingSaved.set(connection, this.changeCount);
    }
  }

  /**
   * The state a client lacks, without what still waits for missing dependencies: Yjs adds its
   * pending structs to every encoded state, which would hand an unapplied (possibly hostile)
   * update to everyone who joins.
   */
  private encodeIntegratedState(stateVector: Uint8Array): Uint8Array {
    const { pendingStructs, pendingDs } = this.doc.store;
    this.doc.store.pendingStructs = null;
    this.doc.store.pendingDs = null;
    try {
      return Y.encodeStateAsUpdate(this.doc, stateVector);
    } finally {
      this.doc.store.pendingStructs = pendingStructs;
      this.doc.store.pendingDs = pendingDs;
    }
  }

  private dropReadOnlyUpdate(connection: Connection, kind: string, update: Uint8Array): void {
    // Every client answers the server's step 1 with a step 2; an empty one is no attempt to write.
    if (isEmptyUpdate(update)) return;
    connection.droppedUpdates += 1;
    // Once per connection at warn: a read-only client that keeps editing would flood the log.
    if (connection.droppedUpdates === 1) {
      connection.log.warn({ kind, role: connection.role }, 'dropped update from read-only role');
    }
  }

  private applyFromConnection(connection: Connection, update: Uint8Array): void {
    if (update.length > this.config.maxMessageBytes) {
      throw new UpdateRefused('tooLarge', 'update too large');
    }
    // Every client answers the server's step 1 with a step 2, empty when it has nothing new:
    // nothing to check or apply (its own unsaved changes may have come on an earlier socket).
    if (isEmptyUpdate(update)) {
      this.awaitSaved(connection);
      return;
    }
    // Only writers get here: the decoder never sees a read-only role's bytes.
    const required = checkUpdate(update).requirements;
    if (unmetRequirements(required, this.doc) > 0) {
      // Never handed to Yjs, whose pending structs cost every later update: parked on the
      // connection until what it depends on arrives.
      if (!connection.park(update, required, this.config.maxPendingBytes)) {
        throw new UpdateRefused('badMessage', 'update depends on changes the document lacks');
      }
      return;
    }
    this.applyWriterUpdate(connection, update);
    if (connection.hasParked) this.applyParked(connection);
    // Also when the update changed nothing: what it holds may have arrived unsaved by another way.
    this.awaitSaved(connection);
  }

  /** Applies the connection's parked updates whose dependencies have arrived, until none do. */
  private applyParked(connection: Connection): void {
    const ready = (r: Map<number, number>) => unmetRequirements(r, this.doc) === 0;
    for (
      let next = connection.takeReady(ready);
      next.length > 0;
      next = connection.takeReady(ready)
    ) {
      for (const parked of next) this.applyWriterUpdate(connection, parked);
    }
  }

  private applyWriterUpdate(connection: Connection, update: Uint8Array): void {
    for (const extension of this.extensions) {
      extension.beforeApplyUpdate?.({ document: this, connection, update });
    }
    this.doc.transact((transaction) => {
      Y.applyUpdate(this.doc, update, connection);
      for (const extension of this.extensions) {
        extension.onTransaction?.({ document: this, connection, transaction });
      }
    }, connection);
    if (this.doc.store.pendingStructs !== null || this.doc.store.pendingDs !== null) {
      // Last line of defence (checkUpdate refuses what Yjs could apply only in part): drop what
      // Yjs holds back, so later updates do not pay for re-merging it.
      this.doc.store.pendingStructs = null;
      this.doc.store.pendingDs = null;
      throw new UpdateRefused('badMessage', 'update left changes waiting');
    }
  }

  /** Applies a change that did not come from a connection (the relay, a restore). */
  applyExternalUpdate(update: Uint8Array, origin: unknown): void {
    Y.applyUpdate(this.doc, update, origin);
  }

  private applyAwareness(connection: Connection, update: Uint8Array): void {
    const entries = parseAwarenessUpdate(update, {
      maxEntries: this.config.maxAwarenessEntriesPerMessage,
      maxStateBytes: this.config.maxAwarenessStateBytes,
    });
    const accepted: AwarenessEntry[] = [];
    for (const entry of entries) {
      if (entry.clientId === this.doc.clientID) {
        throw new UpdateRefused('spoofing', 'awareness for the server client id');
      }
      const decision = this.awarenessDecision(connection, entry);
      if (decision === 'refuse') {
        throw new UpdateRefused('spoofing', `client id ${entry.clientId} belongs to another user`);
      }
      if (decision === 'ignore') continue;
      accepted.push(withServerIdentity(entry, connection.identity));
    }
    if (accepted.length === 0) return;
    awarenessProtocol.applyAwarenessUpdate(
      this.awareness,
      encodeAwarenessEntries(accepted),
      connection,
    );
  }

  /**
   * Whether a connection may speak for an awareness client id. y-websocket clients echo every
   * awareness change they receive, so an entry for someone else's id that is not newer than what
   * the server holds is an echo and is ignored; a newer one is an impersonation attempt. An id
   * belongs to the first user who claimed it for as long as the document is loaded.
   */
  private awarenessDecision(
    connection: Connection,
    entry: AwarenessEntry,
  ): 'accept' | 'ignore' | 'refuse' {
    const owner = this.awarenessOwners.get(entry.clientId);
    if (owner === connection) return 'accept';
    const known = this.awareness.meta.get(entry.clientId);
    const isEcho = known !== undefined && entry.clock <= known.clock;
    const claimedBy = this.awarenessUsers.get(entry.clientId);
    if (claimedBy !== undefined && claimedBy !== connection.userId) {
      return isEcho ? 'ignore' : 'refuse';
    }
    if (isEcho || (owner === undefined && entry.state === null)) return 'ignore';
    if (owner) {
      // The same user's new socket (a reconnect before the old one timed out) takes it over.
      owner.awarenessClientIds.delete(entry.clientId);
    } else if (connection.awarenessClientIds.size >= this.config.maxAwarenessClientsPerConnection) {
      throw new UpdateRefused('spoofing', 'too many awareness client ids');
    }
    connection.awarenessClientIds.add(entry.clientId);
    this.awarenessOwners.set(entry.clientId, connection);
    this.awarenessUsers.set(entry.clientId, connection.userId);
    return 'accept';
  }

  private encodeAwarenessMessage(update: Uint8Array): Uint8Array {
    const encoder = encoding.createEncoder();
    encoding.writeVarUint(encoder, MessageType.awareness);
    encoding.writeVarUint8Array(encoder, update);
    return encoding.toUint8Array(encoder);
  }

  private readonly onDocUpdate = (update: Uint8Array, origin: unknown): void => {
    this.approximateSize += update.length;
    this.changeCount += 1;
    // One context for every hook: each reads who made the change from it, not from another hook.
    const payload = { document: this, update, origin, change: this.changes.contextOf(origin) };
    for (const extension of this.extensions) extension.onChange?.(payload);
    this.pendingBroadcast.push({ update, origin });
    this.broadcastTimer ??= setImmediate(this.flushBroadcast);
  };

  /**
   * Sends the changes of one event-loop turn: setImmediate runs right after the poll phase, so a
   * burst of socket reads goes out together at no added delay. A single change goes to everyone
   * but its sender. Several go out merged, as one message to every connection, their senders
   * included: a client ignores what it already has, and one frame per connection is far cheaper
   * than the one frame per other change a sender would otherwise get.
   */
  private readonly flushBroadcast = (): void => {
    this.broadcastTimer = null;
    const pending = this.pendingBroadcast;
    this.pendingBroadcast = [];
    if (pending.length === 0 || this.connections.size === 0) return;
    if (pending.length === 1) {
      const { update, origin } = pending[0]!;
      let message: Uint8Array | undefined;
      for (const connection of this.connections) {
        if (connection !== origin) connection.send((message ??= encodeUpdateMessage(update)));
      }
      return;
    }
    const merged = encodeUpdateMessage(Y.mergeUpdates(pending.map((p) => p.update)));
    for (const connection of this.connections) connection.send(merged);
  };

  private readonly onAwarenessUpdate = (
    change: { added: number[]; updated: number[]; removed: number[] },
    origin: unknown,
  ): void => {
    const clients = [...change.added, ...change.updated, ...change.removed];
    if (clients.length === 0) return;
    const update = awarenessProtocol.encodeAwarenessUpdate(this.awareness, clients);
    for (const extension of this.extensions) {
      extension.onAwareness?.({ document: this, update, origin });
    }
    const message = this.encodeAwarenessMessage(update);
    for (const connection of this.connections) connection.send(message);
  };
}

/** A sync update message carrying `update`. */
function encodeUpdateMessage(update: Uint8Array): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, MessageType.sync);
  encoding.writeVarUint(encoder, SyncMessageType.update);
  encoding.writeVarUint8Array(encoder, update);
  return encoding.toUint8Array(encoder);
}

/** The encoding of an update with no structs and no deletions (what a client with nothing new sends). */
function isEmptyUpdate(update: Uint8Array): boolean {
  return update.length === 2 && update[0] === 0 && update[1] === 0;
}
