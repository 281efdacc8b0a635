// Canonical entities as readers see them: the merged view of a resolved person (each value with
// the referents that give it, and why they were merged), and screening results grouped so that
// one person is one hit listing every designation. Either store: on SQLite the resolution is
// read at once (`loadResolution` answers a value, as it always has), on PostgreSQL with a
// promise, so callers await it once per command, index generation or worker.

import { createHash } from "node:crypto";
import type { Awaitable } from "../cases/cases.js";
import { InterdictError } from "../errors.js";
import { captionOf } from "../model/entity.js";
import { PostgresStore } from "../store/postgres.js";
import { SqliteStore } from "../store/sqlite.js";
import type { Store, StoredEntity } from "../store/store.js";
import { type MergeRow, type ResolutionStore, resolutionOf } from "./store.js";

export interface CanonicalEntity {
  readonly id: string;
  readonly schema: string;
  readonly caption: string;
  readonly referents: readonly string[];
  readonly datasets: readonly string[];
  /** Every value of every referent, FtM-style. */
  readonly properties: Readonly<Record<string, readonly string[]>>;
  /** The same values, each with the referents that give it. */
  readonly sources: Readonly<Record<string, readonly { value: string; referents: string[] }[]>>;
  readonly merges: readonly MergeRow[];
}

/** The canonical entity of any referent id or canonical id, from the last resolution. */
export async function canonicalEntity(store: Store, id: string): Promise<CanonicalEntity> {
  const rs = resolutionOf(store);
  const canonical = await rs.canonicalOf(id);
  if (!canonical) throw new InterdictError("INTERDICT_E_NOT_FOUND", `no canonical entity ${id}`);
  const ids = canonical === id && !id.startsWith("ik-") ? [id] : await rs.members(canonical);
  const members: StoredEntity[] = [];
  for (const m of ids) {
    const e = await store.getEntity(m);
    if (e) members.push(e);
  }
  if (members.length === 0) {
    throw new InterdictError("INTERDICT_E_NOT_FOUND", `no entity ${id} in the current lists`);
  }
  const sources: Record<string, { value: string; referents: string[] }[]> = {};
  for (const e of members) {
    for (const [prop, values] of Object.entries(e.properties)) {
      const list = (sources[prop] ??= []);
      for (const v of values) {
        const seen = list.find((x) => x.value === v);
        if (seen) seen.referents.push(e.id);
        else list.push({ value: v, referents: [e.id] });
      }
    }
  }
  const first = members[0] as StoredEntity;
  return {
    id: members.length > 1 ? canonical : first.id,
    schema: first.schema,
    caption: captionOf(first),
    referents: members.map((e) => e.id),
    datasets: [...new Set(members.flatMap((e) => e.datasets))],
    properties: Object.fromEntries(Object.entries(sources).map(([p, vs]) => [p, vs.map((v) => v.value)])),
    sources,
    merges: members.length > 1 ? await rs.merges(canonical) : [],
  };
}

/** A resolver from entity id to canonical id and referents, read once from the store. */
export interface Resolution {
  canonicalOf(entityId: string): string;
  referents(canonicalId: string): readonly string[];
}

/** Every list entry its own person. */
const UNRESOLVED: Resolution = { canonicalOf: (id) => id, referents: (id) => [id] };

function resolutionFrom(merged: ReadonlyMap<string, readonly string[]>): Resolution {
  const of = new Map<string, string>();
  for (const [c, ms] of merged) for (const m of ms) of.set(m, c);
  return {
    canonicalOf: (id) => of.get(id) ?? id,
    referents: (c) => merged.get(c) ?? [c],
  };
}

/**
 * The resolution a store holds: at once on SQLite, a promise on PostgreSQL (await it once per
 * command or index generation). Any other store holds none: every entry is its own person.
 */
export function loadResolution(store: SqliteStore): Resolution;
export function loadResolution(store: Store): Awaitable<Resolution>;
export function loadResolution(store: Store): Awaitable<Resolution> {
  if (store instanceof SqliteStore) {
    return resolutionFrom((resolutionOf(store) as ResolutionStore).allMerged());
  }
  if (store instanceof PostgresStore) {
    return (async () => resolutionFrom(await resolutionOf(store).allMerged()))();
  }
  return UNRESOLVED;
}

/**
 * Screening results grouped by canonical entity: the best-scoring result of each person stands
 * for it and carries `entity_id` (the canonical id), `referents`, and the `hits` of every list
 * that matched (in score order). Results keep their own fields otherwise.
 */
export function groupByCanonical<R>(
  results: readonly R[],
  resolution: Resolution,
  idOf: (r: R) => string,
): { canonical: string; referents: readonly string[]; best: R; hits: R[] }[] {
  const groups = new Map<string, { canonical: string; referents: readonly string[]; best: R; hits: R[] }>();
  for (const r of results) {
    const c = resolution.canonicalOf(idOf(r));
    const g = groups.get(c);
    if (g) g.hits.push(r);
    else groups.set(c, { canonical: c, referents: resolution.referents(c), best: r, hits: [r] });
  }
  return [...groups.values()];
}

/**
 * What the store's resolution merged, as one hash: it changes when any person's membership does
 * (monitoring re-screens the subjects whose alerts were on the persons as they were). Empty for a
 * store holding no resolution.
 */
export function resolutionSignature(store: SqliteStore): string;
export function resolutionSignature(store: Store): Awaitable<string>;
export function resolutionSignature(store: Store): Awaitable<string> {
  const sign = (all: ReadonlyMap<string, readonly string[]>) => {
    const merged = [...all].map(([c, ms]) => [c, [...ms].sort()]);
    merged.sort((a, b) => ((a[0] as string) < (b[0] as string) ? -1 : 1));
    return merged.length ? createHash("sha1").update(JSON.stringify(merged)).digest("hex") : "";
  };
  if (store instanceof SqliteStore) return sign((resolutionOf(store) as ResolutionStore).allMerged());
  if (store instanceof PostgresStore) return (async () => sign(await resolutionOf(store).allMerged()))();
  return "";
}

const onceFor = new WeakMap<object, Awaitable<Resolution>>();

/**
 * The store's resolution read once for `key` (a service's index generation: a new resolution is
 * picked up with the next index swap), not on every request. Await it (PostgreSQL answers a
 * promise, shared by the requests of one generation).
 */
export function resolutionOnce(key: object, store: Store): Awaitable<Resolution> {
  let r = onceFor.get(key);
  if (!r) {
    r = loadResolution(store);
    onceFor.set(key, r);
    // A failed read is not kept: the next request reads again.
    if (r instanceof Promise) r.catch(() => onceFor.delete(key));
  }
  return r;
}
