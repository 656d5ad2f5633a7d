/**
 * Templates a new framework starts from, written in our own words from DOMAIN.md. The sample
 * content is illustrative: parties are real, figures and wording are placeholders that show the
 * shape a concrete layer takes, not the position of any government.
 */
import * as Y from 'yjs';
import {
  addCommitment,
  addDependency,
  addLayer,
  addNote,
  addParty,
  addTrigger,
  FrameworkError,
  setFrameworkTitle,
  setLayerField,
  setNarrative,
  setPosition,
} from './doc';
import { paragraph } from './narrative';
import { documentSchemaVersion, migrateFramework, readYMap, readYText, rootOf } from './schema';
import {
  partyIdOf,
  type Commitment,
  type LayerKind,
  type LayerStatus,
  type NarrativeBlock,
  type Position,
} from './types';

interface TemplateLayer {
  /** Local name, for dependencies between layers of one template. */
  key: string;
  kind: LayerKind;
  title: string;
  status?: LayerStatus;
  /** Party name. */
  lead?: string;
  narrative: NarrativeBlock[];
  commitments?: Array<Omit<Commitment, 'id'>>;
  triggers?: Array<{
    condition: string;
    response: string;
    deadlineHours: number | null;
    responsible: string[];
  }>;
  /** Keyed by party name. */
  positions?: Record<string, Position>;
  dependsOn?: string[];
  openQuestions?: string[];
  risks?: string[];
}

interface FrameworkTemplate {
  id: string;
  name: string;
  description: string;
  title: string;
  /** Party names; commitments, triggers, leads and positions refer to these names. */
  parties: string[];
  layers: TemplateLayer[];
}

const SAMPLE_NOTE: NarrativeBlock = {
  type: 'paragraph',
  content: [
    {
      type: 'text',
      text: 'Illustrative sample: ',
      marks: [{ type: 'bold' }],
    },
    {
      type: 'text',
      text: 'figures and wording are placeholders showing the shape of a concrete layer, not the position of any government.',
      marks: [{ type: 'italic' }],
    },
  ],
};

const bullets = (...items: string[]): NarrativeBlock => ({
  type: 'list',
  ordered: false,
  items: items.map((item) => [paragraph(item)]),
});

const heading = (text: string, level = 2): NarrativeBlock => ({
  type: 'heading',
  level,
  content: [{ type: 'text', text, marks: [] }],
});

const c = (
  party: string,
  type: Commitment['type'],
  quantity: number | null,
  unit: string,
  conditions = '',
  period = '',
): Omit<Commitment, 'id'> => ({ party, type, quantity, unit, conditions, period });

