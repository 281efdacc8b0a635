// Maps one record of the UN consolidated list to entities: the listed Person (INDIVIDUAL) or
// Organization (ENTITY), its Sanction, its Address entities and its identity documents.
// The UN numbers name parts (FIRST_NAME…FOURTH_NAME) without saying which is the family name;
// they map to firstName, secondName, middleName and lastName, and the whole name is their join.

import { InterdictError } from "../../errors.js";
import { add, addRaw, type Entity, entityId } from "../../model/entity.js";
import { countryCode, parseDate } from "../../model/types.js";
import { addressOf, documentOf, type MapContext, makeTarget, Recorder, sanctionOf } from "../_map.js";
import { child, children, plain, type XmlNode } from "../_xml.js";
import type { UnKind } from "./read.js";

export const AUTHORITY = "United Nations Security Council";
/** FtM's code for international bodies. */
const AUTHORITY_COUNTRY = "zz";

/** Alias QUALITY → property: the UN marks weak aliases "Low" and former names "f.k.a.". */
const NAME_QUALITY: Readonly<Record<string, string>> = {
  good: "alias",
  "a.k.a.": "alias",
  low: "weakAlias",
  "f.k.a.": "previousName",
};

/** French and Spanish document types name passports too ("Numéro de passeport"). */
const PASSPORT = /passe?port|pasaporte/i;

/** A date-of-birth NOTE that only qualifies the date ("Approximately"). */
const CIRCA_ONLY = /^(?:approx\w*|circa|about)\.?$/i;

const collapse = (text: string): string => text.replace(/\s+/g, " ").trim();

/** Collapsed text of the first child of that name; undefined when missing or blank. */
function val(node: XmlNode | undefined, name: string): string | undefined {
  const t = node && child(node, name)?.text;
  return t ? collapse(t) || undefined : undefined;
}

/** xs:date may carry a time zone (`2015-04-07-04:00`); the day is what the list means. */
function xsDate(text: string): string {
  return text.replace(/^(\d{4}-\d{2}-\d{2})(?:Z|[+-]\d{2}:\d{2})$/, "$1");
}

const oneDate = (text: string | undefined): string | undefined =>
  text ? parseDate(xsDate(text))?.values[0] : undefined;

/** Index of the `(` that the final `)` closes, or -1. */
function closingGroupStart(text: string): number {
  let depth = 0;
  for (let i = text.length - 1; i >= 0; i--) {
    if (text[i] === ")") depth++;
    else if (text[i] === "(" && --depth === 0) return i;
  }
  return -1;
}

/** Splits on `sep` outside brackets. */
function splitTop(text: string, sep: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (ch === "(") depth++;
    else if (ch === ")") depth = Math.max(0, depth - 1);
    else if (ch === sep && depth === 0) {
      parts.push(text.slice(start, i));
      start = i + 1;
    }
  }
  parts.push(text.slice(start));
  return parts;
}

/** Punctuation the list leaves at either end of a name (") Abdelrahman", "Akhter (…),"). */
const STRAY = /^[\s),;:]+|[\s,;:]+$/g;

/** True when every letter is Latin (accents included). */
const isLatin = (text: string): boolean => !/(?!\p{Script=Latin})\p{L}/u.test(text);

/**
 * One ALIAS_NAME can hold several names: "A; B; C", "عربي (Latin A; Latin B)", "Latin (عربي)",
 * "A (original script: Б)", "A b) B" and "الاسم (original script)". Returns each name once,
 * without the stray punctuation the list sometimes leaves at either end.
 */
export function splitNames(raw: string): string[] {
  let text = collapse(raw).replace(STRAY, "");
  const out: string[] = [];
  const open = text.endsWith(")") ? closingGroupStart(text) : -1;
  if (open > 0) {
    const outer = text.slice(0, open).trim();
    const inner = text.slice(open + 1, -1).trim();
    const script = inner.match(/^original script\s*:\s*(.+)$/i)?.[1];
    if (inner.includes(";")) {
      out.push(...splitNames(outer));
      text = inner;
    } else if (script || (inner && isLatin(outer) !== isLatin(inner))) {
      return [...new Set([...splitNames(outer), ...splitNames(script ?? inner)])];
    }
  }
  for (const part of splitTop(text, ";")) {
    for (const piece of part.replace(/^\s*[a-z]\)\s+/, "").split(/\s+[a-z]\)\s+/)) {
      const name = piece.replace(/\s*\(original script\)$/i, "").replace(STRAY, "");
      if (name) out.push(name);
    }
  }
  return [...new Set(out)];
}

