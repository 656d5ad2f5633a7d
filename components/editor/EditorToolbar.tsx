'use client';

import type { ReactNode } from 'react';
import type * as Y from 'yjs';
import { ExportDialog } from '@/components/export/ExportDialog';
import type { SavedStatus } from '@/lib/collab/saved-status';
import { getFrameworkTitleText } from '@/lib/framework';
import { Avatars, type PresenceUser } from './fields';
import { YTextField } from './YTextField';

export type EditorMode = 'layers' | 'matrix';

const STATUS_TEXT: Record<SavedStatus, string> = {
  saved: 'Saved',
  saving: 'Saving…',
  offline: 'Offline, kept on this device',
};

type Props = {
  doc: Y.Doc;
  status: SavedStatus;
  /** The connection stopped for good: shown as disconnected whatever the saved status. */
  disconnected: boolean;
  readOnly: boolean;
  /** The role named in the read-only note, or null to name none. */
  readOnlyRole: string | null;
  people: PresenceUser[];
  /** Where the export dialog exports from; absent where the page has no review workflow. */
  exportTarget?: { workspaceId: string; frameworkId: string };
  mode: EditorMode;
  onMode: (mode: EditorMode) => void;
  history: { canUndo: boolean; canRedo: boolean; undo: () => void; redo: () => void };
  /** Read mode: the document shows the title, and there is nothing to switch or undo. */
  reading?: boolean;
  /** The Edit/Read switch, where the page offers one. */
  readSwitch?: ReactNode;
};

/** The bar above the editor: title, saved status, who is here, export, view and history. */
export function EditorToolbar({
  doc,
  status,
  disconnected,
  readOnly,
  readOnlyRole,
  people,
  exportTarget,
  mode,
  onMode,
  history,
  reading = false,
  readSwitch,
}: Props) {
  return (
    <div className="ed-topbar">
      {!reading && (
        <div className="ed-title-row">
          <YTextField
            hideLabel
            label="Framework title"
            className="ed-framework-title"
            path="framework/title"
            placeholder="Framework title"
            text={getFrameworkTitleText(doc)}
          />
        </div>
      )}
      <div className="ed-toolbar-row">
        <p className={`ed-status ed-status-${disconnected ? 'offline' : status}`} role="status">
          <span className="ed-status-dot" aria-hidden="true" />
          {disconnected ? 'Disconnected' : STATUS_TEXT[status]}
        </p>
        {readOnly && (
          <p className="ed-readonly-note">
            Read only{readOnlyRole !== null ? ` (${readOnlyRole})` : ''}
          </p>
        )}
        <Avatars users={people} label="In this framework" />
        <div className="ed-spacer" />
        {exportTarget && (
          <ExportDialog
            workspaceId={exportTarget.workspaceId}
            frameworkId={exportTarget.frameworkId}
          />
        )}
        {readSwitch}
        {!reading && <ViewSwitch mode={mode} onMode={onMode} />}
        {!readOnly && !reading && <HistoryButtons {...history} />}
      </div>
    </div>
  );
}

/** Layers or the commitment matrix. */
function ViewSwitch({ mode, onMode }: { mode: EditorMode; onMode: (mode: EditorMode) => void }) {
  return (
    <div className="ed-segmented" role="group" aria-label="View">
      <button type="button" aria-pressed={mode === 'layers'} onClick={() => onMode('layers')}>
        Layers
      </button>
      <button type="button" aria-pressed={mode === 'matrix'} onClick={() => onMode('matrix')}>
        Commitment matrix
      </button>
    </div>
  );
}

/** Undo and redo of my own structured changes. */
function HistoryButtons({ canUndo, canRedo, undo, redo }: Props['history']) {
  return (
    <div className="ed-undo" role="group" aria-label="History">
      <button
        type="button"
        className="button button-quiet"
        disabled={!canUndo}
        title="Undo my last change (Ctrl+Z)"
        onClick={() => undo()}
      >
        Undo
      </button>
      <button
        type="button"
        className="button button-quiet"
        disabled={!canRedo}
        title="Redo (Ctrl+Shift+Z)"
        onClick={() => redo()}
      >
        Redo
      </button>
    </div>
  );
}
