/**
 * The update check: reads a writer's whole Yjs update before Yjs sees it (structure, bounds,
 * integration order) and says what the document must hold first. Framing and the bounded
 * readers are transport/framing.ts.
 */
import * as decoding from 'lib0/decoding';
import * as Y from 'yjs';
import { MalformedMessage, readBytes, readSmallUint, readString } from '../transport/framing';

/** Deepest nesting of `any` values (arrays and objects) an update may carry. */
const MAX_ANY_DEPTH = 32;
/** Clocks and lengths stay far below 2^53, so clock arithmetic is exact. */
const MAX_CLOCK = 2 ** 40;

/** What a structurally valid update contains, for the dependency check before applying. */
export type UpdateShape = {
  structs: number;
  deleteRanges: number;
  /** What the document must hold first (see `updateRequirements`), from the same decoding. */
  requirements: Map<number, number>;
};

/**
 * Reads a whole update (structs and delete set) without applying it, so a truncated or corrupt
 * update is refused before Yjs integrates any part of it (Yjs applies structs before it reads
 * the delete set). A walk of our own over every byte: each count is checked against the bytes
 * that could hold it before anything loops or allocates (Yjs preallocates an array of the
 * claimed struct count), nesting is bounded and unknown tags are refused, so one message costs
 * work proportional to its length. The same walk records each struct's id and references, for
 * the dependency checks: no second decoding (Yjs's decodeUpdate built an object per struct and
 * content, which cost as much as the walk again, per update).
 */
export function checkUpdate(update: Uint8Array): UpdateShape {
  if (update.length < 2) throw new MalformedMessage('update too short');
  const walked = walkUpdate(update);
  checkIntegrationOrder(walked);
  return {
    structs: walked.count,
    deleteRanges: walked.deletes.length / 3,
    requirements: requirementsOf(walked),
  };
}

/**
 * The structs of an update as the walk read them: FIELDS numbers per struct (its client, clock,
 * length, kind, then the client and clock of its origin, right origin and parent id, with
 * NO_CLIENT where it has none), in update order; and the delete set as (client, clock, length).
 */
type WalkedUpdate = { structs: number[]; count: number; deletes: number[] };
const FIELDS = 10;
const CLIENT = 0;
const CLOCK = 1;
const LENGTH = 2;
const KIND = 3;
/** Each reference is a client at this offset and its clock at the next. */
const ORIGIN = 4;
const RIGHT_ORIGIN = 6;
const PARENT = 8;
const REFERENCES = [ORIGIN, RIGHT_ORIGIN, PARENT];
const NO_CLIENT = -1;
/** Struct kinds (KIND): garbage-collected, an item, a gap. */
const GC = 0;
const ITEM = 1;
const SKIP = 2;

/** The structural walk of a v1 update (the y-websocket encoding); throws MalformedMessage. */
function walkUpdate(update: Uint8Array): WalkedUpdate {
  const d = decoding.createDecoder(update);
  const walked: WalkedUpdate = { structs: [], count: 0, deletes: [] };
  const clients = readCount(d, 'update client count', 3);
  const seenClients = new Set<number>();
  for (let c = 0; c < clients; c++) {
    // A struct is at least one info byte plus one byte of content or length.
    const count = readCount(d, 'update struct count', 2);
    const client = readSmallUint(d, 'update client id');
    if (seenClients.has(client)) throw new MalformedMessage('update repeats a client');
    seenClients.add(client);
    let clock = readClock(d, 'update clock');
    for (let i = 0; i < count; i++) {
      clock += walkStruct(d, walked, client, clock);
      if (clock > MAX_CLOCK) throw new MalformedMessage('update clock out of range');
    }
  }
  const dsClients = readCount(d, 'delete set client count', 2);
  for (let c = 0; c < dsClients; c++) {
    const client = readSmallUint(d, 'delete set client');
    const ranges = readCount(d, 'delete set range count', 2);
    for (let i = 0; i < ranges; i++) {
      const clock = readClock(d, 'delete set clock');
      const length = readClock(d, 'delete set length');
      if (clock + length > MAX_CLOCK) throw new MalformedMessage('delete set out of range');
      walked.deletes.push(client, clock, length);
    }
  }
  if (decoding.hasContent(d)) throw new MalformedMessage('trailing bytes after update');
  return walked;
}

