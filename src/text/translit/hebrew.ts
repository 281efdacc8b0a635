// Hebrew-script names → lower-case ASCII. Owns romaniseHebrew (variants for one word).
//
// Hebrew is written without most vowels, like Arabic, so two layers, first hit wins:
//   1. the name table (data/hebrew.json, "names"): frequent given names and surnames with the
//      spellings Israeli passports and the press give them (משה Moshe, יצחק Yitzhak / Itzhak,
//      כהן Cohen / Kohen); a word ending in a listed Ashkenazi surname ending (-מן -man,
//      -שטיין -stein, -וביץ -ovitz) gets it spelt so;
//   2. letters by rule (data/hebrew.json, "letters"): ב כ פ hard (b k p) at the start of a word
//      and soft (v kh f) after it, final forms ך ם ן ף ץ as their letters; the matres lectionis
//      read as vowels — ו o or u between consonants, v at the start or doubled (וו); י i after a
//      consonant, y at the start, before a vowel letter or doubled (יי, also ei); א and ע carry a
//      vowel (a, or e); final ה after a consonant a (or e, ah); between two consonants with no
//      vowel letter a vowel is supplied, a in the primary form and e in the next (Modern Hebrew
//      names: Gantz, Peretz, Netanyahu); ח h or ch, כ ch or kh, צ tz or ts, ש sh (s with a sin
//      dot), ג׳ ז׳ צ׳ (with geresh) j zh ch; one form keeps ב כ פ hard throughout, as names of
//      foreign origin are spelt (Rabin, Rabinovitz).
// Pointed text (niqqud) is read from its points first (shin and sin dots, dagesh, the vowels),
// then by the rules above on its bare letters.
import data from "./data/hebrew.json" with { type: "json" };

const NAMES = new Map<string, readonly string[]>(Object.entries(data.names));
const SUFFIXES: readonly [string, readonly string[]][] = Object.entries(data.suffixes).sort(
  (a, b) => b[0].length - a[0].length,
);
const LETTERS = data.letters as Record<string, { hard?: string[]; soft?: string[]; all?: string[] }>;
const MAX_VARIANTS = 8;

/** Final forms → their letters. */
const FINAL: Record<string, string> = { ך: "כ", ם: "מ", ן: "נ", ף: "פ", ץ: "צ" };
const VOWEL_LETTERS = new Set(["א", "ע", "ו", "י", "ה"]);

