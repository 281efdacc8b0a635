// Reports generated and by whom: what the deadlines view counts as filed. A report's bytes
// are not kept (it is regenerated from the registers); its SHA-256 is, and the audit log
// names it. The record is a table on the store's own engine (`filedBookOf`): report_filed in
// the SQLite file, or in the PostgreSQL schema (migrated as the "reports" component), and the
// audit entry goes through `auditTrailOf`. The SQL of both is here.

import { createHash } from "node:crypto";
import type Database from "better-sqlite3";
import { currentVersions } from "../audit/log.js";
import { auditTrailOf } from "../audit/log-pg.js";
import { type Awaitable, type CaseWork, casesOf } from "../cases/cases.js";
import { pgCasesOf } from "../cases/cases-pg.js";
import { InterdictError } from "../errors.js";
import { alertsOf } from "../monitor/alerts.js";
import { PostgresStore } from "../store/postgres.js";
import { SqliteStore } from "../store/sqlite.js";
import type { Store } from "../store/store.js";
import type { Report, ReportKind } from "./reports.js";

const SQL = {
  schema: `CREATE TABLE IF NOT EXISTS report_filed (
    id INTEGER PRIMARY KEY,
    kind TEXT NOT NULL,
    period TEXT NOT NULL,
    items TEXT NOT NULL,
    rows INTEGER NOT NULL,
    format TEXT NOT NULL,
    sha256 TEXT NOT NULL,
    generated_by TEXT NOT NULL,
    generated_at TEXT NOT NULL
  )`,
  insert: `INSERT INTO report_filed (kind, period, items, rows, format, sha256, generated_by, generated_at)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
  all: "SELECT * FROM report_filed ORDER BY id DESC",
} as const;

const PG = {
  migrations: [
    `CREATE TABLE report_filed (
       id SERIAL PRIMARY KEY,
       kind TEXT NOT NULL,
       period TEXT NOT NULL,
       items TEXT NOT NULL,
       rows INTEGER NOT NULL,
       format TEXT NOT NULL,
       sha256 TEXT NOT NULL,
       generated_by TEXT NOT NULL,
       generated_at TEXT NOT NULL
     )`,
  ],
  insert: `INSERT INTO report_filed (kind, period, items, rows, format, sha256, generated_by, generated_at)
    VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
  all: SQL.all,
} as const;

export interface FiledReport {
  readonly id: number;
  readonly kind: ReportKind;
  readonly period: string;
  readonly items: readonly number[];
  readonly rows: number;
  readonly format: string;
  readonly sha256: string;
  readonly generatedBy: string;
  readonly generatedAt: string;
}

type FiledValues = [string, string, string, number, string, string, string, string];

/** The filed-report record of one store. */
interface FiledBook {
  insert(values: FiledValues): Awaitable<void>;
  all(): Awaitable<Record<string, string | number>[]>;
}

class SqliteFiled implements FiledBook {
  private readonly db: Database.Database;
  constructor(store: Store) {
    this.db = alertsOf(store).db;
    this.db.exec(SQL.schema);
  }
  insert(values: FiledValues) {
    this.db.prepare(SQL.insert).run(...values);
  }
  all() {
    return this.db.prepare(SQL.all).all() as Record<string, string | number>[];
  }
}

class PgFiled implements FiledBook {
  private readonly ready: Promise<void>;
  constructor(private readonly store: PostgresStore) {
    this.ready = store.migrate("reports", PG.migrations);
    this.ready.catch(() => {}); // reported by the first call
  }
  async insert(values: FiledValues) {
    await this.ready;
    await this.store.query(PG.insert, values);
  }
  async all() {
    await this.ready;
    return this.store.query<Record<string, string | number>>(PG.all);
  }
}

const books = new WeakMap<Store, FiledBook>();

function filedBookOf(store: Store): FiledBook {
  let b = books.get(store);
  if (b) return b;
  if (store instanceof SqliteStore) b = new SqliteFiled(store);
  else if (store instanceof PostgresStore) b = new PgFiled(store);
  else throw new InterdictError("INTERDICT_E_USAGE", "reports need a SQLite or PostgreSQL store");
  books.set(store, b);
  return b;
}

/** The registers reports are made from: the store's own case book. */
export function registersOf(store: Store): CaseWork {
  if (store instanceof PostgresStore) return pgCasesOf(store);
  return casesOf(store);
}

/** Notes a generated report (and audits it); returns the body unchanged. */
export async function recordReport(
  store: Store,
  r: Report,
  format: "csv" | "html",
  body: string,
  by: string,
) {
  const sha256 = createHash("sha256").update(body).digest("hex");
  await filedBookOf(store).insert([
    r.kind,
    r.period,
    JSON.stringify(r.items),
    r.rows.length,
    format,
    sha256,
    by,
    new Date().toISOString(),
  ]);
  await auditTrailOf(store).append(
    by,
    "report",
    { kind: r.kind, period: r.period, rows: r.rows.length, totals: r.totals, format, sha256 },
    await currentVersions(store),
  );
  return body;
}

export async function filedReports(store: Store): Promise<FiledReport[]> {
  return (await filedBookOf(store).all()).map((r) => ({
    id: Number(r.id),
    kind: r.kind as ReportKind,
    period: String(r.period),
    items: JSON.parse(String(r.items)) as number[],
    rows: Number(r.rows),
    format: String(r.format),
    sha256: String(r.sha256),
    generatedBy: String(r.generated_by),
    generatedAt: String(r.generated_at),
  }));
}
