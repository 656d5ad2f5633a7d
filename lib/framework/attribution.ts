/**
 * Who changed what between two stored states of a framework.
 *
 * Every Yjs item carries an id (client id, clock) that never changes. Each logged update says
 * which ids its sender created (its structs) and which it deleted (its delete set); the log row
 * says who sent it. So a per-author record of id ranges ("inserted" and "deleted", a ChangeSet)
 * attributes any difference between two states: a word present in one state and not the other
 * is made of items that someone inserted or deleted, and their ids name that someone.
 *
 * Durability: compaction folds log rows into a snapshot and deletes them, which would lose who
 * sent them. The rows' ChangeSets are kept per author beside the snapshot first (rows of
 * `changesPerUser`, stored by db/queries/attribution.ts `keepAttributions` from the sync server's
 * persistence), so attribution outlives compaction; the rows not yet
 * folded are read directly. Rows are decoded one by one without applying them, so the order of
 * rows inside a persistence batch (which may depend on each other) does not matter.
 *
 * Pure: bytes and author keys in, plain data out.
 */
import * as Y from 'yjs';
import { compareFrameworks, type FrameworkComparison, type LayerField } from './compare';
import { getFrameworkRoot, layersMap, readFramework } from './doc';
import { COMMITMENT_TYPE_LABELS, type FrameworkView } from './types';
import { diffSequences, diffWords, type WordDiffOp } from './word-diff';

/** The author key of changes the server made itself (restores, the review workflow, templates). */
export const SERVER_AUTHOR = 'server';

/**
 * Id ranges by client: client id (decimal) -> flat, sorted, merged [clock, length, clock, ...].
 * Plain JSON, so it can be stored as it is.
 */
export type IdRanges = Record<string, number[]>;

/** The ids an update (or a set of updates) created and deleted. */
export interface ChangeSet {
  inserted: IdRanges;
  deleted: IdRanges;
}

/** A ChangeSet with its author (a user id, or SERVER_AUTHOR). */
export interface AuthoredChanges {
  author: string;
  changes: ChangeSet;
}

class RangeBuilder {
  private readonly byClient = new Map<number, Array<[number, number]>>();

  add(client: number, clock: number, length: number): void {
    if (length <= 0) return;
    const list = this.byClient.get(client);
    if (list) list.push([clock, length]);
    else this.byClient.set(client, [[clock, length]]);
  }

  addRanges(ranges: IdRanges): void {
    for (const [client, flat] of Object.entries(ranges)) {
      for (let i = 0; i + 1 < flat.length; i += 2) this.add(Number(client), flat[i]!, flat[i + 1]!);
    }
  }

  build(): IdRanges {
    const out: IdRanges = {};
    for (const [client, list] of [...this.byClient].sort((a, b) => a[0] - b[0])) {
      list.sort((a, b) => a[0] - b[0]);
      const flat: number[] = [];
      for (const [clock, length] of list) {
        const last = flat.length - 2;
        if (last >= 0 && clock <= flat[last]! + flat[last + 1]!) {
          flat[last + 1] = Math.max(flat[last + 1]!, clock + length - flat[last]!);
        } else flat.push(clock, length);
      }
      out[String(client)] = flat;
    }
    return out;
  }
}

/** The ids one stored update created (its structs) and deleted (its delete set). */
export function changeSetOfUpdate(update: Uint8Array): ChangeSet {
  const { structs, ds } = Y.decodeUpdate(update);
  const inserted = new RangeBuilder();
  for (const struct of structs) {
    // Skip marks a gap in a merged update, not content.
    if (!(struct instanceof Y.Skip)) inserted.add(struct.id.client, struct.id.clock, struct.length);
  }
  const deleted = new RangeBuilder();
  ds.clients.forEach((items, client) => {
    for (const item of items) deleted.add(client, item.clock, item.len);
  });
  return { inserted: inserted.build(), deleted: deleted.build() };
}

