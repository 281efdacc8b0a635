// yente's shapes on both sides of the wire: a query-by-example entity (FtM schema and
// properties) read into a matching Query, and listed entities written as yente writes them.
// Reference: ../shared/docs/YENTE-API.md (§2 match, §9 entity shape).

import { InterdictError } from "../errors.js";
import type { Explanation } from "../match/algorithm.js";
import { ALGORITHMS } from "../match/matcher.js";
import type { Query } from "../match/subject.js";
import { getSchema } from "../model/schema.js";
import { cleanValue } from "../model/types.js";
import type { ScoredDoc } from "./engine.js";
import type { SearchDoc } from "./search.js";

/**
 * yente's algorithm names, so its clients work unchanged: `best` and its logic/regression
 * models are answered by our default algorithm; `ofac` is OFAC's own scoring.
 */
export const ALGORITHM_ALIASES: Readonly<Record<string, string>> = {
  best: "default",
  "logic-v2": "default",
  "logic-v1": "default",
  "name-based": "default",
  "name-qualified": "default",
  "regression-v1": "default",
};

export function resolveAlgorithm(name: string | undefined): string {
  const n = (name ?? "best").trim().toLowerCase();
  const resolved = ALGORITHM_ALIASES[n] ?? n;
  if (!ALGORITHMS[resolved]) {
    throw new InterdictError(
      "INTERDICT_E_INPUT",
      `Invalid algorithm: ${name}; known: ${[...Object.keys(ALGORITHMS), ...Object.keys(ALGORITHM_ALIASES)].join(", ")}`,
      { field: "algorithm" },
    );
  }
  return resolved;
}

export interface EntityExample {
  id?: string | null;
  schema: string;
  properties: Record<string, unknown>;
}

const NAME_PARTS = ["firstName", "secondName", "middleName", "fatherName", "lastName"];
const NAME_PROPS = ["name", "alias", "previousName", "abbreviation", "weakAlias"];

/**
 * An example entity, cleaned as FtM cleans it (unknown properties dropped, values cleaned by
 * type, countries to codes), and the Query matching reads from it. `field` names the query in
 * error messages (`queries.q1`).
 */
export function readExample(
  ex: EntityExample,
  field: string,
): { query: Query; cleaned: { id: string | null; schema: string; properties: Record<string, string[]> } } {
  const schema = getSchema(ex.schema);
  if (!schema) {
    throw new InterdictError(
      "INTERDICT_E_INPUT",
      `Cannot parse example entity: Unknown schema: '${ex.schema}'`,
      {
        field: `${field}.schema`,
      },
    );
  }
  if (!schema.matchable && schema.name !== "Thing") {
    throw new InterdictError(
      "INTERDICT_E_INPUT",
      `Cannot parse example entity: Non-matchable schema for query: ${schema.name}`,
      { field: `${field}.schema` },
    );
  }
  const props: Record<string, string[]> = {};
  for (const [prop, raw] of Object.entries(ex.properties ?? {})) {
    const spec = schema.properties.get(prop);
    if (!spec) continue;
    const list = Array.isArray(raw) ? raw : [raw];
    const values: string[] = [];
    for (const v of list) {
      if (v === null || v === undefined || typeof v === "object") continue;
      const text = String(v).trim();
      if (!text) continue;
      // Names and identifiers are kept as given; dates, countries and genders are cleaned.
      const cleaned =
        spec.type === "date" || spec.type === "country" || spec.type === "gender"
          ? cleanValue(spec.type, text)
          : [text];
      for (const c of cleaned) if (!values.includes(c)) values.push(c);
    }
    if (values.length) props[prop] = values;
  }
  if (!NAME_PROPS.some((p) => props[p]?.length)) {
    const parts = NAME_PARTS.flatMap((p) => props[p] ?? []);
    if (parts.length) props.name = [parts.join(" ")];
  }
  const typed = (type: string): string[] =>
    Object.entries(props).flatMap(([p, vs]) => (schema.properties.get(p)?.type === type ? vs : []));
  const gender = props.gender?.[0];
  const query: Query = {
    schema: schema.name,
    names: NAME_PROPS.flatMap((p) => props[p] ?? []),
    birthDates: props.birthDate ?? [],
    countries: typed("country"),
    identifiers: typed("identifier"),
    ...(gender ? { gender } : {}),
  };
  return { query, cleaned: { id: ex.id ?? null, schema: schema.name, properties: props } };
}

/** A listed entity as yente writes it (§9), flat. */
export function entityJson(d: SearchDoc) {
  return {
    id: d.id,
    caption: d.caption,
    schema: d.schema,
    properties: d.properties,
    datasets: d.datasets,
    referents: d.referents,
    target: d.target,
    first_seen: d.first_seen,
    last_seen: d.last_seen,
    last_change: d.last_change,
  };
}

const round = (x: number): number => Math.round(x * 10000) / 10000;

/**
 * A match result as yente writes it, with `explanations` (yente 5) and `features` (older
 * clients): each feature's own score; `weight` says how it counted.
 */
export function scoredJson(r: ScoredDoc) {
  const explanations: Record<
    string,
    { detail: string; score: number; weight: number; query: null; candidate: null }
  > = {};
  const features: Record<string, number> = {};
  for (const x of r.explanation as Explanation[]) {
    explanations[x.feature] = {
      detail: x.detail,
      score: round(x.value),
      weight: x.weight,
      query: null,
      candidate: null,
    };
    features[x.feature] = round(x.value);
  }
  return {
    ...entityJson(r),
    score: round(r.score),
    features,
    explanations,
    match: r.match,
  };
}
