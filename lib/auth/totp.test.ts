import { describe, expect, it } from 'vitest';
import { matchTotpStep, newTotpSecret, totpCode, totpStep, totpUri } from './totp';
import { openTotpSecret, sealTotpSecret } from './totp-secret-box';

// RFC 6238 appendix B, SHA1 rows: the seed is the ASCII "12345678901234567890". The RFC prints
// 8-digit codes; a 6-digit code is the same HOTP value modulo 10^6, i.e. its last six digits.
const RFC_SECRET = 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ';
const RFC_VECTORS: Array<[number, string]> = [
  [59, '94287082'],
  [1111111109, '07081804'],
  [1111111111, '14050471'],
  [1234567890, '89005924'],
  [2000000000, '69279037'],
  [20000000000, '65353130'],
];

describe('TOTP (RFC 6238, SHA1, 30 s)', () => {
  it.each(RFC_VECTORS)('at %i s the code is the last six digits of %s', (seconds, rfc) => {
    expect(totpCode(RFC_SECRET, new Date(seconds * 1000))).toBe(rfc.slice(-6));
  });

  it('matches a code to its step, one step either side, and refuses others', () => {
    const at = new Date(1111111111 * 1000);
    const step = totpStep(at);
    expect(matchTotpStep(RFC_SECRET, '050471', at)).toBe(step);
    const previous = totpCode(RFC_SECRET, new Date(at.getTime() - 30_000));
    expect(matchTotpStep(RFC_SECRET, previous, at)).toBe(step - 1);
    const old = totpCode(RFC_SECRET, new Date(at.getTime() - 90_000));
    expect(matchTotpStep(RFC_SECRET, old, at)).toBeNull();
    expect(matchTotpStep(RFC_SECRET, '12345', at)).toBeNull();
    expect(matchTotpStep(RFC_SECRET, 'abcdef', at)).toBeNull();
    expect(matchTotpStep(RFC_SECRET, '050 471', at)).toBe(step);
  });

  it('makes 160-bit base32 secrets and an otpauth URI apps read', () => {
    const secret = newTotpSecret();
    expect(secret).toMatch(/^[A-Z2-7]{32}$/);
    const uri = new URL(totpUri(secret, 'ana@example.org'));
    expect(uri.protocol).toBe('otpauth:');
    expect(uri.host).toBe('totp');
    expect(uri.searchParams.get('secret')).toBe(secret);
    expect(uri.searchParams.get('digits')).toBe('6');
    expect(uri.searchParams.get('period')).toBe('30');
    expect(uri.searchParams.get('algorithm')).toBe('SHA1');
  });
});

describe('sealed TOTP secrets', () => {
  it('open with the same AUTH_SECRET only', () => {
    const box = sealTotpSecret(RFC_SECRET, 'secret-a');
    expect(box).not.toContain(RFC_SECRET);
    expect(openTotpSecret(box, 'secret-a')).toBe(RFC_SECRET);
    expect(openTotpSecret(box, 'secret-b')).toBeNull();
    expect(openTotpSecret('v1.garbage', 'secret-a')).toBeNull();
  });
});
