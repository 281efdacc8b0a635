// The OFAC Remarks mini-language: `DOB 27 Aug 1977; POB Moscow, Russia; Passport 4505337282
// (Russia); a.k.a. 'KARPOV'; Linked To: SOME COMPANY LLC.` This module owns its grammar: splitting
// the field into clauses (quotes and parentheses protect `;`), and reading each clause into a
// typed Clause by its head, looked up in the HEADS table. It knows nothing of entities.
//
// Grammar, as observed in every published SDN.CSV and CONS_PRIM.CSV we hold:
//   remarks  := clause (";" clause)* "."?
//   clause   := ["alt. "] head value
//   value    := quoted name ('…') | document | free text
//   document := number ["(" note ")"]* ["(" country ")"] ["issued" date] ["expires" date]
// Quotes delimit names only: a single quote opens right after a name mark (`a.k.a. '`), and
// closes before a space, punctuation or the end, so apostrophes elsewhere (`D'S`, `Muhammad
// 'Abd`, `Ba'th`) stay text.

import { countryCode } from "../../model/types.js";

/** The name relations OFAC writes: also, formerly, now known as; doing business as. */
export type AliasRelation = "aka" | "fka" | "nka" | "dba";

interface ClauseBase {
  /** The clause as written, `alt.` prefix included. */
  readonly raw: string;
  /** Written `alt. …`: an alternative value of something stated before. */
  readonly alt: boolean;
}

export type Clause = ClauseBase &
  (
    | { readonly kind: "alias"; readonly relation: AliasRelation; readonly name: string }
    /** A value for the first of `props` the entity's schema has (`birthDate`, `mmsi`…). */
    | {
        readonly kind: "property";
        readonly label: string;
        readonly props: readonly string[];
        readonly value: string;
      }
    | {
        readonly kind: "document";
        /** The document type as OFAC names it: `Passport`, `Cedula No.`, `Tax ID No.`… */
        readonly label: string;
        readonly number: string;
        /** The country in parentheses, as written (`Russia`). */
        readonly country?: string;
        readonly issued?: string;
        readonly expires?: string;
        /** Other parenthesised remarks (`Connecticut`) and text after the dates. */
        readonly notes: readonly string[];
        /** Entity properties that also take the number, first one the schema has. */
        readonly props: readonly string[];
      }
    /** `Linked To: NAME` — another listed entity, by name. */
    | { readonly kind: "linked"; readonly name: string }
    /** `Aircraft Operator NAME` — an operator, by name (often a listed airline). */
    | { readonly kind: "operator"; readonly name: string }
    | { readonly kind: "crypto"; readonly currency: string; readonly address: string }
    /** Sanction scope and provisions: secondary sanctions, directives, "all offices worldwide". */
    | { readonly kind: "sanction"; readonly text: string; readonly url?: string }
    /** A known clause with no property to hold it (aircraft construction number…): kept as a note. */
    | { readonly kind: "note"; readonly label: string; readonly text: string }
    /** Free prose: titles, family ties, "ICTY indictee". */
    | { readonly kind: "remark"; readonly text: string }
    /** Shaped like data (digits, a colon) but under a head we do not know. */
    | { readonly kind: "unknown"; readonly head: string; readonly text: string }
  );

type Rule =
  | { readonly kind: "alias"; readonly relation: AliasRelation }
  | { readonly kind: "property"; readonly props: readonly string[] }
  | { readonly kind: "imo" }
  | { readonly kind: "document"; readonly props?: readonly string[] }
  | { readonly kind: "linked" | "operator" | "crypto" | "sanction" | "note" };

const doc = (...props: string[]): Rule => ({ kind: "document", props });
const prop = (...props: string[]): Rule => ({ kind: "property", props });
const SANCTION: Rule = { kind: "sanction" };
const NOTE: Rule = { kind: "note" };

/**
 * Clause heads and what they say. Matched case-insensitively, longest head first, and only when
 * followed by a space, a colon or the end. Document heads are the identifier types seen in the
 * real lists; others of the same shape are read by the generic document rule below.
 */
