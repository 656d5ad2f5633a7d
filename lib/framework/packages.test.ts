import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import {
  addDependency,
  addLayer,
  addParty,
  checkTransition,
  createFrameworkDoc,
  dependencyGraph,
  packagesWrittenIn,
  readFramework,
  readLayerReviewState,
  readPackages,
  revertPackageWrite,
  runPackageCommand,
  runReviewCommand,
  unagreedDependencies,
  type LayerStatus,
  type PackageCommand,
} from './index';

const owner = { userId: 'owner-1', canEdit: true, canAgree: true };
const editor = { userId: 'editor-1', canEdit: true, canAgree: false };
const now = '2026-12-01T10:00:00.000Z';

function framework(n = 3) {
  const doc = createFrameworkDoc('blank');
  addParty(doc, 'France');
  const ids = Array.from({ length: n }, (_, i) =>
    addLayer(doc, 'air', { title: `Layer ${i + 1}` }),
  );
  return { doc, ids };
}

const status = (doc: Y.Doc, id: string) => readLayerReviewState(doc, id)!.status;
const statuses = (doc: Y.Doc, ids: string[]) => ids.map((id) => status(doc, id));

function run<C extends PackageCommand>(doc: Y.Doc, command: C) {
  return runPackageCommand(doc, command, 'test');
}

function setStatus(doc: Y.Doc, layerId: string, to: LayerStatus) {
  return runReviewCommand(doc, { kind: 'status', layerId, to, actor: owner, now }, 'test');
}

function create(doc: Y.Doc, layerIds: string[], name = 'Air for presence', packageId = 'p1') {
  return run(doc, { kind: 'package.create', packageId, name, layerIds, actor: owner, now });
}

/** A package of all layers, each agreed in package. */
function agreedInPackage() {
  const f = framework();
  expect(create(f.doc, f.ids).ok).toBe(true);
  for (const id of f.ids) expect(setStatus(f.doc, id, 'agreed_in_package').ok).toBe(true);
  return f;
}

describe('the transition table and packages', () => {
  it('makes agreed from agreed in package a package act only', () => {
    expect(checkTransition('agreed_in_package', 'agreed', owner).ok).toBe(false);
    expect(checkTransition('agreed_in_package', 'agreed', owner, {}, 'package').ok).toBe(true);
    expect(checkTransition('agreed', 'agreed_in_package', owner).ok).toBe(false);
    expect(checkTransition('in_review', 'agreed_in_package', editor).ok).toBe(false);
  });
});

describe('creating a package', () => {
  it('stores the package in the document for everyone', () => {
    const { doc, ids } = framework();
    const result = create(doc, [ids[0]!, ids[1]!]);
    expect(result.ok).toBe(true);
    const [pkg] = readPackages(doc);
    expect(pkg).toMatchObject({ id: 'p1', name: 'Air for presence', layerIds: [ids[0], ids[1]] });
    expect(readFramework(doc).packages).toHaveLength(1);
  });

  it('refuses a layer that is not in this framework, a layer in another package, and non-owners', () => {
    const { doc, ids } = framework();
    const other = framework();
    const foreign = create(doc, [ids[0]!, other.ids[0]!]);
    expect(foreign).toMatchObject({ ok: false, error: 'not_found' });
    expect(readPackages(doc)).toEqual([]);

    expect(create(doc, [ids[0]!, ids[1]!]).ok).toBe(true);
    const twice = create(doc, [ids[1]!, ids[2]!], 'Second', 'p2');
    expect(twice).toMatchObject({ ok: false, error: 'conflict' });
    expect(readPackages(doc)).toHaveLength(1);

    const byEditor = run(doc, {
      kind: 'package.create',
      packageId: 'p3',
      name: 'Editor',
      layerIds: [ids[2]!, ids[0]!],
      actor: editor,
      now,
    });
    expect(byEditor).toMatchObject({ ok: false, error: 'forbidden' });
  });

  it('refuses one layer alone and a layer already agreed on its own', () => {
    const { doc, ids } = framework();
    expect(create(doc, [ids[0]!, ids[0]!]).ok).toBe(false);
    expect(setStatus(doc, ids[0]!, 'agreed').ok).toBe(true);
    expect(create(doc, [ids[0]!, ids[1]!])).toMatchObject({ ok: false, error: 'conflict' });
  });
});

