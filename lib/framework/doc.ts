/**
 * Typed reads and writes of a framework document. Every write runs in one doc.transact with the
 * caller's origin (the editor's UndoManager tracks its own origin; the server passes the
 * connection). Writes aimed at a layer or item that no longer exists (removed by someone else a
 * moment ago) do nothing and return false / null instead of throwing.
 */
import * as Y from 'yjs';
import { commonEnds } from './common-ends';
import { newId } from './ids';
import { readNarrative, writeNarrative } from './narrative';
import { compareOrdered, keyAfterAll, planMove, type Ordered } from './order';
import {
  documentSchemaVersion,
  mapItems,
  readFragment,
  readNumberOrNull,
  readRaw,
  readString,
  readYArray,
  readYMap,
  readYText,
  rootOf,
  setField,
  textOf,
  type CommitmentMap,
  type LayerMap,
  type NoteMap,
  type PartyRecord,
  type PositionMap,
  type RootMap,
  type ShapedMap,
  type TriggerMap,
  type YSet,
} from './schema';
import {
  COMMITMENT_TYPES,
  LAYER_KINDS,
  isCommitmentType,
  isLayerKind,
  isLayerStatus,
  isStance,
  partyIdOf,
  type Commitment,
  type DelegationAct,
  type FrameworkView,
  type Layer,
  type LayerKind,
  type LayerPackage,
  type LayerStatus,
  type LayerStatusDetail,
  type NarrativeBlock,
  type Note,
  type NoteList,
  type Party,
  type Position,
  type Trigger,
} from './types';

/** Thrown for misuse (an uninitialised document, an invalid value); not for concurrent removal. */
export class FrameworkError extends Error {
  constructor(
    readonly code: 'not_initialised' | 'invalid_value',
    message: string,
  ) {
    super(message);
    this.name = 'FrameworkError';
  }
}

// ---------------------------------------------------------------------------------------------
// Internal lookups
// ---------------------------------------------------------------------------------------------

export function layersMap(doc: Y.Doc): Y.Map<LayerMap> | undefined {
  return readYMap(rootOf(doc), 'layers');
}

function requireLayers(doc: Y.Doc): Y.Map<LayerMap> {
  const layers = layersMap(doc);
  if (!layers) {
    throw new FrameworkError(
      'not_initialised',
      'Framework document is not initialised (see initialiseFromTemplate).',
    );
  }
  return layers;
}

function partiesMap(doc: Y.Doc): Y.Map<PartyRecord> | undefined {
  return readYMap(rootOf(doc), 'parties');
}

export function findLayer(doc: Y.Doc, layerId: string): LayerMap | undefined {
  const layer: unknown = layersMap(doc)?.get(layerId);
  return layer instanceof Y.Map ? (layer as LayerMap) : undefined;
}

function findItem<S extends { id: string }>(
  array: Y.Array<ShapedMap<S>> | undefined,
  id: string,
): { item: ShapedMap<S>; index: number } | undefined {
  if (!array) return undefined;
  const items = array.toArray();
  for (let index = 0; index < items.length; index++) {
    const item = items[index];
    if (item instanceof Y.Map && item.get('id') === id) return { item, index };
  }
  return undefined;
}

function orderedLayers(layers: Y.Map<LayerMap>): Ordered[] {
  const out: Ordered[] = [];
  layers.forEach((layer, id) => {
    if (layer instanceof Y.Map) out.push({ id, order: readString(layer, 'order') ?? '' });
  });
  return out.sort(compareOrdered);
}

/**
 * Replaces the content of a Y.Text with `value`, touching only the changed middle so concurrent
 * edits elsewhere in the text survive (a form field submitting its whole value).
 */
export function replaceText(text: Y.Text, value: string) {
  const old = text.toString();
  if (old === value) return;
  let { start, end } = commonEnds(old, value);
  // Never split a surrogate pair: Yjs would store half a character.
  if (start > 0 && isHighSurrogate(old.charCodeAt(start - 1))) start--;
  if (end > 0 && isLowSurrogate(old.charCodeAt(old.length - end))) end--;
  const removed = old.length - start - end;
  if (removed > 0) text.delete(start, removed);
  const inserted = value.slice(start, value.length - end);
  if (inserted) text.insert(start, inserted);
}

const isHighSurrogate = (c: number) => c >= 0xd800 && c <= 0xdbff;
const isLowSurrogate = (c: number) => c >= 0xdc00 && c <= 0xdfff;

function newText(value: string): Y.Text {
  return new Y.Text(value);
}

