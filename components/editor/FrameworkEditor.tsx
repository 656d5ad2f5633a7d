'use client';

import { Suspense, lazy, useCallback, useEffect, useState, type ReactNode } from 'react';
import type { FrameworkFocus } from '@/lib/paths';
import type { ReadModeChoice } from '@/lib/read-mode';
import { parseFieldPath, type LayerKind } from '@/lib/framework';
import { AmendmentsProvider } from '@/components/review/AmendmentsContext';
import { DeepLinkFocus } from '@/components/review/DeepLinkFocus';
import { RefusedDrafts } from '@/components/review/RefusedDrafts';
import { ReviewProvider } from '@/components/review/ReviewContext';
import { PackagesProvider } from '@/components/review/PackagesContext';
import { ReadModeSwitch } from '@/components/read/ReadModeSwitch';
import { useReadMode } from '@/components/read/useReadMode';
import type { Role } from '@/lib/roles';
import { AddLayerForm } from './AddLayerForm';
import { EditorProvider } from './EditorContext';
import { RefusalNotice, StoppedNotice } from './EditorNotices';
import { EditorToolbar, type EditorMode } from './EditorToolbar';
import type { PresenceUser } from './fields';
import { LayerBlock } from './LayerBlock';
import { LayerOutline } from './LayerOutline';
import { useNarrativeEngineGrace } from './narrative-engine';
import { RemovalToast } from './RemovalToast';
import { useCollab, useSavedStatus, type EditorUser } from './useCollab';
import { useCollapsedLayers } from './useCollapsedLayers';
import { useEditorContextValue } from './useEditorContextValue';
import { useFieldFocus, useRefocusAfterMove } from './useFieldFocus';
import { useFrameworkView } from './useFrameworkView';
import { useLayerCommands } from './useLayerCommands';
import { useAnnounceFocusLayer, usePresence } from './usePresence';
import { useProgressiveMount } from './useProgressiveMount';
import { useRemovalToast } from './useRemovalToast';
import { useUndo } from './useUndo';
import { useUnsavedChangesWarning } from './useUnsavedChangesWarning';
import { useIdleAfter } from './when-idle';

type Props = {
  frameworkId: string;
  role: string;
  canEdit: boolean;
  /** The framework is archived: read-only for everyone (lib/write-rules.ts). */
  archived: boolean;
  /** The review workflow (comments, status, activity); absent where the page has none. */
  review?: { workspaceId: string; delegation: string | null };
  user: EditorUser;
  /** The stored document, base64, so the page renders before the websocket has synced. */
  initialState?: string;
  /** The Edit/Read choice this browser keeps for the user (lib/read-mode.ts), null if none. */
  readChoice: ReadModeChoice | null;
  /** Read mode rendered by the server from the stored text, shown until the live one is ready. */
  readFirstPaint?: ReactNode;
  /** What the link opened points at (a thread, an amendment): shown and focused once loaded. */
  focus?: FrameworkFocus;
};

const NOBODY: PresenceUser[] = [];

/**
 * The page laid out as read mode will be, around the server's first paint, so the text does not
 * jump when the toolbar and the outline arrive.
 */
function ReadingShell({ children }: { children: ReactNode }) {
  return (
    <div className="ed-shell ed-readonly ed-reading">
      <div className="ed-topbar ed-topbar-pending" aria-hidden="true" />
      <div className="ed-columns ed-mode-read">
        <div className="ed-outline ed-outline-pending" aria-hidden="true" />
        <section className="ed-main" aria-label="Layers">
          {children}
        </section>
      </div>
    </div>
  );
}

// Read mode's code (the export model and its renderer) loads only for those who read, so the
// editor's route does not grow by it; it is fetched as soon as read mode is chosen, while the
// document is still syncing.
const loadReadView = () => import('@/components/read/ReadView');
const ReadView = lazy(() => loadReadView().then((m) => ({ default: m.ReadView })));
// The side column and the commitment matrix load once the layers are on screen: their code and
// first render would otherwise stand between opening a framework and typing in it.
const SidePanels = lazy(() => import('./SidePanels').then((m) => ({ default: m.SidePanels })));
const CommitmentMatrix = lazy(() =>
  import('./Panels').then((m) => ({ default: m.CommitmentMatrix })),
);

/**
 * The live editor of one framework: layers, parties, matrix, gaps, presence and status. It wires
 * the hooks beside it together (each one concern) and lays out the page.
 */
