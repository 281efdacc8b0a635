// Where resolution keeps its results: the last run's candidate pairs, canonical ids and merges,
// and analysts' judgements (which outlive runs and list versions, keyed by the two entity ids,
// which are stable across versions). `ResolutionStore` is the SQLite file's (synchronous);
// `PgResolutionStore` keeps the same tables in a PostgreSQL schema (the "resolve" component's
// migrations) and answers the same `ResolutionBook` contract asynchronously; `resolutionOf`
// picks the store's own. On PostgreSQL a run's read-cluster-save holds an advisory lock of the
// schema (`exclusive`), so two runs on one schema at once take turns, and a save is one
// transaction, so readers see one run or the next. All resolution SQL is here.

import type Database from "better-sqlite3";
import type pg from "pg";
import type { Awaitable } from "../cases/cases.js";
import { InterdictError } from "../errors.js";
import { PostgresStore } from "../store/postgres.js";
import { SqliteStore } from "../store/sqlite.js";
import type { Store } from "../store/store.js";
import type { ListVersionRef } from "./designees.js";
import { type Clusters, type Edge, JUDGEMENTS, type Judgement, pairKey } from "./resolve.js";

const SCHEMA = `
  CREATE TABLE IF NOT EXISTS resolve_run (
    id INTEGER PRIMARY KEY,
    created_at TEXT NOT NULL,
    scope TEXT NOT NULL,
    versions TEXT NOT NULL,
    counts TEXT NOT NULL
  );
  CREATE TABLE IF NOT EXISTS resolve_edge (
    a TEXT NOT NULL, b TEXT NOT NULL,
    score REAL NOT NULL, names REAL NOT NULL,
    decision TEXT NOT NULL, reason TEXT NOT NULL,
    PRIMARY KEY (a, b)
  ) WITHOUT ROWID;
  CREATE TABLE IF NOT EXISTS resolve_twin (
    a TEXT NOT NULL, b TEXT NOT NULL, ok INTEGER NOT NULL,
    PRIMARY KEY (a, b)
  ) WITHOUT ROWID;
  CREATE TABLE IF NOT EXISTS resolve_member (
    entity_id TEXT PRIMARY KEY,
    canonical_id TEXT NOT NULL
  ) WITHOUT ROWID;
  CREATE INDEX IF NOT EXISTS resolve_member_canonical ON resolve_member (canonical_id);
  CREATE TABLE IF NOT EXISTS resolve_merge (
    canonical_id TEXT NOT NULL,
    a TEXT NOT NULL, b TEXT NOT NULL,
    how TEXT NOT NULL, score REAL NOT NULL, reason TEXT NOT NULL,
    PRIMARY KEY (canonical_id, a, b)
  ) WITHOUT ROWID;
  CREATE TABLE IF NOT EXISTS resolve_judgement (
    a TEXT NOT NULL, b TEXT NOT NULL,
    judgement TEXT NOT NULL,
    author TEXT NOT NULL,
    note TEXT,
    created_at TEXT NOT NULL,
    PRIMARY KEY (a, b)
  ) WITHOUT ROWID;`;

export interface RunInfo {
  readonly id: number;
  readonly createdAt: string;
  /** `all`, or the theme whose designees were the queries. */
  readonly scope: string;
  readonly versions: readonly ListVersionRef[];
  readonly counts: Readonly<Record<string, number>>;
}

export interface MergeRow {
  readonly a: string;
  readonly b: string;
  readonly how: string;
  readonly score: number;
  readonly reason: string;
}

export interface JudgementRow {
  readonly a: string;
  readonly b: string;
  readonly judgement: Judgement;
  readonly author: string;
  readonly note?: string;
  readonly createdAt: string;
}

