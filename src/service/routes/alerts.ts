// Alerts over HTTP, on either store: GET /alerts (a page of one status), GET /alerts/{id}, and
// POST /alerts/{id}/decision. The analyst is the calling key (its name, else its id). One
// decision per alert however many replicas are asked at once: the alert book decides under the
// row's lock (PgAlertBook) or SQLite's single writer, and every loser is answered 409 naming
// the decision that stands. Only the winner appends the audit entry — on SQLite in the
// decision's own transaction; on PostgreSQL right after it commits (PgAlertBook keeps its
// transaction to itself), and the service's start catches up any decided alert whose entry a
// crash in between lost (`recordDecisions`).
//
// Four-eyes is not bypassed: a true match or a false positive needs a second person of a
// higher role (the console's case workflow, SQLite only so far), so this API refuses them; an
// escalation hands the alert to a senior reviewer, a case state this API cannot hold either.
// What a key may decide here is `clear`, final at once as in the console.

import type { FastifyRequest } from "fastify";
import { Type } from "typebox";
import { auditOf, currentVersions } from "../../audit/log.js";
import { type AuditEvent, type AuditTrail, auditTrailOf } from "../../audit/log-pg.js";
import { casesOf, NEEDS_CONFIRMATION } from "../../cases/cases.js";
import { InterdictError } from "../../errors.js";
import { type Alert, alertsOf, DECISIONS, type Decision } from "../../monitor/alerts.js";
import { PgAlertBook } from "../../monitor/alerts-pg.js";
import { PostgresStore } from "../../store/postgres.js";
import { SqliteStore } from "../../store/sqlite.js";
import type { Store } from "../../store/store.js";
import type { App, ServiceContext } from "../app.js";
import { actorOf } from "./designations.js";

/** The decisions a key may make alone over this API, and why the others need the console. */
const API_DECISIONS: readonly Decision[] = ["clear"];
const REFUSED: Partial<Record<Decision, string>> = {
  escalate:
    "an escalation hands the alert to a senior reviewer, a case state kept by the analyst console; escalate it there",
};

const BODY_FIELDS = ["decision", "note"];

const LIMITS = { defaultLimit: 100, maxLimit: 1000, maxNote: 4000 } as const;

type Status = "open" | "decided";

/** The alerts of a store, asynchronous on both engines, deciding with its audit entry. */
interface Book {
  get(id: number): Promise<Alert | undefined>;
  list(opts: { status: Status; after: number; limit: number }): Promise<Alert[]>;
  /** Decides and records it once; throws as the alert book does when the alert is not open. */
  decide(id: number, decision: Decision, analyst: string, note: string, audit: AuditEvent): Promise<Alert>;
  /** Whether a case awaits a second person's confirmation (SQLite's case workflow). */
  pending(alert: Alert): string | undefined;
}

function sqliteBook(store: SqliteStore): Book {
  const alerts = alertsOf(store);
  const log = auditOf(store);
  return {
    get: async (id) => alerts.get(id),
    list: async (o) => alerts.list(o),
    // One SQLite transaction: the decision and its entry are written together or not at all.
    decide: async (id, decision, analyst, note, audit) =>
      alerts.db.transaction(() => {
        const done = alerts.decide(id, decision, analyst, note);
        log.append(audit.actor, audit.action, audit.detail, audit.listVersions);
        return done;
      })(),
    pending: (alert) => {
      const st = casesOf(store).state(alert);
      return st.status === "pending"
        ? `alert ${alert.id} awaits a second person's confirmation of ${st.proposed} proposed by ${st.proposer}; confirm or return it in the console`
        : undefined;
    },
  };
}

function pgBook(store: PostgresStore, trail: AuditTrail): Book {
  const alerts = new PgAlertBook(store);
  return {
    get: (id) => alerts.get(id),
    list: (o) => alerts.list(o),
    decide: async (id, decision, analyst, note, audit) => {
      const done = await alerts.decide(id, decision, analyst, note);
      // Keyed by alert, so this and a catch-up racing it record the decision once.
      await trail.appendNew("alert", [audit]);
      return done;
    },
    pending: () => undefined,
  };
}

