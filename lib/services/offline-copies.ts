import { z } from 'zod';
import type { Database } from '../../db/client';
import { rolesOnFrameworks } from '../../db/queries/frameworks';
import { can } from '../permissions';
import { uuidSchema } from '../validation';
import { parseInput } from './access';

/** Most offline copies one request asks about (a browser holds one per framework edited). */
export const MAX_OFFLINE_COPIES_ASKED = 500;

const askSchema = z.object({
  frameworkIds: z.array(uuidSchema).max(MAX_OFFLINE_COPIES_ASKED),
});

/**
 * Of the frameworks a browser keeps offline copies of for me, those I may still read: the browser
 * deletes the others (removed from the group, or the framework deleted, while no page of it was
 * open). Unknown and foreign ids are simply not kept, so the answer tells nothing about them.
 */
export async function offlineCopiesToKeep(
  db: Database,
  userId: string,
  input: unknown,
): Promise<string[]> {
  const { frameworkIds } = parseInput(askSchema, input, 'offline-copies');
  const roles = await rolesOnFrameworks(db, userId, [...new Set(frameworkIds)]);
  return roles.filter((r) => can(r.role, 'framework.read')).map((r) => r.frameworkId);
}
