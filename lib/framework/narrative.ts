/**
 * Narrative text: converts between a layer's Y.XmlFragment (as y-prosemirror / Tiptap's
 * Collaboration extension store it) and NarrativeBlock, the structured form export and tests use.
 *
 * y-prosemirror stores a node as a Y.XmlElement named after the node type (paragraph, heading,
 * bulletList, orderedList, listItem, table, tableRow, tableCell, tableHeader, blockquote,
 * hardBreak) with the node's attrs as attributes, and text as Y.XmlText whose formatting
 * attributes are the marks (`bold: {}`, `italic: {}`, `link: { href }`; a mark that may overlap
 * itself is stored as `name--hash`).
 */
import * as Y from 'yjs';
import { BRACKET_MARK, bracketAttrsJson, bracketAttrsOf } from './bracket-attrs';
import type { Inline, Mark, Narrative, NarrativeBlock, TableCell } from './types';

type Node = Y.XmlElement | Y.XmlText | Y.XmlHook;

function childrenOf(el: Y.XmlFragment): Node[] {
  return el.toArray();
}

export function marksOf(attributes: Record<string, unknown> | undefined): Mark[] {
  const marks: Mark[] = [];
  if (!attributes) return marks;
  for (const [rawName, value] of Object.entries(attributes)) {
    if (value === null || value === undefined) continue;
    const name = rawName.split('--')[0];
    if (name === 'bold' || name === 'strong') marks.push({ type: 'bold' });
    else if (name === 'italic' || name === 'em') marks.push({ type: 'italic' });
    else if (name === 'link' && typeof value === 'object') {
      const href: unknown = (value as { href?: unknown }).href;
      if (typeof href === 'string') marks.push({ type: 'link', href });
    } else if (name === BRACKET_MARK) {
      // Export marks unagreed text from this; read defensively, it comes from other clients.
      const attrs = bracketAttrsOf(value);
      if (attrs) marks.push({ type: 'bracket', ...attrs });
    }
    // Other marks (e.g. comments) do not change how text is structured here.
  }
  // Stable order so equal text compares equal however the attributes were inserted.
  const rank = { bold: 0, italic: 1, link: 2, bracket: 3 } as const;
  return marks.sort((a, b) => rank[a.type] - rank[b.type]);
}

interface DeltaOp {
  insert?: unknown;
  attributes?: Record<string, unknown>;
}

function textRuns(text: Y.XmlText): Inline[] {
  const out: Inline[] = [];
  // toDelta is typed `any` by Yjs; each op is { insert, attributes? }.
  const delta = text.toDelta() as DeltaOp[];
  for (const op of delta) {
    if (typeof op.insert !== 'string' || op.insert === '') continue;
    out.push({ type: 'text', text: op.insert, marks: marksOf(op.attributes) });
  }
  return out;
}

function inlinesOf(el: Y.XmlElement | Y.XmlFragment): Inline[] {
  const out: Inline[] = [];
  for (const child of childrenOf(el)) {
    if (child instanceof Y.XmlText) {
      out.push(...textRuns(child));
    } else if (child instanceof Y.XmlElement) {
      if (child.nodeName === 'hardBreak') out.push({ type: 'hardBreak' });
      else out.push(...inlinesOf(child));
    }
  }
  return out;
}

function headingLevel(el: Y.XmlElement): number {
  const raw: unknown = el.getAttribute('level');
  const level = typeof raw === 'number' ? raw : Number(raw);
  return Number.isInteger(level) && level >= 1 && level <= 6 ? level : 1;
}

function blocksOf(el: Y.XmlFragment): NarrativeBlock[] {
  const blocks: NarrativeBlock[] = [];
  for (const child of childrenOf(el)) {
    if (child instanceof Y.XmlText) {
      // Text directly in a block container is not valid ProseMirror; keep it as a paragraph.
      const content = textRuns(child);
      if (content.length > 0) blocks.push({ type: 'paragraph', content });
      continue;
    }
    if (!(child instanceof Y.XmlElement)) continue;
    switch (child.nodeName) {
      case 'paragraph':
        blocks.push({ type: 'paragraph', content: inlinesOf(child) });
        break;
      case 'heading':
        blocks.push({ type: 'heading', level: headingLevel(child), content: inlinesOf(child) });
        break;
      case 'bulletList':
      case 'orderedList':
        blocks.push({
          type: 'list',
          ordered: child.nodeName === 'orderedList',
          items: childrenOf(child)
            .filter((item): item is Y.XmlElement => item instanceof Y.XmlElement)
            .map((item) => blocksOf(item)),
        });
        break;
      case 'blockquote':
        blocks.push({ type: 'blockquote', blocks: blocksOf(child) });
        break;
      case 'table':
        blocks.push({
          type: 'table',
          rows: childrenOf(child)
            .filter((row): row is Y.XmlElement => row instanceof Y.XmlElement)
            .map((row) =>
              childrenOf(row)
                .filter((cell): cell is Y.XmlElement => cell instanceof Y.XmlElement)
                .map((cell): TableCell => ({
                  header: cell.nodeName === 'tableHeader',
                  blocks: blocksOf(cell),
                })),
            ),
        });
        break;
      default: {
        // An unknown block (newer editor, code block, ...): keep its text rather than lose it.
        const content = inlinesOf(child);
        if (content.length > 0) blocks.push({ type: 'paragraph', content });
      }
    }
  }
  return blocks;
}

