import type { Database } from '../../db/client';
import { createUser, findUserByEmail, updateUserName } from '../../db/queries/users';
import { hashPassword } from '../auth/password';
import { AppError } from '../errors';
import { displayNameSchema, firstIssue, signUpSchema } from '../validation';
import { badRequest } from './access';

/** Creates an account; a taken email is a clear "conflict", never a database error. */
export async function signUp(
  db: Database,
  input: { name: unknown; email: unknown; password: unknown },
): Promise<{ id: string; email: string; name: string }> {
  const parsed = signUpSchema.safeParse(input);
  if (!parsed.success) throw badRequest(firstIssue(parsed.error), 'account.signUp');
  const { name, email, password } = parsed.data;
  if (await findUserByEmail(db, email)) {
    throw new AppError('conflict', 'An account with this email already exists.', 'account.signUp');
  }
  const passwordHash = await hashPassword(password);
  try {
    const user = await createUser(db, { name, email, passwordHash });
    return { id: user.id, email: user.email, name: user.name };
  } catch (error) {
    // Two sign-ups racing for one email: the unique index decides.
    if (await findUserByEmail(db, email)) {
      throw new AppError(
        'conflict',
        'An account with this email already exists.',
        'account.signUp',
      );
    }
    throw error;
  }
}

export async function renameSelf(db: Database, userId: string, name: unknown): Promise<string> {
  const parsed = displayNameSchema.safeParse(name);
  if (!parsed.success) throw badRequest(firstIssue(parsed.error), 'account.rename');
  await updateUserName(db, userId, parsed.data);
  return parsed.data;
}
