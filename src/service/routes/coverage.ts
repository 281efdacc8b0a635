// GET /coverage: the accountability map (issue 6) over HTTP — every canonical designee, under a
// theme or not, against the jurisdictions that designated them. JSON lines by default (the
// `interdict coverage --json` contract), or CSV, or the self-contained HTML page.

import { Worker } from "node:worker_threads";
import { Type } from "typebox";
import { InterdictError } from "../../errors.js";
import {
  type CoverageRow,
  type CoverageSummary,
  coverageRows,
  type MapDesignee,
  mapDesignee,
  rowJson,
  summarise,
  toCsv,
  toHtml,
} from "../../resolve/coverage.js";
import type { ListVersionRef } from "../../resolve/designees.js";
import {
  checkTheme,
  currentVersions,
  ensureResolution,
  loadDesignees,
  loadResolution,
  resolutionOf,
  THEMES,
} from "../../resolve/index.js";
import { PostgresStore } from "../../store/postgres.js";
import { SqliteStore } from "../../store/sqlite.js";
import type { Store } from "../../store/store.js";
import type { App, ServiceContext } from "../app.js";

export type CoverageFormat = "jsonl" | "csv" | "html";

export interface CoverageMap {
  readonly theme?: string;
  readonly rows: readonly CoverageRow[];
  readonly summary: CoverageSummary;
  readonly versions: readonly ListVersionRef[];
}

interface Prepared {
  readonly versions: readonly ListVersionRef[];
  readonly designees: readonly MapDesignee[];
}

interface Job {
  readonly since: Date;
  readonly done: Promise<Prepared>;
}

const versionsKey = (vs: readonly ListVersionRef[]): string =>
  vs.map((v) => `${v.dataset}#${v.id}`).join(" ");

// The designees read last (they change only with a new list version), the runs under way (one
// per scope and list versions, shared by every request that needs it), and the last failure,
// which the next request for the same map is told about instead of silently starting again.
const prepared = new WeakMap<Store, Prepared & { key: string }>();
const jobs = new WeakMap<Store, Map<string, Job>>();
const failed = new WeakMap<Store, { key: string; error: unknown }>();
const threads = new WeakMap<Store, Set<Worker>>();

/** Whether the last resolution run was made from these list versions and covers the scope. */
async function resolutionCovers(
  store: Store,
  scope: string,
  versions: readonly ListVersionRef[],
): Promise<boolean> {
  const last = await resolutionOf(store).lastRun();
  return (
    !!last &&
    (last.scope === "all" || last.scope === scope) &&
    last.versions.length === versions.length &&
    versions.every((v) => last.versions.some((w) => w.dataset === v.dataset && w.id === v.id))
  );
}

async function prepareHere(store: Store, scope: string): Promise<Prepared> {
  await ensureResolution(store, scope);
  const versions = await currentVersions(store);
  return { versions, designees: (await loadDesignees(store, versions)).map(mapDesignee) };
}

/** Where a thread opens the store: the SQLite file, or the PostgreSQL URL with the store's schema. */
function locationOf(store: Store): string | undefined {
  if (store instanceof SqliteStore) return store.db.memory ? undefined : store.db.name;
  if (store instanceof PostgresStore) {
    const cs = store.pool.options.connectionString;
    if (!cs) return undefined;
    const u = new URL(cs);
    u.searchParams.set("schema", store.schema);
    return u.toString();
  }
  return undefined;
}

// A resolution run reads every list and weighs candidate pairs without yielding: on a SQLite
// file or a PostgreSQL schema it runs in a thread of its own (src/workers/coverage-worker.ts),
// which opens the store itself, so the service keeps answering; an in-memory database cannot be
// opened twice, so it is prepared here.
function prepareInThread(store: Store, db: string, scope: string): Promise<Prepared> {
  const boot = new URL("../../workers/_boot.mjs", import.meta.url);
  const entry = new URL("../../workers/coverage-worker.ts", import.meta.url).href;
  const worker = new Worker(boot, { workerData: { entry, db, scope } });
  const running = threads.get(store) ?? new Set<Worker>();
  threads.set(store, running.add(worker));
  return new Promise<Prepared>((resolve, reject) => {
    let answer: Prepared | undefined;
    worker.on("message", (m: Prepared) => {
      answer = m;
    });
    worker.on("error", reject);
    worker.on("exit", (code) => {
      running.delete(worker);
      if (answer) resolve(answer);
      else reject(new Error(`the coverage thread stopped before it answered (exit code ${code})`));
    });
  });
}

function jobFor(store: Store, scope: string, versions: readonly ListVersionRef[]): Job {
  const key = `${scope} ${versionsKey(versions)}`;
  const byKey = jobs.get(store) ?? new Map<string, Job>();
  jobs.set(store, byKey);
  const running = byKey.get(key);
  if (running) return running;
  const fail = failed.get(store);
  if (fail?.key === key) {
    failed.delete(store);
    throw fail.error;
  }
  const db = locationOf(store);
  const done = (db ? prepareInThread(store, db, scope) : prepareHere(store, scope)).then(
    (p) => {
      prepared.set(store, { ...p, key: versionsKey(p.versions) });
      return p;
    },
    (error: unknown) => {
      failed.set(store, { key, error });
      throw error;
    },
  );
  const job: Job = { since: new Date(), done };
  byKey.set(key, job);
  // Once settled the job is gone: what it made is in `prepared`, a failure in `failed`.
  done.then(
    () => byKey.delete(key),
    () => byKey.delete(key),
  );
  return job;
}

