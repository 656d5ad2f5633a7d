'use client';

import {
  startTransition,
  useCallback,
  useEffect,
  useLayoutEffect,
  useMemo,
  useRef,
  useState,
  useSyncExternalStore,
  type FocusEvent,
} from 'react';
import type { Awareness } from 'y-protocols/awareness';
import type * as Y from 'yjs';
import {
  addLayer,
  getFrameworkTitleText,
  LAYER_KIND_LABELS,
  LAYER_KINDS,
  layerIds,
  moveLayer,
  parseFieldPath,
  removeLayer,
  type LayerKind,
} from '@/lib/framework';
import type { SavedStatus } from '@/lib/collab/saved-status';
import { ActivityPanel } from '@/components/review/ActivityPanel';
import { CommentsPanel } from '@/components/review/CommentsPanel';
import { ReviewProvider, useReview } from '@/components/review/ReviewContext';
import { ReviewSummary } from '@/components/review/ReviewSummary';
import type { Role } from '@/lib/roles';
import { EditorProvider, type EditorContextValue } from './EditorContext';
import { Avatars, type PresenceUser } from './fields';
import { LayerBlock } from './LayerBlock';
import { presenceColors } from './presence-colors';
import { CommitmentMatrix, GapsPanel, PartiesPanel } from './Panels';
import { useCollab, useSavedStatus, type EditorUser } from './useCollab';
import { useFrameworkView } from './useFrameworkView';
import { YTextField } from './YTextField';
import { ExportDialog } from '@/components/export/ExportDialog';

type Props = {
  frameworkId: string;
  role: string;
  canEdit: boolean;
  /** The review workflow (comments, status, activity); absent where the page has none. */
  review?: { workspaceId: string; delegation: string | null };
  user: EditorUser;
  /** The stored document, base64, so the page renders before the websocket has synced. */
  initialState?: string;
};

const STATUS_TEXT: Record<SavedStatus, string> = {
  saved: 'Saved',
  saving: 'Saving…',
  offline: 'Offline, kept on this device',
};

const NOBODY: PresenceUser[] = [];

type Presence = PresenceUser & { focusLayer: string | null; self: boolean };

/** Everyone in the document (one entry per connection), from awareness. */
function usePresence(awareness: Awareness | undefined): Presence[] {
  const cache = useRef<{ version: number; value: Presence[] }>({ version: -1, value: [] });
  const version = useRef(0);
  const subscribe = useCallback(
    (notify: () => void) => {
      if (!awareness) return () => {};
      const onChange = () => {
        version.current++;
        notify();
      };
      awareness.on('change', onChange);
      return () => awareness.off('change', onChange);
    },
    [awareness],
  );
  const read = useCallback((): Presence[] => {
    if (!awareness) return cache.current.value;
    if (cache.current.version === version.current) return cache.current.value;
    const colors = presenceColors(awareness);
    const out: Presence[] = [];
    awareness.getStates().forEach((state, clientId) => {
      const user = state.user as { id?: unknown; name?: unknown; color?: unknown } | undefined;
      if (!user || typeof user.name !== 'string') return;
      out.push({
        clientId,
        id: typeof user.id === 'string' ? user.id : String(clientId),
        name: user.name,
        color: (typeof user.id === 'string' && colors.get(user.id)) || '#5a6575',
        focusLayer: typeof state.focusLayer === 'string' ? state.focusLayer : null,
        self: clientId === awareness.clientID,
      });
    });
    out.sort((a, b) => a.clientId - b.clientId);
    cache.current = { version: version.current, value: out };
    return out;
  }, [awareness]);
  return useSyncExternalStore(subscribe, read, () => cache.current.value);
}

