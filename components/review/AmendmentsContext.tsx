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
import type { AmendmentListItem } from '@/lib/amendments/wire';
import {
  editRuns,
  normaliseRuns,
  passageRuns,
  runsText,
  toggleMark,
  type ProposalRun,
  type ProposedCommitment,
  type ProposedTrigger,
  type ToggledMark,
} from '@/lib/framework';
import { useEditorContext } from '@/components/editor/EditorContext';
import { reviewFetch } from './api';
import { useOptionalReview, type PendingAnchor } from './ReviewContext';
import { saveDraft } from './draft-store';
import { revealWhenPresent } from './reveal';

export type AmendmentsValue = {
  amendments: AmendmentListItem[];
  refresh: () => void;
  /** The amendment the panel shows opened (from a marker in the text). */
  focused: string | null;
  /** Opens an amendment in the panel: focuses it there and scrolls to it. */
  open: (id: string) => void;
  /** Tabled amendments marked in the text ("Show amendments"). */
  showMarkers: boolean;
  setShowMarkers: (on: boolean) => void;
  /** Markers of one delegation only ('' for all). */
  markerParty: string;
  setMarkerParty: (party: string) => void;
  /** The panel lists one layer's amendments only (null: all layers). */
  layerFilter: string | null;
  showLayer: (layerId: string | null) => void;
  /**
   * "Propose changes": editing a passage drafts an amendment instead of changing the common
   * text. A UI mode for editors; the only mode for commenters of a delegation (whose edits the
   * server refuses anyway).
   */
  proposeMode: boolean;
  setProposeMode: (on: boolean) => void;
  /** Picks a passage for a new amendment with its wording already drafted (a refused edit). */
  proposeWith: (passage: PendingAnchor, text: string) => void;
  /** The wording being drafted for the picked passage, shown as tracked changes in the text. */
  draftText: string;
  setDraftText: (text: string) => void;
  /**
   * The same wording with its formatting: it starts as the passage's own (bold, italic, links),
   * typed words take the formatting before them, and the composer toggles bold and italic.
   */
  draftRuns: ProposalRun[];
  toggleDraftMark: (from: number, to: number, mark: ToggledMark) => void;
  /** The justification being written for it. */
  justification: string;
  setJustification: (text: string) => void;
  /**
   * A field or row proposal started from the layer itself ("Propose removal" on a commitment row,
   * "Propose a new trigger"): the panel opens its field composer on it. Null: none asked for.
   */
  fieldProposal: FieldProposal | null;
  proposeField: (proposal: Omit<FieldProposal, 'seq'> | null) => void;
};

/** Which layer and which choice of the field composer ("remove:trigger:<id>", "new-trigger"...). */
export type FieldProposal = {
  layerId: string;
  choice: string;
  /** What the composer starts from (a refused edit offered back): a field's value, a row. */
  value?: string;
  row?: ProposedCommitment;
  trigger?: ProposedTrigger;
  /** Its justification (a draft kept across a reload). */
  justification?: string;
  /** Counts requests, so asking again for the same row opens a fresh composer. */
  seq: number;
};

const AmendmentsContext = createContext<AmendmentsValue | null>(null);

/**
 * The framework's amendments, fetched once for the panel and the markers in every layer's text,
 * and refetched on each live notice; with the marker switches and the panel's layer filter.
 */
