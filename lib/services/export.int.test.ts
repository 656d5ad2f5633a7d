import JSZip from 'jszip';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { listAudit } from '../../db/queries/audit';
import { addComment, createThread } from '../../db/queries/comments';
import { appendDocumentUpdates } from '../../db/queries/documents';
import { testDatabaseConfigs } from '../../db/testing';
import {
  connectProvider,
  createTestFramework,
  waitFor,
  waitForSync,
} from '../../server/collab/testing/test-support';
import { AppError } from '../errors';
import { BRACKET_TEXT, filledFramework } from '../export/fixtures';
import { initialiseFromTemplate, readFramework, setLayerField, setLayerTitle } from '../framework';
import { exportFrameworkAs, parseExportQuery } from './export';
import { kindOf, useServiceFixture } from './testing/fixtures';

const xmlEscaped = (s: string) =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/'/g, '&apos;');
const text = (bytes: Uint8Array) => new TextDecoder().decode(bytes);

describe.each(testDatabaseConfigs())('export on $name', ({ config }) => {
  const fx = useServiceFixture(config, {
    users: { owner: 'Owner', viewer: 'Viewer', outsider: 'Outsider' },
  });

  /** A framework whose stored state is the filled template, then one more stored update. */
  async function setup() {
    const target = await createTestFramework(fx.db, fx.owner, [[fx.viewer, 'viewer']]);
    const doc = filledFramework();
    await appendDocumentUpdates(fx.db, [
      { frameworkId: target.frameworkId, userId: fx.owner.id, update: Y.encodeStateAsUpdate(doc) },
    ]);
    const layers = readFramework(doc).layers;
    const before = Y.encodeStateVector(doc);
    setLayerField(doc, layers[2]!.id, 'status', 'agreed');
    await appendDocumentUpdates(fx.db, [
      {
        frameworkId: target.frameworkId,
        userId: fx.owner.id,
        update: Y.encodeStateAsUpdate(doc, before),
      },
    ]);
    return { target, layers };
  }

  it('renders the stored state for a viewer and records who exported what, in which format', async () => {
    const { target, layers } = await setup();
    const docx = await exportFrameworkAs(
      fx.db,
      null,
      fx.viewer.id,
      target,
      parseExportQuery(new URLSearchParams('format=docx')),
    );
    expect(docx.fileName).toMatch(/-current\.docx$/);
    const xml = await (
      await JSZip.loadAsync(docx.bytes)
    )
      .file('word/document.xml')!
      .async('string');
    for (const layer of layers) expect(xml).toContain(xmlEscaped(layer.title));
    expect(xml).toContain(`[${BRACKET_TEXT}]`);

    // Agreed only: the two agreed layers (the second from the later stored update), no DRAFT.
    const md = text(
      (
        await exportFrameworkAs(
          fx.db,
          null,
          fx.viewer.id,
          target,
          parseExportQuery(new URLSearchParams('format=md&agreedOnly=1')),
        )
      ).bytes,
    );
    expect(md).toContain(`## 1. ${layers[0]!.title}`);
    expect(md).toContain(`## 2. ${layers[2]!.title}`);
    expect(md).not.toContain(layers[1]!.title);
    expect(md).not.toContain('DRAFT - NOT AGREED');

    const audit = (await listAudit(fx.db, target.workspaceId)).filter(
      (a) => a.action === 'framework.exported',
    );
    expect(audit).toHaveLength(2);
    expect(
      audit.map((a) => [a.actorId, a.targetId, a.details.format, a.details.agreedOnly]),
    ).toEqual([
      [fx.viewer.id, target.frameworkId, 'md', true],
      [fx.viewer.id, target.frameworkId, 'docx', false],
    ]);
  });

  it('appends comment threads with their state when asked', async () => {
    const { target, layers } = await setup();
    const thread = await createThread(fx.db, {
      frameworkId: target.frameworkId,
      layerId: layers[1]!.id,
      anchor: null,
      quote: 'within 72 hours',
      createdBy: fx.viewer.id,
    });
    await addComment(fx.db, {
      threadId: thread.id,
      authorId: fx.viewer.id,
      body: 'Seven days is too long',
      mentions: [],
    });
    const html = text(
      (
        await exportFrameworkAs(
          fx.db,
          null,
          fx.owner.id,
          target,
          parseExportQuery(new URLSearchParams('format=html&comments=1')),
        )
      ).bytes,
    );
    expect(html).toContain('Appendix: comments');
    expect(html).toContain(`${layers[1]!.title} (open)`);
    expect(html).toContain('<strong>Viewer</strong>');
    expect(html).toContain('Seven days is too long');
  });

  it('is not found for non-members whatever the id, and refuses a bad format', async () => {
    const { target } = await setup();
    const query = parseExportQuery(new URLSearchParams('format=pdf'));
    expect(await kindOf(exportFrameworkAs(fx.db, null, fx.outsider.id, target, query))).toBe(
      'not_found',
    );
    const randomId = { ...target, frameworkId: crypto.randomUUID() };
    expect(await kindOf(exportFrameworkAs(fx.db, null, fx.outsider.id, randomId, query))).toBe(
      'not_found',
    );
    expect(await kindOf(exportFrameworkAs(fx.db, null, fx.viewer.id, randomId, query))).toBe(
      'not_found',
    );
    const badGroup = { workspaceId: 'not-a-uuid', frameworkId: target.frameworkId };
    expect(await kindOf(exportFrameworkAs(fx.db, null, fx.viewer.id, badGroup, query))).toBe(
      'not_found',
    );
    const withVersion = parseExportQuery(
      new URLSearchParams(`format=md&version=${crypto.randomUUID()}`),
    );
    expect(await kindOf(exportFrameworkAs(fx.db, null, fx.viewer.id, target, withVersion))).toBe(
      'not_found',
    );
    expect(() => parseExportQuery(new URLSearchParams('format=exe'))).toThrow(AppError);
    const audit = (await listAudit(fx.db, target.workspaceId)).filter(
      (a) => a.action === 'framework.exported',
    );
    expect(audit).toHaveLength(0);
  });
});