/** Whether the UndoManager has something to undo / redo, live. */
function useUndoState(undoManager: Y.UndoManager | undefined) {
  const [state, setState] = useState({ canUndo: false, canRedo: false });
  useEffect(() => {
    if (!undoManager) return;
    const update = () =>
      setState({
        canUndo: undoManager.undoStack.length > 0,
        canRedo: undoManager.redoStack.length > 0,
      });
    undoManager.on('stack-item-added', update);
    undoManager.on('stack-item-popped', update);
    undoManager.on('stack-cleared', update);
    return () => {
      undoManager.off('stack-item-added', update);
      undoManager.off('stack-item-popped', update);
      undoManager.off('stack-cleared', update);
    };
  }, [undoManager]);
  return state;
}

const isInsideNarrative = (target: EventTarget | null) =>
  target instanceof Element && target.closest('.ProseMirror') !== null;

/**
 * Layers around a jump target mount and take their real height right after the jump, which can
 * push the target away: for a short while, bring it back to the centre when it drifts from where
 * the jump put it (until the user scrolls or the target loses focus).
 */
function keepInView(target: HTMLElement, frames = 30) {
  let left = frames;
  let placed = target.getBoundingClientRect().top;
  let userScrolled = false;
  const stop = () => {
    userScrolled = true;
  };
  const events = ['wheel', 'touchmove', 'keydown', 'pointerdown'] as const;
  for (const name of events) window.addEventListener(name, stop, { once: true, passive: true });
  const check = () => {
    if (userScrolled || document.activeElement !== target || left-- <= 0) {
      for (const name of events) window.removeEventListener(name, stop);
      return;
    }
    if (Math.abs(target.getBoundingClientRect().top - placed) > 48) {
      target.scrollIntoView({ block: 'center' });
      placed = target.getBoundingClientRect().top;
    }
    requestAnimationFrame(check);
  };
  requestAnimationFrame(check);
}

// Idle time (ms) worth starting a layer's mount in: the slivers left between busy frames are
// skipped, so a mount rarely holds up the next change on screen.
const MOUNT_IDLE_MS = 10;

/**
 * Runs `callback` in the next idle period of at least MOUNT_IDLE_MS (or after `timeout` ms
 * without one); returns the cancel function. Falls back to a timer where requestIdleCallback
 * is missing (Safari).
 */
function whenIdle(callback: () => void, timeout = 1000): () => void {
  if (typeof window.requestIdleCallback !== 'function') {
    const timer = window.setTimeout(callback, 50);
    return () => window.clearTimeout(timer);
  }
  let handle = 0;
  const run = (deadline: IdleDeadline) => {
    if (deadline.didTimeout || deadline.timeRemaining() >= MOUNT_IDLE_MS) callback();
    else handle = window.requestIdleCallback(run, { timeout });
  };
  handle = window.requestIdleCallback(run, { timeout });
  return () => window.cancelIdleCallback(handle);
}

