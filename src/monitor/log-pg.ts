// What monitoring remembers between runs, on PostgreSQL: the same tables as MonitorLog (log.ts),
// and the lock that keeps two monitoring rounds on one schema — two `interdict monitor` processes,
// or replicas running the ingest hook — from running at the same time: a session advisory lock
// on a connection of its own, held for the round, released when the round ends or the process
// dies. The second round waits, then finds the versions the first screened recorded as done.

import type { PostgresStore } from "../store/postgres.js";
import { type LogEntry, type LogRow, logValues, type MonitorRecord, toLogEntry } from "./log.js";

const PG = {
  migrations: [
    `CREATE TABLE monitor_state (
       dataset TEXT PRIMARY KEY,
       version_id INTEGER NOT NULL,
       at TEXT NOT NULL
     );
     CREATE TABLE monitor_log (
       id SERIAL PRIMARY KEY,
       at TEXT NOT NULL,
       kind TEXT NOT NULL,
       dataset TEXT,
       from_version TEXT,
       to_version TEXT,
       detail TEXT NOT NULL
     );`,
  ],
  state: "SELECT version_id FROM monitor_state WHERE dataset = $1",
  setState: `INSERT INTO monitor_state (dataset, version_id, at) VALUES ($1, $2, $3)
    ON CONFLICT (dataset) DO UPDATE SET version_id = excluded.version_id, at = excluded.at`,
  log: `INSERT INTO monitor_log (at, kind, dataset, from_version, to_version, detail)
    VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`,
  since: "SELECT * FROM monitor_log WHERE id > $1 ORDER BY id",
  last: "SELECT coalesce(max(id), 0)::int AS id FROM monitor_log",
  // One bigint key (the store's own locks use two int keys: another key space) per schema.
  lock: "SELECT pg_advisory_lock(hashtextextended('interdict_monitor:' || current_schema(), 0))",
  unlock: "SELECT pg_advisory_unlock(hashtextextended('interdict_monitor:' || current_schema(), 0))",
} as const;

export class PgMonitorLog implements MonitorRecord {
  private readonly ready: Promise<void>;
  /** Ids of the entries this process added (what `added` answers). */
  private readonly own = new Set<number>();

  constructor(private readonly store: PostgresStore) {
    this.ready = store.migrate("monitor", PG.migrations);
    this.ready.catch(() => {}); // reported by the first call
  }

  private async q<R extends object>(text: string, values: unknown[] = []): Promise<R[]> {
    await this.ready;
    return this.store.query<R & Record<string, unknown>>(text, values);
  }

  async state(dataset: string): Promise<number | undefined> {
    const [row] = await this.q<{ version_id: number }>(PG.state, [dataset]);
    return row?.version_id;
  }

  async setState(dataset: string, versionId: number, at = new Date().toISOString()): Promise<void> {
    await this.q(PG.setState, [dataset, versionId, at]);
  }

  async add(entry: Omit<LogEntry, "id" | "at">, at = new Date().toISOString()): Promise<void> {
    const [row] = await this.q<{ id: number }>(PG.log, logValues(entry, at));
    if (row) this.own.add(row.id);
  }

  async lastId(): Promise<number> {
    const [row] = await this.q<{ id: number }>(PG.last);
    return row?.id ?? 0;
  }

  async since(id: number): Promise<LogEntry[]> {
    return (await this.q<LogRow>(PG.since, [id])).map(toLogEntry);
  }

  async added(id: number): Promise<LogEntry[]> {
    return (await this.since(id)).filter((e) => this.own.has(e.id));
  }

  /** The round under the schema's monitoring lock, on a connection of its own (not the pool's). */
  async exclusive<T>(round: () => Promise<T>): Promise<T> {
    await this.ready;
    const client = await this.store.connect();
    try {
      await client.query(PG.lock);
      try {
        return await round();
      } finally {
        await client.query(PG.unlock).catch(() => {});
      }
    } finally {
      await client.end().catch(() => {});
    }
  }
}
