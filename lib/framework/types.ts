/**
 * Plain domain types of a framework. These are what readers get (readFramework) and what writers
 * pass in; none of them is a Yjs type. The Yjs shape lives in schema.ts.
 */

export const LAYER_KINDS = [
  'monitoring',
  'presence',
  'air',
  'maritime',
  'enablers',
  'legal',
  'pipeline',
  'economic',
  'integration',
  'eastern-flank',
] as const;
export type LayerKind = (typeof LAYER_KINDS)[number];

/**
 * The workflow status of a layer. "Under silence" is deliberately not a status: it is a procedure
 * running on top of a status (see LayerStatusDetail), so adding it never changes this union.
 */
export const LAYER_STATUSES = [
  'draft',
  'proposed',
  'in_review',
  'agreed_ad_ref',
  'agreed_in_package',
  'agreed',
] as const;
export type LayerStatus = (typeof LAYER_STATUSES)[number];

/** A silence procedure: the layer becomes agreed at `until` unless someone breaks silence. */
export interface SilenceProcedure {
  /** ISO 8601 date-time. */
  until: string;
  /** User id of the owner who started it. */
  startedBy: string;
  /** ISO 8601 date-time. */
  startedAt: string;
  broken?: {
    by: string;
    party: string;
    reason: string;
    at: string;
    name?: string;
    chair?: boolean;
  };
}

/**
 * Extra facts about the current status, written by the server's review workflow. Every member is
 * optional so new ones can be added without a schema migration; unknown members are kept as-is.
 */
export interface LayerStatusDetail {
  /** For agreed_ad_ref: ISO 8601 date by which capitals are to confirm. */
  confirmBy?: string;
  silence?: SilenceProcedure;
  /** An owner agreed the layer over an 'oppose' position (recorded, with the opposing parties). */
  override?: { by: string; at: string; parties: string[]; reason: string };
  /** For agreed_ad_ref: the delegations that must confirm, and those that have. */
  adReferendum?: AdReferendum;
}

/** Who acted for a delegation: the person, and whether the chair entered it on its behalf. */
export interface DelegationAct {
  /** User id. */
  by: string;
  /** The person's name when they acted (shown beside the delegation). */
  name: string;
  /** True when an owner, as chair, entered it for a delegation they do not belong to. */
  chair: boolean;
  /** ISO 8601 date-time. */
  at: string;
}

/** Agreement ad referendum: each named delegation's capital confirms in turn. */
export interface AdReferendum {
  /** Party ids that must confirm. */
  required: string[];
  /** Keyed by party id. */
  confirmed: Record<string, DelegationAct>;
}

export const COMMITMENT_TYPES = [
  'troops',
  'aircraft',
  'ships',
  'air_defence',
  'basing',
  'isr',
  'funding',
  'training',
  'equipment',
] as const;
export type CommitmentType = (typeof COMMITMENT_TYPES)[number];

/** A delegation's stance on a layer; a party without a position has "not stated". */
export const STANCES = ['support', 'no_objection', 'reserve', 'oppose'] as const;
export type Stance = (typeof STANCES)[number];

/** A party to the framework; `id` is the normalised name (see partyIdOf). */
export interface Party {
  id: string;
  name: string;
}

export interface Commitment {
  id: string;
  /** Party id, '' when not chosen yet. */
  party: string;
  type: CommitmentType;
  /** null when not (yet) quantified: validation reports it. */
  quantity: number | null;
  unit: string;
  conditions: string;
  period: string;
}

export interface Trigger {
  id: string;
  condition: string;
  response: string;
  /** Hours from the trigger condition to the required response; null when not set. */
  deadlineHours: number | null;
  /** Party ids, in framework party order. */
  responsibleParties: string[];
}

export interface Position {
  stance: Stance;
  note: string;
  /** Who stated it (absent on positions recorded before delegations acted for themselves). */
  statedBy?: DelegationAct;
}

/** An open question or a risk: a short note with a stable id. */
export interface Note {
  id: string;
  text: string;
}

export type Mark =
  | { type: 'bold' }
  | { type: 'italic' }
  | { type: 'link'; href: string }
  /**
   * Unagreed language (review bracket): proposing party id ('' when unknown), alternatives each
   * with its proposer, and whether the chair entered it on the proposer's behalf.
   */
  | {
      type: 'bracket';
      id: string;
      party: string;
      alternatives: BracketAlternative[];
      chair: boolean;
    };

/** An alternative wording of bracketed text, and the party id that proposed it ('' unknown). */
export interface BracketAlternative {
  text: string;
  party: string;
}

export type Inline = { type: 'text'; text: string; marks: Mark[] } | { type: 'hardBreak' };

