import type { ReactNode } from 'react';
import { FormattedText } from '@/components/text/FormattedText';
import {
  COMMITMENT_HEADERS,
  DRAFT_MARKING,
  bracketNote,
  type ExportBlock,
  type ExportInline,
  type ExportLayer,
  type ExportModel,
} from '@/lib/export/model';

function Inlines({ content }: { content: ExportInline[] }) {
  return content.map((i, n) =>
    i.type === 'hardBreak' ? (
      <br key={n} />
    ) : i.type === 'bracket' ? (
      <span key={n}>
        <mark className="ro-bracket">[{i.text}]</mark>{' '}
        <em className="ro-proposer">({bracketNote(i)})</em>
      </span>
    ) : (
      <span key={n}>
        <FormattedText text={i.text} bold={i.bold} italic={i.italic} href={i.href} />
      </span>
    ),
  );
}

function Blocks({ blocks }: { blocks: ExportBlock[] }) {
  return blocks.map((b, n) => {
    switch (b.type) {
      case 'paragraph':
        return (
          <p key={n}>
            <Inlines content={b.content} />
          </p>
        );
      case 'heading':
        return (
          <h4 key={n}>
            <Inlines content={b.content} />
          </h4>
        );
      case 'list': {
        const items = b.items.map((item, i) => (
          <li key={i}>
            <Blocks blocks={item} />
          </li>
        ));
        return b.ordered ? <ol key={n}>{items}</ol> : <ul key={n}>{items}</ul>;
      }
      case 'blockquote':
        return (
          <blockquote key={n}>
            <Blocks blocks={b.blocks} />
          </blockquote>
        );
      case 'table':
        return (
          <table key={n} className="ro-table">
            <tbody>
              {b.rows.map((row, r) => (
                <tr key={r}>
                  {row.map((c, k) =>
                    c.header ? (
                      <th key={k}>
                        <Blocks blocks={c.blocks} />
                      </th>
                    ) : (
                      <td key={k}>
                        <Blocks blocks={c.blocks} />
                      </td>
                    ),
                  )}
                </tr>
              ))}
            </tbody>
          </table>
        );
    }
  });
}

function Table({
  label,
  headers,
  rows,
  rowEnd,
}: {
  label: string;
  headers: string[];
  rows: string[][];
  /** Added to a row's last cell (a marker). */
  rowEnd?: (index: number) => ReactNode;
}) {
  if (rows.length === 0) return null;
  return (
    <>
      <h4>{label}</h4>
      <table className="ro-table" aria-label={label}>
        <thead>
          <tr>
            {headers.map((h) => (
              <th key={h}>{h}</th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((r, i) => (
            <tr key={i}>
              {r.map((c, k) => (
                <td key={k} data-label={headers[k]}>
                  {c}
                  {k === r.length - 1 && rowEnd?.(i)}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </>
  );
}

function List({
  label,
  items,
  itemEnd,
}: {
  label: string;
  items: string[];
  /** Added at the end of an item (a marker). */
  itemEnd?: (index: number) => ReactNode;
}) {
  if (items.length === 0) return null;
  return (
    <>
      <h4>{label}</h4>
      <ul className="ro-list" aria-label={label}>
        {items.map((item, i) => (
          <li key={i}>
            {item}
            {itemEnd?.(i)}
          </li>
        ))}
      </ul>
    </>
  );
}

function Positions({ items }: { items: ExportLayer['positionList'] }) {
  if (items.length === 0) return null;
  return (
    <>
      <h4>Positions</h4>
      <ul className="ro-list ro-positions" aria-label="Positions">
        {items.map((p) => (
          <li key={p.party}>
            <strong>{p.party}</strong>: {p.stance}
            {p.note && <> ({p.note})</>}
            {p.statedBy && <span className="ro-stated">; stated by {p.statedBy}</span>}
          </li>
        ))}
      </ul>
    </>
  );
}

/** What a page may add to each layer: beside the status line, in place of positions, margin. */
export type LayerSlots = {
  /** Under the layer's status line (e.g. the review bar). */
  afterMeta?: (layer: ExportLayer) => ReactNode;
  /** Replaces the positions list (e.g. a form where my delegation states its own). */
  positions?: (layer: ExportLayer) => ReactNode;
  /** Beside the layer's text (comment threads); under it on narrow screens. */
  margin?: (layer: ExportLayer) => ReactNode;
  /** At the end of the n-th commitment row or trigger (e.g. the amendments that remove it). */
  rowEnd?: (layer: ExportLayer, item: 'commitment' | 'trigger', index: number) => ReactNode;
  /** Under the commitments or the triggers, even when there are none (e.g. proposed rows). */
  listEnd?: (layer: ExportLayer, item: 'commitment' | 'trigger') => ReactNode;
};

/** Title, version and date with the DRAFT marking, as the exported draft opens. */
export function DocumentHeading({
  model,
  versionLabel,
}: {
  model: ExportModel;
  versionLabel: string;
}) {
  return (
    <header className="ro-heading">
      {model.draft && <p className="ro-draft">{DRAFT_MARKING}</p>}
      <p className="ro-title">{model.title}</p>
      <p className="ro-version">
        {versionLabel} · {model.date}
      </p>
    </header>
  );
}

/** A framework state shown read-only, from the same model the exports print. */
export function ReadOnlyFramework({
  model,
  slots,
  layerIds = false,
}: {
  model: ExportModel;
  slots?: LayerSlots;
  /** Give each section the id `layer-<id>` (links and "Show in text" jump to it). */
  layerIds?: boolean;
}) {
  return (
    <div className="ro-framework">
      <p className="muted">
        {model.statusSummary}. Parties: {model.parties.join(', ') || 'none'}.
      </p>
      {model.layers.map((l) => {
        const margin = slots?.margin?.(l);
        return (
          <section
            key={l.id}
            id={layerIds ? `layer-${l.id}` : undefined}
            data-read-layer={layerIds ? l.id : undefined}
            className={`ro-layer${margin ? ' ro-layer-with-margin' : ''}`}
            aria-label={`Layer ${l.number}: ${l.title}`}
          >
            <div className="ro-layer-text">
              <h3>
                {l.number}. {l.title}
              </h3>
              {l.marking && <p className="ro-marking">{l.marking}</p>}
              <p className="muted ro-meta">
                {l.kind} · {l.status} · lead: {l.lead}
              </p>
              {slots?.afterMeta?.(l)}
              <div className="ro-narrative">
                <Blocks blocks={l.narrative} />
              </div>
              <Table
                label="Commitments"
                headers={COMMITMENT_HEADERS}
                rows={l.commitments}
                rowEnd={slots?.rowEnd && ((i) => slots.rowEnd!(l, 'commitment', i))}
              />
              {slots?.listEnd?.(l, 'commitment')}
              <List
                label="Triggers"
                items={l.triggerSentences}
                itemEnd={slots?.rowEnd && ((i) => slots.rowEnd!(l, 'trigger', i))}
              />
              {slots?.listEnd?.(l, 'trigger')}
              {slots?.positions ? slots.positions(l) : <Positions items={l.positionList} />}
              <List label="Depends on" items={l.dependencies} />
              <List label="Open questions" items={l.openQuestions} />
              <List label="Risks" items={l.risks} />
            </div>
            {margin}
          </section>
        );
      })}
    </div>
  );
}
