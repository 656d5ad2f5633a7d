/**
 * The `occurrence`-th range (from 0) of `text` across `root`'s text nodes, even across element
 * boundaries (a passage may span bold and plain text); null when there are not that many.
 */
export function nthRange(root: Element, text: string, occurrence: number): Range | null {
  const nodes: Text[] = [];
  const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
  for (let n = walker.nextNode(); n; n = walker.nextNode()) nodes.push(n as Text);
  const all = nodes.map((n) => n.data).join('');
  let at = all.indexOf(text);
  for (let i = 0; i < occurrence && at !== -1; i++) at = all.indexOf(text, at + 1);
  if (at < 0) return null;
  const range = document.createRange();
  let offset = 0;
  for (const node of nodes) {
    const end = offset + node.data.length;
    if (at >= offset && at < end) range.setStart(node, at - offset);
    if (at + text.length > offset && at + text.length <= end) {
      range.setEnd(node, at + text.length - offset);
      return range;
    }
    offset = end;
  }
  return null;
}
