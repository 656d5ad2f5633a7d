import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import type { RefusedDraft, RefusedFieldChange } from '../framework/refused-draft';

/**
 * The wire protocol of the collaboration websocket, shared by the sync server and the browser.
 * Message types 0-3 are y-websocket's; 100+ are ours and reach the provider through
 * `provider.messageHandlers[type]`.
 */
export const MessageType = {
  sync: 0,
  awareness: 1,
  auth: 2,
  queryAwareness: 3,
  /** Server -> client: [100][varUint8Array state vector]: everything up to it is in the database. */
  saved: 100,
  /** Server -> client: [101][varString role][varUint 1 = read-only]: the connection's access now. */
  access: 101,
  /**
   * Server -> client: [102][varString JSON ReviewRefusal]: the server undid a change of yours that
   * the review rules forbid (the undo arrives as an ordinary sync update).
   */
  refused: 102,
  /** Server -> client: [103][varString layer id or '']: comments of the document changed; refetch. */
  commentsChanged: 103,
} as const;

/** y-protocols sync sub-types (the second varuint of a sync message). */
export const SyncMessageType = { step1: 0, step2: 1, update: 2 } as const;

/** Path prefix of the websocket; the document id follows it. */
export const COLLAB_PATH_PREFIX = '/collab/';

/**
 * Query parameter in which a client announces the document schema version its code writes
 * (SCHEMA_VERSION of lib/framework): the server closes an incompatible client with `outdated`.
 */
export const SCHEMA_VERSION_PARAM = 'schema';

/** What a client should do after the server closed its socket with a given code. */
export type CloseAction =
  /** Reconnect with backoff (y-websocket does this by itself for codes outside 4400-4499). */
  | 'retry'
  /** The session ended: sign in again (or fetch a new ticket), then reconnect. */
  | 'reauth'
  /** The client is out of step with the server (bad frame, too large): reload the page. */
  | 'reload'
  /** Access is gone for good (removed, document deleted): stop and tell the user. */
  | 'stop';

type CloseEventSpec = { code: number; reason: string; action: CloseAction };

/**
 * Close codes, defined once. 4400-4499 are permanent (y-websocket 3 stops reconnecting by
 * default), 4500-4599 are "try again later" (it reconnects with backoff).
 */
export const CloseEvents = {
  badMessage: { code: 4400, reason: 'Malformed message', action: 'reload' },
  unauthorized: { code: 4401, reason: 'Session ended', action: 'reauth' },
  forbidden: { code: 4403, reason: 'Access removed', action: 'stop' },
  secondFactorRequired: {
    code: 4405,
    reason: 'This group requires a second factor: turn it on in your profile',
    action: 'stop',
  },
  notFound: { code: 4404, reason: 'Document not found', action: 'stop' },
  tooLarge: { code: 4413, reason: 'Message or document too large', action: 'stop' },
  spoofing: { code: 4422, reason: 'Awareness for another connection refused', action: 'reload' },
  outdated: { code: 4426, reason: 'The editor is out of date: reload the page', action: 'reload' },
  serverError: { code: 4500, reason: 'Server error', action: 'retry' },
  unavailable: { code: 4503, reason: 'Document could not be loaded', action: 'retry' },
  timeout: { code: 4508, reason: 'No sync before timeout', action: 'retry' },
  slowConsumer: { code: 4509, reason: 'Client not reading', action: 'retry' },
  rateLimited: { code: 4529, reason: 'Too many messages', action: 'retry' },
  shuttingDown: { code: 1001, reason: 'Server shutting down', action: 'retry' },
} as const satisfies Record<string, CloseEventSpec>;

export type CloseEventName = keyof typeof CloseEvents;

/** The action for a close code; unknown codes (network drops, 1006) mean "retry". */
export function closeActionFor(code: number): CloseAction {
  for (const spec of Object.values(CloseEvents) as CloseEventSpec[]) {
    if (spec.code === code) return spec.action;
  }
  return 'retry';
}

export function encodeSavedMessage(stateVector: Uint8Array): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, MessageType.saved);
  encoding.writeVarUint8Array(encoder, stateVector);
  return encoding.toUint8Array(encoder);
}

/** Reads the body of a saved message (after its type); returns the encoded state vector. */
export function readSavedMessage(decoder: decoding.Decoder): Uint8Array {
  return decoding.readVarUint8Array(decoder);
}

export type AccessInfo = { role: string; readOnly: boolean };

export function encodeAccessMessage(access: AccessInfo): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, MessageType.access);
  encoding.writeVarString(encoder, access.role);
  encoding.writeVarUint(encoder, access.readOnly ? 1 : 0);
  return encoding.toUint8Array(encoder);
}

