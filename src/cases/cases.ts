// Case work on alerts (src/monitor/alerts.ts owns the alerts themselves): the in-review state,
// proposals and four-eyes confirmation, comments, attachments, and the consequences of a
// confirmed true match — the blocked property register, the rejected transactions register and
// visa refusals with their ground. Every step is written to the audit log. All the SQL is here.

import { createHash } from "node:crypto";
import type Database from "better-sqlite3";
import { auditOf, currentVersions } from "../audit/log.js";
import { InterdictError } from "../errors.js";
import { type Alert, alertsOf, type Decision } from "../monitor/alerts.js";
import { regimesOf } from "../screen/visa.js";
import type { Store } from "../store/store.js";
import { roleRank, type User } from "../users/users.js";

const SQL = {
  schema: `
    CREATE TABLE IF NOT EXISTS case_state (
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
    CREATE TABLE IF NOT EXISTS case_source (
      alert_id INTEGER PRIMARY KEY,
      kind TEXT NOT NULL,
      screening_id TEXT,
      context TEXT NOT NULL
    );
    CREATE TABLE IF NOT EXISTS case_comment (
      id INTEGER PRIMARY KEY,
      alert_id INTEGER NOT NULL,
      author TEXT NOT NULL,
      at TEXT NOT NULL,
      text TEXT NOT NULL
    );
    CREATE TABLE IF NOT EXISTS case_attachment (
      id INTEGER PRIMARY KEY,
      alert_id INTEGER NOT NULL,
      author TEXT NOT NULL,
      at TEXT NOT NULL,
      name TEXT NOT NULL,
      type TEXT NOT NULL,
      sha256 TEXT NOT NULL,
      content BLOB NOT NULL
    );
    CREATE TABLE IF NOT EXISTS blocked_property (
      id INTEGER PRIMARY KEY,
      alert_id INTEGER NOT NULL,
      entity_id TEXT NOT NULL,
      owner TEXT NOT NULL,
      type TEXT NOT NULL,
      location TEXT NOT NULL,
      value REAL NOT NULL,
      currency TEXT NOT NULL,
      date_blocked TEXT NOT NULL,
      program TEXT NOT NULL,
      legal_authority TEXT NOT NULL,
      reference TEXT,
      proposed_by TEXT NOT NULL,
      confirmed_by TEXT NOT NULL,
      released_on TEXT,
      created_at TEXT NOT NULL
    );
    CREATE TABLE IF NOT EXISTS rejected_transaction (
      id INTEGER PRIMARY KEY,
      alert_id INTEGER NOT NULL,
      entity_id TEXT NOT NULL,
      party TEXT NOT NULL,
      reference TEXT NOT NULL,
      value REAL NOT NULL,
      currency TEXT NOT NULL,
      date_rejected TEXT NOT NULL,
      program TEXT NOT NULL,
      legal_authority TEXT NOT NULL,
      proposed_by TEXT NOT NULL,
      confirmed_by TEXT NOT NULL,
      created_at TEXT NOT NULL
    );
    CREATE TABLE IF NOT EXISTS visa_refusal (
      id INTEGER PRIMARY KEY,
      alert_id INTEGER NOT NULL,
      entity_id TEXT NOT NULL,
      applicant TEXT NOT NULL,
      screening_id TEXT,
      ground TEXT NOT NULL,
      date_refused TEXT NOT NULL,
      proposed_by TEXT NOT NULL,
      confirmed_by TEXT NOT NULL,
      created_at TEXT NOT NULL
    );`,
  state: "SELECT * FROM case_state WHERE alert_id = ?",
  states: "SELECT * FROM case_state",
  upsertState: `INSERT INTO case_state (alert_id, status, assignee, proposed, proposer, proposer_role, note, details, updated_at)
    VALUES (@alertId, @status, @assignee, @proposed, @proposer, @proposerRole, @note, @details, @at)
    ON CONFLICT (alert_id) DO UPDATE SET status = excluded.status, assignee = excluded.assignee, proposed = excluded.proposed,
      proposer = excluded.proposer, proposer_role = excluded.proposer_role, note = excluded.note, details = excluded.details,
      updated_at = excluded.updated_at`,
  deleteState: "DELETE FROM case_state WHERE alert_id = ?",
  source: "SELECT * FROM case_source WHERE alert_id = ?",
  insertSource:
    "INSERT OR IGNORE INTO case_source (alert_id, kind, screening_id, context) VALUES (?, ?, ?, ?)",
  sources: "SELECT alert_id, kind FROM case_source",
  comments: "SELECT id, author, at, text FROM case_comment WHERE alert_id = ? ORDER BY id",
  insertComment: "INSERT INTO case_comment (alert_id, author, at, text) VALUES (?, ?, ?, ?)",
  attachments:
    "SELECT id, author, at, name, type, sha256, length(content) AS size FROM case_attachment WHERE alert_id = ? ORDER BY id",
  attachment: "SELECT * FROM case_attachment WHERE id = ?",
  insertAttachment:
    "INSERT INTO case_attachment (alert_id, author, at, name, type, sha256, content) VALUES (?, ?, ?, ?, ?, ?, ?)",
  insertProperty: `INSERT INTO blocked_property (alert_id, entity_id, owner, type, location, value, currency, date_blocked,
      program, legal_authority, reference, proposed_by, confirmed_by, created_at)
    VALUES (@alertId, @entityId, @owner, @type, @location, @value, @currency, @dateBlocked, @program, @legalAuthority,
      @reference, @proposedBy, @confirmedBy, @createdAt)`,
  properties: "SELECT * FROM blocked_property ORDER BY date_blocked, id",
  insertRejected: `INSERT INTO rejected_transaction (alert_id, entity_id, party, reference, value, currency, date_rejected,
      program, legal_authority, proposed_by, confirmed_by, created_at)
    VALUES (@alertId, @entityId, @party, @reference, @value, @currency, @dateRejected, @program, @legalAuthority,
      @proposedBy, @confirmedBy, @createdAt)`,
  rejected: "SELECT * FROM rejected_transaction ORDER BY date_rejected, id",
  insertRefusal: `INSERT INTO visa_refusal (alert_id, entity_id, applicant, screening_id, ground, date_refused, proposed_by,
      confirmed_by, created_at) VALUES (@alertId, @entityId, @applicant, @screeningId, @ground, @dateRefused, @proposedBy,
      @confirmedBy, @createdAt)`,
  refusals: "SELECT * FROM visa_refusal ORDER BY date_refused, id",
} as const;

