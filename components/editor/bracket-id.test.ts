import { afterEach, describe, expect, it } from 'vitest';
import { newBracketId } from './bracket-id';

describe('newBracketId', () => {
  const randomUUID = Object.getOwnPropertyDescriptor(Object.getPrototypeOf(crypto), 'randomUUID');
  afterEach(() => {
    if (randomUUID) Object.defineProperty(Object.getPrototypeOf(crypto), 'randomUUID', randomUUID);
  });

  it('works where crypto.randomUUID does not exist (a page on plain http from a LAN address)', () => {
    // Browsers leave randomUUID out of insecure contexts; getRandomValues stays.
    expect(randomUUID).toBeDefined();
    delete (Object.getPrototypeOf(crypto) as { randomUUID?: unknown }).randomUUID;
    expect('randomUUID' in crypto).toBe(false);
    const ids = new Set(Array.from({ length: 1_000 }, () => newBracketId()));
    expect(ids.size).toBe(1_000);
    for (const id of ids) expect(id).toMatch(/^b[0-9a-z]{12}$/);
  });
});
