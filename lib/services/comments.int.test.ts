import { describe, expect, it } from 'vitest';
import { listAudit } from '../../db/queries/audit';
import { listReviewEvents } from '../../db/queries/review';
import { testDatabaseConfigs } from '../../db/testing';
import {
  connectProvider,
  createTestFramework,
  createTestUser,
  waitFor,
  waitForSync,
} from '../../server/collab/testing/test-support';
import { onReviewMessages } from '../collab/review-messages';
import type { CommentsNotice } from '../collab/protocol';
import { AppError } from '../errors';
import {
  MAX_QUOTE_LENGTH,
  addLayer,
  anchorOfQuote,
  initialiseFromTemplate,
  removeLayer,
  setNarrative,
  type NarrativeBlock,
} from '../framework';
import {
  MAX_COMMENT_LENGTH,
  createThreadAs,
  deleteCommentAs,
  editCommentAs,
  hideCommentAs,
  inboxOf,
  listThreadsAs,
  replyAs,
  setResolvedAs,
} from './comments';
import { useServiceFixture } from './testing/fixtures';

describe.each(testDatabaseConfigs())('comments on $name', ({ config }) => {
  const fx = useServiceFixture(config, {
    servers: { server: {} },
    users: { owner: 'Owner', editor: 'Editor', commenter: 'Commenter', viewer: 'Viewer' },
  });

  const paragraph = (text: string): NarrativeBlock => ({
    type: 'paragraph',
    content: [{ type: 'text', text, marks: [] }],
  });

  async function setup() {
    const { workspaceId, frameworkId } = await createTestFramework(fx.db, fx.owner, [
      [fx.editor, 'editor'],
      [fx.commenter, 'commenter'],
      [fx.viewer, 'viewer'],
    ]);
    const layerId = await fx.server.collab.live.write(frameworkId, (doc, origin) => {
      initialiseFromTemplate(doc, 'blank');
      const id = addLayer(doc, 'air', { title: 'Air' }, origin);
      setNarrative(
        doc,
        id,
        [paragraph('Guarantors respond within 24 hours.'), paragraph('Air policing follows.')],
        origin,
      );
      return id;
    });
    return { target: { workspaceId, frameworkId }, layerId };
  }

  /** The anchor the editor sends for a selection of `text` in the layer's narrative. */
  async function anchorOf(frameworkId: string, layerId: string, text: string) {
    const anchor = await fx.server.collab.live.read(frameworkId, (doc) =>
      anchorOfQuote(doc, layerId, text),
    );
    if (!anchor) throw new Error(`"${text}" is not in the narrative`);
    return anchor;
  }

  it('reaches every connection of the document live, in well under a second', async () => {
    const { target, layerId } = await setup();
    const provider = connectProvider(fx.server, target.frameworkId, fx.editor);
    const seen: Array<CommentsNotice & { at: number }> = [];
    onReviewMessages(provider, {
      onCommentsChanged: (notice) => seen.push({ ...notice, at: performance.now() }),
    });
    await waitForSync(provider);
    const anchor = await anchorOf(target.frameworkId, layerId, 'within 24 hours');
    const started = performance.now();
    const { threadId } = await createThreadAs(
      fx.db,
      fx.server.collab.live,
      fx.commenter.id,
      target,
      { layerId, body: 'Is 24 hours realistic?', anchor, quote: 'within 24 hours' },
    );
    await waitFor(() => seen.length > 0, 1_000);
    const latency = seen[0]!.at - started;
    expect(seen[0]!.layerId).toBe(layerId);
    expect(latency).toBeLessThan(1_000);
    // The notice carries the thread as readers fetch it: no round trip per reader.
    expect(JSON.parse(seen[0]!.thread!)).toEqual(
      (await listThreadsAs(fx.db, fx.editor.id, target))[0],
    );
    console.info(`comment delivery (create + notify) ${latency.toFixed(1)} ms`);
    const threads = await listThreadsAs(fx.db, fx.editor.id, target);
    expect(threads).toHaveLength(1);
    expect(threads[0]).toMatchObject({
      id: threadId,
      layerId,
      quote: 'within 24 hours',
      anchor,
      resolved: false,
      comments: [{ authorId: fx.commenter.id, body: 'Is 24 hours realistic?' }],
    });
    provider.destroy();
  });

  it('quotes what the document says at the anchor, never what the client claims', async () => {
    const { target, layerId } = await setup();
    const create = (input: Record<string, unknown>) =>
      createThreadAs(fx.db, fx.server.collab.live, fx.commenter.id, target, {
        layerId,
        body: 'On this passage',
        ...input,
      });
    const forged = 'The guarantors renounce every obligation.';
    // A real anchor with a forged quote: the thread quotes the document, not the forgery.
    await create({
      anchor: await anchorOf(target.frameworkId, layerId, '24 hours'),
      quote: forged,
    });
    // A quote without an anchor quotes nothing.
    await create({ quote: forged });
    // A selection across paragraphs reads as the editor quotes it, one space between blocks.
    const from = await anchorOf(target.frameworkId, layerId, 'hours.');
    const to = await anchorOf(target.frameworkId, layerId, 'Air policing');
    await create({ anchor: { start: from.start, end: to.end }, quote: forged });
    const threads = await listThreadsAs(fx.db, fx.owner.id, target);
    expect(threads.map((t) => t.quote).sort()).toEqual(
      ['24 hours', null, 'hours. Air policing'].sort(),
    );
    expect(JSON.stringify(threads)).not.toContain(forged);
    const events = await listReviewEvents(fx.db, target.frameworkId);
    expect(JSON.stringify(events)).not.toContain(forged);

    // Anchors that are not a passage of this layer's text are refused with a clear 400.
    const refused = async (anchor: { start: string; end: string }) => {
      const error: unknown = await create({ anchor, quote: forged }).then(
        () => expect.unreachable('a bogus anchor must be refused'),
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(AppError);
      expect(error).toMatchObject({ kind: 'bad_request', status: 400 });
      expect((error as AppError).message).toMatch(/not in the text of this layer/);
    };
    await refused({ start: 'AAE=', end: 'AAI=' });
    await refused({ start: to.end, end: from.start }); // reversed
    await refused({ start: from.start, end: from.start }); // empty
    const otherLayer = await fx.server.collab.live.write(target.frameworkId, (doc, origin) => {
      const id = addLayer(doc, 'maritime', { title: 'Sea' }, origin);
      setNarrative(doc, id, [paragraph('Naval patrols.')], origin);
      return id;
    });
    await refused(await anchorOf(target.frameworkId, otherLayer, 'Naval'));
    // A passage deleted before the comment arrives is no longer there to quote.
    const gone = await anchorOf(target.frameworkId, otherLayer, 'patrols');
    await fx.server.collab.live.write(target.frameworkId, (doc, origin) => {
      setNarrative(doc, layerId, [paragraph('Rewritten.')], origin);
      removeLayer(doc, otherLayer, origin);
    });
    await refused(gone);
    expect(await listThreadsAs(fx.db, fx.owner.id, target)).toHaveLength(3);

    // Long passages are cut to the bound.
    const long = `${'Long commitment text '.repeat(60)}end`;
    await fx.server.collab.live.write(target.frameworkId, (doc, origin) =>
      setNarrative(doc, layerId, [paragraph(long)], origin),
    );
    await create({ anchor: await anchorOf(target.frameworkId, layerId, long) });
    const quotes = (await listThreadsAs(fx.db, fx.owner.id, target)).map((t) => t.quote ?? '');
    const cut = quotes.find((q) => q.startsWith('Long commitment'))!;
    expect(cut.length).toBeLessThanOrEqual(MAX_QUOTE_LENGTH);
    expect(cut.length).toBeGreaterThan(MAX_QUOTE_LENGTH - 5);
    expect(cut.endsWith('…')).toBe(true);
  });

  it('lets commenters comment, viewers only read', async () => {
    const { target, layerId } = await setup();
    await expect(
      createThreadAs(fx.db, fx.server.collab.live, fx.viewer.id, target, { layerId, body: 'Hi' }),
    ).rejects.toMatchObject({ kind: 'forbidden' });
    await createThreadAs(fx.db, fx.server.collab.live, fx.commenter.id, target, {
      layerId,
      body: 'Hi',
    });
    expect(await listThreadsAs(fx.db, fx.viewer.id, target)).toHaveLength(1);
  });

  it("refuses editing or deleting someone else's comment; owners hide, and it is logged", async () => {
    const { target, layerId } = await setup();
    const { threadId } = await createThreadAs(
      fx.db,
      fx.server.collab.live,
      fx.commenter.id,
      target,
      {
        layerId,
        body: 'Mine',
      },
    );
    const [thread] = await listThreadsAs(fx.db, fx.commenter.id, target);
    const commentId = thread!.comments[0]!.id;
    const ref = { ...target, threadId, commentId };
    for (const user of [fx.editor, fx.owner]) {
      await expect(
        editCommentAs(fx.db, null, user.id, ref, { body: 'Not yours' }),
      ).rejects.toMatchObject({ kind: 'forbidden' });
      await expect(deleteCommentAs(fx.db, null, user.id, ref)).rejects.toMatchObject({
        kind: 'forbidden',
      });
    }
    await expect(hideCommentAs(fx.db, null, fx.editor.id, ref)).rejects.toMatchObject({
      kind: 'forbidden',
    });
    await editCommentAs(fx.db, null, fx.commenter.id, ref, { body: 'Mine, edited' });
    expect((await listThreadsAs(fx.db, fx.owner.id, target))[0]!.comments[0]).toMatchObject({
      body: 'Mine, edited',
      edited: true,
    });
    await hideCommentAs(fx.db, null, fx.owner.id, ref);
    expect((await listThreadsAs(fx.db, fx.editor.id, target))[0]!.comments[0]).toMatchObject({
      body: '',
      hidden: true,
    });
    const events = await listReviewEvents(fx.db, target.frameworkId);
    expect(events[0]).toMatchObject({ kind: 'comment.hidden', actorId: fx.owner.id });
    const audit = await listAudit(fx.db, target.workspaceId);
    expect(audit[0]).toMatchObject({ action: 'comment.hidden', targetId: commentId });
    await deleteCommentAs(fx.db, null, fx.commenter.id, ref).then(
      () => expect.unreachable('a hidden comment cannot be deleted by its author'),
      (error: unknown) => expect(error).toMatchObject({ kind: 'forbidden' }),
    );
  });

  it('replies, resolves and reopens, and records each in the activity', async () => {
    const { target, layerId } = await setup();
    const { threadId } = await createThreadAs(
      fx.db,
      fx.server.collab.live,
      fx.commenter.id,
      target,
      {
        layerId,
        body: 'Question',
      },
    );
    const ref = { ...target, threadId };
    await replyAs(fx.db, null, fx.editor.id, ref, { body: 'Answer' });
    await setResolvedAs(fx.db, null, fx.editor.id, ref, true);
    expect((await listThreadsAs(fx.db, fx.viewer.id, target))[0]).toMatchObject({
      resolved: true,
      comments: [{ body: 'Question' }, { body: 'Answer', authorId: fx.editor.id }],
    });
    await setResolvedAs(fx.db, null, fx.commenter.id, ref, false);
    const kinds = (await listReviewEvents(fx.db, target.frameworkId)).map((e) => e.kind);
    expect(kinds).toEqual([
      'comment.reopened',
      'comment.resolved',
      'comment.replied',
      'comment.created',
    ]);
    const byEditor = await listReviewEvents(fx.db, target.frameworkId, { actorId: fx.editor.id });
    expect(byEditor.map((e) => e.kind)).toEqual(['comment.resolved', 'comment.replied']);
  });

  it('finds nothing of another group: foreign framework, thread and layer are not found', async () => {
    const mine = await setup();
    const outsider = await createTestUser(fx.db, 'Outsider');
    const theirs = await createTestFramework(fx.db, outsider);
    // My group's id with their framework id: not found, whatever the role.
    await expect(
      createThreadAs(
        fx.db,
        fx.server.collab.live,
        fx.owner.id,
        {
          workspaceId: mine.target.workspaceId,
          frameworkId: theirs.frameworkId,
        },
        { layerId: mine.layerId, body: 'Hello' },
      ),
    ).rejects.toMatchObject({ kind: 'not_found' });
    // Their group: I am not a member.
    await expect(listThreadsAs(fx.db, fx.owner.id, theirs)).rejects.toMatchObject({
      kind: 'not_found',
    });
    // A thread of my framework addressed through another framework of my group.
    const { threadId } = await createThreadAs(fx.db, null, fx.owner.id, mine.target, {
      layerId: mine.layerId,
      body: 'x',
    });
    const other = await setup();
    await expect(
      replyAs(fx.db, null, fx.owner.id, { ...other.target, threadId }, { body: 'y' }),
    ).rejects.toMatchObject({ kind: 'not_found' });
    await expect(
      createThreadAs(fx.db, fx.server.collab.live, fx.owner.id, mine.target, {
        layerId: 'no-such-layer',
        body: 'x',
      }),
    ).rejects.toMatchObject({ kind: 'not_found' });
  });

  it('rejects oversized bodies and keeps script as inert text', async () => {
    const { target, layerId } = await setup();
    await expect(
      createThreadAs(fx.db, null, fx.commenter.id, target, {
        layerId,
        body: 'x'.repeat(MAX_COMMENT_LENGTH + 1),
      }),
    ).rejects.toMatchObject({ kind: 'bad_request' });
    await expect(
      createThreadAs(fx.db, null, fx.commenter.id, target, { layerId, body: '   ' }),
    ).rejects.toMatchObject({ kind: 'bad_request' });
    await expect(
      createThreadAs(fx.db, null, fx.commenter.id, target, {
        layerId,
        body: 'ok',
        anchor: { start: '"><script>', end: 'AA==' },
      }),
    ).rejects.toMatchObject({ kind: 'bad_request' });
    const script = '<script>alert(1)</script><img src=x onerror=alert(2)>';
    await createThreadAs(fx.db, null, fx.commenter.id, target, { layerId, body: script });
    // Stored and returned verbatim as text; the UI renders it as a text node (React escapes it).
    expect((await listThreadsAs(fx.db, fx.owner.id, target))[0]!.comments[0]!.body).toBe(script);
  });

  it('puts mentions and replies to me in my inbox', async () => {
    const { target, layerId } = await setup();
    const { threadId } = await createThreadAs(fx.db, null, fx.commenter.id, target, {
      layerId,
      body: '@Editor can you check the deadline?',
    });
    await replyAs(fx.db, null, fx.editor.id, { ...target, threadId }, { body: 'Checked: fine' });
    const editorInbox = await inboxOf(fx.db, fx.editor.id);
    expect(editorInbox.find((i) => i.threadId === threadId)).toMatchObject({
      reason: 'mention',
      body: '@Editor can you check the deadline?',
    });
    const commenterInbox = await inboxOf(fx.db, fx.commenter.id);
    expect(commenterInbox.find((i) => i.threadId === threadId)).toMatchObject({
      reason: 'reply',
      body: 'Checked: fine',
    });
    // My own comments are never in my inbox.
    expect(editorInbox.some((i) => i.body === 'Checked: fine')).toBe(false);
  });
});
