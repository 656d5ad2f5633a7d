import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { DatabaseHandle } from '../../db/client';
import { listNotificationsOf, setNotifyMode } from '../../db/queries/notifications';
import { openAdReferendum } from '../../db/queries/review';
import { findUserById } from '../../db/queries/users';
import { removeMemberKeepingAnOwner, setMemberDelegation } from '../../db/queries/workspaces';
import { openTestDatabase, refuseReviewEventsOf, testDatabaseConfigs } from '../../db/testing';
import { createTestFramework, type TestUser } from '../../server/collab/testing/test-support';
import {
  addLayer,
  addParty,
  anchorOfQuote,
  initialiseFromTemplate,
  readFramework,
  setLayerField,
  setNarrative,
} from '../framework';
import { contentHash } from '../framework/canonical';
import { createMailer, type Mailer } from '../mail';
import { startSmtpSink, type ReceivedMail } from '../mail/testing/smtp-sink';
import { unsubscribeToken } from '../notifications/unsubscribe-token';
import { actOnAmendmentAs, tableAmendmentAs } from './amendments';
import { createThreadAs, replyAs } from './comments';
import { freezeVersionAs, initialVersionAs } from './initialling';
import { sendDueNotifications } from './notification-sender';
import { queueOverdueInitials, unsubscribeWithToken } from './notifications';
import { changeLayerStatusAs, flagOverdueAdReferenda, startSilenceAs } from './review';
import { useServiceFixture } from './testing/fixtures';
import { saveVersionAs } from './versions';

// Queueing is on when SMTP is configured; the mail itself goes to the sink each test starts.
process.env.SMTP_URL = 'smtp://127.0.0.1:9';
const SECRET = 'notifications-test-secret';
const ORIGIN = 'https://briefing.example.test';

function mailerOn(port: number): Mailer {
  return createMailer({
    smtp: { host: '127.0.0.1', port, secure: false, user: null, pass: null },
    from: 'Briefing <briefing@example.test>',
    publicOrigin: ORIGIN,
  });
}

