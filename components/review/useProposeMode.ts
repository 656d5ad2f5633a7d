'use client';

import { amendmentSpeakerOf } from '@/lib/write-rules';
import { useOptionalAmendments } from './AmendmentsContext';
import { useOptionalReview } from './ReviewContext';

/**
 * "Propose changes" as the layer shows it: who would table (the member's delegation, or the
 * chair), whether proposing is the member's only way to change the text (a commenter of a
 * delegation), and whether the mode is on. One reading for the narrative and the rows.
 */
export function useProposeMode() {
  const review = useOptionalReview();
  const amendments = useOptionalAmendments();
  const speaker = review ? amendmentSpeakerOf(review.actor) : null;
  const proposeOnly = Boolean(review && !review.canEdit && speaker?.as === 'member');
  const proposeMode = Boolean(speaker && (proposeOnly || amendments?.proposeMode));
  return { speaker, proposeOnly, proposeMode };
}
