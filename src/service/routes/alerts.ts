// Alerts over HTTP, on either store: GET /alerts (a page of one status), GET /alerts/{id} (with
// its case), POST /alerts/{id}/propose, POST /alerts/{id}/confirm, and POST /alerts/{id}/decision
// (the same as propose, kept for the clients that called it before proposals existed). The
// actor is the calling key: its name (else its id) as the person, its role mapped to the case
// workflow's (`userOf`). The workflow is the console's (cases.ts; on PostgreSQL cases-pg.ts with
// the same rules): clear is final at once; escalate hands the alert to a senior reviewer; a
// true match or a false positive is proposed (202, the case pending) and takes effect only
// when a different person of a higher role confirms it (four-eyes; an admin's proposal by
// another admin), who may instead return it to review. A confirmed true match writes its
// register row (blocked property, rejected transaction or visa refusal) from the proposal's
// `details`, pre-filled from the alert's source.
//
// One decision per alert however many replicas are asked at once: on PostgreSQL every step
// locks the alert's row and writes the decision, case, register row and audit entry in one
// transaction (PgCaseBook), on SQLite the single writer does it; every loser is answered 409
// naming the decision that stands. The service's start still catches up any decided alert on
// PostgreSQL without an entry (`recordDecisions`), for decisions made before they shared one
// transaction.

import type { FastifyRequest } from "fastify";
import { Type } from "typebox";
import { auditOf, currentVersions } from "../../audit/log.js";
import { type AuditEvent, auditTrailOf } from "../../audit/log-pg.js";
import {
  type CaseState,
  type Consequence,
  casesOf,
  type MatchDetails,
  NOTHING_PENDING,
} from "../../cases/cases.js";
import { pgCasesOf } from "../../cases/cases-pg.js";
import { InterdictError } from "../../errors.js";
import { type Alert, alertsOf, DECISIONS, type Decision } from "../../monitor/alerts.js";
import { PostgresStore } from "../../store/postgres.js";
import { SqliteStore } from "../../store/sqlite.js";
import type { Store } from "../../store/store.js";
import type { User } from "../../users/users.js";
import type { App, ServiceContext } from "../app.js";
import { actorOf } from "./designations.js";

const BODY_FIELDS = ["decision", "note", "details"];
const CONFIRM_FIELDS = ["accept", "note"];
const CONSEQUENCES: readonly Consequence[] = ["block", "reject", "refuse_visa", "none"];
/** The register details of a true match, as the API spells them, and the case book's names. */
const DETAIL_FIELDS: Record<string, keyof MatchDetails> = {
  consequence: "consequence",
  property_type: "propertyType",
  location: "location",
  value: "value",
  currency: "currency",
  date: "date",
  owner: "owner",
  program: "program",
  legal_authority: "legalAuthority",
  reference: "reference",
  ground: "ground",
};

const LIMITS = { defaultLimit: 100, maxLimit: 1000, maxNote: 4000, maxDetail: 1000 } as const;

type Status = "open" | "decided";

/** Audit detail the API adds to the case book's own: how the step came, and by which key. */
type Via = Record<string, unknown>;

/** The alerts and cases of a store, asynchronous on both engines, each step with its audit entry. */
interface Book {
  get(id: number): Promise<Alert | undefined>;
  list(opts: { status: Status; after: number; limit: number }): Promise<Alert[]>;
  state(alert: Alert): Promise<CaseState>;
  defaults(alert: Alert): Promise<MatchDetails>;
  /** A clear, final at once with its entry; refused as the alert book does when not open. */
  clear(alert: Alert, user: User, note: string, via: Via, versions: readonly string[]): Promise<Alert>;
  propose(
    id: number,
    user: User,
    decision: Decision,
    note: string,
    details: MatchDetails | undefined,
    via: Via,
  ): Promise<CaseState | Alert>;
  confirm(id: number, user: User, accept: boolean, note: string, via: Via): Promise<Alert>;
}