/** Where an alert came from: a batch or monitoring run (no source row), or a service screening. */
export type SourceKind = "monitor" | "visa" | "payment";

/** The queue's statuses: open → in_review (→ pending confirmation | escalated) → decided. */
export const CASE_STATUSES = ["open", "in_review", "pending", "escalated", "decided"] as const;
export type CaseStatus = (typeof CASE_STATUSES)[number];

/** What a confirmed true match does, beyond the decision. */
export type Consequence = "block" | "reject" | "refuse_visa" | "none";

/** The particulars an analyst gives with a true match (pre-filled from the screening). */
export interface MatchDetails {
  readonly consequence: Consequence;
  readonly propertyType?: string;
  readonly location?: string;
  readonly value?: number;
  readonly currency?: string;
  /** YYYY-MM-DD: when the property was blocked / the transaction rejected / the visa refused. */
  readonly date?: string;
  readonly owner?: string;
  readonly program?: string;
  readonly legalAuthority?: string;
  readonly reference?: string;
  /** Visa refusals: the legal ground cited. */
  readonly ground?: string;
}

export interface CaseState {
  readonly status: CaseStatus;
  readonly assignee?: string;
  readonly proposed?: Decision;
  readonly proposer?: string;
  readonly proposerRole?: string;
  readonly note?: string;
  readonly details?: MatchDetails;
  readonly updatedAt?: string;
}

export interface CaseSource {
  readonly kind: SourceKind;
  readonly screeningId?: string;
  readonly context: Readonly<Record<string, unknown>>;
}

export interface BlockedProperty {
  readonly id: number;
  readonly alertId: number;
  readonly entityId: string;
  readonly owner: string;
  readonly type: string;
  readonly location: string;
  readonly value: number;
  readonly currency: string;
  readonly dateBlocked: string;
  readonly program: string;
  readonly legalAuthority: string;
  readonly reference: string | null;
  readonly proposedBy: string;
  readonly confirmedBy: string;
  readonly releasedOn: string | null;
}

