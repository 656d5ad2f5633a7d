import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { AccessChange } from '../../../../lib/collab/live-documents';
import { metrics } from '../../../metrics';
import type { DocumentRelay, RelayStatus } from './relay';

type Subscriber = { onMessage(message: Uint8Array): void; onReady(): void };

/** Redis settings from the environment; undefined without REDIS_URL (one instance alone). */
export function redisConfigFromEnv(
  env: Record<string, string | undefined> = process.env,
): { url: string; prefix: string } | undefined {
  if (!env.REDIS_URL) return undefined;
  return { url: env.REDIS_URL, prefix: env.REDIS_PREFIX ?? 'briefing:' };
}

/**
 * The relay over Redis pub/sub: one connection publishes, one subscribes (a subscribed
 * connection can do nothing else). Nothing is queued while Redis is away: publishes fail fast
 * and are dropped, and once both connections are back every subscriber's `onReady` runs so the
 * documents re-exchange state vectors with the other instances.
 */
export class RedisRelay implements DocumentRelay {
  readonly instanceId = `${hostname()}-${process.pid}-${randomUUID().slice(0, 8)}`;
  private readonly pub: Redis;
  private readonly sub: Redis;
  private readonly subscribers = new Map<string, Set<Subscriber>>();
  private readonly accessListeners = new Set<(change: AccessChange) => void>();
  private readonly accessChannel: string;
  private up = false;
  private closed = false;

  constructor(
    url: string,
    private readonly prefix: string,
    private readonly log: Logger,
  ) {
    this.accessChannel = `${prefix}access`;
    const options = {
      // Fail fast instead of queueing: a queue would replay stale edits minutes later and grow
      // without bound; the state-vector exchange after the reconnect repairs what was dropped.
      enableOfflineQueue: false,
      maxRetriesPerRequest: 0,
      // We resubscribe ourselves on 'ready', so we know when the channels are live again.
      autoResubscribe: false,
      retryStrategy: (times: number) => Math.min(100 * times, 1_000),
      connectionName: `briefing-${this.instanceId}`,
    };
    this.pub = new Redis(url, options);
    this.sub = new Redis(url, options);
    for (const [role, connection] of [
      ['publisher', this.pub],
      ['subscriber', this.sub],
    ] as const) {
      connection.on('ready', () => void this.onConnectionReady());
      connection.on('close', () => this.onConnectionLost(role));
      // ioredis emits 'error' on every failed reconnect: count it, log the transition once.
      connection.on('error', (error: Error) => {
        metrics().errors.inc({ kind: 'relay' });
        log.debug({ err: error.message, role }, 'redis connection error');
      });
    }
    this.sub.on('messageBuffer', (channel: Buffer, message: Buffer) =>
      this.onMessage(channel.toString(), message),
    );
  }

  status(): RelayStatus {
    return this.up ? 'connected' : 'disconnected';
  }

  publish(documentId: string, message: Uint8Array): void {
    this.send(this.documentChannel(documentId), Buffer.from(message));
  }

  subscribe(documentId: string, subscriber: Subscriber): () => void {
    const channel = this.documentChannel(documentId);
    let set = this.subscribers.get(channel);
    if (!set) {
      set = new Set();
      this.subscribers.set(channel, set);
      if (this.up) {
        this.sub.subscribe(channel).then(
          () => {
            if (this.subscribers.get(channel)?.has(subscriber)) subscriber.onReady();
          },
          (error: unknown) => this.log.warn({ err: error, channel }, 'redis subscribe failed'),
        );
      }
    } else if (this.up) {
      subscriber.onReady();
    }
    set.add(subscriber);
    return () => {
      const current = this.subscribers.get(channel);
      if (!current?.delete(subscriber) || current.size > 0) return;
      this.subscribers.delete(channel);
      if (this.up) {
        this.sub.unsubscribe(channel).catch((error: unknown) => {
          this.log.debug({ err: error, channel }, 'redis unsubscribe failed');
        });
      }
    };
  }

  publishAccessChange(change: AccessChange): void {
    this.send(this.accessChannel, JSON.stringify({ from: this.instanceId, change }));
  }

  onAccessChange(listener: (change: AccessChange) => void): () => void {
    this.accessListeners.add(listener);
    return () => this.accessListeners.delete(listener);
  }

  async close(): Promise<void> {
    this.closed = true;
    this.up = false;
    await Promise.all(
      [this.pub, this.sub].map((connection) =>
        connection.status === 'ready'
          ? connection.quit().then(
              () => undefined,
              () => connection.disconnect(),
            )
          : connection.disconnect(),
      ),
    );
  }

  private documentChannel(documentId: string): string {
    return `${this.prefix}doc:${documentId}`;
  }

  private send(channel: string, payload: Buffer | string): void {
    if (!this.up) {
      metrics().relayMessages.inc({ direction: 'dropped', kind: 'any' });
      return;
    }
    this.pub.publish(channel, payload).catch((error: unknown) => {
      // Lost: the receivers repair it with the state-vector exchange after the reconnect.
      metrics().errors.inc({ kind: 'relay' });
      this.log.warn({ err: error, channel }, 'redis publish failed');
    });
  }

  private onMessage(channel: string, message: Buffer): void {
    if (channel === this.accessChannel) {
      this.onAccessMessage(message.toString());
      return;
    }
    const bytes = new Uint8Array(message.buffer, message.byteOffset, message.byteLength);
    for (const subscriber of this.subscribers.get(channel) ?? []) subscriber.onMessage(bytes);
  }

  private onAccessMessage(text: string): void {
    let parsed: { from?: unknown; change?: AccessChange };
    try {
      parsed = JSON.parse(text) as typeof parsed;
    } catch {
      this.log.warn('unreadable access change on redis');
      return;
    }
    if (parsed.from === this.instanceId || !parsed.change) return;
    for (const listener of this.accessListeners) listener(parsed.change);
  }

  private async onConnectionReady(): Promise<void> {
    if (this.closed || this.up) return;
    if (this.pub.status !== 'ready' || this.sub.status !== 'ready') return;
    try {
      await this.sub.subscribe(this.accessChannel, ...this.subscribers.keys());
    } catch (error) {
      // The connection dropped again; its next 'ready' retries.
      this.log.warn({ err: error }, 'redis resubscribe failed');
      return;
    }
    if (this.pub.status !== 'ready' || this.sub.status !== 'ready' || this.up) return;
    this.up = true;
    this.log.info({ channels: this.subscribers.size }, 'redis relay connected');
    for (const set of this.subscribers.values()) for (const s of set) s.onReady();
  }

  private onConnectionLost(role: string): void {
    if (this.closed || !this.up) return;
    this.up = false;
    this.log.warn(
      { role },
      'redis relay lost: serving local clients only until it returns, then re-syncing',
    );
  }
}
