// A subject to screen, from one row of a batch or register file (CSV, JSON lines, XLSX): the
// columns the screening issue names, with the synonyms people actually use, or the file's own
// column names mapped onto them (`--map name="Full Name",birth_date=DOB`).

import { InterdictError } from "../errors.js";
import type { Query } from "../match/subject.js";
import { countryCode, parseDate } from "../model/types.js";

export interface SubjectRow {
  readonly id: string;
  readonly query: Query;
}

/** The fields a subject has: what matching compares, plus its id. */
export const SUBJECT_FIELDS = [
  "id",
  "name",
  "alias",
  "schema",
  "birth_date",
  "country",
  "identifier",
  "gender",
] as const;
export type SubjectField = (typeof SUBJECT_FIELDS)[number];

/** Column names (lower case) read as a field when no mapping says otherwise. */
const COLUMNS: Readonly<Record<string, SubjectField>> = {
  id: "id",
  subject_id: "id",
  customer_id: "id",
  name: "name",
  full_name: "name",
  alias: "alias",
  aliases: "alias",
  schema: "schema",
  type: "schema",
  birth_date: "birth_date",
  date_of_birth: "birth_date",
  dob: "birth_date",
  country: "country",
  nationality: "country",
  identifier: "identifier",
  gender: "gender",
};

/** What people write for a schema, lower case. */
const SCHEMATA: Readonly<Record<string, string>> = {
  person: "Person",
  individual: "Person",
  organization: "Organization",
  organisation: "Organization",
  company: "Company",
  entity: "LegalEntity",
  legalentity: "LegalEntity",
  vessel: "Vessel",
  ship: "Vessel",
  airplane: "Airplane",
  aircraft: "Airplane",
  thing: "Thing",
};

/** Field → the file's column that holds it. */
export type ColumnMap = Readonly<Partial<Record<SubjectField, string>>>;

/**
 * Parses `name="Full Name",birth_date=DOB` (quotes optional, several `--map` options joined).
 * Unknown fields are a usage error that lists the known ones.
 */
export function parseColumnMap(specs: readonly string[]): ColumnMap {
  const map: Partial<Record<SubjectField, string>> = {};
  for (const spec of specs) {
    for (const part of spec.match(/(?:[^,"]+|"[^"]*")+/g) ?? []) {
      const eq = part.indexOf("=");
      const field = part.slice(0, eq).trim().toLowerCase() as SubjectField;
      const column = part
        .slice(eq + 1)
        .trim()
        .replace(/^"(.*)"$/, "$1");
      if (eq < 1 || !column || !SUBJECT_FIELDS.includes(field)) {
        throw new InterdictError(
          "INTERDICT_E_USAGE",
          `--map: "${part.trim()}" is not FIELD=COLUMN with FIELD one of ${SUBJECT_FIELDS.join(", ")}`,
        );
      }
      map[field] = column;
    }
  }
  return map;
}

const text = (value: unknown): string => {
  if (value == null) return "";
  if (value instanceof Date) return value.toISOString().slice(0, 10);
  if (Array.isArray(value)) return value.map(text).filter(Boolean).join(";");
  return String(value).trim();
};

/** Multi-valued fields hold several values separated by `;` (or a JSON array). */
const list = (s: string | undefined): string[] =>
  s
    ? s
        .split(";")
        .map((x) => x.trim())
        .filter(Boolean)
    : [];

/**
 * Reads one row; returns the subject, or a problem naming the field. A mapped field is read
 * from its mapped column only; other fields from their usual column names.
 */
export function subjectOf(
  row: Record<string, unknown>,
  fallbackId: string,
  map: ColumnMap = {},
): SubjectRow | { problem: string } {
  const v: Partial<Record<SubjectField, string>> = {};
  const mappedColumns = new Set(Object.values(map).map((c) => c.trim().toLowerCase()));
  for (const [k, value] of Object.entries(row)) {
    const column = k.trim().toLowerCase();
    if (mappedColumns.has(column)) continue;
    const field = COLUMNS[column];
    if (field && !(field in map) && v[field] === undefined) {
      const s = text(value);
      if (s) v[field] = s;
    }
  }
  for (const [field, column] of Object.entries(map) as [SubjectField, string][]) {
    const key = Object.keys(row).find((k) => k.trim().toLowerCase() === column.trim().toLowerCase());
    const s = key === undefined ? "" : text(row[key]);
    if (s) v[field] = s;
  }
  const name = v.name;
  if (!name) return { problem: `no name (column ${map.name ? `"${map.name}"` : "name or full_name"})` };
  if (name.length > 2000) return { problem: `name of ${name.length} characters (at most 2,000)` };
  const aliases = list(v.alias).filter((a) => a !== name);
  if (aliases.some((a) => a.length > 2000)) return { problem: "an alias over 2,000 characters" };
  const schema = v.schema ? SCHEMATA[v.schema.toLowerCase().replace(/[\s_-]/g, "")] : undefined;
  if (v.schema && !schema) return { problem: `unknown schema "${v.schema}"` };
  const birthDates = list(v.birth_date);
  const bad = birthDates.find((d) => !parseDate(d));
  if (bad) return { problem: `birth_date "${bad}" is not a date` };
  const countries = list(v.country);
  const unknown = countries.find((c) => !countryCode(c));
  if (unknown) return { problem: `country "${unknown}" is not a country` };
  const identifiers = list(v.identifier);
  return {
    id: v.id ?? fallbackId,
    query: {
      names: [name, ...aliases],
      ...(schema ? { schema } : {}),
      ...(birthDates.length ? { birthDates } : {}),
      ...(countries.length ? { countries } : {}),
      ...(identifiers.length ? { identifiers } : {}),
      ...(v.gender ? { gender: v.gender } : {}),
    },
  };
}
