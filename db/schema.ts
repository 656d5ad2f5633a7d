import { sql } from 'drizzle-orm';
import {
  bigserial,
  bigint,
  boolean,
  customType,
  index,
  integer,
  jsonb,
  pgEnum,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import type { ProposedCommitment, ProposedTrigger } from '../lib/framework/amendments';
import type { ProposalRun } from '../lib/framework/proposal-runs';
import { ROLES } from '../lib/roles';

const bytea = customType<{ data: Uint8Array; driverData: Uint8Array }>({
  dataType: () => 'bytea',
});

const createdAt = () => timestamp('created_at', { withTimezone: true }).notNull().defaultNow();

export const memberRole = pgEnum('member_role', ROLES);

export const users = pgTable(
  'users',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    email: text('email').notNull(),
    name: text('name').notNull(),
    /** Null for an account that signs in only through single sign-on. */
    passwordHash: text('password_hash'),
    /** IANA time zone the user reads times in; null: the browser's. */
    timeZone: text('time_zone'),
    /** How notification mails reach the user (lib/notifications/types.ts). */
    notifyMode: text('notify_mode', { enum: ['immediate', 'digest', 'off'] })
      .notNull()
      .default('immediate'),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex('users_email_key').on(sql`lower(${t.email})`)],
);
export type User = typeof users.$inferSelect;

/**
 * An identity at an OpenID Connect provider (its configured id and the subject it names the person
 * by) linked to a user. The subject, not the email, identifies the person on later sign-ins: an
 * email can change at the provider, the subject does not.
 */
export const ssoAccounts = pgTable(
  'sso_accounts',
  {
    provider: text('provider').notNull(),
    subject: text('subject').notNull(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    createdAt: createdAt(),
  },
  (t) => [
    primaryKey({ columns: [t.provider, t.subject] }),
    index('sso_accounts_user_idx').on(t.userId),
  ],
);
export type SsoAccount = typeof ssoAccounts.$inferSelect;

/** One row per signed-in browser: the session JWT names it, so signing out or removal revokes it. */
export const authSessions = pgTable(
  'auth_sessions',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    createdAt: createdAt(),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
    /** The browser's User-Agent at sign-in (bounded), so the sessions list can name the device. */
    userAgent: text('user_agent'),
    /** Last request seen with this session, refreshed at most every few minutes. */
    lastSeenAt: timestamp('last_seen_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('auth_sessions_user_idx').on(t.userId)],
);
export type AuthSession = typeof authSessions.$inferSelect;

/**
 * A password reset link sent by email: only the SHA-256 of its secret is kept. Single use
 * (`used_at`), short-lived (`expires_at`); a new password ends every other link of the user.
 */
export const passwordResetTokens = pgTable(
  'password_reset_tokens',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    tokenHash: text('token_hash').notNull(),
    createdAt: createdAt(),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
    usedAt: timestamp('used_at', { withTimezone: true }),
  },
  (t) => [
    uniqueIndex('password_reset_tokens_hash_key').on(t.tokenHash),
    index('password_reset_tokens_user_idx').on(t.userId),
  ],
);
export type PasswordResetToken = typeof passwordResetTokens.$inferSelect;

/**
 * Throttle events counted per key in a sliding window: failed sign-ins ("account:<email>|from:<address>",
 * "address:<address>") and sign-up attempts ("sign-up:address:<address>"). Pruned hourly.
 */
export const signInFailures = pgTable(
  'sign_in_failures',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    key: text('key').notNull(),
    createdAt: createdAt(),
  },
  (t) => [index('sign_in_failures_key_idx').on(t.key, t.createdAt)],
);

export const workspaces = pgTable('workspaces', {
  id: uuid('id').primaryKey().defaultRandom(),
  name: text('name').notNull(),
  createdBy: uuid('created_by').references(() => users.id, { onDelete: 'set null' }),
  createdAt: createdAt(),
  /** Members who sign in with a password must have a second factor (TOTP) to use this group. */
  requireSecondFactor: boolean('require_second_factor').notNull().default(false),
});
export type Workspace = typeof workspaces.$inferSelect;

