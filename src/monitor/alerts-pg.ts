// Alerts on PostgreSQL, for replicas sharing one database: the same tables and rules as
// AlertBook (alerts.ts), asynchronous, with every statement in `PG` below. What SQLite's single
// writer gave for free is said here in SQL: a decision is `UPDATE … WHERE status = 'open'`, so
// of two replicas deciding one alert at once the second waits on the row lock, finds it decided
// and is refused — one decision, never two; a pair is raised once under the unique index on
// open pairs (`ON CONFLICT DO NOTHING`), however many monitors raise it together.

import { InterdictError } from "../errors.js";
import type { PostgresStore, Query } from "../store/postgres.js";
import {
  type Alert,
  type AlertPerson,
  type AlertReason,
  type AlertRow,
  type Alerts,
  alertValues,
  DECISIONS,
  type Decision,
  type Finding,
  type RaiseCounts,
  referentsOf,
  toAlert,
  unchanged,
} from "./alerts.js";

const PG = {
  migrations: [
    `CREATE TABLE alert (
       id SERIAL PRIMARY KEY,
       subject_id TEXT COLLATE "C" NOT NULL,
       entity_id TEXT COLLATE "C" NOT NULL,
       status TEXT NOT NULL DEFAULT 'open',
       score DOUBLE PRECISION NOT NULL,
       subject_hash TEXT NOT NULL,
       entity_hash TEXT NOT NULL,
       subject_name TEXT NOT NULL,
       caption TEXT NOT NULL,
       schema TEXT NOT NULL,
       datasets TEXT NOT NULL,
       programs TEXT NOT NULL,
       explanation TEXT NOT NULL,
       reason TEXT NOT NULL,
       created_at TEXT NOT NULL,
       updated_at TEXT NOT NULL,
       decision TEXT,
       analyst TEXT,
       note TEXT,
       decided_at TEXT
     );
     CREATE UNIQUE INDEX alert_open_pair ON alert (subject_id, entity_id) WHERE status = 'open';
     CREATE INDEX alert_status ON alert (status, id);
     CREATE TABLE decided_pair (
       subject_id TEXT COLLATE "C" NOT NULL,
       entity_id TEXT COLLATE "C" NOT NULL,
       subject_hash TEXT NOT NULL,
       entity_hash TEXT NOT NULL,
       decision TEXT NOT NULL,
       alert_id INTEGER NOT NULL,
       decided_at TEXT NOT NULL,
       PRIMARY KEY (subject_id, entity_id)
     );`,
    // Alerts grouped by person: the list entries and their designations ('[]' in older rows).
    `ALTER TABLE alert ADD COLUMN referents TEXT NOT NULL DEFAULT '[]',
       ADD COLUMN designations TEXT NOT NULL DEFAULT '[]';`,
  ],
  decided: "SELECT subject_hash, entity_hash FROM decided_pair WHERE subject_id = $1 AND entity_id = $2",
  open: "SELECT id, subject_hash, entity_hash FROM alert WHERE subject_id = $1 AND entity_id = $2 AND status = 'open'",
  insert: `INSERT INTO alert (subject_id, entity_id, score, subject_hash, entity_hash, subject_name, caption, schema,
      datasets, programs, explanation, referents, designations, reason, created_at, updated_at)
    VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16)
    ON CONFLICT (subject_id, entity_id) WHERE status = 'open' DO NOTHING RETURNING id`,
  update: `UPDATE alert SET score = $1, subject_hash = $2, entity_hash = $3, subject_name = $4, caption = $5,
      schema = $6, datasets = $7, programs = $8, explanation = $9, referents = $10, designations = $11,
      reason = $12, updated_at = $13
    WHERE id = $14 AND status = 'open'`,
  // An open alert on a person as resolution no longer has it, taken over by a finding on the person now.
  rekey: `UPDATE alert SET entity_id = $1, score = $2, subject_hash = $3, entity_hash = $4, subject_name = $5,
      caption = $6, schema = $7, datasets = $8, programs = $9, explanation = $10, referents = $11,
      designations = $12, reason = $13, updated_at = $14
    WHERE id = $15 AND status = 'open'`,
  persons: "SELECT id, status, subject_id, entity_id, referents FROM alert ORDER BY id",
  get: "SELECT * FROM alert WHERE id = $1",
  // An alert held for a transaction that changes its case (cases-pg.ts) before deciding it.
  lock: "SELECT * FROM alert WHERE id = $1 FOR UPDATE",
  list: "SELECT * FROM alert WHERE status = $1 AND id > $2 ORDER BY id LIMIT $3",
  listSubject: "SELECT * FROM alert WHERE subject_id = $1 ORDER BY id",
  count: "SELECT status, count(*)::int AS n FROM alert GROUP BY status",
  // The row lock taken here is what serialises two deciders; the loser's WHERE no longer holds.
  decide: `UPDATE alert SET status = 'decided', decision = $1, analyst = $2, note = $3, decided_at = $4, updated_at = $4
    WHERE id = $5 AND status = 'open' RETURNING *`,
  pair: `INSERT INTO decided_pair (subject_id, entity_id, subject_hash, entity_hash, decision, alert_id, decided_at)
    VALUES ($1, $2, $3, $4, $5, $6, $7)
    ON CONFLICT (subject_id, entity_id) DO UPDATE SET subject_hash = excluded.subject_hash,
      entity_hash = excluded.entity_hash, decision = excluded.decision, alert_id = excluded.alert_id,
      decided_at = excluded.decided_at`,
} as const;