/** Reads one struct and records it in `walked`; returns its length in clock units. */
function walkStruct(
  d: decoding.Decoder,
  walked: WalkedUpdate,
  client: number,
  clock: number,
): number {
  const info = readByte(d, 'struct info');
  const ref = info & 0b11111;
  const row = walked.structs.length;
  walked.structs.push(client, clock, 0, ITEM, NO_CLIENT, 0, NO_CLIENT, 0, NO_CLIENT, 0);
  walked.count += 1;
  const length = walkStructBody(d, walked.structs, row, info, ref);
  walked.structs[row + LENGTH] = length;
  return length;
}

function walkStructBody(
  d: decoding.Decoder,
  table: number[],
  row: number,
  info: number,
  ref: number,
): number {
  if (ref === 0 || ref === 10) {
    // GC and Skip: a length. A Skip (a gap) never comes from a client that sends its own changes,
    // but Yjs handles it; the dependency check counts what follows a gap as missing.
    table[row + KIND] = ref === 0 ? GC : SKIP;
    return readLength(d, 'struct length');
  }
  const hasOrigin = (info & 0x80) !== 0;
  const hasRightOrigin = (info & 0x40) !== 0;
  if (hasOrigin) readId(d, table, row + ORIGIN);
  if (hasRightOrigin) readId(d, table, row + RIGHT_ORIGIN);
  if (!hasOrigin && !hasRightOrigin) {
    const parentIsKey = readSmallUint(d, 'parent info') === 1;
    if (parentIsKey) readString(d, 'parent key', MAX_STRING);
    else readId(d, table, row + PARENT);
    if ((info & 0x20) !== 0) readString(d, 'parent sub key', MAX_STRING);
  }
  switch (ref) {
    case 1: // deleted content
      return readLength(d, 'deleted length');
    case 2: {
      // JSON content: strings of JSON (or "undefined")
      const n = readCount(d, 'JSON content count', 1);
      if (n === 0) throw new MalformedMessage('empty JSON content');
      for (let i = 0; i < n; i++) {
        const text = readString(d, 'JSON content', MAX_STRING);
        if (text !== 'undefined') parseJson(text);
      }
      return n;
    }
    case 3: // binary
      readBytes(d, 'binary content');
      return 1;
    case 4: {
      const text = readString(d, 'string content', MAX_STRING);
      if (text.length === 0) throw new MalformedMessage('empty string content');
      return text.length;
    }
    case 5: // embed
      parseJson(readString(d, 'embed content', MAX_STRING));
      return 1;
    case 6: // format
      readString(d, 'format key', MAX_STRING);
      parseJson(readString(d, 'format value', MAX_STRING));
      return 1;
    case 7: {
      const typeRef = readSmallUint(d, 'type ref');
      if (typeRef > 6) throw new MalformedMessage(`unknown type ref ${typeRef}`);
      // XmlElement and XmlHook carry a node name.
      if (typeRef === 3 || typeRef === 5) readString(d, 'type name', MAX_STRING);
      return 1;
    }
    case 8: {
      const n = readCount(d, 'any content count', 1);
      if (n === 0) throw new MalformedMessage('empty any content');
      for (let i = 0; i < n; i++) walkAny(d, 0);
      return n;
    }
    case 9:
      // Subdocuments are not part of a framework; a server-side Y.Doc per one is pure cost.
      throw new MalformedMessage('subdocuments are not accepted');
    default:
      throw new MalformedMessage(`unknown struct type ${ref}`);
  }
}

