import * as Y from 'yjs';
import { encodeRefusedMessage, type ReviewRefusal } from '../../../lib/collab/protocol';
import {
  bracketRefusals,
  draftOfRefusedEdit,
  fieldChangesOf,
  frozenBecause,
  layerChangesOf,
  layerGates,
  layerType,
  layerFields,
  layersContainer,
  narrativeRuns,
  packagesWrittenIn,
  partyIdOf,
  readLayerReviewState,
  rootType,
  unsafeLinksAdded,
  type LayerGate,
} from '../../../lib/framework';
import { can } from '../../../lib/permissions';
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
 * - status, statusDetail, positions and the packages are server-owned: they change through the review
 *   workflow (a status change, a delegation stating its stance: route handlers and the
 *   scheduler write them with a server origin), never from a client;
 * - a link mark must point to http, https or mailto (lib/framework/links.ts, as every export);
 * - an agreed (or agreed ad referendum) layer, and a layer under silence, is frozen for
 *   everyone, owners included: nobody changes or removes it until it is reopened or the silence
 *   ends (lib/write-rules.ts mayChangeLayer).
 *
 * A refused change is undone at once by a Y.UndoManager scoped to the offending layers and
 * tracking only that transaction; the undo is an ordinary update that reaches everyone,
 * including the sender (who also gets a `refused` message), and is stored after the change, so
 * the refused change is never the stored or relayed final state.
 */
export function authorityExtension(): CollabExtension {
  /** Layer gates as of the last transaction, per document: what the layer was before a change. */
  const gates = new WeakMap<LiveDocument, Map<string, LayerGate>>();

  return {
    name: 'authority',
    afterLoad(document) {
      gates.set(document, layerGates(document.doc));
    },
    onTransaction({ document, connection, transaction }) {
      const doc = document.doc;
      const changes = layerChangesOf(doc, transaction);
      const packagesTouched = packagesWrittenIn(doc, transaction);
      if (changes.changed.size === 0 && changes.removed.size === 0 && !packagesTouched) return;
      const before = gates.get(document) ?? new Map<string, LayerGate>();
      const writer: Writer = { role: connection.role, archived: connection.archived };
      const refusals: ReviewRefusal[] = [];
      const scope = new Set<UndoScope>();
      if (packagesTouched) {
        // Undoes the whole transaction (the root holds everything): no editor writes packages.
        refusals.push({
          layerId: '',
          code: 'server_owned',
          message: 'Packages change through the review workflow, not the document.',
        });
        scope.add(rootType(doc));
      }

      for (const layerId of changes.changed) {
        const previous = before.get(layerId);
        const now = readLayerReviewState(doc, layerId);
        if (!now) continue;
        const statusTouched =
          changes.statusWritten.has(layerId) ||
          (previous === undefined
            ? now.status !== 'draft' || Object.keys(now.statusDetail).length > 0
            : now.status !== previous.status);
        const positionsTouched =
          changes.positionsWritten.has(layerId) ||
          (previous === undefined && Object.keys(now.positions).length > 0);
        let refusal: ReviewRefusal | null = null;
        if (statusTouched) {
          refusal = {
            layerId,
            code: 'server_owned',
            message: 'Status changes go through the review workflow, not the document.',
          };
        } else if (positionsTouched) {
          refusal = {
            layerId,
            code: 'server_owned',
            message:
              'A delegation states its own position through the review workflow, not the document.',
          };
        } else if (previous !== undefined && !mayChangeLayer(writer, previous)) {
          refusal = frozenRefusal(layerId, previous);
        }
        if (!refusal) continue;
        refusals.push(refusal);
        const type = layerType(doc, layerId);
        if (type) scope.add(type);
      }
      // The one link rule: a link mark to anything but http(s) or mailto is undone like the rest.
      for (const link of unsafeLinksAdded(doc, transaction)) {
        if (link.layerId === null || refusals.some((r) => r.layerId === link.layerId)) continue;
        refusals.push({
          layerId: link.layerId,
          code: 'unsafe_link',
          message: 'Links may only point to http, https or mailto addresses.',
        });
        const type = layerType(doc, link.layerId);
        if (type) scope.add(type);
      }
      // The bracket rule: a delegation brackets text for itself (the chair for anyone).
      const bracketWriter = {
        party: connection.delegation ? partyIdOf(connection.delegation) : '',
        chair: can(connection.role, 'delegation.chair'),
      };
      for (const refused of bracketRefusals(doc, transaction, bracketWriter)) {
        if (refusals.some((r) => r.layerId === refused.layerId)) continue;
        refusals.push({
          layerId: refused.layerId,
          code: 'bracket_party',
          message: refused.message,
        });
        const type = layerType(doc, refused.layerId);
        if (type) scope.add(type);
      }
      for (const layerId of changes.removed) {
        const previous = before.get(layerId);
        if (previous === undefined || mayChangeLayer(writer, previous)) continue;
        refusals.push(frozenRefusal(layerId, previous));
        const container = layersContainer(doc);
        if (container) scope.add(container);
      }
      if (refusals.length === 0) return;
      undoAfter(document, connection, transaction, [...scope], refusals);
    },
    onChange({ document }) {
      // After every change (ours, relayed, server writes): cheap, a read of one key per layer.
      gates.set(document, layerGates(document.doc));
    },
    afterUnload(document) {
      gates.delete(document);
    },
  };
}

/** Refusals whose typed text is offered back as a draft amendment: the layer is frozen. */
const OFFERED_BACK = new Set(['locked', 'under_silence']);

/** Why a layer may not change, as the sender is told. */
function frozenRefusal(layerId: string, gate: LayerGate): ReviewRefusal {
  const why = frozenBecause(gate);
  return why
    ? { layerId, code: why.code, message: why.message }
    : { layerId, code: 'forbidden', message: 'You may not change this layer.' };
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
    // What the author typed into a frozen layer (its text, its fields and rows), read before it
    // is undone, so it can be offered back to them as drafted amendments
    // (lib/framework/refused-draft.ts).
    const typed = refusals.map((r) =>
      OFFERED_BACK.has(r.code)
        ? { runs: narrativeRuns(doc, r.layerId), fields: layerFields(doc, r.layerId) }
        : null,
    );
    try {
      undo.undo();
    } finally {
      undo.destroy();
    }
    refusals.forEach((refusal, i) => {
      const before = typed[i];
      if (!before) return;
      const draft = draftOfRefusedEdit(doc, refusal.layerId, before.runs);
      if (draft) refusal.draft = draft;
      const fields = fieldChangesOf(before.fields, layerFields(doc, refusal.layerId));
      if (fields.length > 0) refusal.fields = fields;
    });
    connection.log.warn({ refusals }, 'review rule: change undone');
    connection.send(encodeRefusedMessage(refusals));
  };
  doc.on('afterTransaction', onAfter);
}
