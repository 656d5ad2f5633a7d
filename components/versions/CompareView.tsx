'use client';

import { useId, useState } from 'react';
import type {
  AttributedComparison,
  AttributedField,
  AuthoredOp,
  ItemChanges,
  LayerAttribution,
  NarrativeBlockKind,
  TextDiff,
} from '@/lib/framework';
// Straight from types.ts and compare.ts: the index would pull Yjs into this client bundle.
import { isItemField } from '@/lib/framework/compare';
import { LAYER_STATUS_LABELS } from '@/lib/framework/types';
import type { ChangeAuthor } from '@/lib/versions/wire';
import styles from './compare.module.css';

/** A person named in the comparison, as the compare route sends it. */
export type ComparePerson = ChangeAuthor;

/** Calm, distinct hues with enough contrast on white for thin lines and small initials. */
const HUES = ['#1f4e8c', '#a34700', '#6f3fb5', '#1f6b3a', '#a12a6b', '#0b6e77'];

const FIELD_LABELS: Record<AttributedField, string> = {
  title: 'Title',
  kind: 'Kind',
  lead: 'Lead',
  narrative: 'Narrative',
  commitments: 'Commitments',
  triggers: 'Triggers',
  positions: 'Positions',
  dependencies: 'Dependencies',
  openQuestions: 'Open questions',
  risks: 'Risks',
  status: 'Status',
  order: 'Order',
};

const BLOCK_LABELS: Record<NarrativeBlockKind, string> = {
  paragraph: 'Paragraph',
  heading: 'Heading',
  listItem: 'List item',
  quote: 'Quote',
  tableCell: 'Table cell',
};

/** A readable label for a short text field key (`triggers/<id>/condition` ...). */
function textLabel(key: string): string {
  const [list, , field] = key.split('/');
  if (key === 'title') return 'Title';
  switch (list) {
    case 'commitments':
      return field === 'period' ? 'Commitment period' : 'Commitment conditions';
    case 'triggers':
      return field === 'response' ? 'Trigger response' : 'Trigger condition';
    case 'positions':
      return 'Position note';
    case 'openQuestions':
      return 'Open question';
    case 'risks':
      return 'Risk';
    default:
      return key;
  }
}

/** A short text's label with the item it belongs to; a note's item name says it all ("Risk 2"). */
function itemLabel(key: string, item: string | null): string {
  if (!item) return textLabel(key);
  const list = key.split('/')[0];
  return list === 'openQuestions' || list === 'risks' ? item : `${textLabel(key)} (${item})`;
}

const countOf = (c: ItemChanges) =>
  [
    c.added.length && `${c.added.length} added`,
    c.removed.length && `${c.removed.length} removed`,
    c.changed.length && `${c.changed.length} changed`,
  ]
    .filter(Boolean)
    .join(', ');

type People = Map<string, ComparePerson & { hue: string }>;

function Who({
  authors,
  people,
  quiet = false,
}: {
  authors: string[];
  people: People;
  /** Names for screen readers only (the same initials follow right after). */
  quiet?: boolean;
}) {
  if (quiet) {
    const names = authors.map((a) => people.get(a)?.name ?? 'Unknown').join(', ');
    return <span className="visually-hidden"> {names || 'author not recorded'}</span>;
  }
  if (authors.length === 0) {
    return <span className={styles.unknown}>(author not recorded)</span>;
  }
  return (
    <span className={styles.whoList}>
      {authors.map((key) => {
        const p = people.get(key);
        return (
          <abbr
            key={key}
            className={styles.who}
            style={{ borderColor: p?.hue, color: p?.hue }}
            title={p?.name ?? 'Unknown'}
          >
            <span aria-hidden="true">{p?.initials ?? '?'}</span>
            <span className="visually-hidden">{p?.name ?? 'Unknown'}</span>
          </abbr>
        );
      })}
    </span>
  );
}

const involves = (authors: string[], only: string | null) => !only || authors.includes(only);

/** A deletion replaced by an insertion of the same people: one set of initials, after both. */
function sameAsNext(ops: AuthoredOp[], i: number, only: string | null): boolean {
  const [op, next] = [ops[i]!, ops[i + 1]];
  return (
    op.type === 'delete' &&
    next?.type === 'insert' &&
    involves(next.authors, only) &&
    next.authors.join() === op.authors.join()
  );
}

