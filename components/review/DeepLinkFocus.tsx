'use client';

import { useEffect, useRef } from 'react';
import type { FrameworkFocus } from '@/lib/paths';
import { useOptionalAmendments } from './AmendmentsContext';
import { useOptionalReview } from './ReviewContext';
import { revealWhenPresent } from './reveal';

/**
 * Opens what a link points at (`?thread=` or `?amendment=`, lib/paths.ts), once: mounts its layer,
 * focuses the thread (its passage is highlighted and scrolled to in the text) or opens the
 * amendment, and moves keyboard focus to it in the side column. An id that names nothing of this
 * framework (deleted, or typed by a stranger) does nothing.
 */
export function DeepLinkFocus({
  focus,
  onLayer,
}: {
  focus: FrameworkFocus;
  /** Mounts and expands a layer, so its text is there to show the passage. */
  onLayer: (layerId: string) => void;
}) {
  const review = useOptionalReview();
  const amendments = useOptionalAmendments();
  const handled = useRef<{ thread?: string; amendment?: string }>({});
  // A reveal outlives re-renders (a refetch gives the thread a new object); only leaving stops it.
  const cancels = useRef<Array<() => void>>([]);
  useEffect(() => () => cancels.current.forEach((cancel) => cancel()), []);

  const thread = focus.thread ? review?.threads.find((t) => t.id === focus.thread) : undefined;
  const focusThread = review?.focusThread;
  useEffect(() => {
    if (!thread || !focusThread || handled.current.thread === thread.id) return;
    handled.current.thread = thread.id;
    onLayer(thread.layerId);
    focusThread(thread.id);
    cancels.current.push(revealWhenPresent(`[data-thread-item="${CSS.escape(thread.id)}"]`));
  }, [thread, focusThread, onLayer]);

  const amendment = focus.amendment
    ? amendments?.amendments.find((a) => a.id === focus.amendment)
    : undefined;
  const openAmendment = amendments?.open;
  useEffect(() => {
    if (!amendment || !openAmendment || handled.current.amendment === amendment.id) return;
    handled.current.amendment = amendment.id;
    onLayer(amendment.layerId);
    openAmendment(amendment.id); // which brings it into view in the panel and focuses it
  }, [amendment, openAmendment, onLayer]);

  return null;
}
