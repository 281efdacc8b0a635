// The legal reports, built from the registers (src/cases): OFAC's report of blocked property
// and of rejected transactions (each due 10 US business days after the event), the Annual
// Report of Blocked Property (as of 30 June, due 30 September; totals are sums of the rows)
// and the Canadian quarterly disclosure. Each is rows plus totals, written as CSV or printable
// HTML; the deadlines view says what is due when. Pure functions over register rows: either
// store's registers (CaseBook on SQLite, PgCaseBook on PostgreSQL) give the same rows, so the
// same report.

import type { BlockedProperty, RejectedTransaction } from "../cases/cases.js";
import { InterdictError } from "../errors.js";
import { addBusinessDays, addDays } from "./calendar.js";
import RULES from "./data/report-rules.json" with { type: "json" };

export { RULES };

export type ReportKind = "blocked_property" | "rejected_transaction" | "annual" | "canada_quarterly";

export interface Column {
  readonly key: string;
  readonly label: string;
}

export interface Report {
  readonly kind: ReportKind;
  readonly title: string;
  /** The period or event it covers, in words (`as of 2024-06-30`, `2024 Q2`, `items 3, 4`). */
  readonly period: string;
  readonly due: string | null;
  readonly basis: string;
  readonly columns: readonly Column[];
  readonly rows: readonly Record<string, string | number>[];
  /** Per currency: how many rows and their value. */
  readonly totals: readonly { currency: string; count: number; value: number }[];
  /** Register ids the report covers. */
  readonly items: readonly number[];
}

const PROPERTY_COLUMNS: Column[] = [
  { key: "id", label: "Item" },
  { key: "owner", label: "Owner (blocked person)" },
  { key: "entityId", label: "Listed entity" },
  { key: "program", label: "Program" },
  { key: "legalAuthority", label: "Legal authority" },
  { key: "type", label: "Property type" },
  { key: "location", label: "Location" },
  { key: "dateBlocked", label: "Date blocked" },
  { key: "value", label: "Value" },
  { key: "currency", label: "Currency" },
  { key: "reference", label: "Reference" },
];

const REJECTED_COLUMNS: Column[] = [
  { key: "id", label: "Item" },
  { key: "party", label: "Blocked party" },
  { key: "entityId", label: "Listed entity" },
  { key: "program", label: "Program" },
  { key: "legalAuthority", label: "Legal authority" },
  { key: "reference", label: "Transaction reference" },
  { key: "dateRejected", label: "Date rejected" },
  { key: "value", label: "Value" },
  { key: "currency", label: "Currency" },
];

/** Cents, so totals of many rows do not drift in binary floating point. */
const cents = (v: number) => Math.round(v * 100);

export function totalsOf(rows: readonly { value: number; currency: string }[]) {
  const by = new Map<string, { count: number; cents: number }>();
  for (const r of rows) {
    const t = by.get(r.currency) ?? { count: 0, cents: 0 };
    t.count++;
    t.cents += cents(r.value);
    by.set(r.currency, t);
  }
  return [...by.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([currency, t]) => ({ currency, count: t.count, value: t.cents / 100 }));
}

const propertyRow = (p: BlockedProperty) => ({
  id: p.id,
  owner: p.owner,
  entityId: p.entityId,
  program: p.program,
  legalAuthority: p.legalAuthority,
  type: p.type,
  location: p.location,
  dateBlocked: p.dateBlocked,
  value: p.value,
  currency: p.currency,
  reference: p.reference ?? "",
});

/** A blocked property's own report date: 10 business days after it was blocked. */
export const blockedDue = (p: Pick<BlockedProperty, "dateBlocked">) =>
  addBusinessDays(p.dateBlocked, RULES.blocked_property.due_business_days);

export const rejectedDue = (r: Pick<RejectedTransaction, "dateRejected">) =>
  addBusinessDays(r.dateRejected, RULES.rejected_transaction.due_business_days);

