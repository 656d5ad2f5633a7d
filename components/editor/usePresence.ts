'use client';

import { useCallback, useMemo, useRef, useSyncExternalStore, type FocusEvent } from 'react';
import type { Awareness } from 'y-protocols/awareness';
import type { PresenceUser } from './fields';
import { presenceColors } from './presence-colors';

type Presence = PresenceUser & { focusLayer: string | null; self: boolean };

/** Everyone in the document (one entry per connection), from awareness. */
function useAwarenessStates(awareness: Awareness | undefined): Presence[] {
  const cache = useRef<{ version: number; value: Presence[] }>({ version: -1, value: [] });
  const version = useRef(0);
  const subscribe = useCallback(
    (notify: () => void) => {
      if (!awareness) return () => {};
      const onChange = () => {
        version.current++;
        notify();
      };
      awareness.on('change', onChange);
      return () => awareness.off('change', onChange);
    },
    [awareness],
  );
  const read = useCallback((): Presence[] => {
    if (!awareness) return cache.current.value;
    if (cache.current.version === version.current) return cache.current.value;
    const colors = presenceColors(awareness);
    const out: Presence[] = [];
    awareness.getStates().forEach((state, clientId) => {
      const user = state.user as { id?: unknown; name?: unknown; color?: unknown } | undefined;
      if (!user || typeof user.name !== 'string') return;
      out.push({
        clientId,
        id: typeof user.id === 'string' ? user.id : String(clientId),
        name: user.name,
        color: (typeof user.id === 'string' && colors.get(user.id)) || '#5a6575',
        focusLayer: typeof state.focusLayer === 'string' ? state.focusLayer : null,
        self: clientId === awareness.clientID,
      });
    });
    out.sort((a, b) => a.clientId - b.clientId);
    cache.current = { version: version.current, value: out };
    return out;
  }, [awareness]);
  return useSyncExternalStore(subscribe, read, () => cache.current.value);
}

/**
 * Who is in the framework (one avatar per person, whatever their tabs) and, per layer, the others
 * whose focus is in it (for the outline and the layer avatars).
 */
export function usePresence(awareness: Awareness | undefined): {
  people: PresenceUser[];
  presentIn: Map<string, PresenceUser[]>;
} {
  const presence = useAwarenessStates(awareness);
  const people = useMemo(() => {
    const byUser = new Map<string, Presence>();
    for (const p of presence) if (!byUser.has(p.id)) byUser.set(p.id, p);
    return [...byUser.values()];
  }, [presence]);
  const presentIn = useMemo(() => {
    const map = new Map<string, PresenceUser[]>();
    for (const p of presence) {
      if (!p.focusLayer || p.self) continue;
      const list = map.get(p.focusLayer) ?? [];
      if (!list.some((u) => u.id === p.id)) list.push(p);
      map.set(p.focusLayer, list);
    }
    return map;
  }, [presence]);
  return { people, presentIn };
}

/**
 * A focus handler for the editor's shell that tells everyone which layer I am in (through my
 * awareness state), only when that layer changes.
 */
export function useAnnounceFocusLayer(
  awareness: Awareness | undefined,
): (event: FocusEvent) => void {
  const lastFocusLayer = useRef<string | null>(null);
  return (event: FocusEvent) => {
    const layerId =
      (event.target as Element).closest<HTMLElement>('[data-layer-id]')?.dataset.layerId ?? null;
    if (!awareness || layerId === lastFocusLayer.current) return;
    lastFocusLayer.current = layerId;
    awareness.setLocalStateField('focusLayer', layerId);
  };
}