/** One lib0 `any` value, iteratively bounded in depth (lib0 recurses without a limit). */
function walkAny(d: decoding.Decoder, depth: number): void {
  if (depth > MAX_ANY_DEPTH) throw new MalformedMessage('value nested too deeply');
  const tag = readByte(d, 'value tag');
  switch (tag) {
    case 127: // undefined
    case 126: // null
    case 121: // false
    case 120: // true
      return;
    case 125: // signed varint: at most 8 bytes for 53 bits
      for (let i = 0; ; i++) {
        if (i >= 8) throw new MalformedMessage('integer value out of range');
        if ((readByte(d, 'integer value') & 0x80) === 0) return;
      }
    case 124:
      skip(d, 4, 'float value');
      return;
    case 123:
    case 122:
      skip(d, 8, 'number value');
      return;
    case 119:
      readString(d, 'string value', MAX_STRING);
      return;
    case 118: {
      // A key and a value are at least two bytes.
      const n = readCount(d, 'object size', 2);
      for (let i = 0; i < n; i++) {
        readString(d, 'object key', MAX_STRING);
        walkAny(d, depth + 1);
      }
      return;
    }
    case 117: {
      const n = readCount(d, 'array size', 1);
      for (let i = 0; i < n; i++) walkAny(d, depth + 1);
      return;
    }
    case 116:
      readBytes(d, 'bytes value');
      return;
    default:
      throw new MalformedMessage(`unknown value tag ${tag}`);
  }
}

const MAX_STRING = Number.MAX_SAFE_INTEGER;

/** A count of items each at least `minBytes` long: larger than the rest of the message can hold is refused. */
function readCount(d: decoding.Decoder, what: string, minBytes: number): number {
  const n = readSmallUint(d, what);
  if (n * minBytes > d.arr.length - d.pos) throw new MalformedMessage(`${what} out of bounds`);
  return n;
}

function readClock(d: decoding.Decoder, what: string): number {
  const value = readUint53(d, what);
  if (value > MAX_CLOCK) throw new MalformedMessage(`${what} out of range`);
  return value;
}

function readLength(d: decoding.Decoder, what: string): number {
  const length = readClock(d, what);
  if (length === 0) throw new MalformedMessage(`${what} is zero`);
  return length;
}

/** Reads an id (client, clock) into `table` at `at`. */
function readId(d: decoding.Decoder, table: number[], at: number): void {
  table[at] = readSmallUint(d, 'id client');
  table[at + 1] = readClock(d, 'id clock');
}

function readUint53(d: decoding.Decoder, what: string): number {
  try {
    return decoding.readVarUint(d);
  } catch {
    throw new MalformedMessage(`truncated ${what}`);
  }
}

function readByte(d: decoding.Decoder, what: string): number {
  if (d.pos >= d.arr.length) throw new MalformedMessage(`truncated ${what}`);
  return decoding.readUint8(d);
}

function skip(d: decoding.Decoder, n: number, what: string): void {
  if (d.pos + n > d.arr.length) throw new MalformedMessage(`truncated ${what}`);
  d.pos += n;
}

function parseJson(text: string): void {
  try {
    JSON.parse(text);
  } catch {
    throw new MalformedMessage('content is not JSON');
  }
}

/**
 * What a document must already hold for an update to integrate completely: per client, the
 * clock its state must have reached. An update's own structs satisfy references into their own
 * run, so only what lies before a run, behind a gap, or outside the update counts. Yjs parks
 * structs whose dependencies are missing as "pending" and re-merges them on every later update
 * (1.5 ms per update at only 1 KB pending, growing with it), so the server never lets one reach
 * Yjs: see `unmetRequirements`.
 */
export function updateRequirements(update: Uint8Array): Map<number, number> {
  return checkUpdate(update).requirements;
}

/** The first and last row of each client's structs (contiguous: the walk reads them per client). */
type Runs = Map<number, { first: number; last: number }>;