function checkQuantity(field: string, value: number | null | undefined) {
  if (value === null || value === undefined) return;
  if (!Number.isFinite(value) || value < 0) {
    throw new FrameworkError('invalid_value', `${field} must be a non-negative number or empty.`);
  }
}

function checkParty(party: string) {
  if (party !== '' && partyIdOf(party) !== party) {
    throw new FrameworkError('invalid_value', `"${party}" is not a party id (use partyIdOf).`);
  }
}

/** Sets a set-like Y.Map to exactly `keys`, leaving keys that stay untouched. */
function setKeys(set: YSet, keys: readonly string[]) {
  const wanted = new Set(keys);
  for (const key of [...set.keys()]) if (!wanted.has(key)) set.delete(key);
  for (const key of wanted) if (set.get(key) !== true) set.set(key, true);
}

// ---------------------------------------------------------------------------------------------
// Reading
// ---------------------------------------------------------------------------------------------

export function readParties(doc: Y.Doc): Party[] {
  const parties: Party[] = [];
  partiesMap(doc)?.forEach((record, id) => {
    const name: unknown = typeof record === 'object' && record !== null ? record.name : undefined;
    parties.push({ id, name: typeof name === 'string' && name.trim() ? name : id });
  });
  const collator = new Intl.Collator('en', { sensitivity: 'base' });
  return parties.sort((a, b) => collator.compare(a.name, b.name) || (a.id < b.id ? -1 : 1));
}

function readCommitment(map: CommitmentMap): Commitment | null {
  const id = readString(map, 'id');
  if (!id) return null;
  const type = readRaw(map, 'type');
  return {
    id,
    party: readString(map, 'party') ?? '',
    // An unknown type (newer client) reads as equipment rather than dropping the row.
    type: isCommitmentType(type) ? type : 'equipment',
    quantity: readNumberOrNull(map, 'quantity'),
    unit: readString(map, 'unit') ?? '',
    conditions: textOf(readYText(map, 'conditions')),
    period: textOf(readYText(map, 'period')),
  };
}

function readTrigger(map: TriggerMap, partyRank: (id: string) => number): Trigger | null {
  const id = readString(map, 'id');
  if (!id) return null;
  const responsible = readYMap(map, 'responsibleParties');
  return {
    id,
    condition: textOf(readYText(map, 'condition')),
    response: textOf(readYText(map, 'response')),
    deadlineHours: readNumberOrNull(map, 'deadlineHours'),
    responsibleParties: [...(responsible?.keys() ?? [])].sort(
      (a, b) => partyRank(a) - partyRank(b) || (a < b ? -1 : a > b ? 1 : 0),
    ),
  };
}

function readNotes(array: Y.Array<NoteMap> | undefined): Note[] {
  const notes: Note[] = [];
  for (const map of mapItems(array)) {
    const id = readString(map, 'id');
    if (id) notes.push({ id, text: textOf(readYText(map, 'text')) });
  }
  return notes;
}

function readStatusDetail(value: unknown): LayerStatusDetail {
  // Written whole by the review workflow; copied so callers cannot mutate the document's value.
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (structuredClone(value) as LayerStatusDetail)
    : {};
}

/** A delegation act as stored (plain JSON from the server's workflow), read defensively. */
export function readDelegationAct(value: unknown): DelegationAct | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const v = value as Partial<Record<keyof DelegationAct, unknown>>;
  if (typeof v.by !== 'string' || typeof v.at !== 'string') return undefined;
  return {
    by: v.by,
    name: typeof v.name === 'string' ? v.name : '',
    chair: v.chair === true,
    at: v.at,
  };
}

function readLayer(id: string, map: LayerMap, partyRank: (id: string) => number): Layer {
  const kind = readRaw(map, 'kind');
  const status = readRaw(map, 'status');
  const positions: Record<string, Position> = {};
  const positionsMap = readYMap(map, 'positions');
  for (const party of [...(positionsMap?.keys() ?? [])].sort()) {
    const position: unknown = positionsMap?.get(party);
    if (!(position instanceof Y.Map)) continue;
    const p = position as PositionMap;
    const stance = readRaw(p, 'stance');
    if (!isStance(stance)) continue;
    const statedBy = readDelegationAct(readRaw(p, 'statedBy'));
    positions[party] = {
      stance,
      note: textOf(readYText(p, 'note')),
      ...(statedBy && { statedBy }),
    };
  }
  const lead = readString(map, 'lead');
  return {
    id,
    title: textOf(readYText(map, 'title')),
    // Unknown values come from newer code (the compatibility check normally prevents that).
    kind: isLayerKind(kind) ? kind : LAYER_KINDS[0],
    status: isLayerStatus(status) ? status : 'draft',
    statusDetail: readStatusDetail(readRaw(map, 'statusDetail')),
    lead: lead ? lead : null,
    order: readString(map, 'order') ?? '',
    narrative: readNarrative(readFragment(map, 'narrative')),
    commitments: mapItems(readYArray(map, 'commitments'))
      .map(readCommitment)
      .filter((c): c is Commitment => c !== null),
    triggers: mapItems(readYArray(map, 'triggers'))
      .map((t) => readTrigger(t, partyRank))
      .filter((t): t is Trigger => t !== null),
    positions,
    dependencies: [...(readYMap(map, 'dependencies')?.keys() ?? [])],
    openQuestions: readNotes(readYArray(map, 'openQuestions')),
    risks: readNotes(readYArray(map, 'risks')),
  };
}

