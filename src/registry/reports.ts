// Deadlines and reports to the legislature, generated from the record (pure: cases, requests and
// the clock in, plain data out). The duties per basis are in the catalog (bases.ts):
//   - congressional requests answered within `requests_days` (120) of receipt;
//   - a termination reported `termination_notice_days` (15) before it takes effect — the
//     delisting step is the report, so a termination effective sooner than that is late;
//   - the annual report (Magnitsky Act §407; Global Magnitsky 22 U.S.C. 10103, due 10 December):
//     persons added and removed in the twelve months to the due date, with dates and reasons.
// The classified annex is counted, never named, in a public report.

import { captionOf } from "../model/entity.js";
import { findBasis, type LegalBasis } from "./bases.js";
import { addDays, type CaseFile, type CongressionalRequest, type Petition } from "./registry.js";

export interface Deadline {
  readonly kind: "congressional_request" | "termination_notice" | "annual_report";
  readonly ref: string;
  readonly due: string;
  readonly done?: string;
  /** `open`, `met`, `late` (done after the due date) or `overdue` (open past it). */
  readonly state: "open" | "met" | "late" | "overdue";
  readonly what: string;
}

const day = (iso: string) => iso.slice(0, 10);

function stateOf(due: string, done: string | undefined, today: string): Deadline["state"] {
  if (done) return day(done) <= due ? "met" : "late";
  return today > due ? "overdue" : "open";
}

/** The annual report due on or after `today` for a basis (MM-DD in the catalog). */
function annualDue(basis: LegalBasis, year: number): string | undefined {
  return basis.reporting.annual_due ? `${year}-${basis.reporting.annual_due}` : undefined;
}

export function deadlines(
  cases: readonly CaseFile[],
  requests: readonly CongressionalRequest[],
  now: string,
): Deadline[] {
  const today = day(now);
  const out: Deadline[] = [];
  for (const r of requests) {
    out.push({
      kind: "congressional_request",
      ref: r.id,
      due: r.due_at,
      ...(r.answered_at ? { done: r.answered_at } : {}),
      state: stateOf(r.due_at, r.answered_at, today),
      what: `answer ${r.committee}${r.case_id ? ` on ${r.case_id}` : ""}: ${r.about}`,
    });
  }
  for (const c of cases) {
    const days = findBasis(c.authority)?.reporting.termination_notice_days;
    if (!c.delisting || !c.listed_at || days === undefined) continue;
    const due = addDays(c.delisting.effective, -days);
    out.push({
      kind: "termination_notice",
      ref: c.id,
      due,
      done: day(c.delisting.at),
      state: stateOf(due, c.delisting.at, today),
      what: `report the termination of ${c.id} (${captionOf(c.subject)}) ${days} days before it takes effect on ${day(c.delisting.effective)}`,
    });
  }
  const bases = new Set(cases.map((c) => c.authority));
  const year = Number(today.slice(0, 4));
  for (const id of bases) {
    const b = findBasis(id);
    if (!b) continue;
    const thisYear = annualDue(b, year);
    if (!thisYear) continue;
    const due = thisYear >= today ? thisYear : (annualDue(b, year + 1) as string);
    out.push({
      kind: "annual_report",
      ref: b.id,
      due,
      state: "open",
      what: b.reporting.annual_report ?? "annual report",
    });
  }
  return out.sort((a, b) => a.due.localeCompare(b.due));
}

export interface ReportLine {
  readonly case_id: string;
  readonly name: string;
  readonly schema: string;
  readonly date: string;
  readonly basis: string;
  readonly criterion: string;
  readonly reason: string;
}

export interface AnnualReport {
  readonly title: string;
  readonly basis: readonly string[];
  readonly period: { readonly from: string; readonly to: string };
  readonly due?: string;
  readonly added: readonly ReportLine[];
  readonly removed: readonly ReportLine[];
  /** Classified-annex designations in the period: counted, not named. */
  readonly classified: { readonly added: number; readonly removed: number };
  readonly petitions: { readonly filed: number; readonly granted: number; readonly denied: number };
}

