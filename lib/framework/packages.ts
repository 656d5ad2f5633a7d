/**
 * Packages: "nothing is agreed until everything is agreed". Owners group layers traded against
 * each other; each is agreed in package (provisional, frozen) until the whole package is agreed
 * in one act; reopening one layer of an agreed package returns the others to agreed in package.
 *
 * The membership lives in the document (root `packages`, plain JSON written whole) so every
 * screen sees it live, and is server-owned like status: it changes only through the commands
 * below, run by the sync server on the live document one at a time (so two owners agreeing and
 * reopening at once are ordered, never interleaved), and the authority hook undoes any client
 * write to it. Every rule of the feature is here; the transition table stays in review.ts.
 */
import type * as Y from 'yjs';
import { layerIds, readFramework, readPackages, writePackages } from './doc';
import {
  checkTransition,
  readLayerReviewState,
  writeLayerStatus,
  type Refusal,
  type ReviewActor,
} from './review';
import type { Layer, LayerPackage, LayerStatus, LayerStatusDetail } from './types';

/** Most layers one package may hold (a framework rarely has more than thirty). */
export const MAX_PACKAGE_LAYERS = 100;

export type PackageActor = ReviewActor & { userId: string };

export type PackageCreateCommand = {
  kind: 'package.create';
  packageId: string;
  name: string;
  layerIds: string[];
  actor: PackageActor;
  now: string;
};
/** Owners agree the package: every layer of it, all agreed in package, becomes agreed. */
export type PackageAgreeCommand = {
  kind: 'package.agree';
  packageId: string;
  actor: PackageActor;
  now: string;
};
/** An owner reopens one layer of an agreed package, with a reason. */
export type PackageReopenCommand = {
  kind: 'package.reopen';
  packageId: string;
  layerId: string;
  reason: string;
  actor: PackageActor;
  now: string;
};
/** An owner dissolves a package that is not agreed; its layers agreed in package go to review. */
export type PackageDissolveCommand = {
  kind: 'package.dissolve';
  packageId: string;
  actor: PackageActor;
};

export type PackageCommand =
  PackageCreateCommand | PackageAgreeCommand | PackageReopenCommand | PackageDissolveCommand;

type State = { status: LayerStatus; detail: LayerStatusDetail };

/** What a package command wrote, so a revert can take it back (when nothing changed since). */
export type PackageWrite = {
  packages: { before: LayerPackage[]; after: LayerPackage[] };
  layers: Record<string, { before: State; after: State }>;
};

export type PackageOutcomes = {
  'package.create': { package: LayerPackage; written: PackageWrite };
  'package.agree': { package: LayerPackage; layerIds: string[]; written: PackageWrite };
  'package.reopen': {
    package: LayerPackage;
    /** The other layers, returned from agreed to agreed in package. */
    returned: string[];
    written: PackageWrite;
  };
  'package.dissolve': { package: LayerPackage; returned: string[]; written: PackageWrite };
};

export type PackageRefused = {
  ok: false;
  error: 'not_found' | 'forbidden' | 'conflict';
  message: string;
};

export type PackageCommandResult<C extends PackageCommand = PackageCommand> =
  ({ ok: true } & PackageOutcomes[C['kind']]) | PackageRefused;

const fail = (error: PackageRefused['error'], message: string): PackageRefused => ({
  ok: false,
  error,
  message,
});

// ---------------------------------------------------------------------------------------------
// Rules over plain values (the UI shows them, the commands enforce them)
// ---------------------------------------------------------------------------------------------

/** The package holding `layerId`, if any (a layer is in at most one). */
export function packageOf(
  packages: readonly LayerPackage[],
  layerId: string,
): LayerPackage | undefined {
  return packages.find((p) => p.layerIds.includes(layerId));
}

/**
 * Why a single layer's status move is refused because of its package (or its lack of one), or
 * null: a layer in a package is agreed in package (never agreed alone, nor ad referendum), a
 * layer outside one cannot be, and an agreed package is reopened through the package.
 */
