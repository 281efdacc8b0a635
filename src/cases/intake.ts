// Alerts from the service's screenings: a visa referral or refusal and a held, blocked or
// rejected payment become alerts in the same queue as batch and monitoring runs, each noting
// the screening it came from (what the decision form is pre-filled with). On PostgreSQL the
// alerts and their sources go to the shared PgAlertBook and PgCaseBook.

import { createHash } from "node:crypto";
import type { Explanation } from "../match/algorithm.js";
import { alertsOf, type Finding } from "../monitor/alerts.js";
import type { PaymentScreening } from "../screen/payment/index.js";
import { personOf } from "../screen/persons.js";
import type { VisaApplicant, VisaScreening } from "../screen/visa.js";
import { PostgresStore } from "../store/postgres.js";
import type { Store } from "../store/store.js";
import { casesOf } from "./cases.js";
import { pgCasesOf } from "./cases-pg.js";

const sha = (...parts: unknown[]) =>
  createHash("sha256").update(JSON.stringify(parts)).digest("hex").slice(0, 32);

const lines = (xs: readonly string[]): Explanation[] =>
  xs.map((detail) => ({ feature: "", value: 0, weight: 0, detail }));

interface Hit {
  readonly entity_id: string;
  readonly caption: string;
  readonly score: number;
  readonly match: boolean;
  readonly datasets: readonly string[];
  readonly programs: readonly string[];
  readonly explanation: string[];
  readonly legal_grounds: string[];
}

function finding(
  subjectId: string,
  subjectName: string,
  subjectHash: string,
  h: Hit,
  schema: string,
): Finding {
  return {
    subjectId,
    subjectName,
    subjectHash,
    entityId: h.entity_id,
    entityHash: sha(h.entity_id, h.caption, h.datasets, h.programs),
    caption: h.caption,
    schema,
    datasets: h.datasets,
    programs: h.programs,
    score: h.score,
    explanation: lines(h.explanation),
    ...personOf(h),
  };
}

async function raise(
  store: Store,
  findings: Finding[],
  reason: string,
  kind: "visa" | "payment",
  screeningId: string,
  context: (f: Finding) => Record<string, unknown>,
): Promise<number> {
  if (findings.length === 0) return 0;
  if (store instanceof PostgresStore) {
    const pgCases = pgCasesOf(store);
    await pgCases.alerts.raise(findings, reason);
    for (const f of findings) {
      const open = (await pgCases.alerts.forSubject(f.subjectId)).find(
        (a) => a.entityId === f.entityId && a.status === "open",
      );
      if (open) await pgCases.setSource(open.id, kind, screeningId, context(f));
    }
    return findings.length;
  }
  const book = alertsOf(store);
  const cases = casesOf(store);
  book.raise(findings, reason);
  for (const f of findings) {
    const open = book.forSubject(f.subjectId).find((a) => a.entityId === f.entityId && a.status === "open");
    if (open) cases.setSource(open.id, kind, screeningId, context(f));
  }
  return findings.length;
}

/** A visa screening referred or refused: one alert per matching hit. */
export async function alertsFromVisa(
  store: Store,
  screeningId: string,
  applicant: VisaApplicant,
  r: VisaScreening,
): Promise<number> {
  if (r.decision === "clear") return 0;
  const name = applicant.names[0] ?? "";
  const subjectId = `visa:${screeningId}`;
  const hash = sha(applicant);
  const hits = r.hits.filter((h) => h.match);
  return raise(
    store,
    hits.map((h) => finding(subjectId, name, hash, h, h.schema)),
    `visa ${r.decision}: ${r.reason}`,
    "visa",
    screeningId,
    (f) => ({
      applicant,
      decision: r.decision,
      grounds: hits.find((h) => h.entity_id === f.entityId)?.legal_grounds ?? [],
    }),
  );
}

/**
 * The findings of a payment held, blocked or rejected: one per matching party, agent or
 * free-text hit, each under the subject `payment:<key>:<field>`. The key is what makes the
 * payment itself (the stream's UETR or message id; the message id by default), so screening the
 * same payment again finds the same open pairs and raises nothing new.
 */
function paymentFindings(
  r: PaymentScreening,
  key: string = r.message_id,
): { findings: Finding[]; reason: string } {
  if (r.decision === "release") return { findings: [], reason: "" };
  const findings = r.hits
    .filter((h) => h.match)
    .map((h) => finding(`payment:${key}:${h.field}`, h.value, sha(key, h.field, h.value), h, "LegalEntity"));
  return { findings, reason: `payment ${r.decision}: ${r.rule}` };
}

/** A payment held, blocked or rejected: one alert per matching party, agent or free-text hit. */
export function alertsFromPayment(
  store: Store,
  screeningId: string,
  amount: { value: string; currency: string } | undefined,
  r: PaymentScreening,
  key: string = r.message_id,
): Promise<number> {
  const { findings, reason } = paymentFindings(r, key);
  const hits = r.hits.filter((h) => h.match);
  return raise(store, findings, reason, "payment", screeningId, (f) => {
    const h = hits.find((x) => f.subjectId === `payment:${key}:${x.field}` && x.entity_id === f.entityId);
    return {
      message_id: r.message_id,
      format: r.format,
      decision: r.decision,
      rule: r.rule,
      field: h?.field,
      role: h?.role,
      outcome: h?.outcome,
      ...(amount ? { amount: amount.value, currency: amount.currency } : {}),
    };
  });
}
