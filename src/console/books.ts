// What the console's pages read and write, on the store's own engine: the case book (CaseBook on
// SQLite, PgCaseBook on PostgreSQL, one `CaseWork` interface), the alert queue of the same book,
// and the audit trail (`auditTrailOf`). Pages await every answer, so one page serves both. The
// pages whose modules still read SQLite tables directly are named in `SQLITE_ONLY`: on
// PostgreSQL their navigation entry is hidden and they answer a page that says so.

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
  /** Whether the store is SQLite, where every page works. */
  readonly sqlite: boolean;
}

/** Navigation keys and path prefixes of the pages that need the SQLite store in this build. */
export const SQLITE_ONLY: readonly { key: string; prefix: string; what: string }[] = [
];

/** The SQLite-only page a path falls under, if any. */
export function sqliteOnlyPage(path: string): (typeof SQLITE_ONLY)[number] | undefined {
  return SQLITE_ONLY.find((p) => path === p.prefix || path.startsWith(`${p.prefix}/`));
}

export function consoleBooks(store: Store): ConsoleBooks {
  const trail = auditTrailOf(store);
  if (store instanceof SqliteStore) {
    return { cases: casesOf(store), alerts: alertsOf(store), trail, sqlite: true };
  }
  if (store instanceof PostgresStore) {
    const cases = pgCasesOf(store);
    return { cases, alerts: cases.alerts, trail, sqlite: false };
  }
  throw new InterdictError("INTERDICT_E_USAGE", "the console needs a SQLite or PostgreSQL store");
}
