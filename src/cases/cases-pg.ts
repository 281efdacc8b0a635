// Case work on PostgreSQL, for replicas sharing one database: the same tables, rules and audit
// entries as CaseBook (cases.ts, whose rules and row conversions this shares), asynchronous,
// with every statement in `PG` below. What SQLite's single writer gave for free is one
// transaction per step here: it locks the alert's row first (PgAlertBook.lockIn), reads the
// case, writes the case, the decision (PgAlertBook.decideIn), the register row of a confirmed
// true match and the audit entry (PgAuditLog.appendIn, head row taken last) and commits them
// together. Two replicas confirming one proposal at once queue on the alert's row: the second
// finds the alert decided and nothing awaiting confirmation, and is refused.

import { createHash } from "node:crypto";
import { type AuditAction, currentVersions } from "../audit/log.js";
import { auditTrailOf, PgAuditLog } from "../audit/log-pg.js";
import { InterdictError } from "../errors.js";
import type { Alert, Decision } from "../monitor/alerts.js";
import type { PgAlertBook } from "../monitor/alerts-pg.js";
import { pgAlertsOf } from "../monitor/books.js";
import type { PostgresStore, Query } from "../store/postgres.js";
import type { User } from "../users/users.js";
import {
  type BlockedProperty,
  type CaseRow,
  type CaseSource,
  type CaseState,
  type CaseStatus,
  type CaseWork,
  camel,
  caseRowValues,
  confirmed,
  type MatchDetails,
  matchDefaults,
  mayConfirm,
  proposal,
  type RejectedTransaction,
  registerEntry,
  requireDecider,
  returnedState,
  type SourceKind,
  type SourceRow,
  takenState,
  toCaseSource,
  toCaseState,
  type VisaRefusal,
} from "./cases.js";

// The SQLite tables (cases.ts) in PostgreSQL's types; a register holds one row per alert.
const PG = {
  migrations: [
    `CREATE TABLE case_state (
       alert_id INTEGER PRIMARY KEY,
       status TEXT NOT NULL,
       assignee TEXT,
       proposed TEXT,
       proposer TEXT,
       proposer_role TEXT,
       note TEXT,
       details TEXT,
       updated_at TEXT NOT NULL
     );
     CREATE TABLE case_source (
       alert_id INTEGER PRIMARY KEY,
       kind TEXT NOT NULL,
       screening_id TEXT,
       context TEXT NOT NULL
     );
     CREATE TABLE case_comment (
       id SERIAL PRIMARY KEY,
       alert_id INTEGER NOT NULL,
       author TEXT NOT NULL,
       at TEXT NOT NULL,
       text TEXT NOT NULL
     );
     CREATE INDEX case_comment_alert ON case_comment (alert_id, id);
     CREATE TABLE case_attachment (
       id SERIAL PRIMARY KEY,
       alert_id INTEGER NOT NULL,
       author TEXT NOT NULL,
       at TEXT NOT NULL,
       name TEXT NOT NULL,
       type TEXT NOT NULL,
       sha256 TEXT NOT NULL,
       content BYTEA NOT NULL
     );
     CREATE INDEX case_attachment_alert ON case_attachment (alert_id, id);
     CREATE TABLE blocked_property (
       id SERIAL PRIMARY KEY,
       alert_id INTEGER NOT NULL UNIQUE,
       entity_id TEXT NOT NULL,
       owner TEXT NOT NULL,
       type TEXT NOT NULL,
       location TEXT NOT NULL,
       value DOUBLE PRECISION NOT NULL,
       currency TEXT NOT NULL,
       date_blocked TEXT COLLATE "C" NOT NULL,
       program TEXT NOT NULL,
       legal_authority TEXT NOT NULL,
       reference TEXT,
       proposed_by TEXT NOT NULL,
       confirmed_by TEXT NOT NULL,
       released_on TEXT,
       created_at TEXT NOT NULL
     );
     CREATE TABLE rejected_transaction (
       id SERIAL PRIMARY KEY,
       alert_id INTEGER NOT NULL UNIQUE,
       entity_id TEXT NOT NULL,
       party TEXT NOT NULL,
       reference TEXT NOT NULL,
       value DOUBLE PRECISION NOT NULL,
       currency TEXT NOT NULL,
       date_rejected TEXT COLLATE "C" NOT NULL,
       program TEXT NOT NULL,
       legal_authority TEXT NOT NULL,
       proposed_by TEXT NOT NULL,
       confirmed_by TEXT NOT NULL,
       created_at TEXT NOT NULL
     );
     CREATE TABLE visa_refusal (
       id SERIAL PRIMARY KEY,
       alert_id INTEGER NOT NULL UNIQUE,
       entity_id TEXT NOT NULL,
       applicant TEXT NOT NULL,
       screening_id TEXT,
       ground TEXT NOT NULL,
       date_refused TEXT COLLATE "C" NOT NULL,
       proposed_by TEXT NOT NULL,
       confirmed_by TEXT NOT NULL,
       created_at TEXT NOT NULL
     );`,
  ],
  state: "SELECT * FROM case_state WHERE alert_id = $1",
  states: "SELECT alert_id, status FROM case_state",
  upsertState: `INSERT INTO case_state (alert_id, status, assignee, proposed, proposer, proposer_role, note, details, updated_at)
    VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
    ON CONFLICT (alert_id) DO UPDATE SET status = excluded.status, assignee = excluded.assignee,
      proposed = excluded.proposed, proposer = excluded.proposer, proposer_role = excluded.proposer_role,
      note = excluded.note, details = excluded.details, updated_at = excluded.updated_at`,
  deleteState: "DELETE FROM case_state WHERE alert_id = $1",
  source: "SELECT kind, screening_id, context FROM case_source WHERE alert_id = $1",
  insertSource: `INSERT INTO case_source (alert_id, kind, screening_id, context) VALUES ($1, $2, $3, $4)
    ON CONFLICT (alert_id) DO NOTHING`,
  sources: "SELECT alert_id, kind FROM case_source",
  comments: "SELECT id, author, at, text FROM case_comment WHERE alert_id = $1 ORDER BY id",
  insertComment: "INSERT INTO case_comment (alert_id, author, at, text) VALUES ($1, $2, $3, $4)",
  attachments: `SELECT id, author, at, name, type, sha256, octet_length(content) AS size
    FROM case_attachment WHERE alert_id = $1 ORDER BY id`,
  attachment: "SELECT alert_id, name, type, content FROM case_attachment WHERE id = $1",
  insertAttachment: `INSERT INTO case_attachment (alert_id, author, at, name, type, sha256, content)
    VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id`,
  /** A register row from `registerEntry` (its keys in column order; `table` one of three names). */
  insertRegister: (table: string, columns: readonly string[]) =>
    `INSERT INTO ${table} (${columns.join(", ")}) VALUES (${columns.map((_, i) => `$${i + 1}`).join(", ")})
     RETURNING id`,
  properties: "SELECT * FROM blocked_property ORDER BY date_blocked, id",
  rejected: "SELECT * FROM rejected_transaction ORDER BY date_rejected, id",
  refusals: "SELECT * FROM visa_refusal ORDER BY date_refused, id",
} as const;

