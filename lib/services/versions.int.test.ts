import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DatabaseHandle } from '../../db/client';
import { listAudit } from '../../db/queries/audit';
import { openTestDatabase, testDatabaseConfigs } from '../../db/testing';
import * as Y from 'yjs';
import {
  connectProvider,
  createTestFramework,
  createTestUser,
  startTestServer,
  stopTestServer,
  waitFor,
  waitForSync,
  type TestServer,
  type TestUser,
} from '../../server/collab/testing/test-support';
import { AppError } from '../errors';
import {
  addLayer,
  getNarrativeFragment,
  initialiseFromTemplate,
  readFramework,
  setLayerField,
  setNarrative,
} from '../framework';
import { exportFrameworkAs, parseExportQuery } from './export';
import {
  compareWithAuthorsAs,
  listVersionsAs,
  loadVersionState,
  readVersionAs,
  restoreVersionAs,
  saveVersionAs,
} from './versions';

async function kindOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
    return 'resolved';
  } catch (error) {
    return error instanceof AppError ? error.kind : 'other';
  }
}

describe.each(testDatabaseConfigs())('named versions on $name', ({ config }) => {
  let handle: DatabaseHandle;
  let server: TestServer;
  let owner: TestUser;
  let editor: TestUser;
  let viewer: TestUser;
  let outsider: TestUser;

  beforeAll(async () => {
    handle = await openTestDatabase(config);
    server = await startTestServer(handle.db);
    owner = await createTestUser(handle.db, 'Owner');
    editor = await createTestUser(handle.db, 'Editor');
    viewer = await createTestUser(handle.db, 'Viewer');
    outsider = await createTestUser(handle.db, 'Outsider');
  });
  afterAll(async () => {
    await stopTestServer(server);
    await handle.close();
  });

  async function setup() {
    const target = await createTestFramework(handle.db, owner, [
      [editor, 'editor'],
      [viewer, 'viewer'],
    ]);
    const layers = await server.collab.live.write(target.frameworkId, (doc) => {
      initialiseFromTemplate(doc, 'five-layer');
      return readFramework(doc).layers;
    });
    return { target, layers };
  }

  it('saves the live state under a name, lists it with author and time, shows it read-only', async () => {
    const { target, layers } = await setup();
    const v1 = await saveVersionAs(handle.db, server.collab.live, editor.id, target, {
      name: 'v0.3 sent to capitals',
      note: 'For the capitals round',
    });
    expect(v1).toMatchObject({ name: 'v0.3 sent to capitals', authorName: 'Editor' });

    // Edits after the version: a new layer and an agreed status, in the live document only.
    const newLayer = await server.collab.live.write(target.frameworkId, (doc, origin) => {
      setLayerField(doc, layers[0]!.id, 'status', 'agreed', origin);
      return addLayer(doc, 'economic', { title: 'Snap-back sanctions' }, origin);
    });
    const v2 = await saveVersionAs(handle.db, server.collab.live, owner.id, target, {
      name: 'v0.4',
    });

    const list = await listVersionsAs(handle.db, viewer.id, target);
    expect(list.map((v) => [v.name, v.note, v.authorName])).toEqual([
      ['v0.4', '', 'Owner'],
      ['v0.3 sent to capitals', 'For the capitals round', 'Editor'],
    ]);
    expect(list[0]!.createdAt).toBeInstanceOf(Date);
    expect('state' in list[0]!).toBe(false);

    const read = await readVersionAs(handle.db, viewer.id, target, v1.id);
    expect(read.version.name).toBe('v0.3 sent to capitals');
    expect(read.view.layers.map((l) => l.id)).toEqual(layers.map((l) => l.id));
    expect(read.view.layers[0]!.status).toBe(layers[0]!.status);

    const { comparison } = (
      await compareWithAuthorsAs(handle.db, null, viewer.id, target, v1.id, v2.id)
    ).result;
    expect(comparison.added).toEqual([{ id: newLayer, title: 'Snap-back sanctions' }]);
    expect(comparison.statusChanges).toEqual([
      { id: layers[0]!.id, title: layers[0]!.title, from: layers[0]!.status, to: 'agreed' },
    ]);
    expect(comparison.removed).toEqual([]);
    expect(comparison.changed).toEqual([]);

    // Export of the older version: its name on the file, none of the later edits.
    const md = await exportFrameworkAs(
      handle.db,
      viewer.id,
      target,
      parseExportQuery(new URLSearchParams(`format=md&version=${v1.id}`)),
      (id, versionId) => loadVersionState(handle.db, id, versionId),
    );
    expect(md.fileName).toMatch(/-v0\.3-sent-to-capitals\.md$/);
    const text = new TextDecoder().decode(md.bytes);
    expect(text).toContain('- Version: v0.3 sent to capitals');
    expect(text).not.toContain('Snap-back sanctions');
    expect(text).toContain('0 of 7 layers agreed');

    const audit = await listAudit(handle.db, target.workspaceId);
    expect(audit.filter((a) => a.action === 'version.saved')).toHaveLength(2);
    const exported = audit.find((a) => a.action === 'framework.exported')!;
    expect(exported.details).toMatchObject({ format: 'md', version: 'v0.3 sent to capitals' });
  });

  it('lets only editors and owners save; outsiders and other frameworks get not found', async () => {
    const { target } = await setup();
    const body = { name: 'v1' };
    expect(await kindOf(saveVersionAs(handle.db, null, viewer.id, target, body))).toBe('forbidden');
    expect(await kindOf(saveVersionAs(handle.db, null, outsider.id, target, body))).toBe(
      'not_found',
    );
    expect(await kindOf(saveVersionAs(handle.db, null, editor.id, target, { name: ' ' }))).toBe(
      'bad_request',
    );
    // Without a live server in the process the stored state is saved.
    const stored = await saveVersionAs(handle.db, null, editor.id, target, body);
    expect(await kindOf(listVersionsAs(handle.db, outsider.id, target))).toBe('not_found');
    expect(await kindOf(readVersionAs(handle.db, outsider.id, target, stored.id))).toBe(
      'not_found',
    );
    const other = await setup();
    expect(await kindOf(readVersionAs(handle.db, viewer.id, other.target, stored.id))).toBe(
      'not_found',
    );
    expect(await kindOf(readVersionAs(handle.db, viewer.id, target, 'nope'))).toBe('not_found');
  });

  it('restores a version as a new change while someone edits: both end equal, their text kept', async () => {
    const { target, layers } = await setup();
    const v1 = await saveVersionAs(handle.db, server.collab.live, editor.id, target, {
      name: 'v1',
    });
    await server.collab.live.write(target.frameworkId, (doc, origin) => {
      setNarrative(
        doc,
        layers[0]!.id,
        [{ type: 'paragraph', content: [{ type: 'text', text: 'To be undone.', marks: [] }] }],
        origin,
      );
    });
    const clientDoc = new Y.Doc();
    const provider = connectProvider(server, target.frameworkId, editor, clientDoc);
    try {
      await waitForSync(provider);
      await waitFor(() => readFramework(clientDoc).layers[0]!.narrative.text === 'To be undone.');
      expect(
        await kindOf(restoreVersionAs(handle.db, server.collab.live, viewer.id, target, v1.id)),
      ).toBe('forbidden');

      // The editor types in layer 3 while the owner restores v1, neither having seen the other's
      // change: the client is offline for that moment (a network race would make it timing-bound).
      provider.disconnect();
      const paragraph = getNarrativeFragment(clientDoc, layers[2]!.id)!.get(0) as Y.XmlElement;
      (paragraph.get(0) as Y.XmlText).insert(0, 'Concurrent words. ');
      const result = await restoreVersionAs(handle.db, server.collab.live, owner.id, target, v1.id);
      expect(result).toEqual({ skippedLocked: [] });
      provider.connect();

      const expected = `Concurrent words. ${layers[2]!.narrative.text}`;
      await waitFor(async () => {
        const live = await server.collab.live.read(target.frameworkId, (doc) => readFramework(doc));
        const mine = readFramework(clientDoc);
        expect(mine).toEqual(live);
        expect(live.layers[2]!.narrative.text).toBe(expected);
        expect(live.layers[0]!.narrative.blocks).toEqual(layers[0]!.narrative.blocks);
        return true;
      });
      const audit = await listAudit(handle.db, target.workspaceId);
      expect(audit.find((a) => a.action === 'version.restored')).toMatchObject({
        actorId: owner.id,
        details: { name: 'v1' },
      });
    } finally {
      provider.destroy();
      clientDoc.destroy();
    }
  });
});
