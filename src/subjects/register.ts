// The subject register: customers kept in the store, upserted by id, every change kept in their
// history, and which version of each subject the lists last screened (so monitoring knows what
// is new or changed). All of the register's SQL is in this file.

import type Database from "better-sqlite3";
import { InterdictError } from "../errors.js";
import type { Query } from "../match/subject.js";
import { ownTables } from "../store/sqlite.js";
import type { Store } from "../store/store.js";
import { canonicalQuery, type Subject, subjectFingerprint } from "./subject.js";

const SCHEMA = `
  CREATE TABLE IF NOT EXISTS subject (
    id TEXT PRIMARY KEY,
    schema TEXT,
    name TEXT NOT NULL,
    data TEXT NOT NULL,
    hash TEXT NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    screened_hash TEXT,
    screened_at TEXT
  ) WITHOUT ROWID;
  CREATE TABLE IF NOT EXISTS subject_history (
    seq INTEGER PRIMARY KEY,
    subject_id TEXT NOT NULL,
    at TEXT NOT NULL,
    change TEXT NOT NULL,
    data TEXT,
    source TEXT
  );
  CREATE INDEX IF NOT EXISTS subject_history_subject ON subject_history (subject_id, seq);`;

export type SubjectChange = "added" | "changed" | "unchanged" | "removed";

export interface StoredSubject extends Subject {
  readonly hash: string;
  readonly createdAt: string;
  readonly updatedAt: string;
  /** When the subject as it now is was last screened against the lists; absent: never. */
  readonly screenedAt?: string;
}

export type Awaitable<T> = T | Promise<T>;

/**
 * The register as monitoring, import and the CLI use it, on either engine: SubjectRegister
 * (SQLite, synchronous) and PgSubjectRegister (PostgreSQL, src/subjects/register-pg.ts) both are
 * one. Callers await every result.
 */
export interface SubjectBook {
  upsert(subject: Subject, source?: string, at?: string): Awaitable<Exclude<SubjectChange, "removed">>;
  /** Upserts many in one transaction; ids must be distinct. Changes in the batch's order. */
  upsertMany(
    batch: readonly { subject: Subject; source?: string }[],
    at?: string,
  ): Awaitable<Exclude<SubjectChange, "removed">[]>;
  remove(id: string, source?: string, at?: string): Awaitable<boolean>;
  /** Removes many in one transaction; how many there were. */
  removeMany(ids: readonly string[], source?: string, at?: string): Awaitable<number>;
  get(id: string): Awaitable<StoredSubject | undefined>;
  history(id: string): Awaitable<HistoryEntry[]>;
  list(opts?: { after?: string; limit?: number }): Awaitable<StoredSubject[]>;
  counts(): Awaitable<{ subjects: number; pending: number; screened: number }>;
  chunks(
    which: "all" | "pending" | "screened",
    size: number,
  ): Iterable<StoredSubject[]> | AsyncIterable<StoredSubject[]>;
  markScreened(subjects: readonly { id: string; hash: string }[], at?: string): Awaitable<void>;
}

/** A subject checked as the register takes it: its canonical query, fingerprint and JSON. */
export function checkedSubject(subject: Subject): { query: Query; hash: string; data: string } {
  if (!subject.id.trim()) throw new InterdictError("INTERDICT_E_USAGE", "a subject needs an id");
  const query = canonicalQuery(subject.query);
  if (!query.names.some((n) => n.trim())) {
    throw new InterdictError("INTERDICT_E_USAGE", "a subject needs a name", { record: subject.id });
  }
  return { query, hash: subjectFingerprint({ id: subject.id, query }), data: JSON.stringify(query) };
}

export interface HistoryEntry {
  readonly seq: number;
  readonly at: string;
  readonly change: Exclude<SubjectChange, "unchanged">;
  /** The subject after the change (absent for a removal). */
  readonly query?: Query;
  /** Where the change came from: a file and line, the API, the command line. */
  readonly source?: string;
}

export interface SubjectRow {
  id: string;
  data: string;
  hash: string;
  created_at: string;
  updated_at: string;
  screened_hash: string | null;
  screened_at: string | null;
}

export const toSubject = (r: SubjectRow): StoredSubject => ({
  id: r.id,
  query: JSON.parse(r.data) as Query,
  hash: r.hash,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
  ...(r.screened_at && r.screened_hash === r.hash ? { screenedAt: r.screened_at } : {}),
});

/** The register over one SQLite database; statements prepared once. */
export class SubjectRegister implements SubjectBook {
  readonly db: Database.Database;
  private readonly s;

  constructor(db: Database.Database) {
    this.db = db;
    db.exec(SCHEMA);
    this.s = {
      get: db.prepare("SELECT * FROM subject WHERE id = ?"),
      insert: db.prepare(
        "INSERT INTO subject (id, schema, name, data, hash, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
      ),
      update: db.prepare(
        "UPDATE subject SET schema = ?, name = ?, data = ?, hash = ?, updated_at = ? WHERE id = ?",
      ),
      delete: db.prepare("DELETE FROM subject WHERE id = ?"),
      history: db.prepare(
        "INSERT INTO subject_history (subject_id, at, change, data, source) VALUES (?, ?, ?, ?, ?)",
      ),
      historyOf: db.prepare("SELECT * FROM subject_history WHERE subject_id = ? ORDER BY seq"),
      page: db.prepare("SELECT * FROM subject WHERE id > ? ORDER BY id LIMIT ?"),
      pendingPage: db.prepare(
        "SELECT * FROM subject WHERE id > ? AND (screened_hash IS NULL OR screened_hash != hash) ORDER BY id LIMIT ?",
      ),
      screenedPage: db.prepare(
        "SELECT * FROM subject WHERE id > ? AND screened_hash IS NOT NULL ORDER BY id LIMIT ?",
      ),
      count: db.prepare(
        "SELECT count(*) AS n, coalesce(sum(screened_hash IS NULL OR screened_hash != hash), 0) AS pending FROM subject",
      ),
      screenedCount: db.prepare("SELECT count(*) AS n FROM subject WHERE screened_hash IS NOT NULL"),
      markScreened: db.prepare("UPDATE subject SET screened_hash = ?, screened_at = ? WHERE id = ?"),
    };
  }

