'use client';

import { useCallback, useState } from 'react';

/** Which layers are folded to their header: toggled by their button, opened by a jump. */
export function useCollapsedLayers(): {
  collapsed: ReadonlySet<string>;
  toggle: (layerId: string) => void;
  expand: (layerId: string) => void;
} {
  const [collapsed, setCollapsed] = useState<ReadonlySet<string>>(() => new Set());
  const toggle = useCallback((layerId: string) => {
    setCollapsed((current) => {
      const next = new Set(current);
      if (next.has(layerId)) next.delete(layerId);
      else next.add(layerId);
      return next;
    });
  }, []);
  const expand = useCallback((layerId: string) => {
    setCollapsed((current) => {
      if (!current.has(layerId)) return current;
      const next = new Set(current);
      next.delete(layerId);
      return next;
    });
  }, []);
  return { collapsed, toggle, expand };
}
