// What monitoring remembers between runs: for each dataset, the list version every screened
// subject has been checked against, and a log of each re-screen (what changed, how many pairs
// were scored, what alerts came of it). All of monitoring's own SQL is in this file.

import type Database from "better-sqlite3";
import { ownTables } from "../store/sqlite.js";
import type { Store } from "../store/store.js";

const SCHEMA = `
  CREATE TABLE IF NOT EXISTS monitor_state (
    dataset TEXT PRIMARY KEY,
    version_id INTEGER NOT NULL,
    at TEXT NOT NULL
  );
  CREATE TABLE IF NOT EXISTS monitor_log (
    id INTEGER PRIMARY KEY,
    at TEXT NOT NULL,
    kind TEXT NOT NULL,
    dataset TEXT,
    from_version TEXT,
    to_version TEXT,
    detail TEXT NOT NULL
  );`;

export interface LogEntry {
  readonly id: number;
  readonly at: string;
  /** `delta`: a list version against the subjects; `subjects`: new or changed subjects against the lists. */
  readonly kind: "delta" | "subjects";
  readonly dataset?: string;
  readonly fromVersion?: string;
  readonly toVersion?: string;
  readonly detail: Readonly<Record<string, unknown>>;
}

type Awaitable<T> = T | Promise<T>;

/** A monitor_log row as both engines store it. */
export interface LogRow {
  id: number;
  at: string;
  kind: LogEntry["kind"];
  dataset: string | null;
  from_version: string | null;
  to_version: string | null;
  detail: string;
}

/** An entry's columns in insert order: at, kind, dataset, from_version, to_version, detail. */
export const logValues = (entry: Omit<LogEntry, "id" | "at">, at: string): unknown[] => [
  at,
  entry.kind,
  entry.dataset ?? null,
  entry.fromVersion ?? null,
  entry.toVersion ?? null,
  JSON.stringify(entry.detail),
];

export const toLogEntry = (r: LogRow): LogEntry => ({
  id: r.id,
  at: r.at,
  kind: r.kind,
  ...(r.dataset ? { dataset: r.dataset } : {}),
  ...(r.from_version ? { fromVersion: r.from_version } : {}),
  ...(r.to_version ? { toVersion: r.to_version } : {}),
  detail: JSON.parse(r.detail) as Record<string, unknown>,
});

/**
 * What monitoring remembers, on either engine: MonitorLog (SQLite, synchronous) and PgMonitorLog
 * (PostgreSQL, log-pg.ts) both are one. Callers await every result.
 */
export interface MonitorRecord {
  state(dataset: string): Awaitable<number | undefined>;
  setState(dataset: string, versionId: number, at?: string): Awaitable<void>;
  add(entry: Omit<LogEntry, "id" | "at">, at?: string): Awaitable<void>;
  lastId(): Awaitable<number>;
  since(id: number): Awaitable<LogEntry[]>;
  /**
   * The entries this record added after entry `id`: a round's own, not those another process's
   * round wrote meanwhile (two rounds waiting on each other would otherwise each report both).
   */
  added(id: number): Awaitable<LogEntry[]>;
  /**
   * Runs one monitoring round with no other round on the same store at the same time (on
   * PostgreSQL, other processes included); SQLite's writer lock and one process per file do that
   * there.
   */
  exclusive<T>(round: () => Promise<T>): Promise<T>;
}

export class MonitorLog implements MonitorRecord {
  private readonly s;
  /** Ids of the entries this process added. */
  private readonly own = new Set<number>();

  constructor(db: Database.Database) {
    db.exec(SCHEMA);
    this.s = {
      state: db.prepare("SELECT version_id FROM monitor_state WHERE dataset = ?"),
      setState: db.prepare("INSERT OR REPLACE INTO monitor_state (dataset, version_id, at) VALUES (?, ?, ?)"),
      log: db.prepare(
        "INSERT INTO monitor_log (at, kind, dataset, from_version, to_version, detail) VALUES (?, ?, ?, ?, ?, ?)",
      ),
      since: db.prepare("SELECT * FROM monitor_log WHERE id > ? ORDER BY id"),
      last: db.prepare("SELECT coalesce(max(id), 0) AS id FROM monitor_log"),
    };
  }

  /** The version of `dataset` all screened subjects were last checked against. */
  state(dataset: string): number | undefined {
    return (this.s.state.get(dataset) as { version_id: number } | undefined)?.version_id;
  }

  setState(dataset: string, versionId: number, at = new Date().toISOString()): void {
    this.s.setState.run(dataset, versionId, at);
  }

  add(entry: Omit<LogEntry, "id" | "at">, at = new Date().toISOString()): void {
    const r = this.s.log.run(...logValues(entry, at));
    this.own.add(Number(r.lastInsertRowid));
  }

  exclusive<T>(round: () => Promise<T>): Promise<T> {
    return round();
  }

  lastId(): number {
    return (this.s.last.get() as { id: number }).id;
  }

  since(id: number): LogEntry[] {
    return (this.s.since.all(id) as LogRow[]).map(toLogEntry);
  }

  added(id: number): LogEntry[] {
    return this.since(id).filter((e) => this.own.has(e.id));
  }
}

const logs = new WeakMap<Database.Database, MonitorLog>();

export function monitorLogOf(store: Store): MonitorLog {
  return ownTables(store, "monitoring needs a SQLite store in this build", logs, (db) => new MonitorLog(db));
}
