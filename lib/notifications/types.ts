/** How a user wants notification mail: each as it happens, one mail a day, or none. */
export const NOTIFY_MODES = ['immediate', 'digest', 'off'] as const;
export type NotifyMode = (typeof NOTIFY_MODES)[number];

export const isNotifyMode = (value: unknown): value is NotifyMode =>
  typeof value === 'string' && (NOTIFY_MODES as readonly string[]).includes(value);

/** The five things mailed (the inbox lists the same ones). */
export type NotificationKind =
  'mention' | 'reply' | 'amendment.decided' | 'deadline' | 'initials.overdue';

/**
 * What one mail item says, fixed when the event happened (so a later rename does not rewrite
 * history). Every string here may be user text: renderers escape it.
 */
export type NotificationPayload = {
  kind: NotificationKind;
  frameworkTitle: string;
  /** Path under the public origin the item links to, e.g. /groups/<g>/frameworks/<f>. */
  path: string;
  /** One line: what happened ("Ann Lee mentioned you"). */
  headline: string;
  /** Optional longer text (a comment's body, a rejection reason). */
  body: string | null;
};

/** One row to queue: who is told, about which framework, what. */
export type QueuedNotification = {
  userId: string;
  workspaceId: string;
  frameworkId: string;
  payload: NotificationPayload;
};
