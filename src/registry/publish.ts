// Publication: the registry's designations in force, plus the entities the 50 % rule blocks,
// written as a new list version of the `registry` dataset. Screening reads that dataset like
// any list, so a published designation is enforced as soon as the version is current (the
// service's index rebuilds on a new current version; the caller runs the monitoring re-screen).

import { captionOf, type Entity, makeEntity } from "../model/entity.js";
import type { Change, DiffSummary, ListVersion, Store } from "../store/store.js";
import { findBasis, requireBasis } from "./bases.js";
import {
  applyFiftyPercentRule,
  edgesFromFtm,
  type OwnershipEdge,
  type OwnershipFinding,
} from "./ownership.js";
import {
  type CaseFile,
  caseEntityId,
  REGISTRY_DATASET,
  type RegistryBook,
  requireComplete,
} from "./registry.js";

/** Program code of the entities blocked by the 50 % rule (legal-grounds.json has its row). */
export const FIFTY_PERCENT_PROGRAM = "50-PERCENT-RULE";

export interface PublishOptions {
  /** The version label (default: the publication time). */
  version?: string;
  /** Datasets whose sanctioned targets also count as blocked owners (e.g. us_ofac_sdn). */
  blockedBy?: readonly string[];
  /** Datasets whose FtM Ownership entities are read as edges too. */
  ownershipFrom?: readonly string[];
}

export interface PublicationChange {
  readonly id: string;
  readonly caption: string;
  readonly schema: string;
  readonly change: Change["change"];
  /** The case it comes from, or the 50 % rule. */
  readonly basis: string;
  readonly classified: boolean;
}

export interface Publication {
  readonly version: ListVersion;
  readonly summary: DiffSummary;
  readonly listed: readonly string[];
  readonly removed: readonly string[];
  readonly changes: readonly PublicationChange[];
  /** Entities no longer blocked by this version: delisted designations and 50 % derivations. */
  readonly unblocked: readonly PublicationChange[];
  readonly derived: readonly OwnershipFinding[];
}

/** A case in force at `at`: approved or published, or delisted with the termination not yet effective. */
export function inForce(c: CaseFile, at: string): boolean {
  if (c.status === "approved" || c.status === "published") return true;
  return c.status === "delisted" && !!c.delisting && !!c.listed_at && c.delisting.effective > at;
}

/** The published target entity and its Sanction for one case. */
export function caseEntities(c: CaseFile, listedAt: string): Entity[] {
  const basis = requireBasis(c.authority);
  const subject: Entity = {
    ...c.subject,
    id: caseEntityId(c.id),
    datasets: [REGISTRY_DATASET],
    properties: { ...c.subject.properties, topics: ["sanction"], program: [basis.program] },
    source: { case: c.id, authority: basis.id, criterion: c.criterion, classified: c.classified },
  };
  const sanction = makeEntity("Sanction", `${caseEntityId(c.id)}.sanction`, REGISTRY_DATASET);
  sanction.properties = {
    entity: [subject.id],
    authority: [basis.title],
    authorityId: [c.id],
    program: [basis.program],
    programId: [basis.id],
    provisions: c.measures.map(
      (m) => `${m === "travel_ban" ? "Travel ban" : "Asset freeze"}: ${basis.measures[m]}`,
    ),
    reason: [`${c.criterion}: ${c.statement_of_reasons}`],
    startDate: [(c.listed_at ?? listedAt).slice(0, 10)],
    sourceUrl: [basis.source],
  };
  sanction.source = { case: c.id, classified: c.classified };
  return [subject, sanction];
}

/** Whether an entity of a registry version belongs to the classified annex (never exported). */
export function isClassified(e: Entity): boolean {
  return (e.source as { classified?: boolean } | undefined)?.classified === true;
}

/**
 * Every blocked owner and every edge the 50 % rule reads: the cases in force (with an asset
 * freeze), the targets of `blockedBy` datasets, the registry's edges and `ownershipFrom`'s.
 */