export const memberships = pgTable(
  'memberships',
  {
    workspaceId: uuid('workspace_id')
      .notNull()
      .references(() => workspaces.id, { onDelete: 'cascade' }),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    role: memberRole('role').notNull(),
    /** The party this member speaks for (e.g. "France", "EU"); null when none. */
    delegation: text('delegation'),
    createdAt: createdAt(),
  },
  (t) => [
    primaryKey({ columns: [t.workspaceId, t.userId] }),
    index('memberships_user_idx').on(t.userId),
  ],
);
export type Membership = typeof memberships.$inferSelect;

export const invites = pgTable(
  'invites',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    workspaceId: uuid('workspace_id')
      .notNull()
      .references(() => workspaces.id, { onDelete: 'cascade' }),
    /** SHA-256 of the secret in the link; the secret itself is never stored. */
    tokenHash: text('token_hash').notNull(),
    role: memberRole('role').notNull(),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
    maxUses: integer('max_uses').notNull(),
    uses: integer('uses').notNull().default(0),
    createdBy: uuid('created_by').references(() => users.id, { onDelete: 'set null' }),
    createdAt: createdAt(),
    revokedAt: timestamp('revoked_at', { withTimezone: true }),
  },
  (t) => [
    uniqueIndex('invites_token_hash_key').on(t.tokenHash),
    index('invites_workspace_idx').on(t.workspaceId),
  ],
);
export type Invite = typeof invites.$inferSelect;

export const frameworks = pgTable(
  'frameworks',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    workspaceId: uuid('workspace_id')
      .notNull()
      .references(() => workspaces.id, { onDelete: 'cascade' }),
    title: text('title').notNull(),
    template: text('template').notNull().default('blank'),
    createdBy: uuid('created_by').references(() => users.id, { onDelete: 'set null' }),
    createdAt: createdAt(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
    archivedAt: timestamp('archived_at', { withTimezone: true }),
  },
  (t) => [index('frameworks_workspace_idx').on(t.workspaceId)],
);
export type Framework = typeof frameworks.$inferSelect;

/** Append-only Yjs update log of a framework document, with who sent each update. */
export const documentUpdates = pgTable(
  'document_updates',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    frameworkId: uuid('framework_id')
      .notNull()
      .references(() => frameworks.id, { onDelete: 'cascade' }),
    userId: uuid('user_id').references(() => users.id, { onDelete: 'set null' }),
    update: bytea('update').notNull(),
    createdAt: createdAt(),
  },
  (t) => [index('document_updates_framework_idx').on(t.frameworkId, t.id)],
);
export type DocumentUpdate = typeof documentUpdates.$inferSelect;

/** Compacted Yjs state of a framework: the merge of every update up to and including `upToUpdateId`. */
export const documentSnapshots = pgTable(
  'document_snapshots',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    frameworkId: uuid('framework_id')
      .notNull()
      .references(() => frameworks.id, { onDelete: 'cascade' }),
    state: bytea('state').notNull(),
    upToUpdateId: bigint('up_to_update_id', { mode: 'number' }).notNull(),
    createdAt: createdAt(),
  },
  (t) => [index('document_snapshots_framework_idx').on(t.frameworkId, t.upToUpdateId)],
);
export type DocumentSnapshot = typeof documentSnapshots.$inferSelect;

export const auditLog = pgTable(
  'audit_log',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    workspaceId: uuid('workspace_id')
      .notNull()
      .references(() => workspaces.id, { onDelete: 'cascade' }),
    actorId: uuid('actor_id').references(() => users.id, { onDelete: 'set null' }),
    action: text('action').notNull(),
    targetType: text('target_type').notNull(),
    targetId: text('target_id'),
    details: jsonb('details')
      .$type<Record<string, string | number | boolean | null>>()
      .notNull()
      .default({}),
    createdAt: createdAt(),
  },
  (t) => [index('audit_log_workspace_idx').on(t.workspaceId, t.createdAt)],
);
export type AuditEntry = typeof auditLog.$inferSelect;

/** Plain JSON details of a review event (what the activity feed shows). */
export type ReviewEventDetails = Record<string, string | number | boolean | null | string[]>;

/**
 * The review activity of a framework: every layer status change (who, when, from, to), silence
 * started/broken/expired, agreement overrides, and comment events. Append-only; the activity
 * feed reads it. A null actor is the server itself (e.g. silence expiry).
 */