/** A name in another script given in an alias NOTE: "original script: Абу Банат", "In Arabic: …". */
function scriptNameInNote(note: string): string | undefined {
  return note.match(/(?:original script|in arabic(?: script)?)\s*:\s*(.+)$/i)?.[1]?.trim() || undefined;
}

/** The shared Recorder, with the UN's country names and dates checked. */
class UnRecorder extends Recorder {
  /** A country name we know, else undefined and an issue. */
  country(name: string | undefined, at: XmlNode, field: string): string | undefined {
    if (!name || countryCode(name)) return name;
    this.issue("value_rejected", `${JSON.stringify(name)} is not a known country`, at, field);
    return undefined;
  }

  date(text: string | undefined, at: XmlNode, field: string): string | undefined {
    const date = oneDate(text);
    if (text && !date) this.issue("value_rejected", `${JSON.stringify(text)} is not a valid date`, at, field);
    return date;
  }
}

/** The listed entity first, then what hangs off it. */
export function mapRecord(kind: UnKind, node: XmlNode, ctx: MapContext): [Entity, ...Entity[]] {
  const required = (name: string): string => {
    const v = val(node, name);
    if (v) return v;
    throw new InterdictError("INTERDICT_E_LIST_FORMAT", `<${kind}> without ${name}`, {
      file: ctx.file,
      line: node.line,
      record: val(node, "REFERENCE_NUMBER") ?? val(node, "DATAID"),
      field: name,
    });
  };
  const ref = required("REFERENCE_NUMBER");
  const listType = required("UN_LIST_TYPE");
  const listedOn = required("LISTED_ON");
  required("FIRST_NAME");

  const schema = kind === "INDIVIDUAL" ? "Person" : "Organization";
  const target = makeTarget(schema, entityId(ctx.dataset, ref), ctx.dataset, plain(node));
  const rec = new UnRecorder(ctx, ref);
  const at = (name: string): XmlNode => child(node, name) ?? node;

  mapNames(kind, node, target, rec);
  rec.put(target, "notes", val(node, "COMMENTS1"), at("COMMENTS1"), "COMMENTS1");
  rec.put(target, "program", listType, at("UN_LIST_TYPE"), "UN_LIST_TYPE");
  if (kind === "INDIVIDUAL") mapPerson(node, target, rec);
  const addresses = mapAddresses(kind, node, target, rec);
  const documents = kind === "INDIVIDUAL" ? mapDocuments(node, target, rec) : [];

  const listed = rec.date(listedOn, at("LISTED_ON"), "LISTED_ON");
  const modified = children(child(node, "LAST_DAY_UPDATED") ?? node, "VALUE")
    .map((v) => rec.date(v.text, v, "LAST_DAY_UPDATED/VALUE"))
    .filter((v): v is string => v !== undefined)
    .sort()
    .at(-1);
  add(target, "createdAt", listed);
  add(target, "modifiedAt", modified);
  const sanction = sanctionOf(target, {
    authority: AUTHORITY,
    country: AUTHORITY_COUNTRY,
    program: [listType],
    authorityId: ref,
    unscId: ref,
    listingDate: listed,
    startDate: listed,
    modifiedAt: modified,
  });
  add(sanction, "recordId", val(node, "DATAID"));
  add(sanction, "endDate", rec.date(val(node, "DELISTED_ON"), at("DELISTED_ON"), "DELISTED_ON"));
  return [target, sanction, ...addresses, ...documents];
}

