import {
  MIGRATIONS,
  checkClientCompatibility,
  documentSchemaVersion,
  migrateFramework,
  type Compatibility,
  type Migration,
} from '../../../lib/framework';
import type { LiveDocument } from './live-document';
import { ServerOrigin } from './server-origin';

/**
 * Stored content outlives code: the schema version of a document against the code that serves
 * it. On load, a document older than this code is migrated (one server change, stored and sent
 * like any other); at the upgrade, a client whose code announces an incompatible schema is
 * turned away with the "reload" close code. One list of migrations for both.
 */
export class SchemaGate {
  constructor(private readonly migrations: readonly Migration[] = MIGRATIONS) {}

  /**
   * Runs the pending migrations of a loaded document; returns the versions applied. A document
   * never initialised (version 0: not a framework yet) is left as it is, as creating a framework
   * initialises and migrates it; a document newer than this code throws (never downgrade).
   */
  migrate(document: LiveDocument): number[] {
    if (documentSchemaVersion(document.doc) === 0) return [];
    return migrateFramework(document.doc, {
      migrations: this.migrations,
      origin: new ServerOrigin('migration'),
    });
  }

  /**
   * Whether a client announcing `clientVersion` may edit this document. A client that announces
   * nothing (tools, older pages) is let in, its updates checked like everyone's; so is any
   * client of a document never initialised, which holds nothing to misread.
   */
  admit(clientVersion: number | null, document: LiveDocument): Compatibility {
    const documentVersion = documentSchemaVersion(document.doc);
    if (clientVersion === null || documentVersion === 0) return { ok: true };
    return checkClientCompatibility(clientVersion, documentVersion, this.migrations);
  }
}
