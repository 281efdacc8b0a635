// Reports generated and by whom: what the deadlines view counts as filed. A report's bytes
// are not kept (it is regenerated from the registers); its SHA-256 is, and the audit log
// names it. The SQL is here.

import { createHash } from "node:crypto";
import type Database from "better-sqlite3";
import { auditOf, currentVersions } from "../audit/log.js";
import { alertsOf } from "../monitor/alerts.js";
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

function db(store: Store): Database.Database {
  const d = alertsOf(store).db;
  d.exec(SQL.schema);
  return d;
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
  db(store)
    .prepare(SQL.insert)
    .run(
      r.kind,
      r.period,
      JSON.stringify(r.items),
      r.rows.length,
      format,
      sha256,
      by,
      new Date().toISOString(),
    );
  auditOf(store).append(
    by,
    "report",
    { kind: r.kind, period: r.period, rows: r.rows.length, totals: r.totals, format, sha256 },
    await currentVersions(store),
  );
  return body;
}

export function filedReports(store: Store): FiledReport[] {
  return (db(store).prepare(SQL.all).all() as Record<string, string | number>[]).map((r) => ({
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
