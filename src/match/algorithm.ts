// Scoring algorithms, declared as data: a list of features, each a named claim about a query
// and a listed entity that returns a value in [0, 1] and a reason, with a weight. The score is
// the weighted sum, clamped to [0, 1]. Qualifiers (negative weights) lower a score that the
// names alone made; they never create a match.

import {
  COMPARE_DEFAULTS,
  type CompareOptions,
  compareNames,
  type NameComparison,
  nameScore,
} from "./compare.js";
import type { AnalysedQuery, ListedName, MatchEntity } from "./subject.js";

export interface FeatureResult {
  readonly value: number;
  /** The reason in words; a function where writing it costs more than the feature itself. */
  readonly detail: string | (() => string);
}

export interface Feature {
  /** Named for the claim it scores: `name_match`, `dob_year_disjoint`… */
  readonly id: string;
  readonly weight: number;
  readonly fn: (q: AnalysedQuery, e: MatchEntity, o: CompareOptions) => FeatureResult;
}

export interface Algorithm {
  readonly name: string;
  readonly description: string;
  /** Score at or above which a result is a match. */
  readonly threshold: number;
  readonly features: readonly Feature[];
}

export interface Explanation {
  readonly feature: string;
  readonly value: number;
  readonly weight: number;
  readonly detail: string;
}

export interface Scored {
  readonly score: number;
  /** The features that fired, in words: built on demand, for the results that are shown. */
  explain(): Explanation[];
}

const NONE: FeatureResult = { value: 0, detail: "" };

const words = (d: FeatureResult["detail"]): string => (typeof d === "string" ? d : d());

function describePairs(c: NameComparison, q: ListedName["name"], e: ListedName["name"]): string {
  const parts = c.pairs.map((p) => {
    const qs = p.q.map((i) => q.tokens[i]?.text).join(" ");
    const es = p.c.map((i) => e.tokens[i]?.text).join(" ");
    return `${qs}~${es} ${p.similarity.toFixed(2)}`;
  });
  return parts.join(", ");
}

type Found = { qn: ListedName["name"]; ln: ListedName } | undefined;

/** The best name pair: every query name against every listed name the rules allow. */
export function bestName(
  q: AnalysedQuery,
  e: MatchEntity,
  o: CompareOptions,
): { score: number; detail: () => string } {
  const m = nameMatch(q, e, o);
  return { score: m.value, detail: () => m.detail };
}

function nameMatch(q: AnalysedQuery, e: MatchEntity, o: CompareOptions): NameMatch {
  let best = 0;
  let found: Found;
  for (const qn of q.names) {
    for (const ln of e.names) {
      const s = nameScore(qn, ln.name, o);
      // A weak alias (OFAC FAQ 122–125) only corroborates: it counts when it matches exactly.
      const score = ln.kind === "weak" && s < 1 ? 0 : s;
      if (score > best) {
        best = score;
        found = { qn, ln };
        if (best === 1) break;
      }
    }
    if (best === 1) break;
  }
  return new NameMatch(best, found, o);
}

// Feature results whose reason is written only when a result is shown, not for every candidate
// scored: classes with a getter, so that no closure is made per candidate (under tsx each named
// closure is also renamed through defineProperty).

class NameMatch implements FeatureResult {
  constructor(
    readonly value: number,
    private readonly found: Found,
    private readonly o: CompareOptions,
  ) {}

  get detail(): string {
    if (!this.found) return "";
    const { qn, ln } = this.found;
    // The pairs of the best names only, aligned again (their similarities are remembered).
    const c = compareNames(qn, ln.name, this.o);
    const kind = ln.kind === "name" ? "" : ` (${ln.kind === "weak" ? "weak alias" : ln.kind})`;
    return `${qn.name} ≈ ${ln.name.name}${kind}: ${this.value.toFixed(2)} [${describePairs(c, qn, ln.name)}]${
      c.capped ? "; one name part alone" : ""
    }`;
  }
}

class DatesApart implements FeatureResult {
  readonly value = 1;
  constructor(
    private readonly q: AnalysedQuery,
    private readonly e: MatchEntity,
  ) {}

  get detail(): string {
    return `DOB ${this.q.birthDates.join("/")} vs ${this.e.birthDates.slice(0, 4).join("/")}`;
  }
}

class CountriesApart implements FeatureResult {
  readonly value = 1;
  constructor(
    private readonly q: AnalysedQuery,
    private readonly e: MatchEntity,
  ) {}

  get detail(): string {
    return `country ${this.q.countries.join("/")} vs ${this.e.countries.join("/")}`;
  }
}

/** The year of a date (`Number` of its first four characters), read digit by digit when it can be. */
function year(d: string): number {
  let y = 0;
  for (let i = 0; i < 4; i++) {
    const c = d.charCodeAt(i) - 48;
    if (!(c >= 0 && c <= 9)) return Number(d.slice(0, 4));
    y = y * 10 + c;
  }
  return y;
}