function sqliteBook(store: SqliteStore): Book {
  const alerts = alertsOf(store);
  const cases = casesOf(store);
  const log = auditOf(store);
  return {
    get: async (id) => alerts.get(id),
    list: async (o) => alerts.list(o),
    state: async (a) => cases.state(a),
    defaults: async (a) => cases.defaults(a),
    // One SQLite transaction: the decision and its entry are written together or not at all.
    clear: async (a, user, note, via, versions) =>
      alerts.db.transaction(() => {
        const st = cases.state(alerts.get(a.id) ?? a);
        if (st.status === "pending") throw awaiting(a.id, st);
        const done = alerts.decide(a.id, "clear", user.name, note);
        const e = decisionEvent(done, user.name, note, versions, { ...via, role: user.role });
        log.append(e.actor, e.action, e.detail, e.listVersions);
        return done;
      })(),
    propose: (id, user, decision, note, details, via) =>
      cases.propose(id, user, decision, note, details, undefined, via),
    confirm: (id, user, accept, note, via) => cases.confirm(id, user, accept, note, undefined, via),
  };
}

function pgBook(store: PostgresStore): Book {
  const cases = pgCasesOf(store);
  return {
    get: (id) => cases.alerts.get(id),
    list: (o) => cases.alerts.list(o),
    state: (a) => cases.state(a),
    defaults: (a) => cases.defaults(a),
    // The case book's clear: under the alert's row lock, refused while a proposal is pending,
    // decision and entry in one transaction.
    clear: async (a, user, note, via) => {
      const done = await cases.propose(a.id, user, "clear", note, undefined, undefined, {
        subject: a.subjectId,
        entity: a.entityId,
        ...via,
      });
      return done as Alert;
    },
    propose: (id, user, decision, note, details, via) =>
      cases.propose(id, user, decision, note, details, undefined, via),
    confirm: (id, user, accept, note, via) => cases.confirm(id, user, accept, note, undefined, via),
  };
}

const books = new WeakMap<Store, Book>();
function bookOf(store: Store): Book {
  let b = books.get(store);
  if (!b) {
    if (store instanceof SqliteStore) b = sqliteBook(store);
    else if (store instanceof PostgresStore) b = pgBook(store);
    else throw new InterdictError("INTERDICT_E_USAGE", "alerts need a SQLite or PostgreSQL store");
    books.set(store, b);
  }
  return b;
}

/**
 * An API key as a person of the case workflow: its name (else its id), an analyst key as an
 * analyst and an admin key as an admin. So an analyst key's proposal is confirmed by an admin
 * key, an admin key's by another admin key; keys of one name are one person. (A screen key
 * never reaches these routes; the console's supervisor has no key role.)
 */
export function userOf(req: FastifyRequest): User {
  const key = req.apiKey;
  if (!key) throw new InterdictError("INTERDICT_E_AUTH", "API key required", { field: "authorization" });
  return { name: actorOf(req), role: key.role === "admin" ? "admin" : "analyst" };
}

/** The audit entry of an alert's decision; `by` says how it came (the key, or a catch-up). */
function decisionEvent(
  alert: Alert,
  actor: string,
  note: string,
  versions: readonly string[],
  by: Record<string, unknown>,
  at?: string,
): AuditEvent {
  return {
    actor,
    action: "decision_confirmed",
    detail: {
      alert: alert.id,
      subject: alert.subjectId,
      entity: alert.entityId,
      decision: alert.decision,
      note,
      four_eyes: false,
      ...by,
    },
    listVersions: versions,
    ...(at ? { at } : {}),
  };
}

/**
 * Appends the decision entry of every decided alert that has none — a decision made before
 * PostgreSQL wrote both in one transaction, by a replica that stopped between the two.
 * Idempotent and safe from several replicas at once (`appendNew`); on PostgreSQL only.
 */
export async function recordDecisions(store: Store): Promise<number> {
  if (!(store instanceof PostgresStore)) return 0;
  const book = bookOf(store);
  const trail = auditTrailOf(store);
  const have = new Set((await trail.details("decision_confirmed")).map((d) => d.alert));
  const missing: AuditEvent[] = [];
  const PAGE = 500;
  for (let after = 0; ; ) {
    const page = await book.list({ status: "decided", after, limit: PAGE });
    for (const a of page) {
      if (have.has(a.id)) continue;
      missing.push(
        decisionEvent(a, a.analyst ?? "unknown", a.note ?? "", [], { via: "recovered" }, a.decidedAt),
      );
    }
    const last = page.at(-1);
    if (!last || page.length < PAGE) break;
    after = last.id;
  }
  return (await trail.appendNew("alert", missing)).length;
}

