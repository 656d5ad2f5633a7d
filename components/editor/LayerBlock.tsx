'use client';

import {
  memo,
  useEffect,
  useMemo,
  useRef,
  useState,
  type DragEvent,
  type KeyboardEvent,
} from 'react';
import {
  fieldPath,
  getLayerTitleText,
  getNarrativeFragment,
  LAYER_KIND_LABELS,
  LAYER_KINDS,
  LAYER_STATUS_LABELS,
  LAYER_STATUSES,
  setLayerField,
  type Layer,
  type LayerKind,
  type LayerStatus,
} from '@/lib/framework';
import { LayerReviewBar } from '@/components/review/LayerReviewBar';
import { useOptionalReview } from '@/components/review/ReviewContext';
import { useOptionalAmendments } from '@/components/review/AmendmentsContext';
import { useProposeMode } from '@/components/review/useProposeMode';
import { frozenBecause, gateOf, isLockedStatus, readBrackets } from '@/lib/framework';
import { mayChangeLayer } from '@/lib/write-rules';
import { EditorProvider, useEditorContext } from './EditorContext';
import { Avatars, partyName, partyOptions, Select, type PresenceUser } from './fields';
import { Positions } from '../review/Positions';
import { Commitments, Dependencies, OpenQuestions, Risks, Triggers } from './LayerSections';
import { useNarrativeEngine } from './narrative-engine';
import { NarrativePreview } from './NarrativePreview';
import { YTextField } from './YTextField';

const kindOptions = LAYER_KINDS.map((k) => ({ value: k, label: LAYER_KIND_LABELS[k] }));
// Editors move a layer up to "in review"; agreeing is the owners' workflow (a later issue).
const EDITOR_STATUSES: readonly LayerStatus[] = ['draft', 'proposed', 'in_review'];
const statusOptions = LAYER_STATUSES.map((s) => ({
  value: s,
  label: LAYER_STATUS_LABELS[s],
  disabled: !EDITOR_STATUSES.includes(s),
}));

/** Pixels a layer's fields take, roughly, so a layer keeps about its height when it mounts. */
function estimateFieldsHeight(layer: Layer, parties: number, layers: number): number {
  const commitments = 110 + layer.commitments.length * 46;
  const triggers = 110 + layer.triggers.length * (200 + Math.ceil(parties / 4) * 24);
  const positions = 90 + Math.max(parties, Object.keys(layer.positions).length) * 46;
  const notes = 2 * 110 + (layer.openQuestions.length + layer.risks.length) * 50;
  const sideColumn = 150 + Math.max(0, layers - 1) * 26 + notes;
  return commitments + triggers + Math.max(positions, sideColumn);
}

/** Pixels a whole mounted layer takes, roughly: header, narrative (by its length) and fields. */
function estimateLayerHeight(layer: Layer, parties: number, layers: number): number {
  const narrativeLines = layer.narrative.text
    .split('\n')
    .reduce((sum, line) => sum + Math.max(1, Math.ceil(line.length / 85)), 0);
  return 330 + 90 + narrativeLines * 27 + estimateFieldsHeight(layer, parties, layers);
}

/**
 * A layer's body before it is mounted: its narrative as plain paragraphs (readable and found by
 * the browser's find-in-page) and room for its fields. The layer becomes fully interactive when
 * it comes near the viewport, gets focus or is jumped to, or when the browser is idle.
 */
function LayerBodyPreview({
  id,
  layer,
  parties,
  layers,
}: {
  id: string;
  layer: Layer;
  parties: number;
  layers: number;
}) {
  return (
    <div id={id} className="ed-layer-body ed-layer-pending">
      <div className="ed-section">
        <h4 className="ed-section-title">Narrative</h4>
        <NarrativePreview text={layer.narrative.text} />
      </div>
      <div
        className="ed-fields-placeholder"
        aria-hidden="true"
        style={{ height: estimateFieldsHeight(layer, parties, layers) }}
      />
    </div>
  );
}

export const LAYER_DRAG_TYPE = 'application/x-framework-layer';

type Props = {
  layer: Layer;
  index: number;
  count: number;
  collapsed: boolean;
  present: PresenceUser[];
  user: { id: string; name: string };
  onToggle: (layerId: string) => void;
  onMove: (layerId: string, delta: -1 | 1) => void;
  onDrop: (layerId: string, targetId: string, after: boolean) => void;
  onRemove: (layerId: string) => void;
  /** Whether the body (narrative editor and fields) is mounted; else a light preview. */
  live: boolean;
  /** Asks for the body to be mounted: now (the layer has focus) or soon (it is near view). */
  onNear: (layerId: string, now: boolean) => void;
  onNarrativeReady?: () => void;
};