export function packageTransitionRefusal(
  pkg: LayerPackage | undefined,
  from: LayerStatus,
  to: LayerStatus,
): Refusal | null {
  if (!pkg) {
    return to === 'agreed_in_package'
      ? { ok: false, code: 'not_allowed', message: 'The layer is in no package.' }
      : null;
  }
  if (to === 'agreed' || to === 'agreed_ad_ref') {
    return {
      ok: false,
      code: 'not_allowed',
      message: `The layer is in package "${pkg.name}": agree it in package; the package is agreed in one act.`,
    };
  }
  if (from === 'agreed') {
    return {
      ok: false,
      code: 'not_allowed',
      message: `The layer is agreed with package "${pkg.name}": reopen it through the package, with a reason.`,
    };
  }
  return null;
}

/** What the package and dependency rules read of a layer. */
export type LayerLink = Pick<Layer, 'id' | 'title' | 'status' | 'dependencies'>;

/** The layers of a package that exist, in the package's order. */
export function packageLayers<L extends LayerLink>(
  view: { layers: readonly L[] },
  pkg: LayerPackage,
): L[] {
  const byId = new Map(view.layers.map((l) => [l.id, l]));
  return pkg.layerIds.map((id) => byId.get(id)).filter((l): l is L => l !== undefined);
}

/** Why the package cannot be agreed now ([] when it can): every layer must be agreed in package. */
export function packageAgreementBlockers(
  pkg: LayerPackage,
  statuses: ReadonlyMap<string, LayerStatus>,
): string[] {
  if (pkg.agreed) return ['The package is already agreed.'];
  const present = pkg.layerIds.filter((id) => statuses.has(id));
  if (present.length === 0) return ['The package holds no layer.'];
  const waiting = present.filter((id) => statuses.get(id) !== 'agreed_in_package');
  return waiting.length > 0
    ? [`Not yet agreed in package: ${waiting.length} of ${present.length} layers.`]
    : [];
}

/** What a dependency must be for agreeing the layer that needs it not to warn. */
const SETTLED: readonly LayerStatus[] = ['agreed', 'agreed_in_package'];

/** The dependencies of a layer that are not agreed (finally or in package), or no longer exist. */
export function unagreedDependencies(view: { layers: readonly LayerLink[] }, layerId: string) {
  const byId = new Map(view.layers.map((l) => [l.id, l]));
  const layer = byId.get(layerId);
  if (!layer) return [];
  return layer.dependencies
    .map((id) => ({ id, layer: byId.get(id) }))
    .filter(({ layer: dep }) => !dep || !SETTLED.includes(dep.status))
    .map(({ id, layer: dep }) => ({
      id,
      title: dep ? dep.title || 'Untitled layer' : 'a removed layer',
      status: dep?.status ?? null,
    }));
}

/** One row of the dependency graph: a layer, what it depends on, what depends on it, its package. */
export interface DependencyRow {
  layerId: string;
  title: string;
  status: LayerStatus;
  dependsOn: Array<{ id: string; title: string; status: LayerStatus | null }>;
  neededBy: Array<{ id: string; title: string }>;
  package: { id: string; name: string } | null;
}

/** The dependency graph as a list, in layer order (what the UI shows and tests read). */
export function dependencyGraph(view: {
  layers: readonly LayerLink[];
  packages?: readonly LayerPackage[];
}): DependencyRow[] {
  const byId = new Map(view.layers.map((l) => [l.id, l]));
  const packages = view.packages ?? [];
  const title = (l: LayerLink) => l.title || 'Untitled layer';
  return view.layers.map((layer) => {
    const pkg = packageOf(packages, layer.id);
    return {
      layerId: layer.id,
      title: title(layer),
      status: layer.status,
      dependsOn: layer.dependencies.map((id) => {
        const dep = byId.get(id);
        return {
          id,
          title: dep ? title(dep) : 'a removed layer',
          status: dep?.status ?? null,
        };
      }),
      neededBy: view.layers
        .filter((l) => l.dependencies.includes(layer.id))
        .map((l) => ({ id: l.id, title: title(l) })),
      package: pkg ? { id: pkg.id, name: pkg.name } : null,
    };
  });
}

// ---------------------------------------------------------------------------------------------
// Commands, run on the live document by the sync server
// ---------------------------------------------------------------------------------------------