export interface RejectedTransaction {
  readonly id: number;
  readonly alertId: number;
  readonly entityId: string;
  readonly party: string;
  readonly reference: string;
  readonly value: number;
  readonly currency: string;
  readonly dateRejected: string;
  readonly program: string;
  readonly legalAuthority: string;
  readonly proposedBy: string;
  readonly confirmedBy: string;
}

export interface VisaRefusal {
  readonly id: number;
  readonly alertId: number;
  readonly entityId: string;
  readonly applicant: string;
  readonly screeningId: string | null;
  readonly ground: string;
  readonly dateRefused: string;
  readonly proposedBy: string;
  readonly confirmedBy: string;
}

/** Decisions that must be confirmed by a second, higher-ranking user: a true match, and any
 *  suppression (a false positive suppresses the pair until a side changes). */
export const NEEDS_CONFIRMATION: readonly Decision[] = ["true_match", "false_positive"];

type Stmts = Record<Exclude<keyof typeof SQL, "schema">, Database.Statement>;

// What follows up to CaseBook is shared with the PostgreSQL case book (cases-pg.ts): the rules
// and the conversions between rows and objects, with no SQL in them.

/** A register row's columns in snake_case as objects' keys in camelCase. */
export const camel = (row: Record<string, unknown>): Record<string, unknown> =>
  Object.fromEntries(
    Object.entries(row).map(([k, v]) => [k.replace(/_(\w)/g, (_, c: string) => c.toUpperCase()), v]),
  );

const today = (at: string) => at.slice(0, 10);

/** A case_state row, on either engine. */
export interface CaseRow {
  readonly status: string;
  readonly assignee: string | null;
  readonly proposed: string | null;
  readonly proposer: string | null;
  readonly proposer_role: string | null;
  readonly note: string | null;
  readonly details: string | null;
  readonly updated_at: string | null;
}

/** An alert's case state from its case_state row (none: open; a decided alert: decided). */
export function toCaseState(alert: Alert, r: CaseRow | undefined): CaseState {
  if (alert.status === "decided") return { status: "decided" };
  if (!r) return { status: "open" };
  return {
    status: r.status as CaseStatus,
    ...(r.assignee ? { assignee: r.assignee } : {}),
    ...(r.proposed ? { proposed: r.proposed as Decision } : {}),
    ...(r.proposer ? { proposer: r.proposer } : {}),
    ...(r.proposer_role ? { proposerRole: r.proposer_role } : {}),
    ...(r.note ? { note: r.note } : {}),
    ...(r.details ? { details: JSON.parse(r.details) as MatchDetails } : {}),
    ...(r.updated_at ? { updatedAt: r.updated_at } : {}),
  };
}

/** A case state as its case_state row's values, in column order after alert_id. */
export function caseRowValues(st: CaseState, at: string) {
  return {
    status: st.status,
    assignee: st.assignee ?? null,
    proposed: st.proposed ?? null,
    proposer: st.proposer ?? null,
    proposerRole: st.proposerRole ?? null,
    note: st.note ?? null,
    details: st.details ? JSON.stringify(st.details) : null,
    at,
  };
}

/** A case_source row, on either engine. */
export interface SourceRow {
  readonly kind: SourceKind;
  readonly screening_id: string | null;
  readonly context: string;
}

export function toCaseSource(r: SourceRow | undefined): CaseSource {
  if (!r) return { kind: "monitor", context: {} };
  return {
    kind: r.kind,
    ...(r.screening_id ? { screeningId: r.screening_id } : {}),
    context: JSON.parse(r.context) as Record<string, unknown>,
  };
}

/** Refuses a user whose role reads cases but does not decide them. */
export function requireDecider(user: User): void {
  if (roleRank(user.role) < roleRank("analyst")) {
    throw new InterdictError("INTERDICT_E_FORBIDDEN", `an ${user.role} reads cases but does not decide them`);
  }
}

/** Why `mayConfirm` refuses when there is no proposal at all (a state, not a rule). */
export const NOTHING_PENDING = "nothing awaits confirmation";

/** Whether `user` may confirm what is pending: someone else, of a higher role (an admin's
 *  proposal, having nobody above it, by another admin). */