const snake = (k: string) => k.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);

const snakeKeys = (o: object): Record<string, unknown> =>
  Object.fromEntries(Object.entries(o).map(([k, v]) => [snake(k), v]));

/** An alert as the API answers it: every field of the book's alert, in snake_case. */
export function alertJson(a: Alert): Record<string, unknown> {
  return snakeKeys(a);
}

function notFound(id: number): InterdictError {
  return new InterdictError("INTERDICT_E_NOT_FOUND", `no alert ${id}`, { field: "id" });
}

function alreadyDecided(a: Alert): InterdictError {
  return new InterdictError(
    "INTERDICT_E_CONFLICT",
    `alert ${a.id} is already decided: ${a.decision} by ${a.analyst} at ${a.decidedAt}`,
    { field: "id" },
  );
}

function awaiting(id: number, st: CaseState): InterdictError {
  return new InterdictError(
    "INTERDICT_E_CONFLICT",
    `alert ${id} awaits a second person's confirmation of ${st.proposed} proposed by ${st.proposer}; confirm or return it (POST /alerts/${id}/confirm)`,
    { field: "id" },
  );
}

/** A case as the API answers it, in snake_case (the register details too). */
export function caseJson(st: CaseState): Record<string, unknown> {
  const out = snakeKeys(st);
  if (st.details) out.details = snakeKeys(st.details);
  return out;
}

/** Refuses a body field that is not one of `fields` (the validator would drop it silently). */
function onlyFields(body: object, fields: readonly string[], what: string, prefix = ""): void {
  const extra = Object.keys(body).find((k) => !fields.includes(k));
  if (extra) {
    throw new InterdictError(
      "INTERDICT_E_INPUT",
      `body field ${prefix}${extra}: not a field of ${what} (${fields.join(", ")})`,
      { field: `${prefix}${extra}` },
    );
  }
}

/**
 * A true match's register details from the body, over the alert's defaults (its source's
 * amount, currency, reference, grounds); only a true match carries them.
 */
async function detailsOf(
  b: Book,
  a: Alert,
  decision: Decision,
  given: Record<string, unknown> | undefined,
): Promise<MatchDetails | undefined> {
  if (given === undefined) return undefined;
  if (decision !== "true_match") {
    throw new InterdictError(
      "INTERDICT_E_INPUT",
      `body field details: only a true_match has register details, not a ${decision}`,
      { field: "details" },
    );
  }
  onlyFields(given, Object.keys(DETAIL_FIELDS), "a true match's details", "details.");
  const mine = Object.fromEntries(Object.entries(given).map(([k, v]) => [DETAIL_FIELDS[k], v]));
  return { ...(await b.defaults(a)), ...mine } as MatchDetails;
}

/**
 * What a refused step means once the dust settles: an alert another request decided first is
 * 409 naming that decision; nothing (any longer) awaiting confirmation, or a state the step
 * cannot act on (decided, pending), is 409; the rest as thrown (403 for a four-eyes rule).
 */
async function settle(b: Book, id: number, e: unknown): Promise<never> {
  if (!(e instanceof InterdictError)) throw e;
  const now = await b.get(id);
  if (now?.status === "decided") throw alreadyDecided(now);
  const nothing = e.code === "INTERDICT_E_FORBIDDEN" && e.message.endsWith(NOTHING_PENDING);
  if (e.code === "INTERDICT_E_USAGE" || nothing) {
    if (now) {
      const st = await b.state(now);
      if (st.status === "pending") throw awaiting(id, st);
      throw new InterdictError(
        "INTERDICT_E_CONFLICT",
        `alert ${id}: ${nothing ? `${NOTHING_PENDING} (case ${st.status})` : e.message}`,
        { field: "id" },
      );
    }
  }
  throw e;
}