export function AmendmentsProvider({ children }: { children: ReactNode }) {
  const review = useOptionalReview();
  const url = review ? `${review.base}/amendments` : null;
  const version = review?.amendmentsVersion ?? 0;
  const [amendments, setAmendments] = useState<AmendmentListItem[]>([]);
  const [focused, setFocused] = useState<string | null>(null);
  const [showMarkers, setShowMarkers] = useState(true);
  const [markerParty, setMarkerParty] = useState('');
  const [layerFilter, setLayerFilter] = useState<string | null>(null);
  const [proposeMode, setProposeMode] = useState(false);
  const { doc } = useEditorContext();
  const [draftRuns, setDraftRuns] = useState<ProposalRun[]>([]);
  const draftText = useMemo(() => runsText(draftRuns), [draftRuns]);
  const setDraftText = useCallback(
    (text: string) => setDraftRuns((runs) => editRuns(runs, text)),
    [],
  );
  const toggleDraftMark = useCallback(
    (from: number, to: number, mark: ToggledMark) =>
      setDraftRuns((runs) => toggleMark(runs, from, to, mark)),
    [],
  );
  const [fieldProposal, setFieldProposal] = useState<FieldProposal | null>(null);
  const [justification, setJustification] = useState('');
  // A new passage picked: its draft starts as the passage itself, or as the wording it was
  // picked with (a refused edit, a draft kept across a reload).
  // (State adjusted while rendering, React's way for state derived from a changed value.)
  const picked = review?.proposing ?? null;
  const [draftFor, setDraftFor] = useState(picked);
  const [preset, setPreset] = useState<{ passage: PendingAnchor; text: string } | null>(null);
  const kept = review?.keptDrafts?.composer ?? null;
  // A field composer's draft kept across a reload opens the composer on it again, once.
  const keptField = review?.keptDrafts?.field ?? null;
  const [keptFieldOpened, setKeptFieldOpened] = useState(false);
  if (keptField && !keptFieldOpened) {
    setKeptFieldOpened(true);
    setFieldProposal({ ...keptField, seq: 1 });
  }
  if (draftFor !== picked) {
    setDraftFor(picked);
    const wording = [preset, kept].find((p) => p && p.passage === picked);
    // The passage's own formatting, then what was kept or offered, then the passage's words.
    const own = picked?.anchor ? (passageRuns(doc, picked.layerId, picked.anchor) ?? []) : [];
    setDraftRuns(
      kept && wording === kept && kept.runs
        ? normaliseRuns(kept.runs)
        : editRuns(own, wording ? wording.text : (picked?.quote ?? '')),
    );
    setJustification(kept && kept.passage === picked ? kept.justification : '');
  }
  // Kept across a reload once the kept drafts were restored (components/review/draft-store.ts).
  const restored = review?.keptDrafts !== null && review?.keptDrafts !== undefined;
  const userId = review?.me.id;
  const frameworkId = review?.frameworkId;
  useEffect(() => {
    if (!restored || !userId || !frameworkId) return;
    saveDraft(
      userId,
      frameworkId,
      'composer',
      picked ? { passage: picked, text: draftText, runs: draftRuns, justification } : null,
    );
  }, [restored, userId, frameworkId, picked, draftText, draftRuns, justification]);
  const propose = review?.propose;
  const proposeWith = useCallback(
    (passage: PendingAnchor, text: string) => {
      setPreset({ passage, text });
      propose?.(passage);
    },
    [propose],
  );

  const refresh = useCallback(() => {
    if (!url) return;
    reviewFetch<{ amendments: AmendmentListItem[] }>(url).then(
      (r) => setAmendments(r.amendments),
      (error: unknown) => console.warn('amendments refresh failed', error),
    );
  }, [url]);
  useEffect(() => refresh(), [refresh, version]);

  const open = useCallback(
    (id: string) => {
      setFocused(id);
      // The amendment may be filtered out of the panel: show every layer (and every delegation,
      // when another one's are shown) so it is there; the panel widens its status filter too.
      setLayerFilter(null);
      const target = amendments.find((a) => a.id === id);
      const ofParty = (party: string) =>
        target?.party === party || target?.sponsors.some((s) => s.party === party);
      setMarkerParty((party) => (party && !ofParty(party) ? '' : party));
      revealWhenPresent(`[data-amendment-item="${CSS.escape(id)}"]`, { smooth: true });
    },
    [amendments],
  );
  const proposeField = useCallback((proposal: Omit<FieldProposal, 'seq'> | null) => {
    setFieldProposal((previous) =>
      proposal ? { ...proposal, seq: (previous?.seq ?? 0) + 1 } : null,
    );
  }, []);
  const showLayer = useCallback((layerId: string | null) => {
    setLayerFilter(layerId);
    revealWhenPresent('.am-panel h2', { smooth: true });
  }, []);

  const value = useMemo<AmendmentsValue>(
    () => ({
      amendments,
      refresh,
      focused,
      open,
      showMarkers,
      setShowMarkers,
      markerParty,
      setMarkerParty,
      layerFilter,
      showLayer,
      proposeMode,
      setProposeMode,
      proposeWith,
      draftText,
      setDraftText,
      draftRuns,
      toggleDraftMark,
      justification,
      setJustification,
      fieldProposal,
      proposeField,
    }),
    [
      amendments,
      refresh,
      focused,
      open,
      showMarkers,
      markerParty,
      layerFilter,
      showLayer,
      proposeMode,
      proposeWith,
      draftText,
      setDraftText,
      draftRuns,
      toggleDraftMark,
      justification,
      fieldProposal,
      proposeField,
    ],
  );
  return <AmendmentsContext.Provider value={value}>{children}</AmendmentsContext.Provider>;
}