/** One ChangeSet holding all of the given ones. */
export function mergeChangeSets(sets: ChangeSet[]): ChangeSet {
  const inserted = new RangeBuilder();
  const deleted = new RangeBuilder();
  for (const set of sets) {
    inserted.addRanges(set.inserted);
    deleted.addRanges(set.deleted);
  }
  return { inserted: inserted.build(), deleted: deleted.build() };
}

/** ChangeSets of log rows merged per author (rows without a user count as the server's). */
export function changeSetsByAuthor(
  rows: Array<{ userId: string | null; update: Uint8Array }>,
): AuthoredChanges[] {
  const byAuthor = new Map<string, ChangeSet[]>();
  for (const row of rows) {
    const author = row.userId ?? SERVER_AUTHOR;
    const list = byAuthor.get(author) ?? [];
    list.push(changeSetOfUpdate(row.update));
    byAuthor.set(author, list);
  }
  return [...byAuthor].map(([author, sets]) => ({ author, changes: mergeChangeSets(sets) }));
}

/** An author's ChangeSet as it is stored: by user id, null for the server's own changes. */
export type UserChanges = { userId: string | null } & ChangeSet;

/** Stored form of authored ChangeSets (SERVER_AUTHOR becomes no user). */
export function changesPerUser(authored: AuthoredChanges[]): UserChanges[] {
  return authored.map(({ author, changes }) => ({
    userId: author === SERVER_AUTHOR ? null : author,
    inserted: changes.inserted,
    deleted: changes.deleted,
  }));
}

/** Authored ChangeSets of stored ones (no user is the server); the inverse of changesPerUser. */
export function authoredChangesOf(kept: UserChanges[]): AuthoredChanges[] {
  return kept.map((k) => ({
    author: k.userId ?? SERVER_AUTHOR,
    changes: { inserted: k.inserted, deleted: k.deleted },
  }));
}

function rangesContain(ranges: IdRanges, client: number, clock: number): boolean {
  const flat = ranges[String(client)];
  if (!flat) return false;
  let lo = 0;
  let hi = flat.length / 2 - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const start = flat[mid * 2]!;
    if (clock < start) hi = mid - 1;
    else if (clock >= start + flat[mid * 2 + 1]!) lo = mid + 1;
    else return true;
  }
  return false;
}

/** Looks up who inserted and who deleted an id. */
class AuthorIndex {
  private readonly entries: AuthoredChanges[];

  constructor(changes: AuthoredChanges[]) {
    const byAuthor = new Map<string, ChangeSet[]>();
    for (const c of changes) byAuthor.set(c.author, [...(byAuthor.get(c.author) ?? []), c.changes]);
    this.entries = [...byAuthor].map(([author, sets]) => ({
      author,
      changes: mergeChangeSets(sets),
    }));
  }

  inserters(client: number, clock: number): string[] {
    return this.entries
      .filter((e) => rangesContain(e.changes.inserted, client, clock))
      .map((e) => e.author);
  }

  deleters(client: number, clock: number): string[] {
    return this.entries
      .filter((e) => rangesContain(e.changes.deleted, client, clock))
      .map((e) => e.author);
  }
}

/** A decoded state: the document and which ids are alive in it. */
class State {
  readonly doc: Y.Doc;
  private readonly snap: Y.Snapshot;

  constructor(bytes: Uint8Array) {
    this.doc = new Y.Doc();
    Y.applyUpdate(this.doc, bytes);
    this.snap = Y.snapshot(this.doc);
  }

  contains(client: number, clock: number): boolean {
    return clock < (this.snap.sv.get(client) ?? 0);
  }

  alive(client: number, clock: number): boolean {
    return this.contains(client, clock) && !Y.isDeleted(this.snap.ds, Y.createID(client, clock));
  }
}

/** Collects authors of ids alive in `here` but not in `other`, as changes between the two. */
class Authors {
  private readonly set = new Set<string>();

  constructor(
    private readonly index: AuthorIndex,
    private readonly here: State,
    private readonly other: State,
  ) {}

  /** Takes one id of `here` into account (no-op when it is alive in `other` too). */
  id(client: number, clock: number): void {
    if (this.other.alive(client, clock)) return;
    // Missing from the other state: created between them; present but deleted: deleted between.
    const who = this.other.contains(client, clock)
      ? this.index.deleters(client, clock)
      : this.index.inserters(client, clock);
    for (const a of who) this.set.add(a);
  }

