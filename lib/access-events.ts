import { EventEmitter } from 'node:events';

/** Someone's access changed: role change, removal, or a framework deleted or archived. */
export type AccessChange =
  | { kind: 'member'; workspaceId: string; userId: string }
  | { kind: 'framework'; workspaceId: string; frameworkId: string };

type GlobalWithAccessEvents = typeof globalThis & { __briefingAccessEvents?: EventEmitter };

/**
 * In-process channel from the app (server actions) to the sync server, so open connections are
 * re-authorised at once. On globalThis because Next.js bundles its own copy of this module.
 */
function emitter(): EventEmitter {
  const g = globalThis as GlobalWithAccessEvents;
  g.__briefingAccessEvents ??= new EventEmitter().setMaxListeners(0);
  return g.__briefingAccessEvents;
}

export function publishAccessChange(change: AccessChange): void {
  emitter().emit('change', change);
}

/** Returns the unsubscribe function. */
export function onAccessChange(listener: (change: AccessChange) => void): () => void {
  emitter().on('change', listener);
  return () => emitter().off('change', listener);
}
