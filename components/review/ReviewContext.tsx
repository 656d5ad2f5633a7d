'use client';

import {
  createContext,
  useCallback,
  useContext,
  useEffect,
  useMemo,
  useState,
  type ReactNode,
} from 'react';
import type { WebsocketProvider } from 'y-websocket';
import type { ReviewRefusal } from '@/lib/collab/protocol';
import { onReviewMessages } from '@/lib/collab/review-messages';
import type { Role } from '@/lib/roles';
import { partyIdOf } from '@/lib/framework';
import { mayAgree, type DelegationActor, type Writer } from '@/lib/write-rules';
import { can } from '@/lib/permissions';
import { reviewFetch, type ThreadView } from './api';
import { loadDraft, saveDraft, type ComposerDraft, type FieldDraft } from './draft-store';

/** A passage picked in a narrative for a new comment thread. */
export type PendingAnchor = {
  layerId: string;
  anchor: { start: string; end: string } | null;
  quote: string | null;
};

export type ReviewContextValue = {
  base: string;
  workspaceId: string;
  frameworkId: string;
  me: { id: string; name: string; role: Role; delegation: string | null };
  canComment: boolean;
  /** May agree and reopen layers, and change agreed ones (lib/write-rules.ts mayAgree). */
  canAgree: boolean;
  /** May hide others' comments (owners). */
  canHide: boolean;
  /** Who I am to the write rules: my role, and whether the framework is archived. */
  writer: Writer;
  /** Who I am to a delegation's acts: the writer, and the party I speak for (its id). */
  actor: DelegationActor;
  canEdit: boolean;
  threads: ThreadView[];
  refreshThreads: () => void;
  /** Bumped on every review change (status, comments) so the activity feed refetches. */
  activityVersion: number;
  bumpActivity: () => void;
  /** Bumped when the framework's amendments change (live notice): the panel refetches. */
  amendmentsVersion: number;
  /** A passage picked for a new amendment ("Propose change"). */
  proposing: PendingAnchor | null;
  propose: (passage: PendingAnchor | null) => void;
  pending: PendingAnchor | null;
  startThread: (pending: PendingAnchor) => void;
  cancelThread: () => void;
  /** Thread to highlight and scroll to (set from the sidebar). */
  focusedThread: string | null;
  focusThread: (id: string | null) => void;
  refusals: ReviewRefusal[];
  /**
   * Edits of mine the server refused because their layer was frozen, with what I typed: kept
   * (one per layer, the latest) until I table them as amendments or dismiss them.
   */
  refusedDrafts: RefusedEdit[];
  dismissRefusedDraft: (layerId: string) => void;
  /** The text, or one field change, of a refused edit was taken up: it is offered no more. */
  dropRefusedText: (layerId: string) => void;
  dropRefusedFieldChange: (layerId: string, index: number) => void;
  /**
   * Null until the kept drafts were restored (after the first sync); then the composers' drafts
   * found then, if any (passage and field). The composers start from them, and keep their own.
   */
  keptDrafts: { composer: ComposerDraft | null; field: FieldDraft | null } | null;
};

/** A refused edit that carries what its author typed: a text draft, field changes, or both. */
export type RefusedEdit = ReviewRefusal;

const offersSomething = (r: ReviewRefusal) => r.draft !== undefined || (r.fields?.length ?? 0) > 0;

const ReviewContext = createContext<ReviewContextValue | null>(null);

const RECONCILE_AFTER_MS = 2000;

/** The thread a notice carries, if it reads as one (it comes from our server, as JSON). */
function pushedThread(json: string | null): ThreadView | null {
  if (!json) return null;
  try {
    const value: unknown = JSON.parse(json);
    const thread = value as ThreadView;
    return typeof value === 'object' &&
      value !== null &&
      typeof thread.id === 'string' &&
      typeof thread.layerId === 'string' &&
      Array.isArray(thread.comments)
      ? thread
      : null;
  } catch {
    return null;
  }
}

/** `threads` with `thread` replacing its old copy, or added (the list is in creation order). */
function withThread(threads: ThreadView[], thread: ThreadView): ThreadView[] {
  const index = threads.findIndex((t) => t.id === thread.id);
  if (index === -1) return [...threads, thread];
  return threads.map((t, i) => (i === index ? thread : t));
}

export function useReview(): ReviewContextValue {
  const value = useContext(ReviewContext);
  if (!value) throw new Error('useReview outside the review provider');
  return value;
}

