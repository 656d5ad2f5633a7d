import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { buildExportModel } from '@/lib/export/model';
import {
  addDependency,
  addLayer,
  addNote,
  createFrameworkDoc,
  readFramework,
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
