// The audit log on PostgreSQL, for replicas sharing one database: the same entries, hash
// (`entryHash`) and check (`ChainWalk`) as the SQLite log (log.ts), so `interdict audit verify`
// judges both alike. What SQLite's single writer gave for free is the head row here: the
// migration writes it (seq 0, the genesis hash) and every append takes it `FOR UPDATE` before
// reading the last hash, so appends from any number of processes queue on that one row lock and
// the chain never forks; `seq` as the primary key refuses a second entry with the same number
// should anything else ever write. All of the PostgreSQL SQL for the log is in `PG` below.
// `auditTrailOf` answers the log of either store behind one asynchronous interface.

import { InterdictError } from "../errors.js";
import { PostgresStore, type Query } from "../store/postgres.js";
import { SqliteStore } from "../store/sqlite.js";
import type { Store } from "../store/store.js";
import {
  type AuditAction,
  type AuditEntry,
  type AuditRow,
  auditOf,
  ChainWalk,
  entryHash,
  GENESIS,
  toEntry,
  type Verification,
} from "./log.js";

// Text columns hold exactly the text that was hashed (detail and list_versions as JSON text,
// never jsonb, which would re-serialise it).
const PG = {
  migrations: [
    `CREATE TABLE audit_log (
       seq INTEGER PRIMARY KEY,
       at TEXT NOT NULL,
       actor TEXT NOT NULL,
       action TEXT NOT NULL,
       detail TEXT NOT NULL,
       list_versions TEXT NOT NULL,
       prev_hash TEXT NOT NULL,
       hash TEXT NOT NULL
     );
     CREATE INDEX audit_log_action ON audit_log (action, seq);
     CREATE TABLE audit_head (
       one INTEGER PRIMARY KEY CHECK (one = 1),
       seq INTEGER NOT NULL,
       hash TEXT NOT NULL
     );
     INSERT INTO audit_head (one, seq, hash) VALUES (1, 0, '${GENESIS}');`,
    // The entries of one alert, found without reading every decision (appendNew by "alert").
    `CREATE INDEX audit_log_alert ON audit_log (action, ((detail::jsonb) ->> 'alert'));`,
  ],
  // The lock every append queues on.
  lockHead: "SELECT seq, hash FROM audit_head WHERE one = 1 FOR UPDATE",
  head: "SELECT seq, hash FROM audit_head WHERE one = 1",
  insert: `INSERT INTO audit_log (seq, at, actor, action, detail, list_versions, prev_hash, hash)
    VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
  setHead: "UPDATE audit_head SET seq = $1, hash = $2 WHERE one = 1",
  // Keyset pages in seq order, for the check.
  chain: "SELECT * FROM audit_log WHERE seq > $1 ORDER BY seq LIMIT $2",
  page: `SELECT * FROM audit_log WHERE ($1 = '' OR action = $1) AND ($2 = '' OR actor = $2)
    AND seq < $3 ORDER BY seq DESC LIMIT $4`,
  ofAction: "SELECT detail FROM audit_log WHERE action = $1 ORDER BY seq",
  /** The keys among `$2` that entries of action `$1` already have (`key`: a checked name). */
  keysSeen: (key: string) =>
    `SELECT DISTINCT (detail::jsonb) ->> '${key}' AS k FROM audit_log
     WHERE action = $1 AND (detail::jsonb) ->> '${key}' = ANY($2::text[])`,
} as const;

/** Rows read back per page while checking the chain. */
const CHAIN_PAGE = 1000;

/** One event to append. */
export interface AuditEvent {
  readonly actor: string;
  readonly action: AuditAction;
  readonly detail?: Record<string, unknown>;
  readonly listVersions?: readonly string[];
  readonly at?: string;
}

/** The audit log of either store, asynchronous (the SQLite one answers at once). */
export interface AuditTrail {
  append(
    actor: string,
    action: AuditAction,
    detail?: Record<string, unknown>,
    listVersions?: readonly string[],
    at?: string,
  ): Promise<AuditEntry>;
  /**
   * Appends the events whose `detail[key]` (a string or a number) no entry of the same action
   * has yet, under the same lock as every append, so processes catching up together record each
   * event once.
   */
  appendNew(key: string, events: readonly AuditEvent[]): Promise<AuditEntry[]>;
  list(opts?: { action?: string; actor?: string; before?: number; limit?: number }): Promise<AuditEntry[]>;
  details(action: AuditAction): Promise<Record<string, unknown>[]>;
  verify(): Promise<Verification>;
}

/** The row of one event following `last` in the chain. */
function nextRow(last: { seq: number; hash: string }, e: AuditEvent): AuditRow {
  const row = {
    seq: last.seq + 1,
    at: e.at ?? new Date().toISOString(),
    actor: e.actor,
    action: e.action,
    detail: JSON.stringify(e.detail ?? {}),
    list_versions: JSON.stringify(e.listVersions ?? []),
    prev_hash: last.hash,
  };
  return { ...row, hash: entryHash(row) };
}

/** A scalar key as PostgreSQL's `->>` prints it (a number and its digits alike). */
function keyText(v: unknown): string {
  if (typeof v === "string" || typeof v === "number" || typeof v === "boolean") return String(v);
  throw new InterdictError(
    "INTERDICT_E_USAGE",
    `appendNew: an event's key must be a string or a number, not ${JSON.stringify(v)}`,
  );
}

