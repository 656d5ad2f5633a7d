/**
 * The one link rule: a narrative link survives only as a web or mail address (http, https,
 * mailto). The editor refuses to make any other (javascript:, data:, vbscript:, file: ...) and
 * every export drops it and keeps the text (lib/export/model.ts), so no surface can disagree.
 */
const SAFE_LINK = /^(https?:|mailto:)/i;

/** The trimmed address when it is http(s) or mailto, else null. */
export function safeHref(href: string): string | null {
  const trimmed = href.trim();
  return SAFE_LINK.test(trimmed) ? trimmed : null;
}