const POINT_VOWELS: Record<string, string> = {
  "\u05b1": "e", // hataf segol
  "\u05b2": "a", // hataf patah
  "\u05b3": "o", // hataf qamats
  "\u05b4": "i", // hiriq
  "\u05b5": "e", // tsere
  "\u05b6": "e", // segol
  "\u05b7": "a", // patah
  "\u05b8": "a", // qamats
  "\u05b9": "o", // holam
  "\u05ba": "o", // holam haser
  "\u05bb": "u", // qubuts
  "\u05c7": "o", // qamats qatan
};
const DAGESH = "\u05bc";
const SIN_DOT = "\u05c2";
const GERESH = /[\u05f3'׳]/;

interface Letter {
  /** The letter, final forms folded (ך → כ). */
  readonly ch: string;
  readonly final: boolean;
  readonly points: string;
  /** Followed by a geresh (ג׳ j, ז׳ zh, צ׳ ch). */
  readonly geresh: boolean;
}

function lettersOf(word: string): Letter[] {
  const out: Letter[] = [];
  for (const c of word) {
    const cp = c.codePointAt(0)!;
    if (cp >= 0x05d0 && cp <= 0x05ea) {
      out.push({ ch: FINAL[c] ?? c, final: c in FINAL, points: "", geresh: false });
    } else if (cp >= 0x0591 && cp <= 0x05c7 && out.length > 0) {
      const last = out[out.length - 1]!;
      out[out.length - 1] = { ...last, points: last.points + c };
    } else if (GERESH.test(c) && out.length > 0) {
      const last = out[out.length - 1]!;
      out[out.length - 1] = { ...last, geresh: true };
    }
  }
  return out;
}

/** A consonant's spellings: hard or soft for ב כ פ, otherwise the letter's own (ח ch kh h). */
function consonant(l: Letter, first: boolean): readonly string[] {
  const v = LETTERS[l.ch];
  if (!v) return [""];
  if (l.geresh) {
    if (l.ch === "ג") return ["j", "g"];
    if (l.ch === "ז") return ["zh", "j", "z"];
    if (l.ch === "צ") return ["ch", "tch"];
  }
  if (l.ch === "ש" && l.points.includes(SIN_DOT)) return ["s"];
  if (v.hard && v.soft) {
    const hard = first || l.points.includes(DAGESH);
    return hard ? v.hard : l.final ? v.soft : [...v.soft, ...v.hard];
  }
  return v.all ?? [""];
}

/** Pointed text read from its points: one form, or "" when the word carries no vowel points. */
function fromPoints(letters: readonly Letter[]): string {
  if (!letters.some((l) => /[\u05b1-\u05bb\u05c7]/.test(l.points))) return "";
  let out = "";
  for (let i = 0; i < letters.length; i++) {
    const l = letters[i]!;
    const vowel = [...l.points].map((p) => POINT_VOWELS[p] ?? "").join("");
    if (i > 0 && l.ch === "ו" && l.points.includes("\u05b9"))
      out += "o"; // holam male
    else if (i > 0 && l.ch === "ו" && l.points === DAGESH)
      out += "u"; // shuruq
    else if (i > 0 && l.ch === "י" && !vowel)
      continue; // hiriq or tsere male: the vowel is written
    else if (i === letters.length - 1 && l.ch === "ה" && !l.points)
      continue; // final mater
    else out += (l.ch === "א" || l.ch === "ע" ? "" : (consonant(l, i === 0)[0] ?? "")) + vowel;
  }
  return out;
}

interface Style {
  /** The vowel supplied between two consonants. */
  readonly fill: "a" | "e" | "ea";
  /** Whether one is supplied before the last letter too. */
  readonly finalGap?: boolean;
  /** Which of its spellings each consonant takes (0 = primary: ח h, צ tz; 1: ch, ts). */
  readonly alt?: number;
  /** ו between consonants as u rather than o; י as y. */
  readonly altVowel?: boolean;
  /** ב כ פ hard after the start too, as in names of foreign origin (Rabinovitz, not Ravinovitz). */
  readonly hard?: boolean;
}

const STYLES: readonly Style[] = [
  { fill: "a", finalGap: true },
  { fill: "e", finalGap: true },
  { fill: "a", finalGap: true, hard: true },
  { fill: "a" },
  { fill: "ea", finalGap: true },
  { fill: "a", finalGap: true, alt: 1 },
  { fill: "e" },
  { fill: "a", finalGap: true, altVowel: true },
];

/** Letters by rule in one style; `open` when more letters follow (a surname ending). */
function byRule(letters: readonly Letter[], s: Style, open = false): string {
  let out = "";
  let gaps = 0;
  const n = letters.length;
  const isVowelLetter = (i: number): boolean => VOWEL_LETTERS.has(letters[i]?.ch ?? "") && i > 0;
  let lastWasConsonant = false;
  for (let i = 0; i < n; i++) {
    const l = letters[i]!;
    const next = letters[i + 1];
    const last = i === n - 1;
    const pick = (opts: readonly string[]): string => opts[Math.min(s.alt ?? 0, opts.length - 1)] ?? "";
    const vowel = (opts: readonly string[]): string => opts[s.altVowel ? 1 : 0] ?? opts[0]!;
    let text: string;
    let consonantal = true;
    if (l.ch === "ו") {
      if (i === 0 || next?.ch === "ו") text = i === 0 ? "v" : "";
      else if (letters[i - 1]?.ch === "ו") text = "v";
      else if (!lastWasConsonant && next && !VOWEL_LETTERS.has(next.ch) && i > 1) text = "v";
      else {
        text = vowel(["o", "u"]);
        consonantal = false;
      }
    } else if (l.ch === "י") {
      if (i === 0) text = "y";
      else if (next?.ch === "י") {
        text = pick(["ei", "ai", "y"]);
        consonantal = false;
        i++;
      } else if (next && VOWEL_LETTERS.has(next.ch) && !(next.ch === "ה" && i + 1 === n - 1)) text = "y";
      else {
        text = vowel(["i", "y"]);
        consonantal = false;
      }
    } else if (l.ch === "א" || l.ch === "ע") {
      // A vowel carrier: its vowel, unless a vowel letter follows and gives it.
      const nextGives = next && (next.ch === "ו" || next.ch === "י");
      text = nextGives ? "" : last ? (l.ch === "א" ? "a" : pick(["a", ""])) : pick(["a", "e"]);
      consonantal = false;
    } else if (l.ch === "ה" && last && i > 0) {
      text = pick(["a", "e", "ah"]);
      consonantal = false;
    } else {
      text = pick(consonant(l, i === 0 || s.hard === true));
    }
    // A vowel between two consonants; before the last letter, only in styles that want one
    // (Peretz, Rabin) or when the word has none yet (Katz), not in others (Gantz).
    if (consonantal && lastWasConsonant && text && (!last || open || s.finalGap || !/[aeiou]/.test(out))) {
      out += s.fill === "ea" ? (gaps === 0 ? "e" : "a") : s.fill;
      gaps++;
    }
    out += text;
    if (text) lastWasConsonant = consonantal && !(isVowelLetter(i) && !consonantal);
  }
  return out;
}

/** A word ending in a listed surname ending (גולדשטיין → gold + stein): rule stem + ending. */
function withSuffix(letters: readonly Letter[], word: string): string[] {
  for (const [suffix, spellings] of SUFFIXES) {
    if (word.length <= suffix.length || !word.endsWith(suffix)) continue;
    const stem = letters.slice(0, letters.length - [...suffix].length);
    const stems = [
      byRule(stem, { fill: "a", hard: true }, true),
      byRule(stem, { fill: "e", hard: true }, true),
      byRule(stem, { fill: "e" }, true),
    ];
    return [...new Set(stems)].flatMap((st) => spellings.map((sp) => st + sp));
  }
  return [];
}

const CACHE_LIMIT = 20_000;
const cache = new Map<string, string[]>();

/**
 * Romanisations of one Hebrew word, lower-case ASCII, distinct, the most usual first, at most 8;
 * [] when the word holds no Hebrew letter. The returned array is shared and frozen.
 */
export function romaniseHebrew(word: string): string[] {
  const hit = cache.get(word);
  if (hit) return hit;
  const letters = lettersOf(word);
  const out: string[] = [];
  const add = (...forms: string[]): void => {
    for (const f of forms) if (f && out.length < MAX_VARIANTS && !out.includes(f)) out.push(f);
  };
  if (letters.length > 0) {
    add(fromPoints(letters));
    const plain = word.replace(/[^\u05d0-\u05ea]/g, "");
    add(...(NAMES.get(plain) ?? []));
    add(...withSuffix(letters, plain).slice(0, 4));
    for (const s of STYLES) add(byRule(letters, s));
  }
  Object.freeze(out);
  if (cache.size >= CACHE_LIMIT) cache.clear();
  cache.set(word, out);
  return out;
}
