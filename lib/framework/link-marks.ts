/**
 * The one link rule (links.ts) on the live document: which link marks a transaction added with
 * an address the rule refuses, and in which layer, so the sync server can undo them as it undoes
 * other refused changes. Works on the transaction's own new structs, never the whole document.
 */
import * as Y from 'yjs';
import { safeHref } from './links';
import { layerOfType } from './review';

/** A refused link a transaction added: its address and the layer it sits in. */
export type UnsafeLink = { href: string; layerId: string | null };

const isLinkKey = (key: string) => key === 'link' || key.startsWith('link--');

/** The link marks `transaction` (still open) added whose address is not http(s) or mailto. */
export function unsafeLinksAdded(doc: Y.Doc, transaction: Y.Transaction): UnsafeLink[] {
  const found: UnsafeLink[] = [];
  for (const [client, structs] of doc.store.clients) {
    const before = transaction.beforeState.get(client) ?? 0;
    for (let i = structs.length - 1; i >= 0; i--) {
      const struct = structs[i]!;
      if (struct.id.clock + struct.length <= before) break;
      if (!(struct instanceof Y.Item) || struct.deleted) continue;
      const content = struct.content;
      if (!(content instanceof Y.ContentFormat) || !isLinkKey(content.key)) continue;
      const value: unknown = content.value;
      if (value === null || typeof value !== 'object') continue;
      const href: unknown = (value as { href?: unknown }).href;
      if (typeof href === 'string' && safeHref(href) === null) {
        const parent = struct.parent;
        found.push({
          href,
          layerId: parent instanceof Y.AbstractType ? layerOfType(doc, parent) : null,
        });
      }
    }
  }
  return found;
}
