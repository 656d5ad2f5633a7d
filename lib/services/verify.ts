/**
 * The verify page's use case: an exported file or a pasted hash, and which saved version of
 * which framework it is (among the groups the caller belongs to), with who initialled it.
 */
import { z } from 'zod';
import type { Database } from '../../db/client';
import { findVersionsByHash } from '../../db/queries/initialling';
import { findVersion } from '../../db/queries/versions';
import { listWorkspacesForUser } from '../../db/queries/workspaces';
import { AppError, forbidden } from '../errors';
import type { ExportFormat } from '../export';
import { checkCopy } from '../export/verification';
import { viewOfState } from '../framework';
import { contentHash } from '../framework/canonical';
import { parseInput } from './access';
import { initiallingStatusOf, type InitiallingStatus } from './initialling';

/** Largest file the verify page reads (a 30-layer PDF is under 1 MB). */
export const MAX_VERIFY_BYTES = 15 * 1024 * 1024;

export const verifyInputSchema = z.union([
  z.object({
    hash: z
      .string()
      .trim()
      .toLowerCase()
      .transform((h) => h.replace(/\s+/g, ''))
      .pipe(z.string().regex(/^[0-9a-f]{64}$/, 'A content hash is 64 hexadecimal digits.')),
  }),
  z.object({
    /** The file, base64 (the JSON API takes JSON bodies only). */
    file: z.string().max(Math.ceil((MAX_VERIFY_BYTES * 4) / 3) + 4, 'That file is too large.'),
  }),
]);

export interface VerifyMatch {
  workspaceId: string;
  frameworkId: string;
  frameworkTitle: string;
  versionId: string;
  versionName: string;
  savedAt: Date;
  initialling: InitiallingStatus['frozen'];
}

export interface VerifyResult {
  checked: 'file' | 'hash';
  format: ExportFormat | null;
  /** The hash recomputed from the file's content (or the one pasted); null when unreadable. */
  hash: string | null;
  /** Why the file does not verify, before any look-up; null when its content checks out. */
  problem: null | 'no_manifest' | 'bad_manifest' | 'text_differs';
  /** A copy of agreed layers only (the hash is still of the whole version). */
  agreedOnly: boolean;
  /** Saved versions with this content, in the caller's groups; empty: it matches nothing. */
  matches: VerifyMatch[];
}

async function lookUp(db: Database, userId: string, hash: string): Promise<VerifyMatch[]> {
  const found = await findVersionsByHash(db, userId, hash);
  const matches: VerifyMatch[] = [];
  for (const row of found) {
    const version = await findVersion(db, row.frameworkId, row.versionId);
    if (!version) continue;
    const view = viewOfState(version.state);
    // The stored hash is an index; the state decides (a version changed since is not a match).
    if (contentHash(view) !== hash) continue;
    const status = await initiallingStatusOf(db, version, view);
    matches.push({
      workspaceId: row.workspaceId,
      frameworkId: row.frameworkId,
      frameworkTitle: view.title || row.frameworkTitle,
      versionId: row.versionId,
      versionName: row.versionName,
      savedAt: row.createdAt,
      initialling: status.frozen,
    });
  }
  return matches;
}

/** Verifies a file or a hash for a member of at least one group. */
export async function verifyAs(db: Database, userId: string, body: unknown): Promise<VerifyResult> {
  const where = 'verify';
  if ((await listWorkspacesForUser(db, userId)).length === 0) {
    throw forbidden('The verify page is for members of a working group.', where);
  }
  const input = parseInput(verifyInputSchema, body, where);
  if ('hash' in input) {
    return {
      checked: 'hash',
      format: null,
      hash: input.hash,
      problem: null,
      agreedOnly: false,
      matches: await lookUp(db, userId, input.hash),
    };
  }
  const bytes = Buffer.from(input.file, 'base64');
  if (bytes.length === 0) throw new AppError('bad_request', 'Choose a file to verify.', where);
  if (bytes.length > MAX_VERIFY_BYTES)
    throw new AppError('bad_request', 'That file is too large.', where);
  const check = await checkCopy(bytes);
  if (!check.ok) {
    return {
      checked: 'file',
      format: check.format,
      hash: check.hash,
      problem: check.reason,
      agreedOnly: false,
      matches: [],
    };
  }
  return {
    checked: 'file',
    format: check.format,
    hash: check.hash,
    problem: null,
    agreedOnly: check.manifest.agreedOnly,
    matches: await lookUp(db, userId, check.hash),
  };
}