export function FrameworkEditor({
  frameworkId,
  role,
  canEdit,
  archived,
  user,
  initialState,
  review,
  readChoice,
  readFirstPaint,
  focus,
}: Props) {
  const { collab, loaded, stopped } = useCollab(frameworkId, user, canEdit, initialState);
  const { reading, setReading } = useReadMode(user.id, canEdit, readChoice);
  const engineSettled = useNarrativeEngineGrace(!reading, loaded);
  const view = useFrameworkView(loaded && engineSettled ? collab?.doc : undefined, {
    withNarrative: reading,
  });
  useEffect(() => {
    if (reading) loadReadView().catch((e: unknown) => console.warn('read mode did not load', e));
  }, [reading]);
  const { status, access } = useSavedStatus(collab?.tracker);
  const { people, presentIn } = usePresence(collab?.provider.awareness);
  const readOnly = !canEdit || access?.readOnly === true || stopped !== null;
  const { canUndo, canRedo } = useUndo(collab?.undoManager, !readOnly);
  useUnsavedChangesWarning(collab?.tracker);

  const [mode, setMode] = useState<EditorMode>('layers');
  const [newKind, setNewKind] = useState<LayerKind>('presence');
  const { collapsed, toggle, expand } = useCollapsedLayers();
  const orderKey = view?.layers.map((l) => l.id).join(',');
  const { live, makeLive, onNear } = useProgressiveMount(orderKey);
  const focusField = useFieldFocus({ view, collapsed, live });
  useRefocusAfterMove(orderKey);
  const context = useEditorContextValue(collab, view, readOnly);
  const toast = useRemovalToast(collab?.undoManager);
  const { onMove, onDrop, onRemove, onAdd } = useLayerCommands(collab, view, {
    makeLive,
    focusField,
    onRemoved: toast.offer,
  });
  const onFocusIn = useAnnounceFocusLayer(collab?.provider.awareness);

  // Marks the moment the editor is usable (the benchmark measures up to it).
  const ready = Boolean(context && view);
  const sideReady = useIdleAfter(ready);
  useEffect(() => {
    if (ready && performance.getEntriesByName('editor-ready').length === 0) {
      performance.mark('editor-ready');
    }
  }, [ready]);

  const goTo = useCallback(
    (path: string) => {
      const { layerId } = parseFieldPath(path);
      if (reading) {
        // Read mode has no fields to focus: the layer's section is the place.
        if (layerId)
          document.getElementById(`layer-${layerId}`)?.scrollIntoView({ block: 'start' });
        return;
      }
      setMode('layers');
      if (layerId) {
        makeLive(layerId);
        expand(layerId);
      }
      focusField({ path, layerId: layerId ?? '' });
    },
    [makeLive, expand, focusField, reading],
  );

  const openLayer = useCallback(
    (layerId: string) => {
      makeLive(layerId);
      expand(layerId);
    },
    [makeLive, expand],
  );

  if (stopped && !view) {
    return <StoppedNotice stopped={stopped} />;
  }
  if (!context || !view || !collab) {
    if (reading && readFirstPaint) return <ReadingShell>{readFirstPaint}</ReadingShell>;
    return (
      <div className="ed-loading" role="status">
        Opening the framework…
      </div>
    );
  }

  const reviewMe = review && {
    id: user.id,
    name: user.name,
    role: role as Role,
    delegation: review.delegation,
  };
  return (
    <EditorProvider value={context}>
      <ReviewProvider
        workspaceId={review?.workspaceId ?? ''}
        frameworkId={frameworkId}
        me={reviewMe ?? { id: user.id, name: user.name, role: 'viewer', delegation: null }}
        canEdit={!readOnly}
        archived={archived}
        provider={review ? collab.provider : undefined}
        enabled={Boolean(review)}
      >
        <AmendmentsProvider>
          <PackagesProvider view={view}>
            <div
              className={`ed-shell${readOnly ? ' ed-readonly' : ''}${reading ? ' ed-reading' : ''}`}
              data-ready="true"
              onFocus={onFocusIn}
            >
              {stopped && <StoppedNotice stopped={stopped} />}
              <EditorToolbar
                doc={collab.doc}
                status={status}
                disconnected={stopped !== null}
                readOnly={readOnly}
                readOnlyRole={access?.role || role ? `${access?.role ?? role}` : null}
                people={people}
                exportTarget={review && { workspaceId: review.workspaceId, frameworkId }}
                mode={mode}
                onMode={setMode}
                reading={reading}
                readSwitch={<ReadModeSwitch reading={reading} onChange={setReading} />}
                history={{
                  canUndo,
                  canRedo,
                  undo: () => collab.undoManager.undo(),
                  redo: () => collab.undoManager.redo(),
                }}
              />

              <div className={`ed-columns ed-mode-${reading ? 'read' : mode}`}>
                <LayerOutline layers={view.layers} presentIn={presentIn} onGo={goTo} />

                <section className="ed-main" aria-label="Layers">
                  {reading ? (
                    <Suspense
                      fallback={
                        readFirstPaint ?? (
                          <div className="ed-loading" role="status">
                            Opening read mode…
                          </div>
                        )
                      }
                    >
                      <ReadView view={view} />
                    </Suspense>
                  ) : mode === 'matrix' ? (
                    <Suspense
                      fallback={
                        <div className="ed-loading" role="status">
                          Opening the matrix…
                        </div>
                      }
                    >
                      <CommitmentMatrix view={view} />
                    </Suspense>
                  ) : (
                    <>
                      {view.layers.length === 0 && (
                        <p className="hint">This framework has no layers yet.</p>
                      )}
                      {view.layers.map((layer, i) => (
                        <LayerBlock
                          key={layer.id}
                          layer={layer}
                          index={i}
                          count={view.layers.length}
                          collapsed={collapsed.has(layer.id)}
                          present={presentIn.get(layer.id) ?? NOBODY}
                          user={user}
                          onToggle={toggle}
                          onMove={onMove}
                          onDrop={onDrop}
                          onRemove={onRemove}
                          live={live.has(layer.id)}
                          onNear={onNear}
                        />
                      ))}
                      {!readOnly && (
                        <AddLayerForm kind={newKind} onKindChange={setNewKind} onAdd={onAdd} />
                      )}
                    </>
                  )}
                </section>

                <aside className="ed-side" aria-label="Checks and parties" aria-busy={!sideReady}>
                  {sideReady && (
                    <Suspense fallback={null}>
                      <SidePanels view={view} review={Boolean(review)} onGo={goTo} />
                    </Suspense>
                  )}
                </aside>
              </div>

              {review && focus && <DeepLinkFocus focus={focus} onLayer={openLayer} />}
              {review && <RefusalNotice />}
              {review && <RefusedDrafts view={view} onLayer={openLayer} />}
              {toast.toast && (
                <RemovalToast toast={toast.toast} onUndo={toast.undo} onDismiss={toast.dismiss} />
              )}
            </div>
          </PackagesProvider>
        </AmendmentsProvider>
      </ReviewProvider>
    </EditorProvider>
  );
}
