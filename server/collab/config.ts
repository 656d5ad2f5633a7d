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
  /** Bytes queued to unread sockets across all connections of this instance. */
  maxBufferedTotalBytes: number;
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
  /** Fragments (continuation frames) one websocket message may have (ws maxFragments). */
  maxFragments: number;
  /**
   * Bytes of updates one connection may have waiting for changes the document does not have yet
   * (an edit that overtook its own sync step 2); past it the connection is closed.
   */
  maxPendingBytes: number;
  /** Time a new TCP connection has to send its first complete request head. */
  requestHeadTimeoutMs: number;
  /** Open TCP connections on the HTTP port; more are dropped at once. */
  maxHttpConnections: number;
  /**
   * Sockets one client address may have pending (connected without a request head yet, or a
   * collaboration upgrade not authenticated yet); more from that address are dropped at once, so
   * one address cannot take all of `maxHttpConnections`. Open, authenticated sockets do not count
   * (many users may share one NAT address).
   */
  maxPendingPerAddress: number;
  /**
   * Scale-out: an update relayed from another instance is written here too if that instance has
   * not confirmed storing it within this time (it may have crashed).
   */
  relayPersistGraceMs: number;
};

export const COLLAB_DEFAULTS: CollabConfig = {
  maxMessageBytes: 2 * 1024 * 1024,
  maxDocumentBytes: 16 * 1024 * 1024,
  messagesPerSecond: 60,
  messageBurst: 300,
  maxBufferedBytes: 4 * 1024 * 1024,
  maxBufferedTotalBytes: 256 * 1024 * 1024,
  maxConnectionsPerUser: 20,
  authTimeoutMs: 10_000,
  syncTimeoutMs: 15_000,
  pingIntervalMs: 30_000,
  maxAwarenessClientsPerConnection: 4,
  maxAwarenessEntriesPerMessage: 16,
  maxAwarenessStateBytes: 16 * 1024,
  persistDebounceMs: 1_000,
  persistMaxDelayMs: 2_000,
  persistMaxRetries: 5,
  compactAfterUpdates: 500,
  unloadIdleMs: 30_000,
  accessRecheckMs: 2_000,
  maxFragments: 1_024,
  maxPendingBytes: 64 * 1024,
  requestHeadTimeoutMs: 10_000,
  maxHttpConnections: 10_000,
  maxPendingPerAddress: 256,
  relayPersistGraceMs: 10_000,
};

const ENV_NAMES: Record<keyof CollabConfig, string> = {
  maxMessageBytes: 'COLLAB_MAX_MESSAGE_BYTES',
  maxDocumentBytes: 'COLLAB_MAX_DOCUMENT_BYTES',
  messagesPerSecond: 'COLLAB_MESSAGES_PER_SECOND',
  messageBurst: 'COLLAB_MESSAGE_BURST',
  maxBufferedBytes: 'COLLAB_MAX_BUFFERED_BYTES',
  maxBufferedTotalBytes: 'COLLAB_MAX_BUFFERED_TOTAL_BYTES',
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
  maxFragments: 'COLLAB_MAX_FRAGMENTS',
  maxPendingBytes: 'COLLAB_MAX_PENDING_BYTES',
  requestHeadTimeoutMs: 'COLLAB_REQUEST_HEAD_TIMEOUT_MS',
  maxHttpConnections: 'COLLAB_MAX_HTTP_CONNECTIONS',
  maxPendingPerAddress: 'COLLAB_MAX_PENDING_PER_ADDRESS',
  relayPersistGraceMs: 'COLLAB_RELAY_PERSIST_GRACE_MS',
};

/** Settings that may be 0 (no delay, no retry); every other one must be at least 1. */
const MAY_BE_ZERO: ReadonlySet<keyof CollabConfig> = new Set([
  'persistDebounceMs',
  'persistMaxRetries',
  'maxPendingBytes',
]);

/** A COLLAB_* variable with a value the server cannot run with; the start fails with it. */
export class CollabConfigError extends Error {
  constructor(
    readonly variable: string,
    value: string,
    expected: string,
  ) {
    super(`${variable}=${JSON.stringify(value)} is invalid: expected ${expected}`);
    this.name = 'CollabConfigError';
  }
}

/**
 * Reads COLLAB_* variables; a missing one takes its default. A value that is not a whole number
 * in range throws CollabConfigError naming the variable: a typo in a limit must stop the start,
 * not silently run with the default.
 */
export function collabConfigFromEnv(
  env: Record<string, string | undefined> = process.env,
  overrides: Partial<CollabConfig> = {},
): CollabConfig {
  const config = { ...COLLAB_DEFAULTS };
  for (const key of Object.keys(ENV_NAMES) as Array<keyof CollabConfig>) {
    const raw = env[ENV_NAMES[key]];
    if (raw === undefined || raw.trim() === '') continue;
    config[key] = parseSetting(ENV_NAMES[key], raw, MAY_BE_ZERO.has(key) ? 0 : 1);
  }
  const merged = { ...config, ...overrides };
  for (const key of Object.keys(overrides) as Array<keyof CollabConfig>) {
    parseSetting(`collab.${key}`, String(merged[key]), MAY_BE_ZERO.has(key) ? 0 : 1);
  }
  // A per-address cap above the global one would never act: surely a typo.
  if (merged.maxPendingPerAddress > merged.maxHttpConnections) {
    throw new CollabConfigError(
      ENV_NAMES.maxPendingPerAddress,
      String(merged.maxPendingPerAddress),
      `at most COLLAB_MAX_HTTP_CONNECTIONS (${merged.maxHttpConnections})`,
    );
  }
  return merged;
}

function parseSetting(variable: string, raw: string, minimum: number): number {
  const expected = `a whole number >= ${minimum}`;
  // Number() would accept "1e3", "0x10" and " 5 "; a limit is written as plain digits.
  if (!/^\d+$/.test(raw.trim())) throw new CollabConfigError(variable, raw, expected);
  const value = Number(raw.trim());
  if (!Number.isSafeInteger(value) || value < minimum) {
    throw new CollabConfigError(variable, raw, expected);
  }
  return value;
}
