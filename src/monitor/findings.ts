// Subjects screened against the lists as monitoring needs it: every match (not just the top few),
// each with the fingerprints of both sides, so an alert can tell later whether either changed.

import type { Matcher, MatchOptions } from "../match/matcher.js";
import type { MatchEntity, Query } from "../match/subject.js";
import { entityFingerprint } from "../subjects/subject.js";
import type { Finding } from "./alerts.js";

export interface SubjectToScreen {
  readonly id: string;
  readonly hash: string;
  readonly query: Query;
}

/** Matches kept per subject: a subject matching more entities than this is one alert too many. */
export const FINDINGS_PER_SUBJECT = 50;
const FIRST_LOOK = 5;

const cache = new WeakMap<Matcher, { entities: Map<string, MatchEntity>; prints: Map<string, string> }>();

/**
 * The fingerprint of a listed entity as the matcher holds it. Results carry the entity with
 * only the names the query hit, so the whole entity is looked up by id.
 */
function fingerprintOf(matcher: Matcher, e: MatchEntity): string {
  let c = cache.get(matcher);
  if (!c) {
    c = { entities: new Map(matcher.index.entities.map((x) => [x.id, x])), prints: new Map() };
    cache.set(matcher, c);
  }
  let f = c.prints.get(e.id);
  if (f === undefined) {
    f = entityFingerprint(c.entities.get(e.id) ?? e);
    c.prints.set(e.id, f);
  }
  return f;
}

export function screenFindings(
  matcher: Matcher,
  subjects: readonly SubjectToScreen[],
  opts: MatchOptions,
  /** Told how many pairs each screening scored (for the benchmarks' counts). */
  onScored?: (pairs: number) => void,
): Finding[] {
  const findings: Finding[] = [];
  for (const s of subjects) {
    // Explanations are made for every result returned, so a few are asked for first and all
    // only when those few are all matches. Counting pairs needs every scored candidate back.
    let results = matcher.match(s.query, { ...opts, limit: onScored ? FINDINGS_PER_SUBJECT : FIRST_LOOK });
    if (!onScored && results.length === FIRST_LOOK && results[FIRST_LOOK - 1]?.match) {
      results = matcher.match(s.query, { ...opts, limit: FINDINGS_PER_SUBJECT });
    }
    onScored?.(results.length);
    for (const r of results) {
      if (!r.match) break;
      findings.push({
        subjectId: s.id,
        subjectHash: s.hash,
        subjectName: s.query.names[0] ?? "",
        entityId: r.entity.id,
        entityHash: fingerprintOf(matcher, r.entity),
        caption: r.entity.caption,
        schema: r.entity.schema,
        datasets: r.entity.datasets,
        programs: r.entity.programs,
        score: Math.round(r.score * 1000) / 1000,
        explanation: r.explanation,
      });
    }
  }
  return findings;
}
