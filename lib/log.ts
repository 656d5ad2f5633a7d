import pino from 'pino';

/** Structured JSON logs (one line per event); LOG_LEVEL sets the threshold. */
export const log = pino({
  level: process.env.LOG_LEVEL ?? (process.env.NODE_ENV === 'test' ? 'warn' : 'info'),
  base: { service: 'briefing' },
});