/**
 * The annual report for the bases given (default: all), over [from, to]: every designation
 * published and every removal in the period. Default period: the twelve months to the due date.
 */
export function annualReport(
  cases: readonly CaseFile[],
  petitions: readonly Petition[],
  opts: { bases?: readonly string[]; year: number; from?: string; to?: string },
): AnnualReport {
  const wanted = opts.bases?.length ? new Set(opts.bases) : undefined;
  const bases = [...new Set(cases.map((c) => c.authority))].filter((b) => !wanted || wanted.has(b));
  const due = bases
    .map((b) => findBasis(b))
    .map((b) => (b ? annualDue(b, opts.year) : undefined))
    .find(Boolean);
  const to = opts.to ?? due ?? `${opts.year}-12-31`;
  const from = opts.from ?? addDays(to, 1).replace(/^\d{4}/, (y) => String(Number(y) - 1));
  const inPeriod = (iso: string | undefined) => !!iso && day(iso) >= from && day(iso) <= to;
  const mine = cases.filter((c) => !wanted || wanted.has(c.authority));
  const line = (c: CaseFile, date: string): ReportLine => ({
    case_id: c.id,
    name: captionOf(c.subject),
    schema: c.subject.schema,
    date: day(date),
    basis: findBasis(c.authority)?.title ?? c.authority,
    criterion: c.criterion,
    reason: c.statement_of_reasons,
  });
  const addedAll = mine.filter((c) => inPeriod(c.listed_at));
  const removedAll = mine.filter((c) => inPeriod(c.delisting?.removed_at));
  const ids = new Set(mine.map((c) => c.id));
  const pets = petitions.filter((p) => ids.has(p.case_id) && inPeriod(p.filed_at));
  return {
    title:
      bases
        .map((b) => findBasis(b)?.reporting.annual_report ?? b)
        .filter((v, i, a) => a.indexOf(v) === i)
        .join("; ") || "annual report",
    basis: bases,
    period: { from, to },
    ...(due ? { due } : {}),
    added: addedAll.filter((c) => !c.classified).map((c) => line(c, c.listed_at as string)),
    removed: removedAll
      .filter((c) => !c.classified)
      .map((c) => ({ ...line(c, c.delisting?.removed_at as string), reason: c.delisting?.ground ?? "" })),
    classified: {
      added: addedAll.filter((c) => c.classified).length,
      removed: removedAll.filter((c) => c.classified).length,
    },
    petitions: {
      filed: pets.length,
      granted: pets.filter((p) => p.status === "granted").length,
      denied: pets.filter((p) => p.status === "denied").length,
    },
  };
}

/** The report as text a clerk can send: heading, period, additions and removals with reasons. */
export function reportText(r: AnnualReport): string {
  const lines = [
    `${r.title}`,
    `Period ${r.period.from} to ${r.period.to}${r.due ? `, due ${r.due}` : ""}`,
    "",
  ];
  lines.push(`Persons added (${r.added.length}):`);
  for (const a of r.added)
    lines.push(`  ${a.date}  ${a.name} [${a.case_id}] — ${a.basis} ${a.criterion}: ${a.reason}`);
  lines.push("", `Persons removed (${r.removed.length}):`);
  for (const a of r.removed) lines.push(`  ${a.date}  ${a.name} [${a.case_id}] — ${a.reason}`);
  if (r.classified.added || r.classified.removed) {
    lines.push(
      "",
      `Classified annex (transmitted separately): ${r.classified.added} added, ${r.classified.removed} removed`,
    );
  }
  lines.push(
    "",
    `Delisting petitions: ${r.petitions.filed} filed, ${r.petitions.granted} granted, ${r.petitions.denied} denied`,
  );
  return `${lines.join("\n")}\n`;
}
