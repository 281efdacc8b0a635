// Monitoring's books of a store, whichever engine it runs on: alerts and the monitoring record
// on SQLite beside the lists, or on PostgreSQL (one object per store, so migrations run once).

import { InterdictError } from "../errors.js";
import { PostgresStore } from "../store/postgres.js";
import { SqliteStore } from "../store/sqlite.js";
import type { Store } from "../store/store.js";
import { type Alerts, alertsOf } from "./alerts.js";
import { PgAlertBook } from "./alerts-pg.js";
import { type MonitorRecord, monitorLogOf } from "./log.js";
import { PgMonitorLog } from "./log-pg.js";

const pgAlerts = new WeakMap<PostgresStore, PgAlertBook>();
const pgLogs = new WeakMap<PostgresStore, PgMonitorLog>();

function once<T>(cache: WeakMap<PostgresStore, T>, store: PostgresStore, make: () => T): T {
  let t = cache.get(store);
  if (t === undefined) {
    t = make();
    cache.set(store, t);
  }
  return t;
}

const refuse = (what: string): never => {
  throw new InterdictError("INTERDICT_E_USAGE", `${what} need a SQLite or PostgreSQL store`);
};

/** A PostgreSQL store's one alert book (shared by monitoring, cases, intake and the CLI). */
export function pgAlertsOf(store: PostgresStore): PgAlertBook {
  return once(pgAlerts, store, () => new PgAlertBook(store));
}

/** The store's alert book: AlertBook on SQLite, PgAlertBook on PostgreSQL. */
export function alertsFor(store: Store): Alerts {
  if (store instanceof SqliteStore) return alertsOf(store);
  if (store instanceof PostgresStore) return pgAlertsOf(store);
  return refuse("alerts");
}

/** What monitoring remembers between runs: MonitorLog on SQLite, PgMonitorLog on PostgreSQL. */
export function monitorRecordOf(store: Store): MonitorRecord {
  if (store instanceof SqliteStore) return monitorLogOf(store);
  if (store instanceof PostgresStore) return once(pgLogs, store, () => new PgMonitorLog(store));
  return refuse("monitoring records");
}