/** What resolution keeps, on either store (SQLite answers at once, PostgreSQL with promises). */
export interface ResolutionBook {
  lastRun(): Awaitable<RunInfo | undefined>;
  /** Entity id → canonical id, for the merged entities of the last run. */
  previous(): Awaitable<Map<string, string>>;
  judgements(): Awaitable<Map<string, Judgement>>;
  judgementRows(): Awaitable<JudgementRow[]>;
  judge(a: string, b: string, judgement: string, author: string, note?: string): Awaitable<void>;
  edges(): Awaitable<Edge[]>;
  twins(): Awaitable<Map<string, boolean>>;
  /** Canonical id of an entity id (itself when it was never merged); undefined for an unknown merged id. */
  canonicalOf(id: string): Awaitable<string | undefined>;
  members(canonicalId: string): Awaitable<string[]>;
  merges(canonicalId: string): Awaitable<MergeRow[]>;
  /** Every merged entity: canonical id → members. */
  allMerged(): Awaitable<Map<string, string[]>>;
  /** Replaces the last run's results, in one transaction. */
  save(
    run: { scope: string; versions: readonly ListVersionRef[]; counts: Record<string, number> } | undefined,
    edges: readonly Edge[] | undefined,
    twins: ReadonlyMap<string, boolean> | undefined,
    clusters: Clusters,
  ): Awaitable<void>;
  /** Runs `fn` as the only resolution run or re-clustering of the store at the time. */
  exclusive<T>(fn: () => Promise<T>): Promise<T>;
}

/** A judgement as given: a known one, on two different entities, in id order. */
function judged(a: string, b: string, judgement: string): [string, string] {
  if (!JUDGEMENTS.includes(judgement as Judgement)) {
    throw new InterdictError(
      "INTERDICT_E_USAGE",
      `unknown judgement "${judgement}"; known: ${JUDGEMENTS.join(", ")}`,
    );
  }
  if (a === b) throw new InterdictError("INTERDICT_E_USAGE", "a pair needs two different entities");
  return a < b ? [a, b] : [b, a];
}

/** The last resolve_run row, as both engines store it, and what it says. */
const SQL_LAST_RUN = "SELECT * FROM resolve_run ORDER BY id DESC LIMIT 1";
interface RunRow {
  id: number;
  created_at: string;
  scope: string;
  versions: string;
  counts: string;
}
/** Every merged entity's members, in entity id order. */
const SQL_MEMBERS = "SELECT entity_id, canonical_id FROM resolve_member ORDER BY entity_id";
interface MemberRow {
  entity_id: string;
  canonical_id: string;
}
function byCanonical(rows: readonly MemberRow[]): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const r of rows) {
    const ms = out.get(r.canonical_id);
    if (ms) ms.push(r.entity_id);
    else out.set(r.canonical_id, [r.entity_id]);
  }
  return out;
}

const toRunInfo = (r: RunRow): RunInfo => ({
  id: r.id,
  createdAt: r.created_at,
  scope: r.scope,
  versions: JSON.parse(r.versions),
  counts: JSON.parse(r.counts),
});

/** The rows `save` writes: members of merged entities only, merges under their canonical id. */
function clusterRows(clusters: Clusters) {
  const members: [string, string][] = [];
  for (const [id, ms] of clusters.members) if (ms.length > 1) for (const m of ms) members.push([m, id]);
  const merges = new Map<string, MergeRow & { canonical: string }>();
  for (const e of clusters.merged) {
    const c = clusters.canonical.get(e.a);
    if (c) merges.set(`${c}\u0000${e.a}\u0000${e.b}`, { canonical: c, ...e });
  }
  return { members, merges: [...merges.values()] };
}

export class ResolutionStore implements ResolutionBook {
  readonly db: Database.Database;

  constructor(store: Store) {
    if (!(store instanceof SqliteStore)) {
      throw new InterdictError(
        "INTERDICT_E_USAGE",
        "ResolutionStore is the SQLite store's; use resolutionOf(store) for either store",
      );
    }
    this.db = store.db;
    this.db.exec(SCHEMA);
  }

  lastRun(): RunInfo | undefined {
    const r = this.db.prepare(SQL_LAST_RUN).get() as RunRow | undefined;
    return r && toRunInfo(r);
  }

