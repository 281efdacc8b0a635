// Alerts: a potential match of a subject and a listed entity awaiting review, and the pairs an
// analyst has decided. A pair is raised again only when the subject or the entity changed since
// (their fingerprints), so a decided false positive does not come back with every list version.
// All of the alerts' SQL is in this file; the case-management work disposes of alerts through
// `decideAlert`. An alert is about a person: where resolution found list entries to be one person,
// `entity_id` is the canonical id and `referents` / `designations` name every entry of theirs
// (src/monitor/persons.ts), so one decision covers all of that person's listings.

import type Database from "better-sqlite3";
import { InterdictError } from "../errors.js";
import type { Explanation } from "../match/algorithm.js";
import { ownTables } from "../store/sqlite.js";
import type { Store } from "../store/store.js";

const SCHEMA = `
  CREATE TABLE IF NOT EXISTS alert (
    id INTEGER PRIMARY KEY,
    subject_id TEXT NOT NULL,
    entity_id TEXT NOT NULL,
    status TEXT NOT NULL DEFAULT 'open',
    score REAL NOT NULL,
    subject_hash TEXT NOT NULL,
    entity_hash TEXT NOT NULL,
    subject_name TEXT NOT NULL,
    caption TEXT NOT NULL,
    schema TEXT NOT NULL,
    datasets TEXT NOT NULL,
    programs TEXT NOT NULL,
    explanation TEXT NOT NULL,
    referents TEXT NOT NULL DEFAULT '[]',
    designations TEXT NOT NULL DEFAULT '[]',
    reason TEXT NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    decision TEXT,
    analyst TEXT,
    note TEXT,
    decided_at TEXT
  );
  CREATE UNIQUE INDEX IF NOT EXISTS alert_open_pair ON alert (subject_id, entity_id) WHERE status = 'open';
  CREATE INDEX IF NOT EXISTS alert_status ON alert (status, id);
  CREATE TABLE IF NOT EXISTS decided_pair (
    subject_id TEXT NOT NULL,
    entity_id TEXT NOT NULL,
    subject_hash TEXT NOT NULL,
    entity_hash TEXT NOT NULL,
    decision TEXT NOT NULL,
    alert_id INTEGER NOT NULL,
    decided_at TEXT NOT NULL,
    PRIMARY KEY (subject_id, entity_id)
  ) WITHOUT ROWID;`;

/** The decisions of the glossary. */
export const DECISIONS = ["clear", "true_match", "false_positive", "escalate"] as const;
export type Decision = (typeof DECISIONS)[number];

/** Why a pair was screened: a subject new or changed, a list version, a lookback. */
export type AlertReason = string;

/** One list entry of the person an alert is about: where they are listed and under what. */
export interface Designation {
  readonly entityId: string;
  readonly caption: string;
  readonly datasets: readonly string[];
  readonly programs: readonly string[];
  /** The entry's score in the screening that raised or last updated the alert; none if not hit then. */
  readonly score?: number;
}

/** A potential match found by a screening, before it is an alert. */
export interface Finding {
  readonly subjectId: string;
  readonly subjectHash: string;
  readonly subjectName: string;
  readonly entityId: string;
  readonly entityHash: string;
  readonly caption: string;
  readonly schema: string;
  readonly datasets: readonly string[];
  readonly programs: readonly string[];
  readonly score: number;
  readonly explanation: readonly Explanation[];
  /** The person's list entries (default: `entityId` alone). */
  readonly referents?: readonly string[];
  /** Each entry's datasets and programmes (default: the finding's own). */
  readonly designations?: readonly Designation[];
}

export interface Alert {
  readonly id: number;
  readonly subjectId: string;
  readonly subjectName: string;
  readonly entityId: string;
  readonly caption: string;
  readonly schema: string;
  readonly datasets: readonly string[];
  readonly programs: readonly string[];
  /** The list entries of the person (`entityId` is the canonical id when there are several). */
  readonly referents: readonly string[];
  readonly designations: readonly Designation[];
  readonly status: "open" | "decided";
  readonly score: number;
  readonly explanation: readonly Explanation[];
  readonly reason: string;
  readonly createdAt: string;
  readonly updatedAt: string;
  readonly decision?: Decision;
  readonly analyst?: string;
  readonly note?: string;
  readonly decidedAt?: string;
}

