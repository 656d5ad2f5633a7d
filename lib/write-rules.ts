/**
 * The write rules, each composed once here and used by pages, use cases (lib/services), the sync
 * server's authority and the UI alike. A rule the UI shows must be the rule the server enforces,
 * so nobody assembles them from the permission table and the framework's state by hand.
 */
import {
  TRANSITIONS,
  checkTransition,
  frozenBecause,
  packageTransitionRefusal,
  partyIdOf,
} from './framework';
import type { LayerGate, LayerPackage, LayerStatus, ReviewActor } from './framework';
import { can } from './permissions';
import type { Role } from './roles';

/** Who wants to write, as the rules see them: their role in the group, and the framework's state. */
export type Writer = { role: Role | null | undefined; archived: boolean };

/** A writer from a framework row as the database has it (archived = `archivedAt` set). */
export function writerOf(
  role: Role | null | undefined,
  framework: { archivedAt: Date | null },
): Writer {
  return { role, archived: framework.archivedAt !== null };
}

/**
 * May this member write this framework's content (edit the document, save or restore a version):
 * an editing role, and the framework not archived (archived frameworks are read-only for all).
 */
export function mayWriteContent(writer: Writer): boolean {
  return !writer.archived && can(writer.role, 'document.edit');
}

/** May this member agree and reopen layers (and so change agreed ones): owners, not archived. */
export function mayAgree(writer: Writer): boolean {
  return !writer.archived && can(writer.role, 'layer.agree');
}

/**
 * May this member change the content of a layer in this state: anyone who may write content,
 * unless the layer is frozen for everyone, owners included (agreed, or under silence).
 */
export function mayChangeLayer(writer: Writer, gate: LayerGate): boolean {
  return mayWriteContent(writer) && frozenBecause(gate) === null;
}

/** The acting member of the status workflow (checkTransition, review commands). */
export function reviewActorOf(writer: Writer): ReviewActor {
  return { canEdit: mayWriteContent(writer), canAgree: mayAgree(writer) };
}

/**
 * The statuses that may follow `from` for this actor: the ones the transition table
 * (lib/framework/review.ts, checked by the server on every status command) lets them choose.
 */
export function nextStatuses(
  from: LayerStatus,
  actor: ReviewActor,
  pkg?: LayerPackage,
): LayerStatus[] {
  return [...new Set(TRANSITIONS.filter((t) => t.from.includes(from)).map((t) => t.to))].filter(
    (to) => checkTransition(from, to, actor).ok && packageTransitionRefusal(pkg, from, to) === null,
  );
}

/** A member as a delegation's acts see them: the rules' writer, and the party they speak for. */
export type DelegationActor = Writer & { delegation: string | null };

/** A delegation actor from a membership row (its delegation is a party name, or null). */
export function delegationActorOf(
  role: Role | null | undefined,
  framework: { archivedAt: Date | null },
  delegation: string | null,
): DelegationActor {
  return { ...writerOf(role, framework), delegation: delegation ? partyIdOf(delegation) : null };
}

/**
 * How this member may act for `party` (a party id): as one of its members, as the chair entering
 * it on the delegation's behalf (stances only: `chair` says whether that is allowed here), or
 * not at all (null). Viewers, secretariat members without a delegation, and archived frameworks
 * get null.
 */
export function actsFor(
  actor: DelegationActor,
  party: string,
  options: { chair: boolean },
): 'member' | 'chair' | null {
  if (actor.archived) return null;
  if (actor.delegation === party && can(actor.role, 'delegation.act')) return 'member';
  if (options.chair && can(actor.role, 'delegation.chair')) return 'chair';
  return null;
}

/**
 * Who speaks when this member tables, co-sponsors or withdraws an amendment: their delegation
 * (any member but a viewer), or, for owners without one of their own, the chair. Null: nobody
 * (viewers, secretariat members without a delegation, archived frameworks).
 */
export function amendmentSpeakerOf(
  actor: DelegationActor,
): { as: 'member'; party: string } | { as: 'chair' } | null {
  if (actor.delegation && actsFor(actor, actor.delegation, { chair: false }) === 'member') {
    return { as: 'member', party: actor.delegation };
  }
  if (!actor.archived && can(actor.role, 'delegation.chair')) return { as: 'chair' };
  return null;
}