/** The events whose key is not in `seen` (per action), each key once. */
function fresh(events: readonly AuditEvent[], key: string, seen: Map<string, Set<string>>): AuditEvent[] {
  return events.filter((e) => {
    let have = seen.get(e.action);
    if (!have) seen.set(e.action, (have = new Set()));
    const k = keyText(e.detail?.[key]);
    if (have.has(k)) return false;
    have.add(k);
    return true;
  });
}

export class PgAuditLog implements AuditTrail {
  private readonly ready: Promise<void>;

  constructor(private readonly store: PostgresStore) {
    this.ready = store.migrate("audit", PG.migrations);
    this.ready.catch(() => {}); // reported by the first call
  }

  /** Runs `fn` in one transaction holding the head row: the chain's one writer at a time. */
  private async locked<T>(fn: (q: Query, head: { seq: number; hash: string }) => Promise<T>): Promise<T> {
    await this.ready;
    return this.store.transaction(async (q) => {
      const [head] = await q<{ seq: number; hash: string }>(PG.lockHead);
      if (!head) {
        throw new InterdictError(
          "INTERDICT_E_USAGE",
          `the audit log in schema ${this.store.schema} has no head row`,
        );
      }
      return fn(q, head);
    });
  }

  private async write(q: Query, head: { seq: number; hash: string }, events: readonly AuditEvent[]) {
    const out: AuditEntry[] = [];
    let last = head;
    for (const e of events) {
      const r = nextRow(last, e);
      await q(PG.insert, [r.seq, r.at, r.actor, r.action, r.detail, r.list_versions, r.prev_hash, r.hash]);
      out.push(toEntry(r));
      last = r;
    }
    if (last !== head) await q(PG.setHead, [last.seq, last.hash]);
    return out;
  }

  async append(
    actor: string,
    action: AuditAction,
    detail: Record<string, unknown> = {},
    listVersions: readonly string[] = [],
    at = new Date().toISOString(),
  ): Promise<AuditEntry> {
    const [entry] = await this.locked((q, head) =>
      this.write(q, head, [{ actor, action, detail, listVersions, at }]),
    );
    return entry as AuditEntry;
  }

  /**
   * Appends `events` in the caller's transaction (`q` runs on its connection), taking the head
   * row there: the entries commit with what they record, or neither does. Take it last, after
   * the caller's own row locks, so appends elsewhere wait for as short a time as can be.
   */
  async appendIn(q: Query, events: readonly AuditEvent[]): Promise<AuditEntry[]> {
    await this.ready;
    const [head] = await q<{ seq: number; hash: string }>(PG.lockHead);
    if (!head) {
      throw new InterdictError(
        "INTERDICT_E_USAGE",
        `the audit log in schema ${this.store.schema} has no head row`,
      );
    }
    return this.write(q, head, events);
  }

