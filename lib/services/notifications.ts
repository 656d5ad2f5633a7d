import type { Database } from '../../db/client';
import { findFramework } from '../../db/queries/frameworks';
import { listInitials } from '../../db/queries/initialling';
import {
  claimOverdueInitialling,
  dueInitialling,
  insertNotifications,
  type OverdueInitialling,
  setNotifyMode,
  threadAuthorIds,
  versionLabel,
} from '../../db/queries/notifications';
import { findUserById } from '../../db/queries/users';
import { listMembers } from '../../db/queries/workspaces';
import { partyIdOf } from '../framework/types';
import { notificationMailEnabled } from '../notifications/enabled';
import type { NotificationPayload, NotifyMode, QueuedNotification } from '../notifications/types';
import { isNotifyMode } from '../notifications/types';
import { userOfUnsubscribeToken } from '../notifications/unsubscribe-token';
import { AppError } from '../errors';
import { frameworkPath as pathOfFramework, type FrameworkFocus } from '../paths';
import { ensureAuthSecret } from '../auth/secret';

/**
 * Queues notification mail in the transaction of the act it reports (the outbox: nothing is
 * sent here, so the act never waits on or fails with SMTP). Nothing is queued when mail is off.
 * Recipients never include the actor; access is checked again when the mail goes out.
 */

type FrameworkRef = { id: string; workspaceId: string; title: string };

/** The framework's page, opened on the thread or amendment the mail is about (lib/paths.ts). */
function frameworkPath(f: FrameworkRef, focus?: FrameworkFocus): string {
  return pathOfFramework(f.workspaceId, f.id, focus);
}

const utc = (at: Date) => `${at.toISOString().replace('T', ' ').slice(0, 16)} UTC`;

async function queue(
  db: Database,
  framework: FrameworkRef,
  actorId: string | null,
  recipients: Iterable<string>,
  payload: NotificationPayload,
): Promise<void> {
  const rows: QueuedNotification[] = [...new Set(recipients)]
    .filter((id) => id !== actorId)
    .map((userId) => ({
      userId,
      workspaceId: framework.workspaceId,
      frameworkId: framework.id,
      payload,
    }));
  await insertNotifications(
    db,
    rows.map((r) => ({ ...r, kind: r.payload.kind, payload: r.payload })),
  );
}

async function nameOf(db: Database, userId: string): Promise<string> {
  return (await findUserById(db, userId))?.name ?? 'Someone';
}

/** Members of a group who are owners or speak for one of `parties` (party ids). */
async function ownersAndDelegations(
  db: Database,
  workspaceId: string,
  parties: readonly string[],
  withOwners: boolean,
): Promise<string[]> {
  const wanted = new Set(parties);
  return (await listMembers(db, workspaceId))
    .filter(
      (m) =>
        (withOwners && m.role === 'owner') ||
        (m.delegation !== null && wanted.has(partyIdOf(m.delegation))),
    )
    .map((m) => m.userId);
}

/** A new comment: its mentions, and (for a reply) the others who wrote in the thread. */
export async function queueCommentNotifications(
  db: Database,
  input: {
    framework: FrameworkRef;
    actorId: string;
    threadId: string;
    body: string;
    mentions: string[];
    isReply: boolean;
  },
): Promise<void> {
  if (!notificationMailEnabled()) return;
  const { framework, actorId } = input;
  const actor = await nameOf(db, actorId);
  const common = {
    frameworkTitle: framework.title,
    // The link opens the thread itself, not just its framework.
    path: frameworkPath(framework, { thread: input.threadId }),
    body: input.body,
  };
  await queue(db, framework, actorId, input.mentions, {
    ...common,
    kind: 'mention',
    headline: `${actor} mentioned you`,
  });
  if (!input.isReply) return;
  const mentioned = new Set(input.mentions);
  const authors = (await threadAuthorIds(db, input.threadId)).filter((id) => !mentioned.has(id));
  await queue(db, framework, actorId, authors, {
    ...common,
    kind: 'reply',
    headline: `${actor} replied in your comment thread`,
  });
}

/** The chair accepted or rejected an amendment: its delegation and co-sponsors are told. */
export async function queueAmendmentDecision(
  db: Database,
  input: {
    framework: FrameworkRef;
    actorId: string;
    amendment: {
      id: string;
      number: number;
      party: string | null;
      tabledBy: string | null;
      sponsors: Array<{ party: string }>;
    };
    decision: 'accepted' | 'rejected';
    reason: string | null;
  },
): Promise<void> {
  if (!notificationMailEnabled()) return;
  const { framework, amendment } = input;
  const parties = [amendment.party, ...amendment.sponsors.map((s) => s.party)].filter(
    (p): p is string => p !== null,
  );
  const recipients = await ownersAndDelegations(db, framework.workspaceId, parties, false);
  if (amendment.tabledBy) recipients.push(amendment.tabledBy);
  await queue(db, framework, input.actorId, recipients, {
    kind: 'amendment.decided',
    frameworkTitle: framework.title,
    path: frameworkPath(framework, { amendment: amendment.id }),
    headline: `Amendment ${amendment.number} was ${input.decision} by ${await nameOf(db, input.actorId)}`,
    body: input.reason,
  });
}