/** A schema failure on this route as 400 naming the field (the routes validate by hand). */
function badRequest(req: FastifyRequest): void {
  const v = req.validationError as
    | (Error & {
        validationContext?: string;
        validation?: { instancePath?: string; message?: string; params?: Record<string, unknown> }[];
      })
    | undefined;
  if (!v) return;
  const where =
    v.validationContext === "body" ? "body" : v.validationContext === "params" ? "path" : "query parameter";
  const issue = v.validation?.[0] ?? {};
  const parts = (issue.instancePath ?? "").split("/").filter(Boolean);
  for (const p of ["missingProperty", "additionalProperty"]) {
    const f = issue.params?.[p];
    if (typeof f === "string") parts.push(f);
  }
  const allowed = issue.params?.allowedValues;
  const field = parts.join(".") || where;
  const why = Array.isArray(allowed)
    ? `must be one of ${allowed.join(", ")}`
    : (issue.message ?? "is invalid");
  throw new InterdictError("INTERDICT_E_INPUT", `${where} field ${field}: ${why}`, { field });
}

const AlertId = Type.Object({ id: Type.Integer({ minimum: 1, description: "the alert's id" }) });

const text = (description: string, maxLength: number = LIMITS.maxDetail) =>
  Type.Optional(Type.String({ maxLength, description }));

const Details = Type.Object(
  {
    consequence: Type.Enum([...CONSEQUENCES], {
      description:
        "what the confirmed match does: block (blocked property register), reject (rejected transactions), refuse_visa (visa refusals) or none",
    }),
    property_type: text("block: what is blocked (account, funds transfer, real estate…)"),
    location: text("block: where the property is held"),
    value: Type.Optional(Type.Number({ minimum: 0, description: "block/reject: the amount" })),
    currency: Type.Optional(Type.String({ pattern: "^[A-Za-z]{3}$", description: "ISO 4217" })),
    date: Type.Optional(
      Type.String({
        pattern: "^\\d{4}-\\d{2}-\\d{2}$",
        description: "YYYY-MM-DD blocked / rejected / refused (default: the day it is confirmed)",
      }),
    ),
    owner: text("the owner or party (default: the listed name)"),
    program: text("the sanctions programme (default: the listing's)"),
    legal_authority: text("the legal authority (default: the listing's regimes)"),
    reference: text("the account, transaction or message reference"),
    ground: text("refuse_visa: the legal ground cited"),
  },
  {
    description:
      "a true match's register particulars; each field not given is pre-filled from where the alert came from (a payment's amount, currency and message id, a visa screening's grounds)",
  },
);

const ProposeBody = Type.Object(
  {
    decision: Type.Enum([...DECISIONS], {
      description:
        "clear (final at once), escalate (to a senior reviewer), true_match or false_positive (await a second person's confirmation)",
    }),
    note: Type.Optional(Type.String({ maxLength: LIMITS.maxNote, description: "why" })),
    details: Type.Optional(Details),
  },
  { description: "no other fields: a misspelt one is refused, not ignored" },
);

