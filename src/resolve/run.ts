// Running resolution against the store: read the current lists' designees, find and weigh
// candidate pairs, cluster them with the judgements on file, and keep the result. A judgement
// or an undo re-clusters from the kept pairs without reading the lists again. Either store:
// on SQLite `recluster` and `undoMerge` answer at once (as they always have), on PostgreSQL with
// a promise; runs and re-clusterings hold the store's resolution lock (`exclusive`).

import type { Awaitable } from "../cases/cases.js";
import { InterdictError } from "../errors.js";
import { SqliteStore } from "../store/sqlite.js";
import type { Store } from "../store/store.js";
import { currentVersions, type Designee, type ListVersionRef, loadDesignees } from "./designees.js";
import { checkTheme } from "./regimes.js";
import {
  type Clusters,
  candidateEdges,
  cluster,
  type Edge,
  type Judgement,
  mayJoin,
  pairKey,
  type ResolveOptions,
} from "./resolve.js";
import { type ResolutionBook, type ResolutionStore, type RunInfo, resolutionOf } from "./store.js";

export interface RunResult {
  readonly run: RunInfo;
  readonly designees: readonly Designee[];
  readonly clusters: Clusters;
}

const hasTheme = (d: Designee, theme: string) => d.designations.some((x) => x.regime?.themes.includes(theme));

/** `all`, or the theme whose designees are the queries (a faster run, enough for that theme's map). */
export async function runResolution(
  store: Store,
  opts: ResolveOptions & {
    scope?: string;
    datasets?: readonly string[];
    designees?: readonly Designee[];
  } = {},
): Promise<RunResult> {
  const scope = opts.scope ?? "all";
  if (scope !== "all") checkTheme(scope);
  const rs = resolutionOf(store);
  const versions = await currentVersions(store, opts.datasets);
  if (versions.length === 0) {
    throw new InterdictError(
      "INTERDICT_E_NOT_FOUND",
      "no lists loaded: run `interdict update` or `interdict ingest` first",
    );
  }
  const designees = opts.designees ?? (await loadDesignees(store, versions));
  const edges = candidateEdges(designees, {
    ...opts,
    ...(scope === "all" ? {} : { from: (d: Designee) => hasTheme(d, scope) }),
  });
  const byId = new Map(designees.map((d) => [d.entity.id, d]));
  const twins = new Map<string, boolean>();
  // Kept with the run, so a re-clustering after a judgement keeps the same entities apart.
  const joinable = (a: string, b: string): boolean => {
    const k = pairKey(a, b);
    let ok = twins.get(k);
    if (ok === undefined) {
      const x = byId.get(a);
      const y = byId.get(b);
      ok = !!x && !!y && mayJoin(x, y);
      twins.set(k, ok);
    }
    return ok;
  };
  // Judgements and ids read, clustered and saved as the only run of the store at the time.
  return rs.exclusive(async () => {
    const clusters = cluster(
      designees.map((d) => d.entity.id),
      edges,
      await rs.judgements(),
      await rs.previous(),
      joinable,
    );
    const counts = summarise(designees.length, edges, clusters);
    await rs.save({ scope, versions, counts }, edges, twins, clusters);
    const run = await rs.lastRun();
    if (!run) throw new Error("resolution run not recorded");
    return { run, designees, clusters };
  });
}

function summarise(designees: number, edges: readonly Edge[], c: Clusters): Record<string, number> {
  let merged = 0;
  let mergedMembers = 0;
  for (const m of c.members.values()) {
    if (m.length > 1) {
      merged++;
      mergedMembers += m.length;
    }
  }
  return {
    designees,
    canonical: c.members.size,
    merged,
    merged_members: mergedMembers,
    pairs: edges.length,
    auto: c.merged.filter((e) => e.how === "auto").length,
    judged: c.merged.filter((e) => e.how === "judged").length,
    review: c.pending.length,
    refused: c.refused.length,
  };
}

const NO_RUN = "no resolution yet: run `interdict resolve` first";

