import { Connection } from '../transport/connection';
import { ServerOrigin } from './server-origin';

/**
 * Origin of a transaction that came from another instance. `seq` numbers the sender's own
 * updates of the document (null for a sync reply) so the sender can later say which of them it
 * has stored; `userId` is who made the change, for the log's attribution. A document concept,
 * not only the relay's: the document must tell relayed changes from its own to number them.
 */
export class RelayOrigin {
  constructor(
    readonly instanceId: string,
    readonly seq: number | null,
    readonly userId: string | null,
  ) {}
}

export function isRelayOrigin(origin: unknown): origin is RelayOrigin {
  return origin instanceof RelayOrigin;
}

/**
 * Who made one change of a live document and how it reached this instance. The document builds
 * it once per applied change and hands the same context to every hook (Hocuspocus hands each
 * hook a payload with its context the same way), so no hook reads another hook's state and the
 * order of the hooks does not matter for it.
 */
export type ChangeContext = OwnChange | RelayedChange;

/** A change made on this instance: by a connection's user, or by the server itself. */
export type OwnChange = {
  /** The connection whose update this is; null for the server's own changes (restore, review). */
  readonly connection: Connection | null;
  /** Who made it; null for the server. */
  readonly userId: string | null;
  readonly userName: string | null;
  /** This instance's number for its own change of the document: 1, 2, ... in the order applied. */
  readonly seq: number;
  readonly relayed: null;
};

/** A change made on another instance and relayed here; that instance numbers and stores it. */
export type RelayedChange = {
  readonly connection: null;
  /** Who made it there (the relay carries the id only). */
  readonly userId: string | null;
  readonly userName: null;
  readonly seq: null;
  readonly relayed: RelayOrigin;
};

/**
 * Numbers a document's own changes and builds the context of each: one per live document, so
 * the numbers start at 1 with every load (as the persistence writer's did).
 */
export class ChangeCounter {
  private ownChanges = 0;

  contextOf(origin: unknown): ChangeContext {
    if (origin instanceof RelayOrigin) {
      return {
        connection: null,
        userId: origin.userId,
        userName: null,
        seq: null,
        relayed: origin,
      };
    }
    this.ownChanges += 1;
    if (origin instanceof Connection) {
      return {
        connection: origin,
        userId: origin.userId,
        userName: origin.identity.name,
        seq: this.ownChanges,
        relayed: null,
      };
    }
    const userId = origin instanceof ServerOrigin ? origin.authorId : null;
    return { connection: null, userId, userName: null, seq: this.ownChanges, relayed: null };
  }
}
