import type { ReactNode } from 'react';

/**
 * Words in their formatting, as read mode, versions and the amendments panel show them: bold as
 * strong (screen readers and copied text keep the emphasis), italic as em, and a link opened in
 * a new tab without this page as its opener. The models hold only web and mail addresses
 * (lib/framework/links.ts), so `href` is safe to print.
 */
export function FormattedText({
  text,
  bold = false,
  italic = false,
  href = null,
}: {
  text: string;
  bold?: boolean;
  italic?: boolean;
  href?: string | null;
}) {
  let node: ReactNode = italic ? <em>{text}</em> : text;
  if (bold) node = <strong>{node}</strong>;
  if (!href) return node;
  return (
    <a href={href} target="_blank" rel="noopener noreferrer nofollow">
      {node}
    </a>
  );
}