const FIVE_LAYER: FrameworkTemplate = {
  id: 'five-layer',
  name: 'Five-layer plan',
  description:
    'Monitoring, European presence, US enablers, Euro-Atlantic integration and the eastern flank, with air and maritime parts as their own layers.',
  title: 'Security guarantees for Ukraine: five-layer plan (illustrative sample)',
  parties: [
    'Ukraine',
    'United States',
    'United Kingdom',
    'France',
    'Germany',
    'Italy',
    'Poland',
    'Romania',
    'Estonia',
    'Canada',
    'Türkiye',
    'European Union',
    'NATO',
    'Organization of Turkic States',
    'Gulf Cooperation Council',
  ],
  layers: [
    {
      key: 'monitoring',
      kind: 'monitoring',
      title: 'Civilian ceasefire-monitoring mission',
      status: 'proposed',
      lead: 'Organization of Turkic States',
      narrative: [
        SAMPLE_NOTE,
        paragraph(
          'An unarmed civilian mission patrols both sides of the line of contact and reports violations to a joint commission. Its lead organisation must be acceptable to both sides.',
        ),
        heading('Mandate'),
        bullets(
          'Patrol agreed sectors on both sides of the line of contact',
          'Verify the withdrawal of heavy weapons from a 15 km zone',
          'Publish a weekly public report',
        ),
      ],
      commitments: [
        c('Türkiye', 'isr', 12, 'unarmed surveillance drones', 'Operated by mission staff only'),
        c('European Union', 'funding', 60, 'EUR million per year', '', 'First three years'),
        c('Gulf Cooperation Council', 'equipment', 40, 'armoured patrol vehicles'),
      ],
      triggers: [
        {
          condition: 'Monitors are denied access to an agreed patrol sector for more than 24 hours',
          response: 'The head of mission reports to the joint commission, which meets in session',
          deadlineHours: 48,
          responsible: ['Organization of Turkic States'],
        },
      ],
      positions: {
        Ukraine: { stance: 'support', note: '' },
        'United States': { stance: 'support', note: '' },
        Türkiye: { stance: 'support', note: 'Offers drone support to the mission.' },
        Poland: { stance: 'reserve', note: 'Asks how unarmed monitors will be protected.' },
      },
      openQuestions: [
        'Which organisation leads if one side objects to the Organization of Turkic States?',
      ],
      risks: ['Monitors cannot verify night-time violations without ISR support.'],
    },
    {
      key: 'presence',
      kind: 'presence',
      title: 'European reassurance force',
      status: 'draft',
      lead: 'United Kingdom',
      narrative: [
        paragraph(
          'A European-led ground presence stationed inside Ukraine, away from the line of contact, along the most likely invasion routes. It is sized to be credible, not symbolic.',
        ),
        bullets(
          'Headquarters in Kyiv, brigades west of the Dnipro',
          'Six-month unit rotations, two-year national commitments',
          'Rules of engagement for self-defence, agreed by all contributors',
        ),
      ],
      commitments: [
        c('United Kingdom', 'troops', 8000, 'personnel', '', 'Two-year commitment'),
        c('France', 'troops', 7000, 'personnel', '', 'Two-year commitment'),
        c('Canada', 'troops', 1500, 'personnel'),
        c('Estonia', 'troops', 300, 'personnel', 'Subject to parliamentary approval'),
        c('Germany', 'equipment', 1, 'field hospital'),
      ],
      triggers: [
        {
          condition: 'Armed attack on force positions or personnel',
          response:
            'Force commander applies self-defence rules; contributing nations meet to decide reinforcement',
          deadlineHours: 24,
          responsible: ['United Kingdom', 'France'],
        },
      ],
      positions: {
        'United Kingdom': { stance: 'support', note: '' },
        France: { stance: 'support', note: '' },
        Germany: { stance: 'reserve', note: 'Ground deployment only with a US backstop.' },
        Italy: { stance: 'reserve', note: 'No ground troops; offers training and air assets.' },
        Poland: { stance: 'support', note: 'Hosts logistics hubs; no troops inside Ukraine.' },
      },
      dependsOn: ['enablers', 'air'],
      risks: ['Force generation falls short of the planned numbers.'],
    },
    {
      key: 'air',
      kind: 'air',
      title: 'Air policing and air-defence umbrella',
      status: 'draft',
      lead: 'France',
      narrative: [
        paragraph(
          'Fighter patrols flown from bases in Poland and Romania, shared radar coverage and further air-defence deliveries protect the west of Ukraine and the reassurance force.',
        ),
        paragraph(
          'A full no-fly zone is the most escalatory variant and is not part of this draft.',
        ),
      ],
      commitments: [
        c('France', 'aircraft', 12, 'fighter aircraft', 'Flying from Polish and Romanian bases'),
        c('United Kingdom', 'aircraft', 8, 'fighter aircraft'),
        c('Poland', 'basing', 1, 'air base'),
        c('Romania', 'basing', 1, 'air base', 'Access agreement to be ratified by parliament'),
        c('Germany', 'air_defence', 2, 'long-range air-defence batteries'),
        c('Italy', 'air_defence', 1, 'long-range air-defence battery'),
      ],
      triggers: [
        {
          condition: 'Hostile aircraft or missiles enter the protected airspace',
          response: 'Intercept under the agreed rules of engagement',
          deadlineHours: 1,
          responsible: ['France', 'Poland'],
        },
      ],
      positions: {
        France: { stance: 'support', note: '' },
        Poland: { stance: 'support', note: '' },
        Romania: { stance: 'reserve', note: 'Basing access needs parliamentary approval first.' },
      },
      dependsOn: ['enablers'],
      openQuestions: ['Does the umbrella cover all of Ukraine or only the west of the Dnipro?'],
    },
    {
      key: 'maritime',
      kind: 'maritime',
      title: 'Black Sea shipping and de-mining',
      status: 'draft',
      lead: 'Türkiye',
      narrative: [
        paragraph(
          'Mine clearance and patrols keep a commercial corridor open from Odesa through the Black Sea, within the limits of the Montreux Convention.',
        ),
      ],
      commitments: [
        c('Türkiye', 'ships', 4, 'mine-countermeasure vessels'),
        c('Romania', 'ships', 2, 'mine-countermeasure vessels'),
        c('United Kingdom', 'ships', null, 'mine-hunting vessels', 'Number to be confirmed'),
      ],
      triggers: [
        {
          condition: 'Attack on a commercial vessel in the agreed corridor',
          response: 'Escorted convoys under naval protection',
          deadlineHours: null,
          responsible: ['Türkiye', 'Romania'],
        },
      ],
      positions: {
        Türkiye: { stance: 'support', note: 'Within the Montreux Convention.' },
        Ukraine: { stance: 'support', note: '' },
        Romania: { stance: 'support', note: '' },
      },
    },
    {
      key: 'enablers',
      kind: 'enablers',
      title: 'US enablers from over the horizon',
      status: 'proposed',
      lead: 'United States',
      narrative: [
        paragraph(
          'The United States supports the European layers without ground troops in Ukraine: command and control, intelligence and surveillance, air-to-air refuelling and logistics, with forces pre-positioned outside Ukraine.',
        ),
      ],
      commitments: [
        c('United States', 'isr', 4, 'surveillance aircraft'),
        c('United States', 'aircraft', 6, 'tanker aircraft'),
        c('United States', 'equipment', 1, 'command-and-control cell', 'Located outside Ukraine'),
      ],
      triggers: [
        {
          condition: 'Preparations for a large-scale attack detected',
          response: 'Warning and intelligence shared with the force command and Ukraine',
          deadlineHours: 2,
          responsible: ['United States'],
        },
      ],
      positions: {
        'United States': { stance: 'reserve', note: 'No US ground troops in Ukraine.' },
        'United Kingdom': { stance: 'support', note: '' },
        France: { stance: 'support', note: '' },
      },
    },
    {
      key: 'integration',
      kind: 'integration',
      title: 'Euro-Atlantic integration short of membership',
      status: 'draft',
      narrative: [
        paragraph(
          'Regular NATO-Ukraine Council sessions, a joint Centre of Excellence and Ukrainian contributions to the NATO Response Force bind Ukraine closer without a membership decision.',
        ),
      ],
      commitments: [
        c('NATO', 'training', 1, 'Centre of Excellence'),
        c('Ukraine', 'troops', 1000, 'personnel', 'Contribution to the NATO Response Force'),
      ],
      positions: {
        Germany: { stance: 'reserve', note: 'No step that implies a membership timeline.' },
        Poland: { stance: 'support', note: '' },
        Ukraine: { stance: 'support', note: '' },
      },
      openQuestions: ['How often does the NATO-Ukraine Council meet at ministerial level?'],
    },
    {
      key: 'eastern-flank',
      kind: 'eastern-flank',
      title: "Reinforcing NATO's eastern flank",
      status: 'draft',
      lead: 'Poland',
      narrative: [
        paragraph(
          'Forward presence on allied territory next to Ukraine is kept at least at current levels, so that a renewed attack on Ukraine does not leave the flank exposed.',
        ),
      ],
      commitments: [
        c('United States', 'troops', 10000, 'personnel', 'Kept at or above current levels'),
        c('Germany', 'troops', 4800, 'personnel', 'Brigade in Lithuania'),
        c('Canada', 'troops', 2200, 'personnel', 'Brigade in Latvia'),
      ],
      triggers: [
        {
          condition: 'Attack on, or repeated airspace violation of, allied territory on the flank',
          response: 'Consultations requested under Article 4; forward forces at higher readiness',
          deadlineHours: 24,
          responsible: ['NATO', 'Poland'],
        },
      ],
      positions: {
        Poland: { stance: 'support', note: '' },
        Estonia: { stance: 'support', note: '' },
        'United States': { stance: 'reserve', note: 'Troop levels reviewed annually.' },
      },
    },
  ],
};

