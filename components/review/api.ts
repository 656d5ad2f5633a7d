'use client';

import type { ThreadView } from '@/lib/review/wire';

/** Calls a review route; resolves with its JSON or throws an Error with the server's message. */
export async function reviewFetch<T>(
  url: string,
  init: { method?: string; body?: unknown } = {},
): Promise<T> {
  const response = await fetch(url, {
    method: init.method ?? 'GET',
    headers: init.body !== undefined ? { 'content-type': 'application/json' } : undefined,
    body: init.body !== undefined ? JSON.stringify(init.body) : undefined,
  });
  const json: unknown = await response.json().catch(() => null);
  if (!response.ok) {
    const message =
      typeof json === 'object' && json !== null && 'message' in json
        ? String((json as { message: unknown }).message)
        : `Request failed (${response.status}).`;
    throw new Error(message);
  }
  return json as T;
}

export type { ThreadView };

export type ActivityEvent = {
  id: number;
  layerId: string | null;
  actorId: string | null;
  actorName: string | null;
  actorDelegation: string | null;
  kind: string;
  details: Record<string, unknown>;
  createdAt: string;
};