describe.each(testDatabaseConfigs())('export of what was just typed on $name', ({ config }) => {
  const fx = useServiceFixture(config, {
    // The writer waits a minute for quiet: only the export's flush can store the edit in time.
    servers: { server: { persistDebounceMs: 60_000, persistMaxDelayMs: 60_000 } },
    users: { owner: 'Owner', editor: 'Editor' },
  });

  it('writes what the live document holds before reading the current state', async () => {
    const target = await createTestFramework(fx.db, fx.owner, [[fx.editor, 'editor']]);
    const layers = await fx.server.collab.live.write(target.frameworkId, (doc, origin) => {
      initialiseFromTemplate(doc, 'five-layer', origin);
      return readFramework(doc).layers;
    });
    const clientDoc = new Y.Doc();
    const provider = connectProvider(fx.server, target.frameworkId, fx.editor, clientDoc);
    try {
      await waitForSync(provider);
      setLayerTitle(clientDoc, layers[0]!.id, 'Typed a moment ago: Україна');
      await waitFor(async () => {
        const live = await fx.server.collab.live.read(target.frameworkId, readFramework);
        return live.layers[0]!.title === 'Typed a moment ago: Україна';
      });
      const query = parseExportQuery(new URLSearchParams('format=md'));

      // Read without the door, the stored state does not have it yet: the test can tell.
      const stale = text((await exportFrameworkAs(fx.db, null, fx.owner.id, target, query)).bytes);
      expect(stale).not.toContain('Typed a moment ago');

      const md = text(
        (await exportFrameworkAs(fx.db, fx.server.collab.live, fx.owner.id, target, query)).bytes,
      );
      expect(md).toContain('## 1. Typed a moment ago: Україна');
    } finally {
      provider.destroy();
      clientDoc.destroy();
    }
  });
});
