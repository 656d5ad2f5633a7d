import type { Logger } from 'pino';
import type { Database } from '../../../db/client';
import type { CollabConfig } from '../config';
import type { CollabExtension } from '../hooks/extension';
import { LiveDocument } from './live-document';
import { loadDocumentState } from '../hooks/persistence/persistence';
import { SchemaGate } from './schema-gate';

/**
 * The open documents of this instance: one LiveDocument per id, loaded once however many connect
 * at the same moment, unloaded (after a flush) when nobody held it for `unloadIdleMs`. A connect
 * that arrives while its document unloads waits for the unload and loads it again from storage.
 */
export class DocumentRegistry {
  readonly documents = new Map<string, LiveDocument>();
  private readonly loading = new Map<string, Promise<LiveDocument>>();
  private readonly unloading = new Map<string, Promise<void>>();
  private readonly idleTimers = new Map<string, NodeJS.Timeout>();

  constructor(
    private readonly db: Database,
    private readonly extensions: CollabExtension[],
    private readonly config: CollabConfig,
    private readonly log: Logger,
    /** Migrates each document on load; its migrations decide which clients may connect. */
    readonly schema: SchemaGate = new SchemaGate(),
  ) {}

  /** The loaded document, held for the caller until `release`. Rejects when it cannot load. */
  async acquire(id: string): Promise<LiveDocument> {
    for (;;) {
      const unloading = this.unloading.get(id);
      if (unloading) {
        await unloading;
        continue;
      }
      const open = this.documents.get(id);
      if (open) {
        this.hold(open);
        return open;
      }
      const loading = this.loading.get(id) ?? this.startLoad(id);
      await loading;
      // Loop: the document may have started unloading between the load and this turn.
    }
  }

  release(document: LiveDocument): void {
    document.holders -= 1;
    if (document.holders > 0 || document.unloading) return;
    this.clearIdle(document.id);
    this.idleTimers.set(
      document.id,
      setTimeout(() => void this.unload(document), this.config.unloadIdleMs),
    );
  }

  /** Flushes and drops a document now (idle timeout, or shutdown). Keeps it if the flush fails. */
  async unload(document: LiveDocument): Promise<void> {
    this.clearIdle(document.id);
    if (document.holders > 0 || document.unloading) return;
    document.unloading = true;
    const done = (async () => {
      try {
        for (const extension of this.extensions) await extension.beforeUnload?.(document);
      } catch (error) {
        // Nothing may be lost: keep the document (and its pending updates) and try again later.
        document.unloading = false;
        document.log.error({ err: error }, 'collab unload: flush failed, keeping document');
        document.holders += 1;
        this.release(document);
        return;
      }
      this.documents.delete(document.id);
      for (const extension of this.extensions) extension.afterUnload?.(document);
      document.destroy();
      document.log.debug('collab document unloaded');
    })();
    this.unloading.set(document.id, done);
    try {
      await done;
    } finally {
      this.unloading.delete(document.id);
    }
  }

  /** Unloads every document with no holders; returns the ids whose flush failed. */
  async unloadAll(): Promise<string[]> {
    await Promise.all([...this.loading.values()].map((p) => p.then(noop, noop)));
    const failed: string[] = [];
    await Promise.all(
      [...this.documents.values()].map(async (document) => {
        document.holders = 0;
        await this.unload(document);
        if (this.documents.has(document.id)) failed.push(document.id);
      }),
    );
    for (const id of this.idleTimers.keys()) this.clearIdle(id);
    return failed;
  }

  private hold(document: LiveDocument): void {
    document.holders += 1;
    this.clearIdle(document.id);
  }

  private startLoad(id: string): Promise<LiveDocument> {
    const log = this.log.child({ documentId: id });
    const promise = (async () => {
      const started = Date.now();
      const { doc, rowCount } = await loadDocumentState(this.db, id);
      const document = new LiveDocument(id, doc, this.extensions, this.config, log);
      document.loadedRowCount = rowCount;
      for (const extension of this.extensions) extension.afterLoad?.(document);
      // After the hooks saw the stored state: the migration is a server change they store and send.
      const migrated = this.schema.migrate(document);
      if (migrated.length > 0) log.info({ versions: migrated }, 'collab document migrated');
      this.documents.set(id, document);
      log.info({ ms: Date.now() - started, rows: rowCount }, 'collab document loaded');
      // Unheld until a connection takes it; unload it if none ever does.
      document.holders += 1;
      this.release(document);
      return document;
    })();
    this.loading.set(id, promise);
    promise.then(
      () => this.loading.delete(id),
      (error: unknown) => {
        this.loading.delete(id);
        log.error({ err: error }, 'collab document failed to load');
      },
    );
    return promise;
  }

  private clearIdle(id: string): void {
    const timer = this.idleTimers.get(id);
    if (timer) clearTimeout(timer);
    this.idleTimers.delete(id);
  }
}

const noop = () => undefined;