/** What raising a batch of findings did. */
export interface RaiseCounts {
  /** New alerts. */
  raised: number;
  /** Open alerts whose subject or entity changed: updated in place, still open. */
  updated: number;
  /** Already open, nothing changed. */
  open: number;
  /** Decided, and neither side changed since: not raised again. */
  decided: number;
}

export interface AlertRow {
  id: number;
  subject_id: string;
  entity_id: string;
  status: "open" | "decided";
  score: number;
  subject_hash: string;
  entity_hash: string;
  subject_name: string;
  caption: string;
  schema: string;
  datasets: string;
  programs: string;
  explanation: string;
  /** JSON; `[]` in alerts raised before persons were grouped. */
  referents: string;
  designations: string;
  reason: string;
  created_at: string;
  updated_at: string;
  decision: Decision | null;
  analyst: string | null;
  note: string | null;
  decided_at: string | null;
}

/** Whether a stored pair still has the fingerprints of both sides a new finding has. */
export function unchanged(
  row: { subject_hash: string; entity_hash: string } | undefined,
  f: Finding,
): boolean {
  return !!row && row.subject_hash === f.subjectHash && row.entity_hash === f.entityHash;
}

/** A finding's columns after its score, in the order both stores' insert and update take them. */
export function alertValues(f: Finding, reason: AlertReason, at: string): unknown[] {
  return [
    f.subjectHash,
    f.entityHash,
    f.subjectName,
    f.caption,
    f.schema,
    JSON.stringify(f.datasets),
    JSON.stringify(f.programs),
    JSON.stringify(f.explanation),
    JSON.stringify(f.referents ?? [f.entityId]),
    JSON.stringify(f.designations ?? [ownDesignation(f)]),
    reason,
    at,
  ];
}

const ownDesignation = (x: {
  entityId: string;
  caption: string;
  datasets: readonly string[];
  programs: readonly string[];
}): Designation => ({ entityId: x.entityId, caption: x.caption, datasets: x.datasets, programs: x.programs });

/** Reads JSON, or what an alert raised before the column existed stands for. */
function parsedOr<T>(text: string | null | undefined, fallback: () => T[]): T[] {
  const v = text ? (JSON.parse(text) as T[]) : [];
  return v.length ? v : fallback();
}

export function toAlert(r: AlertRow): Alert {
  const datasets = JSON.parse(r.datasets) as string[];
  const programs = JSON.parse(r.programs) as string[];
  return {
    id: r.id,
    subjectId: r.subject_id,
    subjectName: r.subject_name,
    entityId: r.entity_id,
    caption: r.caption,
    schema: r.schema,
    datasets,
    programs,
    referents: parsedOr<string>(r.referents, () => [r.entity_id]),
    designations: parsedOr<Designation>(r.designations, () => [
      ownDesignation({ entityId: r.entity_id, caption: r.caption, datasets, programs }),
    ]),
    status: r.status,
    score: r.score,
    explanation: JSON.parse(r.explanation) as Explanation[],
    reason: r.reason,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
    ...(r.decision ? { decision: r.decision } : {}),
    ...(r.analyst ? { analyst: r.analyst } : {}),
    ...(r.note ? { note: r.note } : {}),
    ...(r.decided_at ? { decidedAt: r.decided_at } : {}),
  };
}

/** An alert's subject and person, with the list entries the person was when it was raised. */
export interface AlertPerson {
  id: number;
  status: "open" | "decided";
  subjectId: string;
  entityId: string;
  referents: string[];
}

type Awaitable<T> = T | Promise<T>;

/**
 * What monitoring needs of an alert book, on either engine: AlertBook (SQLite, synchronous) and
 * PgAlertBook (PostgreSQL) both are one. Callers await every result.
 */
export interface Alerts {
  raise(findings: Iterable<Finding>, reason: AlertReason, at?: string): Awaitable<RaiseCounts>;
  regroup(
    findings: Iterable<Finding>,
    stale: readonly { id: number; subjectId: string; referents: readonly string[] }[],
    reason: AlertReason,
    at?: string,
  ): Awaitable<RaiseCounts>;
  persons(): Iterable<AlertPerson> | AsyncIterable<AlertPerson>;
  forSubject(subjectId: string): Awaitable<Alert[]>;
  /** A page of one status's alerts in id order (after: the last id seen). */
  list(opts?: { status?: "open" | "decided"; after?: number; limit?: number }): Awaitable<Alert[]>;
  counts(): Awaitable<{ open: number; decided: number }>;
}