/** OFAC report of blocked property for the items given (one report may cover several). */
export function blockedPropertyReport(items: readonly BlockedProperty[]): Report {
  const due = items.map(blockedDue).sort()[0] ?? null;
  return {
    kind: "blocked_property",
    title: RULES.blocked_property.title,
    period: `items ${items.map((i) => i.id).join(", ")}`,
    due,
    basis: RULES.blocked_property.basis,
    columns: PROPERTY_COLUMNS,
    rows: items.map(propertyRow),
    totals: totalsOf(items),
    items: items.map((i) => i.id),
  };
}

export function rejectedTransactionReport(items: readonly RejectedTransaction[]): Report {
  const due = items.map(rejectedDue).sort()[0] ?? null;
  return {
    kind: "rejected_transaction",
    title: RULES.rejected_transaction.title,
    period: `items ${items.map((i) => i.id).join(", ")}`,
    due,
    basis: RULES.rejected_transaction.basis,
    columns: REJECTED_COLUMNS,
    rows: items.map((r) => ({
      id: r.id,
      party: r.party,
      entityId: r.entityId,
      program: r.program,
      legalAuthority: r.legalAuthority,
      reference: r.reference,
      dateRejected: r.dateRejected,
      value: r.value,
      currency: r.currency,
    })),
    totals: totalsOf(items),
    items: items.map((i) => i.id),
  };
}

/** Property blocked on `date` and not released by then. */
export const heldOn = (items: readonly BlockedProperty[], date: string) =>
  items.filter((p) => p.dateBlocked <= date && (!p.releasedOn || p.releasedOn > date));

/** The Annual Report of Blocked Property: one row per item held as of 30 June of `year`. */
export function annualReport(items: readonly BlockedProperty[], year: number): Report {
  const asOf = `${year}-${RULES.annual.as_of}`;
  const held = heldOn(items, asOf);
  return {
    kind: "annual",
    title: RULES.annual.title,
    period: `as of ${asOf}`,
    due: `${year}-${RULES.annual.due}`,
    basis: RULES.annual.basis,
    columns: PROPERTY_COLUMNS,
    rows: held.map(propertyRow),
    totals: totalsOf(held),
    items: held.map((i) => i.id),
  };
}

/** The last day of a calendar quarter (day 0 of the month after it). */
export function quarterEnd(year: number, quarter: number): string {
  return new Date(Date.UTC(year, quarter * 3, 0)).toISOString().slice(0, 10);
}

/** Canada: property of listed persons held at the end of the quarter. */
export function canadaQuarterly(
  items: readonly BlockedProperty[],
  year: number,
  quarter: 1 | 2 | 3 | 4,
): Report {
  const end = quarterEnd(year, quarter);
  const held = heldOn(items, end);
  return {
    kind: "canada_quarterly",
    title: RULES.canada_quarterly.title,
    period: `${year} Q${quarter} (held on ${end})`,
    due: addDays(end, RULES.canada_quarterly.due_days_after_quarter),
    basis: RULES.canada_quarterly.basis,
    columns: PROPERTY_COLUMNS,
    rows: held.map(propertyRow),
    totals: totalsOf(held),
    items: held.map((i) => i.id),
  };
}

export interface ReportRequest {
  /** annual: as of 30 June of it; canada: the year of the quarter (default: this year). */
  readonly year?: number;
  readonly quarter?: number;
  /** blocked/rejected: only these register items (default: every item, or every unreported one). */
  readonly items?: readonly number[];
  /** blocked/rejected without items: leave out items a filed report of the same kind covers. */
  readonly filed?: readonly { kind: ReportKind; items: readonly number[] }[];
}