  item(item: Y.Item): void {
    for (let i = 0; i < item.length; i++) this.id(item.id.client, item.id.clock + i);
  }

  list(): string[] {
    return [...this.set].sort();
  }
}

type AnyType = Y.AbstractType<unknown>;

/** Every live item of a subtree (map entries, sequence items, nested types). */
function visitItem(item: Y.Item | null | undefined, visit: (item: Y.Item) => void): void {
  if (!item || item.deleted) return;
  visit(item);
  if (item.content instanceof Y.ContentType) visitType(item.content.type as AnyType, visit);
}

function visitType(type: AnyType, visit: (item: Y.Item) => void): void {
  type._map.forEach((item) => visitItem(item, visit));
  for (let n = type._start; n; n = n.right) visitItem(n, visit);
}

/** Authors of the differences between the subtree under `key` of `parent` in two states. */
function subtreeAuthors(
  index: AuthorIndex,
  from: State,
  to: State,
  pick: (doc: Y.Doc) => Y.Item | null | undefined,
): string[] {
  const out = new Set<string>();
  for (const [here, other] of [
    [from, to],
    [to, from],
  ] as const) {
    const authors = new Authors(index, here, other);
    visitItem(pick(here.doc), (item) => authors.item(item));
    for (const a of authors.list()) out.add(a);
  }
  return [...out].sort();
}

/** Text with the id of each UTF-16 unit (hard breaks become "\n" with no id). */
interface IdText {
  text: string;
  clients: number[];
  clocks: number[];
}

function appendText(out: IdText, type: AnyType): void {
  for (let n = type._start; n; n = n.right) {
    if (n.deleted || !(n.content instanceof Y.ContentString)) continue;
    const str = n.content.str;
    out.text += str;
    for (let i = 0; i < str.length; i++) {
      out.clients.push(n.id.client);
      out.clocks.push(n.id.clock + i);
    }
  }
}

function idTextOf(type: AnyType | null | undefined): IdText {
  const out: IdText = { text: '', clients: [], clocks: [] };
  if (type) appendText(out, type);
  return out;
}

/** One run of a word diff with the people whose changes made it (empty: not known). */
export interface AuthoredOp extends WordDiffOp {
  authors: string[];
}

export type TextChange = 'changed' | 'added' | 'removed';

/** A short text field's word diff (title, a trigger's condition, ...). */
export interface TextDiff {
  /** Stable key of the field: `title`, `commitments/<id>/conditions`, `positions/<party>/note`. */
  key: string;
  /** Which item the field belongs to, for people: "France, troops", "Trigger 2"; null for title. */
  item: string | null;
  change: TextChange;
  ops: AuthoredOp[];
  authors: string[];
}

export type NarrativeBlockKind = 'paragraph' | 'heading' | 'listItem' | 'quote' | 'tableCell';

/** One changed block of a narrative (paragraph, heading, list item ...) with its word diff. */
export interface NarrativeBlockDiff {
  kind: NarrativeBlockKind;
  change: TextChange;
  ops: AuthoredOp[];
  authors: string[];
}

function attributeOps(
  ops: WordDiffOp[],
  index: AuthorIndex,
  from: State,
  to: State,
  a: IdText,
  b: IdText,
): AuthoredOp[] {
  const out: AuthoredOp[] = ops.map((op) => {
    if (op.type === 'equal') return { ...op, authors: [] };
    const [here, other, source, start] =
      op.type === 'insert' ? [to, from, b, op.bStart] : [from, to, a, op.aStart];
    const authors = new Authors(index, here, other);
    for (let i = start; i < start + op.text.length; i++) {
      const client = source.clients[i];
      if (client !== undefined) authors.id(client, source.clocks[i]!);
    }
    return { ...op, authors: authors.list() };
  });
  // "decision" -> "decisions": the deleted word's letters all live on, so its change is the
  // insertion's (and the other way round).
  for (let i = 0; i + 1 < out.length; i++) {
    const [del, ins] = [out[i]!, out[i + 1]!];
    if (del.type !== 'delete' || ins.type !== 'insert') continue;
    if (del.authors.length === 0) del.authors = ins.authors;
    else if (ins.authors.length === 0) ins.authors = del.authors;
  }
  return out;
}