/** One layer of the framework: its header (title, kind, status, lead) and its fields. */
export const LayerBlock = memo(function LayerBlock({
  layer,
  index,
  count,
  collapsed,
  present,
  user,
  onToggle,
  onMove,
  onDrop,
  onRemove,
  live,
  onNear,
  onNarrativeReady,
}: Props) {
  const outer = useEditorContext();
  const review = useOptionalReview();
  // An agreed layer, or one under silence, is frozen for everyone (the server enforces it too).
  const gate = gateOf(layer.status, layer.statusDetail);
  const locked = review ? !mayChangeLayer(review.writer, gate) : frozenBecause(gate) !== null;
  // "Propose changes": nothing in the layer writes to the common text; the fields an amendment
  // may change offer what is entered to the amendments composer instead (fields.tsx).
  const { proposeMode } = useProposeMode();
  const proposeField = useOptionalAmendments()?.proposeField;
  const context = useMemo(() => {
    if (proposeMode && proposeField) {
      return {
        ...outer,
        readOnly: true,
        proposeValue: (choice: string, value: string) =>
          proposeField({ layerId: layer.id, choice, value }),
      };
    }
    return locked && !outer.readOnly ? { ...outer, readOnly: true } : outer;
  }, [outer, locked, proposeMode, proposeField, layer.id]);
  const { doc, origin, readOnly, parties } = context;
  const [dropAt, setDropAt] = useState<'before' | 'after' | null>(null);
  const sectionRef = useRef<HTMLElement>(null);
  // A click on the narrative while its editor is still loading: focus the editor when it is.
  const focusWhenReadyRef = useRef(false);
  const { engine, failed: engineFailed } = useNarrativeEngine();

  // The narrative editor and the fields are the costly part of opening a long framework: mount
  // a layer's body when it comes near the viewport (the editor also mounts the rest one by one
  // while the browser is idle), and keep it mounted after.
  useEffect(() => {
    const section = sectionRef.current;
    if (live || !section) return;
    const observer = new IntersectionObserver(
      (entries) => {
        if (entries.some((e) => e.isIntersecting)) onNear(layer.id, false);
      },
      { rootMargin: '800px 0px' },
    );
    observer.observe(section);
    return () => observer.disconnect();
  }, [live, onNear, layer.id]);
  const title = layer.title.trim() || 'Untitled layer';
  const name = `Layer ${index + 1}: ${title}`;
  const bodyId = `layer-body-${layer.id}`;
  const fragment = getNarrativeFragment(doc, layer.id);

  const onHeaderKey = (event: KeyboardEvent) => {
    if (readOnly || !event.altKey) return;
    if (event.key === 'ArrowUp' || event.key === 'ArrowDown') {
      event.preventDefault();
      onMove(layer.id, event.key === 'ArrowUp' ? -1 : 1);
    }
  };
  const isLayerDrag = (event: DragEvent) => event.dataTransfer.types.includes(LAYER_DRAG_TYPE);
  const half = (event: DragEvent) => {
    const rect = event.currentTarget.getBoundingClientRect();
    return event.clientY > rect.top + rect.height / 2 ? 'after' : 'before';
  };

  // Only the review bar of a mounted layer shows it: no need to read every layer's marks.
  const openBrackets = live && fragment ? readBrackets(fragment).length : 0;
  const threadCount =
    review?.threads.filter((t) => t.layerId === layer.id && !t.resolved).length ?? 0;

  return (
    <EditorProvider value={context}>
      <section
        ref={sectionRef}
        id={`layer-${layer.id}`}
        className={`ed-layer${dropAt ? ` ed-drop-${dropAt}` : ''}${isLockedStatus(layer.status) ? ' ed-layer-locked' : ''}`}
        aria-label={name}
        data-layer-id={layer.id}
        // Off-screen layers skip layout (content-visibility); until first laid out, they count
        // as about their own height rather than one size for all, so jumps land where they aim.
        style={{
          containIntrinsicSize: `auto ${estimateLayerHeight(layer, parties.length, outer.layers.length)}px`,
        }}
        onDragOver={(event) => {
          if (readOnly || !isLayerDrag(event)) return;
          event.preventDefault();
          setDropAt(half(event));
        }}
        onDragLeave={() => setDropAt(null)}
        onFocus={() => {
          if (!live) onNear(layer.id, true);
        }}
        onDrop={(event) => {
          if (readOnly || !isLayerDrag(event)) return;
          event.preventDefault();
          setDropAt(null);
          const dragged = event.dataTransfer.getData(LAYER_DRAG_TYPE);
          if (dragged && dragged !== layer.id) onDrop(dragged, layer.id, half(event) === 'after');
        }}
      >
        <header className="ed-layer-head" onKeyDown={onHeaderKey}>
          <div className="ed-layer-topline">
            {!readOnly && (
              <span
                className="ed-drag"
                draggable
                title="Drag to reorder"
                aria-hidden="true"
                onDragStart={(event) => {
                  event.dataTransfer.setData(LAYER_DRAG_TYPE, layer.id);
                  event.dataTransfer.effectAllowed = 'move';
                  const section = event.currentTarget.closest('section');
                  if (section) event.dataTransfer.setDragImage(section, 20, 20);
                }}
              >
                ⋮⋮
              </span>
            )}
            <button
              type="button"
              className="ed-collapse"
              aria-expanded={!collapsed}
              aria-controls={bodyId}
              aria-label={`${collapsed ? 'Expand' : 'Collapse'} ${name}`}
              onClick={() => onToggle(layer.id)}
            >
              <span aria-hidden="true">{collapsed ? '▸' : '▾'}</span>
            </button>
            <span className="ed-layer-n" aria-hidden="true">
              {index + 1}
            </span>
            <YTextField
              hideLabel
              label={`Title of layer ${index + 1}`}
              className="ed-layer-title"
              path={fieldPath.layer(layer.id, 'title')}
              placeholder="Layer title"
              text={getLayerTitleText(doc, layer.id)}
            />
            <Avatars users={present} label="Here now" />
            {!readOnly && (
              <div className="ed-layer-actions">
                <button
                  type="button"
                  className="button button-quiet ed-icon"
                  aria-label={`Move ${name} up`}
                  title="Move up (Alt+↑)"
                  disabled={index === 0}
                  onClick={() => onMove(layer.id, -1)}
                >
                  ↑
                </button>
                <button
                  type="button"
                  className="button button-quiet ed-icon"
                  aria-label={`Move ${name} down`}
                  title="Move down (Alt+↓)"
                  disabled={index === count - 1}
                  onClick={() => onMove(layer.id, 1)}
                >
                  ↓
                </button>
                <button
                  type="button"
                  className="button button-quiet ed-icon ed-danger"
                  aria-label={`Remove ${name}`}
                  title="Remove layer"
                  onClick={() => onRemove(layer.id)}
                >
                  ✕
                </button>
              </div>
            )}
          </div>
          {live ? (
            <>
              <div className="ed-layer-meta">
                <Select<LayerKind>
                  label="Kind"
                  value={layer.kind}
                  options={kindOptions}
                  path={fieldPath.layer(layer.id, 'kind')}
                  onValue={(kind) => kind && setLayerField(doc, layer.id, 'kind', kind, origin)}
                />
                {!review && (
                  <Select<LayerStatus>
                    label="Status"
                    value={layer.status}
                    options={statusOptions}
                    path={fieldPath.layer(layer.id, 'status')}
                    onValue={(status) =>
                      status && setLayerField(doc, layer.id, 'status', status, origin)
                    }
                  />
                )}
                <Select
                  label="Lead party"
                  value={layer.lead ?? ''}
                  emptyLabel="No lead yet"
                  options={partyOptions(parties)}
                  path={fieldPath.layer(layer.id, 'lead')}
                  proposes="lead"
                  onValue={(lead) => setLayerField(doc, layer.id, 'lead', lead || null, origin)}
                />
              </div>
              {review && (
                <LayerReviewBar
                  layer={layer}
                  name={name}
                  openBrackets={openBrackets}
                  threadCount={threadCount}
                />
              )}
            </>
          ) : (
            <p className="ed-layer-meta ed-layer-meta-preview">
              {LAYER_KIND_LABELS[layer.kind]} · {LAYER_STATUS_LABELS[layer.status]} · Lead:{' '}
              {layer.lead ? partyName(parties, layer.lead) : 'none yet'}
            </p>
          )}
        </header>
        {!collapsed && !live && (
          <LayerBodyPreview
            id={bodyId}
            layer={layer}
            parties={parties.length}
            layers={outer.layers.length}
          />
        )}
        {!collapsed && live && (
          <div id={bodyId} className="ed-layer-body">
            <div className="ed-section">
              <h4 className="ed-section-title">Narrative</h4>
              {fragment && engine ? (
                <engine.NarrativeEditor
                  fragment={fragment}
                  label={`Narrative of layer ${index + 1}`}
                  path={fieldPath.layer(layer.id, 'narrative')}
                  user={user}
                  onReady={onNarrativeReady}
                  layerId={layer.id}
                  focusWhenReadyRef={focusWhenReadyRef}
                />
              ) : fragment ? (
                // Until the editor engine is there (narrative-engine.ts), the text.
                <NarrativePreview
                  text={layer.narrative.text}
                  loading
                  failed={engineFailed}
                  onPointerDown={() => (focusWhenReadyRef.current = true)}
                />
              ) : (
                <p className="hint">This layer has no narrative text.</p>
              )}
            </div>
            <Commitments layer={layer} />
            <Triggers layer={layer} />
            <div className="ed-two">
              <Positions layer={layer} />
              <div>
                <Dependencies layer={layer} />
                <OpenQuestions layer={layer} />
                <Risks layer={layer} />
              </div>
            </div>
          </div>
        )}
      </section>
    </EditorProvider>
  );
});