export function readAccessMessage(decoder: decoding.Decoder): AccessInfo {
  const role = decoding.readVarString(decoder);
  const readOnly = decoding.readVarUint(decoder) === 1;
  return { role, readOnly };
}

/** The identity the server writes into each awareness state's `user` field. */
export type AwarenessUser = { id: string; name: string; color: string };

const USER_COLORS = [
  '#1f77b4',
  '#d62728',
  '#2ca02c',
  '#9467bd',
  '#8c564b',
  '#e377c2',
  '#17becf',
  '#bcbd22',
  '#ff7f0e',
  '#393b79',
];

/** A stable colour per user id, so a person keeps their colour across sessions and devices. */
export function colorForUser(userId: string): string {
  let hash = 0;
  for (let i = 0; i < userId.length; i++) hash = (hash * 31 + userId.charCodeAt(i)) >>> 0;
  return USER_COLORS[hash % USER_COLORS.length]!;
}

/**
 * A change the server refused and undid, as told to its sender; with what they typed into a
 * frozen layer's text, offered back as a draft amendment.
 */
export type ReviewRefusal = {
  layerId: string;
  code: string;
  message: string;
  draft?: RefusedDraft;
  /** The fields and rows they changed, each as an amendment could propose it. */
  fields?: RefusedFieldChange[];
};

export function encodeRefusedMessage(refusals: ReviewRefusal[]): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, MessageType.refused);
  encoding.writeVarString(encoder, JSON.stringify(refusals));
  return encoding.toUint8Array(encoder);
}

function isRefusedDraft(value: unknown): value is RefusedDraft {
  if (typeof value !== 'object' || value === null) return false;
  const draft = value as Record<string, unknown>;
  if (draft.kind === 'typed') return typeof draft.text === 'string';
  const anchor = draft.anchor as Record<string, unknown> | null | undefined;
  return (
    draft.kind === 'passage' &&
    typeof draft.quote === 'string' &&
    typeof draft.proposed === 'string' &&
    typeof anchor?.start === 'string' &&
    typeof anchor.end === 'string'
  );
}

/** Field changes as the server writes them; the server checks each again when it is tabled. */
function isFieldChanges(value: unknown): value is RefusedFieldChange[] {
  return (
    Array.isArray(value) &&
    value.length > 0 &&
    value.every(
      (c: Partial<RefusedFieldChange> | null) =>
        typeof c?.proposed === 'string' &&
        typeof c.target === 'object' &&
        c.target !== null &&
        typeof c.target.kind === 'string',
    )
  );
}

/** Reads the body of a refused message (after its type); malformed content reads as []. */
export function readRefusedMessage(decoder: decoding.Decoder): ReviewRefusal[] {
  try {
    const value: unknown = JSON.parse(decoding.readVarString(decoder));
    if (!Array.isArray(value)) return [];
    return value
      .filter(
        (r): r is ReviewRefusal =>
          typeof r === 'object' &&
          r !== null &&
          typeof (r as ReviewRefusal).layerId === 'string' &&
          typeof (r as ReviewRefusal).message === 'string',
      )
      .map(({ draft, fields, ...refusal }) => ({
        ...refusal,
        ...(isRefusedDraft(draft) && { draft }),
        ...(isFieldChanges(fields) && { fields }),
      }));
  } catch {
    // A refusal we cannot read still happened; the undo itself arrives as a sync update.
    return [];
  }
}

/**
 * The comments of a document changed. `thread` is the changed thread as its readers see it (JSON
 * of a ThreadView, the same for every reader), so clients show it without a round trip; null when
 * it is not carried (too large, or the change was not to one thread): clients refetch.
 */
export type CommentsNotice = {
  layerId: string | null;
  thread: string | null;
  /** What changed: comments (absent), or the amendments of the document (clients refetch). */
  topic?: 'amendments';
};

export function encodeCommentsChangedMessage(notice: CommentsNotice): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, MessageType.commentsChanged);
  encoding.writeVarString(encoder, notice.layerId ?? '');
  encoding.writeVarString(encoder, notice.thread ?? '');
  if (notice.topic) encoding.writeVarString(encoder, notice.topic);
  return encoding.toUint8Array(encoder);
}

export function readCommentsChangedMessage(decoder: decoding.Decoder): CommentsNotice {
  const layerId = decoding.readVarString(decoder) || null;
  // A server from before threads were carried sends the layer only.
  const thread = decoding.hasContent(decoder) ? decoding.readVarString(decoder) || null : null;
  const topic = decoding.hasContent(decoder) ? decoding.readVarString(decoder) : '';
  return topic === 'amendments' ? { layerId, thread, topic } : { layerId, thread };
}