export function mayConfirm(st: CaseState, user: User): { ok: boolean; why: string } {
  if (st.status !== "pending" || !st.proposer) return { ok: false, why: NOTHING_PENDING };
  if (st.proposer === user.name) return { ok: false, why: "nobody confirms their own decision" };
  const mine = roleRank(user.role);
  const theirs = roleRank((st.proposerRole ?? "analyst") as User["role"]);
  if (mine > theirs || (user.role === "admin" && st.proposerRole === "admin")) return { ok: true, why: "" };
  return {
    ok: false,
    why: `a ${st.proposerRole}'s decision is confirmed by a higher role than ${user.role}`,
  };
}

/** The state a take leaves (refused on a decided alert or one awaiting confirmation). */
export function takenState(alertId: number, st: CaseState, user: User): CaseState {
  requireDecider(user);
  if (st.status === "decided") throw new InterdictError("INTERDICT_E_USAGE", `alert ${alertId} is decided`);
  if (st.status === "pending") {
    throw new InterdictError("INTERDICT_E_USAGE", `alert ${alertId} awaits confirmation of ${st.proposed}`);
  }
  return { ...st, status: st.status === "escalated" ? "escalated" : "in_review", assignee: user.name };
}

/** What a proposal does: a new case state and its audit detail, or a decision at once. */
export type Proposal =
  | { readonly kind: "state"; readonly next: CaseState; readonly audit: Record<string, unknown> }
  | { readonly kind: "decide"; readonly audit: Record<string, unknown> };

/**
 * An analyst's decision. Escalate keeps the alert for a more senior reviewer; clear is final at
 * once; a true match or a false positive waits for four-eyes confirmation (a true match with
 * its register details, `defaults()` when none are given).
 */
export function proposal(
  a: Alert,
  st: CaseState,
  user: User,
  decision: Decision,
  note: string,
  details: MatchDetails | undefined,
  defaults: () => MatchDetails,
): Proposal {
  requireDecider(user);
  if (st.status === "decided") throw new InterdictError("INTERDICT_E_USAGE", `alert ${a.id} is decided`);
  if (st.status === "pending") {
    throw new InterdictError(
      "INTERDICT_E_USAGE",
      `alert ${a.id} already awaits confirmation of ${st.proposed}`,
    );
  }
  if (decision === "escalate") {
    const next: CaseState = {
      status: "escalated",
      assignee: user.name,
      note,
      proposer: user.name,
      proposerRole: user.role,
    };
    return { kind: "state", next, audit: { alert: a.id, decision, note } };
  }
  if (!NEEDS_CONFIRMATION.includes(decision)) {
    return { kind: "decide", audit: { alert: a.id, decision, note, four_eyes: false } };
  }
  const next: CaseState = {
    status: "pending",
    assignee: user.name,
    proposed: decision,
    proposer: user.name,
    proposerRole: user.role,
    note,
    ...(decision === "true_match" ? { details: details ?? defaults() } : {}),
  };
  const audit = {
    alert: a.id,
    subject: a.subjectId,
    entity: a.entityId,
    decision,
    note,
    ...(next.details ? { details: next.details } : {}),
  };
  return { kind: "state", next, audit };
}

/** The state a returned proposal leaves: back in review with its proposer. */
export function returnedState(st: CaseState, user: User, note: string): CaseState {
  return { status: "in_review", assignee: st.proposer ?? user.name, note };
}

/** The decision a confirmation takes: who it is recorded under and its note. */
export function confirmed(st: CaseState, user: User, note: string) {
  const text = [st.note, note && `confirmed: ${note}`].filter(Boolean).join(" — ");
  return {
    decision: st.proposed as Decision,
    analyst: st.proposer ?? user.name,
    note: `${text} (confirmed by ${user.name})`,
  };
}

/** The register tables a confirmed true match writes one row of. */
export type Register = "blocked_property" | "rejected_transaction" | "visa_refusal";

