// What the console's pages read and write, on the store's own engine: the case book (CaseBook on
// SQLite, PgCaseBook on PostgreSQL, one `CaseWork` interface), the alert queue of the same book,
// and the audit trail (`auditTrailOf`). Pages await every answer, so one page serves both.

import { type AuditTrail, auditTrailOf } from "../audit/log-pg.js";
import { type Awaitable, type CaseWork, casesOf } from "../cases/cases.js";
import { pgCasesOf } from "../cases/cases-pg.js";
import { InterdictError } from "../errors.js";
import { type Alert, alertsOf } from "../monitor/alerts.js";
import { PostgresStore } from "../store/postgres.js";
import { SqliteStore } from "../store/sqlite.js";
import type { Store } from "../store/store.js";

/** The alert queue: a status's alerts in id order, and how many of each. */
export interface QueueBook {
  list(opts: { status?: "open" | "decided" }): Awaitable<Alert[]>;
  counts(): Awaitable<{ open: number; decided: number }>;
}

export interface ConsoleBooks {
  readonly cases: CaseWork;
  readonly alerts: QueueBook;
  readonly trail: AuditTrail;
}

export function consoleBooks(store: Store): ConsoleBooks {
  const trail = auditTrailOf(store);
  if (store instanceof SqliteStore) {
    return { cases: casesOf(store), alerts: alertsOf(store), trail };
  }
  if (store instanceof PostgresStore) {
    const cases = pgCasesOf(store);
    return { cases, alerts: cases.alerts, trail };
  }
  throw new InterdictError("INTERDICT_E_USAGE", "the console needs a SQLite or PostgreSQL store");
}
