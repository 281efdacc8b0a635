// The matcher: listed entities indexed once, then any number of screenings against them. Each
// screening analyses the query once, retrieves candidates from the index, scores them with the
// chosen algorithm and returns the best, each with its explanation.

import { InterdictError } from "../errors.js";
import { isA } from "../model/schema.js";
import type { Store } from "../store/store.js";
import { analyseName } from "../text/names.js";
import { type Algorithm, DEFAULT_ALGORITHM, type Explanation, score } from "./algorithm.js";
import { COMPARE_DEFAULTS } from "./compare.js";
import { INDEX_DEFAULTS, MatchIndex } from "./index.js";
import { OFAC_ALGORITHM } from "./ofac-algorithm.js";
import { analyseQuery, type MatchEntity, matchEntity, type Query } from "./subject.js";

export const ALGORITHMS: Readonly<Record<string, Algorithm>> = {
  default: DEFAULT_ALGORITHM,
  ofac: OFAC_ALGORITHM,
};

export const MATCH_DEFAULTS = {
  algorithm: "default",
  /** Results returned, best first, matches or not. */
  limit: 5,
  candidates: INDEX_DEFAULTS.candidates,
};

export interface MatchOptions {
  algorithm?: string;
  /** Overrides the algorithm's own threshold. */
  threshold?: number;
  limit?: number;
  candidates?: number;
}

export interface MatchResult {
  readonly entity: MatchEntity;
  readonly score: number;
  readonly match: boolean;
  readonly explanation: readonly Explanation[];
}

export function algorithmNamed(name: string): Algorithm {
  const a = ALGORITHMS[name];
  if (!a) {
    throw new InterdictError(
      "INTERDICT_E_USAGE",
      `unknown algorithm "${name}"; known: ${Object.keys(ALGORITHMS).join(", ")}`,
    );
  }
  return a;
}

/**
 * The score of two names alone under an algorithm, as the name-pair benchmarks measure it:
 * the second name is treated as a listed entity's only name.
 */
export function scorePair(
  name1: string,
  name2: string,
  opts: { schema?: string; algorithm?: string } = {},
): { score: number; match: boolean; explanation: readonly Explanation[] } {
  const algorithm = algorithmNamed(opts.algorithm ?? MATCH_DEFAULTS.algorithm);
  const schema = opts.schema?.trim() || undefined;
  const listed = matchEntity({
    id: "pair",
    schema: schema ?? "LegalEntity",
    properties: { name: [name2] },
    datasets: [],
    referents: [],
  });
  const q = analyseQuery({ names: [name1], ...(schema ? { schema } : {}) });
  // With no schema on either side, names are compared without schema-specific rules.
  const entity = schema
    ? listed
    : { ...listed, names: listed.names.map((n) => ({ ...n, name: analyseName(name2) })) };
  const s = score(algorithm, q, entity, COMPARE_DEFAULTS);
  return { score: s.score, match: s.score >= algorithm.threshold, explanation: s.explain() };
}

export class Matcher {
  readonly index: MatchIndex;

  constructor(entities: readonly MatchEntity[]) {
    this.index = new MatchIndex(entities);
  }

  /** Every matchable entity in the current version of each dataset (or of those named). */
  static async fromStore(store: Store, datasets?: readonly string[]): Promise<Matcher> {
    const names = datasets ?? (await store.datasets()).filter((d) => d.current).map((d) => d.name);
    const entities: MatchEntity[] = [];
    for (const name of names) {
      const programs = new Map<string, string[]>();
      const targets = [];
      for await (const e of store.entities(name)) {
        if (e.schema === "Sanction") {
          for (const id of e.properties.entity ?? []) {
            programs.set(id, [...(programs.get(id) ?? []), ...(e.properties.program ?? [])]);
          }
        } else if (isA(e.schema, "LegalEntity") || isA(e.schema, "Vehicle")) targets.push(e);
      }
      for (const e of targets) entities.push(matchEntity(e, [...new Set(programs.get(e.id) ?? [])]));
    }
    return new Matcher(entities);
  }

  match(query: Query, opts: MatchOptions = {}): MatchResult[] {
    const algorithm = algorithmNamed(opts.algorithm ?? MATCH_DEFAULTS.algorithm);
    const threshold = opts.threshold ?? algorithm.threshold;
    const q = analyseQuery(query);
    if (q.names.every((n) => n.tokens.length === 0) && q.identifiers.length === 0) return [];
    return this.index
      .candidates(q, opts.candidates ?? MATCH_DEFAULTS.candidates)
      .map((entity) => ({ entity, scored: score(algorithm, q, entity, COMPARE_DEFAULTS) }))
      .sort((a, b) => b.scored.score - a.scored.score)
      .slice(0, opts.limit ?? MATCH_DEFAULTS.limit)
      .map(({ entity, scored }) => ({
        entity,
        score: scored.score,
        match: scored.score >= threshold,
        explanation: scored.explain(),
      }));
  }
}