/** Runs one package command as one transaction with `origin`; never throws on rules. */
export function runPackageCommand<C extends PackageCommand>(
  doc: Y.Doc,
  command: C,
  origin: unknown,
): PackageCommandResult<C> {
  // Each branch returns its own kind's outcome; TypeScript cannot narrow C by the switch.
  return runCommand(doc, command, origin) as PackageCommandResult<C>;
}

function runCommand(
  doc: Y.Doc,
  command: PackageCommand,
  origin: unknown,
): PackageCommandResult<PackageCommand> {
  if (!command.actor.canAgree) return fail('forbidden', 'Only owners manage packages.');
  const packages = readPackages(doc);
  const existing = packages.find((p) => p.id === command.packageId);
  if (command.kind === 'package.create') {
    return create(doc, command, packages, existing, origin);
  }
  if (!existing) return fail('not_found', 'Package not found.');
  const states = new Map<string, State>();
  for (const id of existing.layerIds) {
    const s = readLayerReviewState(doc, id);
    if (s) states.set(id, { status: s.status, detail: s.statusDetail });
  }
  const statuses = new Map([...states].map(([id, s]) => [id, s.status]));
  const actor = command.actor;
  switch (command.kind) {
    case 'package.agree': {
      const blockers = packageAgreementBlockers(existing, statuses);
      if (blockers.length > 0) return fail('conflict', blockers.join(' '));
      for (const [, s] of states) {
        const verdict = checkTransition(s.status, 'agreed', actor, s.detail, 'package');
        if (!verdict.ok) return fail('conflict', verdict.message);
      }
      const { reopened: _cleared, ...rest } = existing;
      const next: LayerPackage = { ...rest, agreed: { by: actor.userId, at: command.now } };
      const changes = new Map(
        [...states].map(([id, s]) => [id, { ...s, status: 'agreed' as const }]),
      );
      const written = apply(doc, packages, replace(packages, next), states, changes, origin);
      return { ok: true, package: next, layerIds: [...states.keys()], written };
    }
    case 'package.reopen': {
      if (!existing.agreed) {
        return fail(
          'conflict',
          'The package is not agreed: reopen the layer itself (its status form).',
        );
      }
      const reopened = states.get(command.layerId);
      if (!existing.layerIds.includes(command.layerId) || !reopened)
        return fail('not_found', 'That layer is not in this package.');
      if (command.reason.trim().length < 3) return fail('conflict', 'Say why it is reopened.');
      const changes = new Map<string, State>();
      for (const [id, s] of states) {
        if (id === command.layerId) {
          const verdict = checkTransition(s.status, 'in_review', actor, s.detail);
          if (!verdict.ok) return fail('conflict', verdict.message);
          changes.set(id, { status: 'in_review', detail: {} });
        } else if (s.status === 'agreed') {
          const verdict = checkTransition(
            s.status,
            'agreed_in_package',
            actor,
            s.detail,
            'package',
          );
          if (!verdict.ok) return fail('conflict', verdict.message);
          changes.set(id, { status: 'agreed_in_package', detail: s.detail });
        }
      }
      const { agreed: _undone, ...rest } = existing;
      const next: LayerPackage = {
        ...rest,
        reopened: {
          by: actor.userId,
          at: command.now,
          layerId: command.layerId,
          reason: command.reason.trim(),
        },
      };
      const written = apply(doc, packages, replace(packages, next), states, changes, origin);
      const returned = [...changes.keys()].filter((id) => id !== command.layerId);
      return { ok: true, package: next, returned, written };
    }
    case 'package.dissolve': {
      if (existing.agreed)
        return fail('conflict', 'The package is agreed: reopen one of its layers first.');
      const changes = new Map<string, State>();
      for (const [id, s] of states) {
        if (s.status === 'agreed_in_package') changes.set(id, { status: 'in_review', detail: {} });
      }
      const rest = packages.filter((p) => p.id !== existing.id);
      const written = apply(doc, packages, rest, states, changes, origin);
      return { ok: true, package: existing, returned: [...changes.keys()], written };
    }
  }
}