/** The register row a confirmed true match writes (keys in camelCase, in column order), if any. */
export function registerEntry(
  a: Alert,
  d: MatchDetails,
  src: CaseSource,
  proposedBy: string,
  confirmedBy: string,
  at: string,
): { register: Register; row: Record<string, string | number | null> } | null {
  const program = d.program ?? a.programs.join("; ");
  const legalAuthority = d.legalAuthority ?? authorityOf(a);
  const date = d.date ?? today(at);
  if (d.consequence === "block") {
    const row = {
      alertId: a.id,
      entityId: a.entityId,
      owner: d.owner ?? a.caption,
      type: d.propertyType ?? "funds",
      location: d.location ?? "",
      value: d.value ?? 0,
      currency: (d.currency ?? "USD").toUpperCase(),
      dateBlocked: date,
      program,
      legalAuthority,
      reference: d.reference ?? null,
      proposedBy,
      confirmedBy,
      createdAt: at,
    };
    return { register: "blocked_property", row };
  }
  if (d.consequence === "reject") {
    const row = {
      alertId: a.id,
      entityId: a.entityId,
      party: d.owner ?? a.caption,
      reference: d.reference ?? a.subjectId,
      value: d.value ?? 0,
      currency: (d.currency ?? "USD").toUpperCase(),
      dateRejected: date,
      program,
      legalAuthority,
      proposedBy,
      confirmedBy,
      createdAt: at,
    };
    return { register: "rejected_transaction", row };
  }
  if (d.consequence === "refuse_visa") {
    const row = {
      alertId: a.id,
      entityId: a.entityId,
      applicant: a.subjectName,
      screeningId: src.screeningId ?? null,
      ground: d.ground ?? legalAuthority,
      dateRefused: date,
      proposedBy,
      confirmedBy,
      createdAt: at,
    };
    return { register: "visa_refusal", row };
  }
  return null;
}

/** The legal grounds of an alert's listing, from its datasets and programmes. */
export function authorityOf(a: Alert): string {
  return regimesOf({ id: a.entityId, datasets: a.datasets, programs: a.programs })
    .map((g) => g.ground)
    .join("; ");
}

/** What the decision form is pre-filled with, from where the alert came from. */
export function matchDefaults(a: Alert, src: CaseSource): MatchDetails {
  const c = src.context as {
    amount?: string;
    currency?: string;
    outcome?: string;
    message_id?: string;
    grounds?: string[];
  };
  const base = { owner: a.caption, program: a.programs.join("; "), legalAuthority: authorityOf(a) };
  if (src.kind === "visa")
    return { ...base, consequence: "refuse_visa", ground: c.grounds?.[0] ?? base.legalAuthority };
  if (src.kind === "payment") {
    return {
      ...base,
      consequence: c.outcome === "reject" ? "reject" : "block",
      propertyType: "funds transfer",
      ...(c.amount ? { value: Number(c.amount) } : {}),
      ...(c.currency ? { currency: c.currency } : {}),
      ...(c.message_id ? { reference: c.message_id } : {}),
    };
  }
  return { ...base, consequence: "block", propertyType: "account" };
}

/** A value now (the SQLite book) or later (the PostgreSQL one): callers `await` either. */
export type Awaitable<T> = T | Promise<T>;

/**
 * The case work both books do, CaseBook on SQLite and PgCaseBook (cases-pg.ts) on PostgreSQL,
 * with the same rules: what the console's pages call, awaiting every answer.
 */
export interface CaseWork {
  alert(id: number): Awaitable<Alert>;
  state(alert: Alert): Awaitable<CaseState>;
  states(): Awaitable<Map<number, CaseStatus>>;
  sourceKinds(): Awaitable<Map<number, SourceKind>>;
  source(alertId: number): Awaitable<CaseSource>;
  defaults(a: Alert): Awaitable<MatchDetails>;
  mayConfirm(st: CaseState, user: User): { ok: boolean; why: string };
  take(alertId: number, user: User): Promise<CaseState>;
  propose(
    alertId: number,
    user: User,
    decision: Decision,
    note: string,
    details?: MatchDetails,
  ): Promise<CaseState | Alert>;
  confirm(alertId: number, user: User, accept: boolean, note?: string): Promise<Alert>;
  comment(alertId: number, user: User, text: string): Promise<void>;
  comments(alertId: number): Awaitable<{ id: number; author: string; at: string; text: string }[]>;
  attach(alertId: number, user: User, name: string, type: string, content: Buffer): Promise<number>;
  attachments(
    alertId: number,
  ): Awaitable<
    { id: number; author: string; at: string; name: string; type: string; sha256: string; size: number }[]
  >;
  attachment(
    id: number,
  ): Awaitable<{ alertId: number; name: string; type: string; content: Buffer } | undefined>;
  blockedProperty(): Awaitable<BlockedProperty[]>;
  rejectedTransactions(): Awaitable<RejectedTransaction[]>;
  visaRefusals(): Awaitable<VisaRefusal[]>;
}

