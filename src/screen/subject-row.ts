// A subject to screen, from one row of a batch file (CSV or JSON lines): the columns the
// screening issue names, with the synonyms people actually use.

import type { Query } from "../match/subject.js";
import { countryCode, parseDate } from "../model/types.js";

export interface SubjectRow {
  readonly id: string;
  readonly query: Query;
}

const COLUMNS: Record<string, string> = {
  id: "id",
  name: "name",
  full_name: "name",
  schema: "schema",
  birth_date: "birth_date",
  date_of_birth: "birth_date",
  dob: "birth_date",
  country: "country",
  nationality: "country",
  identifier: "identifier",
  gender: "gender",
};

const SCHEMATA = new Set(["Person", "Organization", "Company", "LegalEntity", "Vessel", "Airplane", "Thing"]);

/**
 * Reads one row; returns the subject, or a problem naming the field. Multi-valued fields may
 * hold several values separated by `;`.
 */
export function subjectOf(
  row: Record<string, unknown>,
  fallbackId: string,
): SubjectRow | { problem: string } {
  const v: Record<string, string> = {};
  for (const [k, value] of Object.entries(row)) {
    const key = COLUMNS[k.trim().toLowerCase()];
    if (key && value != null && String(value).trim()) v[key] = String(value).trim();
  }
  const name = v.name;
  if (!name) return { problem: "no name (column name or full_name)" };
  if (name.length > 2000) return { problem: `name of ${name.length} characters (at most 2,000)` };
  const list = (s: string | undefined): string[] =>
    s
      ? s
          .split(";")
          .map((x) => x.trim())
          .filter(Boolean)
      : [];
  const schema = v.schema ? v.schema[0]?.toUpperCase() + v.schema.slice(1) : undefined;
  if (schema && !SCHEMATA.has(schema)) return { problem: `unknown schema "${v.schema}"` };
  const birthDates = list(v.birth_date);
  const bad = birthDates.find((d) => !parseDate(d));
  if (bad) return { problem: `birth_date "${bad}" is not a date` };
  const countries = list(v.country);
  const unknown = countries.find((c) => !countryCode(c));
  if (unknown) return { problem: `country "${unknown}" is not a country` };
  return {
    id: v.id ?? fallbackId,
    query: {
      names: [name],
      ...(schema ? { schema } : {}),
      ...(birthDates.length ? { birthDates } : {}),
      ...(countries.length ? { countries } : {}),
      ...(v.identifier ? { identifiers: list(v.identifier) } : {}),
      ...(v.gender ? { gender: v.gender } : {}),
    },
  };
}
