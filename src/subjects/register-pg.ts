// The subject register on PostgreSQL: the same tables and contract as SubjectRegister
// (register.ts), asynchronous, with every statement in `PG` below. A batch of an import is one
// statement: the rows go in as arrays (unnest), are upserted by id where their fingerprint
// changed, and the history rows of exactly those are written by the same statement, so the
// register and its history commit together. Ids compare in "C" collation: pages come in the
// order SQLite gives.

import type { PostgresStore } from "../store/postgres.js";
import {
  checkedSubject,
  distinctIds,
  type HistoryEntry,
  type StoredSubject,
  type SubjectBook,
  type SubjectChange,
  type SubjectRow,
  toSubject,
} from "./register.js";
import type { Subject } from "./subject.js";

const PG = {
  migrations: [
    `CREATE TABLE subject (
       id TEXT COLLATE "C" PRIMARY KEY,
       schema TEXT,
       name TEXT NOT NULL,
       data TEXT NOT NULL,
       hash TEXT NOT NULL,
       created_at TEXT NOT NULL,
       updated_at TEXT NOT NULL,
       screened_hash TEXT,
       screened_at TEXT
     );
     CREATE TABLE subject_history (
       seq BIGSERIAL PRIMARY KEY,
       subject_id TEXT COLLATE "C" NOT NULL,
       at TEXT NOT NULL,
       change TEXT NOT NULL,
       data TEXT,
       source TEXT
     );
     CREATE INDEX subject_history_subject ON subject_history (subject_id, seq);`,
  ],
  // $1: the time; $2…$7: the batch as arrays. `xmax = 0` tells a row inserted from one updated.
  upsert: `WITH t AS (
      SELECT * FROM unnest($2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[])
        AS t(id, schema, name, data, hash, source)
    ), up AS (
      INSERT INTO subject AS s (id, schema, name, data, hash, created_at, updated_at)
      SELECT id, schema, name, data, hash, $1, $1 FROM t
      ON CONFLICT (id) DO UPDATE SET schema = excluded.schema, name = excluded.name, data = excluded.data,
        hash = excluded.hash, updated_at = excluded.updated_at
      WHERE s.hash <> excluded.hash
      RETURNING s.id, (s.xmax = 0) AS inserted
    )
    INSERT INTO subject_history (subject_id, at, change, data, source)
    SELECT up.id, $1, CASE WHEN up.inserted THEN 'added' ELSE 'changed' END, t.data, t.source
    FROM up JOIN t ON t.id = up.id
    RETURNING subject_id AS id, change`,
  remove: `WITH gone AS (DELETE FROM subject WHERE id = ANY($1::text[]) RETURNING id)
    INSERT INTO subject_history (subject_id, at, change, data, source)
    SELECT id, $2, 'removed', NULL, $3 FROM gone RETURNING subject_id`,
  get: "SELECT * FROM subject WHERE id = $1",
  history:
    "SELECT seq::float8 AS seq, at, change, data, source FROM subject_history WHERE subject_id = $1 ORDER BY seq",
  page: "SELECT * FROM subject WHERE id > $1 ORDER BY id LIMIT $2",
  pendingPage:
    "SELECT * FROM subject WHERE id > $1 AND (screened_hash IS NULL OR screened_hash <> hash) ORDER BY id LIMIT $2",
  screenedPage: "SELECT * FROM subject WHERE id > $1 AND screened_hash IS NOT NULL ORDER BY id LIMIT $2",
  counts: `SELECT count(*)::int AS subjects,
      count(*) FILTER (WHERE screened_hash IS NULL OR screened_hash <> hash)::int AS pending,
      count(*) FILTER (WHERE screened_hash IS NOT NULL)::int AS screened
    FROM subject`,
  markScreened: `UPDATE subject AS s SET screened_hash = t.hash, screened_at = $1
    FROM unnest($2::text[], $3::text[]) AS t(id, hash) WHERE s.id = t.id`,
} as const;

/** Rows per statement of an import: well under PostgreSQL's limits, few round trips. */
const ROWS_PER_STATEMENT = 5000;

export class PgSubjectRegister implements SubjectBook {
  private readonly ready: Promise<void>;

  constructor(private readonly store: PostgresStore) {
    this.ready = store.migrate("subjects", PG.migrations);
    this.ready.catch(() => {}); // reported by the first call
  }

