'use client';

import { startTransition, useCallback, useEffect, useState } from 'react';
import { whenIdle } from './when-idle';

/**
 * Which layers have their body (narrative editor and fields) mounted: the first at once, the
 * others when they come near the viewport, get focus or are jumped to, and the rest while idle.
 * Never taken back, so a layer someone is typing in keeps its editor whatever moves.
 *
 * `orderKey` is the layer ids in display order, joined by commas.
 */
export function useProgressiveMount(orderKey: string | undefined): {
  live: ReadonlySet<string>;
  /** Mounts a layer's body now (a jump or focus needs it in this render). */
  makeLive: (layerId: string) => void;
  /** For LayerBlock: a layer came near the viewport (`now` when it must mount at once). */
  onNear: (layerId: string, now: boolean) => void;
} {
  const [live, setLive] = useState<ReadonlySet<string>>(() => new Set());
  const firstLayerId = orderKey ? orderKey.split(',')[0] : undefined;
  if (firstLayerId && live.size === 0) setLive(new Set([firstLayerId]));
  const makeLive = useCallback((layerId: string) => {
    setLive((current) => (current.has(layerId) ? current : new Set(current).add(layerId)));
  }, []);
  // Mounting for later (near the viewport, or idle) is a transition: React renders it in
  // slices and gives way to typing and to others' changes arriving in between.
  const makeLiveSoon = useCallback(
    (layerId: string) => startTransition(() => makeLive(layerId)),
    [makeLive],
  );
  const onNear = useCallback(
    (layerId: string, now: boolean) => (now ? makeLive(layerId) : makeLiveSoon(layerId)),
    [makeLive, makeLiveSoon],
  );

  // The bodies not yet mounted mount one per idle period, in order, so the whole framework
  // becomes interactive soon after opening without one long task that would block typing.
  useEffect(() => {
    if (!orderKey || live.size === 0) return;
    const next = orderKey.split(',').find((id) => !live.has(id));
    if (!next) return;
    return whenIdle(() => makeLiveSoon(next));
  }, [orderKey, live, makeLiveSoon]);

  return { live, makeLive, onNear };
}
