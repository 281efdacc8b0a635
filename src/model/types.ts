// Property types: how a raw value from a list becomes a clean FtM value. Each cleaner returns
// the cleaned values (none when the text is not a valid value of the type), never throws.

import { createRequire } from "node:module";
import aliasData from "./data/country-aliases.json" with { type: "json" };
import demonymData from "./data/demonyms.json" with { type: "json" };
import type { PropertyType } from "./schemata.js";

// ---------------------------------------------------------------- dates

export interface ParsedDate {
  /** FtM date prefixes: `1977-08-27`, `1977-08` or `1977`; a range gives every year in it. */
  readonly values: string[];
  /** The list said "circa", "approximately", "about"… */
  readonly circa: boolean;
}

const MONTHS: Record<string, number> = {
  jan: 1,
  january: 1,
  feb: 2,
  february: 2,
  mar: 3,
  march: 3,
  apr: 4,
  april: 4,
  may: 5,
  jun: 6,
  june: 6,
  jul: 7,
  july: 7,
  aug: 8,
  august: 8,
  sep: 9,
  sept: 9,
  september: 9,
  oct: 10,
  october: 10,
  nov: 11,
  november: 11,
  dec: 12,
  december: 12,
};

/** Year ranges wider than this give their two ends only, not every year between. */
const MAX_EXPANDED_RANGE = 20;

const pad = (n: number): string => String(n).padStart(2, "0");

function validYear(y: number): boolean {
  return y >= 1000 && y <= 2200;
}

function ymd(y: number, m: number, d: number): string | undefined {
  if (!validYear(y)) return undefined;
  if (m === 0) return String(y);
  if (m < 1 || m > 12) return undefined;
  if (d === 0) return `${y}-${pad(m)}`;
  const daysInMonth = new Date(Date.UTC(y, m, 0)).getUTCDate();
  if (d < 1 || d > daysInMonth) return undefined;
  return `${y}-${pad(m)}-${pad(d)}`;
}

/** One date, no range: returns an FtM prefix or undefined. */
function parseSingle(text: string, dayFirst: boolean): string | undefined {
  const t = text.trim().replace(/\.$/, "");
  let m: RegExpMatchArray | null;
  if ((m = t.match(/^(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?(?:T[\d:.]+Z?)?$/))) {
    return ymd(Number(m[1]), Number(m[2] ?? 0), Number(m[3] ?? 0));
  }
  if ((m = t.match(/^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$/))) {
    const [a, b] = [Number(m[1]), Number(m[2])];
    const [d, mo] = dayFirst ? [a, b] : [b, a];
    return ymd(Number(m[3]), mo, d);
  }
  if ((m = t.match(/^(\d{1,2})[/.-](\d{4})$/))) return ymd(Number(m[2]), Number(m[1]), 0);
  if ((m = t.match(/^(\d{1,2})(?:st|nd|rd|th)?[\s-]+([A-Za-z]+)\.?,?[\s-]+(\d{4})$/))) {
    const mo = MONTHS[m[2]?.toLowerCase() ?? ""];
    return mo ? ymd(Number(m[3]), mo, Number(m[1])) : undefined;
  }
  if ((m = t.match(/^([A-Za-z]+)\.?\s+(\d{1,2}),?\s+(\d{4})$/))) {
    const mo = MONTHS[m[1]?.toLowerCase() ?? ""];
    return mo ? ymd(Number(m[3]), mo, Number(m[2])) : undefined;
  }
  if ((m = t.match(/^([A-Za-z]+)\.?,?[\s-]+(\d{4})$/))) {
    const mo = MONTHS[m[1]?.toLowerCase() ?? ""];
    return mo ? ymd(Number(m[2]), mo, 0) : undefined;
  }
  return undefined;
}

const CIRCA = /^(?:circa|ca\.?|c\.|approx(?:imately|\.)?|about|around|approximately|cca\.?)\s*/i;
const RANGE = /^(?:between\s+|from\s+)?(.+?)\s*(?:\bto\b|\band\b|–|—|\s-\s|(?<=^\d{4})-(?=\d{4}$))\s*(.+)$/i;

/**
 * Parses the dates the lists write: ISO prefixes, "27 Aug 1977", "Aug 27, 1977", "27/08/1977"
 * (day first unless `dayFirst` is false), "00/00/1977", "circa 1977", and ranges such as
 * "1955 to 1958" or "between 1955 and 1958".
 */
export function parseDate(text: string, opts: { dayFirst?: boolean } = {}): ParsedDate | undefined {
  const dayFirst = opts.dayFirst ?? true;
  let t = text.trim().replace(/\s+/g, " ");
  if (!t) return undefined;
  let circa = false;
  if (CIRCA.test(t)) {
    circa = true;
    t = t.replace(CIRCA, "");
  }
  const single = parseSingle(t, dayFirst);
  if (single) return { values: [single], circa };
  const range = t.match(RANGE);
  if (range?.[1] && range[2]) {
    const from = parseSingle(range[1].replace(CIRCA, ""), dayFirst);
    const to = parseSingle(range[2].replace(CIRCA, ""), dayFirst);
    if (from && to) {
      const [y1, y2] = [Number(from.slice(0, 4)), Number(to.slice(0, 4))];
      if (y2 < y1) return undefined;
      if (from.length === 4 && to.length === 4 && y2 - y1 <= MAX_EXPANDED_RANGE) {
        const years: string[] = [];
        for (let y = y1; y <= y2; y++) years.push(String(y));
        return { values: years, circa };
      }
      return { values: from === to ? [from] : [from, to], circa };
    }
  }
  return undefined;
}

// ---------------------------------------------------------------- countries

/** Lower case, no accents, anything but letters and digits a single space. */
export function normaliseKey(text: string): string {
  return text
    .normalize("NFKD")
    .replace(/\p{M}/gu, "")
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, " ")
    .trim();
}

