import {
  normaliseRuns,
  runsText,
  type ProposalRun,
  type ProposedCommitment,
  type ProposedTrigger,
} from '@/lib/framework';
import type { PendingAnchor, RefusedEdit } from './ReviewContext';

/**
 * Drafts kept across a reload, in this tab's sessionStorage: the amendment being written to a
 * passage (its passage, wording and justification) or to a field or row (the field composer's
 * choices), and the refused edits offered back, per user and
 * framework. Not in localStorage, so they do not outlive the tab; and removed at sign-out, and
 * for anyone else when a user signs in, like the offline copies (components/SignOut.tsx).
 */

const PREFIX = 'briefing-draft:';

export type ComposerDraft = {
  passage: PendingAnchor;
  text: string;
  /** The wording with its formatting (absent in drafts kept before it was). */
  runs?: ProposalRun[];
  justification: string;
};
/** The field composer as it stood: layer, choice ("lead", "new-trigger", ...) and its values. */
export type FieldDraft = {
  layerId: string;
  choice: string;
  value: string;
  justification: string;
  row: ProposedCommitment;
  trigger: ProposedTrigger;
};
type Kinds = { composer: ComposerDraft; field: FieldDraft; refused: RefusedEdit[] };

const keyOf = (userId: string, frameworkId: string, kind: keyof Kinds) =>
  `${PREFIX}${userId}:${frameworkId}:${kind}`;

/** sessionStorage, or null where the browser refuses it (privacy settings, a sandboxed frame). */
function storage(): Storage | null {
  try {
    return typeof sessionStorage === 'undefined' ? null : sessionStorage;
  } catch {
    return null;
  }
}

const isAnchor = (value: unknown): value is PendingAnchor['anchor'] =>
  value === null ||
  (typeof value === 'object' &&
    typeof (value as { start?: unknown }).start === 'string' &&
    typeof (value as { end?: unknown }).end === 'string');

const isComposerDraft = (value: unknown): value is ComposerDraft => {
  const draft = value as Partial<ComposerDraft> | null;
  return (
    typeof draft?.text === 'string' &&
    typeof draft.justification === 'string' &&
    typeof draft.passage?.layerId === 'string' &&
    isAnchor(draft.passage.anchor) &&
    (draft.passage.quote === null || typeof draft.passage.quote === 'string') &&
    (draft.runs === undefined || isRunsOf(draft.runs, draft.text))
  );
};

/** Runs that say `text` (read defensively: the storage is the tab's, anything may be there). */
function isRunsOf(value: unknown, text: string): boolean {
  if (!Array.isArray(value)) return false;
  const ok = value.every(
    (r: Partial<ProposalRun> | null) =>
      typeof r?.text === 'string' &&
      Array.isArray(r.marks) &&
      r.marks.every((m: unknown) => typeof (m as { type?: unknown } | null)?.type === 'string'),
  );
  return ok && runsText(normaliseRuns(value as ProposalRun[])) === text;
}

const isFieldDraft = (value: unknown): value is FieldDraft => {
  const draft = value as Partial<FieldDraft> | null;
  return (
    ['layerId', 'choice', 'value', 'justification'].every(
      (k) => typeof draft?.[k as keyof FieldDraft] === 'string',
    ) &&
    typeof draft?.row === 'object' &&
    draft.row !== null &&
    typeof draft.trigger === 'object' &&
    draft.trigger !== null
  );
};

const isRefusedEdits = (value: unknown): value is RefusedEdit[] =>
  Array.isArray(value) &&
  value.every(
    (r: Partial<RefusedEdit> | null) =>
      typeof r?.layerId === 'string' &&
      typeof r.code === 'string' &&
      typeof r.message === 'string' &&
      ((typeof r.draft === 'object' && r.draft !== null) || Array.isArray(r.fields)),
  );

const CHECKS: { [K in keyof Kinds]: (value: unknown) => value is Kinds[K] } = {
  composer: isComposerDraft,
  field: isFieldDraft,
  refused: isRefusedEdits,
};

/** What was kept for this user and framework, or null (none, or not readable as one). */
export function loadDraft<K extends keyof Kinds>(
  userId: string,
  frameworkId: string,
  kind: K,
): Kinds[K] | null {
  const raw = storage()?.getItem(keyOf(userId, frameworkId, kind));
  if (!raw) return null;
  try {
    const value: unknown = JSON.parse(raw);
    return CHECKS[kind](value) ? value : null;
  } catch {
    return null;
  }
}

/** Keeps `value` (null or an empty list: forgets it). A full storage keeps what it had. */
export function saveDraft<K extends keyof Kinds>(
  userId: string,
  frameworkId: string,
  kind: K,
  value: Kinds[K] | null,
): void {
  const store = storage();
  if (!store) return;
  const key = keyOf(userId, frameworkId, kind);
  try {
    if (value === null || (Array.isArray(value) && value.length === 0)) store.removeItem(key);
    else store.setItem(key, JSON.stringify(value));
  } catch {
    // Over quota: the draft is still on the page, only not kept across a reload.
  }
}

/** Forgets every kept draft in this tab, except those of `keepUserId` when given. */
export function clearDrafts(keepUserId?: string): void {
  const store = storage();
  if (!store) return;
  const kept = keepUserId ? `${PREFIX}${keepUserId}:` : null;
  const keys: string[] = [];
  for (let i = 0; i < store.length; i++) {
    const key = store.key(i);
    if (key?.startsWith(PREFIX) && !(kept && key.startsWith(kept))) keys.push(key);
  }
  for (const key of keys) store.removeItem(key);
}