/** One report of a kind from the register rows: what the CLI and the console both generate. */
export function reportOf(
  kind: string,
  property: readonly BlockedProperty[],
  rejected: readonly RejectedTransaction[],
  req: ReportRequest = {},
): Report {
  const year = req.year || new Date().getUTCFullYear();
  const chosen = <T extends { id: number }>(k: ReportKind, rows: readonly T[]) =>
    rows.filter((p) =>
      req.items?.length
        ? req.items.includes(p.id)
        : !req.filed?.some((f) => f.kind === k && f.items.includes(p.id)),
    );
  switch (kind) {
    case "blocked_property":
      return blockedPropertyReport(chosen("blocked_property", property));
    case "rejected_transaction":
      return rejectedTransactionReport(chosen("rejected_transaction", rejected));
    case "annual":
      return annualReport(property, year);
    case "canada_quarterly":
      return canadaQuarterly(
        property,
        year,
        Math.min(4, Math.max(1, Number(req.quarter) || 1)) as 1 | 2 | 3 | 4,
      );
    default:
      throw new InterdictError(
        "INTERDICT_E_INPUT",
        `unknown report "${kind}"; known: blocked_property, rejected_transaction, annual, canada_quarterly`,
        { field: "kind" },
      );
  }
}

const csvCell = (v: string | number): string => {
  let s = String(v);
  // A cell starting with = + - @ is a formula to a spreadsheet: quote it as text (CSV injection).
  if (/^[=+\-@\t\r]/.test(s) && typeof v === "string") s = `'${s}`;
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
};

/** CSV: the detail rows, a blank line, then one total line per currency. */
export function toCsv(r: Report): string {
  const lines = [r.columns.map((c) => csvCell(c.label)).join(",")];
  for (const row of r.rows) lines.push(r.columns.map((c) => csvCell(row[c.key] ?? "")).join(","));
  lines.push("");
  lines.push("Total,Currency,Items,Value");
  for (const t of r.totals)
    lines.push(["Total", t.currency, t.count, t.value.toFixed(2)].map(csvCell).join(","));
  return `${lines.join("\r\n")}\r\n`;
}

export interface Deadline {
  readonly kind: ReportKind;
  readonly what: string;
  readonly due: string;
  readonly filed: boolean;
  /** Items the report would cover. */
  readonly items: readonly number[];
}

/**
 * What is due: each blocked or rejected item's own report (unless a filed report covers it),
 * the next annual report, and the Canadian disclosure of the current quarter.
 */
export function deadlines(
  property: readonly BlockedProperty[],
  rejected: readonly RejectedTransaction[],
  filed: { kind: ReportKind; items: readonly number[]; period: string }[],
  today: string,
): Deadline[] {
  const covered = (kind: ReportKind, id: number) =>
    filed.some((f) => f.kind === kind && f.items.includes(id));
  const out: Deadline[] = [];
  for (const p of property) {
    out.push({
      kind: "blocked_property",
      what: `Blocked property #${p.id}: ${p.type} of ${p.owner} (${p.value} ${p.currency})`,
      due: blockedDue(p),
      filed: covered("blocked_property", p.id),
      items: [p.id],
    });
  }
  for (const r of rejected) {
    out.push({
      kind: "rejected_transaction",
      what: `Rejected transaction #${r.id}: ${r.reference} (${r.value} ${r.currency})`,
      due: rejectedDue(r),
      filed: covered("rejected_transaction", r.id),
      items: [r.id],
    });
  }
  const year = Number(today.slice(0, 4));
  // The annual report of this year if its due date is still ahead, else next year's.
  const annualYear = today <= `${year}-${RULES.annual.due}` ? year : year + 1;
  const annualPeriod = `as of ${annualYear}-${RULES.annual.as_of}`;
  out.push({
    kind: "annual",
    what: `${RULES.annual.title}, ${annualPeriod}`,
    due: `${annualYear}-${RULES.annual.due}`,
    filed: filed.some((f) => f.kind === "annual" && f.period === annualPeriod),
    items: [],
  });
  const month = Number(today.slice(5, 7));
  const q = Math.ceil(month / 3) as 1 | 2 | 3 | 4;
  const cq = canadaQuarterly(property, year, q);
  out.push({
    kind: "canada_quarterly",
    what: `${RULES.canada_quarterly.title}, ${cq.period}`,
    due: cq.due ?? "",
    filed: filed.some((f) => f.kind === "canada_quarterly" && f.period === cq.period),
    items: cq.items,
  });
  return out.sort((a, b) => Number(a.filed) - Number(b.filed) || a.due.localeCompare(b.due));
}
