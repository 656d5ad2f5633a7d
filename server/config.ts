import { allowedOriginsFromEnv } from '../lib/csrf';

/** Server settings from the environment, read once, with their defaults. */
export type ServerConfig = {
  port: number;
  hostname: string;
  dev: boolean;
  /** Origins allowed to open the collaboration websocket; empty means "same host only". */
  allowedOrigins: string[];
  /** Trust X-Forwarded-For from a load balancer in front; otherwise the socket address counts. */
  trustProxy: boolean;
  /** Bearer token for /metrics; unset: /metrics answers loopback requests only. */
  metricsToken: string | undefined;
};

export function serverConfigFromEnv(env: NodeJS.ProcessEnv = process.env): ServerConfig {
  return {
    port: Number(env.PORT ?? 3000),
    hostname: env.HOST ?? '0.0.0.0',
    dev: env.NODE_ENV !== 'production',
    allowedOrigins: allowedOriginsFromEnv(env),
    trustProxy: env.TRUST_PROXY === '1' || env.TRUST_PROXY === 'true',
    metricsToken: env.METRICS_TOKEN || undefined,
  };
}