/** Whether a[i, i + n) and b[j, j + n) are the same characters. */
function sameAt(a: string, i: number, b: string, j: number, n: number): boolean {
  for (let k = 0; k < n; k++) if (a.charCodeAt(i + k) !== b.charCodeAt(j + k)) return false;
  return true;
}

/** Birth dates that agree: same prefix at the precision both have, or day and month swapped. */
function sameDate(a: string, b: string): boolean {
  const n = Math.min(a.length, b.length);
  if (sameAt(a, 0, b, 0, n)) return true;
  if (a.length === 10 && b.length === 10 && sameAt(a, 0, b, 0, 4)) {
    return sameAt(a, 5, b, 8, 2) && sameAt(a, 8, b, 5, 2);
  }
  return false;
}

export const FEATURES = {
  name_match: (q: AnalysedQuery, e: MatchEntity, o: CompareOptions): FeatureResult => nameMatch(q, e, o),
  identifier_match: (q: AnalysedQuery, e: MatchEntity): FeatureResult => {
    for (const hit of q.identifiers) {
      if (e.identifiers.includes(hit)) return { value: 1, detail: `identifier ${hit} in both` };
    }
    return NONE;
  },
  dob_exact_match: (q: AnalysedQuery, e: MatchEntity): FeatureResult => {
    for (const a of q.birthDates) {
      for (const b of e.birthDates) {
        if (a.length === 10 && b.length === 10 && sameDate(a, b))
          return { value: 1, detail: `DOB ${a} = ${b}` };
      }
    }
    return NONE;
  },
  dob_year_disjoint: (q: AnalysedQuery, e: MatchEntity): FeatureResult => {
    if (q.birthDates.length === 0 || e.birthDates.length === 0) return NONE;
    for (const a of q.birthDates) {
      for (const b of e.birthDates) {
        // A year apart is a common clerical slip (and Hijri conversions); more is a different person.
        if (sameDate(a, b) || Math.abs(year(a) - year(b)) <= 1) return NONE;
      }
    }
    return new DatesApart(q, e);
  },
  country_disjoint: (q: AnalysedQuery, e: MatchEntity): FeatureResult => {
    if (q.countries.length === 0 || e.countries.length === 0) return NONE;
    for (const c of q.countries) if (e.countries.includes(c)) return NONE;
    return new CountriesApart(q, e);
  },
  gender_mismatch: (q: AnalysedQuery, e: MatchEntity): FeatureResult => {
    if (!q.gender || !e.gender || q.gender === e.gender) return NONE;
    return { value: 1, detail: `gender ${q.gender} vs ${e.gender}` };
  },
} satisfies Record<string, Feature["fn"]>;

const feature = (id: keyof typeof FEATURES, weight: number): Feature => ({ id, weight, fn: FEATURES[id] });

export const DEFAULT_ALGORITHM: Algorithm = {
  name: "default",
  description:
    "Interdict's matcher: names compared token by token across scripts and spellings, then identifiers, birth dates, countries and gender",
  threshold: 0.8,
  features: [
    feature("name_match", 1),
    feature("identifier_match", 0.5),
    feature("dob_exact_match", 0.05),
    feature("dob_year_disjoint", -0.2),
    feature("country_disjoint", -0.1),
    feature("gender_mismatch", -0.15),
  ],
};

/** Scores one entity for one query; the readable explanation is built only if asked for. */
export function score(
  algorithm: Algorithm,
  q: AnalysedQuery,
  e: MatchEntity,
  o: CompareOptions = COMPARE_DEFAULTS,
): Scored {
  let total = 0;
  const features = algorithm.features;
  const results: FeatureResult[] = [];
  for (let i = 0; i < features.length; i++) {
    const f = features[i] as Feature;
    const r = f.fn(q, e, o);
    results.push(r);
    if (r.value === 0) continue;
    total += r.value * f.weight;
  }
  return new ScoredFeatures(Math.max(0, Math.min(1, total)), features, results);
}

/**
 * A score and each feature's result (those of value 0 did not fire); a class, so no closure is
 * made per candidate scored.
 */
class ScoredFeatures implements Scored {
  constructor(
    readonly score: number,
    private readonly features: readonly Feature[],
    private readonly results: readonly FeatureResult[],
  ) {}

  explain(): Explanation[] {
    const out: Explanation[] = [];
    for (let i = 0; i < this.features.length; i++) {
      const f = this.features[i] as Feature;
      const r = this.results[i] as FeatureResult;
      if (r.value === 0) continue;
      out.push({ feature: f.id, value: r.value, weight: f.weight, detail: words(r.detail) });
    }
    return out;
  }
}