  /** Entity id → canonical id, for the merged entities of the last run. */
  previous(): Map<string, string> {
    const rows = this.db.prepare("SELECT entity_id, canonical_id FROM resolve_member").all() as {
      entity_id: string;
      canonical_id: string;
    }[];
    return new Map(rows.map((r) => [r.entity_id, r.canonical_id]));
  }

  judgements(): Map<string, Judgement> {
    const rows = this.db.prepare("SELECT a, b, judgement FROM resolve_judgement").all() as {
      a: string;
      b: string;
      judgement: Judgement;
    }[];
    return new Map(rows.map((r) => [pairKey(r.a, r.b), r.judgement]));
  }

  judgementRows(): JudgementRow[] {
    const rows = this.db.prepare("SELECT * FROM resolve_judgement ORDER BY created_at, a, b").all() as {
      a: string;
      b: string;
      judgement: Judgement;
      author: string;
      note: string | null;
      created_at: string;
    }[];
    return rows.map((r) => ({
      a: r.a,
      b: r.b,
      judgement: r.judgement,
      author: r.author,
      ...(r.note ? { note: r.note } : {}),
      createdAt: r.created_at,
    }));
  }

  judge(a: string, b: string, judgement: string, author: string, note?: string): void {
    const [x, y] = judged(a, b, judgement);
    this.db
      .prepare(
        `INSERT INTO resolve_judgement (a, b, judgement, author, note, created_at) VALUES (?, ?, ?, ?, ?, ?)
         ON CONFLICT (a, b) DO UPDATE SET judgement = excluded.judgement, author = excluded.author,
           note = excluded.note, created_at = excluded.created_at`,
      )
      .run(x, y, judgement, author, note ?? null, new Date().toISOString());
  }

  edges(): Edge[] {
    return this.db.prepare("SELECT * FROM resolve_edge ORDER BY score DESC, a, b").all() as Edge[];
  }

  twins(): Map<string, boolean> {
    const rows = this.db.prepare("SELECT a, b, ok FROM resolve_twin").all() as {
      a: string;
      b: string;
      ok: number;
    }[];
    return new Map(rows.map((r) => [pairKey(r.a, r.b), r.ok === 1]));
  }

  /** Canonical id of an entity id (itself when it was never merged); undefined for an unknown merged id. */
  canonicalOf(id: string): string | undefined {
    const r = this.db.prepare("SELECT canonical_id FROM resolve_member WHERE entity_id = ?").get(id) as
      | { canonical_id: string }
      | undefined;
    if (r) return r.canonical_id;
    if (id.startsWith("ik-")) {
      const m = this.db.prepare("SELECT 1 FROM resolve_member WHERE canonical_id = ? LIMIT 1").get(id);
      return m ? id : undefined;
    }
    return id;
  }

  members(canonicalId: string): string[] {
    const rows = this.db
      .prepare("SELECT entity_id FROM resolve_member WHERE canonical_id = ? ORDER BY entity_id")
      .all(canonicalId) as { entity_id: string }[];
    return rows.map((r) => r.entity_id);
  }

  merges(canonicalId: string): MergeRow[] {
    return this.db
      .prepare(
        "SELECT a, b, how, score, reason FROM resolve_merge WHERE canonical_id = ? ORDER BY score DESC, a, b",
      )
      .all(canonicalId) as MergeRow[];
  }

  /** Every merged entity: canonical id → members. */
  allMerged(): Map<string, string[]> {
    return byCanonical(this.db.prepare(SQL_MEMBERS).all() as MemberRow[]);
  }