/** A plain JSON view of the whole framework: what export, validation, the matrix and tests use. */
export function readFramework(doc: Y.Doc): FrameworkView {
  const root = rootOf(doc);
  const parties = readParties(doc);
  const rank = new Map(parties.map((p, i) => [p.id, i]));
  const partyRank = (id: string) => rank.get(id) ?? parties.length;
  const layers: Layer[] = [];
  layersMap(doc)?.forEach((map, id) => {
    if (map instanceof Y.Map) layers.push(readLayer(id, map, partyRank));
  });
  layers.sort(compareOrdered);
  const layerRank = new Map(layers.map((l, i) => [l.id, i]));
  for (const layer of layers) {
    // Dependencies follow layer order; ones on removed layers go last, by id.
    layer.dependencies.sort(
      (a, b) =>
        (layerRank.get(a) ?? layers.length) - (layerRank.get(b) ?? layers.length) ||
        (a < b ? -1 : a > b ? 1 : 0),
    );
  }
  return {
    schemaVersion: documentSchemaVersion(doc),
    title: textOf(readYText(root, 'title')),
    parties,
    layers,
    packages: readPackages(doc),
  };
}

/**
 * The framework's packages, sorted by name then id; a package's layer ids keep their order (ids of
 * removed layers included: callers skip what they do not find). Read defensively: the value is
 * plain JSON that only the server writes, but a stored document may come from any code version.
 */
export function readPackages(doc: Y.Doc): LayerPackage[] {
  const raw = readRaw(rootOf(doc), 'packages');
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return [];
  const out: LayerPackage[] = [];
  for (const [id, value] of Object.entries(raw as Record<string, unknown>)) {
    if (typeof value !== 'object' || value === null) continue;
    const v = value as Partial<Record<keyof LayerPackage, unknown>>;
    if (typeof v.name !== 'string' || !Array.isArray(v.layerIds)) continue;
    const copy = structuredClone(value) as LayerPackage;
    out.push({
      ...copy,
      id,
      layerIds: v.layerIds.filter((l): l is string => typeof l === 'string'),
    });
  }
  return out.sort((a, b) => a.name.localeCompare(b.name) || (a.id < b.id ? -1 : 1));
}

/** Writes the whole packages record (the server's review workflow only; see packages.ts). */
export function writePackages(doc: Y.Doc, packages: LayerPackage[], origin?: unknown): void {
  const root = rootOf(doc);
  doc.transact(() => {
    setField(root, 'packages', Object.fromEntries(packages.map((p) => [p.id, structuredClone(p)])));
  }, origin);
}

/**
 * A stored Yjs state (snapshot or saved version) as a plain view, read through a Y.Doc of this
 * module's own yjs copy, so callers holding only bytes never need Yjs themselves.
 */
export function viewOfState(state: Uint8Array): FrameworkView {
  const doc = new Y.Doc();
  try {
    Y.applyUpdate(doc, state);
    return readFramework(doc);
  } finally {
    doc.destroy();
  }
}

/** One layer as plain JSON, or null when there is no such layer. */
export function readLayerView(doc: Y.Doc, layerId: string): Layer | null {
  return readFramework(doc).layers.find((l) => l.id === layerId) ?? null;
}

/** A layer's lead party id ('' for none or no such layer), without reading the whole framework. */
export function readLayerLead(doc: Y.Doc, layerId: string): string {
  const layer = layersMap(doc)?.get(layerId);
  return layer ? (readString(layer, 'lead') ?? '') : '';
}

/** Layer ids in display order. */
export function layerIds(doc: Y.Doc): string[] {
  const layers = layersMap(doc);
  return layers ? orderedLayers(layers).map((l) => l.id) : [];
}

