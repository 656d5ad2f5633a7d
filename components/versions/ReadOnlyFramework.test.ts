import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { buildExportModel } from '@/lib/export/model';
import {
  addDependency,
  addLayer,
  addNote,
  addParty,
  addTrigger,
  createFrameworkDoc,
  readFramework,
  setPosition,
  setTriggerParty,
} from '@/lib/framework';
import { ReadOnlyFramework } from './ReadOnlyFramework';

function renderVersion(doc: ReturnType<typeof createFrameworkDoc>): string {
  const model = buildExportModel(readFramework(doc), {
    agreedOnly: false,
    versionName: 'v1',
    date: new Date('2026-12-01T00:00:00Z'),
    comments: null,
  });
  return renderToStaticMarkup(createElement(ReadOnlyFramework, { model }));
}

/** The markup of one layer's section (up to the next layer's). */
const sectionOf = (html: string, label: string) => {
  const start = html.indexOf(`aria-label="${label}"`);
  expect(start).toBeGreaterThan(-1);
  const end = html.indexOf('<section', start);
  return html.slice(start, end === -1 ? undefined : end);
};

describe('ReadOnlyFramework (the version view)', () => {
  it("lists each layer's dependencies, open questions and risks under their headings", () => {
    const doc = createFrameworkDoc('blank');
    const monitoring = addLayer(doc, 'monitoring', { title: 'Ceasefire monitoring' });
    const presence = addLayer(doc, 'presence', { title: 'Reassurance force' });
    addDependency(doc, presence, monitoring);
    addNote(doc, presence, 'openQuestions', 'Who pays for the airlift?');
    addNote(doc, presence, 'risks', 'Host nation consent is withdrawn');
    addNote(doc, presence, 'risks', 'Escalation at sea');

    const html = renderVersion(doc);
    const layer = sectionOf(html, 'Layer 2: Reassurance force');
    expect(layer).toContain(
      '<h4>Depends on</h4><ul class="ro-list" aria-label="Depends on"><li>Ceasefire monitoring</li></ul>',
    );
    expect(layer).toContain(
      '<h4>Open questions</h4><ul class="ro-list" aria-label="Open questions"><li>Who pays for the airlift?</li></ul>',
    );
    expect(layer).toContain(
      '<h4>Risks</h4><ul class="ro-list" aria-label="Risks"><li>Host nation consent is withdrawn</li><li>Escalation at sea</li></ul>',
    );
    // A layer with none of them shows no empty headings.
    const first = sectionOf(html, 'Layer 1: Ceasefire monitoring');
    expect(first).not.toContain('Depends on');
    expect(first).not.toContain('Open questions');
    expect(first).not.toContain('Risks');
  });
});

describe('ReadOnlyFramework (also the live read mode)', () => {
  it('writes triggers as sentences and positions per party with who stated them', () => {
    const doc = createFrameworkDoc('blank');
    const ots = addParty(doc, 'Organization of Turkic States');
    const france = addParty(doc, 'France');
    const monitoring = addLayer(doc, 'monitoring', { title: 'Ceasefire monitoring' });
    const trigger = addTrigger(doc, monitoring, {
      condition: 'Monitors are denied access for more than 24 hours',
      response: 'The head of mission reports to the joint commission',
      deadlineHours: 72,
    });
    if (trigger === null) throw new Error('no trigger added');
    setTriggerParty(doc, monitoring, trigger, ots, true);
    addTrigger(doc, monitoring, { condition: 'NATO radar detects a launch', response: '' });
    setPosition(doc, monitoring, france, {
      stance: 'reserve',
      note: 'Subject to parliamentary approval',
      statedBy: { by: 'u1', name: 'Marie Dubois', chair: false, at: '2026-12-01T14:05:00Z' },
    });

    const layer = sectionOf(renderVersion(doc), 'Layer 1: Ceasefire monitoring');
    expect(layer).toContain(
      '<li>If monitors are denied access for more than 24 hours, the head of mission reports to ' +
        'the joint commission within 3 days; responsible: Organization of Turkic States.</li>',
    );
    // An acronym keeps its capitals; what is missing is said, not left blank.
    expect(layer).toContain(
      '<li>If NATO radar detects a launch, (response not set) (no deadline set); responsible: not set.</li>',
    );
    expect(layer).toContain('<strong>France</strong>: Reserve (Subject to parliamentary approval)');
    expect(layer).toContain('stated by Marie Dubois, 1 Dec 2026, 14:05 UTC');
  });
});