  /** Replaces the last run's results. Only merged entities are written: a single entry is its own canonical entity. */
  save(
    run: { scope: string; versions: readonly ListVersionRef[]; counts: Record<string, number> } | undefined,
    edges: readonly Edge[] | undefined,
    twins: ReadonlyMap<string, boolean> | undefined,
    clusters: Clusters,
  ): void {
    this.db.transaction(() => {
      if (run) {
        this.db
          .prepare("INSERT INTO resolve_run (created_at, scope, versions, counts) VALUES (?, ?, ?, ?)")
          .run(new Date().toISOString(), run.scope, JSON.stringify(run.versions), JSON.stringify(run.counts));
      }
      if (edges) {
        this.db.exec("DELETE FROM resolve_edge");
        const ins = this.db.prepare(
          "INSERT OR REPLACE INTO resolve_edge (a, b, score, names, decision, reason) VALUES (?, ?, ?, ?, ?, ?)",
        );
        for (const e of edges) ins.run(e.a, e.b, e.score, e.names, e.decision, e.reason);
      }
      if (twins) {
        this.db.exec("DELETE FROM resolve_twin");
        const ins = this.db.prepare("INSERT OR REPLACE INTO resolve_twin (a, b, ok) VALUES (?, ?, ?)");
        for (const [k, ok] of twins) {
          const [a, b] = k.split("\u0000") as [string, string];
          ins.run(a, b, ok ? 1 : 0);
        }
      }
      this.db.exec("DELETE FROM resolve_member; DELETE FROM resolve_merge;");
      const rows = clusterRows(clusters);
      const mem = this.db.prepare("INSERT INTO resolve_member (entity_id, canonical_id) VALUES (?, ?)");
      for (const [m, id] of rows.members) mem.run(m, id);
      const mer = this.db.prepare(
        "INSERT OR REPLACE INTO resolve_merge (canonical_id, a, b, how, score, reason) VALUES (?, ?, ?, ?, ?, ?)",
      );
      for (const e of rows.merges) mer.run(e.canonical, e.a, e.b, e.how, e.score, e.reason);
    })();
  }

  private turn: Promise<unknown> = Promise.resolve();

  /**
   * Runs of this process take turns (`save` is one transaction, and a SQLite file has one
   * writer at a time).
   */
  exclusive<T>(fn: () => Promise<T>): Promise<T> {
    const mine = this.turn.then(fn, fn);
    this.turn = mine.catch(() => {});
    return mine;
  }
}

// Ids compare byte-wise (COLLATE "C"), so orders are SQLite's; scores are doubles as SQLite's REAL.
const PG_MIGRATIONS: readonly string[] = [
  `CREATE TABLE resolve_run (
     id SERIAL PRIMARY KEY,
     created_at TEXT NOT NULL,
     scope TEXT NOT NULL,
     versions TEXT NOT NULL,
     counts TEXT NOT NULL
   );
   CREATE TABLE resolve_edge (
     a TEXT COLLATE "C" NOT NULL, b TEXT COLLATE "C" NOT NULL,
     score DOUBLE PRECISION NOT NULL, names DOUBLE PRECISION NOT NULL,
     decision TEXT NOT NULL, reason TEXT NOT NULL,
     PRIMARY KEY (a, b)
   );
   CREATE TABLE resolve_twin (
     a TEXT COLLATE "C" NOT NULL, b TEXT COLLATE "C" NOT NULL, ok BOOLEAN NOT NULL,
     PRIMARY KEY (a, b)
   );
   CREATE TABLE resolve_member (
     entity_id TEXT COLLATE "C" PRIMARY KEY,
     canonical_id TEXT COLLATE "C" NOT NULL
   );
   CREATE INDEX resolve_member_canonical ON resolve_member (canonical_id);
   CREATE TABLE resolve_merge (
     canonical_id TEXT COLLATE "C" NOT NULL,
     a TEXT COLLATE "C" NOT NULL, b TEXT COLLATE "C" NOT NULL,
     how TEXT NOT NULL, score DOUBLE PRECISION NOT NULL, reason TEXT NOT NULL,
     PRIMARY KEY (canonical_id, a, b)
   );
   CREATE TABLE resolve_judgement (
     a TEXT COLLATE "C" NOT NULL, b TEXT COLLATE "C" NOT NULL,
     judgement TEXT NOT NULL,
     author TEXT NOT NULL,
     note TEXT,
     created_at TEXT NOT NULL,
     PRIMARY KEY (a, b)
   );`,
];

/** The schema's resolution lock (a one-key advisory lock: apart from the store's two-key ones). */
const PG_LOCK = "hashtextextended('interdict_resolve:' || current_schema(), 0)";