const unionOf = (ops: AuthoredOp[]) => [...new Set(ops.flatMap((o) => o.authors))].sort();

function textDiff(
  key: string,
  a: IdText | null,
  b: IdText | null,
  index: AuthorIndex,
  from: State,
  to: State,
): TextDiff | null {
  const before = a ?? { text: '', clients: [], clocks: [] };
  const after = b ?? { text: '', clients: [], clocks: [] };
  if (before.text === after.text) return null;
  const ops = attributeOps(diffWords(before.text, after.text), index, from, to, before, after);
  const change: TextChange = !a ? 'added' : !b ? 'removed' : 'changed';
  return { key, item: null, change, ops, authors: unionOf(ops) };
}

type Block = { key: string; kind: NarrativeBlockKind; text: IdText };

/** A narrative's leaf blocks in document order, keyed by their element's Yjs id. */
function blocksOf(fragment: Y.XmlFragment | null, context: NarrativeBlockKind | null): Block[] {
  const out: Block[] = [];
  if (!fragment) return out;
  for (const child of fragment.toArray()) {
    if (!(child instanceof Y.XmlElement)) continue;
    const name = child.nodeName;
    if (name === 'paragraph' || name === 'heading') {
      const text: IdText = { text: '', clients: [], clocks: [] };
      for (const inline of child.toArray()) {
        if (inline instanceof Y.XmlText) appendText(text, inline as unknown as AnyType);
        else if (inline instanceof Y.XmlElement && inline.nodeName === 'hardBreak') {
          text.text += '\n';
        }
      }
      const id = child._item?.id;
      out.push({
        key: id ? `${id.client}:${id.clock}` : `${out.length}`,
        kind: name === 'heading' ? 'heading' : (context ?? 'paragraph'),
        text,
      });
    } else {
      const inner: NarrativeBlockKind | null =
        name === 'listItem'
          ? 'listItem'
          : name === 'blockquote'
            ? 'quote'
            : name === 'tableCell' || name === 'tableHeader'
              ? 'tableCell'
              : context;
      out.push(...blocksOf(child, inner));
    }
  }
  return out;
}

function narrativeDiff(
  a: Block[],
  b: Block[],
  index: AuthorIndex,
  from: State,
  to: State,
): NarrativeBlockDiff[] {
  const out: NarrativeBlockDiff[] = [];
  const emit = (before: Block | null, after: Block | null) => {
    const d = textDiff('', before?.text ?? null, after?.text ?? null, index, from, to);
    if (d)
      out.push({ kind: (after ?? before)!.kind, change: d.change, ops: d.ops, authors: d.authors });
  };
  const edits = diffSequences(
    a.map((x) => x.key),
    b.map((x) => x.key),
  );
  let i = 0;
  let j = 0;
  let dels: Block[] = [];
  let ins: Block[] = [];
  const flush = () => {
    // A block rewritten whole (restore, paste over) has a new id: pair it with the one it replaced.
    const n = Math.max(dels.length, ins.length);
    for (let k = 0; k < n; k++) emit(dels[k] ?? null, ins[k] ?? null);
    dels = [];
    ins = [];
  };
  for (const e of edits) {
    if (e.type === 'equal') {
      flush();
      emit(a[i++]!, b[j++]!);
    } else if (e.type === 'delete') dels.push(a[i++]!);
    else ins.push(b[j++]!);
  }
  flush();
  return out;
}