// ---------------------------------------------------------------------------------------------
// Y types the editor binds to (null when the layer or item is gone)
// ---------------------------------------------------------------------------------------------

/** The root type: scope for an UndoManager and for observing everything. */
export function getFrameworkRoot(doc: Y.Doc): RootMap {
  return rootOf(doc);
}

export function getFrameworkTitleText(doc: Y.Doc): Y.Text | null {
  return readYText(rootOf(doc), 'title') ?? null;
}

export function getLayerTitleText(doc: Y.Doc, layerId: string): Y.Text | null {
  const layer = findLayer(doc, layerId);
  return (layer && readYText(layer, 'title')) ?? null;
}

/** The fragment Tiptap's Collaboration extension binds to (`fragment` option). */
export function getNarrativeFragment(doc: Y.Doc, layerId: string): Y.XmlFragment | null {
  const layer = findLayer(doc, layerId);
  return (layer && readFragment(layer, 'narrative')) ?? null;
}

export function getCommitmentText(
  doc: Y.Doc,
  layerId: string,
  commitmentId: string,
  field: 'conditions' | 'period',
): Y.Text | null {
  const layer = findLayer(doc, layerId);
  const found = layer && findItem(readYArray(layer, 'commitments'), commitmentId);
  return (found && readYText(found.item, field)) ?? null;
}

export function getTriggerText(
  doc: Y.Doc,
  layerId: string,
  triggerId: string,
  field: 'condition' | 'response',
): Y.Text | null {
  const layer = findLayer(doc, layerId);
  const found = layer && findItem(readYArray(layer, 'triggers'), triggerId);
  return (found && readYText(found.item, field)) ?? null;
}

export function getPositionNoteText(doc: Y.Doc, layerId: string, partyId: string): Y.Text | null {
  const layer = findLayer(doc, layerId);
  const position: unknown = layer && readYMap(layer, 'positions')?.get(partyId);
  return position instanceof Y.Map ? (readYText(position as PositionMap, 'note') ?? null) : null;
}

export function getNoteText(
  doc: Y.Doc,
  layerId: string,
  list: NoteList,
  noteId: string,
): Y.Text | null {
  const layer = findLayer(doc, layerId);
  const found = layer && findItem(readYArray(layer, list), noteId);
  return (found && readYText(found.item, 'text')) ?? null;
}

// ---------------------------------------------------------------------------------------------
// Writing: framework and parties
// ---------------------------------------------------------------------------------------------

export function setFrameworkTitle(doc: Y.Doc, title: string, origin?: unknown): boolean {
  let done = false;
  doc.transact(() => {
    const text = readYText(rootOf(doc), 'title');
    if (!text) return;
    replaceText(text, title);
    done = true;
  }, origin);
  return done;
}

/**
 * Adds a party by name and returns its id. Adding a name that normalises to an existing id
 * keeps one party (also when two people add it at once: both write the same map key).
 */
export function addParty(doc: Y.Doc, name: string, origin?: unknown): string {
  const display = name.normalize('NFC').trim().replace(/\s+/g, ' ');
  if (!display) throw new FrameworkError('invalid_value', 'A party needs a name.');
  const id = partyIdOf(display);
  doc.transact(() => {
    requireLayers(doc);
    const parties = partiesMap(doc);
    if (parties && !parties.has(id)) parties.set(id, { name: display });
  }, origin);
  return id;
}

/**
 * Removes a party from the list. References to it (lead, commitments, triggers, positions) stay,
 * since someone may be adding one concurrently; validation reports them as unknown parties.
 */
export function removeParty(doc: Y.Doc, partyId: string, origin?: unknown): boolean {
  let done = false;
  doc.transact(() => {
    const parties = partiesMap(doc);
    if (parties?.has(partyId)) {
      parties.delete(partyId);
      done = true;
    }
  }, origin);
  return done;
}

// ---------------------------------------------------------------------------------------------
// Writing: layers
// ---------------------------------------------------------------------------------------------

function runOnLayer<T>(
  doc: Y.Doc,
  layerId: string,
  origin: unknown,
  fn: (layer: LayerMap) => T,
): T | null {
  let result: T | null = null;
  doc.transact(() => {
    const layer = findLayer(doc, layerId);
    if (layer) result = fn(layer);
  }, origin);
  return result;
}

export interface AddLayerOptions {
  /** Insert after this layer; null inserts first; omitted (or unknown id) appends at the end. */
  after?: string | null;
  title?: string;
  /** For templates and tests; normally generated. */
  id?: string;
}