  /** Adds or replaces a subject by id; a change is recorded in its history, sameness is not. */
  upsert(
    subject: Subject,
    source?: string,
    at = new Date().toISOString(),
  ): Exclude<SubjectChange, "removed"> {
    const { query, hash, data } = checkedSubject(subject);
    const before = this.s.get.get(subject.id) as SubjectRow | undefined;
    if (before?.hash === hash) return "unchanged";
    const change = before ? "changed" : "added";
    if (before) this.s.update.run(query.schema ?? null, query.names[0], data, hash, at, subject.id);
    else this.s.insert.run(subject.id, query.schema ?? null, query.names[0], data, hash, at, at);
    this.s.history.run(subject.id, at, change, data, source ?? null);
    return change;
  }

  upsertMany(
    batch: readonly { subject: Subject; source?: string }[],
    at = new Date().toISOString(),
  ): Exclude<SubjectChange, "removed">[] {
    distinctIds(batch.map((b) => b.subject.id));
    return this.transaction(() => batch.map((b) => this.upsert(b.subject, b.source, at)));
  }

  removeMany(ids: readonly string[], source?: string, at = new Date().toISOString()): number {
    return this.transaction(() => ids.filter((id) => this.remove(id, source, at)).length);
  }

  /** Removes a subject; its history (and any alerts about it) stay. False when there was none. */
  remove(id: string, source?: string, at = new Date().toISOString()): boolean {
    if (this.s.delete.run(id).changes === 0) return false;
    this.s.history.run(id, at, "removed", null, source ?? null);
    return true;
  }

  get(id: string): StoredSubject | undefined {
    const row = this.s.get.get(id) as SubjectRow | undefined;
    return row ? toSubject(row) : undefined;
  }

  history(id: string): HistoryEntry[] {
    return (
      this.s.historyOf.all(id) as {
        seq: number;
        at: string;
        change: HistoryEntry["change"];
        data: string | null;
        source: string | null;
      }[]
    ).map((r) => ({
      seq: r.seq,
      at: r.at,
      change: r.change,
      ...(r.data ? { query: JSON.parse(r.data) as Query } : {}),
      ...(r.source ? { source: r.source } : {}),
    }));
  }

  /** Subjects in id order, a page at a time: `after` is the last id of the previous page. */
  list(opts: { after?: string; limit?: number } = {}): StoredSubject[] {
    return (this.s.page.all(opts.after ?? "", opts.limit ?? 100) as SubjectRow[]).map(toSubject);
  }

  counts(): { subjects: number; pending: number; screened: number } {
    const { n, pending } = this.s.count.get() as { n: number; pending: number };
    const { n: screened } = this.s.screenedCount.get() as { n: number };
    return { subjects: n, pending, screened };
  }

  /**
   * Every subject in chunks, in id order: all of them, those never screened as they now are
   * (`pending`), or those screened at least once (`screened`, what a list change re-screens).
   * Each chunk is read when asked for, so memory holds one chunk.
   */
  *chunks(which: "all" | "pending" | "screened", size: number): Generator<StoredSubject[]> {
    const stmt =
      which === "pending" ? this.s.pendingPage : which === "screened" ? this.s.screenedPage : this.s.page;
    let after = "";
    for (;;) {
      const rows = stmt.all(after, size) as SubjectRow[];
      if (rows.length === 0) return;
      after = rows[rows.length - 1]?.id ?? after;
      yield rows.map(toSubject);
    }
  }

  /** Records that these subjects, as they were (their hashes), were screened at `at`. */
  markScreened(subjects: readonly { id: string; hash: string }[], at = new Date().toISOString()): void {
    this.db.transaction(() => {
      for (const s of subjects) this.s.markScreened.run(s.hash, at, s.id);
    })();
  }

  /** Runs `body` in one transaction (an import of many rows is one commit per batch). */
  transaction<T>(body: () => T): T {
    return this.db.transaction(body)();
  }
}

/** Refuses a batch naming one subject twice (which of the two would win is not defined). */
export function distinctIds(ids: readonly string[]): void {
  const seen = new Set<string>();
  for (const id of ids) {
    if (seen.has(id))
      throw new InterdictError("INTERDICT_E_USAGE", `subject ${id} appears twice in one batch`);
    seen.add(id);
  }
}

const registers = new WeakMap<Database.Database, SubjectRegister>();

/**
 * The SQLite register of a store, synchronous (the tables live beside the lists). Code that
 * runs on either engine uses `subjectsOf` (src/subjects/book.ts).
 */
export function registerOf(store: Store): SubjectRegister {
  return ownTables(
    store,
    "the subject register needs a SQLite store in this build",
    registers,
    (db) => new SubjectRegister(db),
  );
}
