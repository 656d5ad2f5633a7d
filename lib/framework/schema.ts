/**
 * The Yjs shape of a framework document: key names, typed accessors, schema version and
 * migrations. The tree is drawn in README.md. Only lib/framework imports this file.
 */
import * as Y from 'yjs';
import type {
  CommitmentType,
  DelegationAct,
  LayerPackage,
  LayerStatusDetail,
  Stance,
} from './types';

/** A Y.Map whose keys and value types are those of S (a phantom type; Yjs itself knows one union). */
export type ShapedMap<S> = Y.Map<S[keyof S]> & { readonly __shape?: S };

type KeysOfType<S, T> = { [K in keyof S]-?: S[K] extends T ? K : never }[keyof S] & string;
type MapKeys<S> = {
  [K in keyof S]-?: S[K] extends Y.Map<infer _V> ? K : never;
}[keyof S] &
  string;
type ArrayKeys<S> = {
  [K in keyof S]-?: S[K] extends Y.Array<infer _V> ? K : never;
}[keyof S] &
  string;

/** A party entry, keyed by party id in the parties map. */
export interface PartyRecord {
  name: string;
}

/** Set semantics: concurrent adds of the same key converge to one entry. */
export type YSet = Y.Map<true>;

export interface RootShape {
  schemaVersion: number;
  title: Y.Text;
  parties: Y.Map<PartyRecord>;
  layers: Y.Map<LayerMap>;
  /** Plain JSON keyed by package id, written whole by the server (absent until the first one). */
  packages: Record<string, LayerPackage>;
}
export type RootMap = ShapedMap<RootShape>;

/** A layer; its id is its key in the layers map (not stored again inside). */
export interface LayerShape {
  title: Y.Text;
  /** LayerKind; kept as string because another client may write a kind we do not know yet. */
  kind: string;
  status: string;
  statusDetail: LayerStatusDetail;
  lead: string | null;
  order: string;
  narrative: Y.XmlFragment;
  commitments: Y.Array<CommitmentMap>;
  triggers: Y.Array<TriggerMap>;
  positions: Y.Map<PositionMap>;
  dependencies: YSet;
  openQuestions: Y.Array<NoteMap>;
  risks: Y.Array<NoteMap>;
}
export type LayerMap = ShapedMap<LayerShape>;

export interface CommitmentShape {
  id: string;
  party: string;
  type: CommitmentType;
  quantity: number | null;
  unit: string;
  conditions: Y.Text;
  period: Y.Text;
}
export type CommitmentMap = ShapedMap<CommitmentShape>;

export interface TriggerShape {
  id: string;
  condition: Y.Text;
  response: Y.Text;
  deadlineHours: number | null;
  responsibleParties: YSet;
}
export type TriggerMap = ShapedMap<TriggerShape>;

export interface PositionShape {
  stance: Stance;
  note: Y.Text;
  /** Plain JSON (DelegationAct), written whole by the review workflow. */
  statedBy: DelegationAct;
}
export type PositionMap = ShapedMap<PositionShape>;

export interface NoteShape {
  id: string;
  text: Y.Text;
}
export type NoteMap = ShapedMap<NoteShape>;

/** Name of the one root type of the document. */
export const ROOT_KEY = 'framework';

export function rootOf(doc: Y.Doc): RootMap {
  return doc.getMap(ROOT_KEY);
}

/** Sets a key of a shaped map; the value type follows the key. */
export function setField<S, K extends keyof S & string>(map: ShapedMap<S>, key: K, value: S[K]) {
  map.set(key, value);
}

// Readers check the runtime type: content arrives from other clients and older or newer code,
// so a key may be missing or hold something unexpected; readers never throw on that.

export function readYText<S>(map: ShapedMap<S>, key: KeysOfType<S, Y.Text>): Y.Text | undefined {
  const value: unknown = map.get(key);
  return value instanceof Y.Text ? value : undefined;
}

export function readYMap<S, K extends MapKeys<S>>(map: ShapedMap<S>, key: K): S[K] | undefined {
  const value: unknown = map.get(key);
  // The instanceof check is what Yjs can tell us; the item types are checked where they are read.
  return value instanceof Y.Map ? (value as S[K]) : undefined;
}

export function readYArray<S, K extends ArrayKeys<S>>(map: ShapedMap<S>, key: K): S[K] | undefined {
  const value: unknown = map.get(key);
  return value instanceof Y.Array ? (value as S[K]) : undefined;
}

export function readFragment<S>(
  map: ShapedMap<S>,
  key: KeysOfType<S, Y.XmlFragment>,
): Y.XmlFragment | undefined {
  const value: unknown = map.get(key);
  // Y.XmlElement extends Y.XmlFragment; only a bare fragment is ours.
  return value instanceof Y.XmlFragment && !(value instanceof Y.XmlElement) ? value : undefined;
}

export function readString<S>(map: ShapedMap<S>, key: keyof S & string): string | undefined {
  const value: unknown = map.get(key);
  return typeof value === 'string' ? value : undefined;
}

export function readNumberOrNull<S>(map: ShapedMap<S>, key: keyof S & string): number | null {
  const value: unknown = map.get(key);
  return typeof value === 'number' && Number.isFinite(value) ? value : null;
}

export function readRaw<S>(map: ShapedMap<S>, key: keyof S & string): unknown {
  return map.get(key);
}

