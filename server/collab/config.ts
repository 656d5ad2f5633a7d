/** Settings of the sync server, from the environment, each with a default (see collabConfigFromEnv). */
export type CollabConfig = {
  /** Largest websocket message accepted; larger frames close the connection (ws maxPayload). */
  maxMessageBytes: number;
  /** Largest document (encoded state); an update that would grow it past this is refused. */
  maxDocumentBytes: number;
  /** Sustained messages per second per connection, and the burst allowed above it. */
  messagesPerSecond: number;
  messageBurst: number;
  /** Bytes queued for a client that does not read before it is closed. */
  maxBufferedBytes: number;
  /** Connections per user on one instance. */
  maxConnectionsPerUser: number;
  /** Time to authenticate an upgrade, and after it, to send sync step 1. */
  authTimeoutMs: number;
  syncTimeoutMs: number;
  /** Ping interval; a socket that did not answer the previous ping is terminated. */
  pingIntervalMs: number;
  /** Awareness: client ids one connection may speak for, entries per message, bytes per state. */
  maxAwarenessClientsPerConnection: number;
  maxAwarenessEntriesPerMessage: number;
  maxAwarenessStateBytes: number;
  /** Persistence batching: write after this quiet period, and at most this long after a change. */
  persistDebounceMs: number;
  persistMaxDelayMs: number;
  /** Attempts per batch before waiting for the next change or unload to try again. */
  persistMaxRetries: number;
  /** Compact the log into a snapshot once a document has more rows than this. */
  compactAfterUpdates: number;
  /** Unload a document this long after its last connection left (after flushing). */
  unloadIdleMs: number;
  /** Re-check every open connection's role and session this often. */
  accessRecheckMs: number;
};

export const COLLAB_DEFAULTS: CollabConfig = {
  maxMessageBytes: 2 * 1024 * 1024,
  maxDocumentBytes: 16 * 1024 * 1024,
  messagesPerSecond: 60,
  messageBurst: 300,
  maxBufferedBytes: 32 * 1024 * 1024,
  maxConnectionsPerUser: 20,
  authTimeoutMs: 10_000,
  syncTimeoutMs: 15_000,
  pingIntervalMs: 30_000,
  maxAwarenessClientsPerConnection: 4,
  maxAwarenessEntriesPerMessage: 16,
  maxAwarenessStateBytes: 16 * 1024,
  persistDebounceMs: 300,
  persistMaxDelayMs: 2_000,
  persistMaxRetries: 5,
  compactAfterUpdates: 500,
  unloadIdleMs: 30_000,
  accessRecheckMs: 2_000,
};

const ENV_NAMES: Record<keyof CollabConfig, string> = {
  maxMessageBytes: 'COLLAB_MAX_MESSAGE_BYTES',
  maxDocumentBytes: 'COLLAB_MAX_DOCUMENT_BYTES',
  messagesPerSecond: 'COLLAB_MESSAGES_PER_SECOND',
  messageBurst: 'COLLAB_MESSAGE_BURST',
  maxBufferedBytes: 'COLLAB_MAX_BUFFERED_BYTES',
  maxConnectionsPerUser: 'COLLAB_MAX_CONNECTIONS_PER_USER',
  authTimeoutMs: 'COLLAB_AUTH_TIMEOUT_MS',
  syncTimeoutMs: 'COLLAB_SYNC_TIMEOUT_MS',
  pingIntervalMs: 'COLLAB_PING_INTERVAL_MS',
  maxAwarenessClientsPerConnection: 'COLLAB_MAX_AWARENESS_CLIENTS',
  maxAwarenessEntriesPerMessage: 'COLLAB_MAX_AWARENESS_ENTRIES',
  maxAwarenessStateBytes: 'COLLAB_MAX_AWARENESS_STATE_BYTES',
  persistDebounceMs: 'COLLAB_PERSIST_DEBOUNCE_MS',
  persistMaxDelayMs: 'COLLAB_PERSIST_MAX_DELAY_MS',
  persistMaxRetries: 'COLLAB_PERSIST_MAX_RETRIES',
  compactAfterUpdates: 'COLLAB_COMPACT_AFTER_UPDATES',
  unloadIdleMs: 'COLLAB_UNLOAD_IDLE_MS',
  accessRecheckMs: 'COLLAB_ACCESS_RECHECK_MS',
};

/** Reads COLLAB_* variables; a missing or invalid value falls back to the default. */
export function collabConfigFromEnv(
  env: Record<string, string | undefined> = process.env,
  overrides: Partial<CollabConfig> = {},
): CollabConfig {
  const config = { ...COLLAB_DEFAULTS };
  for (const key of Object.keys(ENV_NAMES) as Array<keyof CollabConfig>) {
    const raw = env[ENV_NAMES[key]];
    const value = raw === undefined ? NaN : Number(raw);
    if (Number.isFinite(value) && value >= 0) config[key] = value;
  }
  return { ...config, ...overrides };
}