const FOUR_LEG: FrameworkTemplate = {
  id: 'four-leg',
  name: 'Four-leg package',
  description:
    'European presence; US-enabled air and command shield; ratified automatic triggers; industrial-financial pipeline.',
  title: 'Security guarantees for Ukraine: four-leg package (illustrative sample)',
  parties: [
    'Ukraine',
    'United States',
    'United Kingdom',
    'France',
    'Germany',
    'Italy',
    'Poland',
    'Romania',
    'Estonia',
    'Türkiye',
    'European Union',
  ],
  layers: [
    {
      key: 'presence',
      kind: 'presence',
      title: 'Leg 1: European presence',
      status: 'proposed',
      lead: 'United Kingdom',
      narrative: [
        SAMPLE_NOTE,
        paragraph(
          'A multinational European force inside Ukraine, away from the line of contact, large enough that an attack on Ukraine is an attack on the contributing nations.',
        ),
      ],
      commitments: [
        c('United Kingdom', 'troops', 10000, 'personnel', '', 'Rotations of six months'),
        c('France', 'troops', 8000, 'personnel', '', 'Rotations of six months'),
        c('Türkiye', 'troops', 2000, 'personnel', 'Outside the line-of-contact regions'),
        c('Estonia', 'troops', 150, 'personnel'),
      ],
      triggers: [
        {
          condition: 'Attack on personnel of the European presence',
          response: 'Self-defence and reinforcement by the contributing nations',
          deadlineHours: 24,
          responsible: ['United Kingdom', 'France'],
        },
      ],
      positions: {
        'United Kingdom': { stance: 'support', note: '' },
        France: { stance: 'support', note: '' },
        Italy: { stance: 'reserve', note: 'Contributes training rather than troops.' },
      },
      dependsOn: ['shield'],
    },
    {
      key: 'shield',
      kind: 'air',
      title: 'Leg 2: US-enabled air and command shield',
      status: 'draft',
      lead: 'United States',
      narrative: [
        paragraph(
          'European fighters and air defence protect Ukrainian skies, relying on US command and control, surveillance and refuelling. No US ground troops are deployed to Ukraine.',
        ),
      ],
      commitments: [
        c('United States', 'isr', 4, 'surveillance aircraft'),
        c('United States', 'aircraft', 6, 'tanker aircraft'),
        c('France', 'aircraft', 12, 'fighter aircraft'),
        c('Poland', 'basing', 1, 'air base'),
        c('Romania', 'basing', 1, 'air base', 'Access agreement to be ratified by parliament'),
        c('Germany', 'air_defence', 3, 'long-range air-defence batteries'),
      ],
      triggers: [
        {
          condition: 'Missiles or aircraft approach protected airspace',
          response: 'Intercept under agreed rules of engagement',
          deadlineHours: 1,
          responsible: ['France', 'United States'],
        },
      ],
      positions: {
        'United States': { stance: 'support', note: 'Enablers only, no ground troops.' },
        Poland: { stance: 'support', note: '' },
        Romania: { stance: 'support', note: '' },
      },
    },
    {
      key: 'triggers',
      kind: 'legal',
      title: 'Leg 3: Ratified automatic triggers',
      status: 'draft',
      lead: 'France',
      narrative: [
        paragraph(
          'A treaty-grade guarantee, ratified by partner parliaments, with an explicit response algorithm: for each trigger, the condition, the required response, its deadline and who is responsible. This is the lesson of the 1994 Budapest Memorandum.',
        ),
      ],
      triggers: [
        {
          condition:
            'Resumption of large-scale hostilities across the line of contact, confirmed by the monitoring mission',
          response: 'Guarantors consult and activate the air shield and sanctions snap-back',
          deadlineHours: 72,
          responsible: ['United Kingdom', 'France', 'United States'],
        },
        {
          condition: 'Missile or drone strike on critical infrastructure, confirmed by ISR',
          response: 'Additional air-defence deliveries from pre-agreed stocks',
          deadlineHours: 168,
          responsible: ['Germany', 'United States'],
        },
        {
          condition: 'Attack on shipping in the agreed Black Sea corridor',
          response: 'Pre-agreed sanctions snap back',
          deadlineHours: 48,
          responsible: [],
        },
      ],
      positions: {
        'United States': {
          stance: 'reserve',
          note: 'Prefers an executive agreement to treaty ratification.',
        },
        'United Kingdom': { stance: 'support', note: '' },
        France: { stance: 'support', note: '' },
        Ukraine: { stance: 'support', note: '' },
      },
      dependsOn: ['presence', 'shield'],
      openQuestions: [
        'Do all guarantors ratify in parliament, or do some rely on executive agreements?',
      ],
    },
    {
      key: 'pipeline',
      kind: 'pipeline',
      title: 'Leg 4: Industrial-financial pipeline',
      status: 'in_review',
      lead: 'European Union',
      narrative: [
        paragraph(
          'Ten-year bilateral security agreements, joint production in Ukraine and Europe, training missions and multi-year funding keep Ukraine able to defend itself.',
        ),
      ],
      commitments: [
        c('European Union', 'funding', 5000, 'EUR million per year', '', '2026-2035'),
        c('Germany', 'funding', 3000, 'EUR million per year', 'Joint production where possible'),
        c('European Union', 'training', 15000, 'personnel trained per year', 'Training mission'),
        c('United Kingdom', 'training', 10000, 'personnel trained per year'),
        c('Italy', 'equipment', 2, 'air-defence systems'),
      ],
      positions: {
        'European Union': { stance: 'support', note: '' },
        Germany: { stance: 'support', note: '' },
        Italy: { stance: 'support', note: '' },
      },
      risks: ['Funding depends on annual budget votes in contributing parliaments.'],
    },
  ],
};