/** The clusters of the kept pairs and the judgements on file. */
function reclustered(
  edges: readonly Edge[],
  judgements: ReadonlyMap<string, Judgement>,
  twins: ReadonlyMap<string, boolean>,
  previous: ReadonlyMap<string, string>,
): Clusters {
  const ids = new Set<string>();
  for (const e of edges) ids.add(e.a).add(e.b);
  for (const k of judgements.keys()) for (const id of k.split("\u0000")) ids.add(id);
  return cluster(
    [...ids],
    edges,
    judgements,
    previous,
    // Pairs never looked at in the run were never in one cluster: only judgements join them.
    (a, b) => twins.get(pairKey(a, b)) ?? false,
  );
}

async function reclusterIn(rs: ResolutionBook): Promise<Clusters> {
  return rs.exclusive(async () => {
    if (!(await rs.lastRun())) throw new InterdictError("INTERDICT_E_NOT_FOUND", NO_RUN);
    const c = reclustered(await rs.edges(), await rs.judgements(), await rs.twins(), await rs.previous());
    await rs.save(undefined, undefined, undefined, c);
    return c;
  });
}

/**
 * Re-clusters from the last run's pairs and the judgements on file (after a judgement or an
 * undo). At once on SQLite; a promise on PostgreSQL.
 */
export function recluster(store: SqliteStore): Clusters;
export function recluster(store: Store): Awaitable<Clusters>;
export function recluster(store: Store): Awaitable<Clusters> {
  if (!(store instanceof SqliteStore)) return reclusterIn(resolutionOf(store));
  const rs = resolutionOf(store) as ResolutionStore;
  if (!rs.lastRun()) throw new InterdictError("INTERDICT_E_NOT_FOUND", NO_RUN);
  const c = reclustered(rs.edges(), rs.judgements(), rs.twins(), rs.previous());
  rs.save(undefined, undefined, undefined, c);
  return c;
}

const noMerge = (canonicalId: string) =>
  new InterdictError("INTERDICT_E_NOT_FOUND", `no merged entity ${canonicalId} (see interdict resolve)`);

/**
 * Undoes the merge of a canonical entity: each pair that joined it is judged different, so the
 * next run keeps its referents apart too. Returns the pairs judged (at once on SQLite).
 */
export function undoMerge(store: SqliteStore, canonicalId: string, author?: string): number;
export function undoMerge(store: Store, canonicalId: string, author?: string): Awaitable<number>;
export function undoMerge(store: Store, canonicalId: string, author = "undo"): Awaitable<number> {
  if (store instanceof SqliteStore) {
    const rs = resolutionOf(store) as ResolutionStore;
    const merges = rs.merges(canonicalId);
    if (merges.length === 0) throw noMerge(canonicalId);
    for (const m of merges) rs.judge(m.a, m.b, "different", author, `undo of ${canonicalId}`);
    recluster(store);
    return merges.length;
  }
  const rs = resolutionOf(store);
  return (async () => {
    const merges = await rs.merges(canonicalId);
    if (merges.length === 0) throw noMerge(canonicalId);
    for (const m of merges) await rs.judge(m.a, m.b, "different", author, `undo of ${canonicalId}`);
    await reclusterIn(rs);
    return merges.length;
  })();
}

/**
 * The last run if it was made from the current list versions and covers the scope, else a new
 * run. A run of every designee covers every theme.
 */
export async function ensureResolution(
  store: Store,
  scope = "all",
): Promise<{ run: RunInfo; versions: readonly ListVersionRef[]; fresh: boolean }> {
  const last = await resolutionOf(store).lastRun();
  const versions = await currentVersions(store);
  const same =
    !!last &&
    last.versions.length === versions.length &&
    versions.every((v) => last.versions.some((w) => w.dataset === v.dataset && w.id === v.id));
  if (last && same && (last.scope === "all" || last.scope === scope))
    return { run: last, versions, fresh: false };
  const { run } = await runResolution(store, { scope });
  return { run, versions, fresh: true };
}
