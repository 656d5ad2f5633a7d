import type { ServerResponse } from 'node:http';
import client from 'prom-client';

/**
 * Prometheus metrics of the process, served at /metrics. One registry per process on globalThis:
 * Next.js bundles its own copy of modules, and prom-client refuses a metric registered twice.
 */
type Metrics = ReturnType<typeof createMetrics>;
type GlobalWithMetrics = typeof globalThis & { __briefingMetrics?: Metrics };

/** Sources of the gauges that are read at scrape time rather than kept up to date. */
type GaugeSources = {
  connections: Set<() => number>;
  documents: Set<() => number>;
  relayConnected: Set<() => number>;
  pendingUpdates: Set<() => number>;
};

function createMetrics() {
  const registry = new client.Registry();
  client.collectDefaultMetrics({ register: registry });
  const sources: GaugeSources = {
    connections: new Set(),
    documents: new Set(),
    relayConnected: new Set(),
    pendingUpdates: new Set(),
  };
  const sum = (set: Set<() => number>) => [...set].reduce((total, read) => total + read(), 0);
  const gauge = (name: string, help: string, source: Set<() => number>) =>
    new client.Gauge({
      name,
      help,
      registers: [registry],
      collect() {
        this.set(sum(source));
      },
    });
  return {
    registry,
    sources,
    connections: gauge('collab_connections', 'Open collaboration websockets', sources.connections),
    documents: gauge('collab_documents_loaded', 'Documents held in memory', sources.documents),
    relayConnected: gauge(
      'collab_relay_connected',
      '1 when the Redis relay is connected, 0 when configured but down',
      sources.relayConnected,
    ),
    pendingUpdates: gauge(
      'collab_persist_pending_updates',
      'Updates in memory not yet written to the database (incl. relayed ones kept as a safety net)',
      sources.pendingUpdates,
    ),
    messagesIn: new client.Counter({
      name: 'collab_messages_in_total',
      help: 'Websocket messages received from clients',
      registers: [registry],
    }),
    messagesOut: new client.Counter({
      name: 'collab_messages_out_total',
      help: 'Websocket messages sent to clients',
      registers: [registry],
    }),
    connectionsOpened: new client.Counter({
      name: 'collab_connections_opened_total',
      help: 'Websocket connections accepted',
      registers: [registry],
    }),
    closes: new client.Counter({
      name: 'collab_connection_closes_total',
      help: 'Closed websockets by close code (4400-4599 are the server refusing or failing)',
      labelNames: ['code'],
      registers: [registry],
    }),
    persistBatches: new client.Counter({
      name: 'collab_persist_batches_total',
      help: 'Batches written to the update log',
      registers: [registry],
    }),
    persistRows: new client.Counter({
      name: 'collab_persist_rows_total',
      help: 'Rows written to the update log',
      registers: [registry],
    }),
    persistLag: new client.Histogram({
      name: 'collab_persist_lag_seconds',
      help: 'Time from the first unwritten change of a batch until it is stored',
      buckets: [0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 30],
      registers: [registry],
    }),
    compactions: new client.Counter({
      name: 'collab_compactions_total',
      help: 'Log compactions by result (done, skipped when another instance compacted first)',
      labelNames: ['result'],
      registers: [registry],
    }),
    errors: new client.Counter({
      name: 'collab_errors_total',
      help: 'Errors by kind (load, persist, upgrade, relay, compaction)',
      labelNames: ['kind'],
      registers: [registry],
    }),
    relayMessages: new client.Counter({
      name: 'collab_relay_messages_total',
      help: 'Messages between instances over Redis, by direction and kind',
      labelNames: ['direction', 'kind'],
      registers: [registry],
    }),
    relayResyncs: new client.Counter({
      name: 'collab_relay_resyncs_total',
      help: 'State-vector exchanges started (document load, reconnect, missing dependencies)',
      labelNames: ['reason'],
      registers: [registry],
    }),
  };
}

export function metrics(): Metrics {
  const g = globalThis as GlobalWithMetrics;
  g.__briefingMetrics ??= createMetrics();
  return g.__briefingMetrics;
}

/** Adds a reader to a scrape-time gauge; returns the function that removes it. */
export function addGaugeSource(gauge: keyof GaugeSources, read: () => number): () => void {
  const set = metrics().sources[gauge];
  set.add(read);
  return () => set.delete(read);
}

/** GET /metrics in the Prometheus text format. */
export async function handleMetrics(res: ServerResponse): Promise<void> {
  const { registry } = metrics();
  const body = await registry.metrics();
  res.writeHead(200, { 'content-type': registry.contentType, 'cache-control': 'no-store' });
  res.end(body);
}