/** Adds an empty layer of `kind` and returns its id. */
export function addLayer(
  doc: Y.Doc,
  kind: LayerKind,
  options: AddLayerOptions = {},
  origin?: unknown,
): string {
  if (!isLayerKind(kind)) throw new FrameworkError('invalid_value', `Unknown layer kind ${kind}.`);
  const id = options.id ?? newId();
  doc.transact(() => {
    const layers = requireLayers(doc);
    if (layers.has(id)) throw new FrameworkError('invalid_value', `Layer ${id} exists.`);
    const ordered = orderedLayers(layers);
    let order: string;
    const after = options.after;
    if (after === undefined || (after !== null && !ordered.some((l) => l.id === after))) {
      order = keyAfterAll(ordered);
    } else {
      const index =
        options.after === null ? 0 : ordered.findIndex((l) => l.id === options.after) + 1;
      // planMove on the new id: it may also re-key a run of equal keys after the gap.
      const plan = planMove(ordered, id, index);
      for (const [otherId, key] of plan) {
        const other = otherId === id ? undefined : layers.get(otherId);
        if (other) setField(other, 'order', key);
      }
      order = plan.get(id) ?? keyAfterAll(ordered);
    }
    // Integrate the map first, then fill it: reading a Yjs type before it is in a document warns.
    const layer: LayerMap = new Y.Map();
    layers.set(id, layer);
    setField(layer, 'title', newText(options.title ?? ''));
    setField(layer, 'kind', kind);
    setField(layer, 'status', 'draft');
    setField(layer, 'statusDetail', {});
    setField(layer, 'lead', null);
    setField(layer, 'order', order);
    setField(layer, 'narrative', new Y.XmlFragment());
    setField(layer, 'commitments', new Y.Array<CommitmentMap>());
    setField(layer, 'triggers', new Y.Array<TriggerMap>());
    setField(layer, 'positions', new Y.Map<PositionMap>());
    setField(layer, 'dependencies', new Y.Map<true>());
    setField(layer, 'openQuestions', new Y.Array<NoteMap>());
    setField(layer, 'risks', new Y.Array<NoteMap>());
  }, origin);
  return id;
}

/** Removes a layer and the dependencies other layers had on it (one transaction, one undo). */
export function removeLayer(doc: Y.Doc, layerId: string, origin?: unknown): boolean {
  let done = false;
  doc.transact(() => {
    const layers = layersMap(doc);
    if (!layers?.has(layerId)) return;
    layers.delete(layerId);
    layers.forEach((layer) => {
      const deps = layer instanceof Y.Map ? readYMap(layer, 'dependencies') : undefined;
      if (deps?.has(layerId)) deps.delete(layerId);
    });
    done = true;
  }, origin);
  return done;
}

export type MoveTarget = { before: string } | { after: string } | { index: number };

/**
 * Moves a layer by giving it a new fractional order key (usually the only write). A move
 * concurrent with edits inside the layer keeps those edits: nothing is deleted or re-created.
 */
export function moveLayer(
  doc: Y.Doc,
  layerId: string,
  target: MoveTarget,
  origin?: unknown,
): boolean {
  let done = false;
  doc.transact(() => {
    const layers = layersMap(doc);
    if (!layers?.has(layerId)) return;
    const others = orderedLayers(layers).filter((l) => l.id !== layerId);
    let index: number;
    if ('index' in target) index = target.index;
    else {
      const anchor = 'before' in target ? target.before : target.after;
      const at = others.findIndex((l) => l.id === anchor);
      if (at < 0) return;
      index = 'before' in target ? at : at + 1;
    }
    for (const [id, key] of planMove(others, layerId, index)) {
      const layer = layers.get(id);
      if (layer instanceof Y.Map) setField(layer, 'order', key);
    }
    done = true;
  }, origin);
  return done;
}

export function setLayerTitle(doc: Y.Doc, layerId: string, title: string, origin?: unknown) {
  return (
    runOnLayer(doc, layerId, origin, (layer) => {
      const text = readYText(layer, 'title');
      if (text) replaceText(text, title);
      else setField(layer, 'title', newText(title));
      return true;
    }) ?? false
  );
}

/** The plain-valued fields of a layer (short texts are Y.Text, see the getters). */
export interface LayerFields {
  kind: LayerKind;
  status: LayerStatus;
  statusDetail: LayerStatusDetail;
  /** Party id or null. */
  lead: string | null;
}

