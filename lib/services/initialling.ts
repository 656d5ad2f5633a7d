/**
 * Initialled versions: an owner freezes a named version for initialling, naming the delegations
 * that must initial it; a member of each such delegation initials it, for their delegation only,
 * with the content hash they were shown. Initials bind to the hash (lib/framework/canonical.ts):
 * a version whose stored state no longer gives the frozen hash is no longer the initialled text.
 */
import { z } from 'zod';
import type { Database } from '../../db/client';
import { recordAudit } from '../../db/queries/audit';
import {
  createInitialling,
  findInitialling,
  insertInitial,
  listInitials,
  overdueInitialling,
  setVersionHash,
} from '../../db/queries/initialling';
import { recordReviewEvent } from '../../db/queries/review';
import { findUserNames } from '../../db/queries/attribution';
import { findVersion } from '../../db/queries/versions';
import type { FrameworkVersion } from '../../db/schema';
import { AppError, forbidden, notFound } from '../errors';
import { partyIdOf, viewOfState, type FrameworkView } from '../framework';
import { contentHash } from '../framework/canonical';
import { uuidSchema } from '../validation';
import { actsFor, delegationActorOf } from '../write-rules';
import { parseInput, requireFramework, type FrameworkTarget } from './access';
import { withoutRefusingGroups } from './second-factor-requirement';

const HASH = /^[0-9a-f]{64}$/;

export const freezeInputSchema = z.object({
  /** Party ids; absent or empty: every party of the framework. */
  parties: z.array(z.string().max(200)).max(200).optional(),
  /** ISO 8601 date-time (UTC) after which missing initials are flagged; absent: none. */
  deadline: z.iso.datetime({ offset: true }).nullish(),
});

export const initialInputSchema = z.object({
  hash: z.string().regex(HASH, 'Send the 64-digit content hash you were shown.'),
});

/** One delegation's initials as shown (party name resolved). */
export interface InitialItem {
  party: string;
  partyName: string;
  name: string;
  userId: string | null;
  at: Date;
  hash: string;
}

/** Where initialling of a version stands. */
export interface InitiallingStatus {
  versionId: string;
  /** The hash of the version's stored state now. */
  hash: string;
  frozen: {
    hash: string;
    /** False when the stored state no longer gives the frozen hash: the initials are void. */
    intact: boolean;
    required: Array<{ id: string; name: string }>;
    initials: InitialItem[];
    /** Required delegations that have not initialled, in party order. */
    missing: Array<{ id: string; name: string }>;
    deadline: Date | null;
    frozenBy: string | null;
    frozenByName: string | null;
    frozenAt: Date;
  } | null;
}

const CONFLICT = (message: string, where: string) => new AppError('conflict', message, where);

async function loadVersion(
  db: Database,
  frameworkId: string,
  versionId: string,
  where: string,
): Promise<FrameworkVersion> {
  if (!uuidSchema.safeParse(versionId).success) throw notFound('Version', where);
  const version = await findVersion(db, frameworkId, versionId);
  if (!version) throw notFound('Version', where);
  return version;
}

/**
 * The hash of a version's stored state, written to the version row when it was missing or stale
 * (versions saved before hashes existed), so the verify page can find it by hash.
 */
export async function versionHashOf(
  db: Database,
  version: FrameworkVersion,
  view: FrameworkView = viewOfState(version.state),
): Promise<string> {
  const hash = contentHash(view);
  if (version.contentHash !== hash) await setVersionHash(db, version.id, hash);
  return hash;
}

/** Initialling status for a version already authorised (the view is of its stored state). */
export async function initiallingStatusOf(
  db: Database,
  version: FrameworkVersion,
  view: FrameworkView,
): Promise<InitiallingStatus> {
  const hash = await versionHashOf(db, version, view);
  const frozen = await findInitialling(db, version.id);
  if (!frozen) return { versionId: version.id, hash, frozen: null };
  const names = new Map(view.parties.map((p) => [p.id, p.name]));
  const partyName = (id: string) => names.get(id) ?? id;
  const initials = (await listInitials(db, version.id)).map((i): InitialItem => ({
    party: i.party,
    partyName: partyName(i.party),
    name: i.name,
    userId: i.userId,
    at: i.createdAt,
    hash: i.contentHash,
  }));
  const done = new Set(initials.map((i) => i.party));
  const required = frozen.requiredParties.map((id) => ({ id, name: partyName(id) }));
  const [owner] = frozen.frozenBy ? await findUserNames(db, [frozen.frozenBy]) : [];
  return {
    versionId: version.id,
    hash,
    frozen: {
      hash: frozen.contentHash,
      intact: frozen.contentHash === hash,
      required,
      initials,
      missing: required.filter((p) => !done.has(p.id)),
      deadline: frozen.deadline,
      frozenBy: frozen.frozenBy,
      frozenByName: owner?.name ?? null,
      frozenAt: frozen.frozenAt,
    },
  };
}

/** Initialling status of a version for any member who may read the framework. */
export async function readInitiallingAs(
  db: Database,
  userId: string,
  target: FrameworkTarget,
  versionId: string,
): Promise<InitiallingStatus> {
  const { framework } = await requireFramework(db, userId, target, 'framework.read');
  const version = await loadVersion(db, framework.id, versionId, 'version.initialling');
  return initiallingStatusOf(db, version, viewOfState(version.state));
}

/**
 * Freezes a named version for initialling (owners): stores its content hash and the delegations
 * that must initial (default: every party of the framework). A version is frozen once.
 */
