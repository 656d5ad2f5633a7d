import { describe, expect, it } from 'vitest';
import { CloseEvents, closeActionFor } from '../../lib/collab/protocol';
import { issueTicket, verifyTicket } from '../../lib/collab/ticket';
import { collabConfigFromEnv, COLLAB_DEFAULTS } from './config';
import { MalformedMessage, checkUpdate, parseClientMessage } from './messages';
import { isOriginAllowed, parseCollabTarget } from './upgrade-auth';

const ID = '6f1d2c3b-4a5e-4f60-8a7b-9c0d1e2f3a4b';

describe('collab path', () => {
  it('accepts only the canonical lowercase id, with an optional ticket', () => {
    expect(parseCollabTarget(`/collab/${ID}`)).toEqual({ documentId: ID, ticket: null });
    expect(parseCollabTarget(`/collab/${ID}?ticket=abc`)).toEqual({
      documentId: ID,
      ticket: 'abc',
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

describe('messages', () => {
  it('refuses malformed frames with a reason', () => {
    for (const frame of [[], [0x80], [7], [0, 0, 5, 1], [1, 0x80, 0x80, 0x80, 0x80, 0x10]]) {
      expect(() => parseClientMessage(new Uint8Array(frame))).toThrow(MalformedMessage);
    }
    expect(parseClientMessage(new Uint8Array([3]))).toEqual({ kind: 'queryAwareness' });
    expect(() => checkUpdate(new Uint8Array([0xff, 0xff, 0xff, 0x0f, 0]))).toThrow(
      MalformedMessage,
    );
  });
});

describe('close codes and config', () => {
  it('maps codes to client actions', () => {
    expect(closeActionFor(CloseEvents.unauthorized.code)).toBe('reauth');
    expect(closeActionFor(CloseEvents.unavailable.code)).toBe('retry');
    expect(closeActionFor(1006)).toBe('retry');
    // y-websocket stops reconnecting on 4400-4499: only terminal actions may live there.
    for (const spec of Object.values(CloseEvents)) {
      expect(spec.code >= 4400 && spec.code < 4500, spec.reason).toBe(spec.action !== 'retry');
    }
  });
  it('reads COLLAB_* with defaults', () => {
    const config = collabConfigFromEnv({ COLLAB_PERSIST_DEBOUNCE_MS: '50' });
    expect(config.persistDebounceMs).toBe(50);
    expect(config.maxMessageBytes).toBe(COLLAB_DEFAULTS.maxMessageBytes);
  });
});