export function setLayerField<K extends keyof LayerFields>(
  doc: Y.Doc,
  layerId: string,
  field: K,
  value: LayerFields[K],
  origin?: unknown,
): boolean {
  // Values come from forms and the server's workflow: check at runtime too.
  if (field === 'kind' && !isLayerKind(value)) {
    throw new FrameworkError('invalid_value', `Unknown layer kind ${String(value)}.`);
  }
  if (field === 'status' && !isLayerStatus(value)) {
    throw new FrameworkError('invalid_value', `Unknown layer status ${String(value)}.`);
  }
  if (field === 'lead' && value !== null) checkParty(String(value));
  return (
    runOnLayer(doc, layerId, origin, (layer) => {
      if (field === 'statusDetail') {
        setField(layer, 'statusDetail', structuredClone(value as LayerStatusDetail));
      } else if (readRaw(layer, field) !== value) {
        // Only write real changes: an unchanged select must not create an update or undo step.
        layer.set(field, value as string | null);
      }
      return true;
    }) ?? false
  );
}

/** Replaces a layer's narrative with structured blocks (templates, restore, tests). */
export function setNarrative(
  doc: Y.Doc,
  layerId: string,
  blocks: NarrativeBlock[],
  origin?: unknown,
): boolean {
  return (
    runOnLayer(doc, layerId, origin, (layer) => {
      let fragment = readFragment(layer, 'narrative');
      if (!fragment) {
        fragment = new Y.XmlFragment();
        setField(layer, 'narrative', fragment);
      }
      writeNarrative(fragment, blocks);
      return true;
    }) ?? false
  );
}

// ---------------------------------------------------------------------------------------------
// Writing: commitments
// ---------------------------------------------------------------------------------------------

export type CommitmentInput = Partial<Omit<Commitment, 'id'>>;

function checkCommitment(input: CommitmentInput) {
  if (input.type !== undefined && !isCommitmentType(input.type)) {
    throw new FrameworkError('invalid_value', `Unknown commitment type ${String(input.type)}.`);
  }
  if (input.party !== undefined) checkParty(input.party);
  checkQuantity('Quantity', input.quantity);
}

function writeCommitment(map: CommitmentMap, input: CommitmentInput) {
  if (input.party !== undefined && map.get('party') !== input.party) {
    setField(map, 'party', input.party);
  }
  if (input.type !== undefined && map.get('type') !== input.type) setField(map, 'type', input.type);
  if (input.quantity !== undefined && map.get('quantity') !== input.quantity) {
    setField(map, 'quantity', input.quantity);
  }
  if (input.unit !== undefined && map.get('unit') !== input.unit) setField(map, 'unit', input.unit);
  for (const key of ['conditions', 'period'] as const) {
    const value = input[key];
    if (value === undefined) continue;
    const text = readYText(map, key);
    if (text) replaceText(text, value);
    else setField(map, key, newText(value));
  }
}

/** Adds a commitment (defaults: no party, troops, no quantity) and returns its id. */
export function addCommitment(
  doc: Y.Doc,
  layerId: string,
  input: CommitmentInput = {},
  origin?: unknown,
  /** Restoring a version keeps item ids; normally generated. */
  withId?: string,
): string | null {
  checkCommitment(input);
  return runOnLayer(doc, layerId, origin, (layer) => {
    const array = readYArray(layer, 'commitments');
    if (!array) return null;
    const id = withId ?? newId();
    const map: CommitmentMap = new Y.Map();
    array.push([map]);
    setField(map, 'id', id);
    writeCommitment(map, {
      party: '',
      type: COMMITMENT_TYPES[0],
      quantity: null,
      unit: '',
      conditions: '',
      period: '',
      ...input,
    });
    return id;
  });
}

export function updateCommitment(
  doc: Y.Doc,
  layerId: string,
  commitmentId: string,
  patch: CommitmentInput,
  origin?: unknown,
): boolean {
  checkCommitment(patch);
  return (
    runOnLayer(doc, layerId, origin, (layer) => {
      const found = findItem(readYArray(layer, 'commitments'), commitmentId);
      if (!found) return false;
      writeCommitment(found.item, patch);
      return true;
    }) ?? false
  );
}

export function removeCommitment(
  doc: Y.Doc,
  layerId: string,
  commitmentId: string,
  origin?: unknown,
): boolean {
  return removeFromList(doc, layerId, 'commitments', commitmentId, origin);
}