export class PgAlertBook implements Alerts {
  private readonly ready: Promise<void>;

  constructor(private readonly store: PostgresStore) {
    this.ready = store.migrate("alerts", PG.migrations);
    this.ready.catch(() => {}); // reported by the first call
  }

  /** Runs `fn` in one transaction on one pooled connection. */
  private async tx<T>(fn: (q: Query) => Promise<T>): Promise<T> {
    await this.ready;
    return this.store.transaction(fn);
  }

  private async q<R extends object>(text: string, values: unknown[] = []): Promise<R[]> {
    await this.ready;
    return this.store.query<R & Record<string, unknown>>(text, values);
  }

  /** As AlertBook.raise; a pair another process opened meanwhile counts as open. */
  async raise(
    findings: Iterable<Finding>,
    reason: AlertReason,
    at = new Date().toISOString(),
  ): Promise<RaiseCounts> {
    return this.raiseOr(findings, reason, at);
  }

  /** As AlertBook.regroup: a new pair takes over a stale open alert of its subject and person. */
  async regroup(
    findings: Iterable<Finding>,
    stale: readonly { id: number; subjectId: string; referents: readonly string[] }[],
    reason: AlertReason,
    at = new Date().toISOString(),
  ): Promise<RaiseCounts> {
    const left = [...stale];
    return this.raiseOr(findings, reason, at, (f) => {
      const entries = new Set(f.referents ?? [f.entityId]);
      const i = left.findIndex((a) => a.subjectId === f.subjectId && a.referents.some((r) => entries.has(r)));
      return i < 0 ? undefined : left.splice(i, 1)[0]?.id;
    });
  }

  private async raiseOr(
    findings: Iterable<Finding>,
    reason: AlertReason,
    at: string,
    takeOver?: (f: Finding) => number | undefined,
  ): Promise<RaiseCounts> {
    return this.tx(async (q) => {
      const counts: RaiseCounts = { raised: 0, updated: 0, open: 0, decided: 0 };
      for (const f of findings) {
        const [decided] = await q<{ subject_hash: string; entity_hash: string }>(PG.decided, [
          f.subjectId,
          f.entityId,
        ]);
        if (unchanged(decided, f)) {
          counts.decided++;
          continue;
        }
        const [open] = await q<{ id: number; subject_hash: string; entity_hash: string }>(PG.open, [
          f.subjectId,
          f.entityId,
        ]);
        if (unchanged(open, f)) {
          counts.open++;
          continue;
        }
        const values = alertValues(f, reason, at);
        const old = open ? undefined : takeOver?.(f);
        if (open) {
          await q(PG.update, [f.score, ...values, open.id]);
          counts.updated++;
        } else if (
          old !== undefined &&
          (await q(`${PG.rekey} RETURNING id`, [f.entityId, f.score, ...values, old])).length > 0
        ) {
          counts.updated++;
        } else if ((await q(PG.insert, [f.subjectId, f.entityId, f.score, ...values, at])).length > 0) {
          counts.raised++;
        } else {
          counts.open++;
        }
      }
      return counts;
    });
  }