export const reviewEvents = pgTable(
  'review_events',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    workspaceId: uuid('workspace_id')
      .notNull()
      .references(() => workspaces.id, { onDelete: 'cascade' }),
    frameworkId: uuid('framework_id')
      .notNull()
      .references(() => frameworks.id, { onDelete: 'cascade' }),
    layerId: text('layer_id'),
    actorId: uuid('actor_id').references(() => users.id, { onDelete: 'set null' }),
    kind: text('kind').notNull(),
    details: jsonb('details').$type<ReviewEventDetails>().notNull().default({}),
    createdAt: createdAt(),
  },
  (t) => [index('review_events_framework_idx').on(t.frameworkId, t.createdAt)],
);
export type ReviewEvent = typeof reviewEvents.$inferSelect;

/**
 * Running silence procedures, so the scheduler finds due ones without loading every document.
 * The document's statusDetail.silence stays the truth; this row is the index over it.
 */
export const layerSilences = pgTable(
  'layer_silences',
  {
    frameworkId: uuid('framework_id')
      .notNull()
      .references(() => frameworks.id, { onDelete: 'cascade' }),
    layerId: text('layer_id').notNull(),
    until: timestamp('until', { withTimezone: true }).notNull(),
    startedBy: uuid('started_by').references(() => users.id, { onDelete: 'set null' }),
    /** running | broken | expired | ended (status changed otherwise) */
    state: text('state').notNull().default('running'),
    createdAt: createdAt(),
  },
  (t) => [
    primaryKey({ columns: [t.frameworkId, t.layerId] }),
    index('layer_silences_due_idx').on(t.state, t.until),
  ],
);
export type LayerSilence = typeof layerSilences.$inferSelect;

/**
 * Agreements ad referendum awaiting capitals, so the scheduler flags overdue ones and inboxes
 * find them without loading documents. The document's statusDetail.adReferendum stays the
 * truth; this row is the index over it.
 */
export const adReferendumDeadlines = pgTable(
  'ad_referendum_deadlines',
  {
    frameworkId: uuid('framework_id')
      .notNull()
      .references(() => frameworks.id, { onDelete: 'cascade' }),
    layerId: text('layer_id').notNull(),
    /** The layer's title when it was agreed ad referendum (for inboxes). */
    layerTitle: text('layer_title').notNull().default(''),
    confirmBy: timestamp('confirm_by', { withTimezone: true }).notNull(),
    /** Party ids whose capitals have not confirmed yet. */
    pending: jsonb('pending').$type<string[]>().notNull().default([]),
    /** Party id -> name, as the framework named them (for inboxes). */
    partyNames: jsonb('party_names').$type<Record<string, string>>().notNull().default({}),
    /** open | overdue (flagged) | closed (agreed, or the status changed otherwise) */
    state: text('state').notNull().default('open'),
    createdAt: createdAt(),
  },
  (t) => [
    primaryKey({ columns: [t.frameworkId, t.layerId] }),
    index('ad_referendum_due_idx').on(t.state, t.confirmBy),
  ],
);
export type AdReferendumDeadline = typeof adReferendumDeadlines.$inferSelect;

/** Where a thread sits in a layer's narrative: Yjs relative positions, base64 of their JSON. */
export type CommentAnchor = { start: string; end: string };

/** A comment thread on a layer, optionally anchored to a passage of its narrative. */
export const commentThreads = pgTable(
  'comment_threads',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    frameworkId: uuid('framework_id')
      .notNull()
      .references(() => frameworks.id, { onDelete: 'cascade' }),
    layerId: text('layer_id').notNull(),
    anchor: jsonb('anchor').$type<CommentAnchor>(),
    /** The passage as it read when the thread started (shown when the passage is gone). */
    quote: text('quote'),
    createdBy: uuid('created_by').references(() => users.id, { onDelete: 'set null' }),
    createdAt: createdAt(),
    resolvedAt: timestamp('resolved_at', { withTimezone: true }),
    resolvedBy: uuid('resolved_by').references(() => users.id, { onDelete: 'set null' }),
  },
  (t) => [index('comment_threads_framework_idx').on(t.frameworkId, t.layerId)],
);
export type CommentThread = typeof commentThreads.$inferSelect;

