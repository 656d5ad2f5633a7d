import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { listAttributions } from '../../db/queries/attribution';
import { findLatestSnapshot } from '../../db/queries/documents';
import { testDatabaseConfigs } from '../../db/testing';
import {
  connectProvider,
  createTestFramework,
  waitFor,
  waitForSync,
  type TestServer,
} from '../../server/collab/testing/test-support';
import {
  getNarrativeFragment,
  initialiseFromTemplate,
  readFramework,
  setLayerTitle,
  setNarrative,
  updateTrigger,
  viewOfState,
} from '../framework';
import type { AuthoredOp } from '../framework/attribution';
import { readStoredDocument } from './documents';
import { changeLayerStatusAs } from './review';
import { compareWithAuthorsAs, saveVersionAs } from './versions';
import { useServiceFixture } from './testing/fixtures';

const changes = (ops: AuthoredOp[]) =>
  ops.filter((o) => o.type !== 'equal').map((o) => [o.type, o.text, o.authors]);

const firstText = (doc: Y.Doc, layerId: string) =>
  (getNarrativeFragment(doc, layerId)!.get(0) as Y.XmlElement).get(0) as Y.XmlText;

describe.each(testDatabaseConfigs())('who changed what since a version on $name', ({ config }) => {
  const fx = useServiceFixture(config, {
    servers: {
      plain: {},
      // Folds the log after every second row: attribution must come from what compaction kept.
      compacting: { compactAfterUpdates: 1 },
    },
    users: { owner: 'Olga Owner', alice: 'Alice Avery', bob: 'Bob Brandt', viewer: 'Vic Viewer' },
  });

  /** Two users make known changes after a version; returns what the comparison should say. */
  async function scenario(server: TestServer) {
    const target = await createTestFramework(fx.db, fx.owner, [
      [fx.alice, 'editor'],
      [fx.bob, 'editor'],
      [fx.viewer, 'viewer'],
    ]);
    const layers = await server.collab.live.write(target.frameworkId, (doc, origin) => {
      initialiseFromTemplate(doc, 'five-layer', origin);
      const first = readFramework(doc).layers[0]!.id;
      setNarrative(
        doc,
        first,
        [
          {
            type: 'paragraph',
            content: [
              { type: 'text', text: 'The mission patrols both sides of the line.', marks: [] },
            ],
          },
        ],
        origin,
      );
      return readFramework(doc).layers;
    });
    const version = await saveVersionAs(fx.db, server.collab.live, fx.owner.id, target, {
      name: 'v0.1',
    });
    const [l1, l2] = [layers[0]!, layers[1]!];
    const l3 = layers.slice(2).find((l) => l.triggers.length > 0)!;
    const trigger = l3.triggers[0]!;

    const aliceDoc = new Y.Doc();
    const bobDoc = new Y.Doc();
    const a = connectProvider(server, target.frameworkId, fx.alice, aliceDoc);
    const b = connectProvider(server, target.frameworkId, fx.bob, bobDoc);
    try {
      await Promise.all([waitForSync(a), waitForSync(b)]);
      const p = firstText(aliceDoc, l1.id);
      p.insert(p.length, ' Patrols begin at dawn.');
      setLayerTitle(aliceDoc, l2.id, `${l2.title} (revised)`);
      await waitFor(() => readFramework(bobDoc).layers[0]!.narrative.text.endsWith('dawn.'));
      firstText(bobDoc, l1.id).delete(0, 'The '.length);
      updateTrigger(bobDoc, l3.id, trigger.id, { condition: 'Any armed attack on Ukraine' });
      const expected = readFramework(bobDoc);
      await waitFor(async () => {
        expect(readFramework(aliceDoc)).toEqual(expected);
        const stored = viewOfState(await readStoredDocument(fx.db, target.frameworkId));
        expect(stored).toEqual(expected);
        return true;
      });
    } finally {
      a.destroy();
      b.destroy();
    }
    // The owner proposes layer 2: the server writes the status, the review log says who asked.
    await changeLayerStatusAs(fx.db, server.collab.live, fx.owner.id, target, {
      layerId: l2.id,
      status: 'proposed',
    });
    await waitFor(async () => {
      const stored = viewOfState(await readStoredDocument(fx.db, target.frameworkId));
      expect(stored.layers[1]!.status).toBe('proposed');
      return true;
    });
    return { target, version, l1, l2, l3, trigger };
  }

  /** Runs the scenario, then `beforeCompare`, then checks the comparison it must produce. */
  async function checkReport(
    server: TestServer,
    beforeCompare: (frameworkId: string) => Promise<void> = async () => undefined,
  ) {
    const { target, version, l1, l2, l3, trigger } = await scenario(server);
    await beforeCompare(target.frameworkId);
    const report = await compareWithAuthorsAs(
      fx.db,
      null,
      fx.viewer.id,
      target,
      version.id,
      'current',
    );
    const { result } = report;
    expect(report.people.map((p) => [p.key, p.name, p.initials])).toEqual([
      [fx.alice.id, 'Alice Avery', 'AA'],
      [fx.bob.id, 'Bob Brandt', 'BB'],
      [fx.owner.id, 'Olga Owner', 'OO'],
    ]);
    expect(result.layers.map((l) => l.id)).toEqual([l1.id, l2.id, l3.id]);

    const [first, second, third] = result.layers;
    expect(first!.narrative).toHaveLength(1);
    expect(changes(first!.narrative[0]!.ops)).toEqual([
      ['delete', 'The ', [fx.bob.id]],
      ['insert', ' Patrols begin at dawn.', [fx.alice.id]],
    ]);
    expect(first!.fields).toEqual({ narrative: [fx.alice.id, fx.bob.id].sort() });
    expect(first!.texts).toEqual([]);

    expect(second!.texts.map((t) => [t.key, changes(t.ops)])).toEqual([
      ['title', [['insert', ' (revised)', [fx.alice.id]]]],
    ]);
    expect(second!.fields).toEqual({ title: [fx.alice.id], status: [fx.owner.id] });
    expect(second!.authors).toEqual([fx.alice.id, fx.owner.id].sort());

    expect(third!.texts.map((t) => [t.key, t.authors])).toEqual([
      [`triggers/${trigger.id}/condition`, [fx.bob.id]],
    ]);
    expect(third!.fields).toEqual({ triggers: [fx.bob.id] });
    expect(third!.narrative).toEqual([]);
    expect(result.comparison.statusChanges.map((s) => [s.id, s.to])).toEqual([[l2.id, 'proposed']]);
    expect(result.authors).toEqual([fx.alice.id, fx.bob.id, fx.owner.id].sort());
    return target;
  }

  it('compare on two states with known changes by two users reports exactly those and their authors', async () => {
    await checkReport(fx.plain);
  });

  it('keeps the authors through compaction of the log', async () => {
    // Compaction runs on the persistence thread: compare once it has folded everyone's rows.
    const allFolded = async (frameworkId: string) => {
      await waitFor(async () => {
        expect(await findLatestSnapshot(fx.db, frameworkId)).toBeDefined();
        const kept = await listAttributions(fx.db, frameworkId);
        expect(new Set(kept.map((k) => k.userId))).toEqual(new Set([null, fx.alice.id, fx.bob.id]));
        return true;
      });
    };
    await checkReport(fx.compacting, allFolded);
  });
});