  private async q<R extends object>(text: string, values: unknown[] = []): Promise<R[]> {
    await this.ready;
    return this.store.query<R & Record<string, unknown>>(text, values);
  }

  async upsert(
    subject: Subject,
    source?: string,
    at = new Date().toISOString(),
  ): Promise<Exclude<SubjectChange, "removed">> {
    const [change] = await this.upsertMany([{ subject, ...(source ? { source } : {}) }], at);
    return change ?? "unchanged";
  }

  /** One transaction for the whole batch (one statement per 5000 rows). */
  async upsertMany(
    batch: readonly { subject: Subject; source?: string }[],
    at = new Date().toISOString(),
  ): Promise<Exclude<SubjectChange, "removed">[]> {
    distinctIds(batch.map((b) => b.subject.id));
    const rows = batch.map((b) => ({
      id: b.subject.id,
      source: b.source ?? null,
      ...checkedSubject(b.subject),
    }));
    if (rows.length === 0) return [];
    await this.ready;
    const changed = new Map<string, "added" | "changed">();
    const client = await this.store.pool.connect();
    try {
      await client.query("BEGIN");
      for (let i = 0; i < rows.length; i += ROWS_PER_STATEMENT) {
        const part = rows.slice(i, i + ROWS_PER_STATEMENT);
        const r = await client.query<{ id: string; change: "added" | "changed" }>(PG.upsert, [
          at,
          part.map((x) => x.id),
          part.map((x) => x.query.schema ?? null),
          part.map((x) => x.query.names[0]),
          part.map((x) => x.data),
          part.map((x) => x.hash),
          part.map((x) => x.source),
        ]);
        for (const { id, change } of r.rows) changed.set(id, change);
      }
      await client.query("COMMIT");
    } catch (e) {
      await client.query("ROLLBACK").catch(() => {});
      throw e;
    } finally {
      client.release();
    }
    return rows.map((x) => changed.get(x.id) ?? "unchanged");
  }

  async remove(id: string, source?: string, at = new Date().toISOString()): Promise<boolean> {
    return (await this.removeMany([id], source, at)) > 0;
  }

  async removeMany(ids: readonly string[], source?: string, at = new Date().toISOString()): Promise<number> {
    if (ids.length === 0) return 0;
    return (await this.q(PG.remove, [ids, at, source ?? null])).length;
  }

  async get(id: string): Promise<StoredSubject | undefined> {
    const [row] = await this.q<SubjectRow>(PG.get, [id]);
    return row ? toSubject(row) : undefined;
  }

  async history(id: string): Promise<HistoryEntry[]> {
    const rows = await this.q<{
      seq: number;
      at: string;
      change: HistoryEntry["change"];
      data: string | null;
      source: string | null;
    }>(PG.history, [id]);
    return rows.map((r) => ({
      seq: r.seq,
      at: r.at,
      change: r.change,
      ...(r.data ? { query: JSON.parse(r.data) as StoredSubject["query"] } : {}),
      ...(r.source ? { source: r.source } : {}),
    }));
  }

  async list(opts: { after?: string; limit?: number } = {}): Promise<StoredSubject[]> {
    return (await this.q<SubjectRow>(PG.page, [opts.after ?? "", opts.limit ?? 100])).map(toSubject);
  }

  async counts(): Promise<{ subjects: number; pending: number; screened: number }> {
    const [c] = await this.q<{ subjects: number; pending: number; screened: number }>(PG.counts);
    return c ?? { subjects: 0, pending: 0, screened: 0 };
  }

  /** As SubjectRegister.chunks: one page read per chunk asked for. */
  async *chunks(which: "all" | "pending" | "screened", size: number): AsyncGenerator<StoredSubject[]> {
    const sql = which === "pending" ? PG.pendingPage : which === "screened" ? PG.screenedPage : PG.page;
    let after = "";
    for (;;) {
      const rows = await this.q<SubjectRow>(sql, [after, size]);
      if (rows.length === 0) return;
      after = rows[rows.length - 1]?.id ?? after;
      yield rows.map(toSubject);
    }
  }

  async markScreened(
    subjects: readonly { id: string; hash: string }[],
    at = new Date().toISOString(),
  ): Promise<void> {
    if (subjects.length === 0) return;
    await this.q(PG.markScreened, [at, subjects.map((s) => s.id), subjects.map((s) => s.hash)]);
  }
}
