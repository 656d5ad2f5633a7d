import { Secret, TOTP } from 'otpauth';

/**
 * The one TOTP profile the product uses: 6 digits, 30-second steps, HMAC-SHA1 (RFC 6238's default,
 * the only one every authenticator app reads from an otpauth:// URI).
 */
export const TOTP_DIGITS = 6;
export const TOTP_PERIOD_SECONDS = 30;
export const TOTP_ALGORITHM = 'SHA1';
/** Codes one step either side of now are accepted: clocks drift and people type slowly. */
const WINDOW_STEPS = 1;

const ISSUER = 'Briefing workspace';

/** A fresh random secret (160 bits, as RFC 4226 recommends), in base32. */
export function newTotpSecret(): string {
  return new Secret({ size: 20 }).base32;
}

function totpOf(secretBase32: string, label = ''): TOTP {
  return new TOTP({
    issuer: ISSUER,
    label,
    algorithm: TOTP_ALGORITHM,
    digits: TOTP_DIGITS,
    period: TOTP_PERIOD_SECONDS,
    secret: Secret.fromBase32(secretBase32),
  });
}

/** The otpauth:// URI an authenticator app reads (from the QR code or pasted). */
export function totpUri(secretBase32: string, accountName: string): string {
  return totpOf(secretBase32, accountName).toString();
}

/** The code for `at` (tests and the e2e compute codes the way an app would). */
export function totpCode(secretBase32: string, at: Date = new Date()): string {
  return totpOf(secretBase32).generate({ timestamp: at.getTime() });
}

/** The time step a moment falls in. */
export function totpStep(at: Date): number {
  return Math.floor(at.getTime() / 1000 / TOTP_PERIOD_SECONDS);
}

/**
 * The time step the code belongs to when it is valid around `at`, else null. The caller keeps the
 * last accepted step and refuses any step not after it, so a code is never accepted twice.
 */
export function matchTotpStep(secretBase32: string, code: string, at: Date): number | null {
  const token = code.replace(/\s+/g, '');
  if (!new RegExp(`^\\d{${TOTP_DIGITS}}$`).test(token)) return null;
  const delta = totpOf(secretBase32).validate({
    token,
    timestamp: at.getTime(),
    window: WINDOW_STEPS,
  });
  return delta === null ? null : totpStep(at) + delta;
}