export async function ownershipInputs(
  registry: RegistryBook,
  store: Store,
  cases: readonly CaseFile[],
  opts: PublishOptions = {},
): Promise<{ edges: OwnershipEdge[]; listed: Set<string>; names: Map<string, string> }> {
  const listed = new Set<string>();
  const names = new Map<string, string>();
  for (const c of cases) {
    names.set(caseEntityId(c.id), captionOf(c.subject));
    if (c.measures.includes("asset_freeze")) listed.add(caseEntityId(c.id));
  }
  for (const p of await registry.parties()) names.set(p.id, captionOf(p));
  const edges: OwnershipEdge[] = (await registry.edges()).map(
    ({ owner, asset, percentage, kind, source }) => ({
      owner,
      asset,
      percentage,
      kind,
      ...(source ? { source } : {}),
    }),
  );
  for (const ds of opts.blockedBy ?? []) {
    for await (const e of store.entities(ds)) {
      if (e.schema === "Sanction") for (const id of e.properties.entity ?? []) listed.add(id);
    }
  }
  for (const ds of opts.ownershipFrom ?? []) {
    const owns: Entity[] = [];
    for await (const e of store.entities(ds)) if (e.schema === "Ownership") owns.push(e);
    edges.push(...edgesFromFtm(owns));
  }
  return { edges, listed, names };
}

/**
 * The 50 % rule over the registry's picture, as a finding per entity (blocked or caution), with
 * names filled in from cases, parties and the store.
 */
export async function computeOwnership(
  registry: RegistryBook,
  store: Store,
  opts: PublishOptions & { at?: string } = {},
): Promise<{ findings: OwnershipFinding[]; names: Map<string, string> }> {
  const at = opts.at ?? registry.clock();
  const cases = (await registry.list()).filter((c) => inForce(c, at));
  const { edges, listed, names } = await ownershipInputs(registry, store, cases, opts);
  for (const e of edges) {
    for (const id of [e.owner, e.asset]) {
      if (names.has(id)) continue;
      const found = await store.getEntity(id);
      names.set(id, found ? captionOf(found) : id);
    }
  }
  const findings = applyFiftyPercentRule(edges, listed, (id) => names.get(id) ?? id);
  return { findings, names };
}

/** The entity that makes a 50 %-blocked entity screenable: the party or store entity, re-issued. */
async function derivedEntities(
  f: OwnershipFinding,
  registry: RegistryBook,
  store: Store,
  at: string,
): Promise<Entity[]> {
  const known = (await registry.parties()).find((p) => p.id === f.id) ?? (await store.getEntity(f.id));
  if (!known) return [];
  const id = f.id.startsWith(`${REGISTRY_DATASET}:`) ? f.id : `${REGISTRY_DATASET}:50pct.${f.id}`;
  const { source: _s, first_seen: _f, last_seen: _l, last_change: _c, ...rest } = known as Entity;
  const target: Entity = {
    ...rest,
    id,
    datasets: [REGISTRY_DATASET],
    referents: [...new Set([...(known.referents ?? []), ...(id === f.id ? [] : [f.id])])],
    properties: {
      ...known.properties,
      topics: ["sanction.linked"],
      program: [FIFTY_PERCENT_PROGRAM],
      notes: [...(known.properties.notes ?? []), f.explanation],
    },
    source: { fifty_percent: f },
  };
  const sanction = makeEntity("Sanction", `${id}.sanction`, REGISTRY_DATASET);
  sanction.properties = {
    entity: [id],
    authority: ["OFAC 50 Percent Rule (derived, not designated)"],
    program: [FIFTY_PERCENT_PROGRAM],
    provisions: [`Asset freeze: ${f.explanation}`],
    reason: [f.explanation],
    startDate: [at.slice(0, 10)],
  };
  return [target, sanction];
}

/**
 * Publishes: every case in force (and only complete ones), the registry's ownership edges as
 * FtM Ownership entities, and the 50 %-blocked entities; a new current version of `registry`.
 */
export async function publish(
  registry: RegistryBook,
  store: Store,
  user: string,
  opts: PublishOptions = {},
): Promise<Publication> {
  return registry.publishing(() => publishNow(registry, store, user, opts));
}