describe('agreeing in package, then the package', () => {
  it('agrees a packaged layer only in package, and an unpackaged one never in package', () => {
    const { doc, ids } = framework();
    expect(create(doc, [ids[0]!, ids[1]!]).ok).toBe(true);
    expect(setStatus(doc, ids[0]!, 'agreed')).toMatchObject({ ok: false, error: 'conflict' });
    expect(setStatus(doc, ids[0]!, 'agreed_ad_ref').ok).toBe(false);
    expect(setStatus(doc, ids[0]!, 'agreed_in_package').ok).toBe(true);
    expect(setStatus(doc, ids[2]!, 'agreed_in_package').ok).toBe(false);
    expect(setStatus(doc, ids[2]!, 'agreed').ok).toBe(true);
  });

  it('refuses to agree the package while one layer is not agreed in package', () => {
    const { doc, ids } = framework();
    expect(create(doc, ids).ok).toBe(true);
    expect(setStatus(doc, ids[0]!, 'agreed_in_package').ok).toBe(true);
    expect(setStatus(doc, ids[1]!, 'agreed_in_package').ok).toBe(true);
    const early = run(doc, { kind: 'package.agree', packageId: 'p1', actor: owner, now });
    expect(early).toMatchObject({ ok: false, error: 'conflict' });
    expect(statuses(doc, ids)).toEqual(['agreed_in_package', 'agreed_in_package', 'draft']);
  });

  it('agrees every layer in one act, by owners only', () => {
    const { doc, ids } = agreedInPackage();
    const byEditor = run(doc, { kind: 'package.agree', packageId: 'p1', actor: editor, now });
    expect(byEditor).toMatchObject({ ok: false, error: 'forbidden' });
    const updates: number[] = [];
    doc.on('update', () => updates.push(1));
    const done = run(doc, { kind: 'package.agree', packageId: 'p1', actor: owner, now });
    expect(done.ok).toBe(true);
    expect(updates).toHaveLength(1);
    expect(statuses(doc, ids)).toEqual(['agreed', 'agreed', 'agreed']);
    expect(readPackages(doc)[0]!.agreed).toEqual({ by: owner.userId, at: now });
  });
});

describe('reopening a layer of an agreed package', () => {
  it('sends it to review and returns every other layer to agreed in package', () => {
    const { doc, ids } = agreedInPackage();
    expect(run(doc, { kind: 'package.agree', packageId: 'p1', actor: owner, now }).ok).toBe(true);
    // Not through the single-layer workflow: the package must know.
    expect(setStatus(doc, ids[1]!, 'in_review')).toMatchObject({ ok: false });
    const reopen = run(doc, {
      kind: 'package.reopen',
      packageId: 'p1',
      layerId: ids[1]!,
      reason: 'The UK wants 48 hours',
      actor: owner,
      now,
    });
    expect(reopen).toMatchObject({ ok: true, returned: [ids[0], ids[2]] });
    expect(statuses(doc, ids)).toEqual(['agreed_in_package', 'in_review', 'agreed_in_package']);
    const pkg = readPackages(doc)[0]!;
    expect(pkg.agreed).toBeUndefined();
    expect(pkg.reopened).toMatchObject({ layerId: ids[1], reason: 'The UK wants 48 hours' });
  });

  it('orders an agree and a reopen that arrive together: either order leaves a consistent state', () => {
    for (const order of ['agree-first', 'reopen-first'] as const) {
      const { doc, ids } = agreedInPackage();
      const agree = { kind: 'package.agree', packageId: 'p1', actor: owner, now } as const;
      const reopenLayer = () =>
        runReviewCommand(
          doc,
          { kind: 'status', layerId: ids[0]!, to: 'in_review', actor: owner, now },
          'b',
        );
      if (order === 'agree-first') {
        expect(run(doc, agree).ok).toBe(true);
        // The second owner's reopen of the layer alone is refused: the package is agreed now.
        expect(reopenLayer().ok).toBe(false);
        expect(statuses(doc, ids)).toEqual(['agreed', 'agreed', 'agreed']);
      } else {
        expect(reopenLayer().ok).toBe(true);
        expect(run(doc, agree)).toMatchObject({ ok: false, error: 'conflict' });
        expect(statuses(doc, ids)).toEqual(['in_review', 'agreed_in_package', 'agreed_in_package']);
        expect(readPackages(doc)[0]!.agreed).toBeUndefined();
      }
    }
  });
});