export class CaseBook implements CaseWork {
  private readonly s: Stmts;

  constructor(
    readonly store: Store,
    readonly db: Database.Database,
  ) {
    db.exec(SQL.schema);
    this.s = Object.fromEntries(
      Object.entries(SQL)
        .filter(([k]) => k !== "schema")
        .map(([k, v]) => [k, db.prepare(v)]),
    ) as Stmts;
  }

  private get alerts() {
    return alertsOf(this.store);
  }

  private async audit(
    user: User,
    action: Parameters<ReturnType<typeof auditOf>["append"]>[1],
    detail: Record<string, unknown>,
    extra: Record<string, unknown> = {},
  ) {
    auditOf(this.store).append(
      user.name,
      action,
      { role: user.role, ...detail, ...extra },
      await currentVersions(this.store),
    );
  }

  alert(id: number): Alert {
    const a = this.alerts.get(id);
    if (!a) throw new InterdictError("INTERDICT_E_NOT_FOUND", `no alert ${id}`, { field: "alert" });
    return a;
  }

  state(alert: Alert): CaseState {
    if (alert.status === "decided") return { status: "decided" };
    return toCaseState(alert, this.s.state.get(alert.id) as CaseRow | undefined);
  }

  /** Case statuses of every undecided alert that has one (for the queue's filters and counts). */
  states(): Map<number, CaseStatus> {
    return new Map(
      (this.s.states.all() as { alert_id: number; status: CaseStatus }[]).map((r) => [r.alert_id, r.status]),
    );
  }

  sourceKinds(): Map<number, SourceKind> {
    return new Map(
      (this.s.sources.all() as { alert_id: number; kind: SourceKind }[]).map((r) => [r.alert_id, r.kind]),
    );
  }

  source(alertId: number): CaseSource {
    return toCaseSource(this.s.source.get(alertId) as SourceRow | undefined);
  }

  /** Notes where a service screening's alert came from (idempotent). */
  setSource(alertId: number, kind: SourceKind, screeningId: string, context: Record<string, unknown>): void {
    this.s.insertSource.run(alertId, kind, screeningId, JSON.stringify(context));
  }

  private write(alertId: number, st: CaseState, at: string): void {
    this.s.upsertState.run({ alertId, ...caseRowValues(st, at) });
  }

  /** Takes an open alert into review. */
  async take(alertId: number, user: User, at = new Date().toISOString()): Promise<CaseState> {
    requireDecider(user);
    const a = this.alert(alertId);
    const next = takenState(alertId, this.state(a), user);
    this.write(alertId, next, at);
    await this.audit(user, "alert_taken", { alert: alertId });
    return next;
  }

  /**
   * An analyst's decision (`proposal`): escalate keeps the alert for a more senior reviewer;
   * clear is final at once; a true match or a false positive waits for four-eyes confirmation.
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
    const a = this.alert(alertId);
    const p = proposal(a, this.state(a), user, decision, note, details, () => this.defaults(a));
    if (p.kind === "decide") {
      const done = this.alerts.decide(alertId, decision, user.name, note, at);
      this.s.deleteState.run(alertId);
      await this.audit(user, "decision_confirmed", p.audit, extra);
      return done;
    }
    this.write(alertId, p.next, at);
    await this.audit(user, "decision_proposed", p.audit, extra);
    return p.next;
  }

  /** Whether `user` may confirm what is pending (`mayConfirm`). */
  mayConfirm(st: CaseState, user: User): { ok: boolean; why: string } {
    return mayConfirm(st, user);
  }

