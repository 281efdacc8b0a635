// Japanese kana (hiragana and katakana) → lower-case ASCII. Owns romaniseKana (variants for one
// name token) and kanaToHiragana.
//
// The table (data/kana.json) gives each kana or kana pair its modified Hepburn spelling and,
// where it differs, its Kunrei-shiki one. A word is read into units (きょ, っ, ん, ー, …) and
// written in the spellings real documents carry, primary first:
//   - the passport's Hepburn (Ministry of Foreign Affairs): long vowels not written (さとう Sato,
//     おおの Ono, ゆうこ Yuko), ん as m before b m p (ほんま Homma), っ doubling (はっとり Hattori,
//     ほっち Hotchi);
//   - as typed on a keyboard: every kana written (Satou, Oono, Yuuko, Honma);
//   - the "oh" long o that passports allow on request (Satoh, Ohno);
//   - Kunrei-shiki (ISO 3602), long vowels not written, then written (si, ti, tu, hu, zi, sya);
// and, for katakana (foreign names), the final vowel Japanese adds to a closing consonant
// dropped (ネタニヤフ netaniyaf(u), マクシム maksim(u)).
import table from "./data/kana.json" with { type: "json" };

const SYLLABLES = new Map<string, readonly string[]>(Object.entries(table.syllables));
const MAX_VARIANTS = 8;

const SOKUON = "っ";
const N = "ん";
const CHOON = "ー";

/** Katakana (U+30A1–U+30F6) → hiragana; the long-vowel mark and other characters kept. */
export function kanaToHiragana(word: string): string {
  let out = "";
  for (const ch of word) {
    const cp = ch.codePointAt(0)!;
    out += cp >= 0x30a1 && cp <= 0x30f6 ? String.fromCodePoint(cp - 0x60) : ch;
  }
  return out;
}

interface Unit {
  /** Hepburn and Kunrei spellings; "" for the marks below. */
  readonly h: string;
  readonly k: string;
  readonly mark?: "sokuon" | "n" | "long";
}

function unitsOf(hira: string): Unit[] {
  const chars = [...hira];
  const out: Unit[] = [];
  for (let i = 0; i < chars.length; i++) {
    const c = chars[i]!;
    if (c === SOKUON) {
      out.push({ h: "", k: "", mark: "sokuon" });
      continue;
    }
    if (c === N) {
      out.push({ h: "n", k: "n", mark: "n" });
      continue;
    }
    if (c === CHOON) {
      out.push({ h: "", k: "", mark: "long" });
      continue;
    }
    const pair = i + 1 < chars.length ? SYLLABLES.get(c + chars[i + 1]!) : undefined;
    if (pair) {
      out.push({ h: pair[0]!, k: pair[1] ?? pair[0]! });
      i++;
      continue;
    }
    const one = SYLLABLES.get(c);
    if (one) out.push({ h: one[0]!, k: one[1] ?? one[0]! });
  }
  return out;
}

interface Scheme {
  readonly kunrei: boolean;
  /** Long vowels: not written, written as the kana are, or (long o) as "oh". */
  readonly long: "omit" | "keep" | "oh";
  /** ん as m before b, m, p. */
  readonly labialM: boolean;
  /** Katakana: the closing vowel added to a final consonant dropped. */
  readonly loan?: boolean;
}

const SCHEMES: readonly Scheme[] = [
  { kunrei: false, long: "omit", labialM: true },
  { kunrei: false, long: "keep", labialM: false },
  { kunrei: false, long: "oh", labialM: true },
  { kunrei: true, long: "omit", labialM: false },
  { kunrei: false, long: "omit", labialM: false },
  { kunrei: true, long: "keep", labialM: false },
];
const LOAN: Scheme = { kunrei: false, long: "omit", labialM: true, loan: true };

const lastVowel = (s: string): string => {
  for (let i = s.length - 1; i >= 0; i--) if ("aeiou".includes(s[i]!)) return s[i]!;
  return "";
};

function write(units: readonly Unit[], s: Scheme): string {
  let out = "";
  for (let i = 0; i < units.length; i++) {
    const u = units[i]!;
    const text = s.kunrei ? u.k : u.h;
    const prev = lastVowel(out);
    const endsInVowel = out.length > 0 && "aeiou".includes(out[out.length - 1]!);
    // A long vowel: ー, or う after o or u, or お after o (さとう, ゆうき, おおの).
    const long =
      u.mark === "long" ||
      (endsInVowel && ((text === "u" && (prev === "o" || prev === "u")) || (text === "o" && prev === "o")));
    if (long) {
      if (s.long === "keep") out += u.mark === "long" ? prev : text;
      else if (s.long === "oh" && prev === "o") out += "h";
      continue;
    }
    if (u.mark === "sokuon") continue;
    if (units[i - 1]?.mark === "sokuon" && text) {
      // っ doubles the consonant after it; Hepburn writes っち as tchi.
      if (text.startsWith("ch")) out += "t";
      else if (!"aeiou".includes(text[0]!)) out += text[0];
    }
    if (u.mark === "n" && s.labialM && /^[bmp]/.test(units[i + 1]?.h ?? "")) {
      out += "m";
      continue;
    }
    if (s.loan && i === units.length - 1 && text.length >= 2 && !u.mark) {
      // The vowel Japanese adds after a closing consonant: u (o after t and d).
      const dropped = /^(?:ts|[kgszfbpmr])u$|^[td]o$/.test(text) ? text.slice(0, -1) : text;
      out += dropped;
      continue;
    }
    out += text;
  }
  return out;
}

const CACHE_LIMIT = 20_000;
const cache = new Map<string, string[]>();

/**
 * Romanisations of one kana word, lower-case ASCII, distinct, passport Hepburn first, at most 8;
 * [] when the word holds no kana. The returned array is shared and frozen.
 */
export function romaniseKana(word: string): string[] {
  const hit = cache.get(word);
  if (hit) return hit;
  const hira = kanaToHiragana(word);
  const units = unitsOf(hira);
  const out: string[] = [];
  if (units.length > 0) {
    const katakana = /[\u30a1-\u30fa]/.test(word);
    for (const s of katakana ? [SCHEMES[0]!, LOAN, ...SCHEMES.slice(1)] : SCHEMES) {
      const f = write(units, s);
      if (f && !out.includes(f) && out.length < MAX_VARIANTS) out.push(f);
    }
  }
  Object.freeze(out);
  if (cache.size >= CACHE_LIMIT) cache.clear();
  cache.set(word, out);
  return out;
}
