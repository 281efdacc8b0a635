// The text pipeline, in one fixed order, used identically when indexing list names and when
// reading a query, so both sides of a comparison are made of the same kind of tokens:
//
//   1. NFKC: compatibility forms folded (full-width letters, ligatures, ﷲ).
//   2. Case folded (lower case; ß → ss; final sigma → σ).
//   3. Control and format characters (zero-width joiners, bidi marks, tatweel) removed.
//   4. Apostrophes and the like removed inside words (O'Brien → obrien, Ma'ruf → maruf);
//      every other punctuation and symbol is a token boundary (KARPOV, Pavel → karpov pavel;
//      al-Tikriti → al tikriti).
//   5. Split into tokens; each token's script is detected (a token of mixed scripts is split
//      where the script changes).
//   6. Latin tokens lose their diacritics (Dž → dz, ø → o, ł → l, æ → ae); tokens in other
//      scripts keep theirs, because romanisation (romanise.ts) needs them (й, ё, ї).

export type Script =
  | "latin"
  | "cyrillic"
  | "greek"
  | "armenian"
  | "georgian"
  | "arabic"
  | "hebrew"
  | "han"
  | "hangul"
  | "kana"
  | "thai"
  | "digit"
  | "other";

export interface RawToken {
  readonly text: string;
  readonly script: Script;
}

/** The script of one character (by code point range: fast, and all the lists need). */
export function scriptOfChar(cp: number): Script {
  if (cp < 0x80) return cp >= 0x30 && cp <= 0x39 ? "digit" : "latin";
  if (cp <= 0x24f || (cp >= 0x1e00 && cp <= 0x1eff)) return "latin";
  if (cp >= 0x370 && cp <= 0x3ff) return "greek";
  if (cp >= 0x1f00 && cp <= 0x1fff) return "greek";
  if (cp >= 0x400 && cp <= 0x52f) return "cyrillic";
  if (cp >= 0x530 && cp <= 0x58f) return "armenian";
  if (cp >= 0x590 && cp <= 0x5ff) return "hebrew";
  if ((cp >= 0x600 && cp <= 0x6ff) || (cp >= 0x750 && cp <= 0x77f) || (cp >= 0x8a0 && cp <= 0x8ff))
    return "arabic";
  if (cp >= 0xfb50 && cp <= 0xfdff) return "arabic";
  if (cp >= 0xfe70 && cp <= 0xfeff) return "arabic";
  if (cp >= 0xe00 && cp <= 0xe7f) return "thai";
  if (cp >= 0x10a0 && cp <= 0x10ff) return "georgian";
  if (cp >= 0x1c90 && cp <= 0x1cbf) return "georgian";
  if (cp >= 0x1100 && cp <= 0x11ff) return "hangul";
  if (cp >= 0x3130 && cp <= 0x318f) return "hangul";
  if (cp >= 0xac00 && cp <= 0xd7af) return "hangul";
  if (cp === 0x3005) return "han"; // 々 repeats the kanji before it (佐々木 Sasaki)
  if (cp >= 0x3040 && cp <= 0x30ff) return "kana";
  if ((cp >= 0x4e00 && cp <= 0x9fff) || (cp >= 0x3400 && cp <= 0x4dbf) || (cp >= 0xf900 && cp <= 0xfaff))
    return "han";
  if (cp >= 0x20000 && cp <= 0x2ffff) return "han";
  return "other";
}

/** Latin letters that do not decompose into a base letter and a mark. */
const LATIN_FOLD: Record<string, string> = {
  ø: "o",
  ł: "l",
  đ: "d",
  ð: "d",
  þ: "th",
  æ: "ae",
  œ: "oe",
  ß: "ss",
  ı: "i",
  ŀ: "l",
  ħ: "h",
  ŧ: "t",
  ŋ: "n",
  ĸ: "k",
  ſ: "s",
  ə: "e",
  ʻ: "",
  ʼ: "",
  ʿ: "",
  ʾ: "",
};

/** Strips diacritics from a Latin token; cached, since names repeat. */
const latinCache = new Map<string, string>();
export function foldLatin(token: string): string {
  if (/^[a-z0-9]*$/.test(token)) return token;
  const hit = latinCache.get(token);
  if (hit !== undefined) return hit;
  let out = "";
  for (const ch of token.normalize("NFD")) {
    const cp = ch.codePointAt(0) ?? 0;
    if (cp >= 0x300 && cp <= 0x36f) continue;
    out += LATIN_FOLD[ch] ?? ch;
  }
  out = out.replace(/[^a-z0-9]/g, "");
  if (latinCache.size > 100_000) latinCache.clear();
  latinCache.set(token, out);
  return out;
}

// Apostrophes and similar marks join (step 4); tatweel and invisible formatting vanish (step 3).
const JOINERS = /['’‘`´ʹʻʼʽʾʿ\u02bc\u0640\u200b-\u200f\u202a-\u202e\u2060-\u2064\ufeff\u00ad]/g;
// Everything that is neither a letter, a mark nor a digit separates tokens.
const SEPARATORS = /[^\p{L}\p{M}\p{N}]+/u;

/** Steps 1–5: the normalised tokens of a text, each with its script. */
export function tokenise(text: string): RawToken[] {
  const clean = text.normalize("NFKC").toLowerCase().replace(JOINERS, "");
  const out: RawToken[] = [];
  for (const word of clean.split(SEPARATORS)) {
    if (!word) continue;
    // Split where the script changes ("ооо«ромашка»" is handled above; "ivanovИванов" here).
    let start = 0;
    let current: Script | undefined;
    let i = 0;
    for (const ch of word) {
      const cp = ch.codePointAt(0) ?? 0;
      // Combining marks belong to the letter before them.
      const isMark = (cp >= 0x300 && cp <= 0x36f) || (cp >= 0x64b && cp <= 0x65f) || cp === 0x670;
      const s = isMark ? current : scriptOfChar(cp);
      if (current !== undefined && s !== current && s !== undefined) {
        out.push(finish(word.slice(start, i), current));
        start = i;
      }
      if (s !== undefined) current = s;
      i += ch.length;
    }
    if (current !== undefined) out.push(finish(word.slice(start), current));
  }
  return out.filter((t) => t.text.length > 0);
}

function finish(text: string, script: Script): RawToken {
  return { text: script === "latin" ? foldLatin(text) : text, script };
}

/** The whole pipeline to one string: tokens joined by spaces (Latin folded, others as they are). */
export function normalise(text: string): string {
  return tokenise(text)
    .map((t) => t.text)
    .join(" ");
}
