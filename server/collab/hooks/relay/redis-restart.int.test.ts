import type { ChildProcess } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { WebsocketProvider } from 'y-websocket';
import type { DatabaseHandle } from '../../../../db/client';
import { openTestDatabase } from '../../../../db/testing';
import { loadDocumentState } from '../persistence/persistence';
import {
  SCALE_DATABASE_URL,
  exited,
  freePort,
  getHealth,
  killAllChildren,
  startInstance,
  startRedisServer,
  uniquePrefix,
  type Instance,
} from '../../testing/scale-support';
import {
  connectProvider,
  createTestFramework,
  createTestUser,
  waitFor,
  waitForSync,
  type TestServer,
} from '../../testing/test-support';

let handle: DatabaseHandle;
let redisPort: number;
let redis: ChildProcess;
let a: Instance;
let b: Instance;
const providers: WebsocketProvider[] = [];

beforeAll(async () => {
  handle = await openTestDatabase({ kind: 'postgres', url: SCALE_DATABASE_URL, maxConnections: 2 });
  // A redis-server of this test's own: the machine's Redis is shared and must not be restarted.
  redisPort = await freePort();
  redis = await startRedisServer(redisPort);
  const env = { REDIS_URL: `redis://127.0.0.1:${redisPort}`, REDIS_PREFIX: uniquePrefix() };
  [a, b] = await Promise.all([startInstance(env), startInstance(env)]);
}, 60_000);

afterAll(async () => {
  for (const provider of providers) provider.destroy();
  await killAllChildren();
  await handle?.close();
});

describe('Redis restarted mid-session', () => {
  it('instances keep serving their own clients and converge again after it returns', async () => {
    const owner = await createTestUser(handle.db, 'Owner');
    const editor = await createTestUser(handle.db, 'Editor');
    const { frameworkId } = await createTestFramework(handle.db, owner, [[editor, 'editor']]);
    const open = (instance: Instance, user: typeof owner) => {
      const provider = connectProvider({ url: instance.url } as TestServer, frameworkId, user);
      providers.push(provider);
      return provider;
    };
    const text = (p: WebsocketProvider) => p.doc.getText('t').toString();
    const [a1, a2, b1] = [open(a, owner), open(a, editor), open(b, editor)];
    await Promise.all([a1, a2, b1].map(waitForSync));
    a1.doc.getText('t').insert(0, 'base');
    await waitFor(() => text(b1) === 'base');

    redis.kill('SIGKILL');
    await exited(redis);
    await waitFor(async () => {
      expect(await getHealth(a)).toMatchObject({
        status: 200,
        body: { status: 'degraded', checks: { database: 'ok', redis: 'fail' } },
      });
    });
    // Each instance still serves its own clients, and stores their changes.
    a1.doc.getText('t').insert(text(a1).length, ' from-A');
    b1.doc.getText('t').insert(0, 'from-B ');
    await waitFor(() => text(a2) === 'base from-A');
    expect(text(b1)).toBe('from-B base');
    await waitFor(async () => {
      const stored = (await loadDocumentState(handle.db, frameworkId)).doc.getText('t').toString();
      expect(stored).toBe('from-B base from-A');
    }, 10_000);

    redis = await startRedisServer(redisPort);
    // Both re-exchange state vectors once reconnected: everyone converges without a new edit.
    await waitFor(() => {
      expect([text(a1), text(a2), text(b1)]).toEqual(Array(3).fill('from-B base from-A'));
    }, 15_000);
    for (const instance of [a, b]) {
      await waitFor(async () => {
        expect(await getHealth(instance)).toMatchObject({
          status: 200,
          body: { status: 'ok', checks: { redis: 'ok' } },
        });
      });
    }
    // And live relaying works again.
    b1.doc.getText('t').insert(text(b1).length, '!');
    await waitFor(() => text(a1) === 'from-B base from-A!');
  });
});