export const comments = pgTable(
  'comments',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    threadId: uuid('thread_id')
      .notNull()
      .references(() => commentThreads.id, { onDelete: 'cascade' }),
    authorId: uuid('author_id').references(() => users.id, { onDelete: 'set null' }),
    body: text('body').notNull(),
    createdAt: createdAt(),
    editedAt: timestamp('edited_at', { withTimezone: true }),
    /** Deleted by its author: the body is cleared, the row stays so the thread reads in order. */
    deletedAt: timestamp('deleted_at', { withTimezone: true }),
    hiddenAt: timestamp('hidden_at', { withTimezone: true }),
    hiddenBy: uuid('hidden_by').references(() => users.id, { onDelete: 'set null' }),
  },
  (t) => [index('comments_thread_idx').on(t.threadId, t.createdAt)],
);
export type Comment = typeof comments.$inferSelect;

/** Members @mentioned in a comment (the inbox reads these). */
export const commentMentions = pgTable(
  'comment_mentions',
  {
    commentId: uuid('comment_id')
      .notNull()
      .references(() => comments.id, { onDelete: 'cascade' }),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
  },
  (t) => [
    primaryKey({ columns: [t.commentId, t.userId] }),
    index('comment_mentions_user_idx').on(t.userId),
  ],
);

/**
 * A named version: a separate copy of the document state at the moment it was saved ("v0.3 sent
 * to capitals"), so the live document keeps garbage collection on.
 */
export const frameworkVersions = pgTable(
  'framework_versions',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    frameworkId: uuid('framework_id')
      .notNull()
      .references(() => frameworks.id, { onDelete: 'cascade' }),
    name: text('name').notNull(),
    note: text('note').notNull().default(''),
    state: bytea('state').notNull(),
    createdBy: uuid('created_by').references(() => users.id, { onDelete: 'set null' }),
    createdAt: createdAt(),
    /**
     * SHA-256 of the canonical serialisation of the state (lib/framework/canonical.ts); written
     * when saved, or when first needed for versions saved before hashes existed.
     */
    contentHash: text('content_hash'),
  },
  (t) => [
    index('framework_versions_framework_idx').on(t.frameworkId, t.createdAt),
    index('framework_versions_hash_idx').on(t.contentHash),
  ],
);
export type FrameworkVersion = typeof frameworkVersions.$inferSelect;

/**
 * A named version frozen for initialling: the hash the delegations initial and which
 * delegations (party ids) must. Initials bind to the hash, not to the version's name.
 */
export const versionInitialling = pgTable('version_initialling', {
  versionId: uuid('version_id')
    .primaryKey()
    .references(() => frameworkVersions.id, { onDelete: 'cascade' }),
  frameworkId: uuid('framework_id')
    .notNull()
    .references(() => frameworks.id, { onDelete: 'cascade' }),
  contentHash: text('content_hash').notNull(),
  requiredParties: jsonb('required_parties').$type<string[]>().notNull(),
  /** Initials missing after this (UTC) are flagged in the inbox; null: no date set. */
  deadline: timestamp('deadline', { withTimezone: true }),
  /** When the scheduler queued the "initials overdue" notification (once per version). */
  overdueNotifiedAt: timestamp('overdue_notified_at', { withTimezone: true }),
  frozenBy: uuid('frozen_by').references(() => users.id, { onDelete: 'set null' }),
  frozenAt: createdAt(),
});
export type VersionInitialling = typeof versionInitialling.$inferSelect;

/** One delegation's initials on a frozen version: who, for which party, and the hash they saw. */
export const versionInitials = pgTable(
  'version_initials',
  {
    versionId: uuid('version_id')
      .notNull()
      .references(() => versionInitialling.versionId, { onDelete: 'cascade' }),
    party: text('party').notNull(),
    userId: uuid('user_id').references(() => users.id, { onDelete: 'set null' }),
    /** The person's name when they initialled (kept if the account goes). */
    name: text('name').notNull(),
    contentHash: text('content_hash').notNull(),
    createdAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.versionId, t.party] })],
);
export type VersionInitial = typeof versionInitials.$inferSelect;

/** Yjs id ranges by client id: flat [clock, length, ...] pairs (lib/framework/attribution.ts). */
export type StoredIdRanges = Record<string, number[]>;

