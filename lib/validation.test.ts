import { describe, expect, it } from 'vitest';
import {
  firstIssue,
  inviteSchema,
  passwordSchema,
  signUpSchema,
  delegationSchema,
} from './validation';

describe('validation', () => {
  it('normalises email and accepts a sound sign-up', () => {
    const parsed = signUpSchema.parse({
      name: '  Ana ',
      email: ' Ana@Example.ORG ',
      password: 'a long passphrase',
    });
    expect(parsed).toEqual({
      name: 'Ana',
      email: 'ana@example.org',
      password: 'a long passphrase',
    });
  });

  it('refuses weak passwords with a message a person understands', () => {
    const short = passwordSchema.safeParse('short');
    expect(short.success).toBe(false);
    if (!short.success) expect(firstIssue(short.error)).toBe('Use at least 10 characters.');
    const repetitive = passwordSchema.safeParse('aaaaaaaaaaaa');
    expect(repetitive.success).toBe(false);
    if (!repetitive.success)
      expect(firstIssue(repetitive.error)).toBe('Use a less repetitive password.');
  });

  it('refuses a malformed email and an empty name', () => {
    const result = signUpSchema.safeParse({
      name: ' ',
      email: 'not-an-email',
      password: 'a long passphrase',
    });
    expect(result.success).toBe(false);
    if (!result.success) {
      expect(result.error.issues.map((i) => i.message)).toEqual([
        'Enter your name.',
        'Enter a valid email address.',
      ]);
    }
  });

  it('bounds invite settings and coerces form strings', () => {
    expect(inviteSchema.parse({ role: 'editor', expiresInDays: '7', maxUses: '1' })).toEqual({
      role: 'editor',
      expiresInDays: 7,
      maxUses: 1,
    });
    expect(inviteSchema.safeParse({ role: 'admin', expiresInDays: 7, maxUses: 1 }).success).toBe(
      false,
    );
    expect(inviteSchema.safeParse({ role: 'viewer', expiresInDays: 365, maxUses: 1 }).success).toBe(
      false,
    );
    expect(inviteSchema.safeParse({ role: 'viewer', expiresInDays: 1, maxUses: 0 }).success).toBe(
      false,
    );
  });

  it('turns an empty delegation into none', () => {
    expect(delegationSchema.parse('  ')).toBeNull();
    expect(delegationSchema.parse(' France ')).toBe('France');
  });
});