const BLANK: FrameworkTemplate = {
  id: 'blank',
  name: 'Blank framework',
  description: 'No layers and no parties: start from scratch.',
  title: 'Untitled framework',
  parties: [],
  layers: [],
};

const TEMPLATES: readonly FrameworkTemplate[] = [FIVE_LAYER, FOUR_LEG, BLANK];

export type TemplateId = 'five-layer' | 'four-leg' | 'blank';

export interface TemplateSummary {
  id: TemplateId;
  name: string;
  description: string;
  layerCount: number;
}

/** The templates offered by the "new framework" form. */
export const TEMPLATE_LIST: readonly TemplateSummary[] = TEMPLATES.map((t) => ({
  id: t.id as TemplateId,
  name: t.name,
  description: t.description,
  layerCount: t.layers.length,
}));

export function isTemplateId(value: unknown): value is TemplateId {
  return TEMPLATES.some((t) => t.id === value);
}

function isEmpty(doc: Y.Doc): boolean {
  const root = rootOf(doc);
  const layers = readYMap(root, 'layers');
  const parties = readYMap(root, 'parties');
  const title = readYText(root, 'title');
  return (layers?.size ?? 0) === 0 && (parties?.size ?? 0) === 0 && (title?.length ?? 0) === 0;
}

/**
 * Fills an empty document from a template in one transaction (migrating it to the current
 * schema first). Run once, where the framework is created (server side): two clients
 * initialising the same document concurrently would each create their own containers.
 */