describe('reverting a package write', () => {
  it('takes back an agreement, unless something changed since', () => {
    const { doc, ids } = agreedInPackage();
    const done = run(doc, { kind: 'package.agree', packageId: 'p1', actor: owner, now });
    if (!done.ok) throw new Error(done.message);
    expect(revertPackageWrite(doc, done.written, 'test').ok).toBe(true);
    expect(statuses(doc, ids)).toEqual(Array(3).fill('agreed_in_package'));
    expect(readPackages(doc)[0]!.agreed).toBeUndefined();

    const again = run(doc, { kind: 'package.agree', packageId: 'p1', actor: owner, now });
    if (!again.ok) throw new Error(again.message);
    const reopened = run(doc, {
      kind: 'package.reopen',
      packageId: 'p1',
      layerId: ids[0]!,
      reason: 'Changed',
      actor: owner,
      now,
    });
    expect(reopened.ok).toBe(true);
    expect(revertPackageWrite(doc, again.written, 'test')).toMatchObject({ error: 'conflict' });
    expect(status(doc, ids[0]!)).toBe('in_review');
  });
});

describe('dependencies', () => {
  it('names the dependencies that are not agreed, and draws the graph with packages', () => {
    const { doc, ids } = framework();
    addDependency(doc, ids[0]!, ids[1]!);
    addDependency(doc, ids[0]!, ids[2]!);
    expect(create(doc, [ids[1]!, ids[2]!]).ok).toBe(true);
    expect(setStatus(doc, ids[1]!, 'agreed_in_package').ok).toBe(true);
    const view = readFramework(doc);
    expect(unagreedDependencies(view, ids[0]!).map((d) => d.id)).toEqual([ids[2]]);
    const graph = dependencyGraph(view);
    expect(graph[0]!.dependsOn.map((d) => d.id)).toEqual([ids[1], ids[2]]);
    expect(graph[1]!.neededBy.map((d) => d.id)).toEqual([ids[0]]);
    expect(graph[1]!.package?.name).toBe('Air for presence');
    expect(graph[0]!.package).toBeNull();
  });
});

describe('who writes packages', () => {
  it('sees a write to the packages record in a transaction (the authority hook undoes it)', () => {
    const { doc } = framework();
    let seen = false;
    const off = (t: Y.Transaction) => {
      seen ||= packagesWrittenIn(doc, t);
    };
    doc.on('afterTransaction', off);
    doc.getMap('framework').set('packages', { x: { name: 'Rogue', layerIds: [] } });
    expect(seen).toBe(true);
  });

  it('sends a layer whose silence expires in a package to agreed in package', () => {
    const { doc, ids } = framework();
    expect(create(doc, [ids[0]!, ids[1]!]).ok).toBe(true);
    const start = runReviewCommand(
      doc,
      { kind: 'silence.start', layerId: ids[0]!, userId: owner.userId, until: now, now },
      'test',
    );
    expect(start.ok).toBe(true);
    const expired = runReviewCommand(
      doc,
      { kind: 'silence.expire', layerId: ids[0]!, now: '2026-12-02T00:00:00.000Z' },
      'test',
    );
    expect(expired).toMatchObject({ ok: true, outcome: 'agreed', to: 'agreed_in_package' });
    expect(status(doc, ids[0]!)).toBe('agreed_in_package');
  });
});
