import { z } from 'zod';
import { MIN_PASSWORD_LENGTH } from './password-rules';
import { ROLES } from './roles';

/** Validation shared by forms, server actions, route handlers and tests. */
export const emailSchema = z
  .string()
  .trim()
  .toLowerCase()
  .max(254, 'Email is too long.')
  .email('Enter a valid email address.');

export const passwordSchema = z
  .string()
  .min(MIN_PASSWORD_LENGTH, `Use at least ${MIN_PASSWORD_LENGTH} characters.`)
  .max(200, 'Use at most 200 characters.')
  .refine((p) => new Set(p).size >= 5, 'Use a less repetitive password.');

export const displayNameSchema = z
  .string()
  .trim()
  .min(1, 'Enter your name.')
  .max(80, 'Use at most 80 characters.');

export const signUpSchema = z.object({
  name: displayNameSchema,
  email: emailSchema,
  password: passwordSchema,
});

export const signInSchema = z.object({
  email: emailSchema,
  password: z.string().min(1, 'Enter your password.').max(200),
});

export const workspaceNameSchema = z
  .string()
  .trim()
  .min(1, 'Enter a name for the group.')
  .max(120, 'Use at most 120 characters.');

export const frameworkTitleSchema = z
  .string()
  .trim()
  .min(1, 'Enter a title.')
  .max(200, 'Use at most 200 characters.');

export const roleSchema = z.enum(ROLES, { message: 'Choose a role.' });

export const delegationSchema = z
  .string()
  .trim()
  .max(80, 'Use at most 80 characters.')
  .transform((d) => (d === '' ? null : d));

export const inviteSchema = z.object({
  role: roleSchema,
  expiresInDays: z.coerce.number().int().min(1).max(30),
  maxUses: z.coerce.number().int().min(1).max(100),
});

export const uuidSchema = z.string().uuid();

/** The first message of a failed parse, for showing next to a form. */
export function firstIssue(error: z.ZodError): string {
  return error.issues[0]?.message ?? 'Invalid input.';
}
