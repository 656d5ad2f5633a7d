import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { recordAudit } from '../../db/queries/audit';
import type { Database } from '../../db/client';
import { packageNewsFor, recordReviewEvent, type PackageNews } from '../../db/queries/review';
import type { LiveDocuments } from '../collab/live-documents';
import { AppError } from '../errors';
import {
  MAX_PACKAGE_LAYERS,
  type LayerPackage,
  type PackageActor,
  type PackageCommand,
  type PackageCommandResult,
  type PackageOutcomes,
} from '../framework';
import { MAX_REVIEW_REASON_LENGTH } from '../review/wire';
import { reviewActorOf, writerOf } from '../write-rules';
import { parseInput, requireFramework, type FrameworkTarget } from './access';
import { withoutRefusingGroups } from './second-factor-requirement';

/**
 * Packages of layers ("nothing is agreed until everything is agreed"). Owners only: the
 * permission matrix ('layer.agree') is checked here, and again by the command on the live
 * document (lib/framework/packages.ts), which holds every package rule. Each act is one command
 * (one transaction on the live document) and one review event, plus an audit entry.
 */

const layerIdSchema = z.string().min(1).max(100);
const packageIdSchema = z.string().min(1).max(100);

export const createPackageSchema = z.object({
  name: z.string().trim().min(1, 'Name the package.').max(200),
  layerIds: z
    .array(layerIdSchema)
    .min(2, 'A package links at least two layers.')
    .max(MAX_PACKAGE_LAYERS),
});
export const agreePackageSchema = z.object({ packageId: packageIdSchema });
export const reopenPackageSchema = z.object({
  packageId: packageIdSchema,
  layerId: layerIdSchema,
  reason: z.string().trim().min(3, 'Say why it is reopened.').max(MAX_REVIEW_REASON_LENGTH),
});
export const dissolvePackageSchema = z.object({ packageId: packageIdSchema });

type Done<C extends PackageCommand> = { ok: true } & PackageOutcomes[C['kind']];

async function ownerOf(db: Database, userId: string, target: FrameworkTarget) {
  const { membership, framework } = await requireFramework(db, userId, target, 'layer.agree');
  const actor: PackageActor = { userId, ...reviewActorOf(writerOf(membership.role, framework)) };
  return { framework, actor };
}

/**
 * Runs a package command, then records it; when the record cannot be written the command's
 * write is taken back, so the document never shows a package act the activity feed lacks.
 */
async function commandThenRecord<C extends PackageCommand>(
  db: Database,
  live: LiveDocuments,
  target: FrameworkTarget & { frameworkId: string },
  userId: string,
  command: C,
  where: string,
  event: (done: Done<C>) => {
    kind: string;
    layerId?: string;
    details: Record<string, string | string[] | null>;
  },
): Promise<Done<C>> {
  const result: PackageCommandResult<C> = await live.commands.package(target.frameworkId, command);
  if (!result.ok) throw new AppError(result.error, result.message, where);
  const done = result;
  try {
    const e = event(done);
    await db.transaction(async (tx) => {
      await recordReviewEvent(tx, {
        workspaceId: target.workspaceId,
        frameworkId: target.frameworkId,
        layerId: e.layerId ?? null,
        actorId: userId,
        kind: e.kind,
        details: e.details,
      });
      await recordAudit(tx, {
        workspaceId: target.workspaceId,
        actorId: userId,
        action: e.kind,
        targetType: 'framework',
        targetId: target.frameworkId,
        details: { package: done.package.name, packageId: done.package.id },
      });
    });
  } catch (error) {
    await live.commands.revertPackage(target.frameworkId, done.written).catch(() => undefined);
    throw error;
  }
  return done;
}