function runsOf({ structs, count }: WalkedUpdate): Runs {
  const runs: Runs = new Map();
  for (let row = 0; row < count * FIELDS; row += FIELDS) {
    const run = runs.get(structs[row + CLIENT]!);
    if (run) run.last = row;
    else runs.set(structs[row + CLIENT]!, { first: row, last: row });
  }
  return runs;
}

function requirementsOf(walked: WalkedUpdate): Map<number, number> {
  const { structs, count, deletes } = walked;
  const required = new Map<number, number>();
  // The clocks each client's structs cover, Skips aside (structs come sorted by clock).
  const covers = new Map<number, { start: number; end: number }>();
  for (let row = 0; row < count * FIELDS; row += FIELDS) {
    if (structs[row + KIND] === SKIP) continue;
    const client = structs[row + CLIENT]!;
    const clock = structs[row + CLOCK]!;
    const end = clock + structs[row + LENGTH]!;
    const cover = covers.get(client);
    if (!cover) {
      covers.set(client, { start: clock, end });
      need(required, client, clock);
    } else {
      // A gap (a Skip, or clocks that jump) must be filled by the document.
      if (clock > cover.end) need(required, client, clock);
      cover.end = Math.max(cover.end, end);
    }
  }
  for (let row = 0; row < count * FIELDS; row += FIELDS) {
    if (structs[row + KIND] !== ITEM) continue;
    for (const field of REFERENCES) {
      const client = structs[row + field]!;
      if (client === NO_CLIENT) continue;
      const clock = structs[row + field + 1]!;
      const cover = covers.get(client);
      if (!cover || clock < cover.start || clock >= cover.end) need(required, client, clock + 1);
    }
  }
  for (let i = 0; i < deletes.length; i += 3) {
    const client = deletes[i]!;
    const end = deletes[i + 1]! + deletes[i + 2]!;
    const cover = covers.get(client);
    if (!cover || deletes[i + 1]! < cover.start || end > cover.end) need(required, client, end);
  }
  return required;
}

function need(required: Map<number, number>, client: number, state: number): void {
  if (state > (required.get(client) ?? 0)) required.set(client, state);
}

/**
 * Refuses an update that Yjs could not integrate completely even on a document holding all its
 * requirements: structs that depend on each other in a cycle inside the update (client A's struct
 * needs one of B's, which needs a later one of A's), or a struct naming a change of its own client
 * that does not come before it. Yjs would integrate whatever comes before the cycle, then keep the
 * rest pending (or throw half way, for a forward reference to its own client), so part of the
 * update would be applied, relayed and stored. Found here, nothing is.
 *
 * The model is Yjs's own (`integrateStructs`): each client's structs integrate in clock order,
 * and a struct waits for the struct of another client that covers each clock it refers to
 * (origin, right origin, parent) when the update itself carries that clock. References outside
 * the update are the document's business (`requirementsOf`). A depth-first walk over clients,
 * as Yjs does it, finds a cycle when it needs a struct of a client that is itself waiting further
 * down the walk. Honest updates never have one: every reference names a change that existed
 * before the struct's first change was made, so the waits only point back in time.
 *
 * Cost: every struct is visited once, plus once per reference that makes it wait; each visit
 * looks its references up by binary search. Linear in the struct count (which the walk bounds)
 * up to a logarithm.
 */
function checkIntegrationOrder(walked: WalkedUpdate): void {
  const { structs, count } = walked;
  for (let row = 0; row < count * FIELDS; row += FIELDS) checkOwnReferences(structs, row);
  const runs = runsOf(walked);
  if (runs.size < 2) return;
  new IntegrationOrder(structs, runs).check();
}

/** A struct may only name changes of its own client that come before it (Yjs assumes so). */
function checkOwnReferences(structs: number[], row: number): void {
  if (structs[row + KIND] !== ITEM) return;
  const client = structs[row + CLIENT]!;
  for (const field of REFERENCES) {
    if (structs[row + field] === client && structs[row + field + 1]! >= structs[row + CLOCK]!) {
      throw new MalformedMessage('update refers to a later change of its own client');
    }
  }
}

