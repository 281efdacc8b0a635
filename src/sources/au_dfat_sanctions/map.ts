// Maps one DFAT subject — every sheet row sharing a base Reference (`34`, `34a`, `34c1`) — to a
// Person or Organization with its Sanction and Address entities. Each row is one name; the other
// columns repeat on every row, sometimes with details that belong to that name only (a second
// date of birth), so all rows' values are merged, each distinct text read once.

import { InterdictError } from "../../errors.js";
import { add, type Entity, entityId } from "../../model/entity.js";
import { countryCode, normaliseKey, parseDate } from "../../model/types.js";
import { addressOf, makeTarget, sanctionOf } from "../_map.js";
import type { SourceContext } from "../types.js";
import { type CellValue, COLUMNS, excelSerialDate, type SheetRow } from "./read.js";

const AUTHORITY = "Department of Foreign Affairs and Trade";

export interface Subject {
  /** The base reference: the leading digits every row of the subject shares. */
  readonly reference: string;
  readonly rows: readonly SheetRow[];
}

const SCHEMA_BY_TYPE: Readonly<Record<string, string>> = {
  individual: "Person",
  entity: "Organization",
  vessel: "Vessel",
};

/** "Name Type" (normalised) → the name property. */
const NAME_PROPS: Readonly<Record<string, string>> = {
  "primary name": "name",
  aka: "alias",
  "original script": "alias",
  "formerly known as": "previousName",
  fka: "previousName",
  "previously listed as": "previousName",
  "formerly listed as": "previousName",
};

/** What DFAT writes in a cell that has nothing to say. */
const NOTHING = /^(?:na|n\/a|nil|none|unknown|not known|-)$/i;

/** "a) … b) …" list markers, which DFAT uses inside one cell for several values. */
const LIST_MARKER = /(?<![^\s;,])\(?[a-z]\)\s*/g;

/** A name carrying its own note that it is an old listing: "X (previously listed as)". */
const OLD_LISTING =
  /^(.*?)\s*\(\s*(?:previously|formerly) listed as\b[.,:]?\s*(?:in arabic:\s*([^)]*))?\)\s*$/i;

/** A cell as text: numbers as written, date cells as ISO dates. */
function cellText(value: CellValue | undefined): string | undefined {
  if (value === undefined) return undefined;
  const text =
    typeof value === "string"
      ? value
      : typeof value === "number"
        ? String(value)
        : (excelSerialDate(value.excelDate) ?? String(value.excelDate));
  const clean = text.replace(/\u00a0/g, " ").trim();
  return clean && !NOTHING.test(clean) ? clean : undefined;
}

/** The record as the sheet has it, JSON-safe: date cells as ISO dates. */
function sourceRecord(subject: Subject): unknown {
  return {
    reference: subject.reference,
    rows: subject.rows.map((row) => {
      const out: Record<string, string | number> = { row: row.line };
      for (const [k, v] of Object.entries(row.cells)) {
        out[k] = typeof v === "object" ? (excelSerialDate(v.excelDate) ?? v.excelDate) : v;
      }
      return out;
    }),
  };
}

/**
 * Splits a cell holding several values at list markers and semicolons. Line breaks separate
 * values only where `lines` says so (dates of birth): in addresses and places they mostly wrap
 * one long value.
 */
function splitList(text: string, lines = false): string[] {
  return text
    .replace(LIST_MARKER, ";")
    .split(lines ? /[;\n]/ : ";")
    .map((p) =>
      p
        .replace(/\s+/g, " ")
        .trim()
        .replace(/^[,.]\s*|,\s*$/g, ""),
    )
    .filter((p) => p && !NOTHING.test(p));
}

// ---------------------------------------------------------------- dates of birth

/** Remarks in brackets ("(as Ali Thafir Abdallah)", "(from false passport)") carry no date. */
const REMARK = /\([^)]*\)/g;

/**
 * Dates of birth as DFAT writes them in text: lists ("a) 1955 b) 1958", "1965 or 1966",
 * "… >> …", "alt DOB:"), day-first numeric dates, "Approximately 1955- 1958". Returns the
 * pieces the date cleaner could not read.
 */
