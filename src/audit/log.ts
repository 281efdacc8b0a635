// The audit log: append-only, each entry chained to the one before by SHA-256 over its own
// fields and the previous entry's hash, so an edited entry breaks its own hash and a removed
// one breaks the chain (sequence gap or previous-hash mismatch). A separate head row keeps the
// count and last hash, so removing the newest entries is detected too. All the SQL is here.

import { createHash } from "node:crypto";
import type Database from "better-sqlite3";
import { ownTables } from "../store/sqlite.js";
import type { Store } from "../store/store.js";

const SQL = {
  schema: `
    CREATE TABLE IF NOT EXISTS audit_log (
      seq INTEGER PRIMARY KEY,
      at TEXT NOT NULL,
      actor TEXT NOT NULL,
      action TEXT NOT NULL,
      detail TEXT NOT NULL,
      list_versions TEXT NOT NULL,
      prev_hash TEXT NOT NULL,
      hash TEXT NOT NULL
    );
    CREATE TABLE IF NOT EXISTS audit_head (
      one INTEGER PRIMARY KEY CHECK (one = 1),
      seq INTEGER NOT NULL,
      hash TEXT NOT NULL
    );`,
  last: "SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1",
  insert: `INSERT INTO audit_log (seq, at, actor, action, detail, list_versions, prev_hash, hash)
           VALUES (@seq, @at, @actor, @action, @detail, @listVersions, @prevHash, @hash)`,
  head: "SELECT seq, hash FROM audit_head WHERE one = 1",
  setHead:
    "INSERT INTO audit_head (one, seq, hash) VALUES (1, ?, ?) ON CONFLICT (one) DO UPDATE SET seq = excluded.seq, hash = excluded.hash",
  all: "SELECT * FROM audit_log ORDER BY seq",
  page: `SELECT * FROM audit_log WHERE (@action = '' OR action = @action) AND (@actor = '' OR actor = @actor)
         AND seq < @before ORDER BY seq DESC LIMIT @limit`,
  ofAction: "SELECT detail FROM audit_log WHERE action = ?",
} as const;

/** The kinds of event the log records. */
export type AuditAction =
  | "ingest"
  | "login"
  | "login_failed"
  | "logout"
  | "user_created"
  | "decision_proposed"
  | "decision_confirmed"
  | "decision_returned"
  | "alert_taken"
  | "comment"
  | "attachment"
  | "report"
  | "key_change"
  | "config"
  | `designation_${string}`; // a registry step: designation_created, _approved, _publication…

export interface AuditEntry {
  readonly seq: number;
  readonly at: string;
  readonly actor: string;
  readonly action: string;
  readonly detail: Readonly<Record<string, unknown>>;
  /** The list versions current when the event happened (`dataset@version`). */
  readonly listVersions: readonly string[];
  readonly prevHash: string;
  readonly hash: string;
}

/** An entry as stored, on either engine: the fields the hash covers, text as written. */
export interface AuditRow {
  seq: number;
  at: string;
  actor: string;
  action: string;
  detail: string;
  list_versions: string;
  prev_hash: string;
  hash: string;
}

type Row = AuditRow;

/** The previous hash of the first entry (and the head's hash of an empty log). */
export const GENESIS = "0".repeat(64);

/** The hash of an entry: every field but the hash itself, in a fixed order, NUL-separated. */
export function entryHash(r: Omit<Row, "hash">): string {
  return createHash("sha256")
    .update([r.seq, r.at, r.actor, r.action, r.detail, r.list_versions, r.prev_hash].join("\u0000"))
    .digest("hex");
}

export type Verification =
  | { readonly ok: true; readonly entries: number }
  | { readonly ok: false; readonly entries: number; readonly seq: number; readonly reason: string };

export class AuditLog {
  private readonly s;

  constructor(readonly db: Database.Database) {
    db.exec(SQL.schema);
    this.s = {
      last: db.prepare(SQL.last),
      insert: db.prepare(SQL.insert),
      head: db.prepare(SQL.head),
      setHead: db.prepare(SQL.setHead),
      all: db.prepare(SQL.all),
      page: db.prepare(SQL.page),
      ofAction: db.prepare(SQL.ofAction),
    };
  }