let countryIndex: Map<string, string> | undefined;

/** Codes FtM uses beyond ISO 3166-1 alpha-2. */
const EXTRA_CODES = new Set(["xk", "suhh", "yucs", "csxx", "zr", "an"]);

function buildCountryIndex(): Map<string, string> {
  const index = new Map<string, string>();
  const isoCountries = createRequire(import.meta.url)("i18n-iso-countries") as {
    registerLocale(data: unknown): void;
    getNames(lang: string, opts: { select: "all" }): Record<string, string[]>;
  };
  // Later languages never override earlier ones: English names win any conflict.
  for (const lang of ["en", "fr", "de", "es", "ru"]) {
    const names = isoCountries.getNames(lang, { select: "all" });
    for (const [code, list] of Object.entries(names)) {
      for (const n of list) {
        const key = normaliseKey(n);
        if (key && !index.has(key)) index.set(key, code.toLowerCase());
      }
    }
  }
  for (const [name, code] of Object.entries(aliasData.aliases)) index.set(normaliseKey(name), code);
  // Adjectives ("Russian") never override a country's name.
  for (const [name, code] of Object.entries(demonymData.demonyms)) {
    const key = normaliseKey(name);
    if (!index.has(key)) index.set(key, code);
  }
  return index;
}

let knownCodes: Set<string> | undefined;

export function isCountryCode(code: string): boolean {
  countryIndex ??= buildCountryIndex();
  knownCodes ??= new Set([...countryIndex.values(), ...EXTRA_CODES]);
  return knownCodes.has(code);
}

/**
 * ISO 3166-1 alpha-2 code (lower case, as FtM writes it) for a country name, nationality or code
 * as the lists write it: "Russia", "Russian", "Korea, North", "Burma"… Undefined when unknown.
 */
export function countryCode(text: string): string | undefined {
  countryIndex ??= buildCountryIndex();
  const raw = text.trim();
  if (!raw) return undefined;
  const lower = raw.toLowerCase();
  if (/^[a-z]{2,4}$/.test(lower) && isCountryCode(lower)) return lower;
  const key = normaliseKey(raw);
  const direct = countryIndex.get(key);
  if (direct) return direct;
  // "the Islamic Republic of Iran", "Iran (Islamic Republic of)"
  const bare = key.replace(/^the /, "").replace(/ the$/, "");
  return countryIndex.get(bare);
}

// ---------------------------------------------------------------- the rest

const GENDERS: Record<string, string> = {
  m: "male",
  male: "male",
  man: "male",
  masculin: "male",
  masculine: "male",
  mann: "male",
  f: "female",
  female: "female",
  woman: "female",
  feminin: "female",
  feminine: "female",
  frau: "female",
  other: "other",
};

export function cleanGender(text: string): string | undefined {
  return GENDERS[normaliseKey(text)];
}

const collapse = (text: string): string => text.replace(/\s+/g, " ").trim();

/** Cleans one raw value by property type; an empty result means the value is not valid. */
export function cleanValue(type: PropertyType, raw: string): string[] {
  switch (type) {
    case "date":
      return parseDate(raw)?.values ?? [];
    case "country": {
      const code = countryCode(raw);
      return code ? [code] : [];
    }
    case "gender": {
      const g = cleanGender(raw);
      return g ? [g] : [];
    }
    case "email": {
      const v = collapse(raw);
      return /^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(v) ? [v] : [];
    }
    case "text": {
      const v = raw.trim();
      return v ? [v] : [];
    }
    case "topic": {
      const v = collapse(raw).toLowerCase();
      return v ? [v] : [];
    }
    default: {
      const v = collapse(raw);
      return v ? [v] : [];
    }
  }
}