/** A silence procedure started: every delegation may object until the deadline. */
export async function queueSilenceStarted(
  db: Database,
  input: { framework: FrameworkRef; actorId: string; until: Date },
): Promise<void> {
  if (!notificationMailEnabled()) return;
  const { framework } = input;
  const recipients = (await listMembers(db, framework.workspaceId))
    .filter((m) => m.delegation !== null || m.role === 'owner')
    .map((m) => m.userId);
  await queue(db, framework, input.actorId, recipients, {
    kind: 'deadline',
    frameworkTitle: framework.title,
    path: frameworkPath(framework),
    headline: `Silence procedure: object before ${utc(input.until)}, or the layer is agreed`,
    body: null,
  });
}

/** A layer agreed ad referendum: the delegations whose capitals must confirm are given the date. */
export async function queueAdReferendumOpened(
  db: Database,
  input: {
    framework: FrameworkRef;
    actorId: string;
    layerTitle: string;
    pending: string[];
    partyNames: Record<string, string>;
    confirmBy: Date;
  },
): Promise<void> {
  if (!notificationMailEnabled()) return;
  const { framework } = input;
  const recipients = await ownersAndDelegations(db, framework.workspaceId, input.pending, false);
  await queue(db, framework, input.actorId, recipients, {
    kind: 'deadline',
    frameworkTitle: framework.title,
    path: frameworkPath(framework),
    headline: `${input.layerTitle || 'A layer'} agreed ad referendum: confirm by ${utc(input.confirmBy)}`,
    body: `Confirmation needed from: ${input.pending.map((p) => input.partyNames[p] ?? p).join(', ')}.`,
  });
}

/** Confirmations ad referendum came due: the late delegations and the owners are told. */
export async function queueAdReferendumOverdue(
  db: Database,
  input: {
    frameworkId: string;
    layerTitle: string;
    pending: string[];
    partyNames: Record<string, string>;
    confirmBy: Date;
  },
): Promise<void> {
  if (!notificationMailEnabled()) return;
  const framework = await findFramework(db, input.frameworkId);
  if (!framework) return;
  const recipients = await ownersAndDelegations(db, framework.workspaceId, input.pending, true);
  await queue(db, framework, null, recipients, {
    kind: 'deadline',
    frameworkTitle: framework.title,
    path: frameworkPath(framework),
    headline: `Confirmation ad referendum overdue for ${input.layerTitle || 'a layer'}`,
    body: `Pending: ${input.pending.map((p) => input.partyNames[p] ?? p).join(', ')}. Due ${utc(input.confirmBy)}.`,
  });
}

/**
 * Frozen versions past their initialling date with initials missing, each reported once. Claim
 * and mail are one transaction per version, so the instance that claims one also queues its mail.
 */
export async function queueOverdueInitials(
  db: Database,
  now = new Date(),
  scope: { frameworkId?: string } = {},
): Promise<number> {
  let reported = 0;
  for (const row of await dueInitialling(db, now, scope)) {
    const won = await db.transaction(async (tx) => {
      // Claimed even with mail off, so turning mail on later does not mail old deadlines.
      if (!(await claimOverdueInitialling(tx, row.versionId, now))) return false;
      if (notificationMailEnabled()) await queueMissingInitials(tx, row);
      return true;
    });
    if (won) reported += 1;
  }
  return reported;
}

async function queueMissingInitials(db: Database, row: OverdueInitialling): Promise<void> {
  const done = new Set((await listInitials(db, row.versionId)).map((i) => i.party));
  const missing = row.requiredParties.filter((p) => !done.has(p));
  const label = await versionLabel(db, row.versionId);
  if (missing.length === 0 || !label) return;
  const framework = {
    id: row.frameworkId,
    workspaceId: label.workspaceId,
    title: label.frameworkTitle,
  };
  await queue(
    db,
    framework,
    null,
    await ownersAndDelegations(db, label.workspaceId, missing, true),
    {
      kind: 'initials.overdue',
      frameworkTitle: framework.title,
      path: `${frameworkPath(framework)}/versions/${row.versionId}`,
      headline: `Initials overdue on version "${label.name}"`,
      body: `Initials missing: ${missing.join(', ')}.`,
    },
  );
}

/** The signed-in user chooses how notifications reach them. */
export async function setNotifyModeAs(
  db: Database,
  userId: string,
  mode: unknown,
): Promise<NotifyMode> {
  if (!isNotifyMode(mode)) {
    throw new AppError(
      'bad_request',
      'Choose immediately, daily digest or off.',
      'notifications.mode',
    );
  }
  await setNotifyMode(db, userId, mode);
  return mode;
}

/**
 * An unsubscribe link's one click: mail for the user it was made for goes off. Needs no
 * session; a token not signed with AUTH_SECRET changes nothing. Returns the account's email.
 */
export async function unsubscribeWithToken(
  db: Database,
  token: string,
  secret: string = ensureAuthSecret(),
): Promise<{ email: string } | null> {
  const userId = userOfUnsubscribeToken(token, secret);
  if (!userId) return null;
  const user = await findUserById(db, userId).catch(() => undefined);
  if (!user) return null;
  await setNotifyMode(db, user.id, 'off');
  return { email: user.email };
}

/** The user's notification mode, and whether this deployment mails at all. */
export async function notificationSettingsOf(
  db: Database,
  userId: string,
): Promise<{ mode: NotifyMode; mailOn: boolean }> {
  const user = await findUserById(db, userId);
  return { mode: user?.notifyMode ?? 'immediate', mailOn: notificationMailEnabled() };
}