export function registerAlerts(app: App, ctx: ServiceContext): void {
  const tags = ["alerts"];
  const analyst = { role: "analyst" as const };
  const book = () => bookOf(ctx.store);

  app.get(
    "/alerts",
    {
      schema: {
        tags,
        summary: "Alerts of one status in id order, a page at a time (after: the last id seen)",
        querystring: Type.Object({
          status: Type.Optional(Type.Enum(["open", "decided"], { default: "open" })),
          after: Type.Optional(Type.Integer({ minimum: 0, default: 0 })),
          limit: Type.Optional(
            Type.Integer({ minimum: 1, maximum: LIMITS.maxLimit, default: LIMITS.defaultLimit }),
          ),
        }),
      },
      attachValidation: true,
      config: analyst,
    },
    async (req) => {
      badRequest(req);
      const q = req.query;
      const limit = q.limit ?? LIMITS.defaultLimit;
      const alerts = await book().list({ status: q.status ?? "open", after: q.after ?? 0, limit });
      const last = alerts.at(-1);
      return { alerts: alerts.map(alertJson), next_after: last && alerts.length === limit ? last.id : null };
    },
  );

  app.get(
    "/alerts/:id",
    {
      schema: {
        tags,
        summary: "One alert, open or decided, with its explanation and its case (status, proposal, details)",
        params: AlertId,
      },
      attachValidation: true,
      config: analyst,
    },
    async (req) => {
      badRequest(req);
      const b = book();
      const a = await b.get(req.params.id);
      if (!a) throw notFound(req.params.id);
      return { ...alertJson(a), case: caseJson(await b.state(a)) };
    },
  );

  /** Propose (and /decision): clear at once, escalate, or a four-eyes decision left pending. */
  const propose = async (
    req: FastifyRequest<{ Params: { id: number }; Body: Record<string, unknown> }>,
    reply: { code(n: number): unknown },
  ) => {
    badRequest(req);
    onlyFields(req.body, BODY_FIELDS, "a proposal");
    const { id } = req.params;
    const decision = req.body.decision as Decision;
    const note = (req.body.note as string | undefined) ?? "";
    const b = book();
    const before = await b.get(id);
    if (!before) throw notFound(id);
    if (before.status !== "open") throw alreadyDecided(before);
    const details = await detailsOf(
      b,
      before,
      decision,
      req.body.details as Record<string, unknown> | undefined,
    );
    const user = userOf(req);
    const via = { via: "api", key: req.apiKey?.id };
    try {
      if (decision === "clear") {
        const st = await b.state(before);
        if (st.status === "pending") throw awaiting(id, st);
        const done = await b.clear(before, user, note, via, await currentVersions(ctx.store));
        return { ...alertJson(done), case: { status: "decided" } };
      }
      const st = (await b.propose(id, user, decision, note, details, via)) as CaseState;
      reply.code(202);
      return { ...alertJson((await b.get(id)) ?? before), case: caseJson(st) };
    } catch (e) {
      return settle(b, id, e);
    }
  };

  const proposeSchema = (summary: string) => ({
    schema: { tags, summary, params: AlertId, body: ProposeBody },
    attachValidation: true,
    config: analyst,
  });

  app.post(
    "/alerts/:id/propose",
    proposeSchema(
      "Decide or propose as the calling key: clear is final at once (200); escalate, true_match and false_positive are recorded as the case's proposal (202) — a true match or a false positive takes effect when another key of a higher role confirms it (POST /alerts/{id}/confirm). One decision per alert across replicas (409 to the rest)",
    ),
    propose,
  );

  app.post(
    "/alerts/:id/decision",
    proposeSchema(
      "The same as POST /alerts/{id}/propose (clear decided at once, 200; the others proposed, 202), kept for clients that called it before proposals existed",
    ),
    propose,
  );

  app.post(
    "/alerts/:id/confirm",
    {
      schema: {
        tags,
        summary:
          "The second pair of eyes on a pending true_match or false_positive: accept decides it (its register row written with it), or return it to review. Refused (403) to the proposer and to a role not above theirs (an admin's proposal: another admin); of several confirming at once one decides, the rest get 409",
        params: AlertId,
        body: Type.Object(
          {
            accept: Type.Boolean({ description: "true: the decision takes effect; false: back to review" }),
            note: Type.Optional(Type.String({ maxLength: LIMITS.maxNote, description: "why" })),
          },
          { description: "no other fields: a misspelt one is refused, not ignored" },
        ),
      },
      attachValidation: true,
      config: analyst,
    },
    async (req) => {
      badRequest(req);
      onlyFields(req.body, CONFIRM_FIELDS, "a confirmation");
      const { id } = req.params;
      const { accept, note = "" } = req.body;
      const b = book();
      const before = await b.get(id);
      if (!before) throw notFound(id);
      if (before.status !== "open") throw alreadyDecided(before);
      const user = userOf(req);
      try {
        const done = await b.confirm(id, user, accept, note, { via: "api", key: req.apiKey?.id });
        return { ...alertJson(done), case: caseJson(await b.state(done)) };
      } catch (e) {
        return settle(b, id, e);
      }
    },
  );

  // Decisions a stopped replica decided but did not record (PostgreSQL only; see above).
  app.addHook("onReady", async () => {
    try {
      const n = await recordDecisions(ctx.store);
      if (n > 0) app.log.warn({ recovered: n }, "audit entries of decided alerts caught up");
    } catch (err) {
      // Not a reason to refuse screening; the next start tries again.
      app.log.error({ err }, "could not catch up the audit entries of decided alerts");
    }
  });
}
