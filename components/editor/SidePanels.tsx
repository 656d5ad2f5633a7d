'use client';

import { ActivityPanel } from '@/components/review/ActivityPanel';
import { AmendmentsPanel } from '@/components/review/AmendmentsPanel';
import { CommentsPanel } from '@/components/review/CommentsPanel';
import { PackagesPanel } from '@/components/review/PackagesPanel';
import { ReviewSummary } from '@/components/review/ReviewSummary';
import type { FrameworkView } from '@/lib/framework';
import { GapsPanel, PartiesPanel } from './Panels';

/**
 * The editor's side column: review summary, packages, amendments, comments, gaps, parties and
 * activity. Loaded as a chunk of its own once the layers are on screen (FrameworkEditor), so
 * its code and its first render do not stand between opening a framework and typing in it.
 */
export function SidePanels({
  view,
  review,
  onGo,
}: {
  view: FrameworkView;
  /** Review features are on (a member of a group, not a version preview). */
  review: boolean;
  onGo: (path: string) => void;
}) {
  return (
    <>
      {review && <ReviewSummary view={view} />}
      {review && <PackagesPanel />}
      {review && <AmendmentsPanel view={view} />}
      {review && <CommentsPanel />}
      <GapsPanel view={view} onGo={onGo} />
      <PartiesPanel view={view} />
      {review && <ActivityPanel />}
    </>
  );
}