function inlineText(content: Inline[]): string {
  return content.map((i) => (i.type === 'text' ? i.text : '\n')).join('');
}

function linesOf(blocks: NarrativeBlock[]): string[] {
  const lines: string[] = [];
  for (const block of blocks) {
    switch (block.type) {
      case 'paragraph':
      case 'heading':
        lines.push(inlineText(block.content));
        break;
      case 'list':
        block.items.forEach((item, i) => {
          const [first = '', ...rest] = linesOf(item);
          lines.push(`${block.ordered ? `${i + 1}.` : '-'} ${first}`, ...rest.map((l) => `  ${l}`));
        });
        break;
      case 'blockquote':
        lines.push(...linesOf(block.blocks).map((l) => `> ${l}`));
        break;
      case 'table':
        for (const row of block.rows) {
          lines.push(row.map((cell) => linesOf(cell.blocks).join(' ')).join(' | '));
        }
        break;
    }
  }
  return lines;
}

/** Reads a narrative fragment into plain text and structured blocks. */
export function readNarrative(fragment: Y.XmlFragment | undefined): Narrative {
  if (!fragment) return { text: '', blocks: [] };
  const blocks = blocksOf(fragment);
  return { text: linesOf(blocks).join('\n'), blocks };
}

// ---------------------------------------------------------------------------------------------
// Writing (templates, tests, restoring): the same node names Tiptap's StarterKit and table
// extensions use, so the editor opens what we write.
// ---------------------------------------------------------------------------------------------

export function markAttributes(marks: Mark[]): Record<string, object> | undefined {
  if (marks.length === 0) return undefined;
  const attributes: Record<string, object> = {};
  for (const mark of marks) {
    attributes[mark.type] =
      mark.type === 'link'
        ? { href: mark.href }
        : mark.type === 'bracket'
          ? bracketAttrsJson(mark)
          : {};
  }
  return attributes;
}

function inlineNodes(content: Inline[]): Array<Y.XmlText | Y.XmlElement> {
  const nodes: Array<Y.XmlText | Y.XmlElement> = [];
  let text: Y.XmlText | null = null;
  // Reading .length of a text not yet in a document warns, so count here.
  let length = 0;
  for (const inline of content) {
    if (inline.type === 'hardBreak') {
      nodes.push(new Y.XmlElement('hardBreak'));
      text = null;
      continue;
    }
    if (!text) {
      text = new Y.XmlText();
      nodes.push(text);
      length = 0;
    }
    // A Y.XmlText not yet in a document queues inserts and applies them on integration.
    text.insert(length, inline.text, markAttributes(inline.marks) ?? {});
    length += inline.text.length;
  }
  return nodes;
}

function element(name: string, children: Array<Y.XmlElement | Y.XmlText>, attrs = {}) {
  const el = new Y.XmlElement(name);
  for (const [key, value] of Object.entries(attrs)) {
    // y-prosemirror keeps attrs with their JSON types (e.g. heading level as a number).
    el.setAttribute(key, value as string);
  }
  el.insert(0, children);
  return el;
}

function blockNodes(blocks: NarrativeBlock[]): Y.XmlElement[] {
  return blocks.map((block) => {
    switch (block.type) {
      case 'paragraph':
        return element('paragraph', inlineNodes(block.content));
      case 'heading':
        return element('heading', inlineNodes(block.content), { level: block.level });
      case 'list':
        return element(
          block.ordered ? 'orderedList' : 'bulletList',
          block.items.map((item) =>
            element(
              'listItem',
              blockNodes(item.length ? item : [{ type: 'paragraph', content: [] }]),
            ),
          ),
        );
      case 'blockquote':
        return element('blockquote', blockNodes(block.blocks));
      case 'table':
        return element(
          'table',
          block.rows.map((row) =>
            element(
              'tableRow',
              row.map((cell) =>
                element(
                  cell.header ? 'tableHeader' : 'tableCell',
                  blockNodes(
                    cell.blocks.length ? cell.blocks : [{ type: 'paragraph', content: [] }],
                  ),
                ),
              ),
            ),
          ),
        );
    }
  });
}

/** Replaces the content of an integrated fragment with `blocks`. Call inside a transaction. */
export function writeNarrative(fragment: Y.XmlFragment, blocks: NarrativeBlock[]) {
  if (fragment.length > 0) fragment.delete(0, fragment.length);
  fragment.insert(0, blockNodes(blocks));
}

/** Shorthand for template authors: one paragraph of unformatted text. */
export const paragraph = (text: string): NarrativeBlock => ({
  type: 'paragraph',
  content: [{ type: 'text', text, marks: [] }],
});