async function publishNow(
  registry: RegistryBook,
  store: Store,
  user: string,
  opts: PublishOptions,
): Promise<Publication> {
  const at = registry.clock();
  const all = await registry.list();
  const cases = all.filter((c) => inForce(c, at));
  for (const c of cases) requireComplete(c, "published");
  const before = await store.currentVersion(REGISTRY_DATASET);

  const { findings } = await computeOwnership(registry, store, { ...opts, at });
  const writer = await store.beginVersion(REGISTRY_DATASET, {
    version: opts.version ?? at,
    meta: { publishedBy: user, publishedAt: at, cases: cases.map((c) => c.id) },
  });
  try {
    for (const c of cases) for (const e of caseEntities(c, at)) await writer.put(e);
    for (const edge of await registry.edges()) {
      const own = makeEntity("Ownership", `${REGISTRY_DATASET}:own.${edge.id}`, REGISTRY_DATASET);
      own.properties = {
        owner: [edge.owner],
        asset: [edge.asset],
        percentage: [String(edge.percentage)],
        ...(edge.kind === "control" ? { role: ["control (not ownership)"] } : { role: ["shareholder"] }),
      };
      await writer.put(own);
    }
    for (const f of findings.filter((x) => x.blocked)) {
      for (const e of await derivedEntities(f, registry, store, at)) await writer.put(e);
    }
    const summary = await writer.summary();
    const version = await writer.commit();

    const changes: PublicationChange[] = [];
    if (before) {
      for await (const ch of store.diff(before.id, version.id)) {
        if (ch.schema === "Sanction" || ch.schema === "Ownership") continue;
        changes.push(await describe(store, ch, ch.change === "removed" ? before.id : version.id));
      }
    } else {
      for await (const e of store.entities(REGISTRY_DATASET, { versionId: version.id })) {
        if (e.schema === "Sanction" || e.schema === "Ownership") continue;
        changes.push(toChange(e, "added"));
      }
    }
    const listedIds = changes
      .filter((c) => c.change === "added" && c.basis !== FIFTY_PERCENT_PROGRAM)
      .map((c) => c.id.slice(REGISTRY_DATASET.length + 1));
    const removedIds = all
      .filter((c) => c.status === "delisted" && c.delisting && !c.delisting.removed_at && !inForce(c, at))
      .map((c) => c.id);
    await registry.markPublished(
      cases.filter((c) => c.status === "approved").map((c) => c.id),
      removedIds,
      version.version,
      user,
      {
        version: version.version,
        versionId: version.id,
        added: summary.added,
        removed: summary.removed,
        changed: summary.changed,
      },
    );
    return {
      version,
      summary,
      listed: listedIds,
      removed: removedIds,
      changes,
      unblocked: changes.filter((c) => c.change === "removed"),
      derived: findings.filter((f) => f.blocked),
    };
  } catch (e) {
    await writer.abort((e as Error).message).catch(() => {});
    throw e;
  }
}

function toChange(e: Entity, change: Change["change"]): PublicationChange {
  const program = e.properties.program?.[0] ?? "";
  return {
    id: e.id,
    caption: captionOf(e),
    schema: e.schema,
    change,
    basis:
      program === FIFTY_PERCENT_PROGRAM
        ? FIFTY_PERCENT_PROGRAM
        : ((e.source as { authority?: string })?.authority ?? program),
    classified: isClassified(e),
  };
}

async function describe(store: Store, ch: Change, versionId: number): Promise<PublicationChange> {
  const e = await store.getEntity(ch.id, { versionId });
  return e
    ? toChange(e, ch.change)
    : { id: ch.id, caption: ch.id, schema: ch.schema, change: ch.change, basis: "", classified: false };
}

/** Basis title for a change line (for the change summary in words). */
export function basisTitle(id: string): string {
  return id === FIFTY_PERCENT_PROGRAM ? "50 % rule" : (findBasis(id)?.title ?? id);
}