const snake = (k: string) => k.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);

/** One step's outcome: what it answers, and the audit entry it writes with its changes. */
interface Step<T> {
  readonly out: T;
  readonly action: AuditAction;
  readonly detail: Record<string, unknown>;
}

export class PgCaseBook implements CaseWork {
  private readonly ready: Promise<void>;
  readonly alerts: PgAlertBook;
  private readonly log: PgAuditLog;

  constructor(readonly store: PostgresStore) {
    this.alerts = pgAlertsOf(store);
    const log = auditTrailOf(store);
    if (!(log instanceof PgAuditLog)) throw new InterdictError("INTERDICT_E_USAGE", "not a PostgreSQL store");
    this.log = log;
    this.ready = store.migrate("cases", PG.migrations);
    this.ready.catch(() => {}); // reported by the first call
  }

  private async q<R extends object>(text: string, values: unknown[] = []): Promise<R[]> {
    await this.ready;
    return this.store.query<R & Record<string, unknown>>(text, values);
  }

  /**
   * Runs one step of an alert's case in one transaction: the alert's row locked first, the
   * case read under that lock, then the step's writes and its audit entry (actor `user`,
   * detail `{role, …step's, …extra}`), committed together.
   */
  private async step<T>(
    alertId: number,
    user: User,
    extra: Record<string, unknown>,
    fn: (q: Query, a: Alert, st: CaseState) => Promise<Step<T>>,
  ): Promise<T> {
    await this.ready;
    const versions = await currentVersions(this.store);
    return this.store.transaction(async (q) => {
      const a = await this.alerts.lockIn(q, alertId);
      if (!a) throw new InterdictError("INTERDICT_E_NOT_FOUND", `no alert ${alertId}`, { field: "alert" });
      const [row] = await q<CaseRow>(PG.state, [alertId]);
      const s = await fn(q, a, toCaseState(a, row));
      await this.log.appendIn(q, [
        {
          actor: user.name,
          action: s.action,
          detail: { role: user.role, ...s.detail, ...extra },
          listVersions: versions,
        },
      ]);
      return s.out;
    });
  }