/** An owner groups layers into a named package (each layer in at most one). */
export async function createPackageAs(
  db: Database,
  live: LiveDocuments,
  userId: string,
  target: FrameworkTarget,
  input: unknown,
): Promise<LayerPackage> {
  const where = 'package.create';
  const { framework, actor } = await ownerOf(db, userId, target);
  const body = parseInput(createPackageSchema, input, where);
  const command = {
    kind: 'package.create' as const,
    packageId: randomUUID(),
    name: body.name,
    layerIds: body.layerIds,
    actor,
    now: new Date().toISOString(),
  };
  const done = await commandThenRecord(
    db,
    live,
    { workspaceId: target.workspaceId, frameworkId: framework.id },
    userId,
    command,
    where,
    (d) => ({
      kind: 'package.created',
      details: { packageId: d.package.id, name: d.package.name, layerIds: d.package.layerIds },
    }),
  );
  return done.package;
}

/** Owners agree the package in one act: every layer of it becomes agreed (one event). */
export async function agreePackageAs(
  db: Database,
  live: LiveDocuments,
  userId: string,
  target: FrameworkTarget,
  input: unknown,
): Promise<{ layerIds: string[] }> {
  const where = 'package.agree';
  const { framework, actor } = await ownerOf(db, userId, target);
  const body = parseInput(agreePackageSchema, input, where);
  const command = {
    kind: 'package.agree' as const,
    packageId: body.packageId,
    actor,
    now: new Date().toISOString(),
  };
  const done = await commandThenRecord(
    db,
    live,
    { workspaceId: target.workspaceId, frameworkId: framework.id },
    userId,
    command,
    where,
    (d) => ({
      kind: 'package.agreed',
      details: { packageId: d.package.id, name: d.package.name, layerIds: d.layerIds },
    }),
  );
  return { layerIds: done.layerIds };
}

/**
 * An owner reopens one layer of an agreed package, with a reason: it goes back to review and
 * every other layer of the package returns to agreed in package, live for everyone.
 */
export async function reopenPackageAs(
  db: Database,
  live: LiveDocuments,
  userId: string,
  target: FrameworkTarget,
  input: unknown,
): Promise<{ returned: string[] }> {
  const where = 'package.reopen';
  const { framework, actor } = await ownerOf(db, userId, target);
  const body = parseInput(reopenPackageSchema, input, where);
  const command = {
    kind: 'package.reopen' as const,
    packageId: body.packageId,
    layerId: body.layerId,
    reason: body.reason,
    actor,
    now: new Date().toISOString(),
  };
  const done = await commandThenRecord(
    db,
    live,
    { workspaceId: target.workspaceId, frameworkId: framework.id },
    userId,
    command,
    where,
    (d) => ({
      kind: 'package.reopened',
      layerId: body.layerId,
      details: {
        packageId: d.package.id,
        name: d.package.name,
        reason: body.reason,
        returned: d.returned,
      },
    }),
  );
  return { returned: done.returned };
}

/** An owner dissolves a package that is not agreed. */
export async function dissolvePackageAs(
  db: Database,
  live: LiveDocuments,
  userId: string,
  target: FrameworkTarget,
  input: unknown,
): Promise<{ returned: string[] }> {
  const where = 'package.dissolve';
  const { framework, actor } = await ownerOf(db, userId, target);
  const body = parseInput(dissolvePackageSchema, input, where);
  const command = { kind: 'package.dissolve' as const, packageId: body.packageId, actor };
  const done = await commandThenRecord(
    db,
    live,
    { workspaceId: target.workspaceId, frameworkId: framework.id },
    userId,
    command,
    where,
    (d) => ({
      kind: 'package.dissolved',
      details: { packageId: d.package.id, name: d.package.name, returned: d.returned },
    }),
  );
  return { returned: done.returned };
}

/** How far back the inbox lists package acts. */
export const PACKAGE_NEWS_DAYS = 30;

/** Packages agreed or reopened lately in the member's groups (their inbox lists them). */
export async function packageNewsOf(
  db: Database,
  userId: string,
  now = new Date(),
): Promise<PackageNews[]> {
  const since = new Date(now.getTime() - PACKAGE_NEWS_DAYS * 86_400_000);
  return withoutRefusingGroups(db, userId, await packageNewsFor(db, userId, since));
}
