import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import type { DatabaseHandle } from '../../db/client';
import { listAudit } from '../../db/queries/audit';
import { listReviewEvents } from '../../db/queries/review';
import { addMember, setMemberDelegation } from '../../db/queries/workspaces';
import { documentAttributions, documentUpdates } from '../../db/schema';
import { openTestDatabase, testDatabaseConfigs } from '../../db/testing';
import { onReviewMessages } from '../collab/review-messages';
import type { CommentsNotice } from '../collab/protocol';
import {
  addCommitment,
  addParty,
  addTrigger,
  anchorOfQuote,
  getNarrativeFragment,
  readLayerReviewState,
  readLayerView,
  setLayerField,
  setNarrative,
  updateCommitment,
  updateTrigger,
} from '../framework';
import { MAX_PROPOSED_TEXT_LENGTH, MAX_TRIGGER_TEXT_LENGTH } from '../amendments/wire';
import {
  libreOfficePdf,
  pandocFind,
  pandocInlineText,
  pandocJson,
  pandocPlain,
  pdfText,
} from '../export/testing/readers';
import {
  actOnAmendmentAs,
  compilationAs,
  listAmendmentsAs,
  tableAmendmentAs,
  tableCompromiseAs,
} from './amendments';
import { startSilenceAs } from './review';
import { compareWithAuthorsAs, listVersionsAs, saveVersionAs } from './versions';
import {
  createReviewUsers,
  frameworkInReview,
  startReviewServer,
} from '../../server/collab/testing/review-fixture';
import {
  connectProvider,
  createTestUser,
  stopTestServer,
  waitFor,
  waitForSync,
  type TestServer,
  type TestUser,
} from '../../server/collab/testing/test-support';
import * as Y from 'yjs';

const NARRATIVE = 'Guarantors respond within 7 days of a violation.';

