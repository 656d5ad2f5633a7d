'use client';

import { useEffect, useState } from 'react';

// Idle time (ms) worth starting a layer's mount in: the slivers left between busy frames are
// skipped, so a mount rarely holds up the next change on screen.
const MOUNT_IDLE_MS = 10;

/**
 * Runs `callback` in the next idle period of at least MOUNT_IDLE_MS (or after `timeout` ms
 * without one); returns the cancel function. Falls back to a timer where requestIdleCallback
 * is missing (Safari).
 */
export function whenIdle(callback: () => void, timeout = 1000): () => void {
  if (typeof window.requestIdleCallback !== 'function') {
    const timer = window.setTimeout(callback, 50);
    return () => window.clearTimeout(timer);
  }
  let handle = 0;
  const run = (deadline: IdleDeadline) => {
    if (deadline.didTimeout || deadline.timeRemaining() >= MOUNT_IDLE_MS) callback();
    else handle = window.requestIdleCallback(run, { timeout });
  };
  handle = window.requestIdleCallback(run, { timeout });
  return () => window.cancelIdleCallback(handle);
}

/** False until the first idle period after `enabled` turns true; then true for good. */
export function useIdleAfter(enabled: boolean): boolean {
  const [idle, setIdle] = useState(false);
  useEffect(() => {
    if (!enabled || idle) return;
    return whenIdle(() => setIdle(true));
  }, [enabled, idle]);
  return idle;
}
