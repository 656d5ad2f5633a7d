import {
  COMMITMENT_HEADERS,
  DRAFT_MARKING,
  POSITION_HEADERS,
  TRIGGER_HEADERS,
  bracketNote,
  type ExportBlock,
  type ExportInline,
  type ExportModel,
  VERIFICATION_HEADING,
  colophonLines,
} from './model';

/** Starts the HTML comment that carries the verification manifest in a Markdown copy. */
export const MD_MANIFEST_PREFIX = 'framework-verification:';

/**
 * Escapes what Markdown would read as syntax, so party text never turns into formatting or
 * structure: every character that can open an inline construct (CommonMark's, and pandoc's $ ^ @
 * for math, superscript and citations; a backslash before ASCII punctuation always prints the
 * character), and block syntax at the start of every line but the first, which only the caller
 * knows to be a line start (escBlock, lineStarts).
 */
function esc(text: string): string {
  return (
    text
      .replace(/([\\`*_{}[\]<>()#+!|~&$^@])/g, '\\$1')
      // "--" and "---" would print as dashes in readers with smart punctuation (pandoc's default).
      .replace(/-(?=-)/g, '\\-')
      .split('\n')
      .map((line, i) => (i === 0 ? line : escLineStart(line)))
      .join('\n')
  );
}

/** Text that starts a line (a list item, a quote): escaped as esc does, its first line too. */
function escBlock(text: string): string {
  return escLineStart(esc(text));
}

/**
 * Block syntax at the start of an escaped line: a list ("-", "1.", "a.", pandoc's ":"), a
 * thematic break or setext underline ("---", "==="), leading blanks (an indented code block;
 * written as character references, so they are neither code nor trimmed). "#", ">", "+", "*",
 * "|" and fences are escaped everywhere by esc. Escaping twice changes nothing.
 */
function escLineStart(line: string): string {
  const lead = /^[ \t]*/.exec(line)![0];
  const rest = line
    .slice(lead.length)
    .replace(/^[-=:]/, '\\$&')
    .replace(/^(\d{1,9}|[A-Za-z]|[ivxlcdmIVXLCDM]+)([.)])/, '$1\\$2');
  return lead.replace(/ /g, '&#32;').replace(/\t/g, '&#9;') + rest;
}

/** escLineStart on every line of rendered inlines (a paragraph, after each hard break). */
function lineStarts(rendered: string): string {
  return rendered.split('\n').map(escLineStart).join('\n');
}

function cell(text: string): string {
  return esc(text).replace(/\r?\n/g, '<br>') || ' ';
}

function inlines(content: ExportInline[]): string {
  return content
    .map((i) => {
      if (i.type === 'hardBreak') return '  \n';
      if (i.type === 'bracket') return `**\\[${esc(i.text)}\\]** _(${esc(bracketNote(i))})_`;
      let t = esc(i.text);
      if (i.bold) t = `**${t}**`;
      if (i.italic) t = `_${t}_`;
      if (i.href) t = `[${t}](<${i.href.replace(/[<>\s]/g, encodeURIComponent)}>)`;
      return t;
    })
    .join('');
}

function blocks(list: ExportBlock[], indent = ''): string[] {
  const out: string[] = [];
  for (const b of list) {
    switch (b.type) {
      case 'paragraph':
        out.push(indent + lineStarts(inlines(b.content)), '');
        break;
      case 'heading':
        // Layer titles are level 2; narrative headings sit below them.
        out.push(`${indent}${'#'.repeat(Math.min(6, b.level + 3))} ${inlines(b.content)}`, '');
        break;
      case 'list':
        b.items.forEach((item, i) => {
          const [first = '', ...rest] = blocks(item, '').filter((l) => l !== '');
          const bullet = b.ordered ? `${i + 1}.` : '-';
          // Continuation lines sit under the item's text ("10. " is four wide).
          const under = ' '.repeat(bullet.length + 1);
          out.push(`${indent}${bullet} ${first}`, ...rest.map((l) => `${indent}${under}${l}`));
        });
        out.push('');
        break;
      case 'blockquote':
        out.push(...blocks(b.blocks).map((l) => `${indent}> ${l}`.trimEnd()), '');
        break;
      case 'table': {
        const rows = b.rows.map((row) =>
          row.map(
            (c) =>
              blocks(c.blocks)
                .filter((l) => l !== '')
                .join('<br>') || ' ',
          ),
        );
        out.push(...table(rows[0] ?? [], rows.slice(1), true).map((l) => indent + l), '');
        break;
      }
    }
  }
  return out;
}

function table(headers: string[], rows: string[][], preformatted = false): string[] {
  const f = preformatted ? (s: string) => s.replace(/\|/g, '\\|') : cell;
  return [
    `| ${headers.map(f).join(' | ')} |`,
    `| ${headers.map(() => '---').join(' | ')} |`,
    ...rows.map((r) => `| ${r.map(f).join(' | ')} |`),
  ];
}

/** The framework as CommonMark with GitHub tables. */
export function renderMarkdown(model: ExportModel): string {
  const out: string[] = [];
  if (model.draft) out.push(`**${DRAFT_MARKING}**`, '');
  out.push(`# ${esc(model.title)}`, '');
  out.push(`- Version: ${esc(model.version)}`);
  out.push(`- Date: ${model.date}`);
  out.push(`- Status: ${esc(model.statusSummary)}`);
  out.push(`- Parties: ${esc(model.parties.join(', ') || 'none')}`, '');
  for (const layer of model.layers) {
    out.push(`## ${layer.number}. ${esc(layer.title)}`, '');
    if (layer.marking) out.push(`**${layer.marking}**`, '');
    out.push(`- Kind: ${esc(layer.kind)}`, `- Status: ${esc(layer.status)}`);
    out.push(`- Lead: ${esc(layer.lead)}`, '');
    out.push(...blocks(layer.narrative));
    if (layer.commitments.length > 0) {
      out.push('### Commitments', '', ...table(COMMITMENT_HEADERS, layer.commitments), '');
    }
    if (layer.triggers.length > 0) {
      out.push('### Triggers', '', ...table(TRIGGER_HEADERS, layer.triggers), '');
    }
    if (layer.positions.length > 0) {
      out.push('### Positions', '', ...table(POSITION_HEADERS, layer.positions), '');
    }
    for (const [heading, items] of [
      ['Depends on', layer.dependencies],
      ['Open questions', layer.openQuestions],
      ['Risks', layer.risks],
    ] as const) {
      if (items.length > 0) {
        out.push(`### ${heading}`, '', ...items.map((t) => `- ${escBlock(t)}`), '');
      }
    }
  }
  if (model.appendix) {
    out.push('## Appendix: comments', '');
    if (model.appendix.length === 0) out.push('No comments.', '');
    for (const t of model.appendix) {
      out.push(`### ${esc(t.layer)} (${t.resolved ? 'resolved' : 'open'})`, '');
      if (t.quote) out.push(`> ${escBlock(t.quote)}`, '');
      for (const c of t.comments) out.push(`- **${esc(c.author)}** (${c.at}): ${esc(c.body)}`);
      out.push('');
    }
  }
  if (model.verification) {
    out.push(`## ${VERIFICATION_HEADING}`, '');
    out.push(...colophonLines(model.verification).map((l) => `- ${escBlock(l)}`), '');
  }
  if (model.draft) out.push(`**${DRAFT_MARKING}**`, '');
  if (model.verification) {
    // Base64: the JSON may hold "-->"; readers drop HTML comments from what they show.
    const data = Buffer.from(model.verification.manifest, 'utf8').toString('base64');
    out.push(`<!-- ${MD_MANIFEST_PREFIX}${data} -->`, '');
  }
  return out.join('\n');
}