/** A layer's short texts by field key. */
function layerTexts(layer: Y.Map<unknown> | undefined): Map<string, IdText> {
  const out = new Map<string, IdText>();
  if (!layer) return out;
  const text = (key: string, value: unknown) => {
    if (value instanceof Y.Text) out.set(key, idTextOf(value as unknown as AnyType));
  };
  text('title', layer.get('title'));
  const list = (name: string, fields: string[]) => {
    const arr = layer.get(name);
    if (!(arr instanceof Y.Array)) return;
    for (const item of arr.toArray() as unknown[]) {
      if (!(item instanceof Y.Map)) continue;
      const id: unknown = item.get('id');
      if (typeof id !== 'string') continue;
      for (const f of fields) text(`${name}/${id}/${f}`, item.get(f));
    }
  };
  list('commitments', ['conditions', 'period']);
  list('triggers', ['condition', 'response']);
  list('openQuestions', ['text']);
  list('risks', ['text']);
  const positions = layer.get('positions');
  if (positions instanceof Y.Map) {
    positions.forEach((p: unknown, party: string) => {
      if (p instanceof Y.Map) text(`positions/${party}/note`, p.get('note'));
    });
  }
  return out;
}

/** Names the item of each short text key (`commitments/<id>/...` -> "France, troops"). */
function itemNames(views: FrameworkView[]): Map<string, string> {
  const names = new Map<string, string>();
  for (const view of views) {
    const party = (id: string) => view.parties.find((p) => p.id === id)?.name ?? id;
    for (const layer of view.layers) {
      layer.commitments.forEach((c) => {
        const who = c.party ? party(c.party) : 'No party';
        names.set(`commitments/${c.id}`, `${who}, ${COMMITMENT_TYPE_LABELS[c.type] ?? c.type}`);
      });
      layer.triggers.forEach((t, i) => names.set(`triggers/${t.id}`, `Trigger ${i + 1}`));
      layer.openQuestions.forEach((q, i) =>
        names.set(`openQuestions/${q.id}`, `Open question ${i + 1}`),
      );
      layer.risks.forEach((r, i) => names.set(`risks/${r.id}`, `Risk ${i + 1}`));
      for (const id of Object.keys(layer.positions)) names.set(`positions/${id}`, party(id));
    }
  }
  return names;
}

/** The layer map field keys behind the comparison's field names (and status and order). */
export type AttributedField = LayerField | 'status' | 'order';

/** Who changed a layer, field by field, with the word diffs of its texts. */
export interface LayerAttribution {
  id: string;
  /** Authors of the layer's addition or removal (empty for a layer present in both). */
  layer: string[];
  fields: Partial<Record<AttributedField, string[]>>;
  narrative: NarrativeBlockDiff[];
  /** Short texts that differ (title, conditions, responses, notes), in a stable order. */
  texts: TextDiff[];
  /** Everyone who changed anything in this layer. */
  authors: string[];
}

export interface AttributedComparison {
  comparison: FrameworkComparison;
  title: TextDiff | null;
  /** Authors of each party added or removed. */
  parties: Record<string, string[]>;
  /** Every layer added, removed, moved or changed, in the order of the newer state. */
  layers: LayerAttribution[];
  /** Everyone who changed anything, sorted. */
  authors: string[];
}

const layerItem = (doc: Y.Doc, id: string): Y.Item | null =>
  (layersMap(doc) as unknown as AnyType | undefined)?._map.get(id) ?? null;

const layerMapOf = (doc: Y.Doc, id: string): Y.Map<unknown> | undefined => {
  const layer: unknown = layersMap(doc)?.get(id);
  return layer instanceof Y.Map ? (layer as Y.Map<unknown>) : undefined;
};

const fieldItem = (doc: Y.Doc, id: string, key: string): Y.Item | null =>
  (layerMapOf(doc, id) as unknown as AnyType | undefined)?._map.get(key) ?? null;

const rootItem = (doc: Y.Doc, key: string): Y.Item | null =>
  (getFrameworkRoot(doc) as unknown as AnyType)._map.get(key) ?? null;

/**
 * Compares two encoded states of one framework (`from` older, usually) and attributes every
 * difference to its authors through `changes` (ChangeSets per author from the attributed log).
 * A difference nobody's recorded changes explain gets no author (an empty list).
 */
