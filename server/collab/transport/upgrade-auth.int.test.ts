import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DatabaseHandle } from '../../../db/client';
import { deleteAuthSession } from '../../../db/queries/users';
import { openTestDatabase, testDatabaseConfigs } from '../../../db/testing';
import { issueTicket } from '../../../lib/collab/ticket';
import {
  TEST_SECRET,
  createTestFramework,
  createTestUser,
  openRawSocket,
  rawUpgradeStatus,
  startTestServer,
  stopTestServer,
  type TestServer,
  type TestUser,
} from '../testing/test-support';

async function refusalStatus(promise: Promise<{ close(): void }>): Promise<number | 'open'> {
  try {
    const ws = await promise;
    ws.close();
    return 'open';
  } catch (error) {
    return (error as { status?: number }).status ?? -1;
  }
}

describe.each(testDatabaseConfigs())('upgrade authorisation on $name', ({ config }) => {
  let handle: DatabaseHandle;
  let server: TestServer;
  let owner: TestUser;
  let outsider: TestUser;
  let frameworkId: string;

  beforeAll(async () => {
    handle = await openTestDatabase(config);
    server = await startTestServer(handle.db, {}, ['https://partner.example']);
    owner = await createTestUser(handle.db, 'Owner');
    outsider = await createTestUser(handle.db, 'Outsider');
    ({ frameworkId } = await createTestFramework(handle.db, owner));
  });
  afterAll(async () => {
    await stopTestServer(server);
    await handle.close();
  });

  it('accepts a member with a session cookie, with or without a same-host Origin', async () => {
    const url = `${server.url}/${frameworkId}`;
    expect(await refusalStatus(openRawSocket(url, owner))).toBe('open');
    const origin = `http://127.0.0.1:${server.port}`;
    expect(await refusalStatus(openRawSocket(url, owner, { origin }))).toBe('open');
    expect(
      await refusalStatus(openRawSocket(url, owner, { origin: 'https://partner.example' })),
    ).toBe('open');
  });

  it('refuses no session with 401 before the upgrade', async () => {
    expect(await refusalStatus(openRawSocket(`${server.url}/${frameworkId}`, null))).toBe(401);
    const forged = { ...owner, cookie: 'authjs.session-token=not-a-jwt' };
    expect(await refusalStatus(openRawSocket(`${server.url}/${frameworkId}`, forged))).toBe(401);
  });

  it('refuses a malformed session cookie with 401, not a server error', async () => {
    // Issue 19, finding 12: a bad percent-escape made decodeURIComponent throw (500).
    for (const value of ['%E0%A4%A', '%', 'abc%zz']) {
      const status = await rawUpgradeStatus(server.port, `/collab/${frameworkId}`, {
        cookie: `authjs.session-token=${value}`,
      });
      expect(status, value).toBe(401);
    }
    // A malformed cookie of another name does not spoil the session cookie beside it.
    expect(
      await rawUpgradeStatus(server.port, `/collab/${frameworkId}`, {
        cookie: `other=%; ${owner.cookie}`,
      }),
    ).toBe(101);
  });

  it('refuses a signed-out session (the JWT alone is not enough)', async () => {
    const user = await createTestUser(handle.db, 'Leaver');
    const { frameworkId: own } = await createTestFramework(handle.db, user);
    await deleteAuthSession(handle.db, user.sessionId);
    expect(await refusalStatus(openRawSocket(`${server.url}/${own}`, user))).toBe(401);
  });

  it('refuses a cross-site Origin with 403', async () => {
    const status = await refusalStatus(
      openRawSocket(`${server.url}/${frameworkId}`, owner, { origin: 'https://evil.example' }),
    );
    expect(status).toBe(403);
    expect(
      await refusalStatus(openRawSocket(`${server.url}/${frameworkId}`, owner, { origin: 'null' })),
    ).toBe(403);
  });

  it('answers a non-member and a missing document alike with 404', async () => {
    expect(await refusalStatus(openRawSocket(`${server.url}/${frameworkId}`, outsider))).toBe(404);
    const missing = '00000000-0000-4000-8000-000000000000';
    expect(await refusalStatus(openRawSocket(`${server.url}/${missing}`, owner))).toBe(404);
  });

  it('matches the document id exactly: no case, slash, encoding or dot tricks', async () => {
    const variants = [
      frameworkId.toUpperCase(),
      `${frameworkId}/`,
      `${frameworkId}%2F`,
      `x/../${frameworkId}`,
      `%2e%2e/${frameworkId}`,
      `${frameworkId}%00`,
      encodeURIComponent(frameworkId).replace('-', '%2D'),
      `%20${frameworkId}`,
      `${frameworkId}?ticket=x&ticket=y#`,
    ];
    const headers = { cookie: owner.cookie };
    expect(await rawUpgradeStatus(server.port, `/collab/${frameworkId}`, headers)).toBe(101);
    for (const variant of variants) {
      const status = await rawUpgradeStatus(server.port, `/collab/${variant}`, headers);
      expect(status, variant).toBe(404);
    }
  });

  it('accepts a valid ticket and refuses expired, foreign or tampered ones', async () => {
    const url = `${server.url}/${frameworkId}`;
    const claims = { userId: owner.id, sessionId: owner.sessionId, frameworkId };
    const ticket = issueTicket(claims, TEST_SECRET);
    expect(await refusalStatus(openRawSocket(`${url}?ticket=${ticket}`, null))).toBe('open');
    const expired = issueTicket(claims, TEST_SECRET, Date.now() - 120_000);
    expect(await refusalStatus(openRawSocket(`${url}?ticket=${expired}`, null))).toBe(401);
    const otherDoc = issueTicket(
      { ...claims, frameworkId: '00000000-0000-4000-8000-000000000000' },
      TEST_SECRET,
    );
    expect(await refusalStatus(openRawSocket(`${url}?ticket=${otherDoc}`, null))).toBe(401);
    const wrongKey = issueTicket(claims, 'another-secret');
    expect(await refusalStatus(openRawSocket(`${url}?ticket=${wrongKey}`, null))).toBe(401);
    // A ticket for a non-member is signed but still authorised from the database.
    const outsiderTicket = issueTicket(
      { userId: outsider.id, sessionId: outsider.sessionId, frameworkId },
      TEST_SECRET,
    );
    expect(await refusalStatus(openRawSocket(`${url}?ticket=${outsiderTicket}`, null))).toBe(404);
  });
});