export const HEADS: Readonly<Record<string, Rule>> = {
  "a.k.a.": { kind: "alias", relation: "aka" },
  "f.k.a.": { kind: "alias", relation: "fka" },
  "n.k.a.": { kind: "alias", relation: "nka" },
  "d.b.a.": { kind: "alias", relation: "dba" },
  DOB: prop("birthDate"),
  POB: prop("birthPlace"),
  nationality: prop("nationality"),
  citizen: prop("citizenship"),
  Gender: prop("gender"),
  ethnicity: prop("ethnicity"),
  "Email Address": prop("email"),
  Website: prop("website"),
  "Phone Number": prop("phone"),
  "Phone No.": prop("phone"),
  PHONE: prop("phone"),
  Telephone: prop("phone"),
  "Telephone No.": prop("phone"),
  Fax: prop("phone"),
  "Fax No.": prop("phone"),
  "SWIFT/BIC": prop("swiftBic"),
  "Organization Established Date": prop("incorporationDate"),
  "Organization Type": prop("sector"),
  "Target Type": prop("classification"),
  "Nationality of Registration": prop("jurisdiction", "flag", "country"),
  Email: prop("email"),
  "Position:": prop("position"),
  "Alternate Title:": prop("position"),
  "Occupation:": prop("position"),
  TELEX: prop("phone"),
  "Tribe:": NOTE,
  arrested: NOTE,
  "Subtribe:": NOTE,
  "Organization:": NOTE,
  "Linked To": { kind: "linked" },
  "Digital Currency Address": { kind: "crypto" },
  // Vessels
  "Vessel Registration Identification": { kind: "imo" },
  "Identification Number IMO": { kind: "imo" },
  "Company Number IMO": { kind: "imo" },
  "International Maritime Organization No.": { kind: "imo" },
  MMSI: prop("mmsi"),
  "Other Vessel Call Sign": prop("callSign"),
  "Other Vessel Flag": prop("flag"),
  "Former Vessel Flag": prop("pastFlags"),
  "Other Vessel Type": prop("type"),
  "Vessel Year of Build": prop("buildDate"),
  // Aircraft
  "Aircraft Manufacture Date": prop("buildDate"),
  "Aircraft Model": prop("model"),
  "Aircraft Operator": { kind: "operator" },
  "Aircraft Manufacturer's Serial Number (MSN)": prop("serialNumber"),
  "Aircraft Serial Identification": prop("serialNumber"),
  "Aircraft Tail Number": prop("registrationNumber"),
  "Previous Aircraft Tail Number": prop("registrationNumber"),
  "Aircraft Construction Number (also called L/N or S/N or F/N)": NOTE,
  "Aircraft Mode S Transponder Code": NOTE,
  // Sanction scope and provisions
  "Additional Sanctions Information": SANCTION,
  "Secondary sanctions risk": SANCTION,
  "Transactions Prohibited For Persons Owned or Controlled By U.S. Financial Institutions": SANCTION,
  "Executive Order": SANCTION,
  "CAATSA Section": SANCTION,
  "IFCA Determination": SANCTION,
  "Listing Date": SANCTION,
  "Effective Date": SANCTION,
  "Purchase/Sales For Divestment Date": SANCTION,
  "PEESA Information": SANCTION,
  "United States financial institutions are prohibited": SANCTION,
  "For more information": SANCTION,
  "all offices worldwide": SANCTION,
  "and all other offices worldwide": SANCTION,
  "and all other locations worldwide": SANCTION,
  "All Branches Worldwide": SANCTION,
  "and other locations within the United States": SANCTION,
  // Identity documents of persons
  Passport: doc(),
  "Passport Booklet": doc(),
  "Diplomatic Passport": doc(),
  "British National Overseas Passport": doc(),
  "Stateless Person Passport": doc(),
  "Seafarer's Identification Document": doc(),
  "CNP (Personal Numerical Code)": doc(),
  "N.I.E.": doc(),
  "Travel Document Number": doc(),
  "National ID No.": doc(),
  "National Foreign ID Number": doc(),
  "Personal ID Card": doc(),
  "Citizen's Card Number": doc(),
  "Identification Number": doc(),
  "Turkish Identification Number": doc(),
  "UAE Identification": doc(),
  "Kenyan ID No.": doc(),
  "Moroccan Personal ID No.": doc(),
  "Bosnian Personal ID No.": doc(),
  "Tazkira National ID Card": doc(),
  "Refugee ID Card": doc(),
  "Numero de Identidad": doc(),
  "Cedula No.": doc(),
  "D.N.I.": doc(),
  "C.U.R.P.": doc(),
  "C.U.R.P. #": doc(),
  "C.U.I.": doc(),
  "C.U.I.P.": doc(),
  "I.F.E.": doc(),
  "Credencial electoral": doc(),
  "Electoral Registry No.": doc(),
  "Cartilla de Servicio Militar Nacional": doc(),
  SSN: doc(),
  "Driver's License No.": doc(),
  "Pilot License Number": doc(),
  "Tarjeta Profesional": doc(),
  "Birth Certificate Number": doc(),
  "Residency Number": doc(),
  "Immigration No.": doc(),
  "Public Security and Immigration No.": doc(),
  VisaNumberID: doc(),
  "SRE Permit No.": doc(),
  // Tax numbers
  "Tax ID No.": doc("taxNumber"),
  "NIT #": doc("taxNumber"),
  "R.F.C.": doc("taxNumber"),
  "R.F.C. #": doc("taxNumber"),
  RFC: doc("taxNumber"),
  "RUC #": doc("taxNumber"),
  "R.U.C. #": doc("taxNumber"),
  "RIF #": doc("taxNumber"),
  "C.U.I.T.": doc("taxNumber"),
  "C.I.F.": doc("taxNumber"),
  "N.I.F.": doc("taxNumber"),
  RSIN: doc("taxNumber"),
  "Paraguayan tax identification number": doc("taxNumber"),
  "Romanian Tax Registration": doc("taxNumber"),
  RTN: doc("taxNumber"),
  "US FEIN": doc("taxNumber"),
  "Italian Fiscal Code": doc("taxNumber"),
  "Numero Unico de Identificacao Tributaria (NUIT)": doc("taxNumber"),
  "V.A.T. Number": doc("vatCode"),
  // Company registers
  "Registration Number": doc("registrationNumber"),
  "Registration ID": doc("registrationNumber"),
  "Company Number": doc("registrationNumber"),
  "UK Company Number": doc("registrationNumber"),
  "Business Registration Number": doc("registrationNumber"),
  "Business Registration Document #": doc("registrationNumber"),
  "Business Number": doc("registrationNumber"),
  "Commercial Registry Number": doc("registrationNumber"),
  "Certificate of Incorporation Number": doc("registrationNumber"),
  "Unified Social Credit Code (USCC)": doc("registrationNumber"),
  "United Social Credit Code Certificate (USCCC)": doc("registrationNumber"),
  "C.R. No.": doc("registrationNumber"),
  "Romanian C.R.": doc("registrationNumber"),
  "Folio Mercantil No.": doc("registrationNumber"),
  "Matricula Mercantil No": doc("registrationNumber"),
  "Enterprise Number": doc("registrationNumber"),
  "Central Registration System Number": doc("registrationNumber"),
  "Public Registration Number": doc("registrationNumber"),
  "Registration Certificate Number": doc("registrationNumber"),
  "Russian State Individual Business Registration Number Pattern (OGRNIP)": doc("registrationNumber"),
  "C.I.N.": doc("registrationNumber"),
  "Government Gazette Number": doc(),
  "Chamber of Commerce Number": doc(),
  "Istanbul Chamber of Comm. No.": doc(),
  "Dubai Chamber of Commerce Membership No.": doc(),
  "Economic Register Number (CBLS)": doc(),
  "Branch Unit Number": doc(),
  "Registered Charity No.": doc(),
  "Trade License No.": doc(),
  License: doc(),
  "Permit Number": doc(),
  "Afghan Money Service Provider License Number": doc(),
  "LE Number": doc(),
  "File Number": doc(),
  "Serial No.": doc(),
  "Chinese Commercial Code": doc(),
  "Legal Entity Number": doc("leiCode"),
  "D-U-N-S Number": doc("dunsCode"),
  "BIK (RU)": doc(),
  ISIN: doc("isinCode"),
  "Equity Ticker": prop("ticker"),
};