export async function freezeVersionAs(
  db: Database,
  userId: string,
  target: FrameworkTarget,
  versionId: string,
  body: unknown,
): Promise<InitiallingStatus> {
  const where = 'version.freeze';
  const { framework } = await requireFramework(db, userId, target, 'version.freeze');
  const input = parseInput(freezeInputSchema, body ?? {}, where);
  const version = await loadVersion(db, framework.id, versionId, where);
  const view = viewOfState(version.state);
  const known = new Set(view.parties.map((p) => p.id));
  const asked = input.parties && input.parties.length > 0 ? input.parties : [...known];
  const unknown = asked.filter((p) => !known.has(p));
  if (unknown.length > 0) {
    throw new AppError('bad_request', `Not a party to this version: ${unknown.join(', ')}.`, where);
  }
  if (asked.length === 0) {
    throw new AppError('bad_request', 'This version names no parties to initial it.', where);
  }
  // Party order, each once.
  const required = view.parties.map((p) => p.id).filter((id) => asked.includes(id));
  const hash = await versionHashOf(db, version, view);
  const created = await createInitialling(db, {
    versionId: version.id,
    frameworkId: framework.id,
    contentHash: hash,
    requiredParties: required,
    deadline: input.deadline ? new Date(input.deadline) : null,
    frozenBy: userId,
  });
  if (!created) throw CONFLICT('This version is already frozen for initialling.', where);
  const details = { versionId: version.id, name: version.name, hash, parties: required };
  await recordAudit(db, {
    workspaceId: framework.workspaceId,
    actorId: userId,
    action: 'version.frozen',
    targetType: 'framework',
    targetId: framework.id,
    details: { ...details, parties: required.join(', ') },
  });
  await recordReviewEvent(db, {
    workspaceId: framework.workspaceId,
    frameworkId: framework.id,
    layerId: null,
    actorId: userId,
    kind: 'version.frozen',
    details,
  });
  return initiallingStatusOf(db, version, view);
}

/**
 * A member initials a frozen version for their own delegation, sending the hash they were shown.
 * Refused: no delegation or a role that may not act for it (lib/write-rules.ts), a version not
 * frozen, a delegation not asked, a second time, a hash that is not the frozen one, or a version
 * whose stored state no longer gives the frozen hash.
 */
export async function initialVersionAs(
  db: Database,
  userId: string,
  userName: string,
  target: FrameworkTarget,
  versionId: string,
  body: unknown,
): Promise<InitiallingStatus> {
  const where = 'version.initial';
  const { membership, framework } = await requireFramework(db, userId, target, 'framework.read');
  const input = parseInput(initialInputSchema, body, where);
  const actor = delegationActorOf(membership.role, framework, membership.delegation);
  const party = actor.delegation;
  if (!party || actsFor(actor, party, { chair: false }) !== 'member') {
    throw forbidden('Only a member of a delegation may initial, for that delegation.', where);
  }
  const version = await loadVersion(db, framework.id, versionId, where);
  const frozen = await findInitialling(db, version.id);
  if (!frozen) throw CONFLICT('This version is not frozen for initialling.', where);
  if (!frozen.requiredParties.includes(party)) {
    throw forbidden('Your delegation is not asked to initial this version.', where);
  }
  const view = viewOfState(version.state);
  if (contentHash(view) !== frozen.contentHash) {
    throw CONFLICT(
      'This version changed after it was frozen: it is no longer the text to initial.',
      where,
    );
  }
  if (input.hash !== frozen.contentHash) {
    throw CONFLICT(
      'The text you were shown is not the frozen text (the hashes differ): reload and check it again.',
      where,
    );
  }
  const inserted = await insertInitial(db, {
    versionId: version.id,
    party,
    userId,
    name: userName,
    contentHash: input.hash,
  });
  if (!inserted) throw CONFLICT('Your delegation has already initialled this version.', where);
  const details = { versionId: version.id, name: version.name, hash: input.hash, party };
  await recordAudit(db, {
    workspaceId: framework.workspaceId,
    actorId: userId,
    action: 'version.initialled',
    targetType: 'framework',
    targetId: framework.id,
    details,
  });
  await recordReviewEvent(db, {
    workspaceId: framework.workspaceId,
    frameworkId: framework.id,
    layerId: null,
    actorId: userId,
    kind: 'version.initialled',
    details,
  });
  return initiallingStatusOf(db, version, view);
}

/** A frozen version past its due date with initials missing, as the inbox shows it. */
export interface OverdueInitials {
  workspaceId: string;
  frameworkId: string;
  frameworkTitle: string;
  versionId: string;
  versionName: string;
  deadline: Date;
  /** Party ids still to initial. */
  missing: string[];
  /** True when the reader's own delegation is among them. */
  mine: boolean;
}

/**
 * Overdue initials for the inbox, like an overdue ad referendum: owners see every frozen version
 * of their groups past its date with initials missing; a delegation's member sees those where
 * their delegation's are.
 */
export async function overdueInitialsFor(
  db: Database,
  userId: string,
  now: Date = new Date(),
): Promise<OverdueInitials[]> {
  const out: OverdueInitials[] = [];
  for (const row of await withoutRefusingGroups(
    db,
    userId,
    await overdueInitialling(db, userId, now),
  )) {
    const done = new Set((await listInitials(db, row.initialling.versionId)).map((i) => i.party));
    const missing = row.initialling.requiredParties.filter((p) => !done.has(p));
    if (missing.length === 0) continue;
    const own = row.delegation ? partyIdOf(row.delegation) : null;
    const mine = own !== null && missing.includes(own);
    if (!mine && row.role !== 'owner') continue;
    out.push({
      workspaceId: row.workspaceId,
      frameworkId: row.initialling.frameworkId,
      frameworkTitle: row.frameworkTitle,
      versionId: row.initialling.versionId,
      versionName: row.versionName,
      deadline: row.initialling.deadline!,
      missing,
      mine,
    });
  }
  return out;
}