/** Rows per INSERT … SELECT FROM unnest(…) while saving. */
const PG_CHUNK = 5000;

async function insertColumns(
  client: pg.ClientBase,
  sql: string,
  rows: readonly unknown[][],
  width: number,
): Promise<void> {
  for (let i = 0; i < rows.length; i += PG_CHUNK) {
    const chunk = rows.slice(i, i + PG_CHUNK);
    const columns = Array.from({ length: width }, (_, c) => chunk.map((r) => r[c]));
    await client.query(sql, columns);
  }
}

export class PgResolutionStore implements ResolutionBook {
  private readonly ready: Promise<void>;

  constructor(readonly store: PostgresStore) {
    this.ready = store.migrate("resolve", PG_MIGRATIONS);
    this.ready.catch(() => {}); // reported by the first call
  }

  private async q<R extends pg.QueryResultRow>(text: string, values: unknown[] = []): Promise<R[]> {
    await this.ready;
    return this.store.query<R>(text, values);
  }

  async lastRun(): Promise<RunInfo | undefined> {
    const [r] = await this.q<RunRow>(SQL_LAST_RUN);
    return r && toRunInfo(r);
  }

  async previous(): Promise<Map<string, string>> {
    const rows = await this.q<{ entity_id: string; canonical_id: string }>(
      "SELECT entity_id, canonical_id FROM resolve_member",
    );
    return new Map(rows.map((r) => [r.entity_id, r.canonical_id]));
  }

  async judgements(): Promise<Map<string, Judgement>> {
    const rows = await this.q<{ a: string; b: string; judgement: Judgement }>(
      "SELECT a, b, judgement FROM resolve_judgement",
    );
    return new Map(rows.map((r) => [pairKey(r.a, r.b), r.judgement]));
  }

  async judgementRows(): Promise<JudgementRow[]> {
    const rows = await this.q<{
      a: string;
      b: string;
      judgement: Judgement;
      author: string;
      note: string | null;
      created_at: string;
    }>("SELECT * FROM resolve_judgement ORDER BY created_at, a, b");
    return rows.map((r) => ({
      a: r.a,
      b: r.b,
      judgement: r.judgement,
      author: r.author,
      ...(r.note ? { note: r.note } : {}),
      createdAt: r.created_at,
    }));
  }

  async judge(a: string, b: string, judgement: string, author: string, note?: string): Promise<void> {
    const [x, y] = judged(a, b, judgement);
    await this.q(
      `INSERT INTO resolve_judgement (a, b, judgement, author, note, created_at) VALUES ($1, $2, $3, $4, $5, $6)
       ON CONFLICT (a, b) DO UPDATE SET judgement = excluded.judgement, author = excluded.author,
         note = excluded.note, created_at = excluded.created_at`,
      [x, y, judgement, author, note ?? null, new Date().toISOString()],
    );
  }

  async edges(): Promise<Edge[]> {
    return this.q<Edge>(
      "SELECT a, b, score, names, decision, reason FROM resolve_edge ORDER BY score DESC, a, b",
    );
  }

  async twins(): Promise<Map<string, boolean>> {
    const rows = await this.q<{ a: string; b: string; ok: boolean }>("SELECT a, b, ok FROM resolve_twin");
    return new Map(rows.map((r) => [pairKey(r.a, r.b), r.ok]));
  }

  async canonicalOf(id: string): Promise<string | undefined> {
    const [r] = await this.q<{ canonical_id: string }>(
      "SELECT canonical_id FROM resolve_member WHERE entity_id = $1",
      [id],
    );
    if (r) return r.canonical_id;
    if (id.startsWith("ik-")) {
      const m = await this.q("SELECT 1 FROM resolve_member WHERE canonical_id = $1 LIMIT 1", [id]);
      return m.length ? id : undefined;
    }
    return id;
  }