const books = new WeakMap<Store, Book>();
function bookOf(store: Store): Book {
  let b = books.get(store);
  if (!b) {
    if (store instanceof SqliteStore) b = sqliteBook(store);
    else if (store instanceof PostgresStore) b = pgBook(store, auditTrailOf(store));
    else throw new InterdictError("INTERDICT_E_USAGE", "alerts need a SQLite or PostgreSQL store");
    books.set(store, b);
  }
  return b;
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
 * Appends the decision entry of every decided alert that has none — a decision whose replica
 * stopped between deciding and recording. Idempotent and safe from several replicas at once
 * (`appendNew`); on PostgreSQL only, where those are two transactions.
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

/** An alert as the API answers it: every field of the book's alert, in snake_case. */
export function alertJson(a: Alert): Record<string, unknown> {
  return Object.fromEntries(Object.entries(a).map(([k, v]) => [snake(k), v]));
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
      schema: { tags, summary: "One alert, open or decided, with its explanation", params: AlertId },
      attachValidation: true,
      config: analyst,
    },
    async (req) => {
      badRequest(req);
      const a = await book().get(req.params.id);
      if (!a) throw notFound(req.params.id);
      return alertJson(a);
    },
  );

  app.post(
    "/alerts/:id/decision",
    {
      schema: {
        tags,
        summary:
          "Decide an open alert as the calling key; one decision per alert across replicas (409 to the rest). Only clear: a true match or a false positive needs four-eyes confirmation, an escalation a senior reviewer, both in the console",
        params: AlertId,
        body: Type.Object(
          {
            decision: Type.Enum([...DECISIONS], {
              description: "clear (true_match, false_positive and escalate are refused here: see summary)",
            }),
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
      // Checked here, not by the schema: the validator would drop an unknown field silently.
      const extra = Object.keys(req.body).find((k) => !BODY_FIELDS.includes(k));
      if (extra) {
        throw new InterdictError(
          "INTERDICT_E_INPUT",
          `body field ${extra}: not a field of a decision (${BODY_FIELDS.join(", ")})`,
          { field: extra },
        );
      }
      const { id } = req.params;
      const { decision, note = "" } = req.body;
      const b = book();
      const before = await b.get(id);
      if (!before) throw notFound(id);
      if (before.status !== "open") throw alreadyDecided(before);
      if (NEEDS_CONFIRMATION.includes(decision)) {
        throw new InterdictError(
          "INTERDICT_E_CONFLICT",
          `a ${decision} decision needs a second person: it is proposed and confirmed by another user of a higher role (four-eyes) in the analyst console, not decided by one key`,
          { field: "decision" },
        );
      }
      if (!API_DECISIONS.includes(decision)) {
        throw new InterdictError(
          "INTERDICT_E_CONFLICT",
          REFUSED[decision] ?? `${decision} is not decided here`,
          {
            field: "decision",
          },
        );
      }
      const waiting = b.pending(before);
      if (waiting) throw new InterdictError("INTERDICT_E_CONFLICT", waiting, { field: "id" });
      const key = req.apiKey as NonNullable<typeof req.apiKey>;
      const actor = actorOf(req);
      const versions = await currentVersions(ctx.store);
      try {
        const by = { via: "api", key: key.id, role: key.role };
        const event = decisionEvent({ ...before, decision }, actor, note, versions, by);
        const done = await b.decide(id, decision, actor, note, event);
        return alertJson(done);
      } catch (e) {
        // Another replica (or request) decided it first: say which decision stands.
        if (!(e instanceof InterdictError) || e.code !== "INTERDICT_E_USAGE") throw e;
        const now = await b.get(id);
        if (now?.status === "decided") throw alreadyDecided(now);
        throw e;
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