/**
 * Who changed what, kept when compaction folds log rows into a snapshot (and deletes them):
 * per author, the Yjs ids the folded rows inserted and deleted. Written before the rows go, so
 * attribution outlives compaction; a compaction that is retried or skipped leaves a duplicate,
 * which is harmless (readers take the union). `user_id` null: the server's own changes.
 */
export const documentAttributions = pgTable(
  'document_attributions',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    frameworkId: uuid('framework_id')
      .notNull()
      .references(() => frameworks.id, { onDelete: 'cascade' }),
    userId: uuid('user_id').references(() => users.id, { onDelete: 'set null' }),
    inserted: jsonb('inserted').$type<StoredIdRanges>().notNull(),
    deleted: jsonb('deleted').$type<StoredIdRanges>().notNull(),
    /** The highest log row id folded in (for reading; not needed for correctness). */
    upToUpdateId: bigint('up_to_update_id', { mode: 'number' }).notNull(),
    createdAt: createdAt(),
  },
  (t) => [index('document_attributions_framework_idx').on(t.frameworkId)],
);
export type DocumentAttribution = typeof documentAttributions.$inferSelect;

/**
 * What an amendment changes: a passage of a layer's narrative, one structured field, a new
 * commitment or trigger row, or the removal of a commitment row or a trigger (jsonb: a new
 * kind needs no migration).
 */
export type StoredAmendmentTarget =
  | { kind: 'passage'; anchor: { start: string; end: string } }
  | {
      kind: 'row';
      item: 'commitment';
      row: ProposedCommitment;
    }
  | { kind: 'row'; item: 'trigger'; row: ProposedTrigger }
  | { kind: 'remove'; item: 'commitment' | 'trigger'; id: string }
  | { kind: 'field'; item: 'layer'; field: 'lead' }
  | {
      kind: 'field';
      item: 'commitment';
      id: string;
      field: 'party' | 'quantity' | 'unit' | 'conditions' | 'period';
    }
  | {
      kind: 'field';
      item: 'trigger';
      id: string;
      field: 'condition' | 'response' | 'deadlineHours';
    };

/**
 * Amendments: a delegation's proposed change to the common text, a record (not a hidden edit).
 * Numbered per framework in tabling order; the status moves tabled -> withdrawn | accepted |
 * rejected | superseded, once, by a conditional update (so two deciders cannot both win).
 * `party` null: tabled by the chair (a compromise, or an owner speaking for no delegation).
 */
export const amendments = pgTable(
  'amendments',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    workspaceId: uuid('workspace_id')
      .notNull()
      .references(() => workspaces.id, { onDelete: 'cascade' }),
    frameworkId: uuid('framework_id')
      .notNull()
      .references(() => frameworks.id, { onDelete: 'cascade' }),
    number: integer('number').notNull(),
    layerId: text('layer_id').notNull(),
    target: jsonb('target').$type<StoredAmendmentTarget>().notNull(),
    /** The text (or field value) the amendment was made against, as the document read then. */
    baseText: text('base_text').notNull(),
    proposedText: text('proposed_text').notNull(),
    /**
     * A passage's proposed wording with its formatting (bold, italic, links), the runs' texts
     * joined being proposed_text; null: plain wording (and every other target).
     */
    proposedRuns: jsonb('proposed_runs').$type<ProposalRun[]>(),
    justification: text('justification').notNull().default(''),
    party: text('party'),
    partyName: text('party_name'),
    tabledBy: uuid('tabled_by').references(() => users.id, { onDelete: 'set null' }),
    tabledByName: text('tabled_by_name').notNull().default(''),
    status: text('status').notNull().default('tabled'),
    decidedBy: uuid('decided_by').references(() => users.id, { onDelete: 'set null' }),
    decidedAt: timestamp('decided_at', { withTimezone: true }),
    decisionReason: text('decision_reason'),
    /** For a chair's compromise: the numbers of the amendments it supersedes. */
    compromiseOf: jsonb('compromise_of').$type<number[]>().notNull().default([]),
    supersededBy: integer('superseded_by'),
    /**
     * The party leading the layer when the amendment was tabled (null: none, or tabled before
     * this was kept): the lead delegation is told in its inbox.
     */
    layerLead: text('layer_lead'),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex('amendments_framework_number_idx').on(t.frameworkId, t.number),
    index('amendments_framework_layer_idx').on(t.frameworkId, t.layerId),
  ],
);
export type Amendment = typeof amendments.$inferSelect;