/** Word diff runs; with a person filter, others' insertions read as plain text and their deletions go. */
function Ops({ ops, people, only }: { ops: AuthoredOp[]; people: People; only: string | null }) {
  return ops.map((op, i) => {
    const mine = !only || op.authors.includes(only);
    if (op.type === 'equal' || (!mine && op.type === 'insert')) {
      return <span key={i}>{op.text}</span>;
    }
    if (!mine) return null;
    const hue = people.get(op.authors[0] ?? '')?.hue;
    const names = op.authors.map((a) => people.get(a)?.name ?? 'Unknown').join(', ');
    const Tag = op.type === 'insert' ? 'ins' : 'del';
    return (
      <Tag
        key={i}
        className={op.type === 'insert' ? styles.ins : styles.del}
        style={{ textDecorationColor: hue }}
        title={`${op.type === 'insert' ? 'Inserted' : 'Deleted'} by ${names || 'an unknown author'}`}
      >
        <span className="visually-hidden">
          {op.type === 'insert' ? '[inserted: ' : '[deleted: '}
        </span>
        {op.text}
        <span className="visually-hidden">]</span>
        <Who authors={op.authors} people={people} quiet={sameAsNext(ops, i, only)} />
      </Tag>
    );
  });
}

function TextRow({
  label,
  diff,
  people,
  only,
}: {
  label: string;
  diff: TextDiff;
  people: People;
  only: string | null;
}) {
  if (!involves(diff.authors, only)) return null;
  return (
    <div className={styles.textRow}>
      <dt>
        {label}
        {diff.change !== 'changed' && <span className="muted"> ({diff.change})</span>}
      </dt>
      <dd>
        <Ops ops={diff.ops} people={people} only={only} />
      </dd>
    </div>
  );
}

type Titles = Map<string, string>;

function LayerChanges({
  layer,
  comparison,
  titles,
  people,
  only,
}: {
  layer: LayerAttribution;
  comparison: AttributedComparison['comparison'];
  titles: Titles;
  people: People;
  only: string | null;
}) {
  if (!involves(layer.authors, only)) return null;
  const title = titles.get(layer.id) ?? 'Untitled layer';
  const items: Array<{ key: string; text: string; authors: string[] }> = [];
  if (comparison.added.some((l) => l.id === layer.id)) {
    items.push({ key: 'added', text: 'Layer added', authors: layer.layer });
  }
  if (comparison.removed.some((l) => l.id === layer.id)) {
    items.push({ key: 'removed', text: 'Layer removed', authors: layer.layer });
  }
  const moved = comparison.moved.find((l) => l.id === layer.id);
  if (moved) {
    items.push({
      key: 'order',
      text: `Moved from position ${moved.from} to ${moved.to}`,
      authors: layer.fields.order ?? [],
    });
  }
  const status = comparison.statusChanges.find((l) => l.id === layer.id);
  if (status) {
    items.push({
      key: 'status',
      text: `Status: ${LAYER_STATUS_LABELS[status.from]} → ${LAYER_STATUS_LABELS[status.to]}`,
      authors: layer.fields.status ?? [],
    });
  }
  const diff = comparison.changed.find((l) => l.id === layer.id);
  for (const field of diff?.fields ?? []) {
    const detail = isItemField(field) ? countOf(diff![field]) : '';
    items.push({
      key: field,
      text: `${FIELD_LABELS[field]} changed${detail ? `: ${detail}` : ''}`,
      authors: layer.fields[field] ?? [],
    });
  }
  const shownItems = items.filter((i) => involves(i.authors, only));
  const blocks = layer.narrative.filter((b) => involves(b.authors, only));
  const texts = layer.texts.filter((t) => involves(t.authors, only));
  if (shownItems.length + blocks.length + texts.length === 0) return null;
  const headingId = `cmp-${layer.id}`;
  return (
    <section className={styles.layer} aria-labelledby={headingId}>
      <h4 id={headingId}>{title}</h4>
      {shownItems.length > 0 && (
        <ul className={styles.fields} aria-label={`Changes to ${title}`}>
          {shownItems.map((i) => (
            <li key={i.key}>
              {i.text} <span className="muted">by</span> <Who authors={i.authors} people={people} />
            </li>
          ))}
        </ul>
      )}
      {blocks.length > 0 && (
        <div role="group" aria-label={`Narrative of ${title}`} className={styles.narrative}>
          {blocks.map((b, n) => (
            <p key={n} className={styles.block}>
              <span className={styles.kind}>
                {BLOCK_LABELS[b.kind]}
                {b.change !== 'changed' && ` ${b.change}`}
              </span>
              <Ops ops={b.ops} people={people} only={only} />
            </p>
          ))}
        </div>
      )}
      {texts.length > 0 && (
        <dl className={styles.texts} aria-label={`Text fields of ${title}`}>
          {texts.map((t) => (
            <TextRow
              key={t.key}
              label={itemLabel(t.key, t.item)}
              diff={t}
              people={people}
              only={only}
            />
          ))}
        </dl>
      )}
    </section>
  );
}