function mapNames(kind: UnKind, node: XmlNode, target: Entity, rec: UnRecorder): void {
  if (kind === "INDIVIDUAL") {
    const parts = ["FIRST_NAME", "SECOND_NAME", "THIRD_NAME", "FOURTH_NAME"].map((n) => {
      const v = val(node, n);
      // The XSD's default for an absent part is the placeholder "na".
      return v && v !== "na" ? v : undefined;
    });
    rec.put(target, "name", parts.filter((p) => p).join(" "), node, "FIRST_NAME");
    rec.put(target, "firstName", parts[0], node, "FIRST_NAME");
    rec.put(target, "secondName", parts[1], node, "SECOND_NAME");
    rec.put(target, "middleName", parts[2], node, "THIRD_NAME");
    rec.put(target, "lastName", parts[3], node, "FOURTH_NAME");
  } else {
    rec.put(target, "name", val(node, "FIRST_NAME"), node, "FIRST_NAME");
  }
  rec.put(target, "alias", val(node, "NAME_ORIGINAL_SCRIPT"), node, "NAME_ORIGINAL_SCRIPT");

  const field = `${kind}_ALIAS`;
  for (const a of children(node, field)) {
    const names = val(a, "ALIAS_NAME");
    const note = val(a, "NOTE");
    const scriptName = note ? scriptNameInNote(note) : undefined;
    if (!names && !scriptName) continue;
    const quality = val(a, "QUALITY") ?? "";
    let prop = NAME_QUALITY[quality.toLowerCase()];
    if (!prop) {
      prop = "alias";
      rec.issue(
        "un_alias_quality",
        `alias quality ${JSON.stringify(quality)} is not Good, Low, a.k.a. or f.k.a.; read as a strong alias`,
        a,
        `${field}/QUALITY`,
      );
    }
    rec.put(target, prop, names ? splitNames(names) : [], a, `${field}/ALIAS_NAME`);
    rec.put(target, prop, scriptName, a, `${field}/NOTE`);
    if (kind === "INDIVIDUAL") {
      // Birth details given with an alias belong to the person under that name.
      rec.put(target, "birthDate", val(a, "DATE_OF_BIRTH"), a, `${field}/DATE_OF_BIRTH`);
      const city = val(a, "CITY_OF_BIRTH");
      const birthCountry = val(a, "COUNTRY_OF_BIRTH");
      if (city)
        rec.put(
          target,
          "birthPlace",
          [city, birthCountry].filter((p) => p).join(", "),
          a,
          `${field}/CITY_OF_BIRTH`,
        );
      rec.put(target, "birthCountry", birthCountry, a, `${field}/COUNTRY_OF_BIRTH`);
    }
  }
}

/** Titles, positions, nationality, gender, and dates and places of birth. */
function mapPerson(node: XmlNode, person: Entity, rec: UnRecorder): void {
  for (const [el, prop] of [
    ["TITLE", "title"],
    ["DESIGNATION", "position"],
    ["NATIONALITY", "nationality"],
  ] as const) {
    for (const v of children(child(node, el) ?? node, "VALUE"))
      rec.put(person, prop, v.text, v, `${el}/VALUE`);
  }
  rec.put(person, "nationality", val(node, "NATIONALITY2"), node, "NATIONALITY2");
  const gender = val(node, "GENDER");
  // "Unknown" is the list saying it does not know, not a value to refuse.
  if (gender?.toLowerCase() !== "unknown") rec.put(person, "gender", gender, node, "GENDER");

  const field = "INDIVIDUAL_DATE_OF_BIRTH";
  for (const dob of children(node, field)) {
    const date = val(dob, "DATE");
    const year = val(dob, "YEAR");
    const from = val(dob, "FROM_YEAR");
    const to = val(dob, "TO_YEAR");
    const note = val(dob, "NOTE");
    // A NOTE can name the month of a bare YEAR ("Sep." with 1958).
    const monthYear = year && note ? parseDate(`${note} ${year}`) : undefined;
    if (date) rec.put(person, "birthDate", xsDate(date), dob, `${field}/DATE`);
    else if (from && to) rec.put(person, "birthDate", `${from} to ${to}`, dob, `${field}/FROM_YEAR`);
    else if (monthYear) rec.put(person, "birthDate", monthYear.values, dob, `${field}/NOTE`);
    else if (year || from || to) rec.put(person, "birthDate", year ?? from ?? to, dob, `${field}/YEAR`);
    else if (note && /hijri/i.test(note)) {
      rec.issue(
        "un_hijri_date",
        `${JSON.stringify(note)} is a Hijri date; not converted`,
        dob,
        `${field}/NOTE`,
      );
    } else if (note && !CIRCA_ONLY.test(note)) {
      // Some dates are only in the NOTE ("Nov. 1973").
      rec.put(person, "birthDate", note, dob, `${field}/NOTE`);
    }
  }

  for (const pob of children(node, "INDIVIDUAL_PLACE_OF_BIRTH")) {
    const parts: string[] = [];
    for (const name of ["STREET", "CITY", "STATE_PROVINCE", "COUNTRY"]) {
      const v = val(pob, name);
      if (v && !parts.includes(v)) parts.push(v);
    }
    const note = val(pob, "NOTE");
    if (parts.length === 0 && note) parts.push(note);
    rec.put(person, "birthPlace", parts.join(", "), pob, "INDIVIDUAL_PLACE_OF_BIRTH");
    rec.put(person, "birthCountry", val(pob, "COUNTRY"), pob, "INDIVIDUAL_PLACE_OF_BIRTH/COUNTRY");
  }
}

