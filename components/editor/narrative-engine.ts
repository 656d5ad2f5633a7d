'use client';

import { useEffect, useState } from 'react';

type NarrativeEngine = typeof import('./NarrativeEditor');

/**
 * The narrative editor with its engine (ProseMirror, Tiptap and their Yjs binding, about 40% of
 * the editor route's JavaScript) is a chunk of its own, so the route's first load does not carry
 * it. The editor asks for it as soon as it starts, while the document syncs, so it is usually
 * there by the time the layers render.
 */
let loaded: NarrativeEngine | null = null;
let loading: Promise<NarrativeEngine> | null = null;

export function loadNarrativeEngine(): Promise<NarrativeEngine> {
  loading ??= import('./NarrativeEditor').then(
    (engine) => {
      performance.mark('narrative-engine-loaded'); // a phase the editor benchmark prints
      return (loaded = engine);
    },
    (error: unknown) => {
      loading = null; // the next ask tries again
      throw error;
    },
  );
  return loading;
}

/**
 * The engine's module, or null while its chunk loads (asked for while `wanted`); `failed` when
 * it could not be loaded (the connection dropped just after the page came). Once loaded it is
 * there in the same render (React.lazy would suspend on its first render even then, and
 * Suspense holds a revealed boundary back for up to 300 ms).
 */
export function useNarrativeEngine(wanted = true): {
  engine: NarrativeEngine | null;
  failed: boolean;
} {
  const [engine, setEngine] = useState(() => loaded);
  const [failed, setFailed] = useState(false);
  useEffect(() => {
    if (!wanted || engine) return;
    let current = true;
    loadNarrativeEngine().then(
      (module) => current && setEngine(module),
      (error: unknown) => {
        console.warn('the editor did not load', error);
        if (current) setFailed(true);
      },
    );
    return () => {
      current = false;
    };
  }, [wanted, engine]);
  return { engine, failed };
}

/**
 * For the editor: asks for the engine while `wanted` (not in read mode), from the start, while
 * the document syncs; and says whether the layers may render yet: once the engine is there (or
 * failed), or `graceMs` after the document loaded, whichever comes first. When the engine's
 * chunk has arrived but not run, rendering the 30 layers first would make it wait for that
 * render, and the editors would mount in a second one; a short wait lets it run first. A slow
 * network gets the layers (text and fields) after the grace period, and the editors when the
 * engine comes.
 */
export function useNarrativeEngineGrace(
  wanted: boolean,
  documentLoaded: boolean,
  graceMs = 300,
): boolean {
  const { engine, failed } = useNarrativeEngine(wanted);
  const [timedOut, setTimedOut] = useState(false);
  const waiting = wanted && documentLoaded && !engine && !failed;
  useEffect(() => {
    if (!waiting) return;
    const timer = window.setTimeout(() => setTimedOut(true), graceMs);
    return () => window.clearTimeout(timer);
  }, [waiting, graceMs]);
  return !waiting || timedOut;
}