function addBirthDates(entity: Entity, text: string): string[] {
  const normal = text
    .replace(/\u00a0/g, " ")
    .replace(REMARK, (remark) => (parseDate(remark.slice(1, -1)) ? `;${remark.slice(1, -1)};` : " "))
    .replace(/[.,]?\s*\bfor this aka only\b/gi, "")
    .replace(/alt(?:ernative)?\.? DOB:?/gi, ";")
    .replace(/>>|\bor\b/gi, ";")
    // "27. Jul 1960" → "27 Jul 1960", "24 Jan.1973" → "24 Jan. 1973", "09/11/ 1954" → "09/11/1954"
    .replace(/\b(\d{1,2})\.\s+(?=[A-Za-z])/g, "$1 ")
    .replace(/([A-Za-z])\.(?=\d)/g, "$1. ")
    .replace(/\/\s+(?=\d)/g, "/")
    // "1955- 1958", "1955/1956": a span or a choice of years
    .replace(/\b(\d{4})\s*[-–]\s*(\d{4})\b/g, "$1 to $2")
    .replace(/\b(\d{4})\s*\/\s*(\d{4})\b/g, "$1;$2")
    // "5/06/1953   15/06/1953": a wide gap between two dates separates them
    .replace(/(\d)\s{2,}(?=\d)/g, "$1;");
  const rejected: string[] = [];
  for (const piece of splitList(normal, true)) {
    if (add(entity, "birthDate", piece).length === 0) continue;
    // "1954, 1955": commas separate dates only when the whole piece is not one date.
    const parts = piece.split(",").map((p) => p.trim());
    if (parts.length > 1 && parts.every((p) => p && parseDate(p))) add(entity, "birthDate", parts);
    else rejected.push(piece);
  }
  return rejected;
}

/** A date cell: Excel serials (formatted as dates or not), bare years, or text. */
function addDateCell(entity: Entity, prop: string, value: CellValue): string[] {
  if (typeof value === "object") {
    const iso = excelSerialDate(value.excelDate);
    return iso ? add(entity, prop, iso) : [String(value.excelDate)];
  }
  if (typeof value === "number") {
    // A number with no date format is a year when it looks like one ("1965"), else a serial.
    if (Number.isInteger(value) && value >= 1000 && value <= 2200) return add(entity, prop, String(value));
    const iso = excelSerialDate(value);
    return iso ? add(entity, prop, iso) : [String(value)];
  }
  return prop === "birthDate" ? addBirthDates(entity, value) : add(entity, prop, value);
}

// ---------------------------------------------------------------- listing information

const DATE_TEXT = String.raw`\b(?:\d{1,2}(?:st|nd|rd|th)?\.?\s+[A-Za-z]+\.?,?\s*\d{4}|\d{1,2}\/\d{1,2}\/\d{4}|[A-Za-z]+\.?\s+\d{1,2},?\s+\d{4})`;
/**
 * "Listed on 9 Sep. 2014", "Listed by UN (1267 Committee) on 25 January 2001 (amended …)",
 * "The Minister … listed this entity on …", or a text that starts with the date: the first
 * date after the word is the listing, later ones are amendments.
 */
const LISTED_ON = new RegExp(
  String.raw`(?<![-\w])(?:listed|designated)[^;]*?(${DATE_TEXT})|^\s*(${DATE_TEXT})`,
  "i",
);

/** The first listing date a "Listing Information" text states, if it states one. */
export function listingDateOf(text: string): string | undefined {
  const m = text.replace(/\u00a0/g, " ").match(LISTED_ON);
  const date = m?.[1] ?? m?.[2];
  return date ? parseDate(date.replace(/([A-Za-z])\.(?=\d)/, "$1. "))?.values[0] : undefined;
}

// ---------------------------------------------------------------- countries

/** A country or nationality: a name, a code, or an adjective ("Russian"). */
export function countryOf(text: string): string | undefined {
  const bare = text
    .replace(REMARK, " ")
    .replace(/^(?:possibly|probably)\s+/i, "")
    .replace(/[.;,]+$/, "")
    .trim();
  if (!bare) return undefined;
  return countryCode(bare);
}