export function initialiseFromTemplate(doc: Y.Doc, templateId: TemplateId, origin?: unknown) {
  const template = TEMPLATES.find((t) => t.id === templateId);
  if (!template) throw new FrameworkError('invalid_value', `Unknown template ${templateId}.`);
  doc.transact(() => {
    if (documentSchemaVersion(doc) > 0 && !isEmpty(doc)) {
      throw new FrameworkError('invalid_value', 'Framework document is already initialised.');
    }
    migrateFramework(doc, { origin });
    setFrameworkTitle(doc, template.title);
    const partyIds = new Map(template.parties.map((name) => [name, addParty(doc, name)]));
    const party = (name: string) => partyIds.get(name) ?? partyIdOf(name);
    const layerIds = new Map<string, string>();
    for (const layer of template.layers) {
      const id = addLayer(doc, layer.kind, { title: layer.title });
      layerIds.set(layer.key, id);
      if (layer.status) setLayerField(doc, id, 'status', layer.status);
      if (layer.lead) setLayerField(doc, id, 'lead', party(layer.lead));
      setNarrative(doc, id, layer.narrative);
      for (const commitment of layer.commitments ?? []) {
        addCommitment(doc, id, { ...commitment, party: party(commitment.party) });
      }
      for (const t of layer.triggers ?? []) {
        addTrigger(doc, id, {
          condition: t.condition,
          response: t.response,
          deadlineHours: t.deadlineHours,
          responsibleParties: t.responsible.map(party),
        });
      }
      for (const [name, position] of Object.entries(layer.positions ?? {})) {
        setPosition(doc, id, party(name), position);
      }
      for (const text of layer.openQuestions ?? []) addNote(doc, id, 'openQuestions', text);
      for (const text of layer.risks ?? []) addNote(doc, id, 'risks', text);
    }
    for (const layer of template.layers) {
      for (const key of layer.dependsOn ?? []) {
        const from = layerIds.get(layer.key);
        const to = layerIds.get(key);
        if (from && to) addDependency(doc, from, to);
      }
    }
  }, origin);
}

/** A new document filled from a template (default: blank). */
export function createFrameworkDoc(templateId: TemplateId = 'blank', origin?: unknown): Y.Doc {
  const doc = new Y.Doc();
  initialiseFromTemplate(doc, templateId, origin);
  return doc;
}
