import type { Database } from '../../db/client';
import { findFrameworkInWorkspace } from '../../db/queries/frameworks';
import { findGroupSecondFactorGate } from '../../db/queries/second-factor';
import { findMembership } from '../../db/queries/workspaces';
import type { Framework, Membership } from '../../db/schema';
import { AppError, forbidden, notFound } from '../errors';
import { can, type Action } from '../permissions';
import { meetsSecondFactorRequirement, SecondFactorRequired } from '../second-factor';
import { mayWriteContent, writerOf } from '../write-rules';
import type { z } from 'zod';
import { firstIssue, uuidSchema } from '../validation';

/** A framework as the routes name it: its group and its id. */
export type FrameworkTarget = { workspaceId: string; frameworkId: string };

/**
 * The caller's membership when they may take `action` in the group. A non-member gets "not found"
 * whatever the id, so group and framework ids leak nothing to outsiders.
 */
export async function requireMember(
  db: Database,
  userId: string,
  workspaceId: string,
  action: Action,
): Promise<Membership> {
  if (!uuidSchema.safeParse(workspaceId).success) throw notFound('Working group', action);
  const membership = await findMembership(db, workspaceId, userId);
  if (!membership) throw notFound('Working group', action);
  // The one place group access is decided for pages and routes, so the group's second-factor
  // rule (lib/second-factor.ts) is composed here; the sync server composes the same rule.
  const { required, ...standing } = await findGroupSecondFactorGate(db, workspaceId, userId);
  if (!meetsSecondFactorRequirement(required, standing)) throw new SecondFactorRequired(action);
  if (!can(membership.role, action)) throw forbidden(undefined, action);
  return membership;
}

/**
 * The framework a route names (group and id) when the caller may take `action` on it, with their
 * membership; "not found" for non-members and unknown ids, "forbidden" for a member without the
 * right.
 */
export async function requireFramework(
  db: Database,
  userId: string,
  { workspaceId, frameworkId }: FrameworkTarget,
  action: Action,
): Promise<{ membership: Membership; framework: Framework }> {
  const membership = await requireMember(db, userId, workspaceId, 'framework.read');
  if (!uuidSchema.safeParse(frameworkId).success) throw notFound('Framework', action);
  const framework = await findFrameworkInWorkspace(db, workspaceId, frameworkId);
  if (!framework) throw notFound('Framework', action);
  if (!can(membership.role, action)) throw forbidden(undefined, action);
  return { membership, framework };
}

export function badRequest(message: string, where?: string): AppError {
  return new AppError('bad_request', message, where);
}

/** `input` checked against `schema`, or "bad request" with the first problem found. */
export function parseInput<T>(schema: z.ZodType<T>, input: unknown, where: string): T {
  const result = schema.safeParse(input);
  if (!result.success) throw badRequest(firstIssue(result.error), where);
  return result.data;
}

/**
 * A framework whose content the caller may write (lib/write-rules.ts: an editing role, and not
 * archived), for use cases that change content outside the document (saving, restoring).
 */
export async function requireContentWriter(
  db: Database,
  userId: string,
  target: FrameworkTarget,
  where: string,
): Promise<{ membership: Membership; framework: Framework }> {
  const found = await requireFramework(db, userId, target, 'document.edit');
  if (!mayWriteContent(writerOf(found.membership.role, found.framework))) {
    throw forbidden('This framework is archived: restore it from the archive to change it.', where);
  }
  return found;
}