/** "Russian and Ukrainian", "Malian / Mauritanian", "a) German b) Moroccan": each country. */
function countriesOf(text: string): { codes: string[]; rejected: string[] } {
  const codes: string[] = [];
  const rejected: string[] = [];
  for (const piece of splitList(text)) {
    const whole = countryOf(piece);
    if (whole) {
      codes.push(whole);
      continue;
    }
    const parts = piece.split(/\s*(?:,|\/|\band\b)\s*/i).filter((p) => p.trim());
    const found = parts.map(countryOf);
    if (parts.length > 1 && found.every((c) => c)) codes.push(...(found as string[]));
    else rejected.push(piece);
  }
  return { codes, rejected };
}

// ---------------------------------------------------------------- the subject

/** The Committees cell: usually one regime, sometimes two run together. */
function programsOf(text: string): string[] {
  return text
    .split(/(?<=\))\s+(?=\d|Autonomous)/)
    .map((p) => p.replace(/\s+/g, " ").trim())
    .filter(Boolean);
}

/** The Person, Organization or Vessel, its Sanction and its Address entities. */
export function mapSubject(subject: Subject, ctx: SourceContext, file: string): Entity[] {
  const { reference, rows } = subject;
  const first = rows[0];
  if (!first) throw new Error(`subject ${reference} has no rows`);
  const where = (row: SheetRow, field?: string) => ({ file, line: row.line, record: reference, field });
  const issue = (row: SheetRow, field: string, code: string, message: string): void =>
    ctx.issue({ code, message, ...where(row, field) });

  const primary =
    rows.find((r) => normaliseKey(cellText(r.cells[COLUMNS.nameType]) ?? "") === "primary name") ?? first;
  const schema = schemaOf(subject, primary, file, issue);
  const entity = makeTarget(schema, entityId(ctx.dataset, reference), ctx.dataset, sourceRecord(subject));
  const isPerson = schema === "Person";

  const seen = new Set<string>();
  /** Each distinct text of a column once per subject: rows repeat most columns verbatim. */
  const fresh = (column: string, value: CellValue | undefined): CellValue | undefined => {
    if (value === undefined) return undefined;
    const key = `${column}\u0000${typeof value === "object" ? `d${value.excelDate}` : value}`;
    if (seen.has(key)) return undefined;
    seen.add(key);
    return value;
  };

  const programs: string[] = [];
  const listings: string[] = [];
  const listingDates: string[] = [];
  const controlDates: string[] = [];
  const addresses: string[] = [];
  let primaryNames = 0;

  for (const row of rows) {
    const c = row.cells;
    const name = cellText(c[COLUMNS.name]);
    if (!name) {
      throw new InterdictError("INTERDICT_E_LIST_FORMAT", "a row with no name", where(row, COLUMNS.name));
    }
    const nameType = normaliseKey(cellText(c[COLUMNS.nameType]) ?? "");
    let prop = NAME_PROPS[nameType];
    if (!prop) {
      issue(row, COLUMNS.nameType, "AU_DFAT_NAME_TYPE", `unknown name type "${nameType}", read as an alias`);
      prop = "alias";
    }
    if (prop === "name") primaryNames++;
    const old = name.match(OLD_LISTING);
    if (old?.[1]) {
      add(entity, "previousName", old[1]);
      add(entity, "alias", old[2]);
    } else add(entity, prop, name);

    const dob = fresh(COLUMNS.dob, c[COLUMNS.dob]);
    if (dob !== undefined && cellText(dob)) {
      if (isPerson) {
        for (const bad of addDateCell(entity, "birthDate", dob)) {
          issue(row, COLUMNS.dob, "AU_DFAT_DATE", `unreadable date of birth "${bad}"`);
        }
      } else
        issue(row, COLUMNS.dob, "AU_DFAT_NOT_A_PERSON", `a date of birth for an entity of type ${schema}`);
    }

    const pob = cellText(fresh(COLUMNS.pob, c[COLUMNS.pob]));
    if (pob) {
      if (isPerson) add(entity, "birthPlace", splitList(pob));
      else
        issue(row, COLUMNS.pob, "AU_DFAT_NOT_A_PERSON", `a place of birth for an entity of type ${schema}`);
    }

    const citizenship = cellText(fresh(COLUMNS.citizenship, c[COLUMNS.citizenship]));
    if (citizenship) {
      const { codes, rejected } = countriesOf(citizenship);
      add(entity, isPerson ? "nationality" : "country", codes);
      for (const bad of rejected) {
        issue(row, COLUMNS.citizenship, "AU_DFAT_COUNTRY", `unknown country "${bad}"`);
      }
    }

    const address = cellText(fresh(COLUMNS.address, c[COLUMNS.address]));
    if (address) addresses.push(...splitList(address));

    add(entity, "notes", cellText(fresh(COLUMNS.info, c[COLUMNS.info])));

    const listing = fresh(COLUMNS.listing, c[COLUMNS.listing]);
    const listingText = cellText(listing);
    if (listing !== undefined && listingText) {
      if (typeof listing === "object") listingDates.push(listingText);
      else {
        listings.push(listingText);
        const date = listingDateOf(listingText);
        if (date) listingDates.push(date);
      }
    }

    const committees = cellText(fresh(COLUMNS.committees, c[COLUMNS.committees]));
    if (committees) programs.push(...programsOf(committees));

    const control = fresh(COLUMNS.controlDate, c[COLUMNS.controlDate]);
    if (control !== undefined) {
      const text = cellText(control);
      const date = typeof control === "string" ? parseDate(control)?.values[0] : text;
      if (date) controlDates.push(date);
      else if (text) issue(row, COLUMNS.controlDate, "AU_DFAT_DATE", `unreadable control date "${text}"`);
    }
  }

  if (primaryNames !== 1) {
    issue(
      primary,
      COLUMNS.nameType,
      "AU_DFAT_PRIMARY_NAME",
      primaryNames === 0 ? "no primary name; the first row's name is used" : `${primaryNames} primary names`,
    );
    if (primaryNames === 0) add(entity, "name", cellText(first.cells[COLUMNS.name]));
  }

  const sanction = sanctionOf(entity, {
    authority: AUTHORITY,
    country: "au",
    program: [...new Set(programs)],
    listingDate: listingDates.sort()[0],
    modifiedAt: controlDates.sort().at(-1),
  });
  add(sanction, "summary", listings);

  const out: Entity[] = [entity, sanction];
  let n = 0;
  for (const full of new Set(addresses)) {
    const parts = full.replace(REMARK, " ").split(",");
    const country = countryOf(parts.at(-1) ?? "");
    const a = addressOf(entity, { full, country }, ++n);
    if (a) out.push(a);
  }
  return out;
}

function schemaOf(
  subject: Subject,
  primary: SheetRow,
  file: string,
  issue: (row: SheetRow, field: string, code: string, message: string) => void,
): string {
  const types = new Map<string, SheetRow>();
  for (const row of subject.rows) {
    const t = normaliseKey(cellText(row.cells[COLUMNS.type]) ?? "");
    if (t && !types.has(t)) types.set(t, row);
  }
  const own = normaliseKey(cellText(primary.cells[COLUMNS.type]) ?? "");
  const type = own || types.keys().next().value;
  if (!type) {
    throw new InterdictError("INTERDICT_E_LIST_FORMAT", "no row of this subject gives its Type", {
      file,
      line: primary.line,
      record: subject.reference,
      field: COLUMNS.type,
    });
  }
  if (types.size > 1) {
    issue(
      primary,
      COLUMNS.type,
      "AU_DFAT_TYPE",
      `rows disagree on the type (${[...types.keys()].join(", ")})`,
    );
  }
  const schema = SCHEMA_BY_TYPE[type];
  if (schema) return schema;
  issue(primary, COLUMNS.type, "AU_DFAT_TYPE", `unknown type "${type}", read as an organization`);
  return "Organization";
}
