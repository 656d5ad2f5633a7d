import { connect, type Socket } from 'node:net';
import { runInNewContext } from 'node:vm';
import { setFlagsFromString } from 'node:v8';
import * as encoding from 'lib0/encoding';
import pino, { type Logger } from 'pino';
import type { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import { MessageType, SyncMessageType } from '../../../lib/collab/protocol';
import { waitFor } from './test-support';

/** Test-only helpers for the hostile-client tests: latency canaries, memory, raw frames. */

// Measuring memory growth needs a collection before each reading; vitest does not pass
// --expose-gc, and V8 lets the flag be turned on at run time.
setFlagsFromString('--expose-gc');
const collectGarbage = runInNewContext('gc') as () => void;

/** Live memory (heap and buffers) after a full collection, in bytes. */
export function liveMemory(): number {
  collectGarbage();
  collectGarbage();
  const usage = process.memoryUsage();
  return usage.heapUsed + usage.arrayBuffers;
}

/** Heap and buffers without collecting: for sampling peaks cheaply during an attack. */
function currentMemory(): number {
  const usage = process.memoryUsage();
  return usage.heapUsed + usage.arrayBuffers;
}

/**
 * Two synced providers on one document; `a` writes a ping every `everyMs`, `b` records how long
 * each took to arrive. Server and clients share this process's event loop, so any stall of the
 * server shows up here as latency.
 */
export class LatencyProbe {
  private readonly sentAt = new Map<number, number>();
  private readonly samples: number[] = [];
  private timer: NodeJS.Timeout | null = null;
  private seq = 0;
  peakMemory = 0;

  constructor(
    private readonly a: WebsocketProvider,
    private readonly b: WebsocketProvider,
    private readonly key: string,
  ) {
    b.doc.getMap<number>(key).observe((event) => {
      if (!event.keysChanged.has('seq')) return;
      const seq = b.doc.getMap<number>(key).get('seq')!;
      // The server sends the changes of one event-loop turn merged, so a ping overwritten by the
      // next one in the same turn is never seen by itself: it arrived with the later one.
      const now = performance.now();
      for (const [sentSeq, sent] of this.sentAt) {
        if (sentSeq > seq) continue;
        this.samples.push(now - sent);
        this.sentAt.delete(sentSeq);
      }
    });
  }

  start(everyMs = 10): void {
    this.samples.length = 0;
    this.sentAt.clear();
    this.peakMemory = 0;
    this.timer = setInterval(() => {
      this.seq += 1;
      this.sentAt.set(this.seq, performance.now());
      this.a.doc.getMap<number>(this.key).set('seq', this.seq);
      this.peakMemory = Math.max(this.peakMemory, currentMemory());
    }, everyMs);
  }

  get sampleCount(): number {
    return this.samples.length;
  }

  /** Stops pinging once the last pings arrived; a ping that never arrives counts as 10 s. */
  async stop(): Promise<{ p99: number; max: number; count: number }> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await waitFor(() => this.sentAt.size === 0, 3_000).then(
      () => undefined,
      () => {
        for (let i = 0; i < this.sentAt.size; i++) this.samples.push(10_000);
        this.sentAt.clear();
      },
    );
    const sorted = [...this.samples].sort((x, y) => x - y);
    const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
    return { p99: at(0.99), max: sorted[sorted.length - 1]!, count: sorted.length };
  }
}

export function syncMessage(syncType: number, payload: Uint8Array): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, MessageType.sync);
  encoding.writeVarUint(encoder, syncType);
  encoding.writeVarUint8Array(encoder, payload);
  return encoding.toUint8Array(encoder);
}

export const updateMessage = (update: Uint8Array) => syncMessage(SyncMessageType.update, update);

export function awarenessMessage(
  entries: Array<{ clientId: number; clock: number; state: string }>,
): Uint8Array {
  const inner = encoding.createEncoder();
  encoding.writeVarUint(inner, entries.length);
  for (const entry of entries) {
    encoding.writeVarUint(inner, entry.clientId);
    encoding.writeVarUint(inner, entry.clock);
    encoding.writeVarString(inner, entry.state);
  }
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, MessageType.awareness);
  encoding.writeVarUint8Array(encoder, encoding.toUint8Array(inner));
  return encoding.toUint8Array(encoder);
}

/** An update inserting `text` at the root text "t" from a client id the document never saw. */
export function futureUpdate(client: number, clock: number, text: string): Uint8Array {
  const e = encoding.createEncoder();
  encoding.writeVarUint(e, 1);
  encoding.writeVarUint(e, 1);
  encoding.writeVarUint(e, client);
  encoding.writeVarUint(e, clock);
  encoding.writeUint8(e, 4);
  encoding.writeVarUint(e, 1);
  encoding.writeVarString(e, 't');
  encoding.writeVarString(e, text);
  encoding.writeVarUint(e, 0);
  return encoding.toUint8Array(e);
}

/**
 * A client-to-server websocket frame header (masked, as clients must) for a binary or
 * continuation frame of `length` bytes; the payload follows, masked with a zero key.
 */
export function frameHeader(opcode: number, fin: boolean, length: number): Buffer {
  const first = (fin ? 0x80 : 0) | opcode;
  if (length < 126) return Buffer.from([first, 0x80 | length, 0, 0, 0, 0]);
  if (length < 65536) {
    const header = Buffer.from([first, 0x80 | 126, 0, 0, 0, 0, 0, 0]);
    header.writeUInt16BE(length, 2);
    return header;
  }
  const header = Buffer.alloc(14);
  header[0] = first;
  header[1] = 0x80 | 127;
  header.writeBigUInt64BE(BigInt(length), 2);
  return header;
}

