import * as Y from 'yjs';
import { encodeRefusedMessage, type ReviewRefusal } from '../../../lib/collab/protocol';
import {
  layerChangesOf,
  layerStatuses,
  layerType,
  layersContainer,
  readLayerReviewState,
  type LayerStatus,
} from '../../../lib/framework';
import { mayChangeLayer, type Writer } from '../../../lib/write-rules';
import type { Connection } from '../transport/connection';
import type { CollabExtension } from './extension';
import type { LiveDocument } from '../document/live-document';

/** What a Y.UndoManager accepts as scope. */
type UndoScope = ConstructorParameters<typeof Y.UndoManager>[0] extends infer S
  ? S extends Array<infer T>
    ? T
    : never
  : never;

/**
 * The review rules on content, enforced on every writer's update (the UI only shows them):
 * - status and statusDetail are server-owned: they change through the review workflow (route
 *   handlers and the silence scheduler write them with a server origin), never from a client;
 * - an agreed (or agreed ad referendum) layer is locked: only owners change or remove it.
 *
 * A refused change is undone at once by a Y.UndoManager scoped to the offending layers and
 * tracking only that transaction; the undo is an ordinary update that reaches everyone,
 * including the sender (who also gets a `refused` message), and is stored after the change, so
 * the refused change is never the stored or relayed final state.
 */
export function authorityExtension(): CollabExtension {
  /** Layer statuses as of the last transaction, per document: what a removed layer was. */
  const statuses = new WeakMap<LiveDocument, Map<string, LayerStatus>>();

  return {
    name: 'authority',
    afterLoad(document) {
      statuses.set(document, layerStatuses(document.doc));
    },
    onTransaction({ document, connection, transaction }) {
      const doc = document.doc;
      const changes = layerChangesOf(doc, transaction);
      if (changes.changed.size === 0 && changes.removed.size === 0) return;
      const before = statuses.get(document) ?? new Map<string, LayerStatus>();
      const writer: Writer = { role: connection.role, archived: connection.archived };
      const refusals: ReviewRefusal[] = [];
      const scope = new Set<UndoScope>();

      for (const layerId of changes.changed) {
        const previous = before.get(layerId);
        const now = readLayerReviewState(doc, layerId);
        if (!now) continue;
        const statusTouched =
          changes.statusWritten.has(layerId) ||
          (previous === undefined
            ? now.status !== 'draft' || Object.keys(now.statusDetail).length > 0
            : now.status !== previous);
        let refusal: ReviewRefusal | null = null;
        if (statusTouched) {
          refusal = {
            layerId,
            code: 'server_owned',
            message: 'Status changes go through the review workflow, not the document.',
          };
        } else if (previous !== undefined && !mayChangeLayer(writer, previous)) {
          refusal = {
            layerId,
            code: 'locked',
            message: 'This layer is agreed: only an owner can change it (or reopen it).',
          };
        }
        if (!refusal) continue;
        refusals.push(refusal);
        const type = layerType(doc, layerId);
        if (type) scope.add(type);
      }
      for (const layerId of changes.removed) {
        const previous = before.get(layerId);
        if (previous === undefined || mayChangeLayer(writer, previous)) continue;
        refusals.push({
          layerId,
          code: 'locked',
          message: 'This layer is agreed: only an owner can remove it.',
        });
        const container = layersContainer(doc);
        if (container) scope.add(container);
      }
      if (refusals.length === 0) return;
      undoAfter(document, connection, transaction, [...scope], refusals);
    },
    onChange({ document }) {
      // After every change (ours, relayed, server writes): cheap, a read of one key per layer.
      statuses.set(document, layerStatuses(document.doc));
    },
    afterUnload(document) {
      statuses.delete(document);
    },
  };
}

/**
 * Undoes the connection's part of `transaction` within `scope` right after it commits. The
 * UndoManager is created inside the transaction, so its afterTransaction handler (registered
 * first) captures it, and ours (registered second) undoes it before anything else happens.
 */
function undoAfter(
  document: LiveDocument,
  connection: Connection,
  transaction: Y.Transaction,
  scope: UndoScope[],
  refusals: ReviewRefusal[],
): void {
  const doc = document.doc;
  const undo = new Y.UndoManager(scope, {
    trackedOrigins: new Set([connection]),
    captureTimeout: 0,
  });
  const onAfter = (committed: Y.Transaction) => {
    if (committed !== transaction) return;
    doc.off('afterTransaction', onAfter);
    try {
      undo.undo();
    } finally {
      undo.destroy();
    }
    connection.log.warn({ refusals }, 'review rule: change undone');
    connection.send(encodeRefusedMessage(refusals));
  };
  doc.on('afterTransaction', onAfter);
}