  private async write(q: Query, alertId: number, st: CaseState, at: string): Promise<void> {
    const v = caseRowValues(st, at);
    await q(PG.upsertState, [
      alertId,
      v.status,
      v.assignee,
      v.proposed,
      v.proposer,
      v.proposerRole,
      v.note,
      v.details,
      v.at,
    ]);
  }

  async alert(id: number): Promise<Alert> {
    const a = await this.alerts.get(id);
    if (!a) throw new InterdictError("INTERDICT_E_NOT_FOUND", `no alert ${id}`, { field: "alert" });
    return a;
  }

  async state(alert: Alert): Promise<CaseState> {
    if (alert.status === "decided") return { status: "decided" };
    const [row] = await this.q<CaseRow>(PG.state, [alert.id]);
    return toCaseState(alert, row);
  }

  /** Case statuses of every undecided alert that has one. */
  async states(): Promise<Map<number, CaseStatus>> {
    const rows = await this.q<{ alert_id: number; status: CaseStatus }>(PG.states);
    return new Map(rows.map((r) => [r.alert_id, r.status]));
  }

  async sourceKinds(): Promise<Map<number, SourceKind>> {
    const rows = await this.q<{ alert_id: number; kind: SourceKind }>(PG.sources);
    return new Map(rows.map((r) => [r.alert_id, r.kind]));
  }

  /** Where an alert came from; `q` reads it in a step's transaction. */
  async source(alertId: number, q?: Query): Promise<CaseSource> {
    const [row] = q
      ? await q<SourceRow>(PG.source, [alertId])
      : await this.q<SourceRow>(PG.source, [alertId]);
    return toCaseSource(row);
  }

  /** Notes where a service screening's alert came from (idempotent: the first note stays). */
  async setSource(
    alertId: number,
    kind: SourceKind,
    screeningId: string,
    context: Record<string, unknown>,
  ): Promise<void> {
    await this.q(PG.insertSource, [alertId, kind, screeningId, JSON.stringify(context)]);
  }

  /** What the decision form is pre-filled with, from where the alert came from. */
  async defaults(a: Alert): Promise<MatchDetails> {
    return matchDefaults(a, await this.source(a.id));
  }

  /** Whether `user` may confirm what is pending (`mayConfirm` in cases.ts). */
  mayConfirm(st: CaseState, user: User): { ok: boolean; why: string } {
    return mayConfirm(st, user);
  }

  /** Takes an open alert into review. `extra` goes into the audit entry's detail. */
  async take(
    alertId: number,
    user: User,
    at = new Date().toISOString(),
    extra: Record<string, unknown> = {},
  ): Promise<CaseState> {
    requireDecider(user);
    return this.step(alertId, user, extra, async (q, _a, st) => {
      const next = takenState(alertId, st, user);
      await this.write(q, alertId, next, at);
      return { out: next, action: "alert_taken", detail: { alert: alertId } };
    });
  }

  /**
   * An analyst's decision, as CaseBook.propose: escalate keeps the alert for a more senior
   * reviewer; clear is final at once; a true match or a false positive waits for four-eyes
   * confirmation. `extra` goes into the audit entry's detail.
   */
  async propose(
    alertId: number,
    user: User,
    decision: Decision,
    note: string,
    details?: MatchDetails,
    at = new Date().toISOString(),
    extra: Record<string, unknown> = {},
  ): Promise<CaseState | Alert> {
    requireDecider(user);
    return this.step<CaseState | Alert>(alertId, user, extra, async (q, a, st) => {
      const src = await this.source(alertId, q);
      const p = proposal(a, st, user, decision, note, details, () => matchDefaults(a, src));
      if (p.kind === "decide") {
        const done = await this.alerts.decideIn(q, alertId, decision, user.name, note, at);
        await q(PG.deleteState, [alertId]);
        return { out: done, action: "decision_confirmed", detail: p.audit };
      }
      await this.write(q, alertId, p.next, at);
      return { out: p.next, action: "decision_proposed", detail: p.audit };
    });
  }