/**
 * Opens `count` TCP connections that never send a byte; resolves once all are connected, or
 * after a second (past the listen backlog the kernel holds the rest, at no cost to the server).
 */
export async function idleTcpConnections(
  port: number,
  count: number,
  localAddress?: string,
): Promise<Socket[]> {
  const sockets: Socket[] = [];
  const pending: Array<Promise<void>> = [];
  // In waves of 250: the attacker's own connect() calls run in this process too.
  for (let i = 0; i < count; i++) {
    if (i > 0 && i % 250 === 0) await new Promise((resolve) => setTimeout(resolve, 25));
    pending.push(
      new Promise<void>((resolve) => {
        const socket = connect({
          port,
          host: '127.0.0.1',
          ...(localAddress ? { localAddress } : {}),
        });
        sockets.push(socket);
        // Refused or reset by the cap: that is an outcome, not a failure of the test.
        socket.on('error', () => resolve());
        socket.once('connect', () => resolve());
        socket.once('close', () => resolve());
      }),
    );
  }
  const settled = Promise.all(pending);
  await Promise.race([settled, new Promise((resolve) => setTimeout(resolve, 1_000))]);
  return sockets;
}

/**
 * True when the bytes of a document's integrated state contain `marker` anywhere. Structs Yjs
 * holds back (pending, never applied) are left out, as the server leaves them out of what it
 * sends; the class 5 test bounds them separately.
 */
export function stateContains(doc: Y.Doc, marker: string): boolean {
  const { pendingStructs, pendingDs } = doc.store;
  doc.store.pendingStructs = null;
  doc.store.pendingDs = null;
  try {
    return Buffer.from(Y.encodeStateAsUpdate(doc)).includes(marker);
  } finally {
    doc.store.pendingStructs = pendingStructs;
    doc.store.pendingDs = pendingDs;
  }
}

/** One structured log line as pino wrote it. */
export type LogLine = {
  level: number;
  msg: string;
  userId?: string;
  documentId?: string;
  code?: number;
  reason?: string;
  detail?: string;
  err?: string;
  [field: string]: unknown;
};

/**
 * A logger for the server under test that keeps the lines about someone (a user id, or an
 * upgrade refusal) so a test can assert the attacker was logged, with what. Lines about nobody
 * (a flood of idle TCP connections) are dropped: kept, they would count as the attack's memory.
 */
export class LogCapture {
  readonly lines: LogLine[] = [];
  readonly logger: Logger;

  constructor() {
    this.logger = pino(
      { level: 'info', base: { service: 'briefing' } },
      {
        write: (line: string) => {
          if (!line.includes('"userId"') && !line.includes('collab upgrade refused')) return;
          this.lines.push(JSON.parse(line) as LogLine);
        },
      },
    );
  }

  clear(): void {
    this.lines.length = 0;
  }

  /** Waits for a line matching `match` (pino writes synchronously, but closes are async). */
  async expect(match: (line: LogLine) => boolean, what: string): Promise<LogLine> {
    const found = await waitFor<LogLine | false>(
      () => this.lines.find(match) ?? false,
      3_000,
    ).catch(() => false as const);
    if (found === false) {
      const seen = this.lines.slice(-10).map((l) => JSON.stringify(l));
      throw new Error(`no log line for ${what}; last lines:\n${seen.join('\n')}`);
    }
    return found;
  }
}

/** A string item at the start of root text "t", or after `origin` when given. */
function writeTextItem(e: encoding.Encoder, text: string, origin?: [number, number]): void {
  if (origin) {
    encoding.writeUint8(e, 0x84);
    encoding.writeVarUint(e, origin[0]);
    encoding.writeVarUint(e, origin[1]);
  } else {
    encoding.writeUint8(e, 4);
    encoding.writeVarUint(e, 1);
    encoding.writeVarString(e, 't');
  }
  encoding.writeVarString(e, text);
}

/**
 * One update from two client ids the document never saw: A0 inserts `text` at the start (it
 * would integrate), then A1 (right after A0's text) follows B0 and B0 follows A1, a cycle. Yjs applies A0 and keeps the
 * rest pending; nothing of it may be applied.
 */
export function cyclicUpdate(a: number, b: number, text: string): Uint8Array {
  const e = encoding.createEncoder();
  encoding.writeVarUint(e, 2);
  encoding.writeVarUint(e, 2);
  encoding.writeVarUint(e, a);
  encoding.writeVarUint(e, 0);
  writeTextItem(e, text);
  writeTextItem(e, 'c', [b, 0]);
  encoding.writeVarUint(e, 1);
  encoding.writeVarUint(e, b);
  encoding.writeVarUint(e, 0);
  writeTextItem(e, text, [a, text.length]);
  encoding.writeVarUint(e, 0);
  return encoding.toUint8Array(e);
}

/**
 * A0 inserts `text` at the start, then A1 claims to follow its own second character, a change
 * of its own client not made yet: Yjs integrates A0, then throws half way through the update.
 */
export function forwardSelfReference(a: number, text: string): Uint8Array {
  const e = encoding.createEncoder();
  encoding.writeVarUint(e, 1);
  encoding.writeVarUint(e, 2);
  encoding.writeVarUint(e, a);
  encoding.writeVarUint(e, 0);
  writeTextItem(e, text);
  writeTextItem(e, 'xy', [a, text.length + 1]);
  encoding.writeVarUint(e, 0);
  return encoding.toUint8Array(e);
}
