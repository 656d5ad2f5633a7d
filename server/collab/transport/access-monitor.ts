import type { Logger } from 'pino';
import type { Database } from '../../../db/client';
import {
  findFrameworkAccess,
  findFrameworksAccess,
  findLiveSessionIds,
  type FrameworkAccess,
} from '../../../db/queries/collab-access';
import type { AccessChange } from '../../../lib/collab/live-documents';
import { can } from '../../../lib/permissions';
import type { Connection } from './connection';
import type { DocumentRegistry } from '../document/registry';
import type { LiveDocument } from '../document/live-document';

/**
 * Keeps open connections in step with the database: at once on an access change (`changed`), and
 * every `intervalMs` for changes made by other processes (three queries per round however many
 * documents are loaded: sessions, frameworks, memberships). Removed users are closed, downgraded
 * ones become read-only.
 */
export class AccessMonitor {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;

  constructor(
    private readonly db: Database,
    private readonly registry: DocumentRegistry,
    private readonly intervalMs: number,
    private readonly log: Logger,
  ) {}

  start(): void {
    this.timer = setInterval(() => void this.round(), this.intervalMs);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
  }

  /** Re-checks every loaded document now; resolves when done. */
  round(): Promise<void> {
    // Rounds never overlap: a slow database must not pile up queries.
    this.running ??= this.checkAll().finally(() => {
      this.running = null;
    });
    return this.running;
  }

  /** Re-checks at once the loaded documents an access change affects. */
  async changed(change: AccessChange): Promise<void> {
    if (change.kind === 'sessions') return this.checkSessionsOf(change.userId);
    const documents = [...this.registry.documents.values()].filter((document) =>
      change.kind === 'framework'
        ? document.id === change.frameworkId
        : [...document.connections].some((c) => c.userId === change.userId),
    );
    await Promise.all(documents.map((document) => this.checkDocument(document)));
  }

  /** Closes at once the user's connections whose session ended. */
  private async checkSessionsOf(userId: string): Promise<void> {
    const connections = [...this.registry.documents.values()].flatMap((document) =>
      [...document.connections].filter((c) => c.userId === userId && !c.closed),
    );
    if (connections.length === 0) return;
    let live: Set<string>;
    try {
      live = await findLiveSessionIds(this.db, [...new Set(connections.map((c) => c.sessionId))]);
    } catch (error) {
      this.log.warn({ err: error, userId }, 'collab session re-check failed');
      return;
    }
    for (const connection of connections) {
      if (!connection.closed && !live.has(connection.sessionId)) connection.close('unauthorized');
    }
  }

  private async checkAll(): Promise<void> {
    const documents = [...this.registry.documents.values()].filter((d) => d.connections.size > 0);
    if (documents.length === 0) return;
    try {
      // Judge only the connections the query asked about: one that opens while it runs has a
      // session the answer does not mention and must not be taken for a signed-out one.
      const asked = documents.flatMap((document) => [...document.connections]);
      const live = await findLiveSessionIds(this.db, [
        ...new Set(asked.map((connection) => connection.sessionId)),
      ]);
      for (const connection of asked) {
        if (!connection.closed && !live.has(connection.sessionId)) connection.close('unauthorized');
      }
      // Only the connections open before the query are judged by its answer: one that opened
      // meanwhile may belong to a user the query did not ask about.
      const checked: Array<{ document: LiveDocument; connections: Connection[] }> = [];
      const usersByDocument = new Map<string, string[]>();
      for (const document of documents) {
        const connections = [...document.connections].filter((c) => !c.closed);
        if (connections.length === 0) continue;
        checked.push({ document, connections });
        usersByDocument.set(document.id, [...new Set(connections.map((c) => c.userId))]);
      }
      if (checked.length === 0) return;
      const access = await findFrameworksAccess(this.db, usersByDocument);
      for (const { document, connections } of checked) {
        this.apply(document, connections, access.get(document.id));
      }
    } catch (error) {
      this.log.warn({ err: error }, 'collab access re-check failed');
    }
  }

  private async checkDocument(document: LiveDocument): Promise<void> {
    const connections = [...document.connections].filter((c) => !c.closed);
    if (connections.length === 0) return;
    const userIds = [...new Set(connections.map((c) => c.userId))];
    let access;
    try {
      access = await findFrameworkAccess(this.db, document.id, userIds);
    } catch (error) {
      this.log.warn({ err: error, documentId: document.id }, 'collab access re-check failed');
      return;
    }
    this.apply(document, connections, access);
  }

  /** Closes or downgrades a document's connections to what the database says now. */
  private apply(
    document: LiveDocument,
    connections: Connection[],
    access: FrameworkAccess | undefined,
  ): void {
    for (const connection of connections) {
      if (connection.closed) continue;
      const role = access?.roles.get(connection.userId);
      if (!access) {
        connection.close('notFound');
      } else if (!role || !can(role, 'framework.read')) {
        connection.close('forbidden');
      } else if (access.secondFactorMissing.has(connection.userId)) {
        connection.close('secondFactorRequired');
      } else if (role !== connection.role || access.archived !== connection.archived) {
        const wasReadOnly = connection.readOnly;
        connection.role = role;
        connection.archived = access.archived;
        connection.log.info(
          { role, readOnly: connection.readOnly, wasReadOnly },
          'collab access changed',
        );
        document.announceAccess(connection);
      }
    }
  }
}
