// Lookback: the screenings the service recorded, screened again against today's lists — the
// regulator's "would you have caught it?". A match today that the screening did not have is
// either a miss (the entity was already in the store when the screening ran) or a listing since
// (it came later). The queries are rebuilt from the records as the service wrote them
// (src/service/records.ts): match and reconcile keep the cleaned example entity, visa the parsed
// applicant; a payment record keeps only its hits, not the parties, so it cannot be re-screened.

import { InterdictError } from "../errors.js";
import { Matcher, type MatchOptions } from "../match/matcher.js";
import type { Query } from "../match/subject.js";
import type { VisaApplicant } from "../screen/visa.js";
import type { Screening } from "../service/records.js";
import { serviceRecords } from "../service/records-pg.js";
import { type EntityExample, readExample } from "../service/yente.js";
import type { Store } from "../store/store.js";

export interface RecordedQuery {
  readonly screeningId: string;
  readonly createdAt: string;
  readonly kind: Screening["kind"];
  /** The query's key in a batch (`q1`), or the kind for a single screening. */
  readonly key: string;
  readonly query: Query;
  readonly options: MatchOptions;
  /** Entities the screening matched then. */
  readonly matched: ReadonlySet<string>;
  /** Scores the screening gave then, matches or not. */
  readonly scores: ReadonlyMap<string, number>;
}

interface RecordedResult {
  id?: string;
  entity_id?: string;
  score: number;
  match: boolean;
  /** A visa hit on a person: each list entry that hit (entity_id is then the canonical id). */
  listings?: { entity_id: string; score: number }[];
}

const entriesOf = (x: RecordedResult): string[] => (x.listings ?? []).map((l) => l.entity_id);

function recorded(
  s: Screening,
  key: string,
  query: Query,
  results: readonly RecordedResult[],
): RecordedQuery {
  const r = s.results as { algorithm?: string; threshold?: number | null };
  return {
    screeningId: s.id,
    createdAt: s.createdAt,
    kind: s.kind,
    key,
    query,
    options: {
      ...(r.algorithm ? { algorithm: r.algorithm } : {}),
      ...(typeof r.threshold === "number" ? { threshold: r.threshold } : {}),
    },
    matched: new Set(
      results.filter((x) => x.match).flatMap((x) => [x.id ?? x.entity_id ?? "", ...entriesOf(x)]),
    ),
    scores: new Map([
      ...results.map((x): [string, number] => [x.id ?? x.entity_id ?? "", x.score]),
      ...results.flatMap((x) => (x.listings ?? []).map((l): [string, number] => [l.entity_id, l.score])),
    ]),
  };
}

/** The queries a screening record holds, as they were asked; none for a payment. */
export function recordedQueries(s: Screening): RecordedQuery[] {
  const r = s.results as Record<string, unknown>;
  if (s.kind === "match" || s.kind === "reconcile") {
    const queries = (r.queries ?? {}) as Record<string, { query: EntityExample; results?: RecordedResult[] }>;
    return Object.entries(queries).map(([key, q]) =>
      recorded(s, key, readExample(q.query, `queries.${key}`).query, q.results ?? []),
    );
  }
  if (s.kind === "visa") {
    // As screenVisa builds its query (src/screen/visa.ts).
    const a = r.applicant as VisaApplicant;
    const countries = [...a.nationalities];
    if (a.passport?.country && !countries.includes(a.passport.country)) countries.push(a.passport.country);
    const query: Query = {
      schema: "Person",
      names: a.names,
      ...(a.birthDate ? { birthDates: [a.birthDate] } : {}),
      ...(countries.length ? { countries } : {}),
      ...(a.passport ? { identifiers: [a.passport.number] } : {}),
      ...(a.gender && a.gender !== "other" ? { gender: a.gender } : {}),
    };
    return [recorded(s, "applicant", query, (r.hits ?? []) as RecordedResult[])];
  }
  return [];
}

export interface LookbackFinding {
  readonly screeningId: string;
  readonly screenedAt: string;
  readonly kind: Screening["kind"];
  readonly key: string;
  readonly name: string;
  readonly entityId: string;
  readonly caption: string;
  readonly datasets: readonly string[];
  readonly programs: readonly string[];
  readonly score: number;
  /** The score the screening gave this entity then, if it was among its results. */
  readonly scoreThen?: number;
  /** When the entity first came into the store. */
  readonly firstSeen?: string;
  /** `missed`: the entity was in the store when the screening ran; `listed since`: it came later. */
  readonly verdict: "missed" | "listed since";
}

export interface LookbackResult {
  readonly screenings: number;
  readonly queries: number;
  /** Screenings that cannot be re-screened (payments keep only their hits). */
  readonly notRescreenable: number;
  readonly findings: LookbackFinding[];
  readonly lists: { dataset: string; version: string }[];
}

/** `2025-06-01` or a full ISO 8601 time → an ISO time to compare with `createdAt`. */
export function isoTime(text: string, field: string): string {
  const d = new Date(text);
  if (!/^\d{4}-\d{2}-\d{2}/.test(text) || Number.isNaN(d.getTime())) {
    throw new InterdictError("INTERDICT_E_USAGE", `${field} "${text}" is not a date (YYYY-MM-DD)`);
  }
  return d.toISOString();
}

export async function lookback(
  store: Store,
  opts: { since: string; until?: string; onProgress?: (done: number) => void },
): Promise<LookbackResult> {
  // The service's screening record on the store's engine (SQLite or PostgreSQL).
  const log = serviceRecords(store).screenings;
  const matcher = await Matcher.fromStore(store);
  const lists = (await store.datasets())
    .filter((d) => d.current)
    .map((d) => ({ dataset: d.name, version: d.current?.version ?? "" }));
  const firstSeen = new Map<string, string | undefined>();
  const findings: LookbackFinding[] = [];
  let screenings = 0;
  let queries = 0;
  let notRescreenable = 0;
  for await (const s of log.range(opts.since, opts.until ?? "9999-12-31T23:59:59.999Z")) {
    screenings++;
    const qs = recordedQueries(s);
    if (qs.length === 0) notRescreenable++;
    for (const q of qs) {
      queries++;
      for (const r of matcher.match(q.query, { ...q.options, limit: 10 })) {
        if (!r.match || q.matched.has(r.entity.id)) continue;
        if (!firstSeen.has(r.entity.id))
          firstSeen.set(r.entity.id, (await store.getEntity(r.entity.id))?.first_seen);
        const seen = firstSeen.get(r.entity.id);
        const then = q.scores.get(r.entity.id);
        findings.push({
          screeningId: q.screeningId,
          screenedAt: q.createdAt,
          kind: q.kind,
          key: q.key,
          name: q.query.names[0] ?? "",
          entityId: r.entity.id,
          caption: r.entity.caption,
          datasets: r.entity.datasets,
          programs: r.entity.programs,
          score: Math.round(r.score * 1000) / 1000,
          ...(then !== undefined ? { scoreThen: then } : {}),
          ...(seen ? { firstSeen: seen } : {}),
          verdict: seen && seen > q.createdAt ? "listed since" : "missed",
        });
      }
    }
    opts.onProgress?.(screenings);
  }
  return { screenings, queries, notRescreenable, findings, lists };
}