function removeFromList(
  doc: Y.Doc,
  layerId: string,
  list: 'commitments' | 'triggers' | NoteList,
  id: string,
  origin: unknown,
): boolean {
  return (
    runOnLayer(doc, layerId, origin, (layer) => {
      // Items of every list carry an id; TypeScript cannot unify the union of array types.
      const array = readYArray(layer, list) as Y.Array<ShapedMap<{ id: string }>> | undefined;
      const found = findItem(array, id);
      if (!array || !found) return false;
      array.delete(found.index, 1);
      return true;
    }) ?? false
  );
}

// ---------------------------------------------------------------------------------------------
// Writing: triggers
// ---------------------------------------------------------------------------------------------

export type TriggerInput = Partial<Omit<Trigger, 'id'>>;

function checkTrigger(input: TriggerInput) {
  checkQuantity('Deadline', input.deadlineHours);
  input.responsibleParties?.forEach(checkParty);
}

function writeTrigger(map: TriggerMap, input: TriggerInput) {
  for (const key of ['condition', 'response'] as const) {
    const value = input[key];
    if (value === undefined) continue;
    const text = readYText(map, key);
    if (text) replaceText(text, value);
    else setField(map, key, newText(value));
  }
  if (input.deadlineHours !== undefined && map.get('deadlineHours') !== input.deadlineHours) {
    setField(map, 'deadlineHours', input.deadlineHours);
  }
  if (input.responsibleParties !== undefined) {
    let set = readYMap(map, 'responsibleParties');
    if (!set) {
      set = new Y.Map<true>();
      setField(map, 'responsibleParties', set);
    }
    setKeys(set, input.responsibleParties);
  }
}

export function addTrigger(
  doc: Y.Doc,
  layerId: string,
  input: TriggerInput = {},
  origin?: unknown,
  /** Restoring a version keeps item ids; normally generated. */
  withId?: string,
): string | null {
  checkTrigger(input);
  return runOnLayer(doc, layerId, origin, (layer) => {
    const array = readYArray(layer, 'triggers');
    if (!array) return null;
    const id = withId ?? newId();
    const map: TriggerMap = new Y.Map();
    array.push([map]);
    setField(map, 'id', id);
    writeTrigger(map, {
      condition: '',
      response: '',
      deadlineHours: null,
      responsibleParties: [],
      ...input,
    });
    return id;
  });
}

export function updateTrigger(
  doc: Y.Doc,
  layerId: string,
  triggerId: string,
  patch: TriggerInput,
  origin?: unknown,
): boolean {
  checkTrigger(patch);
  return (
    runOnLayer(doc, layerId, origin, (layer) => {
      const found = findItem(readYArray(layer, 'triggers'), triggerId);
      if (!found) return false;
      writeTrigger(found.item, patch);
      return true;
    }) ?? false
  );
}

/** Adds or removes one responsible party without rewriting the others (concurrency-friendly). */
export function setTriggerParty(
  doc: Y.Doc,
  layerId: string,
  triggerId: string,
  partyId: string,
  responsible: boolean,
  origin?: unknown,
): boolean {
  checkParty(partyId);
  return (
    runOnLayer(doc, layerId, origin, (layer) => {
      const found = findItem(readYArray(layer, 'triggers'), triggerId);
      const set = found && readYMap(found.item, 'responsibleParties');
      if (!set) return false;
      if (responsible && set.get(partyId) !== true) set.set(partyId, true);
      if (!responsible && set.has(partyId)) set.delete(partyId);
      return true;
    }) ?? false
  );
}

export function removeTrigger(
  doc: Y.Doc,
  layerId: string,
  triggerId: string,
  origin?: unknown,
): boolean {
  return removeFromList(doc, layerId, 'triggers', triggerId, origin);
}

// ---------------------------------------------------------------------------------------------
// Writing: open questions and risks
// ---------------------------------------------------------------------------------------------

export function addNote(
  doc: Y.Doc,
  layerId: string,
  list: NoteList,
  text: string,
  origin?: unknown,
  /** Restoring a version keeps item ids; normally generated. */
  withId?: string,
): string | null {
  return runOnLayer(doc, layerId, origin, (layer) => {
    const array = readYArray(layer, list);
    if (!array) return null;
    const id = withId ?? newId();
    const map: NoteMap = new Y.Map();
    array.push([map]);
    setField(map, 'id', id);
    setField(map, 'text', newText(text));
    return id;
  });
}

export function updateNote(
  doc: Y.Doc,
  layerId: string,
  list: NoteList,
  noteId: string,
  text: string,
  origin?: unknown,
): boolean {
  return (
    runOnLayer(doc, layerId, origin, (layer) => {
      const found = findItem(readYArray(layer, list), noteId);
      if (!found) return false;
      const yText = readYText(found.item, 'text');
      if (yText) replaceText(yText, text);
      else setField(found.item, 'text', newText(text));
      return true;
    }) ?? false
  );
}