async function draw(store: Store, theme: string | undefined, p: Prepared): Promise<CoverageMap> {
  const rows = coverageRows(p.designees, (await loadResolution(store)).canonicalOf, theme);
  return {
    ...(theme ? { theme } : {}),
    rows,
    summary: summarise(rows, p.versions, theme),
    versions: p.versions,
  };
}

async function listVersions(store: Store): Promise<ListVersionRef[]> {
  const versions = await currentVersions(store);
  if (versions.length === 0) {
    throw new InterdictError("INTERDICT_E_NOT_FOUND", "no lists loaded: ingest lists first");
  }
  return versions;
}

/** The map now if its inputs are up to date, else the run that brings them up to date. */
async function current(
  store: Store,
  theme: string | undefined,
): Promise<{ map: CoverageMap } | { job: Job }> {
  const versions = await listVersions(store);
  const scope = theme ?? "all";
  const p = prepared.get(store);
  if (p?.key === versionsKey(versions) && (await resolutionCovers(store, scope, versions)))
    return { map: await draw(store, theme, p) };
  return { job: jobFor(store, scope, versions) };
}

/** The map of the current lists, under a theme or of every designee; waits for a run if one is due. */
export async function coverageMap(store: Store, theme: string | undefined): Promise<CoverageMap> {
  const now = await current(store, theme);
  return "map" in now ? now.map : await draw(store, theme, await now.job.done);
}

/**
 * The map if it is ready within `waitMs`, else when the run that makes it started (the run goes
 * on; ask again). For pages, which must not hang for the minutes a run of every list can take.
 */
export async function coverageSoon(
  store: Store,
  theme: string | undefined,
  waitMs: number,
): Promise<{ map: CoverageMap } | { computing: Date }> {
  const now = await current(store, theme);
  if ("map" in now) return now;
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<undefined>((resolve) => {
    timer = setTimeout(() => resolve(undefined), waitMs);
  });
  try {
    const p = await Promise.race([now.job.done, late]);
    return p ? { map: await draw(store, theme, p) } : { computing: now.job.since };
  } finally {
    clearTimeout(timer);
  }
}

/** The map as the body of a response: its bytes' type, a file name, and the text. */
export function coverageFile(
  m: CoverageMap,
  format: CoverageFormat,
): { type: string; name: string; body: string; designees: number } {
  const base = `coverage-${m.theme ?? "all"}`;
  const designees = m.rows.length;
  if (format === "html") {
    return {
      type: "text/html; charset=utf-8",
      name: `${base}.html`,
      body: toHtml(m.rows, m.summary),
      designees,
    };
  }
  if (format === "csv") {
    return { type: "text/csv; charset=utf-8", name: `${base}.csv`, body: toCsv(m.rows), designees };
  }
  const body = m.rows.map((r) => `${JSON.stringify(rowJson(r))}\n`).join("");
  return { type: "application/x-ndjson; charset=utf-8", name: `${base}.jsonl`, body, designees };
}

/** The map as the body of a response (waits for a resolution run if one is due). */
export async function coverageBody(
  store: Store,
  theme: string | undefined,
  format: CoverageFormat,
): Promise<{ type: string; name: string; body: string; designees: number }> {
  return coverageFile(await coverageMap(store, theme), format);
}

export function registerCoverage(app: App, ctx: ServiceContext): void {
  // A run still going when the service stops is given up (the next start makes it again).
  app.addHook("onClose", async () => {
    await Promise.all([...(threads.get(ctx.store) ?? [])].map((w) => w.terminate()));
  });
  app.get(
    "/coverage",
    {
      schema: {
        tags: ["records"],
        summary:
          "Who is sanctioned where: each canonical designee against US, EU, UK, CA, AU, UN (JSON lines, CSV or HTML)",
        querystring: Type.Object({
          theme: Type.Optional(Type.String({ description: `one of ${Object.keys(THEMES).join(", ")}` })),
          format: Type.Union([Type.Literal("jsonl"), Type.Literal("csv"), Type.Literal("html")], {
            default: "jsonl",
          }),
        }),
      },
      config: { role: "analyst" },
    },
    async (req, reply) => {
      // Refused before anything is read; the message names the known themes.
      const theme = req.query.theme ? checkTheme(req.query.theme) : undefined;
      const r = await coverageBody(ctx.store, theme, req.query.format);
      reply.header("content-type", r.type).header("x-designees", String(r.designees));
      if (req.query.format !== "html")
        reply.header("content-disposition", `attachment; filename="${r.name}"`);
      return reply.send(r.body);
    },
  );
}