export function useAmendments(): AmendmentsValue {
  const value = useContext(AmendmentsContext);
  if (!value) throw new Error('useAmendments outside the amendments provider');
  return value;
}

export function useOptionalAmendments(): AmendmentsValue | null {
  return useContext(AmendmentsContext);
}

/** Whether the marker switches ("Show amendments in the text", the delegation) let it through. */
function markerShows(value: AmendmentsValue, a: AmendmentListItem): boolean {
  return (
    value.showMarkers &&
    a.status === 'tabled' &&
    (!value.markerParty ||
      a.party === value.markerParty ||
      a.sponsors.some((s) => s.party === value.markerParty))
  );
}

type ByRow = {
  commitment: Map<string, AmendmentListItem[]>;
  trigger: Map<string, AmendmentListItem[]>;
};

/** A layer's row amendments: removals and field changes by row, new rows by list. */
export type RowMarks = {
  removals: ByRow;
  changes: ByRow;
  added: { commitment: AmendmentListItem[]; trigger: AmendmentListItem[] };
  open: ((id: string) => void) | null;
};

// By kind of row: a commitment's and a trigger's ids are drawn apart and could meet.
const byRow = (): ByRow => ({ commitment: new Map(), trigger: new Map() });
const noMarks = (open: RowMarks['open']): RowMarks => ({
  removals: byRow(),
  changes: byRow(),
  added: { commitment: [], trigger: [] },
  open,
});

/**
 * Every layer's row marks, made in one pass over the amendments per state of the provider (each
 * row of read mode and each table of the editor asks for its layer's, hundreds at a time).
 */
const rowMarksCache = new WeakMap<AmendmentsValue, Map<string, RowMarks>>();
function rowMarksByLayer(value: AmendmentsValue): Map<string, RowMarks> {
  const cached = rowMarksCache.get(value);
  if (cached) return cached;
  const layers = new Map<string, RowMarks>();
  const push = (rows: Map<string, AmendmentListItem[]>, id: string, a: AmendmentListItem) =>
    rows.set(id, [...(rows.get(id) ?? []), a]);
  for (const a of value.amendments) {
    if (!markerShows(value, a)) continue;
    let marks = layers.get(a.layerId);
    if (!marks) layers.set(a.layerId, (marks = noMarks(value.open)));
    if (a.target.kind === 'remove') push(marks.removals[a.target.item], a.target.id, a);
    else if (a.target.kind === 'row') marks.added[a.target.item].push(a);
    else if (a.target.kind === 'field' && a.target.item !== 'layer') {
      push(marks.changes[a.target.item], a.target.id, a);
    }
  }
  rowMarksCache.set(value, layers);
  return layers;
}

/**
 * The tabled row amendments of a layer the marker switches let through, for its tables: the
 * removals and field changes by the row (commitment or trigger) they apply to, and the new rows
 * proposed for each list.
 */
export function useRowMarks(layerId: string): RowMarks {
  const value = useOptionalAmendments();
  return useMemo(
    () => (value && rowMarksByLayer(value).get(layerId)) || noMarks(value?.open ?? null),
    [value, layerId],
  );
}

/** The tabled passage amendments of a layer that the marker switches let through. */
export function useMarkedAmendments(
  layerId: string | undefined,
  allLayers = false,
): AmendmentListItem[] {
  const value = useOptionalAmendments();
  return useMemo(() => {
    if (!value || !value.showMarkers || (!layerId && !allLayers)) return [];
    return value.amendments.filter(
      (a) =>
        (allLayers || a.layerId === layerId) &&
        a.target.kind === 'passage' &&
        markerShows(value, a),
    );
  }, [value, layerId, allLayers]);
}