  /** The second pair of eyes: confirms (the decision takes effect) or returns it for review.
   *  `extra` (as in propose) goes into the audit entry's detail: the API notes its key there. */
  async confirm(
    alertId: number,
    user: User,
    accept: boolean,
    note = "",
    at = new Date().toISOString(),
    extra: Record<string, unknown> = {},
  ) {
    const a = this.alert(alertId);
    const st = this.state(a);
    const may = mayConfirm(st, user);
    if (!may.ok) throw new InterdictError("INTERDICT_E_FORBIDDEN", may.why, { field: "confirm" });
    if (!accept) {
      this.write(alertId, returnedState(st, user, note), at);
      await this.audit(
        user,
        "decision_returned",
        {
          alert: alertId,
          decision: st.proposed,
          proposer: st.proposer,
          note,
        },
        extra,
      );
      return this.alert(alertId);
    }
    const c = confirmed(st, user, note);
    const consequence = this.db.transaction(() => {
      const done = this.alerts.decide(alertId, c.decision, c.analyst, c.note, at);
      this.s.deleteState.run(alertId);
      return c.decision === "true_match" && st.details
        ? this.consequence(done, st.details, st.proposer ?? "", user.name, at)
        : null;
    })();
    await this.audit(
      user,
      "decision_confirmed",
      {
        alert: alertId,
        subject: a.subjectId,
        entity: a.entityId,
        decision: c.decision,
        proposer: st.proposer,
        four_eyes: true,
        ...(consequence ? { register: consequence } : {}),
      },
      extra,
    );
    return this.alert(alertId);
  }

  private consequence(a: Alert, d: MatchDetails, proposedBy: string, confirmedBy: string, at: string) {
    const e = registerEntry(a, d, this.source(a.id), proposedBy, confirmedBy, at);
    if (!e) return null;
    const insert = {
      blocked_property: this.s.insertProperty,
      rejected_transaction: this.s.insertRejected,
      visa_refusal: this.s.insertRefusal,
    }[e.register];
    return { [e.register]: Number(insert.run(e.row).lastInsertRowid) };
  }

  /** What the decision form is pre-filled with, from where the alert came from. */
  defaults(a: Alert): MatchDetails {
    return matchDefaults(a, this.source(a.id));
  }

  async comment(alertId: number, user: User, text: string, at = new Date().toISOString()): Promise<void> {
    this.alert(alertId);
    if (!text.trim()) throw new InterdictError("INTERDICT_E_INPUT", "an empty comment", { field: "text" });
    this.s.insertComment.run(alertId, user.name, at, text);
    await this.audit(user, "comment", { alert: alertId, chars: text.length });
  }

  comments(alertId: number): { id: number; author: string; at: string; text: string }[] {
    return this.s.comments.all(alertId) as { id: number; author: string; at: string; text: string }[];
  }

  async attach(
    alertId: number,
    user: User,
    name: string,
    type: string,
    content: Buffer,
    at = new Date().toISOString(),
  ) {
    this.alert(alertId);
    const sha256 = createHash("sha256").update(content).digest("hex");
    const r = this.s.insertAttachment.run(
      alertId,
      user.name,
      at,
      name || "attachment",
      type || "application/octet-stream",
      sha256,
      content,
    );
    await this.audit(user, "attachment", { alert: alertId, name, sha256, bytes: content.length });
    return Number(r.lastInsertRowid);
  }

  attachments(
    alertId: number,
  ): { id: number; author: string; at: string; name: string; type: string; sha256: string; size: number }[] {
    return this.s.attachments.all(alertId) as {
      id: number;
      author: string;
      at: string;
      name: string;
      type: string;
      sha256: string;
      size: number;
    }[];
  }

  attachment(id: number): { alertId: number; name: string; type: string; content: Buffer } | undefined {
    const r = this.s.attachment.get(id) as
      | { alert_id: number; name: string; type: string; content: Buffer }
      | undefined;
    return r ? { alertId: r.alert_id, name: r.name, type: r.type, content: r.content } : undefined;
  }

  blockedProperty(): BlockedProperty[] {
    return (this.s.properties.all() as Record<string, unknown>[]).map(
      (r) => camel(r) as unknown as BlockedProperty,
    );
  }

  rejectedTransactions(): RejectedTransaction[] {
    return (this.s.rejected.all() as Record<string, unknown>[]).map(
      (r) => camel(r) as unknown as RejectedTransaction,
    );
  }

  visaRefusals(): VisaRefusal[] {
    return (this.s.refusals.all() as Record<string, unknown>[]).map(
      (r) => camel(r) as unknown as VisaRefusal,
    );
  }
}

const books = new WeakMap<Database.Database, CaseBook>();

export function casesOf(store: Store): CaseBook {
  const db = alertsOf(store).db;
  let b = books.get(db);
  if (!b) {
    b = new CaseBook(store, db);
    books.set(db, b);
  }
  return b;
}