function create(
  doc: Y.Doc,
  command: PackageCreateCommand,
  packages: LayerPackage[],
  existing: LayerPackage | undefined,
  origin: unknown,
): PackageCommandResult<PackageCreateCommand> {
  if (existing) return fail('conflict', 'A package with that id exists.');
  const name = command.name.normalize('NFC').trim();
  if (name.length === 0) return fail('conflict', 'Name the package.');
  if (packages.some((p) => p.name.toLocaleLowerCase() === name.toLocaleLowerCase()))
    return fail('conflict', `A package named "${name}" exists.`);
  const ids = [...new Set(command.layerIds)];
  if (ids.length < 2) return fail('conflict', 'A package links at least two layers.');
  if (ids.length > MAX_PACKAGE_LAYERS)
    return fail('conflict', `A package holds at most ${MAX_PACKAGE_LAYERS} layers.`);
  const known = new Set(layerIds(doc));
  const unknown = ids.filter((id) => !known.has(id));
  if (unknown.length > 0)
    return fail('not_found', `Not a layer of this framework: ${unknown.join(', ')}.`);
  const view = readFramework(doc);
  const titleOf = (id: string) => view.layers.find((l) => l.id === id)?.title || id;
  const taken = ids.filter((id) => packageOf(packages, id));
  if (taken.length > 0) {
    return fail(
      'conflict',
      `Already in another package (a layer is in at most one): ${taken.map(titleOf).join(', ')}.`,
    );
  }
  const agreed = ids.filter((id) => {
    const s = view.layers.find((l) => l.id === id)?.status;
    return s === 'agreed' || s === 'agreed_ad_ref';
  });
  if (agreed.length > 0) {
    return fail(
      'conflict',
      `Already agreed on its own (reopen it first): ${agreed.map(titleOf).join(', ')}.`,
    );
  }
  const pkg: LayerPackage = {
    id: command.packageId,
    name,
    layerIds: ids,
    created: { by: command.actor.userId, at: command.now },
  };
  const written = apply(doc, packages, [...packages, pkg], new Map(), new Map(), origin);
  return { ok: true, package: pkg, written };
}

function replace(packages: LayerPackage[], next: LayerPackage): LayerPackage[] {
  return packages.map((p) => (p.id === next.id ? next : p));
}

/** Writes the packages record and the layers' states in one transaction; returns what it did. */
function apply(
  doc: Y.Doc,
  before: LayerPackage[],
  after: LayerPackage[],
  states: ReadonlyMap<string, State>,
  changes: ReadonlyMap<string, State>,
  origin: unknown,
): PackageWrite {
  const layers: PackageWrite['layers'] = {};
  doc.transact(() => {
    writePackages(doc, after, origin);
    for (const [id, next] of changes) {
      writeLayerStatus(doc, id, next.status, next.detail, origin);
      layers[id] = { before: structuredClone(states.get(id)!), after: structuredClone(next) };
    }
  }, origin);
  return { packages: { before: structuredClone(before), after: structuredClone(after) }, layers };
}

/**
 * Takes back a package command's write when its record could not be stored; refused (conflict)
 * when the packages or any of those layers changed since, so a later act is never clobbered.
 */
export function revertPackageWrite(
  doc: Y.Doc,
  written: PackageWrite,
  origin: unknown,
): { ok: true; written: PackageWrite } | PackageRefused {
  if (canonical(readPackages(doc)) !== canonical(sortPackages(written.packages.after)))
    return fail('conflict', 'The packages changed again since; nothing was reverted.');
  const states = new Map<string, State>();
  for (const [id, w] of Object.entries(written.layers)) {
    const s = readLayerReviewState(doc, id);
    if (!s || canonical({ status: s.status, detail: s.statusDetail }) !== canonical(w.after))
      return fail('conflict', 'A layer changed again since; nothing was reverted.');
    states.set(id, { status: s.status, detail: s.statusDetail });
  }
  const changes = new Map(Object.entries(written.layers).map(([id, w]) => [id, w.before]));
  return {
    ok: true,
    written: apply(doc, written.packages.after, written.packages.before, states, changes, origin),
  };
}

function sortPackages(packages: LayerPackage[]): LayerPackage[] {
  return [...packages].sort((a, b) => a.name.localeCompare(b.name) || (a.id < b.id ? -1 : 1));
}

function canonical(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v).sort(([x], [y]) => x.localeCompare(y)))
      : v,
  );
}