  append(
    actor: string,
    action: AuditAction,
    detail: Record<string, unknown> = {},
    listVersions: readonly string[] = [],
    at = new Date().toISOString(),
  ): AuditEntry {
    return this.db.transaction(() => {
      const last = this.s.last.get() as { seq: number; hash: string } | undefined;
      const row = {
        seq: (last?.seq ?? 0) + 1,
        at,
        actor,
        action,
        detail: JSON.stringify(detail),
        list_versions: JSON.stringify(listVersions),
        prev_hash: last?.hash ?? GENESIS,
      };
      const hash = entryHash(row);
      this.s.insert.run({
        seq: row.seq,
        at,
        actor,
        action,
        detail: row.detail,
        listVersions: row.list_versions,
        prevHash: row.prev_hash,
        hash,
      });
      this.s.setHead.run(row.seq, hash);
      return toEntry({ ...row, hash });
    })();
  }

  /** Newest first, optionally one action or actor, a page at a time (`before`: a seq). */
  list(opts: { action?: string; actor?: string; before?: number; limit?: number } = {}): AuditEntry[] {
    return (
      this.s.page.all({
        action: opts.action ?? "",
        actor: opts.actor ?? "",
        before: opts.before ?? Number.MAX_SAFE_INTEGER,
        limit: opts.limit ?? 100,
      }) as Row[]
    ).map(toEntry);
  }

  /** Details of every entry of one action (for idempotent recording, e.g. ingests). */
  details(action: AuditAction): Record<string, unknown>[] {
    return (this.s.ofAction.all(action) as { detail: string }[]).map(
      (r) => JSON.parse(r.detail) as Record<string, unknown>,
    );
  }

  /** Walks the chain from the first entry; the first entry that does not hold is named. */
  verify(): Verification {
    const walk = new ChainWalk();
    for (const r of this.s.all.iterate() as Iterable<Row>) {
      const bad = walk.step(r);
      if (bad) return bad;
    }
    return walk.end(this.s.head.get() as { seq: number; hash: string } | undefined);
  }
}

/**
 * The check of a chain, entry by entry in seq order from the first, shared by both engines so
 * they judge a log alike: `step` answers the first entry that does not hold (missing, not
 * chained, edited), `end` whether the head row agrees with the last entry (newest removed).
 */
export class ChainWalk {
  private prev = GENESIS;
  private expected = 1;
  private n = 0;

  step(r: Row): Verification | undefined {
    this.n++;
    const n = this.n;
    if (r.seq !== this.expected) {
      return {
        ok: false,
        entries: n,
        seq: this.expected,
        reason: `entry ${this.expected} is missing (next is ${r.seq})`,
      };
    }
    if (r.prev_hash !== this.prev) {
      return {
        ok: false,
        entries: n,
        seq: r.seq,
        reason: `entry ${r.seq} does not chain to the entry before it`,
      };
    }
    if (entryHash(r) !== r.hash) {
      return {
        ok: false,
        entries: n,
        seq: r.seq,
        reason: `entry ${r.seq} was edited (its hash does not match)`,
      };
    }
    this.prev = r.hash;
    this.expected++;
    return undefined;
  }

  end(head: { seq: number; hash: string } | undefined): Verification {
    const last = this.expected - 1;
    if (head && (head.seq !== last || head.hash !== this.prev)) {
      return {
        ok: false,
        entries: this.n,
        seq: this.expected,
        reason: `entries after ${last} were removed (the head says ${head.seq})`,
      };
    }
    return { ok: true, entries: this.n };
  }
}

export const toEntry = (r: Row): AuditEntry => ({
  seq: r.seq,
  at: r.at,
  actor: r.actor,
  action: r.action,
  detail: JSON.parse(r.detail) as Record<string, unknown>,
  listVersions: JSON.parse(r.list_versions) as string[],
  prevHash: r.prev_hash,
  hash: r.hash,
});

const logs = new WeakMap<Database.Database, AuditLog>();

export function auditOf(store: Store): AuditLog {
  return ownTables(store, "the audit log needs a SQLite store in this build", logs, (db) => new AuditLog(db));
}

/** `dataset@version` of every current list version: the versions an event happened under. */
export async function currentVersions(store: Store): Promise<string[]> {
  return (await store.datasets()).flatMap((d) => (d.current ? [`${d.name}@${d.current.version}`] : []));
}
