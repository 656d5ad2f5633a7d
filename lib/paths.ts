import { uuidSchema } from './validation';

/**
 * Where in a framework a link lands: a comment thread or an amendment, opened and focused by the
 * editor (components/review/DeepLinkFocus.tsx). Mail, the inbox and the activity feed link here.
 */
export type FrameworkFocus = { thread?: string; amendment?: string };

/** `/groups/G/frameworks/F`, with `?thread=` or `?amendment=` when the link is to one of those. */
export function frameworkPath(
  workspaceId: string,
  frameworkId: string,
  focus: FrameworkFocus = {},
): string {
  const base = `/groups/${workspaceId}/frameworks/${frameworkId}`;
  const query = new URLSearchParams();
  if (focus.thread) query.set('thread', focus.thread);
  if (focus.amendment) query.set('amendment', focus.amendment);
  const search = query.toString();
  return search ? `${base}?${search}` : base;
}

/**
 * The focus a page's search parameters ask for; anything but one well-formed id per key is
 * ignored (a link is typed by strangers too), so it can only ever name a thread or an amendment.
 */
export function focusOfSearchParams(
  params: Record<string, string | string[] | undefined>,
): FrameworkFocus {
  const one = (key: string) => {
    const value = params[key];
    return typeof value === 'string' && uuidSchema.safeParse(value).success ? value : undefined;
  };
  const focus: FrameworkFocus = {};
  const thread = one('thread');
  const amendment = one('amendment');
  if (thread) focus.thread = thread;
  if (amendment) focus.amendment = amendment;
  return focus;
}