/** Delegations that co-sponsor an amendment (they join and leave until it is decided). */
export const amendmentSponsors = pgTable(
  'amendment_sponsors',
  {
    amendmentId: uuid('amendment_id')
      .notNull()
      .references(() => amendments.id, { onDelete: 'cascade' }),
    party: text('party').notNull(),
    partyName: text('party_name').notNull(),
    userId: uuid('user_id').references(() => users.id, { onDelete: 'set null' }),
    createdAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.amendmentId, t.party] })],
);
export type AmendmentSponsor = typeof amendmentSponsors.$inferSelect;

/**
 * A user's TOTP authenticator. The secret is encrypted with a key derived from AUTH_SECRET
 * (lib/auth/totp-secret-box.ts). `enabledAt` null: enrolment started, not yet confirmed by a code.
 * `lastUsedStep` is the 30-second step of the last accepted code, so no code is accepted twice.
 */
export const totpAuthenticators = pgTable('totp_authenticators', {
  userId: uuid('user_id')
    .primaryKey()
    .references(() => users.id, { onDelete: 'cascade' }),
  secretBox: text('secret_box').notNull(),
  enabledAt: timestamp('enabled_at', { withTimezone: true }),
  lastUsedStep: bigint('last_used_step', { mode: 'number' }),
  createdAt: createdAt(),
});
export type TotpAuthenticator = typeof totpAuthenticators.$inferSelect;

/** Single-use recovery codes, stored as SHA-256 hashes (they are random, so no slow hash needed). */
export const totpRecoveryCodes = pgTable(
  'totp_recovery_codes',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    codeHash: text('code_hash').notNull(),
    usedAt: timestamp('used_at', { withTimezone: true }),
  },
  (t) => [uniqueIndex('totp_recovery_codes_user_hash_key').on(t.userId, t.codeHash)],
);

/**
 * A sign-in whose password was right and whose second step is pending: the browser holds the
 * token (in an httpOnly cookie), the row holds its hash. Short-lived, consumed on success, and
 * dropped after a few wrong codes.
 */
export const signInChallenges = pgTable(
  'sign_in_challenges',
  {
    tokenHash: text('token_hash').primaryKey(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    /** The failure-count key of the password step, so wrong codes share its throttle. */
    throttleKey: text('throttle_key').notNull(),
    attempts: integer('attempts').notNull().default(0),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
  },
  (t) => [index('sign_in_challenges_user_idx').on(t.userId)],
);

/**
 * The mail outbox: one row per recipient and event, written in the transaction of the act it
 * reports (only when mail is configured), sent by the notification sender loop. A row is claimed
 * for a short lease before sending, so instances never send it twice while the lease runs, and
 * an SMTP failure puts it back with a later `next_attempt_at`.
 */
export const notifications = pgTable(
  'notifications',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    workspaceId: uuid('workspace_id')
      .notNull()
      .references(() => workspaces.id, { onDelete: 'cascade' }),
    frameworkId: uuid('framework_id')
      .notNull()
      .references(() => frameworks.id, { onDelete: 'cascade' }),
    kind: text('kind').notNull(),
    /** What the mail says (lib/notifications/types.ts NotificationPayload), fixed at the event. */
    payload: jsonb('payload').$type<Record<string, unknown>>().notNull(),
    createdAt: createdAt(),
    nextAttemptAt: timestamp('next_attempt_at', { withTimezone: true }).notNull().defaultNow(),
    attempts: integer('attempts').notNull().default(0),
    claimedUntil: timestamp('claimed_until', { withTimezone: true }),
    /** Set when done: sent, or dropped (see `outcome`). */
    doneAt: timestamp('done_at', { withTimezone: true }),
    /** sent | off | no_access | failed */
    outcome: text('outcome'),
  },
  (t) => [
    index('notifications_pending_idx')
      .on(t.nextAttemptAt)
      .where(sql`${t.doneAt} is null`),
    index('notifications_user_idx').on(t.userId),
  ],
);
export type NotificationRow = typeof notifications.$inferSelect;