/** The live editor of one framework: layers, parties, matrix, gaps, presence and status. */
export function FrameworkEditor({ frameworkId, role, canEdit, user, initialState, review }: Props) {
  const { collab, loaded, stopped } = useCollab(frameworkId, user, canEdit, initialState);
  const view = useFrameworkView(loaded ? collab?.doc : undefined);
  const { status, access } = useSavedStatus(collab?.tracker);
  const presence = usePresence(collab?.provider.awareness);
  const { canUndo, canRedo } = useUndoState(collab?.undoManager);
  const readOnly = !canEdit || access?.readOnly === true || stopped !== null;

  const [collapsed, setCollapsed] = useState<Set<string>>(() => new Set());
  const [mode, setMode] = useState<'layers' | 'matrix'>('layers');
  const [newKind, setNewKind] = useState<LayerKind>('presence');
  const [toast, setToast] = useState<{ title: string; item: unknown } | null>(null);
  const [pendingFocus, setPendingFocus] = useState<{ path: string; layerId: string } | null>(null);
  // Layers whose body (narrative editor and fields) is mounted: the first at once, the others
  // when they come near the viewport, get focus or are jumped to, and the rest while idle.
  // Never taken back, so a layer someone is typing in keeps its editor whatever moves.
  const [live, setLive] = useState<ReadonlySet<string>>(() => new Set());
  const firstLayerId = view?.layers[0]?.id;
  if (firstLayerId && live.size === 0) setLive(new Set([firstLayerId]));
  const makeLive = useCallback((layerId: string) => {
    setLive((current) => (current.has(layerId) ? current : new Set(current).add(layerId)));
  }, []);
  // Mounting for later (near the viewport, or idle) is a transition: React renders it in
  // slices and gives way to typing and to others' changes arriving in between.
  const makeLiveSoon = useCallback(
    (layerId: string) => startTransition(() => makeLive(layerId)),
    [makeLive],
  );
  const onNear = useCallback(
    (layerId: string, now: boolean) => (now ? makeLive(layerId) : makeLiveSoon(layerId)),
    [makeLive, makeLiveSoon],
  );

  // Stable while only fields inside layers change, so the context does not re-render them all.
  const layerRefsKey = JSON.stringify(view?.layers.map((l) => [l.id, l.title]) ?? []);
  const layerRefs = useMemo(
    () =>
      (JSON.parse(layerRefsKey) as Array<[string, string]>).map(([id, title]) => ({ id, title })),
    [layerRefsKey],
  );
  const parties = view?.parties;
  const context = useMemo<EditorContextValue | null>(
    () =>
      collab && parties
        ? {
            doc: collab.doc,
            provider: collab.provider,
            origin: collab.origin,
            readOnly,
            parties: parties ?? [],
            layers: layerRefs,
          }
        : null,
    // Not `view`: the context changes only when parties, layer titles or access change.
    [collab, parties, layerRefs, readOnly],
  );

  // Ctrl/Cmd+Z outside narrative text undoes my structured changes; inside it, Tiptap's own
  // Yjs undo (Collaboration) has already handled the key and prevented its default.
  useEffect(() => {
    if (!collab || readOnly) return;
    const onKey = (event: KeyboardEvent) => {
      if (event.defaultPrevented || isInsideNarrative(event.target)) return;
      if (!(event.ctrlKey || event.metaKey) || event.altKey) return;
      const key = event.key.toLowerCase();
      if (key === 'z' && !event.shiftKey) {
        event.preventDefault();
        collab.undoManager.undo();
      } else if ((key === 'z' && event.shiftKey) || key === 'y') {
        event.preventDefault();
        collab.undoManager.redo();
      }
    };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, [collab, readOnly]);

  // Warn before closing the tab while this device holds changes the server has not stored.
  useEffect(() => {
    if (!collab) return;
    const onBeforeUnload = (event: BeforeUnloadEvent) => {
      if (!collab.tracker.hasUnsavedChanges()) return;
      event.preventDefault();
      event.returnValue = '';
    };
    window.addEventListener('beforeunload', onBeforeUnload);
    return () => window.removeEventListener('beforeunload', onBeforeUnload);
  }, [collab]);

  // Marks the moment the editor is usable (the benchmark measures up to it).
  const ready = Boolean(context && view);
  useEffect(() => {
    if (ready && performance.getEntriesByName('editor-ready').length === 0) {
      performance.mark('editor-ready');
    }
  }, [ready]);

  // Focus a field by its path once the layer holding it is expanded and rendered.
  useEffect(() => {
    if (!pendingFocus || !view) return;
    if (collapsed.has(pendingFocus.layerId)) return;
    if (pendingFocus.layerId && !live.has(pendingFocus.layerId)) return;
    const frame = requestAnimationFrame(() => {
      const target = document.querySelector<HTMLElement>(
        `[data-field-path="${CSS.escape(pendingFocus.path)}"]`,
      );
      const section = pendingFocus.layerId
        ? document.getElementById(`layer-${pendingFocus.layerId}`)
        : null;
      const element = target ?? section;
      if (element) {
        const focusable = element.matches('input, select, textarea, button, [contenteditable]')
          ? element
          : (element.querySelector<HTMLElement>(
              'input:not([disabled]), select:not([disabled]), textarea:not([disabled]), button:not([disabled]), [contenteditable="true"]',
            ) ?? element);
        focusable.scrollIntoView({ block: 'center' });
        focusable.focus({ preventScroll: true });
        keepInView(focusable);
        element.classList.add('ed-flash');
        window.setTimeout(() => element.classList.remove('ed-flash'), 1200);
      }
      setPendingFocus(null);
    });
    return () => cancelAnimationFrame(frame);
  }, [pendingFocus, collapsed, view, live]);

  // A reorder (mine or someone else's) moves DOM nodes, and a moved node loses focus: give it
  // back, so typing in a layer that moves keeps going into that layer.
  const lastFocused = useRef<HTMLElement | null>(null);
  useEffect(() => {
    const onFocusIn = (event: globalThis.FocusEvent) => {
      if (event.target instanceof HTMLElement) lastFocused.current = event.target;
    };
    document.addEventListener('focusin', onFocusIn);
    return () => document.removeEventListener('focusin', onFocusIn);
  }, []);
  const orderKey = view?.layers.map((l) => l.id).join(',');
  useLayoutEffect(() => {
    const element = lastFocused.current;
    const lost = !document.activeElement || document.activeElement === document.body;
    if (element && lost && element.isConnected) element.focus({ preventScroll: true });
  }, [orderKey]);

  // The bodies not yet mounted mount one per idle period, in order, so the whole framework
  // becomes interactive soon after opening without one long task that would block typing.
  useEffect(() => {
    if (!orderKey || live.size === 0) return;
    const next = orderKey.split(',').find((id) => !live.has(id));
    if (!next) return;
    return whenIdle(() => makeLiveSoon(next));
  }, [orderKey, live, makeLiveSoon]);

  const goTo = useCallback(
    (path: string) => {
      const { layerId } = parseFieldPath(path);
      setMode('layers');
      if (layerId) {
        makeLive(layerId);
        setCollapsed((current) => {
          if (!current.has(layerId)) return current;
          const next = new Set(current);
          next.delete(layerId);
          return next;
        });
      }
      setPendingFocus({ path, layerId: layerId ?? '' });
    },
    [makeLive],
  );

  const onToggle = useCallback((layerId: string) => {
    setCollapsed((current) => {
      const next = new Set(current);
      if (next.has(layerId)) next.delete(layerId);
      else next.add(layerId);
      return next;
    });
  }, []);

  const onMove = useCallback(
    (layerId: string, delta: -1 | 1) => {
      if (!collab) return;
      const ids = layerIds(collab.doc);
      const at = ids.indexOf(layerId);
      const neighbour = ids[at + delta];
      if (at < 0 || !neighbour) return;
      moveLayer(
        collab.doc,
        layerId,
        delta < 0 ? { before: neighbour } : { after: neighbour },
        collab.origin,
      );
    },
    [collab],
  );

  const onDrop = useCallback(
    (layerId: string, targetId: string, after: boolean) => {
      if (!collab) return;
      moveLayer(
        collab.doc,
        layerId,
        after ? { after: targetId } : { before: targetId },
        collab.origin,
      );
    },
    [collab],
  );

  const onRemove = useCallback(
    (layerId: string) => {
      if (!collab) return;
      const title = view?.layers.find((l) => l.id === layerId)?.title.trim() || 'Untitled layer';
      const um = collab.undoManager;
      // Its own undo step, so "Undo" brings back exactly this layer.
      um.stopCapturing();
      if (!removeLayer(collab.doc, layerId, collab.origin)) return;
      um.stopCapturing();
      setToast({ title, item: um.undoStack[um.undoStack.length - 1] });
    },
    [collab, view],
  );

  useEffect(() => {
    if (!toast) return;
    const timer = window.setTimeout(() => setToast(null), 10_000);
    return () => window.clearTimeout(timer);
  }, [toast]);

  const undoRemove = () => {
    if (!collab || !toast) return;
    const um = collab.undoManager;
    if (um.undoStack[um.undoStack.length - 1] === toast.item) um.undo();
    setToast(null);
  };

  const onAddLayer = () => {
    if (!collab) return;
    const id = addLayer(collab.doc, newKind, { title: LAYER_KIND_LABELS[newKind] }, collab.origin);
    makeLive(id);
    setPendingFocus({ path: `layer:${id}/title`, layerId: id });
  };

  // Which layer I am in, for everyone's outline and layer avatars.
  const lastFocusLayer = useRef<string | null>(null);
  const onFocusIn = (event: FocusEvent) => {
    const layerId =
      (event.target as Element).closest<HTMLElement>('[data-layer-id]')?.dataset.layerId ?? null;
    if (!collab || layerId === lastFocusLayer.current) return;
    lastFocusLayer.current = layerId;
    collab.provider.awareness.setLocalStateField('focusLayer', layerId);
  };

  const people = useMemo(() => {
    const byUser = new Map<string, Presence>();
    for (const p of presence) if (!byUser.has(p.id)) byUser.set(p.id, p);
    return [...byUser.values()];
  }, [presence]);
  const presentIn = useMemo(() => {
    const map = new Map<string, PresenceUser[]>();
    for (const p of presence) {
      if (!p.focusLayer || p.self) continue;
      const list = map.get(p.focusLayer) ?? [];
      if (!list.some((u) => u.id === p.id)) list.push(p);
      map.set(p.focusLayer, list);
    }
    return map;
  }, [presence]);

  if (stopped && !view) {
    return <StoppedNotice stopped={stopped} />;
  }
  if (!context || !view || !collab) {
    return (
      <div className="ed-loading" role="status">
        Opening the framework…
      </div>
    );
  }

  const statusLabel = stopped ? 'Disconnected' : STATUS_TEXT[status];
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
        provider={review ? collab.provider : undefined}
        enabled={Boolean(review)}
      >
        <div
          className={`ed-shell${readOnly ? ' ed-readonly' : ''}`}
          data-ready="true"
          onFocus={onFocusIn}
        >
          {stopped && <StoppedNotice stopped={stopped} />}
          <div className="ed-topbar">
            <div className="ed-title-row">
              <YTextField
                hideLabel
                label="Framework title"
                className="ed-framework-title"
                path="framework/title"
                placeholder="Framework title"
                text={getFrameworkTitleText(collab.doc)}
              />
            </div>
            <div className="ed-toolbar-row">
              <p className={`ed-status ed-status-${stopped ? 'offline' : status}`} role="status">
                <span className="ed-status-dot" aria-hidden="true" />
                {statusLabel}
              </p>
              {readOnly && (
                <p className="ed-readonly-note">
                  Read only{access?.role || role ? ` (${access?.role ?? role})` : ''}
                </p>
              )}
              <Avatars users={people} label="In this framework" />
              <div className="ed-spacer" />
              {review && (
                <ExportDialog workspaceId={review.workspaceId} frameworkId={frameworkId} />
              )}
              <div className="ed-segmented" role="group" aria-label="View">
                <button
                  type="button"
                  aria-pressed={mode === 'layers'}
                  onClick={() => setMode('layers')}
                >
                  Layers
                </button>
                <button
                  type="button"
                  aria-pressed={mode === 'matrix'}
                  onClick={() => setMode('matrix')}
                >
                  Commitment matrix
                </button>
              </div>
              {!readOnly && (
                <div className="ed-undo" role="group" aria-label="History">
                  <button
                    type="button"
                    className="button button-quiet"
                    disabled={!canUndo}
                    title="Undo my last change (Ctrl+Z)"
                    onClick={() => collab.undoManager.undo()}
                  >
                    Undo
                  </button>
                  <button
                    type="button"
                    className="button button-quiet"
                    disabled={!canRedo}
                    title="Redo (Ctrl+Shift+Z)"
                    onClick={() => collab.undoManager.redo()}
                  >
                    Redo
                  </button>
                </div>
              )}
            </div>
          </div>

          <div className={`ed-columns ed-mode-${mode}`}>
            <nav className="ed-outline" aria-label="Outline">
              <h2 className="ed-outline-title">Layers</h2>
              <ol>
                {view.layers.map((layer, i) => (
                  <li key={layer.id}>
                    <a
                      href={`#layer-${layer.id}`}
                      onClick={(event) => {
                        event.preventDefault();
                        goTo(`layer:${layer.id}/title`);
                      }}
                    >
                      <span className="ed-outline-n">{i + 1}</span>
                      <span className="ed-outline-text">
                        {layer.title.trim() || 'Untitled layer'}
                      </span>
                    </a>
                    <Avatars users={presentIn.get(layer.id) ?? NOBODY} label="Here now" />
                  </li>
                ))}
              </ol>
            </nav>

            <section className="ed-main" aria-label="Layers">
              {mode === 'matrix' ? (
                <CommitmentMatrix view={view} />
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
                      onToggle={onToggle}
                      onMove={onMove}
                      onDrop={onDrop}
                      onRemove={onRemove}
                      live={live.has(layer.id)}
                      onNear={onNear}
                    />
                  ))}
                  {!readOnly && (
                    <div className="ed-add-layer">
                      <label className="ed-field">
                        <span className="ed-label">Kind of new layer</span>
                        <select
                          className="ed-select"
                          value={newKind}
                          onChange={(event) => setNewKind(event.target.value as LayerKind)}
                        >
                          {LAYER_KINDS.map((k) => (
                            <option key={k} value={k}>
                              {LAYER_KIND_LABELS[k]}
                            </option>
                          ))}
                        </select>
                      </label>
                      <button type="button" className="button button-primary" onClick={onAddLayer}>
                        Add layer
                      </button>
                    </div>
                  )}
                </>
              )}
            </section>

            <aside className="ed-side" aria-label="Checks and parties">
              {review && <ReviewSummary view={view} />}
              {review && <CommentsPanel />}
              <GapsPanel view={view} onGo={goTo} />
              <PartiesPanel view={view} />
              {review && <ActivityPanel />}
            </aside>
          </div>

          {review && <RefusalNotice />}
          {toast && (
            <div className="ed-toast" role="status">
              <span>Removed “{toast.title}”.</span>
              <button type="button" className="button button-secondary" onClick={undoRemove}>
                Undo
              </button>
              <button
                type="button"
                className="button button-quiet"
                aria-label="Dismiss"
                onClick={() => setToast(null)}
              >
                ×
              </button>
            </div>
          )}
        </div>
      </ReviewProvider>
    </EditorProvider>
  );
}

/** What the server refused and undid (e.g. an edit of an agreed layer from a stale client). */
function RefusalNotice() {
  const { refusals } = useReview();
  if (refusals.length === 0) return null;
  return (
    <div className="ed-toast rv-refused" role="alert">
      {[...new Set(refusals.map((r) => r.message))].join(' ')}
    </div>
  );
}

function StoppedNotice({
  stopped,
}: {
  stopped: NonNullable<ReturnType<typeof useCollab>['stopped']>;
}) {
  const what =
    stopped.action === 'reauth'
      ? 'Your session ended. Sign in again to keep editing.'
      : stopped.action === 'reload'
        ? 'The editor is out of step with the server. Reload the page.'
        : `The connection was closed: ${stopped.reason}.`;
  return (
    <div className="ed-stopped" role="alert">
      {what}
    </div>
  );
}
