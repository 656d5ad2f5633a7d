import { describe, expect, it } from 'vitest';
import { checkUpdate } from '../document/update-check';
import { MalformedMessage, parseClientMessage } from './framing';

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
