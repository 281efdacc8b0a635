// Screening rows of a batch, in whichever thread runs it: each row's results as an output line
// (JSON lines or CSV) and a small hit record the run's summary and report are made from.

import { csvLine } from "../../cli/_csv.js";
import type { Matcher, MatchOptions, MatchResult } from "../../match/matcher.js";
import { groupByCanonical, type Resolution } from "../../resolve/canonical.js";
import type { SubjectRow } from "../subject-row.js";

/** What a batch run writes; XLSX is made from JSON lines at the end (see output.ts). */
export type LineFormat = "jsonl" | "csv";

/** A subject is an alert when any result is a match, else clear. */
export type RowDecision = "alert" | "clear";

export interface RowHit {
  readonly id: string;
  readonly name: string;
  readonly decision: RowDecision;
  /** The best score (0 when nothing was retrieved). */
  readonly best: number;
  /** The matches (score ≥ threshold), best first. */
  readonly matches: readonly {
    entity_id: string;
    caption: string;
    schema: string;
    score: number;
    datasets: readonly string[];
    programs: readonly string[];
  }[];
}

export function resultJson(r: MatchResult) {
  return {
    entity_id: r.entity.id,
    caption: r.entity.caption,
    schema: r.entity.schema,
    score: Math.round(r.score * 1000) / 1000,
    match: r.match,
    datasets: r.entity.datasets,
    programs: r.entity.programs,
    explanation: r.explanation,
  };
}

const union = (xs: readonly (readonly string[])[]): string[] => [...new Set(xs.flat())];

/**
 * A row's results on persons: list entries resolution found to be one person are one result,
 * `entity_id` the canonical id, `referents` every entry of the person, the best entry's score
 * and explanation, every entry's datasets and programmes.
 */
function personResults(results: readonly MatchResult[], resolution: Resolution) {
  return groupByCanonical(results, resolution, (r) => r.entity.id).map((g) => ({
    ...resultJson(g.best),
    entity_id: g.canonical,
    referents: g.referents,
    datasets: union(g.hits.map((h) => h.entity.datasets)),
    programs: union(g.hits.map((h) => h.entity.programs)),
  }));
}

/** The columns of a result row in CSV and XLSX output. */
export const RESULT_COLUMNS = [
  "id",
  "name",
  "decision",
  "rank",
  "entity_id",
  "referents",
  "caption",
  "schema",
  "score",
  "match",
  "datasets",
  "programs",
  "explanation",
] as const;

export const CSV_HEADER = csvLine([...RESULT_COLUMNS]);

function csvRowsOf(
  row: SubjectRow,
  decision: RowDecision,
  results: ReturnType<typeof personResults>,
): string {
  const name = row.query.names[0] ?? "";
  if (results.length === 0) return csvLine([row.id, name, decision, "", "", "", "", "", "", "", "", "", ""]);
  return results
    .map((r, i) =>
      csvLine([
        row.id,
        name,
        decision,
        i + 1,
        r.entity_id,
        r.referents.join(";"),
        r.caption,
        r.schema,
        r.score.toFixed(3),
        r.match,
        r.datasets.join(";"),
        r.programs.join(";"),
        r.explanation.map((x) => `${x.feature} ${x.value.toFixed(2)}×${x.weight}: ${x.detail}`).join(" | "),
      ]),
    )
    .join("");
}

/** Screens rows; returns one output text per row (with its line end) and one hit per row. */
export function screenBatch(
  matcher: Matcher,
  rows: readonly SubjectRow[],
  opts: MatchOptions,
  format: LineFormat,
  resolution: Resolution,
): { texts: string[]; hits: RowHit[] } {
  const texts: string[] = [];
  const hits: RowHit[] = [];
  for (const row of rows) {
    const results = personResults(matcher.match(row.query, opts), resolution);
    const matches = results.filter((r) => r.match);
    const decision: RowDecision = matches.length ? "alert" : "clear";
    texts.push(
      format === "csv"
        ? csvRowsOf(row, decision, results)
        : `${JSON.stringify({ id: row.id, name: row.query.names[0] ?? "", decision, matches: results })}\n`,
    );
    hits.push({
      id: row.id,
      name: row.query.names[0] ?? "",
      decision,
      best: results[0]?.score ?? 0,
      matches: matches.map(({ entity_id, caption, schema, score, datasets, programs }) => ({
        entity_id,
        caption,
        schema,
        score,
        datasets,
        programs,
      })),
    });
  }
  return { texts, hits };
}
