import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import {
  addDependency,
  addLayer,
  addNote,
  changeSetsByAuthor,
  compareStatesWithAuthors,
  createFrameworkDoc,
  removeNote,
  updateNote,
} from '@/lib/framework';
import { CompareView } from './CompareView';

/** Visible text of some markup, tags dropped (screen-reader-only spans included). */
const textOf = (html: string) => html.replace(/<[^>]+>/g, '');

describe('CompareView', () => {
  it('counts risk, open question and dependency changes and labels each risk by its item', () => {
    const doc = createFrameworkDoc('blank');
    const monitoring = addLayer(doc, 'monitoring', { title: 'Ceasefire monitoring' });
    const presence = addLayer(doc, 'presence', { title: 'Reassurance force' });
    const kept = addNote(doc, presence, 'risks', 'Consent is withdrawn')!;
    const dropped = addNote(doc, presence, 'risks', 'Winter rotation gap')!;
    const question = addNote(doc, presence, 'openQuestions', 'Who pays for the airlift?')!;
    const from = Y.encodeStateAsUpdate(doc);

    const rows: Array<{ userId: string | null; update: Uint8Array }> = [];
    doc.on('update', (update: Uint8Array) => rows.push({ userId: 'alice', update }));
    updateNote(doc, presence, 'risks', kept, 'Consent is withdrawn after elections');
    removeNote(doc, presence, 'risks', dropped);
    addNote(doc, presence, 'risks', 'Escalation at sea');
    removeNote(doc, presence, 'openQuestions', question);
    addDependency(doc, presence, monitoring);

    const result = compareStatesWithAuthors(
      from,
      Y.encodeStateAsUpdate(doc),
      changeSetsByAuthor(rows),
    );
    const html = renderToStaticMarkup(
      createElement(CompareView, {
        fromName: 'v1',
        toName: 'Current',
        result,
        people: [{ key: 'alice', name: 'Alice Martin', initials: 'AM' }],
      }),
    );
    const text = textOf(html);
    expect(text).toContain('Risks changed: 1 added, 1 removed, 1 changed by');
    expect(text).toContain('Open questions changed: 1 removed by');
    expect(text).toContain('Dependencies changed: 1 added by');
    // Each risk's text diff is labelled by the risk, once ("Risk 1", not "Risk (Risk 1)").
    expect(html).toMatch(/<dt>Risk 1<\/dt>/);
    expect(html).toMatch(/<dt>Risk 2<span class="muted"> \(removed\)<\/span><\/dt>/);
    expect(html).toMatch(/<dt>Risk 2<span class="muted"> \(added\)<\/span><\/dt>/);
    expect(html).toMatch(/<dt>Open question 1<span class="muted"> \(removed\)<\/span><\/dt>/);
    expect(text).toContain('after elections');
    expect(text).toContain('Escalation at sea');
  });
});