describe.each(testDatabaseConfigs())('amendments on $name', ({ config }) => {
  let handle: DatabaseHandle;
  let server: TestServer;
  let owner: TestUser;
  let editor: TestUser;
  let commenter: TestUser;
  let viewer: TestUser;

  beforeAll(async () => {
    handle = await openTestDatabase(config);
    server = await startReviewServer(handle.db);
    ({ owner, editor, commenter, viewer } = await createReviewUsers(handle.db));
  });
  afterAll(async () => {
    await stopTestServer(server);
    await handle.close();
  });

  const live = () => server.collab.live;
  /** An accepted amendment of France's: in the activity, the audit log and the document's log. */
  const expectAcceptedFromFrance = async (
    tabled: { id: string; number: number },
    at: { frameworkId: string; layerId: string; workspaceId: string },
  ) => {
    const events = await listReviewEvents(handle.db, at.frameworkId, { layerId: at.layerId });
    expect(events[0]).toMatchObject({
      kind: 'amendment.accepted',
      details: { title: `Amendment ${tabled.number} (France)` },
    });
    const audit = await listAudit(handle.db, at.workspaceId);
    expect(audit.some((a) => a.action === 'amendment.accepted' && a.targetId === tabled.id)).toBe(
      true,
    );
    await live().commands.flush(at.frameworkId);
    expect(await authorsInLog(at.frameworkId)).toContain(editor.id);
  };
  /** Everyone the document's log (updates and compacted attributions) names as an author. */
  const authorsInLog = async (frameworkId: string) =>
    [
      ...(await handle.db
        .select({ userId: documentUpdates.userId })
        .from(documentUpdates)
        .where(eq(documentUpdates.frameworkId, frameworkId))),
      ...(await handle.db
        .select({ userId: documentAttributions.userId })
        .from(documentAttributions)
        .where(eq(documentAttributions.frameworkId, frameworkId))),
    ].map((r) => r.userId);

  /**
   * A layer in review whose narrative reads NARRATIVE, with a commitment of Poland's; the
   * editor speaks for France, the commenter and the viewer for Poland, the owner chairs.
   */
  async function setup() {
    const found = await frameworkInReview(handle.db, server, { owner, editor, commenter, viewer });
    const commitmentId = await live().write(found.frameworkId, (doc, origin) => {
      addParty(doc, 'France', origin);
      setNarrative(
        doc,
        found.layerId,
        [{ type: 'paragraph', content: [{ type: 'text', text: NARRATIVE, marks: [] }] }],
        origin,
      );
      return addCommitment(doc, found.layerId, { party: 'poland', quantity: 3000 }, origin)!;
    });
    const delegate = (userId: string, delegation: string) =>
      setMemberDelegation(handle.db, { workspaceId: found.workspaceId, userId, delegation });
    await delegate(editor.id, 'France');
    await delegate(commenter.id, 'Poland');
    await delegate(viewer.id, 'Poland');
    const anchor = async (quote: string) => {
      const found2 = await live().read(found.frameworkId, (doc) =>
        anchorOfQuote(doc, found.layerId, quote),
      );
      if (!found2) throw new Error(`"${quote}" is not in the narrative`);
      return found2;
    };
    const narrative = () =>
      live().read(found.frameworkId, (doc) =>
        getNarrativeFragment(doc, found.layerId)!.toArray()[0]!.toString(),
      );
    const layer = () => live().read(found.frameworkId, (doc) => readLayerView(doc, found.layerId)!);
    const table = async (user: TestUser, quote: string, proposedText: string, extra = {}) =>
      tableAmendmentAs(handle.db, live(), user.id, found.target, {
        layerId: found.layerId,
        target: { kind: 'passage', anchor: await anchor(quote) },
        proposedText,
        justification: 'Seven days is too slow.',
        ...extra,
      });
    const act = (user: TestUser, amendmentId: string, body: Record<string, unknown>) =>
      actOnAmendmentAs(handle.db, live(), user.id, { ...found.target, amendmentId }, body);
    const statusOf = async (amendmentId: string) =>
      (await listAmendmentsAs(handle.db, live(), owner.id, found.target)).find(
        (a) => a.id === amendmentId,
      )!.status;
    /** The chair's accept is refused with `message`; the document and the amendment are as they were. */
    const expectAcceptRefused = async (amendmentId: string, message: string) => {
      const stateVector = () => live().read(found.frameworkId, (doc) => Y.encodeStateVector(doc));
      const before = await stateVector();
      await expect(
        act(owner, amendmentId, { action: 'accept', overCurrent: true }),
      ).rejects.toMatchObject({ kind: 'conflict', message: expect.stringContaining(message) });
      expect(await stateVector()).toEqual(before);
      expect(await statusOf(amendmentId)).toBe('tabled');
    };
    return {
      ...found,
      commitmentId,
      anchor,
      narrative,
      layer,
      table,
      act,
      expectAcceptRefused,
    };
  }

  it('lets a delegation table, another co-sponsor, and the chair accept into the live text, attributed', async () => {
    const { frameworkId, layerId, target, narrative, table, act } = await setup();
    const provider = connectProvider(server, frameworkId, editor);
    const notices: CommentsNotice[] = [];
    onReviewMessages(provider, { onCommentsChanged: (n) => notices.push(n) });
    await waitForSync(provider);

    const tabled = await table(commenter, 'within 7 days', 'within 72 hours');
    expect(tabled).toMatchObject({
      number: 1,
      party: 'poland',
      partyName: 'Poland',
      tabledBy: commenter.id,
      baseText: 'within 7 days',
      proposedText: 'within 72 hours',
      status: 'tabled',
    });
    // Tabling changes nothing in the common text.
    expect(await narrative()).toContain(NARRATIVE);
    await waitFor(() => notices.some((n) => n.topic === 'amendments'), 2_000);

    await act(editor, tabled.id, { action: 'cosponsor' });
    await expect(act(editor, tabled.id, { action: 'cosponsor' })).rejects.toMatchObject({
      kind: 'conflict',
    });
    // Poland's delegate cannot co-sponsor for France, nor its own amendment.
    await expect(
      act(commenter, tabled.id, { action: 'cosponsor', party: 'france' }),
    ).rejects.toMatchObject({ kind: 'forbidden' });
    await expect(act(commenter, tabled.id, { action: 'cosponsor' })).rejects.toMatchObject({
      kind: 'conflict',
    });
    // Only the chair decides; a viewer does nothing at all.
    await expect(act(editor, tabled.id, { action: 'accept' })).rejects.toMatchObject({
      kind: 'forbidden',
    });
    await expect(act(viewer, tabled.id, { action: 'accept' })).rejects.toMatchObject({
      kind: 'forbidden',
    });
    await expect(act(viewer, tabled.id, { action: 'withdraw' })).rejects.toMatchObject({
      kind: 'forbidden',
    });
    await expect(table(viewer, 'respond', 'shall respond')).rejects.toMatchObject({
      kind: 'forbidden',
    });
    await expect(
      table(commenter, 'respond', 'shall respond', { party: 'france' }),
    ).rejects.toMatchObject({
      kind: 'forbidden',
    });

    const accepted = await act(owner, tabled.id, { action: 'accept' });
    expect(accepted).toMatchObject({ status: 'accepted', decidedBy: owner.id });
    // The client on the socket sees the applied change live.
    await waitFor(() => {
      const fragment = provider.doc.getMap('framework');
      return JSON.stringify(fragment.toJSON()).includes('within 72 hours');
    }, 2_000);
    expect(await narrative()).toContain('Guarantors respond within 72 hours of a violation.');

    // Decided once: accepting, rejecting or withdrawing again is refused.
    for (const body of [
      { action: 'accept' },
      { action: 'reject', reason: 'Too late' },
      { action: 'withdraw' },
    ]) {
      await expect(act(owner, tabled.id, body)).rejects.toMatchObject({ kind: 'conflict' });
    }

    const events = await listReviewEvents(handle.db, frameworkId, { layerId });
    expect(events.map((e) => e.kind)).toEqual([
      'amendment.accepted',
      'amendment.cosponsor',
      'amendment.tabled',
    ]);
    expect(events[0]!.details.title).toBe('Amendment 1 (Poland, France)');
    const audit = await listAudit(handle.db, target.workspaceId);
    expect(audit.filter((a) => a.targetType === 'amendment').map((a) => a.action)).toContain(
      'amendment.accepted',
    );
    // The change is the tabling delegate's in the document's log, not an anonymous server edit.
    await live().commands.flush(frameworkId);
    const authors = await authorsInLog(frameworkId);
    expect(authors).toContain(commenter.id);
    provider.destroy();
  });

  it('amends a structured field, and checks the proposed value', async () => {
    const { commitmentId, layerId, target, layer, act } = await setup();
    const tableField = (proposedText: string) =>
      tableAmendmentAs(handle.db, live(), commenter.id, target, {
        layerId,
        target: { kind: 'field', item: 'commitment', id: commitmentId, field: 'quantity' },
        proposedText,
      });
    await expect(tableField('many')).rejects.toMatchObject({ kind: 'bad_request' });
    await expect(tableField('3000')).rejects.toMatchObject({ kind: 'bad_request' });
    await expect(
      tableAmendmentAs(handle.db, live(), commenter.id, target, {
        layerId,
        target: { kind: 'field', item: 'commitment', id: 'no-such-row', field: 'quantity' },
        proposedText: '1',
      }),
    ).rejects.toMatchObject({ kind: 'bad_request' });
    const tabled = await tableField('5000');
    expect(tabled.baseText).toBe('3000');
    await act(owner, tabled.id, { action: 'accept' });
    expect((await layer()).commitments[0]!.quantity).toBe(5000);
  });

  it('proposes a new commitment row; accepting adds it through the door, with text made on the server', async () => {
    const { layerId, target, layer, act } = await setup();
    const row = {
      type: 'troops',
      party: 'france',
      quantity: 2000,
      unit: 'personnel',
      conditions: 'if the ceasefire holds',
      period: 'Two-year commitment',
    };
    const tableRow = (r: Record<string, unknown>, proposedText = 'a client claim') =>
      tableAmendmentAs(handle.db, live(), editor.id, target, {
        layerId,
        target: { kind: 'row', item: 'commitment', row: r },
        proposedText,
      });
    // A party that is not in the framework, a negative number, an unknown type: refused.
    await expect(tableRow({ ...row, party: 'atlantis' })).rejects.toMatchObject({
      kind: 'bad_request',
    });
    await expect(tableRow({ ...row, quantity: -1 })).rejects.toMatchObject({
      kind: 'bad_request',
    });
    await expect(tableRow({ ...row, type: 'spaceships' })).rejects.toMatchObject({
      kind: 'bad_request',
    });
    // A viewer tables nothing.
    await expect(
      tableAmendmentAs(handle.db, live(), viewer.id, target, {
        layerId,
        target: { kind: 'row', item: 'commitment', row },
        proposedText: '',
      }),
    ).rejects.toMatchObject({ kind: 'forbidden' });

    const tabled = await tableRow(row);
    expect(tabled.baseText).toBe('');
    expect(tabled.proposedText).toBe(
      'France: 2000 personnel (Troops), Two-year commitment; if the ceasefire holds',
    );
    // Tabling changed nothing in the document.
    expect((await layer()).commitments).toHaveLength(1);
    await act(owner, tabled.id, { action: 'accept' });
    const rows = (await layer()).commitments;
    expect(rows).toHaveLength(2);
    expect(rows[1]).toMatchObject({ ...row, party: 'france' });
  });

  it('proposes removing a commitment row; accepting deletes it, attributed; a changed row shows, a gone one is refused', async () => {
    const { frameworkId, commitmentId, layerId, target, layer, act, expectAcceptRefused } =
      await setup();
    const remove = (user: TestUser, id: string, proposedText = 'a client claim') =>
      tableAmendmentAs(handle.db, live(), user.id, target, {
        layerId,
        target: { kind: 'remove', item: 'commitment', id },
        proposedText,
      });
    // An unknown row, an id out of bounds, a viewer: refused, nothing tabled.
    await expect(remove(editor, 'no-such-row')).rejects.toMatchObject({
      kind: 'bad_request',
      message: expect.stringContaining('not in this layer'),
    });
    await expect(remove(editor, 'x'.repeat(101))).rejects.toMatchObject({ kind: 'bad_request' });
    await expect(remove(viewer, commitmentId)).rejects.toMatchObject({ kind: 'forbidden' });
    expect(await listAmendmentsAs(handle.db, live(), owner.id, target)).toHaveLength(0);

    const tabled = await remove(editor, commitmentId);
    // The base is the row as the server reads it; the proposal is nothing, whatever the client said.
    expect(tabled).toMatchObject({ party: 'france', baseText: 'Poland: 3000 (Troops)' });
    expect(tabled.proposedText).toBe('');
    expect((await layer()).commitments.map((c) => c.id)).toEqual([commitmentId]);
    // A removal is accepted or rejected as it is, never reworded by a compromise.
    await expect(
      tableCompromiseAs(handle.db, live(), owner.id, target, {
        sources: [tabled.number],
        proposedText: 'Poland: 1000 (Troops)',
      }),
    ).rejects.toMatchObject({ kind: 'bad_request' });

    await act(owner, tabled.id, { action: 'accept' });
    expect((await layer()).commitments).toHaveLength(0);
    // Recorded in the activity and the audit log; the deletion is France's in the document's log.
    await expectAcceptedFromFrance(tabled, {
      frameworkId,
      layerId,
      workspaceId: target.workspaceId,
    });

    // Two delegations propose removing the same row; someone edits the row meanwhile.
    const rowId = await live().write(frameworkId, (doc, origin) =>
      addCommitment(doc, layerId, { party: 'france', quantity: 12, unit: 'jets' }, origin)!,
    );
    const france = await remove(editor, rowId);
    const poland = await remove(commenter, rowId);
    await live().write(frameworkId, (doc, origin) =>
      updateCommitment(doc, layerId, rowId, { quantity: 16 }, origin),
    );
    const listed = await listAmendmentsAs(handle.db, live(), owner.id, target);
    expect(listed.find((a) => a.id === france.id)).toMatchObject({
      baseText: 'France: 12 jets (Troops)',
      currentText: 'France: 16 jets (Troops)',
    });
    await expect(act(owner, france.id, { action: 'accept' })).rejects.toMatchObject({
      kind: 'conflict',
      message: expect.stringContaining('changed since'),
    });
    expect((await layer()).commitments.map((c) => c.id)).toEqual([rowId]);
    // The chair compared and deletes the row as it reads now, explicitly.
    await act(owner, france.id, { action: 'accept', overCurrent: true });
    expect((await layer()).commitments).toHaveLength(0);
    // Poland's removal finds no row: refused, nothing applied, still tabled for the chair.
    expect(
      (await listAmendmentsAs(handle.db, live(), owner.id, target)).find((a) => a.id === poland.id)!
        .currentText,
    ).toBeNull();
    await expectAcceptRefused(poland.id, 'by hand');

    const html = new TextDecoder().decode(
      (await compilationAs(handle.db, live(), viewer.id, target, 'html')).bytes,
    );
    expect(html).toContain('France: 12 jets (Troops)');
    expect(html).toContain('Delete this commitment row.');
    const docx = await compilationAs(handle.db, live(), viewer.id, target, 'docx');
    const plain = (await pandocPlain('docx', docx.bytes)).replace(/\s+/g, ' ');
    expect(plain).toContain('Poland: 3000 (Troops)');
    expect(plain).toContain('Delete this commitment row.');
  }, 60_000);

  it('proposes removing a trigger; accepting deletes it, attributed; an edited one shows, a gone one is refused', async () => {
    const { frameworkId, commitmentId, layerId, target, layer, act, expectAcceptRefused } =
      await setup();
    const triggerId = await live().write(frameworkId, (doc, origin) =>
      addTrigger(
        doc,
        layerId,
        { condition: 'Monitors are denied access', response: 'the guarantors convene' },
        origin,
      )!,
    );
    const remove = (user: TestUser, id: string, proposedText = 'a client claim') =>
      tableAmendmentAs(handle.db, live(), user.id, target, {
        layerId,
        target: { kind: 'remove', item: 'trigger', id },
        proposedText,
      });
    // An unknown trigger, a commitment's id, a viewer: refused, nothing tabled.
    await expect(remove(editor, 'no-such-trigger')).rejects.toMatchObject({
      kind: 'bad_request',
      message: expect.stringContaining('That trigger is not in this layer'),
    });
    await expect(remove(editor, commitmentId)).rejects.toMatchObject({ kind: 'bad_request' });
    await expect(remove(viewer, triggerId)).rejects.toMatchObject({ kind: 'forbidden' });
    expect(await listAmendmentsAs(handle.db, live(), owner.id, target)).toHaveLength(0);

    const sentence =
      'If monitors are denied access, the guarantors convene (no deadline set); responsible: not set.';
    const tabled = await remove(editor, triggerId);
    // The base is the trigger as the export prints it; the proposal is nothing.
    expect(tabled).toMatchObject({ party: 'france', baseText: sentence, proposedText: '' });
    expect((await layer()).triggers.map((t) => t.id)).toContain(triggerId);
    await expect(
      tableCompromiseAs(handle.db, live(), owner.id, target, {
        sources: [tabled.number],
        proposedText: 'If monitors are denied access, the guarantors meet.',
      }),
    ).rejects.toMatchObject({ kind: 'bad_request' });

    await act(owner, tabled.id, { action: 'accept' });
    expect((await layer()).triggers.some((t) => t.id === triggerId)).toBe(false);
    // Nothing else went with it.
    expect((await layer()).commitments.map((c) => c.id)).toEqual([commitmentId]);
    // Recorded in the activity and the audit log; the deletion is France's in the document's log.
    await expectAcceptedFromFrance(tabled, {
      frameworkId,
      layerId,
      workspaceId: target.workspaceId,
    });

    // Two delegations propose removing the same trigger; someone edits it meanwhile.
    const otherId = await live().write(frameworkId, (doc, origin) =>
      addTrigger(doc, layerId, { condition: 'an attack', response: 'air defence' }, origin)!,
    );
    const france = await remove(editor, otherId);
    const poland = await remove(commenter, otherId);
    await live().write(frameworkId, (doc, origin) =>
      updateTrigger(doc, layerId, otherId, { deadlineHours: 6 }, origin),
    );
    const listed = await listAmendmentsAs(handle.db, live(), owner.id, target);
    expect(listed.find((a) => a.id === france.id)).toMatchObject({
      baseText: 'If an attack, air defence (no deadline set); responsible: not set.',
      currentText: 'If an attack, air defence within 6 hours; responsible: not set.',
    });
    await expect(act(owner, france.id, { action: 'accept' })).rejects.toMatchObject({
      kind: 'conflict',
      message: expect.stringContaining('changed since'),
    });
    expect((await layer()).triggers.some((t) => t.id === otherId)).toBe(true);
    await act(owner, france.id, { action: 'accept', overCurrent: true });
    expect((await layer()).triggers.some((t) => t.id === otherId)).toBe(false);
    // Poland's removal finds no trigger: refused, nothing applied, still tabled for the chair.
    await expectAcceptRefused(poland.id, 'The trigger this amendment removes');

    const html = new TextDecoder().decode(
      (await compilationAs(handle.db, live(), viewer.id, target, 'html')).bytes,
    );
    expect(html).toContain('Delete this trigger.');
  }, 60_000);

  it('proposes a new trigger; accepting adds it to the layer; bad input is refused', async () => {
    const { frameworkId, layerId, target, layer, act } = await setup();
    const row = {
      condition: 'a ceasefire violation is confirmed by the monitors',
      response: 'the guarantors consult and decide on assistance',
      deadlineHours: 48,
      responsibleParties: ['poland'],
    };
    const tableTrigger = (r: Record<string, unknown>, user: TestUser = commenter) =>
      tableAmendmentAs(handle.db, live(), user.id, target, {
        layerId,
        target: { kind: 'row', item: 'trigger', row: r },
        proposedText: 'a client claim',
      });
    for (const bad of [
      { ...row, condition: 'x'.repeat(MAX_TRIGGER_TEXT_LENGTH + 1) },
      { ...row, response: 'x'.repeat(MAX_TRIGGER_TEXT_LENGTH + 1) },
      { ...row, deadlineHours: -1 },
      { ...row, deadlineHours: 'soon' },
      { ...row, deadlineHours: 1e9 },
      { condition: ' ', response: '', deadlineHours: 12 },
      { condition: 'x', response: 'y' },
      { ...row, responsibleParties: ['no-such-party'] },
      { ...row, responsibleParties: ['poland', 'poland'] },
      { ...row, responsibleParties: 'poland' },
    ]) {
      await expect(tableTrigger(bad)).rejects.toMatchObject({ kind: 'bad_request' });
    }
    await expect(
      tableTrigger({ ...row, condition: 'x'.repeat(MAX_TRIGGER_TEXT_LENGTH + 1) }),
    ).rejects.toMatchObject({
      message: expect.stringContaining(`at most ${MAX_TRIGGER_TEXT_LENGTH} characters`),
    });
    await expect(tableTrigger({ ...row, deadlineHours: -1 })).rejects.toMatchObject({
      message: expect.stringContaining('zero hours or more'),
    });
    await expect(
      tableTrigger({ ...row, responsibleParties: ['no-such-party'] }),
    ).rejects.toMatchObject({ message: 'Propose parties to this framework as responsible.' });
    await expect(tableTrigger(row, viewer)).rejects.toMatchObject({ kind: 'forbidden' });
    expect(await listAmendmentsAs(handle.db, live(), owner.id, target)).toHaveLength(0);

    const before = (await layer()).triggers;
    const tabled = await tableTrigger(row);
    expect(tabled).toMatchObject({
      party: 'poland',
      baseText: '',
      proposedText:
        'If a ceasefire violation is confirmed by the monitors, the guarantors consult and decide on assistance within 2 days; responsible: Poland.',
    });
    expect((await layer()).triggers).toEqual(before);
    await expect(act(editor, tabled.id, { action: 'accept' })).rejects.toMatchObject({
      kind: 'forbidden',
    });
    await act(owner, tabled.id, { action: 'accept' });
    const triggers = (await layer()).triggers;
    expect(triggers).toHaveLength(before.length + 1);
    expect(triggers[triggers.length - 1]).toMatchObject(row);
    const events = await listReviewEvents(handle.db, frameworkId, { layerId });
    expect(events[0]).toMatchObject({
      kind: 'amendment.accepted',
      details: { title: `Amendment ${tabled.number} (Poland)` },
    });
    const audit = await listAudit(handle.db, target.workspaceId);
    expect(audit.some((a) => a.action === 'amendment.accepted' && a.targetId === tabled.id)).toBe(
      true,
    );
    const html = new TextDecoder().decode(
      (await compilationAs(handle.db, live(), viewer.id, target, 'html')).bytes,
    );
    expect(html).toContain('(new trigger)');
    expect(html).toContain('Add: If a ceasefire violation');
  });

  it('holds the new targets to the rules: not into an agreed layer or one under silence; tabling breaks a silence', async () => {
    const { frameworkId, commitmentId, layerId, target, layer, act } = await setup();
    const trigger = { condition: 'an attack', response: 'air defence', deadlineHours: 6 };
    const table = (user: TestUser, amended: Record<string, unknown>) =>
      tableAmendmentAs(handle.db, live(), user.id, target, {
        layerId,
        target: amended,
        proposedText: '',
      });
    const removal = { kind: 'remove', item: 'commitment', id: commitmentId };
    const addTrigger = await table(commenter, { kind: 'row', item: 'trigger', row: trigger });
    await live().write(frameworkId, (doc, origin) =>
      setLayerField(doc, layerId, 'status', 'agreed', origin),
    );
    await expect(table(editor, removal)).rejects.toMatchObject({ kind: 'conflict' });
    await expect(act(owner, addTrigger.id, { action: 'accept' })).rejects.toMatchObject({
      kind: 'conflict',
    });
    await live().write(frameworkId, (doc, origin) =>
      setLayerField(doc, layerId, 'status', 'in_review', origin),
    );
    await startSilenceAs(handle.db, live(), owner.id, target, {
      layerId,
      until: new Date(Date.now() + 60_000).toISOString(),
    });
    await expect(act(owner, addTrigger.id, { action: 'accept' })).rejects.toMatchObject({
      kind: 'conflict',
    });
    const remove = await table(editor, removal);
    const state = await live().read(frameworkId, (doc) => readLayerReviewState(doc, layerId));
    expect(state!.statusDetail.silence?.broken).toMatchObject({
      party: 'france',
      reason: `Amendment ${remove.number} tabled.`,
    });
    await act(owner, addTrigger.id, { action: 'accept' });
    await act(owner, remove.id, { action: 'accept' });
    const now = await layer();
    expect(now.commitments).toHaveLength(0);
    expect(now.triggers.some((t) => t.condition === 'an attack')).toBe(true);
  });

  it('records in the versions which amendments were accepted since the previous one', async () => {
    const { target, table, act } = await setup();
    const first = await saveVersionAs(handle.db, live(), owner.id, target, { name: 'Before' });
    const one = await table(commenter, '7 days', '72 hours');
    const two = await table(editor, 'a violation', 'an armed violation');
    const three = await table(editor, 'Guarantors', 'All guarantors');
    await act(owner, one.id, { action: 'accept' });
    await act(owner, two.id, { action: 'reject', reason: 'Too narrow.' });
    // Accepted after the second version: belongs to the next one.
    await saveVersionAs(handle.db, live(), owner.id, target, { name: 'After' });
    await act(owner, three.id, { action: 'accept' });
    const versions = await listVersionsAs(handle.db, viewer.id, target);
    expect(versions.map((v) => [v.name, v.acceptedAmendments])).toEqual([
      ['After', [`Amendment ${one.number} (Poland)`]],
      ['Before', []],
    ]);
    const since = await compareWithAuthorsAs(
      handle.db,
      live(),
      viewer.id,
      target,
      first.id,
      'current',
    );
    expect(since.acceptedAmendments).toEqual([
      `Amendment ${one.number} (Poland)`,
      `Amendment ${three.number} (France)`,
    ]);
  });

  it('refuses tabling into an agreed layer and accepting into one agreed or under silence; tabling breaks a silence', async () => {
    const { frameworkId, layerId, target, table, act } = await setup();
    const tabled = await table(commenter, 'within 7 days', 'within 72 hours');
    await live().write(frameworkId, (doc, origin) =>
      setLayerField(doc, layerId, 'status', 'agreed', origin),
    );
    await expect(act(owner, tabled.id, { action: 'accept' })).rejects.toMatchObject({
      kind: 'conflict',
    });
    await expect(table(editor, 'respond', 'shall respond')).rejects.toMatchObject({
      kind: 'conflict',
    });
    // The refused accept left it tabled, for the chair to decide once the layer reopens.
    expect((await listAmendmentsAs(handle.db, live(), owner.id, target))[0]!.status).toBe('tabled');

    await live().write(frameworkId, (doc, origin) =>
      setLayerField(doc, layerId, 'status', 'in_review', origin),
    );
    await startSilenceAs(handle.db, live(), owner.id, target, {
      layerId,
      until: new Date(Date.now() + 60_000).toISOString(),
    });
    await expect(act(owner, tabled.id, { action: 'accept' })).rejects.toMatchObject({
      kind: 'conflict',
    });
    const second = await table(editor, 'respond', 'shall respond');
    expect(second.number).toBe(2);
    const state = await live().read(frameworkId, (doc) => readLayerReviewState(doc, layerId));
    expect(state!.statusDetail.silence?.broken).toMatchObject({
      party: 'france',
      reason: 'Amendment 2 tabled.',
    });
    // Silence broken: the text may change again, and the chair accepts.
    await act(owner, tabled.id, { action: 'accept' });
  });

  it('says when the text moved on, and never merges silently', async () => {
    const { frameworkId, layerId, target, narrative, table, act } = await setup();
    const tabled = await table(commenter, 'within 7 days', 'within 72 hours');
    const gone = await table(editor, 'of a violation', 'of any violation');
    // Someone edits inside the first passage, and deletes the second whole.
    await live().write(frameworkId, (doc) => {
      const paragraph = getNarrativeFragment(doc, layerId)!.toArray()[0] as Y.XmlElement;
      const text = paragraph.toArray()[0] as Y.XmlText;
      const at = text.toString().indexOf('7 days') + 2;
      text.insert(at, 'calendar ');
      const violation = text.toString().indexOf(' of a violation');
      text.delete(violation, ' of a violation'.length);
    });
    const listed = await listAmendmentsAs(handle.db, live(), owner.id, target);
    expect(listed[0]).toMatchObject({
      baseText: 'within 7 days',
      currentText: 'within 7 calendar days',
    });
    expect(listed[1]!.currentText).toBeNull();
    await expect(act(owner, tabled.id, { action: 'accept' })).rejects.toMatchObject({
      kind: 'conflict',
      message: expect.stringContaining('changed since'),
    });
    await expect(act(owner, gone.id, { action: 'accept' })).rejects.toMatchObject({
      kind: 'conflict',
      message: expect.stringContaining('by hand'),
    });
    expect(await narrative()).toContain('within 7 calendar days');
    // The chair compared and applies the proposal to the current text, explicitly.
    await act(owner, tabled.id, { action: 'accept', overCurrent: true });
    expect(await narrative()).toContain('Guarantors respond within 72 hours.');
  });

  it('tables formatted wording, checks it, and accepting writes its marks; the compilation keeps them', async () => {
    const { layerId, target, layer, table, act } = await setup();
    const wording = 'within 72 hours, as agreed';
    const runs = [
      { text: 'within ', marks: [] },
      { text: '72 hours', marks: [{ type: 'bold' }] },
      { text: ', as ', marks: [] },
      { text: 'agreed', marks: [{ type: 'link', href: 'https://example.org/minutes' }] },
    ];
    for (const [bad, message] of [
      [[{ text: 'within 72 hours', marks: [] }], 'does not say the proposed text'],
      [
        [{ text: wording, marks: [{ type: 'link', href: 'javascript:alert(1)' }] }],
        'web or mail address',
      ],
      [[{ text: wording, marks: [{ type: 'underline' }] }], ''],
      [Array.from({ length: 501 }, () => ({ text: 'x', marks: [] })), 'at most 500'],
    ] as const) {
      await expect(
        table(commenter, 'within 7 days', wording, { proposedRuns: bad }),
      ).rejects.toMatchObject({ kind: 'bad_request', message: expect.stringContaining(message) });
    }
    await expect(
      tableAmendmentAs(handle.db, live(), commenter.id, target, {
        layerId,
        target: { kind: 'field', item: 'layer', field: 'lead' },
        proposedText: 'poland',
        proposedRuns: [{ text: 'poland', marks: [{ type: 'bold' }] }],
      }),
    ).rejects.toMatchObject({ message: 'Only the wording of a passage carries formatting.' });
    // The same words in the same formatting change nothing; in another formatting they do.
    await expect(
      table(commenter, 'within 7 days', 'within 7 days', {
        proposedRuns: [{ text: 'within 7 days', marks: [] }],
      }),
    ).rejects.toMatchObject({ message: 'The proposal is the same as the current text.' });
    const emphasis = await table(commenter, 'within 7 days', 'within 7 days', {
      proposedRuns: [{ text: 'within 7 days', marks: [{ type: 'italic' }] }],
    });
    expect(emphasis.proposedRuns).toEqual([{ text: 'within 7 days', marks: [{ type: 'italic' }] }]);
    await act(owner, emphasis.id, { action: 'reject', reason: 'The text is not emphasised.' });

    const tabled = await table(commenter, 'within 7 days', wording, { proposedRuns: runs });
    expect(tabled.proposedRuns).toEqual(runs);
    const plain = await table(editor, 'of a violation', 'of any violation', {
      proposedRuns: [{ text: 'of any violation', marks: [] }],
    });
    expect(plain.proposedRuns).toBeNull();

    const html = new TextDecoder().decode(
      (await compilationAs(handle.db, live(), viewer.id, target, 'html')).bytes,
    );
    expect(html).toContain(
      'within <strong>72 hours</strong>, as <a href="https://example.org/minutes">agreed</a>',
    );
    const docx = await compilationAs(handle.db, live(), viewer.id, target, 'docx');
    const ast = await pandocJson('docx', docx.bytes);
    expect(pandocFind(ast, 'Strong').map((n) => pandocInlineText(n.c))).toContain('72 hours');
    expect(
      pandocFind(ast, 'Link').map((n) => [
        pandocInlineText((n.c as unknown[])[1]),
        ((n.c as unknown[])[2] as string[])[0],
      ]),
    ).toContainEqual(['agreed', 'https://example.org/minutes']);

    await act(owner, tabled.id, { action: 'accept' });
    expect((await layer()).narrative.blocks[0]).toMatchObject({
      content: [
        { text: 'Guarantors respond within ', marks: [] },
        { text: '72 hours', marks: [{ type: 'bold' }] },
        { text: ', as ', marks: [] },
        { text: 'agreed', marks: [{ type: 'link', href: 'https://example.org/minutes' }] },
        { text: ' of a violation.', marks: [] },
      ],
    });
  }, 60_000);

  it('bounds the proposed text and refuses anchors that do not resolve', async () => {
    const { layerId, target, table } = await setup();
    await expect(
      table(commenter, 'within 7 days', 'x'.repeat(MAX_PROPOSED_TEXT_LENGTH + 1)),
    ).rejects.toMatchObject({ kind: 'bad_request', message: expect.stringContaining('at most') });
    await expect(
      tableAmendmentAs(handle.db, live(), commenter.id, target, {
        layerId,
        target: { kind: 'passage', anchor: { start: 'AAAA', end: 'AAAA' } },
        proposedText: 'x',
      }),
    ).rejects.toMatchObject({ kind: 'bad_request' });
  });

  it('lets exactly one of two chairs accepting at once win', async () => {
    const { workspaceId, table, act, narrative } = await setup();
    const cochair = await createTestUser(handle.db, 'Co-chair');
    await addMember(handle.db, { workspaceId, userId: cochair.id, role: 'owner' });
    const tabled = await table(commenter, 'within 7 days', 'within 72 hours');
    const results = await Promise.allSettled([
      act(owner, tabled.id, { action: 'accept' }),
      act(cochair, tabled.id, { action: 'accept' }),
    ]);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    const refused = results.find((r) => r.status === 'rejected') as PromiseRejectedResult;
    expect(refused.reason).toMatchObject({ kind: 'conflict' });
    expect((await narrative()).match(/72 hours/g)).toHaveLength(1);
  });

  it("merges competing amendments into a chair's compromise that supersedes them", async () => {
    const { layerId, target, narrative, table, act } = await setup();
    const poland = await table(commenter, 'within 7 days', 'within 72 hours');
    await act(editor, poland.id, { action: 'cosponsor' });
    const france = await table(editor, 'within 7 days', 'within 5 days');
    await expect(
      tableCompromiseAs(handle.db, live(), editor.id, target, {
        sources: [poland.number, france.number],
        proposedText: 'within 96 hours',
      }),
    ).rejects.toMatchObject({ kind: 'forbidden' });
    const compromise = await tableCompromiseAs(handle.db, live(), owner.id, target, {
      sources: [poland.number, france.number],
      proposedText: 'within 96 hours',
      justification: 'Between the two.',
    });
    expect(compromise).toMatchObject({ number: 3, party: null, compromiseOf: [1, 2], layerId });
    const listed = await listAmendmentsAs(handle.db, live(), viewer.id, target);
    expect(listed.map((a) => [a.number, a.status, a.supersededBy])).toEqual([
      [1, 'superseded', 3],
      [2, 'superseded', 3],
      [3, 'tabled', null],
    ]);
    // A superseded amendment is decided: it cannot be accepted, or merged again.
    await expect(act(owner, poland.id, { action: 'accept' })).rejects.toMatchObject({
      kind: 'conflict',
    });
    await act(owner, compromise.id, { action: 'accept' });
    expect(await narrative()).toContain('within 96 hours');
    const events = await listReviewEvents(handle.db, target.frameworkId, { layerId });
    expect(events[0]!.details.title).toBe("Amendment 3 (chair's compromise of 1 and 2)");

    // The compilation, read back by real readers: every amendment with its sponsors and status.
    const docx = await compilationAs(handle.db, live(), viewer.id, target, 'docx');
    const plain = (await pandocPlain('docx', docx.bytes)).replace(/\s+/g, ' ');
    for (const expected of [
      'Amendment 1 (Poland, France)',
      'within 72 hours',
      'Amendment 2 (France)',
      "Amendment 3 (chair's compromise of 1 and 2)",
      'within 96 hours',
      'Superseded by amendment 3 (accepted)',
    ]) {
      expect(plain).toContain(expected);
    }
    const pdf = (await pdfText(await libreOfficePdf(docx.bytes))).join(' ');
    expect(pdf).toContain('Compilation of amendments');
    const html = new TextDecoder().decode(
      (await compilationAs(handle.db, live(), viewer.id, target, 'html')).bytes,
    );
    expect(html).toContain('<th scope="col">Chair’s compromise</th>');
    expect(html.match(/Superseded by amendment 3/g)).toHaveLength(2);
    await expect(compilationAs(handle.db, live(), viewer.id, target, 'pdf')).rejects.toMatchObject({
      kind: 'bad_request',
    });
    // LibreOffice starts slowly on a loaded machine.
  }, 90_000);

  it('lets the sponsor withdraw, and the chair reject with a reason', async () => {
    const { table, act } = await setup();
    const first = await table(commenter, 'within 7 days', 'within 72 hours');
    await expect(act(editor, first.id, { action: 'withdraw' })).rejects.toMatchObject({
      kind: 'forbidden',
    });
    expect(await act(commenter, first.id, { action: 'withdraw' })).toMatchObject({
      status: 'withdrawn',
    });
    const second = await table(editor, 'respond', 'shall respond');
    await expect(act(owner, second.id, { action: 'reject' })).rejects.toMatchObject({
      kind: 'bad_request',
    });
    expect(
      await act(owner, second.id, { action: 'reject', reason: 'Outside the mandate.' }),
    ).toMatchObject({ status: 'rejected', decisionReason: 'Outside the mandate.' });
  });
});
