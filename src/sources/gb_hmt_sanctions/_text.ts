// The ConList's free-text cells, read as far as they can be read reliably: numbered lists
// ("(1) Afghan (2) Pakistani"), countries written as names or nationality adjectives, identity
// document numbers inside prose, and UN / UK list references inside "Other Information".

import { countryCode } from "../../model/types.js";

/** An item marker: "(1)", "1)", "(a)", "b)", "(ii)", at the start or after a separator. */
const ITEM = /(?:^|(?<=[\s,;.:]))\(?(?:\d{1,2}|[a-hA-H]|i{1,3}|iv|vi{0,3})\)\s*/g;
/** What is left between markers that says nothing: "(1) to (6) Algeria", "and", "or". */
const FILLER = /^(?:to|and|or|[-,;.:\s])*$/i;

/** Splits a numbered or lettered list into its items; text without markers is one item. */
export function splitItems(text: string): string[] {
  return text
    .split(ITEM)
    .map((t) => t.trim().replace(/^[,;.\s]+|[,;\s]+$/g, ""))
    .filter((t) => t && !FILLER.test(t));
}

function lookup(text: string): string | undefined {
  const t = text.replace(/^[\s,;.:-]+|[\s,;.:-]+$/g, "").trim();
  return t ? countryCode(t) : undefined;
}

/**
 * An ISO code for a country as the list writes it: a name ("Syrian Arab Republic"), a
 * nationality adjective ("Afghan"), with remarks in brackets ignored ("Pakistan (location as
 * at May 2008)"), a former name's "(now Ukraine)", or a place ending in its country
 * ("Latakia Province, Syria"). Undefined when no country can be read.
 */
export function countryOf(text: string): string | undefined {
  const direct = lookup(text.replace(/\([^)]*\)?/g, " "));
  if (direct) return direct;
  const now = text.match(/\(now ([^)]+)\)/i)?.[1];
  if (now && lookup(now)) return lookup(now);
  const tail = text
    .replace(/\([^)]*\)?/g, " ")
    .split(",")
    .at(-1);
  return tail && tail !== text ? lookup(tail) : undefined;
}

/** Words around nationalities that are not part of them. */
const NATIONALITY_NOISE =
  /\b(?:citizenship|citizen|nationals?|nationality|nationalities|by birth|possibly|also believed to hold)\b/gi;

/**
 * The countries of a Nationality cell ("(1) Somali (2) Swedish", "Syrian, Turkish", "Iranian
 * national and US national/citizen"), and the parts that name none.
 */
export function nationalities(text: string): { codes: string[]; rejected: string[] } {
  const codes: string[] = [];
  const rejected: string[] = [];
  for (const item of splitItems(text)) {
    const parts = item
      .replace(/\([^)]*\)?/g, " ")
      .replace(NATIONALITY_NOISE, " ")
      .split(/[,./;]/)
      .map((p) => p.replace(/\s+/g, " ").trim())
      .filter((p) => p);
    for (const part of parts) {
      const whole = countryOf(part);
      // "Trinidad and Tobago" is one country, "DRC and Belgian" two.
      const pieces = whole ? [part] : part.split(/\band\b/i).map((p) => p.trim());
      for (const piece of pieces.filter((p) => p)) {
        const code = countryOf(piece);
        if (code) codes.push(code);
        else rejected.push(piece);
      }
    }
  }
  return { codes, rejected };
}

/** Tokens that are dates or years, never a document number. */
const DATE_TOKEN = /^(?:\d{1,2}[./-]\d{1,2}[./-]\d{2,4}|(?:19|20)\d\d)$/;

/**
 * The document number in one item of a passport or ID cell: the first token with a digit
 * that is not a date ("Passport No: 592667 (Qatari passport issued on 3 May 2007)" → 592667,
 * "Philippines number EC6530802 (expires 19 Jan 2021)" → EC6530802).
 */
export function documentNumber(item: string): string | undefined {
  const tokens = item
    .replace(/\([^)]*\)?/g, " ")
    .split(/[\s,;]+/)
    .map((raw) => raw.replace(/^[^\p{L}\p{N}]+|[^\p{L}\p{N}]+$/gu, ""));
  for (const [i, raw] of tokens.entries()) {
    // "no.A1037434", "number:F50859": a label glued to the number.
    const token = raw.replace(/^(?:no|nr|number)(?:[.:]+|(?=\d))/i, "");
    if (token.length < 4 || !/\d/.test(token) || DATE_TOKEN.test(token)) continue;
    // "D 000974", "OR 1961825": a series letter written apart from the digits.
    const prefix = tokens[i - 1];
    return prefix && /^[A-Z]{1,2}$/.test(prefix) && token === raw ? `${prefix} ${token}` : token;
  }
  return undefined;
}

/** The country a document item names in brackets or before its number ("R512768 (Afghan)"). */
export function documentCountry(item: string): string | undefined {
  for (const m of item.matchAll(/\(([^)]+)\)/g)) {
    const c = countryOf(m[1] ?? "");
    if (c) return c;
  }
  const lead = item.match(
    /^\s*([A-Za-z][A-Za-z '-]*?)\s+(?:diplomatic\s+|national\s+)?(?:passport|number|no\b)/i,
  );
  return lead?.[1] ? countryOf(lead[1]) : undefined;
}

/** "UN Ref QDi.263", "(UN Ref):QDi.263", "UN Reference  KPi.048": today's UN reference form. */
const UN_REF = /UN\s*Ref(?:erence)?\)?\s*(?:No\.?|Number)?\s*[:.]?\s*([A-Z]{2}[A-Z]?[ie]\.\d{3})\b/i;
/** "(UK Sanctions List Ref):AQD0183": the FCDO list's UniqueID for the same subject. */
const UK_REF = /UK Sanctions List Ref\)?\s*:?\s*([A-Z]{2,4}\d{3,5})\b/i;

export function unReference(text: string): string | undefined {
  return text.match(UN_REF)?.[1];
}

export function ukListReference(text: string): string | undefined {
  return text.match(UK_REF)?.[1];
}

/** A ship's IMO number in "Other Information" ("IMO: 8937675", "IMO number 9058713"). */
export function imoNumber(text: string): string | undefined {
  return text.match(/\bIMO(?:\s*(?:number|no\.?))?\s*[:.]?\s*(\d{7})\b/i)?.[1];
}