/** The review state of one framework page: threads (live), my rights, refusals from the server. */
export function ReviewProvider({
  workspaceId,
  frameworkId,
  me,
  canEdit,
  archived,
  provider,
  enabled = true,
  children,
}: {
  workspaceId: string;
  frameworkId: string;
  me: ReviewContextValue['me'];
  canEdit: boolean;
  /** The framework is archived (read-only for all). */
  archived: boolean;
  provider: WebsocketProvider | undefined;
  /** False where the page has no review: nothing is fetched. */
  enabled?: boolean;
  children: ReactNode;
}) {
  const base = `/api/groups/${workspaceId}/frameworks/${frameworkId}`;
  const [threads, setThreads] = useState<ThreadView[]>([]);
  const [activityVersion, setActivityVersion] = useState(0);
  const [pending, setPending] = useState<PendingAnchor | null>(null);
  const [focusedThread, setFocusedThread] = useState<string | null>(null);
  const [refusals, setRefusals] = useState<ReviewRefusal[]>([]);
  const [refusedDrafts, setRefusedDrafts] = useState<RefusedEdit[]>([]);
  const dismissRefusedDraft = useCallback(
    (layerId: string) => setRefusedDrafts((all) => all.filter((r) => r.layerId !== layerId)),
    [],
  );
  const changeRefused = useCallback(
    (layerId: string, change: (r: RefusedEdit) => RefusedEdit) =>
      setRefusedDrafts((all) =>
        all.map((r) => (r.layerId === layerId ? change(r) : r)).filter(offersSomething),
      ),
    [],
  );
  const dropRefusedText = useCallback(
    (layerId: string) => changeRefused(layerId, ({ draft: _taken, ...rest }) => rest),
    [changeRefused],
  );
  const dropRefusedFieldChange = useCallback(
    (layerId: string, index: number) =>
      changeRefused(layerId, (r) => ({ ...r, fields: r.fields?.filter((_, i) => i !== index) })),
    [changeRefused],
  );
  const [amendmentsVersion, setAmendmentsVersion] = useState(0);
  const [proposing, setProposing] = useState<PendingAnchor | null>(null);
  // Drafts kept across a reload (components/review/draft-store.ts), restored once the document
  // has synced (their anchors resolve then), and kept from then on.
  const [kept, setKept] = useState<ReviewContextValue['keptDrafts']>(null);
  useEffect(() => {
    if (!provider) return;
    const restore = (synced: boolean) => {
      if (!synced) return;
      provider.off('sync', restore);
      const refused = loadDraft(me.id, frameworkId, 'refused');
      if (refused) setRefusedDrafts(refused);
      const composer = loadDraft(me.id, frameworkId, 'composer');
      if (composer) setProposing(composer.passage);
      setKept({ composer, field: loadDraft(me.id, frameworkId, 'field') });
    };
    if (provider.synced) queueMicrotask(() => restore(true));
    else provider.on('sync', restore);
    return () => provider.off('sync', restore);
  }, [provider, me.id, frameworkId]);
  useEffect(() => {
    if (kept) saveDraft(me.id, frameworkId, 'refused', refusedDrafts);
  }, [kept, me.id, frameworkId, refusedDrafts]);

  const refreshThreads = useCallback(() => {
    reviewFetch<{ threads: ThreadView[] }>(`${base}/comments`).then(
      (r) => setThreads(r.threads),
      (error: unknown) => console.warn('comments refresh failed', error),
    );
  }, [base]);
  const bumpActivity = useCallback(() => setActivityVersion((v) => v + 1), []);

  useEffect(() => {
    if (enabled) refreshThreads();
  }, [refreshThreads, enabled]);
  useEffect(() => {
    if (!provider) return;
    let reconcile: number | undefined;
    /** When each thread's last notice arrived. */
    const lastNotice = new Map<string, number>();
    const stop = onReviewMessages(provider, {
      onCommentsChanged: (notice) => {
        if (notice.topic === 'amendments') {
          setAmendmentsVersion((v) => v + 1);
          bumpActivity();
          return;
        }
        const thread = pushedThread(notice.thread);
        if (thread) {
          setThreads((current) => withThread(current, thread));
          // Two notices of one thread close together may have crossed on their way (two
          // writers, two instances), leaving the older view shown: one refetch after the burst
          // settles puts it in its stored state. A lone notice is the latest; nothing to fetch.
          const now = Date.now();
          const previous = lastNotice.get(thread.id);
          lastNotice.set(thread.id, now);
          if (previous !== undefined && now - previous < RECONCILE_AFTER_MS) {
            window.clearTimeout(reconcile);
            reconcile = window.setTimeout(refreshThreads, RECONCILE_AFTER_MS);
          }
        } else {
          refreshThreads();
        }
        bumpActivity();
      },
      onRefused: (r) => {
        const drafts = r.filter(offersSomething);
        if (drafts.length > 0) {
          const layers = new Set(drafts.map((d) => d.layerId));
          setRefusedDrafts((all) => [...all.filter((d) => !layers.has(d.layerId)), ...drafts]);
        }
        setRefusals(r);
        window.setTimeout(() => setRefusals([]), 6000);
      },
    });
    return () => {
      window.clearTimeout(reconcile);
      stop();
    };
  }, [provider, refreshThreads, bumpActivity]);

  const value = useMemo<ReviewContextValue>(
    () => ({
      base,
      workspaceId,
      frameworkId,
      me,
      canComment: can(me.role, 'document.comment'),
      canAgree: mayAgree({ role: me.role, archived }),
      canHide: can(me.role, 'comment.hide'),
      writer: { role: me.role, archived },
      actor: {
        role: me.role,
        archived,
        delegation: me.delegation ? partyIdOf(me.delegation) : null,
      },
      canEdit,
      threads,
      refreshThreads,
      activityVersion,
      bumpActivity,
      amendmentsVersion,
      proposing,
      propose: setProposing,
      pending,
      startThread: setPending,
      cancelThread: () => setPending(null),
      focusedThread,
      focusThread: setFocusedThread,
      refusals,
      refusedDrafts,
      dismissRefusedDraft,
      dropRefusedText,
      dropRefusedFieldChange,
      keptDrafts: kept,
    }),
    [
      base,
      workspaceId,
      frameworkId,
      me,
      canEdit,
      archived,
      threads,
      refreshThreads,
      activityVersion,
      bumpActivity,
      amendmentsVersion,
      proposing,
      pending,
      focusedThread,
      refusals,
      refusedDrafts,
      dismissRefusedDraft,
      dropRefusedText,
      dropRefusedFieldChange,
      kept,
    ],
  );
  if (!enabled) return <>{children}</>;
  return <ReviewContext.Provider value={value}>{children}</ReviewContext.Provider>;
}

/** The review context when the editor runs inside a framework page with review, else null. */
export function useOptionalReview(): ReviewContextValue | null {
  return useContext(ReviewContext);
}