/** A head's first word, the key the head index is looked up by. */
const firstWord = (text: string): string =>
  (text.match(/^[^\s:]+/)?.[0] ?? "").replace(/,+$/, "").toLowerCase();

/** Heads by first word, each list longest first so `Passport Booklet` wins over `Passport`. */
const HEAD_INDEX: ReadonlyMap<string, readonly [string, Rule][]> = (() => {
  const index = new Map<string, [string, Rule][]>();
  for (const entry of Object.entries(HEADS)) {
    const key = firstWord(entry[0]);
    index.set(key, [...(index.get(key) ?? []), entry]);
  }
  for (const list of index.values()) list.sort((a, b) => b[0].length - a[0].length);
  return index;
})();

/**
 * Identifier-shaped clauses under heads not in the table: a label ending in an identifier word,
 * then a value whose first token holds a digit (`Kenyan ID No. 12773667`).
 */
const GENERIC_DOCUMENT =
  /^([a-z][^:]*?\b(?:No\.?|Number|#|ID|Code|Card|Certificate|License|Licence|Permit))\s+(?=\S*\d)(.+)$/i;

// ---------------------------------------------------------------- tokenizer

/** What may stand before a quoted name in its clause: `a.k.a.`, `alt. f.k.a.`, `d.b.a.`… */
const NAME_MARK = /^\s*(?:alt\.\s+)?(?:[afn]\.k\.a\.|d\.b\.a\.),?\s+$/i;
const opensQuote = (s: string, i: number, clauseStart: number): boolean =>
  NAME_MARK.test(s.slice(clauseStart, i)) && i + 1 < s.length && !/\s/.test(s[i + 1] ?? "");
const closesQuote = (s: string, i: number): boolean => i + 1 >= s.length || /[\s;,.)]/.test(s[i + 1] ?? "");

interface Scan {
  parts: string[];
  /** Where an unclosed quote or parenthesis opened, or -1. */
  openAt: number;
}

function scan(s: string, literal: ReadonlySet<number>): Scan {
  const parts: string[] = [];
  let start = 0;
  let depth = 0;
  let parenAt = -1;
  let quoteAt = -1;
  for (let i = 0; i < s.length; i++) {
    const ch = s[i];
    if (quoteAt >= 0) {
      if (ch === "'" && closesQuote(s, i)) quoteAt = -1;
      continue;
    }
    if (literal.has(i)) continue;
    if (ch === "'" && opensQuote(s, i, start)) quoteAt = i;
    else if (ch === "(") {
      if (depth++ === 0) parenAt = i;
    } else if (ch === ")") depth = Math.max(0, depth - 1);
    else if (ch === ";" && depth === 0) {
      parts.push(s.slice(start, i));
      start = i + 1;
    }
  }
  parts.push(s.slice(start));
  return { parts, openAt: quoteAt >= 0 ? quoteAt : depth > 0 ? parenAt : -1 };
}

/**
 * Splits a Remarks field into clause texts. A `;` inside quotes or parentheses does not split;
 * a quote or parenthesis that never closes is taken as a plain character instead (a stray
 * apostrophe must not swallow the rest of the field). The final `.` is dropped.
 */
export function splitClauses(remarks: string): string[] {
  const text = remarks.trim().replace(/\.$/, "");
  const literal = new Set<number>();
  let result = scan(text, literal);
  while (result.openAt >= 0) {
    literal.add(result.openAt);
    result = scan(text, literal);
  }
  return result.parts.map((p) => p.trim()).filter((p) => p !== "");
}

// ---------------------------------------------------------------- clauses

function matchHead(text: string): [string, Rule, string] | undefined {
  const lower = text.toLowerCase();
  for (const [head, rule] of HEAD_INDEX.get(firstWord(text)) ?? []) {
    if (!lower.startsWith(head.toLowerCase())) continue;
    const next = text[head.length];
    if (next !== undefined && !/[\s:.,]/.test(next)) continue;
    const value = text
      .slice(head.length)
      .replace(/^[\s:.,]+/, "")
      .trim();
    return [text.slice(0, head.length), rule, value];
  }
  return undefined;
}

/** The content of `'…'` when the whole value is quoted; otherwise the value itself. */
function unquote(value: string): string {
  const m = value.match(/^'(.*)'$/s);
  return (m ? m[1]! : value).trim();
}

/** `NUMBER (note) (Country) issued DATE expires DATE` → its parts. */
export function parseDocument(value: string): {
  number: string;
  country?: string;
  issued?: string;
  expires?: string;
  notes: string[];
} {
  let rest = value.trim();
  const notes: string[] = [];
  let issued: string | undefined;
  let expires: string | undefined;
  const exp = rest.match(/\s+expires\s+(.+)$/i);
  if (exp) {
    expires = exp[1]!.trim();
    rest = rest.slice(0, exp.index).trim();
  }
  const iss = rest.match(/(?:^|\s+)issued\s+(.+)$/i);
  if (iss) {
    issued = iss[1]!.trim();
    rest = rest.slice(0, iss.index).trim();
  }
  let country: string | undefined;
  let m: RegExpMatchArray | null;
  while ((m = rest.match(/\s*\(([^()]*)\)$/))) {
    const inner = m[1]!.trim();
    if (!country && countryCode(inner)) country = inner;
    else notes.unshift(inner);
    rest = rest.slice(0, m.index).trim();
  }
  return { number: rest, country, issued, expires, notes };
}

/** A bare address, as in `http://www.example.co.uk (website)`. */
const URL_ONLY = /^https?:\/\/\S+(?:\s+\(website\))?$/i;

const IMO = /^IMO\s*(\d{7})$/i;

function build(raw: string, alt: boolean, head: string, rule: Rule, value: string): Clause {
  switch (rule.kind) {
    case "alias":
      return { raw, alt, kind: "alias", relation: rule.relation, name: unquote(value) };
    case "property":
      return { raw, alt, kind: "property", label: head, props: rule.props, value };
    case "imo": {
      const bare = value.replace(/^\((.*)\)$/, "$1");
      const m = bare.match(IMO) ?? bare.match(/^(\d{7})$/);
      return m
        ? { raw, alt, kind: "property", label: head, props: ["imoNumber"], value: `IMO${m[1]}` }
        : { raw, alt, kind: "property", label: head, props: ["registrationNumber"], value };
    }
    case "document": {
      const d = parseDocument(value);
      if (!/\d/.test(d.number)) return { raw, alt, kind: "unknown", head, text: raw };
      return { raw, alt, kind: "document", label: head, props: rule.props ?? [], ...d };
    }
    case "linked":
      return { raw, alt, kind: "linked", name: unquote(value) };
    case "operator":
      return { raw, alt, kind: "operator", name: unquote(value) };
    case "crypto": {
      const m = value.match(/^-?\s*([A-Z0-9]+)\s+(\S+)$/);
      return m
        ? { raw, alt, kind: "crypto", currency: m[1]!, address: m[2]! }
        : { raw, alt, kind: "unknown", head, text: raw };
    }
    case "sanction": {
      const url = raw.match(/\bhttps?:\/\/\S+/)?.[0]?.replace(/[.,]$/, "");
      return { raw, alt, kind: "sanction", text: raw, url };
    }
    case "note":
      return { raw, alt, kind: "note", label: head, text: raw };
  }
}

/** Reads one clause text (as split by `splitClauses`) into a typed clause. */
export function parseClause(clause: string): Clause {
  const raw = clause.trim();
  const altMatch = raw.match(/^alt\.\s+/i);
  const alt = altMatch !== null;
  const text = altMatch ? raw.slice(altMatch[0].length) : raw;
  const head = matchHead(text);
  if (head) return build(raw, alt, head[0], head[1], head[2]);
  if (URL_ONLY.test(text)) {
    return { raw, alt, kind: "property", label: "Website", props: ["website"], value: text.split(/\s/)[0]! };
  }
  const generic = text.match(GENERIC_DOCUMENT);
  if (generic) return build(raw, alt, generic[1]!, { kind: "document" }, generic[2]!);
  if (/[\d:]/.test(text)) {
    const h = text.split(/[\s:]*[\d:(]/)[0]?.trim() || text;
    return { raw, alt, kind: "unknown", head: h, text: raw };
  }
  return { raw, alt, kind: "remark", text: raw };
}

/** Splits and reads a whole Remarks field. */
export function parseRemarks(remarks: string): Clause[] {
  return splitClauses(remarks).map(parseClause);
}
