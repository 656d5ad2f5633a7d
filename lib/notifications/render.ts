import type { NotificationPayload } from './types';

/** A mail ready for the mailer: plain text and a simple HTML alternative. */
export type RenderedMail = { subject: string; text: string; html: string };

const HTML_ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/** User text made inert for HTML (element content and quoted attributes alike). */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => HTML_ESCAPES[c]!);
}

/** One line for a header: no line breaks (no header injection), bounded length. */
function oneLine(text: string, max = 120): string {
  const flat = text.replace(/[\r\n\t]+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}

const BODY_EXCERPT = 1000;

function excerpt(body: string | null): string | null {
  if (!body) return null;
  return body.length > BODY_EXCERPT ? `${body.slice(0, BODY_EXCERPT - 1)}…` : body;
}

function linkOf(origin: string, item: NotificationPayload): string {
  // The path is built by the server from ids; still, only a path under the origin is linked.
  const path = item.path.startsWith('/') && !item.path.startsWith('//') ? item.path : '/';
  return `${origin}${path}`;
}

function itemText(origin: string, item: NotificationPayload): string[] {
  const body = excerpt(item.body);
  return [
    `${item.headline} in "${item.frameworkTitle}"`,
    ...(body ? ['', ...body.split('\n').map((line) => `  ${line}`)] : []),
    '',
    `Open: ${linkOf(origin, item)}`,
  ];
}

function itemHtml(origin: string, item: NotificationPayload): string {
  const body = excerpt(item.body);
  return [
    `<p><strong>${escapeHtml(item.headline)}</strong> in “${escapeHtml(item.frameworkTitle)}”</p>`,
    body ? `<blockquote style="white-space:pre-wrap">${escapeHtml(body)}</blockquote>` : '',
    `<p><a href="${escapeHtml(linkOf(origin, item))}">Open ${escapeHtml(item.frameworkTitle)}</a></p>`,
  ].join('\n');
}

function footer(unsubscribeUrl: string, profileUrl: string) {
  return {
    text: [
      '',
      '--',
      `Choose how you get these mails on your profile: ${profileUrl}`,
      `Stop all notification mails: ${unsubscribeUrl}`,
    ],
    html:
      `<hr><p style="color:#555;font-size:90%">Choose how you get these mails on ` +
      `<a href="${escapeHtml(profileUrl)}">your profile</a>, or ` +
      `<a href="${escapeHtml(unsubscribeUrl)}">stop all notification mails</a>.</p>`,
  };
}

function page(inner: string): string {
  return `<!doctype html><html><body style="font-family:sans-serif">${inner}</body></html>`;
}

/** The mail for one item, sent as it happens. */
export function renderImmediate(
  origin: string,
  item: NotificationPayload,
  unsubscribeUrl: string,
): RenderedMail {
  const end = footer(unsubscribeUrl, `${origin}/profile`);
  return {
    subject: oneLine(`${item.headline} in "${item.frameworkTitle}"`),
    text: [...itemText(origin, item), ...end.text].join('\n'),
    html: page(`${itemHtml(origin, item)}\n${end.html}`),
  };
}

/** The daily mail gathering several items, oldest first. */
export function renderDigest(
  origin: string,
  items: NotificationPayload[],
  unsubscribeUrl: string,
): RenderedMail {
  const end = footer(unsubscribeUrl, `${origin}/profile`);
  const count = `${items.length} notification${items.length === 1 ? '' : 's'}`;
  return {
    subject: `Briefing workspace: ${count} since your last digest`,
    text: [
      `${count} since your last digest:`,
      ...items.flatMap((item, i) => ['', `${i + 1}. `.concat(itemText(origin, item).join('\n'))]),
      ...end.text,
    ].join('\n'),
    html: page(
      `<p>${escapeHtml(count)} since your last digest:</p>\n` +
        items.map((item) => `<div>${itemHtml(origin, item)}</div>`).join('\n<hr>\n') +
        `\n${end.html}`,
    ),
  };
}
