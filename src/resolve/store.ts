// Where resolution keeps its results in the SQLite store: the last run's candidate pairs,
// canonical ids and merges, and analysts' judgements (which outlive runs and list versions,
// keyed by the two entity ids, which are stable across versions). All resolution SQL is here.

import type Database from "better-sqlite3";
import { InterdictError } from "../errors.js";
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

export class ResolutionStore {
  readonly db: Database.Database;

  constructor(store: Store) {
    if (!(store instanceof SqliteStore)) {
      throw new InterdictError("INTERDICT_E_USAGE", "resolution needs the SQLite store");
    }
    this.db = store.db;
    this.db.exec(SCHEMA);
  }

  lastRun(): RunInfo | undefined {
    const r = this.db.prepare("SELECT * FROM resolve_run ORDER BY id DESC LIMIT 1").get() as
      | { id: number; created_at: string; scope: string; versions: string; counts: string }
      | undefined;
    if (!r) return undefined;
    return {
      id: r.id,
      createdAt: r.created_at,
      scope: r.scope,
      versions: JSON.parse(r.versions),
      counts: JSON.parse(r.counts),
    };
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
    if (!JUDGEMENTS.includes(judgement as Judgement)) {
      throw new InterdictError(
        "INTERDICT_E_USAGE",
        `unknown judgement "${judgement}"; known: ${JUDGEMENTS.join(", ")}`,
      );
    }
    if (a === b) throw new InterdictError("INTERDICT_E_USAGE", "a pair needs two different entities");
    const [x, y] = a < b ? [a, b] : [b, a];
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
    const out = new Map<string, string[]>();
    const rows = this.db
      .prepare("SELECT entity_id, canonical_id FROM resolve_member ORDER BY entity_id")
      .all() as {
      entity_id: string;
      canonical_id: string;
    }[];
    for (const r of rows) out.set(r.canonical_id, [...(out.get(r.canonical_id) ?? []), r.entity_id]);
    return out;
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
      const mem = this.db.prepare("INSERT INTO resolve_member (entity_id, canonical_id) VALUES (?, ?)");
      for (const [id, ms] of clusters.members) if (ms.length > 1) for (const m of ms) mem.run(m, id);
      const mer = this.db.prepare(
        "INSERT OR REPLACE INTO resolve_merge (canonical_id, a, b, how, score, reason) VALUES (?, ?, ?, ?, ?, ?)",
      );
      for (const e of clusters.merged) {
        const c = clusters.canonical.get(e.a);
        if (c) mer.run(c, e.a, e.b, e.how, e.score, e.reason);
      }
    })();
  }
}
