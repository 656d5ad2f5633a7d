import type * as Y from 'yjs';
import type { CloseEventName } from '../../../lib/collab/protocol';
import type { ChangeContext } from '../document/change-context';
import type { LiveDocument } from '../document/live-document';
import type { Connection } from '../transport/connection';

/** Thrown by a `beforeApplyUpdate` hook: the update is not applied and the sender is closed. */
export class UpdateRefused extends Error {
  constructor(
    readonly event: CloseEventName,
    readonly detail: string,
  ) {
    super(detail);
    this.name = 'UpdateRefused';
  }
}

/**
 * One concern of the sync server (limits, persistence, relay, later: authority rules), hooked
 * into the life of a document. Hooks run in the order of the list given to the server.
 */
export interface CollabExtension {
  readonly name: string;
  /** After a document was loaded, before any connection sees it. */
  afterLoad?(document: LiveDocument): void;
  /** Before a writer's update is applied; throw UpdateRefused to refuse it. */
  beforeApplyUpdate?(ctx: {
    document: LiveDocument;
    connection: Connection;
    update: Uint8Array;
  }): void;
  /**
   * Inside the transaction that applied a writer's update (its origin is the connection), so a
   * rule can inspect what changed and undo it before anyone else sees it.
   */
  onTransaction?(ctx: {
    document: LiveDocument;
    connection: Connection;
    transaction: Y.Transaction;
  }): void;
  /**
   * After every change of the document, with the update, its transaction origin and its context
   * (who made it, through which connection, this instance's number for it), built once by the
   * document for all hooks.
   */
  onChange?(ctx: {
    document: LiveDocument;
    update: Uint8Array;
    origin: unknown;
    change: ChangeContext;
  }): void;
  /** Awareness changed (already validated); `origin` is the connection or the relay. */
  onAwareness?(ctx: { document: LiveDocument; update: Uint8Array; origin: unknown }): void;
  /** Before a document is dropped from memory: everything must be stored when this resolves. */
  beforeUnload?(document: LiveDocument): Promise<void>;
  /** After a document was dropped from memory. */
  afterUnload?(document: LiveDocument): void;
  /** Server shutdown, after every document was unloaded. */
  close?(): Promise<void>;
}