function mapAddresses(kind: UnKind, node: XmlNode, target: Entity, rec: UnRecorder): Entity[] {
  const field = `${kind}_ADDRESS`;
  const out: Entity[] = [];
  for (const a of children(node, field)) {
    let postalCode = val(a, "ZIP_CODE");
    let region = val(a, "STATE_PROVINCE");
    // A ZIP_CODE without a digit is a place name ("Chaman, Baluchistan Province").
    if (postalCode && !/\d/.test(postalCode)) {
      region = region ? `${region}, ${postalCode}` : postalCode;
      postalCode = undefined;
    }
    const street = val(a, "STREET");
    const city = val(a, "CITY");
    const country = rec.country(val(a, "COUNTRY"), a, `${field}/COUNTRY`);
    const note = val(a, "NOTE");
    if (street || city || region || postalCode) {
      const facts = { street, city, region, postalCode, country, remarks: note };
      const address = addressOf(target, facts, out.length + 1);
      if (address) out.push(address);
    } else if (country) {
      // A country alone says where they are; it is no address to match on.
      rec.put(target, "country", country, a, `${field}/COUNTRY`);
    } else if (note) {
      // "Operates in Lebanon, Syria and the Arabian Peninsula": a description, not an address.
      rec.put(target, "notes", note, a, `${field}/NOTE`);
    }
  }
  return out;
}

/** Passports and identity documents; one the UN gives without a number is reported. */
function mapDocuments(node: XmlNode, person: Entity, rec: UnRecorder): Entity[] {
  const field = "INDIVIDUAL_DOCUMENT";
  const docs: Entity[] = [];
  for (const d of children(node, field)) {
    if (d.children.length === 0) continue;
    const type1 = val(d, "TYPE_OF_DOCUMENT");
    const type2 = val(d, "TYPE_OF_DOCUMENT2");
    const number = val(d, "NUMBER");
    const note = val(d, "NOTE");
    if (!number) {
      const what = [type1, type2, note].filter((p) => p).join("; ");
      rec.issue("un_document_without_number", `document without a NUMBER (${what})`, d, `${field}/NUMBER`);
      continue;
    }
    const passport = (type1 && PASSPORT.test(type1)) || (type2 && PASSPORT.test(type2));
    const type = passport ? "Passport" : (type1 ?? type2 ?? "Identification");
    const city = val(d, "CITY_OF_ISSUE");
    const issuer = val(d, "ISSUING_COUNTRY") ? "ISSUING_COUNTRY" : "COUNTRY_OF_ISSUE";
    const summary = [type2 !== type ? type2 : undefined, city ? `issued in ${city}` : undefined, note];
    const doc = documentOf(person, {
      type,
      number,
      country: rec.country(val(d, issuer), d, `${field}/${issuer}`),
      startDate: rec.date(val(d, "DATE_OF_ISSUE"), d, `${field}/DATE_OF_ISSUE`),
      summary: summary.filter((p) => p).join("; ") || undefined,
    });
    // The list repeats a document under its French and Spanish type names: one entity.
    const same = docs.find((x) => x.id === doc.id);
    if (!same) docs.push(doc);
    else for (const [prop, values] of Object.entries(doc.properties)) addRaw(same, prop, values);
  }
  return docs;
}
