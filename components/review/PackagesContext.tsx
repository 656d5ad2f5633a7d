'use client';

import { createContext, useContext, useMemo, type ReactNode } from 'react';
import type { FrameworkView, LayerPackage, LayerStatus } from '@/lib/framework';

/** What the package rules need of each layer (not its text, so typing re-renders nothing). */
export type PackagedLayer = {
  id: string;
  title: string;
  status: LayerStatus;
  dependencies: string[];
};

export type PackagesValue = { packages: LayerPackage[]; layers: PackagedLayer[] };

const PackagesContext = createContext<PackagesValue>({ packages: [], layers: [] });

/**
 * The framework's packages and each layer's status and dependencies, for every layer's review
 * bar; the value changes only when one of those does.
 */
export function PackagesProvider({ view, children }: { view: FrameworkView; children: ReactNode }) {
  const key = JSON.stringify({
    packages: view.packages ?? [],
    layers: view.layers.map((l) => ({
      id: l.id,
      title: l.title,
      status: l.status,
      dependencies: l.dependencies,
    })),
  });
  const value = useMemo(() => JSON.parse(key) as PackagesValue, [key]);
  return <PackagesContext.Provider value={value}>{children}</PackagesContext.Provider>;
}

export function usePackages(): PackagesValue {
  return useContext(PackagesContext);
}
