// A subject in the register: a customer (person, company, vessel…) with the fields matching uses,
// a fingerprint that changes when any of them changes, and the two forms matching reads — a
// query (subject against the lists) and a MatchEntity (lists against the subject, for the
// reverse index monitoring uses).

import { createHash } from "node:crypto";
import { type MatchEntity, matchEntity, type Query } from "../match/subject.js";
import { countryCode, parseDate } from "../model/types.js";

export interface Subject {
  readonly id: string;
  readonly query: Query;
}

/** The query with its fields in one order and empty ones left out: what the fingerprint hashes. */
export function canonicalQuery(q: Query): Query {
  return {
    ...(q.schema ? { schema: q.schema } : {}),
    names: [...q.names],
    ...(q.birthDates?.length ? { birthDates: [...q.birthDates] } : {}),
    ...(q.countries?.length ? { countries: [...q.countries] } : {}),
    ...(q.identifiers?.length ? { identifiers: [...q.identifiers] } : {}),
    ...(q.gender ? { gender: q.gender } : {}),
  };
}

export const sha1 = (text: string): string => createHash("sha1").update(text).digest("base64url");

/** Changes when anything matching reads changes; equal subjects have equal fingerprints. */
export function subjectFingerprint(s: Subject): string {
  return sha1(JSON.stringify(canonicalQuery(s.query)));
}

/** What a listed entity is to matching, as a fingerprint: a pair is "unchanged" while this holds. */
export function entityFingerprint(e: MatchEntity): string {
  return sha1(
    JSON.stringify([
      e.schema,
      e.names.map((n) => [n.kind, n.name.name]),
      e.birthDates,
      e.countries,
      e.identifiers,
      e.gender ?? "",
      e.programs,
    ]),
  );
}

/**
 * The subject as an entity the reverse index holds. A subject of no schema is a LegalEntity
 * there: reverse queries carry no schema, and the forward scoring applies the schema rules.
 */
export function subjectEntity(s: Subject): MatchEntity {
  const q = s.query;
  const [name, ...aliases] = q.names;
  return matchEntity({
    id: s.id,
    schema: q.schema && q.schema !== "Thing" ? q.schema : "LegalEntity",
    properties: {
      name: name ? [name] : [],
      ...(aliases.length ? { alias: [...aliases] } : {}),
      // Entities hold clean values (ISO dates and country codes); a subject holds what was given.
      birthDate: (q.birthDates ?? []).flatMap((d) => parseDate(d)?.values ?? []),
      country: (q.countries ?? []).map((c) => countryCode(c)).filter((c): c is string => !!c),
      ...(q.identifiers?.length ? { idNumber: [...q.identifiers] } : {}),
      // As the query side reads it.
      ...(q.gender ? { gender: [q.gender.toLowerCase().startsWith("f") ? "female" : "male"] } : {}),
    },
    datasets: [],
    referents: [],
  });
}

/** A listed entity as a reverse query: its names (weak aliases aside), dates, countries, ids. */
export function entityQuery(e: MatchEntity): Query {
  return {
    names: e.names.filter((n) => n.kind !== "weak").map((n) => n.name.name),
    ...(e.birthDates.length ? { birthDates: e.birthDates } : {}),
    ...(e.countries.length ? { countries: e.countries } : {}),
    ...(e.identifiers.length ? { identifiers: e.identifiers } : {}),
  };
}