export function removeNote(
  doc: Y.Doc,
  layerId: string,
  list: NoteList,
  noteId: string,
  origin?: unknown,
): boolean {
  return removeFromList(doc, layerId, list, noteId, origin);
}

export const addOpenQuestion = (doc: Y.Doc, layerId: string, text: string, origin?: unknown) =>
  addNote(doc, layerId, 'openQuestions', text, origin);
export const updateOpenQuestion = (
  doc: Y.Doc,
  layerId: string,
  questionId: string,
  text: string,
  origin?: unknown,
) => updateNote(doc, layerId, 'openQuestions', questionId, text, origin);
export const removeOpenQuestion = (
  doc: Y.Doc,
  layerId: string,
  questionId: string,
  origin?: unknown,
) => removeNote(doc, layerId, 'openQuestions', questionId, origin);

// ---------------------------------------------------------------------------------------------
// Writing: positions and dependencies
// ---------------------------------------------------------------------------------------------

/**
 * Sets a party's stance (and note, when given) on a layer. An existing position is updated in
 * place, so a concurrent edit of its note survives a stance change.
 */
export function setPosition(
  doc: Y.Doc,
  layerId: string,
  partyId: string,
  position: { stance: Position['stance']; note?: string; statedBy?: DelegationAct },
  origin?: unknown,
): boolean {
  checkParty(partyId);
  if (!partyId || !isStance(position.stance)) {
    throw new FrameworkError('invalid_value', 'A position needs a party and a stance.');
  }
  return (
    runOnLayer(doc, layerId, origin, (layer) => {
      const positions = readYMap(layer, 'positions');
      if (!positions) return false;
      const existing: unknown = positions.get(partyId);
      if (existing instanceof Y.Map) {
        const map = existing as PositionMap;
        if (map.get('stance') !== position.stance) setField(map, 'stance', position.stance);
        if (position.statedBy) setField(map, 'statedBy', { ...position.statedBy });
        if (position.note !== undefined) {
          const note = readYText(map, 'note');
          if (note) replaceText(note, position.note);
          else setField(map, 'note', newText(position.note));
        }
      } else {
        const map: PositionMap = new Y.Map();
        positions.set(partyId, map);
        setField(map, 'stance', position.stance);
        setField(map, 'note', newText(position.note ?? ''));
        if (position.statedBy) setField(map, 'statedBy', { ...position.statedBy });
      }
      return true;
    }) ?? false
  );
}

export function removePosition(
  doc: Y.Doc,
  layerId: string,
  partyId: string,
  origin?: unknown,
): boolean {
  return (
    runOnLayer(doc, layerId, origin, (layer) => {
      const positions = readYMap(layer, 'positions');
      if (!positions?.has(partyId)) return false;
      positions.delete(partyId);
      return true;
    }) ?? false
  );
}

/** Records that `layerId` depends on `dependsOnId` (a set: adding twice keeps one). */
export function addDependency(
  doc: Y.Doc,
  layerId: string,
  dependsOnId: string,
  origin?: unknown,
): boolean {
  if (layerId === dependsOnId) {
    throw new FrameworkError('invalid_value', 'A layer cannot depend on itself.');
  }
  return (
    runOnLayer(doc, layerId, origin, (layer) => {
      const deps = readYMap(layer, 'dependencies');
      if (!deps || !findLayer(doc, dependsOnId)) return false;
      if (deps.get(dependsOnId) !== true) deps.set(dependsOnId, true);
      return true;
    }) ?? false
  );
}

export function removeDependency(
  doc: Y.Doc,
  layerId: string,
  dependsOnId: string,
  origin?: unknown,
): boolean {
  return (
    runOnLayer(doc, layerId, origin, (layer) => {
      const deps = readYMap(layer, 'dependencies');
      if (!deps?.has(dependsOnId)) return false;
      deps.delete(dependsOnId);
      return true;
    }) ?? false
  );
}

// ---------------------------------------------------------------------------------------------
// Observing
// ---------------------------------------------------------------------------------------------

/**
 * Calls `callback` after every transaction that changed the framework (any depth). Returns the
 * unsubscribe function.
 */
export function observeFramework(
  doc: Y.Doc,
  callback: (events: Array<Y.YEvent<Y.AbstractType<unknown>>>, transaction: Y.Transaction) => void,
): () => void {
  const root = rootOf(doc);
  root.observeDeep(callback);
  return () => root.unobserveDeep(callback);
}