  /**
   * The second pair of eyes, as CaseBook.confirm: confirms (the decision, the register row of a
   * true match and the entry commit together) or returns the proposal for review. Of several
   * confirming at once, the first decides; the rest find nothing awaiting confirmation.
   */
  async confirm(
    alertId: number,
    user: User,
    accept: boolean,
    note = "",
    at = new Date().toISOString(),
    extra: Record<string, unknown> = {},
  ): Promise<Alert> {
    await this.step(alertId, user, extra, async (q, a, st) => {
      const may = mayConfirm(st, user);
      if (!may.ok) throw new InterdictError("INTERDICT_E_FORBIDDEN", may.why, { field: "confirm" });
      if (!accept) {
        await this.write(q, alertId, returnedState(st, user, note), at);
        const detail = { alert: alertId, decision: st.proposed, proposer: st.proposer, note };
        return { out: a, action: "decision_returned", detail };
      }
      const c = confirmed(st, user, note);
      const done = await this.alerts.decideIn(q, alertId, c.decision, c.analyst, c.note, at);
      await q(PG.deleteState, [alertId]);
      const register =
        c.decision === "true_match" && st.details
          ? await this.register(q, done, st.details, st.proposer ?? "", user.name, at)
          : null;
      const detail = {
        alert: alertId,
        subject: a.subjectId,
        entity: a.entityId,
        decision: c.decision,
        proposer: st.proposer,
        four_eyes: true,
        ...(register ? { register } : {}),
      };
      return { out: done, action: "decision_confirmed", detail };
    });
    return this.alert(alertId);
  }

  private async register(
    q: Query,
    a: Alert,
    d: MatchDetails,
    proposedBy: string,
    confirmedBy: string,
    at: string,
  ): Promise<Record<string, number> | null> {
    const e = registerEntry(a, d, await this.source(a.id, q), proposedBy, confirmedBy, at);
    if (!e) return null;
    const columns = Object.keys(e.row).map(snake);
    const [row] = await q<{ id: number }>(PG.insertRegister(e.register, columns), Object.values(e.row));
    return { [e.register]: Number(row?.id) };
  }

  async comment(
    alertId: number,
    user: User,
    text: string,
    at = new Date().toISOString(),
    extra: Record<string, unknown> = {},
  ): Promise<void> {
    if (!text.trim()) throw new InterdictError("INTERDICT_E_INPUT", "an empty comment", { field: "text" });
    await this.step(alertId, user, extra, async (q) => {
      await q(PG.insertComment, [alertId, user.name, at, text]);
      return { out: undefined, action: "comment", detail: { alert: alertId, chars: text.length } };
    });
  }

  async comments(alertId: number): Promise<{ id: number; author: string; at: string; text: string }[]> {
    return this.q(PG.comments, [alertId]);
  }

  async attach(
    alertId: number,
    user: User,
    name: string,
    type: string,
    content: Buffer,
    at = new Date().toISOString(),
  ): Promise<number> {
    const sha256 = createHash("sha256").update(content).digest("hex");
    return this.step(alertId, user, {}, async (q) => {
      const [row] = await q<{ id: number }>(PG.insertAttachment, [
        alertId,
        user.name,
        at,
        name || "attachment",
        type || "application/octet-stream",
        sha256,
        content,
      ]);
      const detail = { alert: alertId, name, sha256, bytes: content.length };
      return { out: Number(row?.id), action: "attachment", detail };
    });
  }

  async attachments(
    alertId: number,
  ): Promise<
    { id: number; author: string; at: string; name: string; type: string; sha256: string; size: number }[]
  > {
    return this.q(PG.attachments, [alertId]);
  }

  async attachment(
    id: number,
  ): Promise<{ alertId: number; name: string; type: string; content: Buffer } | undefined> {
    const [r] = await this.q<{ alert_id: number; name: string; type: string; content: Buffer }>(
      PG.attachment,
      [id],
    );
    return r ? { alertId: r.alert_id, name: r.name, type: r.type, content: r.content } : undefined;
  }

  async blockedProperty(): Promise<BlockedProperty[]> {
    return (await this.q<Record<string, unknown>>(PG.properties)).map(
      (r) => camel(r) as unknown as BlockedProperty,
    );
  }

  async rejectedTransactions(): Promise<RejectedTransaction[]> {
    return (await this.q<Record<string, unknown>>(PG.rejected)).map(
      (r) => camel(r) as unknown as RejectedTransaction,
    );
  }

  async visaRefusals(): Promise<VisaRefusal[]> {
    return (await this.q<Record<string, unknown>>(PG.refusals)).map(
      (r) => camel(r) as unknown as VisaRefusal,
    );
  }
}

const books = new WeakMap<PostgresStore, PgCaseBook>();

/** The case book of a PostgreSQL store (one object per store). */
export function pgCasesOf(store: PostgresStore): PgCaseBook {
  let b = books.get(store);
  if (!b) books.set(store, (b = new PgCaseBook(store)));
  return b;
}