export interface TableCell {
  header: boolean;
  blocks: NarrativeBlock[];
}

/** A structured, renderer-friendly form of narrative text (for export and tests). */
export type NarrativeBlock =
  | { type: 'paragraph'; content: Inline[] }
  | { type: 'heading'; level: number; content: Inline[] }
  | { type: 'list'; ordered: boolean; items: NarrativeBlock[][] }
  | { type: 'blockquote'; blocks: NarrativeBlock[] }
  | { type: 'table'; rows: TableCell[][] };

export interface Narrative {
  /** Plain text: one line per paragraph, heading, list item or table row. */
  text: string;
  blocks: NarrativeBlock[];
}

export interface Layer {
  id: string;
  title: string;
  kind: LayerKind;
  status: LayerStatus;
  statusDetail: LayerStatusDetail;
  /** Party id, null when no lead is chosen. */
  lead: string | null;
  /** Fractional index key; layers sort by (order, id). */
  order: string;
  narrative: Narrative;
  commitments: Commitment[];
  triggers: Trigger[];
  /** Keyed by party id. */
  positions: Record<string, Position>;
  /** Ids of layers this one depends on (may name a removed layer: validation reports it). */
  dependencies: string[];
  openQuestions: Note[];
  risks: Note[];
}

/** The layer fields that hold a list of notes. */
export type NoteList = 'openQuestions' | 'risks';

export interface FrameworkView {
  schemaVersion: number;
  title: string;
  /** Sorted by name. */
  parties: Party[];
  /** Sorted by (order, id). */
  layers: Layer[];
  /**
   * Packages of layers, sorted by name (readFramework always fills it; optional so a view built
   * by hand, e.g. an older stored version, need not name any).
   */
  packages?: LayerPackage[];
}

/**
 * Layers traded against each other: "nothing is agreed until everything is agreed". Written
 * whole by the server's review workflow (lib/framework/packages.ts), never by a client.
 */
export interface LayerPackage {
  id: string;
  name: string;
  /** Layer ids in the order the owner listed them (a removed layer's id may linger: skipped). */
  layerIds: string[];
  created: { by: string; at: string };
  /** Set when the package was agreed in one act; cleared when one of its layers is reopened. */
  agreed?: { by: string; at: string };
  /** The last reopening of one of its layers while it was agreed, shown to everyone. */
  reopened?: { by: string; at: string; layerId: string; reason: string };
}

/** UI labels, kept in one place so every view names things the same way. */
export const LAYER_KIND_LABELS: Record<LayerKind, string> = {
  monitoring: 'Ceasefire monitoring',
  presence: 'Ground presence',
  air: 'Air policing and air defence',
  maritime: 'Maritime security',
  enablers: 'US enablers',
  legal: 'Legal guarantee',
  pipeline: 'Weapons, training and finance',
  economic: 'Economic measures',
  integration: 'Euro-Atlantic integration',
  'eastern-flank': 'Eastern flank',
};

export const LAYER_STATUS_LABELS: Record<LayerStatus, string> = {
  draft: 'Draft',
  proposed: 'Proposed',
  in_review: 'In review',
  agreed_ad_ref: 'Agreed ad referendum',
  agreed_in_package: 'Agreed in package',
  agreed: 'Agreed',
};

export const COMMITMENT_TYPE_LABELS: Record<CommitmentType, string> = {
  troops: 'Troops',
  aircraft: 'Aircraft',
  ships: 'Ships',
  air_defence: 'Air defence',
  basing: 'Basing access',
  isr: 'ISR',
  funding: 'Funding',
  training: 'Training',
  equipment: 'Equipment',
};

export const STANCE_LABELS: Record<Stance, string> = {
  support: 'Support',
  no_objection: 'No objection',
  reserve: 'Reserve',
  oppose: 'Oppose',
};

export const isLayerKind = (v: unknown): v is LayerKind =>
  typeof v === 'string' && (LAYER_KINDS as readonly string[]).includes(v);
export const isLayerStatus = (v: unknown): v is LayerStatus =>
  typeof v === 'string' && (LAYER_STATUSES as readonly string[]).includes(v);
export const isCommitmentType = (v: unknown): v is CommitmentType =>
  typeof v === 'string' && (COMMITMENT_TYPES as readonly string[]).includes(v);
export const isStance = (v: unknown): v is Stance =>
  typeof v === 'string' && (STANCES as readonly string[]).includes(v);

/**
 * The id of a party: its name, Unicode-normalised, lower-cased, whitespace collapsed to '-'. Two
 * people adding "United Kingdom" and "united  kingdom" at once get one party, not two.
 */
export function partyIdOf(name: string): string {
  return name.normalize('NFC').trim().toLocaleLowerCase('en').replace(/\s+/g, '-');
}