/**
 * What changed between two states and who changed it: layer-level changes with their authors,
 * word diffs of narrative blocks and short texts (insertions underlined, deletions struck
 * through, initials of the author after each), and a filter by person.
 */
export function CompareView({
  fromName,
  toName,
  result,
  people: list,
}: {
  fromName: string;
  toName: string;
  result: AttributedComparison;
  people: ComparePerson[];
}) {
  const [only, setOnly] = useState<string | null>(null);
  const name = useId();
  const people: People = new Map(
    list.map((p, i) => [p.key, { ...p, hue: HUES[i % HUES.length]! }]),
  );
  const { comparison } = result;
  const titles: Titles = new Map(
    [
      ...comparison.added,
      ...comparison.removed,
      ...comparison.moved,
      ...comparison.statusChanges,
      ...comparison.changed,
    ].map((l) => [l.id, l.title]),
  );
  const onlyName = only ? people.get(only)?.name : null;
  const parties = Object.entries(result.parties).filter(([, a]) => involves(a, only));
  return (
    <div className={styles.compare}>
      <p className={styles.legend}>
        From <strong>{fromName}</strong> to <strong>{toName}</strong>. Inserted words are{' '}
        <ins className={styles.ins}>underlined</ins>, deleted words{' '}
        <del className={styles.del}>struck through</del>; the initials after a change name who made
        it.
      </p>
      {comparison.same ? (
        <p>No changes.</p>
      ) : (
        <>
          {list.length > 0 && (
            <fieldset className={styles.filter}>
              <legend>Show changes by</legend>
              <label>
                <input
                  type="radio"
                  name={name}
                  checked={only === null}
                  onChange={() => setOnly(null)}
                />{' '}
                Everyone
              </label>
              {[...people.values()].map((p) => (
                <label key={p.key}>
                  <input
                    type="radio"
                    name={name}
                    checked={only === p.key}
                    onChange={() => setOnly(p.key)}
                  />{' '}
                  <span
                    className={styles.swatch}
                    style={{ background: p.hue }}
                    aria-hidden="true"
                  />
                  {p.name}
                </label>
              ))}
            </fieldset>
          )}
          <p className="muted" aria-live="polite">
            {onlyName ? `Showing changes by ${onlyName}.` : 'Showing changes by everyone.'}
          </p>
          {result.title && involves(result.title.authors, only) && (
            <dl className={styles.texts} aria-label="Framework title">
              <TextRow label="Framework title" diff={result.title} people={people} only={only} />
            </dl>
          )}
          {parties.length > 0 && (
            <ul className={styles.fields} aria-label="Parties">
              {parties.map(([party, authors]) => (
                <li key={party}>
                  Party {comparison.partiesAdded.includes(party) ? 'added' : 'removed'}: {party}{' '}
                  <span className="muted">by</span> <Who authors={authors} people={people} />
                </li>
              ))}
            </ul>
          )}
          {result.layers.map((layer) => (
            <LayerChanges
              key={layer.id}
              layer={layer}
              comparison={comparison}
              titles={titles}
              people={people}
              only={only}
            />
          ))}
        </>
      )}
    </div>
  );
}
