import { describe, expect, it } from 'vitest';
import { CloseEvents, closeActionFor } from '../../lib/collab/protocol';
import { COLLAB_DEFAULTS, CollabConfigError, collabConfigFromEnv } from './config';

describe('collab config', () => {
  it('takes the defaults when nothing is set, and empty values count as unset', () => {
    expect(collabConfigFromEnv({})).toEqual(COLLAB_DEFAULTS);
    expect(collabConfigFromEnv({ COLLAB_MAX_MESSAGE_BYTES: '' })).toEqual(COLLAB_DEFAULTS);
  });

  it('reads whole numbers, including 0 where 0 means "none"', () => {
    const config = collabConfigFromEnv({
      COLLAB_MAX_MESSAGE_BYTES: '65536',
      COLLAB_PERSIST_DEBOUNCE_MS: '0',
      COLLAB_MAX_PENDING_BYTES: '0',
      COLLAB_MAX_FRAGMENTS: ' 16 ',
    });
    expect(config.maxMessageBytes).toBe(65536);
    expect(config.persistDebounceMs).toBe(0);
    expect(config.maxPendingBytes).toBe(0);
    expect(config.maxFragments).toBe(16);
  });

  it.each([
    ['COLLAB_MAX_MESSAGE_BYTES', 'x'],
    ['COLLAB_MAX_MESSAGE_BYTES', '2MB'],
    ['COLLAB_MAX_DOCUMENT_BYTES', '-1'],
    ['COLLAB_MESSAGES_PER_SECOND', '1.5'],
    ['COLLAB_MESSAGE_BURST', '1e3'],
    ['COLLAB_MAX_BUFFERED_BYTES', '0x100'],
    ['COLLAB_MAX_CONNECTIONS_PER_USER', '0'],
    ['COLLAB_AUTH_TIMEOUT_MS', 'NaN'],
    ['COLLAB_SYNC_TIMEOUT_MS', 'Infinity'],
    ['COLLAB_UNLOAD_IDLE_MS', '99999999999999999999'],
    ['COLLAB_REQUEST_HEAD_TIMEOUT_MS', 'soon'],
  ])('refuses %s=%s with an error naming the variable', (variable, value) => {
    const read = () => collabConfigFromEnv({ [variable]: value });
    expect(read).toThrow(CollabConfigError);
    expect(read).toThrow(variable);
  });

  it('reads the per-address pending cap, which may not exceed the global connection cap', () => {
    expect(collabConfigFromEnv({}).maxPendingPerAddress).toBe(256);
    expect(collabConfigFromEnv({ COLLAB_MAX_PENDING_PER_ADDRESS: '8' }).maxPendingPerAddress).toBe(
      8,
    );
    for (const value of ['0', '-3', 'many']) {
      expect(() => collabConfigFromEnv({ COLLAB_MAX_PENDING_PER_ADDRESS: value })).toThrow(
        'COLLAB_MAX_PENDING_PER_ADDRESS',
      );
    }
    expect(() =>
      collabConfigFromEnv({
        COLLAB_MAX_PENDING_PER_ADDRESS: '500',
        COLLAB_MAX_HTTP_CONNECTIONS: '100',
      }),
    ).toThrow('COLLAB_MAX_PENDING_PER_ADDRESS');
  });

  it('checks programmatic overrides too', () => {
    expect(() => collabConfigFromEnv({}, { maxMessageBytes: Number.NaN })).toThrow(
      'collab.maxMessageBytes',
    );
    expect(
      collabConfigFromEnv({ COLLAB_MAX_FRAGMENTS: '8' }, { maxFragments: 4 }).maxFragments,
    ).toBe(4);
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
