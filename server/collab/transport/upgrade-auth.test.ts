import { describe, expect, it } from 'vitest';
import { issueTicket, verifyTicket } from '../../../lib/collab/ticket';
import { isOriginAllowed, parseCollabTarget } from './upgrade-auth';

const ID = '6f1d2c3b-4a5e-4f60-8a7b-9c0d1e2f3a4b';

describe('collab path', () => {
  it('accepts only the canonical lowercase id, with an optional ticket', () => {
    expect(parseCollabTarget(`/collab/${ID}`)).toEqual({
      documentId: ID,
      ticket: null,
      schemaVersion: null,
    });
    expect(parseCollabTarget(`/collab/${ID}?ticket=abc`)).toEqual({
      documentId: ID,
      ticket: 'abc',
      schemaVersion: null,
    });
    for (const bad of [
      `/collab/${ID.toUpperCase()}`,
      `/collab/${ID}/`,
      `/collab//${ID}`,
      `/collab/${ID}%00`,
    ]) {
      expect(parseCollabTarget(bad), bad).toBeNull();
    }
  });

  it('reads the schema version a client announces; anything but digits is NaN (refused)', () => {
    expect(parseCollabTarget(`/collab/${ID}?schema=3&ticket=t`)).toEqual({
      documentId: ID,
      ticket: 't',
      schemaVersion: 3,
    });
    for (const bad of ['', '3a', '-1', '1e3', '1234567']) {
      expect(parseCollabTarget(`/collab/${ID}?schema=${bad}`)?.schemaVersion, bad).toBeNaN();
    }
  });
});

describe('origin check', () => {
  it('allows same host, listed origins and no Origin; refuses others', () => {
    expect(isOriginAllowed('http://app.example:3000', 'app.example:3000', [])).toBe(true);
    expect(isOriginAllowed(undefined, 'app.example', [])).toBe(true);
    expect(
      isOriginAllowed('https://partner.example', 'app.example', ['https://partner.example']),
    ).toBe(true);
    expect(isOriginAllowed('https://evil.example', 'app.example', [])).toBe(false);
    expect(isOriginAllowed('null', 'app.example', [])).toBe(false);
  });
});

describe('tickets', () => {
  const claims = { userId: 'u', sessionId: 's', frameworkId: ID };
  it('round-trips and expires', () => {
    const now = Date.now();
    expect(verifyTicket(issueTicket(claims, 'k', now), ID, 'k', now)).toEqual(claims);
    expect(verifyTicket(issueTicket(claims, 'k', now - 61_000), ID, 'k', now)).toBeNull();
    expect(verifyTicket(issueTicket(claims, 'k', now), ID, 'other', now)).toBeNull();
    const [body, sig] = issueTicket(claims, 'k', now).split('.');
    expect(verifyTicket(`${body}x.${sig}`, ID, 'k', now)).toBeNull();
  });
});