describe.each(testDatabaseConfigs())('notification mail on $name', ({ config }) => {
  const fx = useServiceFixture(config, {
    servers: { server: {} },
    users: { owner: 'Olga', france: 'Jeanne', poland: 'Piotr', outsider: 'Otto' },
  });
  let sink: Awaited<ReturnType<typeof startSmtpSink>>;
  let mailer: Mailer;
  beforeAll(async () => {
    sink = await startSmtpSink();
    mailer = mailerOn(sink.port);
  });
  afterAll(async () => {
    await sink.close();
  });

  const live = () => fx.server.collab.live;
  const round = (now?: Date, via: Mailer = mailer, db = fx.db) =>
    sendDueNotifications(db, via, { secret: SECRET, digestHourUtc: 7, now });
  const emails = new Map<string, string>();
  const emailOf = (user: TestUser) => emails.get(user.id)!;
  const mailsTo = (user: TestUser, since: number) =>
    sink.received.slice(since).filter((m) => m.to.includes(emailOf(user)));

  beforeEach(async () => {
    for (const user of [fx.owner, fx.france, fx.poland, fx.outsider]) {
      emails.set(user.id, (await findUserById(fx.db, user.id))!.email.toLowerCase());
    }
    // Leftovers of an earlier test are sent now, so each test counts only its own mail.
    for (const user of [fx.owner, fx.france, fx.poland, fx.outsider]) {
      await setNotifyMode(fx.db, user.id, 'immediate');
    }
    await round(new Date(Date.now() + 3 * 24 * 3600_000));
  });

  /** France and Poland with a delegate each, one layer in review reading NARRATIVE. */
  async function setup() {
    const target = await createTestFramework(fx.db, fx.owner, [
      [fx.france, 'editor'],
      [fx.poland, 'commenter'],
    ]);
    await setMemberDelegation(fx.db, { ...target, userId: fx.france.id, delegation: 'France' });
    await setMemberDelegation(fx.db, { ...target, userId: fx.poland.id, delegation: 'Poland' });
    const layerId = await live().write(target.frameworkId, (doc, origin) => {
      initialiseFromTemplate(doc, 'blank');
      addParty(doc, 'France', origin);
      addParty(doc, 'Poland', origin);
      const id = addLayer(doc, 'air', { title: 'Air policing' }, origin);
      setNarrative(
        doc,
        id,
        [
          {
            type: 'paragraph',
            content: [{ type: 'text', text: 'Guarantors respond within 7 days.', marks: [] }],
          },
        ],
        origin,
      );
      setLayerField(doc, id, 'status', 'in_review', origin);
      return id;
    });
    const comment = (user: TestUser, body: string) =>
      createThreadAs(fx.db, live(), user.id, target, { layerId, body });
    return { target, layerId, comment };
  }

  it('mails a mention to the one mentioned, escaped, linked, with an unsubscribe header', async () => {
    const { target, comment } = await setup();
    const since = sink.received.length;
    const { threadId } = await comment(
      fx.owner,
      '@Jeanne see <script>alert("x")</script> & <b>this</b>',
    );
    const result = await round();
    expect(result.sent).toBe(1);
    const [mail] = mailsTo(fx.france, since);
    expect(sink.received.length - since).toBe(1);
    expect(mail!.subject).toContain('Olga mentioned you');
    expect(mail!.text).toContain('<script>alert("x")</script>');
    expect(mail!.text).toContain(
      `${ORIGIN}/groups/${target.workspaceId}/frameworks/${target.frameworkId}?thread=${threadId}`,
    );
    expect(mail!.html).not.toContain('<script>');
    expect(mail!.html).not.toContain('<b>this');
    expect(mail!.html).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;');
    expect(mail!.raw).toMatch(
      /^List-Unsubscribe:\s+<https:\/\/briefing\.example\.test\/unsubscribe\/[^>]+\/one-click>/m,
    );
    expect(mail!.raw).toMatch(/^List-Unsubscribe-Post: List-Unsubscribe=One-Click/m);
  });

  it('mails a reply to the others who wrote in the thread, never to the one replying', async () => {
    const { target, comment } = await setup();
    const { threadId } = await comment(fx.owner, 'Is seven days right?');
    await replyAs(fx.db, live(), fx.france.id, { ...target, threadId }, { body: 'Too slow.' });
    await round();
    const since = sink.received.length;
    await replyAs(fx.db, live(), fx.poland.id, { ...target, threadId }, { body: 'Agreed.' });
    await round();
    expect(mailsTo(fx.owner, since).map((m) => m.subject)).toEqual([
      'Piotr replied in your comment thread in "Framework"',
    ]);
    expect(mailsTo(fx.france, since)).toHaveLength(1);
    expect(mailsTo(fx.poland, since)).toHaveLength(0);
  });

  it("mails the chair's decision on an amendment to the tabling delegation only", async () => {
    const { target, layerId } = await setup();
    const anchor = await live().read(target.frameworkId, (doc) =>
      anchorOfQuote(doc, layerId, '7 days'),
    );
    const tabled = await tableAmendmentAs(fx.db, live(), fx.france.id, target, {
      layerId,
      target: { kind: 'passage', anchor },
      proposedText: '24 hours',
      justification: 'Faster.',
    });
    await round();
    const since = sink.received.length;
    await actOnAmendmentAs(
      fx.db,
      live(),
      fx.owner.id,
      { ...target, amendmentId: tabled.id },
      { action: 'reject', reason: 'Not <now>' },
    );
    await round();
    const toFrance = mailsTo(fx.france, since);
    expect(toFrance).toHaveLength(1);
    expect(toFrance[0]!.subject).toContain('was rejected by Olga');
    expect(toFrance[0]!.text).toContain('Not <now>');
    expect(toFrance[0]!.text).toContain(
      `${ORIGIN}/groups/${target.workspaceId}/frameworks/${target.frameworkId}?amendment=${tabled.id}`,
    );
    expect(sink.received.length - since).toBe(1);
  });

  it('mails deadlines: a silence to the delegations, an agreement ad referendum to those to confirm, an overdue one to the late one and the owner', async () => {
    const { target, layerId } = await setup();
    let since = sink.received.length;
    await startSilenceAs(fx.db, live(), fx.owner.id, target, {
      layerId,
      until: new Date(Date.now() + 3600_000).toISOString(),
    });
    await round();
    expect(mailsTo(fx.france, since)[0]?.subject).toMatch(/^Silence procedure: object before/);
    expect(mailsTo(fx.poland, since)).toHaveLength(1);
    expect(mailsTo(fx.owner, since)).toHaveLength(0);

    since = sink.received.length;
    await changeLayerStatusAs(fx.db, live(), fx.owner.id, target, {
      layerId,
      status: 'agreed_ad_ref',
      confirmBy: '2030-01-01T00:00:00Z',
    });
    await round();
    expect(mailsTo(fx.poland, since)[0]?.subject).toContain(
      'Air policing agreed ad referendum: confirm by 2030-01-01 00:00 UTC',
    );
    expect(mailsTo(fx.france, since)).toHaveLength(1);
    expect(mailsTo(fx.owner, since)).toHaveLength(0);

    since = sink.received.length;
    // Due in an hour, flagged as if two hours had passed: the schedulers of other test servers on
    // this database (with real clocks, and no mail) never see it due.
    const confirmBy = new Date(Date.now() + 3600_000);
    const later = new Date(Date.now() + 2 * 3600_000);
    const scope = { frameworkId: target.frameworkId };
    await openAdReferendum(fx.db, {
      frameworkId: target.frameworkId,
      layerId: 'adref-layer',
      layerTitle: 'Air policing',
      confirmBy,
      pending: ['poland'],
      partyNames: { poland: 'Poland' },
    });
    // A report that fails half-way (its event refused) leaves it unclaimed for the next round.
    const allowEvents = await refuseReviewEventsOf(fx.db, 'adref-layer');
    try {
      await expect(flagOverdueAdReferenda(fx.db, later, scope)).rejects.toThrow(AggregateError);
    } finally {
      await allowEvents();
    }
    expect(await flagOverdueAdReferenda(fx.db, later, scope)).toBe(1);
    expect(await flagOverdueAdReferenda(fx.db, later, scope)).toBe(0);
    await round();
    expect(mailsTo(fx.poland, since)[0]?.subject).toContain(
      'Confirmation ad referendum overdue for Air policing',
    );
    expect(mailsTo(fx.owner, since)).toHaveLength(1);
    expect(mailsTo(fx.france, since)).toHaveLength(0);
  });

  it('mails overdue initials once, to the owner and the delegation that has not initialled', async () => {
    const { target } = await setup();
    const hash = contentHash(await live().read(target.frameworkId, (doc) => readFramework(doc)));
    const version = await saveVersionAs(fx.db, live(), fx.owner.id, target, { name: 'Final' });
    // Due in an hour and reported as if two had passed (see the ad referendum test above).
    await freezeVersionAs(fx.db, fx.owner.id, target, version.id, {
      deadline: new Date(Date.now() + 3600_000).toISOString(),
    });
    await initialVersionAs(fx.db, fx.france.id, 'Jeanne', target, version.id, { hash });
    const since = sink.received.length;
    const later = new Date(Date.now() + 2 * 3600_000);
    const scope = { frameworkId: target.frameworkId };
    expect(await queueOverdueInitials(fx.db, later, scope)).toBe(1);
    expect(await queueOverdueInitials(fx.db, later, scope)).toBe(0);
    await round();
    expect(mailsTo(fx.poland, since).map((m) => m.subject)).toEqual([
      'Initials overdue on version "Final" in "Framework"',
    ]);
    expect(mailsTo(fx.poland, since)[0]!.text).toContain(`/versions/${version.id}`);
    expect(mailsTo(fx.owner, since)).toHaveLength(1);
    expect(mailsTo(fx.france, since)).toHaveLength(0);
  });

  it('gathers a digest user’s items into one mail at the digest hour, and sends none when off', async () => {
    const { comment } = await setup();
    await setNotifyMode(fx.db, fx.france.id, 'digest');
    await setNotifyMode(fx.db, fx.poland.id, 'off');
    const since = sink.received.length;
    for (const n of [1, 2, 3]) await comment(fx.owner, `@Jeanne @Piotr point ${n}`);
    await round();
    expect(mailsTo(fx.france, since)).toHaveLength(0);
    // The next day's digest hour (07:00 UTC) has passed a day later, whatever the hour now.
    await round(new Date(Date.now() + 24 * 3600_000 + 60_000));
    const digest = mailsTo(fx.france, since);
    expect(digest).toHaveLength(1);
    expect(digest[0]!.subject).toBe('Briefing workspace: 3 notifications since your last digest');
    for (const n of [1, 2, 3]) expect(digest[0]!.text).toContain(`point ${n}`);
    expect(mailsTo(fx.poland, since)).toHaveLength(0);
    const polish = await listNotificationsOf(fx.db, fx.poland.id);
    expect(polish.slice(0, 3).map((r) => r.outcome)).toEqual(['off', 'off', 'off']);
  });

  it('turns mail off through the link in the mail, without a session; a forged token changes nothing', async () => {
    const { comment } = await setup();
    const since = sink.received.length;
    await comment(fx.owner, '@Jeanne please look');
    await round();
    const mail: ReceivedMail = mailsTo(fx.france, since)[0]!;
    const link = /https:\/\/briefing\.example\.test\/unsubscribe\/(\S+)/.exec(mail.text)![1]!;
    expect(await unsubscribeWithToken(fx.db, link, 'another-secret')).toBeNull();
    const [idPart, macPart] = link.split('.');
    const forged = `${Buffer.from(fx.poland.id).toString('base64url')}.${macPart}`;
    expect(await unsubscribeWithToken(fx.db, forged, SECRET)).toBeNull();
    expect(await unsubscribeWithToken(fx.db, `${idPart}.AAAA`, SECRET)).toBeNull();
    expect(await unsubscribeWithToken(fx.db, link, SECRET)).toEqual({ email: emailOf(fx.france) });
    expect(link).toBe(unsubscribeToken(fx.france.id, SECRET));

    const after = sink.received.length;
    await comment(fx.owner, '@Jeanne @Piotr again');
    await round();
    expect(mailsTo(fx.france, after)).toHaveLength(0);
    expect(mailsTo(fx.poland, after)).toHaveLength(1);
  });

  it('keeps mail through an SMTP outage and sends it on a later round', async () => {
    const { comment } = await setup();
    const down = await startSmtpSink();
    const downPort = down.port;
    await down.close();
    const since = sink.received.length;
    await comment(fx.owner, '@Jeanne during the outage');
    const now = new Date();
    expect(await round(now, mailerOn(downPort))).toMatchObject({ sent: 0, retried: 1 });
    // Before the backoff has passed, the row waits, even with SMTP back.
    expect(await round(new Date(now.getTime() + 10_000))).toMatchObject({ sent: 0 });
    expect(await round(new Date(now.getTime() + 61_000), mailerOn(downPort))).toMatchObject({
      retried: 1,
    });
    // The second failure waits twice as long.
    expect(await round(new Date(now.getTime() + 150_000))).toMatchObject({ sent: 0 });
    expect(await round(new Date(now.getTime() + 190_000))).toMatchObject({ sent: 1 });
    expect(mailsTo(fx.france, since).map((m) => m.text)).toHaveLength(1);
    const [row] = await listNotificationsOf(fx.db, fx.france.id);
    expect(row).toMatchObject({ outcome: 'sent', attempts: 3 });
  });

  it('never mails about a group the user has left, nor queues anything without SMTP', async () => {
    const { target, comment } = await setup();
    const since = sink.received.length;
    await comment(fx.owner, '@Piotr before you go');
    await removeMemberKeepingAnOwner(fx.db, {
      workspaceId: target.workspaceId,
      userId: fx.poland.id,
    });
    await round();
    expect(mailsTo(fx.poland, since)).toHaveLength(0);
    expect((await listNotificationsOf(fx.db, fx.poland.id))[0]?.outcome).toBe('no_access');

    const before = (await listNotificationsOf(fx.db, fx.france.id)).length;
    delete process.env.SMTP_URL;
    try {
      await comment(fx.owner, '@Jeanne with mail off');
    } finally {
      process.env.SMTP_URL = 'smtp://127.0.0.1:9';
    }
    expect(await listNotificationsOf(fx.db, fx.france.id)).toHaveLength(before);
  });

  it('lets two senders share the outbox without sending any mail twice', async () => {
    const { comment } = await setup();
    const since = sink.received.length;
    for (let n = 0; n < 10; n += 1) await comment(fx.owner, `@Jeanne @Piotr item ${n}`);
    // On PostgreSQL the second sender has its own connections, as another instance would.
    let other: DatabaseHandle | null = null;
    if (config.kind === 'postgres') other = await openTestDatabase(config);
    try {
      const results = await Promise.all([
        round(undefined, mailer, fx.db),
        round(undefined, mailerOn(sink.port), other?.db ?? fx.db),
        round(undefined, mailer, fx.db),
      ]);
      expect(results.reduce((sum, r) => sum + r.sent, 0)).toBe(20);
    } finally {
      await other?.close();
    }
    const texts = (user: TestUser) => mailsTo(user, since).map((m) => /item \d/.exec(m.text)![0]);
    expect(texts(fx.france).sort()).toEqual([...Array(10).keys()].map((n) => `item ${n}`));
    expect(texts(fx.poland).sort()).toEqual([...Array(10).keys()].map((n) => `item ${n}`));
  });
});