export function compareStatesWithAuthors(
  fromState: Uint8Array,
  toState: Uint8Array,
  changes: AuthoredChanges[],
): AttributedComparison {
  const from = new State(fromState);
  const to = new State(toState);
  try {
    const index = new AuthorIndex(changes);
    const [fromView, toView] = [readFramework(from.doc), readFramework(to.doc)];
    const comparison = compareFrameworks(fromView, toView);
    // The newer state's names win: a renamed party or retyped commitment reads as it is now.
    const names = itemNames([fromView, toView]);
    const sub = (pick: (doc: Y.Doc) => Y.Item | null | undefined) =>
      subtreeAuthors(index, from, to, pick);

    const titleText = (doc: Y.Doc) => {
      const item = rootItem(doc, 'title');
      return item?.content instanceof Y.ContentType ? idTextOf(item.content.type as AnyType) : null;
    };
    const title = comparison.title
      ? textDiff('title', titleText(from.doc), titleText(to.doc), index, from, to)
      : null;

    const parties: Record<string, string[]> = {};
    for (const party of [...comparison.partiesAdded, ...comparison.partiesRemoved]) {
      parties[party] = sub((doc) => {
        const map = rootItem(doc, 'parties');
        return map?.content instanceof Y.ContentType
          ? (map.content.type as AnyType)._map.get(party)
          : null;
      });
    }

    const touched = new Map<string, LayerAttribution>();
    const entry = (id: string) => {
      let e = touched.get(id);
      if (!e) {
        e = { id, layer: [], fields: {}, narrative: [], texts: [], authors: [] };
        touched.set(id, e);
      }
      return e;
    };
    for (const l of [...comparison.added, ...comparison.removed]) {
      entry(l.id).layer = sub((doc) => layerItem(doc, l.id));
    }
    for (const l of comparison.moved) {
      entry(l.id).fields.order = sub((doc) => fieldItem(doc, l.id, 'order'));
    }
    for (const l of comparison.statusChanges) {
      entry(l.id).fields.status = sub((doc) => fieldItem(doc, l.id, 'status'));
    }
    for (const l of comparison.changed) {
      const e = entry(l.id);
      for (const field of l.fields) e.fields[field] = sub((doc) => fieldItem(doc, l.id, field));
    }

    for (const e of touched.values()) {
      const a = layerMapOf(from.doc, e.id);
      const b = layerMapOf(to.doc, e.id);
      const fragment = (m: Y.Map<unknown> | undefined) => {
        const f: unknown = m?.get('narrative');
        return f instanceof Y.XmlFragment ? f : null;
      };
      e.narrative = narrativeDiff(
        blocksOf(fragment(a), null),
        blocksOf(fragment(b), null),
        index,
        from,
        to,
      );
      const ta = layerTexts(a);
      const tb = layerTexts(b);
      const keys = [...new Set([...ta.keys(), ...tb.keys()])];
      e.texts = keys
        .map((k) => textDiff(k, ta.get(k) ?? null, tb.get(k) ?? null, index, from, to))
        .filter((d): d is TextDiff => d !== null)
        .map((d) => ({ ...d, item: names.get(d.key.split('/').slice(0, 2).join('/')) ?? null }));
      e.authors = [
        ...new Set([
          ...e.layer,
          ...Object.values(e.fields).flat(),
          ...e.narrative.flatMap((d) => d.authors),
          ...e.texts.flatMap((d) => d.authors),
        ]),
      ].sort();
    }

    // Newer state's order first; layers only in the older one after them.
    const order = new Map<string, number>();
    for (const l of [...toView.layers, ...fromView.layers]) {
      if (!order.has(l.id)) order.set(l.id, order.size);
    }
    const layers = [...touched.values()].sort(
      (x, y) => (order.get(x.id) ?? 0) - (order.get(y.id) ?? 0),
    );
    const authors = [
      ...new Set([
        ...(title?.authors ?? []),
        ...Object.values(parties).flat(),
        ...layers.flatMap((l) => l.authors),
      ]),
    ].sort();
    return { comparison, title, parties, layers, authors };
  } finally {
    from.doc.destroy();
    to.doc.destroy();
  }
}
