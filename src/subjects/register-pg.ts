// The subject register on PostgreSQL: the same tables and contract as SubjectRegister
// (register.ts), asynchronous, with every statement in `PG` below. A batch of an import is
// copied (COPY, pg-copy-streams) into a temporary table, then one statement upserts the rows by
// id where their fingerprint changed and writes the history rows of exactly those, in the
// batch's transaction, so the register and its history commit together. Ids compare in "C"
// collation: pages come in the order SQLite gives.

import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import copyStreams from "pg-copy-streams";
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
  // The batch, per connection; emptied when its transaction ends.
  batchTable: `CREATE TEMP TABLE IF NOT EXISTS subject_batch (
      id TEXT COLLATE "C", schema TEXT, name TEXT, data TEXT, hash TEXT, source TEXT
    ) ON COMMIT DELETE ROWS`,
  copyBatch: "COPY subject_batch (id, schema, name, data, hash, source) FROM STDIN",
  // $1: the time. `xmax = 0` tells a row inserted from one updated.
  upsert: `WITH up AS (
      INSERT INTO subject AS s (id, schema, name, data, hash, created_at, updated_at)
      SELECT id, schema, name, data, hash, $1, $1 FROM subject_batch
      ON CONFLICT (id) DO UPDATE SET schema = excluded.schema, name = excluded.name, data = excluded.data,
        hash = excluded.hash, updated_at = excluded.updated_at
      WHERE s.hash <> excluded.hash
      RETURNING s.id, (s.xmax = 0) AS inserted
    )
    INSERT INTO subject_history (subject_id, at, change, data, source)
    SELECT up.id, $1, CASE WHEN up.inserted THEN 'added' ELSE 'changed' END, t.data, t.source
    FROM up JOIN subject_batch t ON t.id = up.id
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

/** A value in COPY's text format: backslash escapes, \N for null. */
function copyValue(v: string | null | undefined): string {
  if (v == null) return "\\N";
  return v.replace(/[\\\n\r\t]/g, (c) =>
    c === "\\" ? "\\\\" : c === "\n" ? "\\n" : c === "\r" ? "\\r" : "\\t",
  );
}

const copyRow = (values: (string | null | undefined)[]): string => `${values.map(copyValue).join("\t")}\n`;

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

  /** One transaction for the whole batch: COPY in, one statement. */
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
    await this.store.transaction(async (_q, client) => {
      await client.query(PG.batchTable);
      await pipeline(
        Readable.from(
          (function* () {
            // A few hundred rows per write: fewer writes than one per row, no giant string.
            for (let i = 0; i < rows.length; i += 500) {
              yield rows
                .slice(i, i + 500)
                .map((x) => copyRow([x.id, x.query.schema, x.query.names[0], x.data, x.hash, x.source]))
                .join("");
            }
          })(),
        ),
        client.query(copyStreams.from(PG.copyBatch)),
      );
      const r = await client.query<{ id: string; change: "added" | "changed" }>(PG.upsert, [at]);
      for (const { id, change } of r.rows) changed.set(id, change);
    });
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
