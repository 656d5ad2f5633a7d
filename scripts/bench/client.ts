import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import WebSocket from 'ws';
import * as syncProtocol from 'y-protocols/sync';
import * as Y from 'yjs';

/** How a server frames y-protocols messages: y-websocket's (one socket per document) or Hocuspocus's. */
export type Dialect = 'yws' | 'hocus';

export type ClientSpec = {
  dialect: Dialect;
  /** Full websocket URL (for yws it ends with the document name). */
  url: string;
  docName: string;
  cookie?: string;
};

const now = () => performance.timeOrigin + performance.now();

/**
 * A lean Yjs client for load generation: a Y.Doc kept in sync over raw y-protocols frames (no
 * awareness, no provider), edits that carry their send time, and a callback per remote edit.
 */
export class BenchClient {
  readonly doc = new Y.Doc();
  readonly name: string;
  private ws: WebSocket | null = null;
  synced = false;
  received = 0;
  lastMessageAt = 0;
  onRemoteEdit: ((latencyMs: number, from: string) => void) | null = null;
  private syncWaiters: Array<() => void> = [];

  constructor(
    readonly spec: ClientSpec,
    name: string,
  ) {
    this.name = name;
    this.doc.getMap<number>('ts').observe((event, transaction) => {
      if (transaction.local) return;
      const at = now();
      for (const key of event.keysChanged) {
        const sent = this.doc.getMap<number>('ts').get(key);
        if (key !== this.name && typeof sent === 'number') this.onRemoteEdit?.(at - sent, key);
      }
    });
    this.doc.on('update', (update: Uint8Array, origin: unknown) => {
      if (origin !== this) this.send((encoder) => syncProtocol.writeUpdate(encoder, update));
    });
  }

  /** Opens the socket; resolves once the server's state has been applied (sync step 2). */
  connect(timeoutMs = 20_000): Promise<number> {
    const started = now();
    const headers = this.spec.cookie ? { cookie: this.spec.cookie } : undefined;
    const ws = new WebSocket(this.spec.url, { headers, perMessageDeflate: false });
    ws.binaryType = 'nodebuffer';
    this.ws = ws;
    ws.on('message', (data: Buffer) => this.onMessage(new Uint8Array(data)));
    ws.on('error', () => undefined);
    ws.on('open', () => {
      if (this.spec.dialect === 'hocus') {
        const encoder = encoding.createEncoder();
        encoding.writeVarString(encoder, this.spec.docName);
        encoding.writeVarUint(encoder, 2); // Auth
        encoding.writeVarUint(encoder, 0); // token
        encoding.writeVarString(encoder, 'bench');
        ws.send(encoding.toUint8Array(encoder));
      }
      this.send((encoder) => syncProtocol.writeSyncStep1(encoder, this.doc));
    });
    return new Promise((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`sync timeout ${this.spec.docName}`)),
        timeoutMs,
      );
      ws.once('close', (code) => {
        if (!this.synced) {
          clearTimeout(timer);
          reject(new Error(`closed before sync: ${code}`));
        }
      });
      this.syncWaiters.push(() => {
        clearTimeout(timer);
        resolve(now() - started);
      });
    });
  }

  /** One edit: a character in the text and this client's send time. */
  edit(text = 'x'): void {
    this.doc.transact(() => {
      this.doc.getText('t').insert(0, text);
      this.doc.getMap<number>('ts').set(this.name, now());
    });
  }

  close(): void {
    this.ws?.terminate();
  }

  private send(write: (encoder: encoding.Encoder) => void): void {
    if (!this.ws || this.ws.readyState !== WebSocket.OPEN) return;
    const encoder = encoding.createEncoder();
    if (this.spec.dialect === 'hocus') encoding.writeVarString(encoder, this.spec.docName);
    encoding.writeVarUint(encoder, 0); // sync
    write(encoder);
    this.ws.send(encoding.toUint8Array(encoder));
  }

  private onMessage(data: Uint8Array): void {
    this.received += 1;
    this.lastMessageAt = now();
    const decoder = decoding.createDecoder(data);
    if (this.spec.dialect === 'hocus') decoding.readVarString(decoder);
    const type = decoding.readVarUint(decoder);
    // 0 sync; Hocuspocus 4 = sync reply. Awareness, auth, "saved" and the rest are not measured.
    if (type !== 0 && !(this.spec.dialect === 'hocus' && type === 4)) return;
    const encoder = encoding.createEncoder();
    const kind = syncProtocol.readSyncMessage(decoder, encoder, this.doc, this);
    if (encoding.length(encoder) > 0) {
      const reply = encoding.toUint8Array(encoder);
      this.send((e) => encoding.writeUint8Array(e, reply));
    }
    if (kind === syncProtocol.messageYjsSyncStep2 && !this.synced) {
      this.synced = true;
      for (const waiter of this.syncWaiters.splice(0)) waiter();
    }
  }
}
