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

/** The id of the JSON data block that carries the verification manifest in an HTML copy. */
export const HTML_MANIFEST_ID = 'framework-verification';

function esc(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

function inlines(content: ExportInline[]): string {
  return content
    .map((i) => {
      if (i.type === 'hardBreak') return '<br>';
      if (i.type === 'bracket') {
        return `<span class="bracket">[${esc(i.text)}]</span> <span class="proposer">(${esc(bracketNote(i))})</span>`;
      }
      let t = esc(i.text);
      if (i.bold) t = `<strong>${t}</strong>`;
      if (i.italic) t = `<em>${t}</em>`;
      // The model keeps only safe links (safeHref in lib/framework/links.ts).
      if (i.href) t = `<a href="${esc(i.href)}">${t}</a>`;
      return t;
    })
    .join('');
}

function blocks(list: ExportBlock[]): string {
  return list
    .map((b) => {
      switch (b.type) {
        case 'paragraph':
          return `<p>${inlines(b.content)}</p>`;
        case 'heading': {
          const level = Math.min(6, b.level + 2);
          return `<h${level}>${inlines(b.content)}</h${level}>`;
        }
        case 'list': {
          const tag = b.ordered ? 'ol' : 'ul';
          return `<${tag}>${b.items.map((item) => `<li>${blocks(item)}</li>`).join('')}</${tag}>`;
        }
        case 'blockquote':
          return `<blockquote>${blocks(b.blocks)}</blockquote>`;
        case 'table':
          return `<table class="narrative">${b.rows
            .map(
              (row) =>
                `<tr>${row.map((c) => (c.header ? `<th>${blocks(c.blocks)}</th>` : `<td>${blocks(c.blocks)}</td>`)).join('')}</tr>`,
            )
            .join('')}</table>`;
      }
    })
    .join('\n');
}

function table(cls: string, headers: string[], rows: string[][]): string {
  const head = `<tr>${headers.map((h) => `<th>${esc(h)}</th>`).join('')}</tr>`;
  const body = rows.map((r) => `<tr>${r.map((c) => `<td>${esc(c)}</td>`).join('')}</tr>`).join('');
  return `<table class="${cls}"><thead>${head}</thead><tbody>${body}</tbody></table>`;
}

const STYLE = `
body{font-family:Helvetica,Arial,sans-serif;max-width:52rem;margin:2rem auto;padding:0 1rem;color:#111;line-height:1.45}
.draft{color:#b00020;font-weight:bold;text-align:center;letter-spacing:.1em;border:2px solid #b00020;padding:.3rem}
.cover{border-bottom:2px solid #333;margin-bottom:2rem}
.cover dl{display:grid;grid-template-columns:8rem 1fr;gap:.2rem 1rem}
.cover dt{font-weight:bold}
.marking{color:#b00020;font-weight:bold}
.bracket{background:#fff3cd;font-weight:bold}
.proposer{color:#6b4e00;font-size:.85em;font-style:italic}
table{border-collapse:collapse;width:100%;margin:.5rem 0 1rem}
th,td{border:1px solid #999;padding:.25rem .4rem;text-align:left;vertical-align:top}
th{background:#eee}
section.layer{margin-top:2rem}
@media print{.draft.running{position:fixed;top:0;left:0;right:0;margin:0;background:#fff}}
`;

/** The colophon and the manifest (a JSON data block: never run, `<` escaped so it cannot close it). */
function verification(model: ExportModel): string {
  const v = model.verification;
  if (!v) return '';
  const data = v.manifest.replace(/</g, '\\u003c');
  return `<section class="colophon"><h2>${VERIFICATION_HEADING}</h2><ul>${colophonLines(v)
    .map((l) => `<li>${esc(l)}</li>`)
    .join('')}</ul></section>
<script type="application/json" id="${HTML_MANIFEST_ID}">${data}</script>`;
}

/** A self-contained HTML page (inline style, no scripts but a JSON data block, no external resources). */
export function renderHtml(model: ExportModel): string {
  const draft = model.draft ? `<div class="draft running">${DRAFT_MARKING}</div>` : '';
  const layers = model.layers
    .map((l) => {
      const parts = [
        `<section class="layer" id="layer-${esc(l.id)}">`,
        `<h2>${l.number}. ${esc(l.title)}</h2>`,
        l.marking ? `<p class="marking">${esc(l.marking)}</p>` : '',
        `<dl class="facts"><dt>Kind</dt><dd>${esc(l.kind)}</dd><dt>Status</dt><dd>${esc(l.status)}</dd><dt>Lead</dt><dd>${esc(l.lead)}</dd></dl>`,
        `<div class="narrative">${blocks(l.narrative)}</div>`,
        l.commitments.length > 0
          ? `<h3>Commitments</h3>${table('commitments', COMMITMENT_HEADERS, l.commitments)}`
          : '',
        l.triggers.length > 0
          ? `<h3>Triggers</h3>${table('triggers', TRIGGER_HEADERS, l.triggers)}`
          : '',
        l.positions.length > 0
          ? `<h3>Positions</h3>${table('positions', POSITION_HEADERS, l.positions)}`
          : '',
        ...(
          [
            ['Depends on', l.dependencies],
            ['Open questions', l.openQuestions],
            ['Risks', l.risks],
          ] as const
        ).map(([h, items]) =>
          items.length > 0
            ? `<h3>${h}</h3><ul>${items.map((t) => `<li>${esc(t)}</li>`).join('')}</ul>`
            : '',
        ),
        '</section>',
      ];
      return parts.filter((p) => p !== '').join('\n');
    })
    .join('\n');
  const appendix = model.appendix
    ? `<section class="appendix"><h2>Appendix: comments</h2>${
        model.appendix.length === 0 ? '<p>No comments.</p>' : ''
      }${model.appendix
        .map(
          (t) =>
            `<div class="thread"><h3>${esc(t.layer)} (${t.resolved ? 'resolved' : 'open'})</h3>${
              t.quote ? `<blockquote>${esc(t.quote)}</blockquote>` : ''
            }<ul>${t.comments
              .map(
                (c) => `<li><strong>${esc(c.author)}</strong> (${esc(c.at)}): ${esc(c.body)}</li>`,
              )
              .join('')}</ul></div>`,
        )
        .join('')}</section>`
    : '';
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${esc(model.title)} - ${esc(model.version)}</title>
<style>${STYLE}</style></head>
<body>
${draft}
<header class="cover"><h1>${esc(model.title)}</h1><dl>
<dt>Version</dt><dd>${esc(model.version)}</dd><dt>Date</dt><dd>${esc(model.date)}</dd>
<dt>Status</dt><dd>${esc(model.statusSummary)}</dd><dt>Parties</dt><dd>${esc(model.parties.join(', ') || 'none')}</dd>
</dl></header>
${layers}
${appendix}
${verification(model)}
${model.draft ? `<div class="draft">${DRAFT_MARKING}</div>` : ''}
</body></html>
`;
}
