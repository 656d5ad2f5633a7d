import { describe, expect, it } from 'vitest';
import { listAudit } from '../../db/queries/audit';
import { testDatabaseConfigs } from '../../db/testing';
import * as Y from 'yjs';
import {
  connectProvider,
  createTestFramework,
  waitFor,
  waitForSync,
} from '../../server/collab/testing/test-support';
import {
  addLayer,
  getNarrativeFragment,
  initialiseFromTemplate,
  readFramework,
  setLayerField,
  setNarrative,
} from '../framework';
import { exportFrameworkAs, parseExportQuery } from './export';
import { setFrameworkArchivedAs } from './frameworks';
import {
  compareWithAuthorsAs,
  listVersionsAs,
  readVersionAs,
  restoreVersionAs,
  saveVersionAs,
} from './versions';
import { kindOf, useServiceFixture } from './testing/fixtures';

describe.each(testDatabaseConfigs())('named versions on $name', ({ config }) => {
  const fx = useServiceFixture(config, {
    servers: { server: {} },
    users: { owner: 'Owner', editor: 'Editor', viewer: 'Viewer', outsider: 'Outsider' },
  });

  async function setup() {
    const target = await createTestFramework(fx.db, fx.owner, [
      [fx.editor, 'editor'],
      [fx.viewer, 'viewer'],
    ]);
    const layers = await fx.server.collab.live.write(target.frameworkId, (doc) => {
      initialiseFromTemplate(doc, 'five-layer');
      return readFramework(doc).layers;
    });
    return { target, layers };
  }

  it('saves the live state under a name, lists it with author and time, shows it read-only', async () => {
    const { target, layers } = await setup();
    const v1 = await saveVersionAs(fx.db, fx.server.collab.live, fx.editor.id, target, {
      name: 'v0.3 sent to capitals',
      note: 'For the capitals round',
    });
    expect(v1).toMatchObject({ name: 'v0.3 sent to capitals', authorName: 'Editor' });

    // Edits after the version: a new layer and an agreed status, in the live document only.
    const newLayer = await fx.server.collab.live.write(target.frameworkId, (doc, origin) => {
      setLayerField(doc, layers[0]!.id, 'status', 'agreed', origin);
      return addLayer(doc, 'economic', { title: 'Snap-back sanctions' }, origin);
    });
    const v2 = await saveVersionAs(fx.db, fx.server.collab.live, fx.owner.id, target, {
      name: 'v0.4',
    });

    const list = await listVersionsAs(fx.db, fx.viewer.id, target);
    expect(list.map((v) => [v.name, v.note, v.authorName])).toEqual([
      ['v0.4', '', 'Owner'],
      ['v0.3 sent to capitals', 'For the capitals round', 'Editor'],
    ]);
    expect(list[0]!.createdAt).toBeInstanceOf(Date);
    expect('state' in list[0]!).toBe(false);

    const read = await readVersionAs(fx.db, fx.viewer.id, target, v1.id);
    expect(read.version.name).toBe('v0.3 sent to capitals');
    expect(read.view.layers.map((l) => l.id)).toEqual(layers.map((l) => l.id));
    expect(read.view.layers[0]!.status).toBe(layers[0]!.status);

    const { comparison } = (
      await compareWithAuthorsAs(fx.db, null, fx.viewer.id, target, v1.id, v2.id)
    ).result;
    expect(comparison.added).toEqual([{ id: newLayer, title: 'Snap-back sanctions' }]);
    expect(comparison.statusChanges).toEqual([
      { id: layers[0]!.id, title: layers[0]!.title, from: layers[0]!.status, to: 'agreed' },
    ]);
    expect(comparison.removed).toEqual([]);
    expect(comparison.changed).toEqual([]);

    // Export of the older version: its name on the file, none of the later edits.
    const md = await exportFrameworkAs(
      fx.db,
      null,
      fx.viewer.id,
      target,
      parseExportQuery(new URLSearchParams(`format=md&version=${v1.id}`)),
    );
    expect(md.fileName).toMatch(/-v0\.3-sent-to-capitals\.md$/);
    const text = new TextDecoder().decode(md.bytes);
    expect(text).toContain('- Version: v0.3 sent to capitals');
    expect(text).not.toContain('Snap-back sanctions');
    expect(text).toContain('0 of 7 layers agreed');

    const audit = await listAudit(fx.db, target.workspaceId);
    expect(audit.filter((a) => a.action === 'version.saved')).toHaveLength(2);
    const exported = audit.find((a) => a.action === 'framework.exported')!;
    expect(exported.details).toMatchObject({ format: 'md', version: 'v0.3 sent to capitals' });
  });

  it('lets only editors and owners save; outsiders and other frameworks get not found', async () => {
    const { target } = await setup();
    const body = { name: 'v1' };
    expect(await kindOf(saveVersionAs(fx.db, null, fx.viewer.id, target, body))).toBe('forbidden');
    expect(await kindOf(saveVersionAs(fx.db, null, fx.outsider.id, target, body))).toBe(
      'not_found',
    );
    expect(await kindOf(saveVersionAs(fx.db, null, fx.editor.id, target, { name: ' ' }))).toBe(
      'bad_request',
    );
    // Without a live server in the process the stored state is saved.
    const stored = await saveVersionAs(fx.db, null, fx.editor.id, target, body);
    expect(await kindOf(listVersionsAs(fx.db, fx.outsider.id, target))).toBe('not_found');
    expect(await kindOf(readVersionAs(fx.db, fx.outsider.id, target, stored.id))).toBe('not_found');
    const other = await setup();
    expect(await kindOf(readVersionAs(fx.db, fx.viewer.id, other.target, stored.id))).toBe(
      'not_found',
    );
    expect(await kindOf(readVersionAs(fx.db, fx.viewer.id, target, 'nope'))).toBe('not_found');
  });

  it('restores a version as a new change while someone edits: both end equal, their text kept', async () => {
    const { target, layers } = await setup();
    const v1 = await saveVersionAs(fx.db, fx.server.collab.live, fx.editor.id, target, {
      name: 'v1',
    });
    await fx.server.collab.live.write(target.frameworkId, (doc, origin) => {
      setNarrative(
        doc,
        layers[0]!.id,
        [{ type: 'paragraph', content: [{ type: 'text', text: 'To be undone.', marks: [] }] }],
        origin,
      );
    });
    const clientDoc = new Y.Doc();
    const provider = connectProvider(fx.server, target.frameworkId, fx.editor, clientDoc);
    try {
      await waitForSync(provider);
      await waitFor(() => readFramework(clientDoc).layers[0]!.narrative.text === 'To be undone.');
      expect(
        await kindOf(restoreVersionAs(fx.db, fx.server.collab.live, fx.viewer.id, target, v1.id)),
      ).toBe('forbidden');

      // The editor types in layer 3 while the owner restores v1, neither having seen the other's
      // change: the client is offline for that moment (a network race would make it timing-bound).
      provider.disconnect();
      const paragraph = getNarrativeFragment(clientDoc, layers[2]!.id)!.get(0) as Y.XmlElement;
      (paragraph.get(0) as Y.XmlText).insert(0, 'Concurrent words. ');
      const result = await restoreVersionAs(
        fx.db,
        fx.server.collab.live,
        fx.owner.id,
        target,
        v1.id,
      );
      expect(result).toEqual({ skippedLocked: [] });
      provider.connect();

      const expected = `Concurrent words. ${layers[2]!.narrative.text}`;
      await waitFor(async () => {
        const live = await fx.server.collab.live.read(target.frameworkId, (doc) =>
          readFramework(doc),
        );
        const mine = readFramework(clientDoc);
        expect(mine).toEqual(live);
        expect(live.layers[2]!.narrative.text).toBe(expected);
        expect(live.layers[0]!.narrative.blocks).toEqual(layers[0]!.narrative.blocks);
        return true;
      });
      const audit = await listAudit(fx.db, target.workspaceId);
      expect(audit.find((a) => a.action === 'version.restored')).toMatchObject({
        actorId: fx.owner.id,
        details: { name: 'v1' },
      });
    } finally {
      provider.destroy();
      clientDoc.destroy();
    }
  });
  it('neither saves nor restores a version of an archived framework (archived is read-only)', async () => {
    const { target, layers } = await setup();
    const v1 = await saveVersionAs(fx.db, fx.server.collab.live, fx.owner.id, target, {
      name: 'v1',
    });
    await fx.server.collab.live.write(target.frameworkId, (doc, origin) => {
      setLayerField(doc, layers[0]!.id, 'kind', 'economic', origin);
    });
    await setFrameworkArchivedAs(fx.db, fx.owner.id, { ...target, archived: true });

    for (const member of [fx.owner, fx.editor]) {
      expect(
        await kindOf(restoreVersionAs(fx.db, fx.server.collab.live, member.id, target, v1.id)),
      ).toBe('forbidden');
      expect(
        await kindOf(saveVersionAs(fx.db, fx.server.collab.live, member.id, target, { name: 'x' })),
      ).toBe('forbidden');
    }
    const kind = await fx.server.collab.live.read(
      target.frameworkId,
      (doc) => readFramework(doc).layers[0]!.kind,
    );
    expect(kind).toBe('economic');
    expect((await listVersionsAs(fx.db, fx.owner.id, target)).map((v) => v.name)).toEqual(['v1']);

    // Restored from the archive, the framework takes versions again.
    await setFrameworkArchivedAs(fx.db, fx.owner.id, { ...target, archived: false });
    expect(
      await kindOf(restoreVersionAs(fx.db, fx.server.collab.live, fx.owner.id, target, v1.id)),
    ).toBe('resolved');
  });
});
