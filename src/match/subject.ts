// The two sides of a screening, in the form matching reads: a query (what the screener knows
// about a subject) and a listed entity reduced to what matching compares (names analysed once,
// dates, countries, identifiers normalised).

import type { Entity } from "../model/entity.js";
import { isA } from "../model/schema.js";
import { countryCode, parseDate } from "../model/types.js";
import { type AnalysedName, analyseName } from "../text/names.js";

export interface Query {
  /** Person, Organization, Company, LegalEntity, Vessel, Airplane; empty means any. */
  readonly schema?: string;
  readonly names: readonly string[];
  readonly birthDates?: readonly string[];
  /** Nationality, citizenship or country, as ISO codes or names. */
  readonly countries?: readonly string[];
  /** Passport, national id, IMO, LEI, BIC, registration numbers, wallet addresses… */
  readonly identifiers?: readonly string[];
  readonly gender?: string;
}

export type NameKind = "name" | "alias" | "weak" | "previous";

export interface ListedName {
  readonly name: AnalysedName;
  readonly kind: NameKind;
}

/** A listed entity as matching sees it. */
export interface MatchEntity {
  readonly id: string;
  readonly schema: string;
  readonly caption: string;
  readonly datasets: readonly string[];
  readonly names: readonly ListedName[];
  readonly birthDates: readonly string[];
  readonly countries: readonly string[];
  readonly identifiers: readonly string[];
  readonly gender?: string;
  /** Programmes of the Sanctions that name this entity (MAGNIT, GLOMAG…). */
  readonly programs: readonly string[];
}

/** The query's side, analysed once per screening. */
export interface AnalysedQuery {
  readonly schema?: string;
  readonly names: readonly AnalysedName[];
  readonly birthDates: readonly string[];
  readonly countries: readonly string[];
  readonly identifiers: readonly string[];
  readonly gender?: string;
}

const NAME_PROPS: [string, NameKind][] = [
  ["name", "name"],
  ["alias", "alias"],
  ["previousName", "previous"],
  ["abbreviation", "alias"],
  ["weakAlias", "weak"],
];
const COUNTRY_PROPS = ["nationality", "citizenship", "country", "birthCountry", "jurisdiction", "flag"];
const ID_PROPS = [
  "passportNumber",
  "idNumber",
  "taxNumber",
  "registrationNumber",
  "innCode",
  "ogrnCode",
  "vatCode",
  "leiCode",
  "swiftBic",
  "imoNumber",
  "mmsi",
  "cryptoWallets",
  "serialNumber",
  "icaoCode",
  "okpoCode",
  "uniqueEntityId",
];

/** Identifiers compare on letters and digits only, upper case ("AB 123-45" = "ab12345"). */
export function normaliseIdentifier(id: string): string {
  return id.toUpperCase().replace(/[^0-9A-Z]/g, "");
}

/** Shorter than this, an identifier is too likely to collide by chance to count. */
const MIN_IDENTIFIER = 5;

const uniq = <T>(xs: Iterable<T>): T[] => [...new Set(xs)];

export function matchEntity(entity: Entity, programs: readonly string[] = []): MatchEntity {
  const p = entity.properties;
  const names: ListedName[] = [];
  const seen = new Set<string>();
  for (const [prop, kind] of NAME_PROPS) {
    for (const n of p[prop] ?? []) {
      if (seen.has(n)) continue;
      seen.add(n);
      names.push({ name: analyseName(n, { schema: entity.schema }), kind });
    }
  }
  const gender = p.gender?.[0];
  return {
    id: entity.id,
    schema: entity.schema,
    caption: p.name?.[0] ?? entity.caption ?? entity.id,
    datasets: entity.datasets,
    names,
    birthDates: uniq(p.birthDate ?? []),
    countries: uniq(COUNTRY_PROPS.flatMap((c) => p[c] ?? [])),
    identifiers: uniq(
      ID_PROPS.flatMap((c) => p[c] ?? [])
        .map(normaliseIdentifier)
        .filter((i) => i.length >= MIN_IDENTIFIER),
    ),
    ...(gender ? { gender } : {}),
    programs,
  };
}

export function analyseQuery(q: Query): AnalysedQuery {
  const schema = q.schema?.trim() || undefined;
  return {
    ...(schema ? { schema } : {}),
    names: q.names.filter((n) => n.trim()).map((n) => analyseName(n, schema ? { schema } : {})),
    birthDates: uniq((q.birthDates ?? []).flatMap((d) => parseDate(d)?.values ?? [])),
    countries: uniq((q.countries ?? []).map((c) => countryCode(c)).filter((c): c is string => !!c)),
    identifiers: uniq(
      (q.identifiers ?? []).map(normaliseIdentifier).filter((i) => i.length >= MIN_IDENTIFIER),
    ),
    ...(q.gender ? { gender: q.gender.toLowerCase().startsWith("f") ? "female" : "male" } : {}),
  };
}

/**
 * Whether a query of one schema may match an entity of another: a person never matches a
 * company or a vessel; a query of no schema (or Thing/LegalEntity) is compatible with what
 * it could be.
 */
export function compatible(querySchema: string | undefined, entitySchema: string): boolean {
  if (!querySchema || querySchema === "Thing") return true;
  if (querySchema === "LegalEntity") return isA(entitySchema, "LegalEntity");
  if (querySchema === "Person") return entitySchema === "Person";
  if (querySchema === "Organization" || querySchema === "Company") {
    return isA(entitySchema, "LegalEntity") && entitySchema !== "Person";
  }
  return entitySchema === querySchema;
}
