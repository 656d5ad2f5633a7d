import { AppError } from './errors';

/** Where a member turns the second factor on; the refusal links there. */
export const SECOND_FACTOR_SETTINGS_PATH = '/profile#second-factor';

export const SECOND_FACTOR_REQUIRED_MESSAGE =
  'This working group requires a second factor. Turn on a second factor in your profile, then come back.';

/** What the profile shows about the second factor. */
export type SecondFactorStatus =
  | { kind: 'single-sign-on' }
  | { kind: 'off' }
  | { kind: 'pending'; secret: string; uri: string }
  | { kind: 'on'; recoveryCodesLeft: number };

/** How a user stands with respect to a second factor. */
export type SecondFactorStanding = { hasPassword: boolean; totpEnabled: boolean };

/**
 * The group rule, composed once for pages, routes and the sync server: a group that requires a
 * second factor admits members with TOTP on, and members without a password (single sign-on
 * only: their identity provider is the factor). A password with no TOTP could open a session by
 * itself, so it does not meet the requirement, even on an account that can also use single
 * sign-on.
 */
export function meetsSecondFactorRequirement(
  required: boolean,
  standing: SecondFactorStanding,
): boolean {
  return !required || !standing.hasPassword || standing.totpEnabled;
}

/** The refusal for a member of a group that requires a second factor they do not have. */
export class SecondFactorRequired extends AppError {
  constructor(where?: string) {
    super('forbidden', SECOND_FACTOR_REQUIRED_MESSAGE, where);
    this.name = 'SecondFactorRequired';
  }
}

export function isSecondFactorRequired(error: unknown): error is SecondFactorRequired {
  return error instanceof SecondFactorRequired;
}