/** Yjs's integration walk over an update's clients, as far as finding a cycle needs it. */
class IntegrationOrder {
  private readonly clients: number[];
  private readonly indexOf = new Map<number, number>();
  private readonly first: number[] = [];
  private readonly last: number[] = [];
  /** How many structs of each client are integrated so far in the walk. */
  private readonly done: Uint32Array;
  private readonly waiting: Uint8Array;
  /** Set by `blocked`: the client and struct index the struct waits for. */
  private blockedOn = 0;
  private blockedAt = 0;

  constructor(
    private readonly structs: number[],
    runs: Runs,
  ) {
    this.clients = [...runs.keys()];
    for (const [client, run] of runs) {
      this.indexOf.set(client, this.first.length);
      this.first.push(run.first);
      this.last.push(run.last);
    }
    this.done = new Uint32Array(this.clients.length);
    this.waiting = new Uint8Array(this.clients.length);
  }

  check(): void {
    const { done, waiting } = this;
    // A stack of (client, index of its struct that must be integrated before popping).
    const stack: number[] = [];
    for (let start = 0; start < this.clients.length; start++) {
      if (done[start]! >= this.size(start)) continue;
      stack.push(start, this.size(start) - 1);
      waiting[start] = 1;
      while (stack.length > 0) {
        const client = stack[stack.length - 2]!;
        const target = stack[stack.length - 1]!;
        if (done[client]! > target) {
          stack.length -= 2;
          waiting[client] = 0;
          continue;
        }
        if (!this.blocked(this.first[client]! + done[client]! * FIELDS)) {
          done[client] = done[client]! + 1;
          continue;
        }
        // Waiting for a client that is itself waiting further down: neither can ever go first.
        if (waiting[this.blockedOn] === 1) {
          throw new MalformedMessage('update depends on itself in a cycle');
        }
        stack.push(this.blockedOn, this.blockedAt);
        waiting[this.blockedOn] = 1;
      }
    }
  }

  private size(client: number): number {
    return (this.last[client]! - this.first[client]!) / FIELDS + 1;
  }

  /** Whether the struct at `row` refers to a struct of another client not integrated yet. */
  private blocked(row: number): boolean {
    if (this.structs[row + KIND] !== ITEM) return false;
    const own = this.structs[row + CLIENT]!;
    for (const field of REFERENCES) {
      const client = this.structs[row + field]!;
      if (client === NO_CLIENT || client === own) continue;
      const index = this.indexOf.get(client);
      if (index === undefined) continue;
      const at = this.structAt(index, this.structs[row + field + 1]!);
      if (at < this.done[index]!) continue;
      this.blockedOn = index;
      this.blockedAt = at;
      return true;
    }
    return false;
  }

  /** Index (within its client's run) of the struct covering `clock`, or -1 when none does. */
  private structAt(client: number, clock: number): number {
    const { structs } = this;
    const first = this.first[client]!;
    const last = this.last[client]!;
    if (
      clock < structs[first + CLOCK]! ||
      clock >= structs[last + CLOCK]! + structs[last + LENGTH]!
    ) {
      return -1;
    }
    let low = 0;
    let high = (last - first) / FIELDS;
    while (low < high) {
      const mid = (low + high + 1) >>> 1;
      if (structs[first + mid * FIELDS + CLOCK]! <= clock) low = mid;
      else high = mid - 1;
    }
    return low;
  }
}

/** How many of an update's requirements a document does not meet yet (0: it integrates fully). */
export function unmetRequirements(required: Map<number, number>, doc: Y.Doc): number {
  let unmet = 0;
  for (const [client, state] of required) if (Y.getState(doc.store, client) < state) unmet += 1;
  return unmet;
}