/** The list entries stored with an alert (`[]` in alerts raised before persons: the entity alone). */
export const referentsOf = (text: string | null, entityId: string): string[] =>
  parsedOr<string>(text, () => [entityId]);

export class AlertBook implements Alerts {
  readonly db: Database.Database;
  private readonly s;

  constructor(db: Database.Database) {
    this.db = db;
    db.exec(SCHEMA);
    // Books made before alerts were grouped by person get the columns; their rows read as one entry.
    const columns = new Set(
      (db.prepare("PRAGMA table_info(alert)").all() as { name: string }[]).map((c) => c.name),
    );
    for (const c of ["referents", "designations"]) {
      if (!columns.has(c)) db.exec(`ALTER TABLE alert ADD COLUMN ${c} TEXT NOT NULL DEFAULT '[]'`);
    }
    this.s = {
      decided: db.prepare(
        "SELECT subject_hash, entity_hash FROM decided_pair WHERE subject_id = ? AND entity_id = ?",
      ),
      open: db.prepare(
        "SELECT id, subject_hash, entity_hash FROM alert WHERE subject_id = ? AND entity_id = ? AND status = 'open'",
      ),
      insert: db.prepare(
        `INSERT INTO alert (subject_id, entity_id, score, subject_hash, entity_hash, subject_name, caption, schema,
           datasets, programs, explanation, referents, designations, reason, created_at, updated_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      ),
      update: db.prepare(
        `UPDATE alert SET score = ?, subject_hash = ?, entity_hash = ?, subject_name = ?, caption = ?, schema = ?,
           datasets = ?, programs = ?, explanation = ?, referents = ?, designations = ?, reason = ?, updated_at = ?
         WHERE id = ?`,
      ),
      rekey: db.prepare(
        `UPDATE alert SET entity_id = ?, score = ?, subject_hash = ?, entity_hash = ?, subject_name = ?, caption = ?,
           schema = ?, datasets = ?, programs = ?, explanation = ?, referents = ?, designations = ?, reason = ?,
           updated_at = ?
         WHERE id = ? AND status = 'open'`,
      ),
      get: db.prepare("SELECT * FROM alert WHERE id = ?"),
      persons: db.prepare("SELECT id, status, subject_id, entity_id, referents FROM alert"),
      list: db.prepare("SELECT * FROM alert WHERE status = ? AND id > ? ORDER BY id LIMIT ?"),
      listSubject: db.prepare("SELECT * FROM alert WHERE subject_id = ? ORDER BY id"),
      count: db.prepare("SELECT status, count(*) AS n FROM alert GROUP BY status"),
      decide: db.prepare(
        "UPDATE alert SET status = 'decided', decision = ?, analyst = ?, note = ?, decided_at = ?, updated_at = ? WHERE id = ?",
      ),
      pair: db.prepare(
        `INSERT OR REPLACE INTO decided_pair (subject_id, entity_id, subject_hash, entity_hash, decision, alert_id, decided_at)
         VALUES (?, ?, ?, ?, ?, ?, ?)`,
      ),
    };
  }

  /**
   * Turns findings into alerts: new pairs are raised; an open alert whose subject or entity
   * changed is brought up to date; a pair decided with both sides as they are now is left alone.
   */
  raise(findings: Iterable<Finding>, reason: AlertReason, at = new Date().toISOString()): RaiseCounts {
    return this.raiseOr(findings, reason, at);
  }

  /**
   * As `raise`, for findings on persons resolution has since merged or split: a finding that
   * would be a new alert instead takes over an open alert of the same subject on the person as
   * it was (`stale`, one sharing a list entry with the finding), so its review carries on under
   * the person as it now is. Counted as updated. Stale alerts nothing takes over stay as they are.
   */
  regroup(
    findings: Iterable<Finding>,
    stale: readonly { id: number; subjectId: string; referents: readonly string[] }[],
    reason: AlertReason,
    at = new Date().toISOString(),
  ): RaiseCounts {
    const left = [...stale];
    return this.raiseOr(findings, reason, at, (f) => {
      const entries = new Set(f.referents ?? [f.entityId]);
      const i = left.findIndex((a) => a.subjectId === f.subjectId && a.referents.some((r) => entries.has(r)));
      return i < 0 ? undefined : left.splice(i, 1)[0]?.id;
    });
  }

  private raiseOr(
    findings: Iterable<Finding>,
    reason: AlertReason,
    at: string,
    takeOver?: (f: Finding) => number | undefined,
  ): RaiseCounts {
    const counts: RaiseCounts = { raised: 0, updated: 0, open: 0, decided: 0 };
    this.db.transaction(() => {
      for (const f of findings) {
        const decided = this.s.decided.get(f.subjectId, f.entityId) as
          | { subject_hash: string; entity_hash: string }
          | undefined;
        if (unchanged(decided, f)) {
          counts.decided++;
          continue;
        }
        const open = this.s.open.get(f.subjectId, f.entityId) as
          | { id: number; subject_hash: string; entity_hash: string }
          | undefined;
        if (unchanged(open, f)) {
          counts.open++;
          continue;
        }
        const values = alertValues(f, reason, at);
        if (open) {
          this.s.update.run(f.score, ...values, open.id);
          counts.updated++;
        } else {
          const old = takeOver?.(f);
          if (old !== undefined && this.s.rekey.run(f.entityId, f.score, ...values, old).changes > 0) {
            counts.updated++;
          } else {
            this.s.insert.run(f.subjectId, f.entityId, f.score, ...values, at);
            counts.raised++;
          }
        }
      }
    })();
    return counts;
  }

  get(id: number): Alert | undefined {
    const row = this.s.get.get(id) as AlertRow | undefined;
    return row ? toAlert(row) : undefined;
  }

  /** Alerts of one status in id order, a page at a time (`after`: the last id seen). */
  list(opts: { status?: "open" | "decided"; after?: number; limit?: number } = {}): Alert[] {
    return (this.s.list.all(opts.status ?? "open", opts.after ?? 0, opts.limit ?? -1) as AlertRow[]).map(
      toAlert,
    );
  }

  /** Every alert's subject and person, open or decided, with the entries the person was then. */
  *persons(): Generator<AlertPerson> {
    for (const r of this.s.persons.iterate() as Iterable<{
      id: number;
      status: "open" | "decided";
      subject_id: string;
      entity_id: string;
      referents: string | null;
    }>) {
      yield {
        id: r.id,
        status: r.status,
        subjectId: r.subject_id,
        entityId: r.entity_id,
        referents: parsedOr<string>(r.referents, () => [r.entity_id]),
      };
    }
  }

  forSubject(subjectId: string): Alert[] {
    return (this.s.listSubject.all(subjectId) as AlertRow[]).map(toAlert);
  }

  counts(): { open: number; decided: number } {
    const c = { open: 0, decided: 0 };
    for (const r of this.s.count.all() as { status: "open" | "decided"; n: number }[]) c[r.status] = r.n;
    return c;
  }

  /**
   * Records an analyst's decision on an open alert. The pair is remembered as decided with the
   * subject and entity as they were, so it is not raised again until one of them changes.
   */
  decide(id: number, decision: Decision, analyst: string, note = "", at = new Date().toISOString()): Alert {
    if (!DECISIONS.includes(decision)) {
      throw new InterdictError(
        "INTERDICT_E_USAGE",
        `unknown decision "${decision}"; known: ${DECISIONS.join(", ")}`,
      );
    }
    if (!analyst.trim())
      throw new InterdictError("INTERDICT_E_USAGE", "a decision needs the analyst who made it");
    return this.db.transaction(() => {
      const row = this.s.get.get(id) as AlertRow | undefined;
      if (!row) throw new InterdictError("INTERDICT_E_NOT_FOUND", `no alert ${id}`);
      if (row.status !== "open") {
        throw new InterdictError("INTERDICT_E_USAGE", `alert ${id} is already decided (${row.decision})`);
      }
      this.s.decide.run(decision, analyst, note || null, at, at, id);
      this.s.pair.run(row.subject_id, row.entity_id, row.subject_hash, row.entity_hash, decision, id, at);
      return toAlert(this.s.get.get(id) as AlertRow);
    })();
  }
}

const books = new WeakMap<Database.Database, AlertBook>();

export function alertsOf(store: Store): AlertBook {
  return ownTables(store, "alerts need a SQLite store in this build", books, (db) => new AlertBook(db));
}

/** The case-management API: an analyst's decision on an alert. */
export function decideAlert(
  store: Store,
  id: number,
  decision: Decision,
  analyst: string,
  note?: string,
): Alert {
  return alertsOf(store).decide(id, decision, analyst, note);
}

export function listAlerts(
  store: Store,
  opts?: { status?: "open" | "decided"; after?: number; limit?: number },
) {
  return alertsOf(store).list(opts);
}