  async members(canonicalId: string): Promise<string[]> {
    const rows = await this.q<{ entity_id: string }>(
      "SELECT entity_id FROM resolve_member WHERE canonical_id = $1 ORDER BY entity_id",
      [canonicalId],
    );
    return rows.map((r) => r.entity_id);
  }

  async merges(canonicalId: string): Promise<MergeRow[]> {
    return this.q<MergeRow>(
      "SELECT a, b, how, score, reason FROM resolve_merge WHERE canonical_id = $1 ORDER BY score DESC, a, b",
      [canonicalId],
    );
  }

  async allMerged(): Promise<Map<string, string[]>> {
    return byCanonical(await this.q<MemberRow>(SQL_MEMBERS));
  }

  async save(
    run: { scope: string; versions: readonly ListVersionRef[]; counts: Record<string, number> } | undefined,
    edges: readonly Edge[] | undefined,
    twins: ReadonlyMap<string, boolean> | undefined,
    clusters: Clusters,
  ): Promise<void> {
    await this.ready;
    await this.store.transaction(async (_q, client) => {
      if (run) {
        await client.query(
          "INSERT INTO resolve_run (created_at, scope, versions, counts) VALUES ($1, $2, $3, $4)",
          [new Date().toISOString(), run.scope, JSON.stringify(run.versions), JSON.stringify(run.counts)],
        );
      }
      if (edges) {
        await client.query("DELETE FROM resolve_edge");
        await insertColumns(
          client,
          `INSERT INTO resolve_edge (a, b, score, names, decision, reason)
           SELECT * FROM unnest($1::text[], $2::text[], $3::float8[], $4::float8[], $5::text[], $6::text[])
           ON CONFLICT (a, b) DO UPDATE SET score = excluded.score, names = excluded.names,
             decision = excluded.decision, reason = excluded.reason`,
          edges.map((e) => [e.a, e.b, e.score, e.names, e.decision, e.reason]),
          6,
        );
      }
      if (twins) {
        await client.query("DELETE FROM resolve_twin");
        await insertColumns(
          client,
          `INSERT INTO resolve_twin (a, b, ok) SELECT * FROM unnest($1::text[], $2::text[], $3::bool[])
           ON CONFLICT (a, b) DO UPDATE SET ok = excluded.ok`,
          [...twins].map(([k, ok]) => [...k.split("\u0000"), ok]),
          3,
        );
      }
      await client.query("DELETE FROM resolve_member");
      await client.query("DELETE FROM resolve_merge");
      const rows = clusterRows(clusters);
      await insertColumns(
        client,
        "INSERT INTO resolve_member (entity_id, canonical_id) SELECT * FROM unnest($1::text[], $2::text[])",
        rows.members,
        2,
      );
      await insertColumns(
        client,
        `INSERT INTO resolve_merge (canonical_id, a, b, how, score, reason)
         SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::float8[], $6::text[])`,
        rows.merges.map((e) => [e.canonical, e.a, e.b, e.how, e.score, e.reason]),
        6,
      );
    });
  }

  /**
   * Holds the schema's resolution lock (a session advisory lock on a connection of its own)
   * while `fn` runs: another process's run waits for it, then reads what this one saved.
   */
  async exclusive<T>(fn: () => Promise<T>): Promise<T> {
    await this.ready;
    const client = await this.store.connect();
    try {
      await client.query(`SELECT pg_advisory_lock(${PG_LOCK})`);
      return await fn();
    } finally {
      await client.query(`SELECT pg_advisory_unlock(${PG_LOCK})`).catch(() => {});
      await client.end().catch(() => {});
    }
  }
}

const books = new WeakMap<Store, ResolutionBook>();

/** The resolution book on the store's own engine (one object per store). */
export function resolutionOf(store: Store): ResolutionBook {
  let b = books.get(store);
  if (b) return b;
  if (store instanceof SqliteStore) b = new ResolutionStore(store);
  else if (store instanceof PostgresStore) b = new PgResolutionStore(store);
  else throw new InterdictError("INTERDICT_E_USAGE", "resolution needs a SQLite or PostgreSQL store");
  books.set(store, b);
  return b;
}
