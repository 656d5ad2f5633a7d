import type { Database } from '../../../db/client';
import {
  addLayer,
  addParty,
  initialiseFromTemplate,
  readLayerView,
  setLayerField,
  setNarrative,
} from '../../../lib/framework';
import { loadDocumentState } from '../hooks/persistence/persistence';
import {
  createTestFramework,
  createTestUser,
  startTestServer,
  waitFor,
  type TestServer,
  type TestUser,
} from './test-support';

/** The four roles of a review test. */
export type ReviewUsers = Record<'owner' | 'editor' | 'commenter' | 'viewer', TestUser>;

/** A sync server that writes and unloads quickly, so a test reads what was stored. */
export function startReviewServer(db: Database): Promise<TestServer> {
  return startTestServer(db, { persistDebounceMs: 20, persistMaxDelayMs: 100, unloadIdleMs: 100 });
}

export async function createReviewUsers(db: Database): Promise<ReviewUsers> {
  return {
    owner: await createTestUser(db, 'Owner'),
    editor: await createTestUser(db, 'Editor'),
    commenter: await createTestUser(db, 'Commenter'),
    viewer: await createTestUser(db, 'Viewer'),
  };
}

/** A framework with one layer in review ("Original" narrative, Poland a party) and the roles. */
export async function frameworkInReview(db: Database, server: TestServer, users: ReviewUsers) {
  const { workspaceId, frameworkId } = await createTestFramework(db, users.owner, [
    [users.editor, 'editor'],
    [users.commenter, 'commenter'],
    [users.viewer, 'viewer'],
  ]);
  const layerId = await server.collab.live.write(frameworkId, (doc, origin) => {
    initialiseFromTemplate(doc, 'blank');
    addParty(doc, 'Poland', origin);
    const id = addLayer(doc, 'air', { title: 'Air' }, origin);
    setNarrative(
      doc,
      id,
      [{ type: 'paragraph', content: [{ type: 'text', text: 'Original', marks: [] }] }],
      origin,
    );
    setLayerField(doc, id, 'status', 'in_review', origin);
    return id;
  });
  return { workspaceId, frameworkId, layerId, target: { workspaceId, frameworkId } };
}

/** A layer as stored in the database, once the document has been flushed and unloaded. */
export async function storedLayer(
  db: Database,
  server: TestServer,
  frameworkId: string,
  layerId: string,
) {
  await waitFor(() => !server.collab.registry.documents.has(frameworkId), 5_000);
  const { doc } = await loadDocumentState(db, frameworkId);
  return readLayerView(doc, layerId);
}