  async appendNew(key: string, events: readonly AuditEvent[]): Promise<AuditEntry[]> {
    if (!/^[a-z_][a-z0-9_]*$/.test(key)) {
      throw new InterdictError("INTERDICT_E_USAGE", `appendNew: not a plain detail key: ${key}`, {
        field: "key",
      });
    }
    if (events.length === 0) return [];
    return this.locked(async (q, head) => {
      const seen = new Map<string, Set<string>>();
      for (const action of new Set(events.map((e) => e.action))) {
        const wanted = events.filter((e) => e.action === action).map((e) => keyText(e.detail?.[key]));
        const rows = await q<{ k: string }>(PG.keysSeen(key), [action, wanted]);
        seen.set(action, new Set(rows.map((r) => r.k)));
      }
      return this.write(q, head, fresh(events, key, seen));
    });
  }

  async list(
    opts: { action?: string; actor?: string; before?: number; limit?: number } = {},
  ): Promise<AuditEntry[]> {
    await this.ready;
    const rows = await this.store.query<AuditRow & Record<string, unknown>>(PG.page, [
      opts.action ?? "",
      opts.actor ?? "",
      opts.before ?? 2 ** 31 - 1,
      opts.limit ?? 100,
    ]);
    return rows.map(toEntry);
  }

  async details(action: AuditAction): Promise<Record<string, unknown>[]> {
    await this.ready;
    return (await this.store.query<{ detail: string }>(PG.ofAction, [action])).map(
      (r) => JSON.parse(r.detail) as Record<string, unknown>,
    );
  }

  /**
   * Walks the chain a page at a time in one repeatable-read transaction, so entries appended
   * meanwhile by other replicas are neither half seen nor taken for a removal at the head.
   */
  async verify(): Promise<Verification> {
    await this.ready;
    const client = await this.store.pool.connect();
    try {
      await client.query("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY");
      const walk = new ChainWalk();
      let after = 0;
      for (;;) {
        const { rows } = await client.query<AuditRow>(PG.chain, [after, CHAIN_PAGE]);
        for (const r of rows) {
          const bad = walk.step(r);
          if (bad) return bad;
        }
        const last = rows.at(-1);
        if (!last || rows.length < CHAIN_PAGE) break;
        after = last.seq;
      }
      const { rows: heads } = await client.query<{ seq: number; hash: string }>(PG.head);
      // The head row is written by the migration; a log without one had it deleted.
      return walk.end(heads[0] ?? { seq: -1, hash: "" });
    } finally {
      await client.query("COMMIT").catch(() => {});
      client.release();
    }
  }
}

/** The SQLite log behind the asynchronous interface; an append is in the caller's transaction if one is open. */
class SqliteTrail implements AuditTrail {
  constructor(private readonly store: SqliteStore) {}

  private get log() {
    return auditOf(this.store);
  }

  async append(
    actor: string,
    action: AuditAction,
    detail?: Record<string, unknown>,
    listVersions?: readonly string[],
    at?: string,
  ): Promise<AuditEntry> {
    return this.log.append(actor, action, detail, listVersions, at);
  }

  async appendNew(key: string, events: readonly AuditEvent[]): Promise<AuditEntry[]> {
    const log = this.log;
    return log.db.transaction(() => {
      const seen = new Map<string, Set<string>>();
      for (const action of new Set(events.map((e) => e.action))) {
        const have = log.details(action).map((d) => d[key]);
        seen.set(action, new Set(have.filter((k) => k !== undefined && k !== null).map(keyText)));
      }
      return fresh(events, key, seen).map((e) =>
        log.append(e.actor, e.action, e.detail, e.listVersions, e.at),
      );
    })();
  }

  async list(opts?: { action?: string; actor?: string; before?: number; limit?: number }) {
    return this.log.list(opts);
  }

  async details(action: AuditAction) {
    return this.log.details(action);
  }

  async verify() {
    return this.log.verify();
  }
}

const trails = new WeakMap<Store, AuditTrail>();

/** The audit log on the store's own engine (one object per store). */
export function auditTrailOf(store: Store): AuditTrail {
  let t = trails.get(store);
  if (t) return t;
  if (store instanceof SqliteStore) t = new SqliteTrail(store);
  else if (store instanceof PostgresStore) t = new PgAuditLog(store);
  else throw new InterdictError("INTERDICT_E_USAGE", "the audit log needs a SQLite or PostgreSQL store");
  trails.set(store, t);
  return t;
}