/** Every item of a Y.Array that is a Y.Map, typed as the array's item shape. */
export function mapItems<S>(array: Y.Array<ShapedMap<S>> | undefined): ShapedMap<S>[] {
  if (!array) return [];
  return array.toArray().filter((item: unknown) => item instanceof Y.Map);
}

/** Text of a Y.Text, '' when absent. */
export const textOf = (text: Y.Text | undefined): string => (text ? text.toString() : '');

// ---------------------------------------------------------------------------------------------
// Schema version and migrations
// ---------------------------------------------------------------------------------------------

export interface Migration {
  /** The version a document has after this migration; versions are consecutive from 1. */
  version: number;
  /**
   * True when a client written for an earlier version cannot safely edit a document at this
   * version (it would misread or corrupt it). Additive changes that old readers ignore are not
   * breaking.
   */
  breaking: boolean;
  description: string;
  /** Runs inside the migration transaction. Must be idempotent (repairs what is missing). */
  up(root: RootMap): void;
}

/**
 * Ordered migrations. Stored documents outlive code: never edit a released entry, append one.
 * Migrations run in one place only (the sync server on load, or whoever creates the document),
 * never in several clients at once: two clients creating the same nested type concurrently
 * would each win on some replicas and lose content.
 */
export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    breaking: true,
    description: 'Root containers: title (Y.Text), parties (Y.Map), layers (Y.Map).',
    up(root) {
      if (!readYText(root, 'title')) setField(root, 'title', new Y.Text());
      if (!readYMap(root, 'parties')) setField(root, 'parties', new Y.Map<PartyRecord>());
      if (!readYMap(root, 'layers')) setField(root, 'layers', new Y.Map<LayerMap>());
    },
  },
];

function latestVersion(migrations: readonly Migration[]): number {
  return migrations.at(-1)?.version ?? 0;
}

/** The schema version this code writes. */
export const SCHEMA_VERSION = latestVersion(MIGRATIONS);

/** The schema version stored in a document; 0 for an empty (never initialised) document. */
export function documentSchemaVersion(doc: Y.Doc): number {
  const value: unknown = rootOf(doc).get('schemaVersion');
  return typeof value === 'number' && Number.isInteger(value) && value > 0 ? value : 0;
}

export class SchemaVersionError extends Error {
  constructor(
    readonly documentVersion: number,
    readonly supportedVersion: number,
  ) {
    super(
      `Framework document has schema version ${documentVersion}; this code supports up to ${supportedVersion}.`,
    );
    this.name = 'SchemaVersionError';
  }
}

/**
 * Brings a document up to the latest schema version by running the pending migrations in order,
 * in one transaction. Returns the versions applied. Throws SchemaVersionError for a document
 * newer than this code (never downgrade).
 */
export function migrateFramework(
  doc: Y.Doc,
  options: { migrations?: readonly Migration[]; origin?: unknown } = {},
): number[] {
  const migrations = options.migrations ?? MIGRATIONS;
  const target = latestVersion(migrations);
  const from = documentSchemaVersion(doc);
  if (from > target) throw new SchemaVersionError(from, target);
  const pending = migrations.filter((m) => m.version > from);
  if (pending.length === 0) return [];
  doc.transact(() => {
    const root = rootOf(doc);
    for (const migration of pending) {
      migration.up(root);
      setField(root, 'schemaVersion', migration.version);
    }
  }, options.origin);
  return pending.map((m) => m.version);
}

/** The lowest client schema version that may edit a document at `documentVersion`. */
export function minimumClientVersion(
  documentVersion: number,
  migrations: readonly Migration[] = MIGRATIONS,
): number {
  let minimum = 0;
  for (const m of migrations) if (m.breaking && m.version <= documentVersion) minimum = m.version;
  return minimum;
}

export type Compatibility =
  | { ok: true }
  | {
      ok: false;
      /**
       * client_outdated: the client must reload to get newer code.
       * server_outdated: the client is newer than this code; retry after the server is updated.
       * document_outdated: the document needs a breaking migration before this client may edit.
       */
      reason: 'client_outdated' | 'server_outdated' | 'document_outdated';
      message: string;
    };

/**
 * Whether a client whose code writes `clientVersion` may edit a document at `documentVersion`.
 * Run by the sync server (with its own migration list) when a client connects.
 */
export function checkClientCompatibility(
  clientVersion: number,
  documentVersion: number,
  migrations: readonly Migration[] = MIGRATIONS,
): Compatibility {
  const minimum = minimumClientVersion(documentVersion, migrations);
  if (clientVersion < minimum) {
    return {
      ok: false,
      reason: 'client_outdated',
      message: `This page is out of date (schema ${clientVersion}, document needs ${minimum}). Reload.`,
    };
  }
  if (clientVersion > latestVersion(migrations)) {
    return {
      ok: false,
      reason: 'server_outdated',
      message: `The server does not know schema version ${clientVersion} yet. Try again shortly.`,
    };
  }
  const breakingAhead = migrations.some(
    (m) => m.breaking && m.version > documentVersion && m.version <= clientVersion,
  );
  if (breakingAhead) {
    return {
      ok: false,
      reason: 'document_outdated',
      message: `The document (schema ${documentVersion}) must be migrated before schema ${clientVersion} edits it.`,
    };
  }
  return { ok: true };
}
