'use client';

import { useEffect, useState, useSyncExternalStore } from 'react';
import { IndexeddbPersistence } from 'y-indexeddb';
import { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import {
  closeActionFor,
  CloseEvents,
  COLLAB_PATH_PREFIX,
  SCHEMA_VERSION_PARAM,
} from '@/lib/collab/protocol';
import type { AccessInfo } from '@/lib/collab/protocol';
import {
  trackSavedStatus,
  type SavedStatus,
  type SavedStatusTracker,
} from '@/lib/collab/saved-status';
import { getFrameworkRoot, layerIds, SCHEMA_VERSION } from '@/lib/framework';
import {
  deleteOfflineCopy,
  dropOfflineCopy,
  mayKeepOfflineCopy,
  offlineCopyName,
  trackOfflineCopy,
} from './offline-copies';
import { JOINED_AT_FIELD, usualColor } from './presence-colors';

export type EditorUser = { id: string; name: string };

/** What the editor needs from the live connection. */
export type Collab = {
  doc: Y.Doc;
  provider: WebsocketProvider;
  tracker: SavedStatusTracker;
  /** One origin per editor: the UndoManager tracks only this, so undo undoes only my changes. */
  origin: object;
  undoManager: Y.UndoManager;
};

/** Why the connection stopped for good, when it did (access removed, session ended...). */
export type CollabStop = { action: 'reauth' | 'reload' | 'stop'; reason: string } | null;

/** Close codes after which this user has no business keeping the framework's text. */
const ACCESS_GONE: ReadonlySet<number> = new Set([
  CloseEvents.forbidden.code,
  CloseEvents.notFound.code,
]);

/**
 * Creates the document, the websocket provider (same origin, `/collab/<id>`), the IndexedDB
 * copy (editors only: offline edits survive a closed tab; keyed by user, dropped when access is
 * gone, see offline-copies.ts) and the structured UndoManager.
 * Everything is torn down when the framework or the user changes.
 */
export function useCollab(
  frameworkId: string,
  user: EditorUser,
  canEdit: boolean,
  /** The stored document (base64), sent with the page so it renders before the sync. */
  initialState?: string,
) {
  const [collab, setCollab] = useState<Collab | null>(null);
  const [loaded, setLoaded] = useState(false);
  const [stopped, setStopped] = useState<CollabStop>(null);

  useEffect(() => {
    const doc = new Y.Doc();
    if (initialState) Y.applyUpdate(doc, base64ToBytes(initialState), SERVER_RENDER_ORIGIN);
    const scheme = window.location.protocol === 'https:' ? 'wss' : 'ws';
    const base = `${scheme}://${window.location.host}${COLLAB_PATH_PREFIX.replace(/\/$/, '')}`;
    const provider = new WebsocketProvider(base, frameworkId, doc, {
      // Tabs of one browser would otherwise sync through BroadcastChannel, past the server's
      // read-only checks and its saved acknowledgements.
      disableBc: true,
      // The server closes a client whose code reads another document shape (CloseEvents.outdated).
      params: { [SCHEMA_VERSION_PARAM]: String(SCHEMA_VERSION) },
      // 4400-4499 are permanent refusals: do not hammer the server with them.
      shouldReconnect: (event) => closeActionFor(event.code) === 'retry',
    });
    const tracker = trackSavedStatus(provider);
    const origin = { editor: frameworkId, user: user.id };
    const undoManager = new Y.UndoManager(getFrameworkRoot(doc), {
      trackedOrigins: new Set([origin]),
      captureTimeout: 600,
    });
    // The server replaces `user` with the identity it authenticated; the local copy is what
    // our own carets and avatars show before the first round trip. When I joined decides who
    // keeps their colour when two people would share one (presence-colors.ts).
    provider.awareness.setLocalStateField('user', {
      id: user.id,
      name: user.name,
      color: usualColor(user.id),
    });
    provider.awareness.setLocalStateField(JOINED_AT_FIELD, Date.now());
    const idb =
      canEdit && mayKeepOfflineCopy()
        ? new IndexeddbPersistence(offlineCopyName(user.id, frameworkId), doc)
        : null;
    const untrack = idb ? trackOfflineCopy(idb) : () => undefined;
    // A reader keeps no copy: one left from when they could edit goes.
    if (!idb) void deleteOfflineCopy(user.id, frameworkId);

    const markLoaded = () => {
      if (layerIds(doc).length > 0 || provider.synced) setLoaded(true);
    };
    provider.on('sync', (synced: boolean) => {
      if (synced) setLoaded(true);
    });
    void idb?.whenSynced.then(markLoaded);
    markLoaded();
    provider.on('connection-close', (event) => {
      if (!event) return;
      // Removed from the group, or the framework is gone: its text leaves this browser too.
      if (idb && ACCESS_GONE.has(event.code)) void dropOfflineCopy(idb);
      const action = closeActionFor(event.code);
      if (action !== 'retry') setStopped({ action, reason: event.reason || 'Connection closed' });
    });

    // A dead network is noticed at once, not after y-websocket's 30 s silence timeout.
    const onOffline = () => provider.disconnect();
    const onOnline = () => {
      if (!provider.shouldConnect) provider.connect();
    };
    window.addEventListener('offline', onOffline);
    window.addEventListener('online', onOnline);

    // The connection is an external resource created here; the state hands it to render.
    // eslint-disable-next-line react-hooks/set-state-in-effect
    setCollab({ doc, provider, tracker, origin, undoManager });
    return () => {
      window.removeEventListener('offline', onOffline);
      window.removeEventListener('online', onOnline);
      undoManager.destroy();
      tracker.destroy();
      provider.awareness.setLocalState(null);
      provider.destroy();
      untrack();
      void idb?.destroy();
      doc.destroy();
      setCollab(null);
      setLoaded(false);
      setStopped(null);
    };
    // initialState only seeds a new document; a later render's copy must not rebuild the editor.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [frameworkId, user.id, user.name, canEdit]);

  return { collab, loaded, stopped };
}

const noSubscribe = () => () => {};

/** Marks the state the page arrived with: not an edit of mine, so never undone. */
const SERVER_RENDER_ORIGIN = Symbol('server-render');

function base64ToBytes(base64: string): Uint8Array {
  const binary = atob(base64);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

/** The saved status and the access the server reported, live. */
export function useSavedStatus(tracker: SavedStatusTracker | undefined): {
  status: SavedStatus;
  access: AccessInfo | null;
} {
  const subscribe = tracker ? tracker.subscribe : noSubscribe;
  const status = useSyncExternalStore(
    subscribe,
    () => tracker?.status() ?? 'offline',
    () => 'offline' as const,
  );
  const access = useSyncExternalStore(
    subscribe,
    () => tracker?.access() ?? null,
    () => null,
  );
  return { status, access };
}
