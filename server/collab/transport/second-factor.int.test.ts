import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DatabaseHandle } from '../../../db/client';
import {
  enableTotp,
  savePendingTotp,
  setGroupSecondFactorRequirement,
} from '../../../db/queries/second-factor';
import { openTestDatabase, testDatabaseConfigs } from '../../../db/testing';
import { newTotpSecret } from '../../../lib/auth/totp';
import { sealTotpSecret } from '../../../lib/auth/totp-secret-box';
import { CloseEvents } from '../../../lib/collab/protocol';
import {
  closeOf,
  createTestFramework,
  createTestUser,
  openRawSocket,
  startTestServer,
  stopTestServer,
  type TestServer,
  type TestUser,
} from '../testing/test-support';

const SECRET = 'sync-server-second-factor-test';

/** TOTP on, straight in the database (the enrolment use case is tested in lib/services). */
async function turnOnTotp(db: DatabaseHandle['db'], user: TestUser): Promise<void> {
  await savePendingTotp(db, user.id, sealTotpSecret(newTotpSecret(), SECRET));
  await enableTotp(db, {
    userId: user.id,
    recoveryCodeHashes: ['unused'],
    keepSessionId: user.sessionId,
  });
}

async function refusal(promise: Promise<{ close(): void }>): Promise<number | 'open'> {
  try {
    (await promise).close();
    return 'open';
  } catch (error) {
    return (error as { status?: number }).status ?? -1;
  }
}

/** A group's second-factor requirement, decided by the same rule at the upgrade and re-check. */
describe.each(testDatabaseConfigs())(
  'second-factor requirement in the sync server on $name',
  ({ config }) => {
    let handle: DatabaseHandle;
    let server: TestServer;

    beforeAll(async () => {
      handle = await openTestDatabase(config);
      server = await startTestServer(handle.db);
    });
    afterAll(async () => {
      await stopTestServer(server);
      await handle.close();
    });

    it('refuses a raw client without TOTP and closes its open socket; admits it once enrolled', async () => {
      const owner = await createTestUser(handle.db, 'Owner');
      const member = await createTestUser(handle.db, 'Member');
      await turnOnTotp(handle.db, owner);
      const { workspaceId, frameworkId } = await createTestFramework(handle.db, owner, [
        [member, 'editor'],
      ]);
      const url = `${server.url}/${frameworkId}`;
      const open = await openRawSocket(url, member);
      const closed = closeOf(open);

      // As if an owner switched it on in another process: the periodic re-check closes the socket.
      await setGroupSecondFactorRequirement(handle.db, workspaceId, true);
      await server.collab.recheckAccess();
      expect(await closed).toEqual({
        code: CloseEvents.secondFactorRequired.code,
        reason: CloseEvents.secondFactorRequired.reason,
      });

      // A new upgrade is refused before any document byte; the owner with TOTP still gets in.
      expect(await refusal(openRawSocket(url, member))).toBe(403);
      expect(await refusal(openRawSocket(url, owner))).toBe('open');

      await turnOnTotp(handle.db, member);
      expect(await refusal(openRawSocket(url, member))).toBe('open');
    });

    it('admits a member without a password (single sign-on) to a group that requires it', async () => {
      const owner = await createTestUser(handle.db, 'Owner');
      const sso = await createTestUser(handle.db, 'Sso', { passwordHash: null });
      const { workspaceId, frameworkId } = await createTestFramework(handle.db, owner, [
        [sso, 'viewer'],
      ]);
      await setGroupSecondFactorRequirement(handle.db, workspaceId, true);
      expect(await refusal(openRawSocket(`${server.url}/${frameworkId}`, sso))).toBe('open');
      // The owner without TOTP (set directly here) is refused like anyone else.
      expect(await refusal(openRawSocket(`${server.url}/${frameworkId}`, owner))).toBe(403);
    });
  },
);
