import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import {
  MIGRATIONS,
  SCHEMA_VERSION,
  SchemaVersionError,
  checkClientCompatibility,
  createFrameworkDoc,
  documentSchemaVersion,
  migrateFramework,
  minimumClientVersion,
  readFramework,
  type Migration,
} from './index';
import { readYMap, rootOf, setField } from './schema';

// A made-up history for the rules: 2 is additive (old clients still fine), 3 breaks old readers.
const HISTORY: Migration[] = [
  ...MIGRATIONS,
  {
    version: 2,
    breaking: false,
    description: 'test: an additive change that old readers ignore',
    up() {},
  },
  {
    version: 3,
    breaking: true,
    description: 'test: rename every layer title to upper case',
    up(root) {
      readYMap(root, 'layers')?.forEach((layer) => {
        const title = layer.get('title');
        if (title instanceof Y.Text) {
          const upper = title.toString().toUpperCase();
          title.delete(0, title.length);
          title.insert(0, upper);
        }
      });
    },
  },
];

describe('schema version and migrations', () => {
  it('versions are consecutive from 1 and SCHEMA_VERSION is the last', () => {
    expect(MIGRATIONS.map((m) => m.version)).toEqual(
      Array.from({ length: MIGRATIONS.length }, (_, i) => i + 1),
    );
    expect(SCHEMA_VERSION).toBe(MIGRATIONS.at(-1)!.version);
  });

  it('an empty document is version 0 and migrates to the current version with its containers', () => {
    const doc = new Y.Doc();
    expect(documentSchemaVersion(doc)).toBe(0);
    expect(migrateFramework(doc)).toEqual([1]);
    expect(documentSchemaVersion(doc)).toBe(SCHEMA_VERSION);
    expect(readFramework(doc)).toEqual({
      schemaVersion: 1,
      title: '',
      parties: [],
      layers: [],
      packages: [],
    });
    // Idempotent: nothing pending, no update written.
    let updates = 0;
    doc.on('update', () => updates++);
    expect(migrateFramework(doc)).toEqual([]);
    expect(updates).toBe(0);
  });

  it('runs pending migrations in order in one transaction, keeping content', () => {
    const doc = createFrameworkDoc('four-leg');
    const transactions: unknown[] = [];
    doc.on('afterTransaction', (tr: Y.Transaction) => transactions.push(tr.origin));
    expect(migrateFramework(doc, { migrations: HISTORY, origin: 'server' })).toEqual([2, 3]);
    expect(transactions).toEqual(['server']);
    expect(documentSchemaVersion(doc)).toBe(3);
    expect(readFramework(doc).layers[0]!.title).toBe('LEG 1: EUROPEAN PRESENCE');
  });

  it('refuses to run older code on a newer document', () => {
    const doc = createFrameworkDoc();
    doc.transact(() => setField(rootOf(doc), 'schemaVersion', 9));
    expect(() => migrateFramework(doc)).toThrow(SchemaVersionError);
  });

  it('treats a crafted non-integer version as an uninitialised document', () => {
    const doc = new Y.Doc();
    doc.getMap('framework').set('schemaVersion', 'two');
    expect(documentSchemaVersion(doc)).toBe(0);
  });
});

describe('checkClientCompatibility', () => {
  it('accepts a client at the document version', () => {
    expect(checkClientCompatibility(SCHEMA_VERSION, SCHEMA_VERSION)).toEqual({ ok: true });
    expect(checkClientCompatibility(3, 3, HISTORY)).toEqual({ ok: true });
  });

  it('tells an older client to reload when a breaking migration lies between', () => {
    expect(minimumClientVersion(3, HISTORY)).toBe(3);
    expect(checkClientCompatibility(2, 3, HISTORY)).toMatchObject({
      ok: false,
      reason: 'client_outdated',
    });
    expect(checkClientCompatibility(0, 1)).toMatchObject({ ok: false, reason: 'client_outdated' });
  });

  it('lets an older client edit a document whose newer migrations are all additive', () => {
    expect(minimumClientVersion(2, HISTORY)).toBe(1);
    expect(checkClientCompatibility(1, 2, HISTORY)).toEqual({ ok: true });
  });

  it('refuses a client newer than the server knows, and one ahead of a breaking migration', () => {
    expect(checkClientCompatibility(SCHEMA_VERSION + 1, SCHEMA_VERSION)).toMatchObject({
      ok: false,
      reason: 'server_outdated',
    });
    expect(checkClientCompatibility(3, 2, HISTORY)).toMatchObject({
      ok: false,
      reason: 'document_outdated',
    });
    // Ahead only by an additive migration is fine.
    expect(checkClientCompatibility(2, 1, HISTORY)).toEqual({ ok: true });
  });
});
