/**
 * What is incomplete in a framework: the gaps panel lists these, each linking to its field.
 * Pure: works on the plain view, so the editor (live), the server and export share it.
 */
import type { FrameworkView, Layer, NoteList } from './types';

export type GapSeverity = 'error' | 'warning' | 'info';

export type GapCode =
  | 'framework_title_empty'
  | 'layer_title_empty'
  | 'layer_no_lead'
  | 'commitment_no_party'
  | 'commitment_no_quantity'
  | 'trigger_no_condition'
  | 'trigger_no_response'
  | 'trigger_no_deadline'
  | 'trigger_no_responsible'
  | 'dependency_missing'
  | 'unknown_party'
  | 'stances_missing'
  | 'open_questions';

export interface Gap {
  code: GapCode;
  severity: GapSeverity;
  /** null for framework-level gaps. */
  layerId: string | null;
  /** Stable address of the field, e.g. `layer:<id>/triggers/<triggerId>/deadline`. */
  path: string;
  message: string;
}

/**
 * Field paths, built in one place so the UI can parse and link them. Segments after the layer
 * are: title | lead | kind | status | narrative | commitments/<id>/<field> |
 * triggers/<id>/<field> | positions/<partyId> | dependencies/<layerId> |
 * openQuestions[/<id>] | risks[/<id>].
 */
export const fieldPath = {
  frameworkTitle: () => 'framework/title',
  layer: (layerId: string, field: string) => `layer:${layerId}/${field}`,
  commitment: (layerId: string, commitmentId: string, field: string) =>
    `layer:${layerId}/commitments/${commitmentId}/${field}`,
  trigger: (layerId: string, triggerId: string, field: string) =>
    `layer:${layerId}/triggers/${triggerId}/${field}`,
  position: (layerId: string, partyId: string) => `layer:${layerId}/positions/${partyId}`,
  dependency: (layerId: string, dependsOnId: string) =>
    `layer:${layerId}/dependencies/${dependsOnId}`,
  /** A layer's list of open questions or of risks. */
  notes: (layerId: string, list: NoteList) => `layer:${layerId}/${list}`,
};

/** Splits a field path into its layer id (null at framework level) and the segments after it. */
export function parseFieldPath(path: string): { layerId: string | null; segments: string[] } {
  const [head = '', ...segments] = path.split('/');
  if (head.startsWith('layer:')) return { layerId: head.slice('layer:'.length), segments };
  return { layerId: null, segments: [head, ...segments].filter((s) => s !== 'framework') };
}

const name = (layer: Layer) => (layer.title.trim() ? `“${layer.title.trim()}”` : 'Untitled layer');

/** All gaps, in layer order, then by field within a layer. */
export function validateFramework(view: FrameworkView): Gap[] {
  const gaps: Gap[] = [];
  const partyIds = new Set(view.parties.map((p) => p.id));
  const layerIds = new Set(view.layers.map((l) => l.id));

  if (!view.title.trim()) {
    gaps.push({
      code: 'framework_title_empty',
      severity: 'warning',
      layerId: null,
      path: fieldPath.frameworkTitle(),
      message: 'The framework has no title.',
    });
  }

  for (const layer of view.layers) {
    const add = (code: GapCode, severity: GapSeverity, path: string, message: string) =>
      gaps.push({ code, severity, layerId: layer.id, path, message });
    const unknownParty = (party: string, path: string, where: string) =>
      add(
        'unknown_party',
        'warning',
        path,
        `${name(layer)}: ${where} names “${party}”, which is not in the party list.`,
      );

    if (!layer.title.trim()) {
      add(
        'layer_title_empty',
        'warning',
        fieldPath.layer(layer.id, 'title'),
        'A layer has no title.',
      );
    }
    if (!layer.lead) {
      add(
        'layer_no_lead',
        'warning',
        fieldPath.layer(layer.id, 'lead'),
        `${name(layer)} has no lead party.`,
      );
    } else if (!partyIds.has(layer.lead)) {
      unknownParty(layer.lead, fieldPath.layer(layer.id, 'lead'), 'the lead');
    }

    layer.commitments.forEach((commitment, i) => {
      const label = `commitment ${i + 1}`;
      if (!commitment.party) {
        add(
          'commitment_no_party',
          'warning',
          fieldPath.commitment(layer.id, commitment.id, 'party'),
          `${name(layer)}: ${label} has no party.`,
        );
      } else if (!partyIds.has(commitment.party)) {
        unknownParty(
          commitment.party,
          fieldPath.commitment(layer.id, commitment.id, 'party'),
          label,
        );
      }
      if (commitment.quantity === null) {
        add(
          'commitment_no_quantity',
          'warning',
          fieldPath.commitment(layer.id, commitment.id, 'quantity'),
          `${name(layer)}: ${label} has no quantity.`,
        );
      }
    });

    layer.triggers.forEach((trigger, i) => {
      const label = `trigger ${i + 1}`;
      const path = (field: string) => fieldPath.trigger(layer.id, trigger.id, field);
      if (!trigger.condition.trim()) {
        add(
          'trigger_no_condition',
          'warning',
          path('condition'),
          `${name(layer)}: ${label} has no condition.`,
        );
      }
      if (!trigger.response.trim()) {
        add(
          'trigger_no_response',
          'warning',
          path('response'),
          `${name(layer)}: ${label} has no required response.`,
        );
      }
      if (trigger.deadlineHours === null) {
        add(
          'trigger_no_deadline',
          'warning',
          path('deadline'),
          `${name(layer)}: ${label} has no deadline.`,
        );
      }
      if (trigger.responsibleParties.length === 0) {
        add(
          'trigger_no_responsible',
          'warning',
          path('responsibleParties'),
          `${name(layer)}: ${label} has no responsible party.`,
        );
      }
      for (const party of trigger.responsibleParties) {
        if (!partyIds.has(party)) unknownParty(party, path('responsibleParties'), label);
      }
    });

    for (const party of Object.keys(layer.positions).sort()) {
      if (!partyIds.has(party))
        unknownParty(party, fieldPath.position(layer.id, party), 'a position');
    }

    for (const dependency of layer.dependencies) {
      if (!layerIds.has(dependency) || dependency === layer.id) {
        add(
          'dependency_missing',
          'error',
          fieldPath.dependency(layer.id, dependency),
          `${name(layer)} depends on a layer that no longer exists.`,
        );
      }
    }

    const open = layer.openQuestions.filter((q) => q.text.trim()).length;
    if (open > 0) {
      add(
        'open_questions',
        'info',
        fieldPath.notes(layer.id, 'openQuestions'),
        `${name(layer)} has ${open} open question${open === 1 ? '' : 's'}.`,
      );
    }
  }
  return gaps;
}

/**
 * The parties whose stance is missing, per layer (info gaps for the gaps panel beside
 * validateFramework's: a silent party is named, not counted as agreeing).
 */
export function missingStances(view: FrameworkView): Gap[] {
  return view.layers.flatMap((layer) => {
    const silent = view.parties.filter((p) => !layer.positions[p.id]);
    if (silent.length === 0) return [];
    return [
      {
        code: 'stances_missing' as const,
        severity: 'info' as const,
        layerId: layer.id,
        path: fieldPath.position(layer.id, silent[0]!.id),
        message: `${name(layer)}: no stance from ${silent.map((p) => p.name).join(', ')}.`,
      },
    ];
  });
}