  /** As AlertBook.persons: every alert's subject and person, in id order. */
  async *persons(): AsyncGenerator<AlertPerson> {
    const rows = await this.q<{
      id: number;
      status: "open" | "decided";
      subject_id: string;
      entity_id: string;
      referents: string | null;
    }>(PG.persons);
    for (const r of rows) {
      yield {
        id: r.id,
        status: r.status,
        subjectId: r.subject_id,
        entityId: r.entity_id,
        referents: referentsOf(r.referents, r.entity_id),
      };
    }
  }

  async get(id: number): Promise<Alert | undefined> {
    const [row] = await this.q<AlertRow>(PG.get, [id]);
    return row ? toAlert(row) : undefined;
  }

  async list(opts: { status?: "open" | "decided"; after?: number; limit?: number } = {}): Promise<Alert[]> {
    const rows = await this.q<AlertRow>(PG.list, [
      opts.status ?? "open",
      opts.after ?? 0,
      opts.limit ?? null,
    ]);
    return rows.map(toAlert);
  }

  async forSubject(subjectId: string): Promise<Alert[]> {
    return (await this.q<AlertRow>(PG.listSubject, [subjectId])).map(toAlert);
  }

  async counts(): Promise<{ open: number; decided: number }> {
    const c = { open: 0, decided: 0 };
    for (const r of await this.q<{ status: "open" | "decided"; n: number }>(PG.count)) c[r.status] = r.n;
    return c;
  }

  /**
   * As AlertBook.decide: one decision per alert even when replicas decide it at the same time —
   * the first to lock the row decides, the others are refused as "already decided".
   */
  async decide(
    id: number,
    decision: Decision,
    analyst: string,
    note = "",
    at = new Date().toISOString(),
  ): Promise<Alert> {
    if (!DECISIONS.includes(decision)) {
      throw new InterdictError(
        "INTERDICT_E_USAGE",
        `unknown decision "${decision}"; known: ${DECISIONS.join(", ")}`,
      );
    }
    if (!analyst.trim())
      throw new InterdictError("INTERDICT_E_USAGE", "a decision needs the analyst who made it");
    return this.tx((q) => this.decideIn(q, id, decision, analyst, note, at));
  }

  /**
   * Locks an alert's row in the caller's transaction (`q` runs on its connection) and reads it:
   * whoever changes the alert's case next waits for that transaction to end.
   */
  async lockIn(q: Query, id: number): Promise<Alert | undefined> {
    await this.ready;
    const [row] = await q<AlertRow>(PG.lock, [id]);
    return row ? toAlert(row) : undefined;
  }

  /**
   * As `decide`, in the caller's transaction (`q` runs on its connection), so the decision and
   * what goes with it (the case, a register row, the audit entry) commit together or not at all.
   */
  async decideIn(
    q: Query,
    id: number,
    decision: Decision,
    analyst: string,
    note = "",
    at = new Date().toISOString(),
  ): Promise<Alert> {
    await this.ready;
    const [row] = await q<AlertRow>(PG.decide, [decision, analyst, note || null, at, id]);
    if (!row) {
      const [now] = await q<AlertRow>(PG.get, [id]);
      if (!now) throw new InterdictError("INTERDICT_E_NOT_FOUND", `no alert ${id}`);
      throw new InterdictError("INTERDICT_E_USAGE", `alert ${id} is already decided (${now.decision})`);
    }
    await q(PG.pair, [row.subject_id, row.entity_id, row.subject_hash, row.entity_hash, decision, id, at]);
    return toAlert(row);
  }
}
