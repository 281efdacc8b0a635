// Arabic-script personal names (Arabic, Persian, Urdu, Pashto letters) → lower-case ASCII.
// Owns: romaniseArabic (variants for one word), arabicSkeleton and latinSkeleton (comparable
// consonant keys for the two sides of a cross-script comparison).
//
// Arabic script leaves short vowels unwritten, so no rule can restore "Muhammad" from محمد. Three
// layers, first hit wins:
//   1. the element table (data/arabic-elements.json): frequent given names, particles and nisbas
//      with their usual spellings; Persian spellings first when the word uses Persian letters;
//   2. composition of known pieces: article ال + X (al-X, X, el-X, assimilated ar-X), عبدال + X
//      (abdul-, abdel-, abdur-…), ابوال + X, X + الله (-ullah), X + الدين (-uddin), X + زاده,
//      Pashto X + زی (-zai), and two table elements written together (محمدرضا, غلامرضا);
//   3. letters by rule (data/arabic-letters.json) in four styles (English, French/Maghreb,
//      Iranian, Afghan/Pakistani), with the vowel letters ا و ي read as long vowels or glides and
//      short vowels guessed from the commonest name shapes (CāCiC: khalid, tahir; initial
//      iCCāC: islam, ibrahim; aCCaC: ahmad, ashraf).
//
// Consonant skeletons, the same classes on both sides (letter values in arabic-letters.json):
//   - vowels, glides and signs of vowel length leave no trace: a e i o u y w v / ا و ي ى ع ء;
//     w and y go too because و and ي are written both as vowels and as consonants;
//   - b = b p (ب پ) · f = f ph (ف) · t = t (ت ط) · j = j dj (ج ژ) · l m n r as written;
//   - s = every other dental and sibilant: d dh th s z sh ch (د ذ ض ظ ث ز س ص ش چ): ظ is written
//     z, dh or d, ض d or z (Persian), ذ dh or z, ث th or s, so these cannot be kept apart;
//   - k = k q g gh kh c(a/o/u) (ك ق گ غ خ): ق is q, k, g or gh depending on the country;
//   - h = h (ح ه) except at the end of a word, where Latin writes or drops it at will
//     (Hamza/Hamzah, Saleh/Salih);
//   - the article: a leading ال / al- / el- goes before a consonant (al-Tikriti, Tikriti and
//     التكريتي agree; so do al-Saadi and Essaadi), and before a vowel (ع ا ي و / a e o u y w)
//     only when two or more consonant classes remain, so Ali, Alam and Alawi keep their l;
//     Latin al- before i stays (Alireza); the article's l inside عبدال, ابوال and الدين goes
//     on both sides so Abdul Rahman, Abdurrahman and Abderrahmane agree;
//   - a repeated class collapses to one (shadda is unwritten: Muhammad, Mohamed).
// Known misses: Latin t+h, s+h, k+h across a syllable (Fathi, Ishaq) read as digraphs; Egyptian
// g for ج (Gamal) and Maghreb t for ث (Othmane with t) land in other classes. An empty skeleton
// means "no consonant evidence" and should never count as a match.
import elementData from "./data/arabic-elements.json" with { type: "json" };
import letterData from "./data/arabic-letters.json" with { type: "json" };

type Style = "ar" | "fr" | "fa" | "af";
interface Consonant {
  key: string;
  ar: string;
  fr: string;
  fa: string;
  af: string;
}

const MAX_VARIANTS = 8;
/** Longer than any entry of the element table. */
const MAX_ELEMENT_LENGTH = 12;
const CONSONANTS = new Map<string, Consonant>(Object.entries(letterData.consonants));
const FOLD = new Map<string, string>(Object.entries(letterData.fold));
const SUN_LETTERS = new Set(letterData.sunLetters);

const foldWord = (s: string): string => {
  let out = "";
  for (const ch of s) out += FOLD.get(ch) ?? ch;
  return out;
};

function tableOf(entries: Record<string, string[]>): Map<string, string[]> {
  const table = new Map<string, string[]>();
  for (const [word, variants] of Object.entries(entries)) table.set(foldWord(word), variants);
  return table;
}
const ELEMENTS = tableOf(elementData.elements);
const PERSIAN_ELEMENTS = tableOf(elementData.persian);

// Letters only Persian (and Urdu/Pashto) writing uses, and those only Urdu/Pashto use.
const PERSIAN_LETTERS = new Set("پچژگکیۀ");
const SOUTH_ASIAN_LETTERS = new Set("ٹڈڑںےۓہھځڅډړږښګڼېۍ");
const STYLES_ARABIC: readonly Style[] = ["ar", "fr", "fa"];
const STYLES_PERSIAN: readonly Style[] = ["fa", "af", "ar"];
const STYLES_SOUTH_ASIAN: readonly Style[] = ["af", "fa", "ar"];

const isMark = (c: number): boolean =>
  (c >= 0x064b && c <= 0x065f) ||
  c === 0x0670 ||
  c === 0x0640 ||
  (c >= 0x0610 && c <= 0x061a) ||
  (c >= 0x06d6 && c <= 0x06ed) ||
  c === 0x200c ||
  c === 0x200d;
const isArabicLetter = (c: number): boolean =>
  (c >= 0x0621 && c <= 0x064a) ||
  (c >= 0x066e && c <= 0x06d3) ||
  c === 0x06d5 ||
  (c >= 0x0750 && c <= 0x077f);

/** The word's Arabic letters only: vowel signs, tatweel, joiners, digits and foreign letters go. */
function arabicLetters(word: string): string {
  let s = word;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0xfb50 && c <= 0xfeff) {
      // Presentation forms survive when a caller skipped NFKC; they are ordinary letters after it.
      s = s.normalize("NFKC");
      break;
    }
  }
  let out = "";
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    if (!isMark(c) && isArabicLetter(c)) out += ch;
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Combining variant lists

/**
 * Joins one choice from each part, best-ranked combinations first (ordered by the sum of the
 * choices' ranks), distinct, at most `max`.
 */
function combine(parts: readonly (readonly string[])[], max = MAX_VARIANTS): string[] {
  const out: string[] = [];
  const seen = new Set<string>();
  const maxRank = parts.reduce((n, p) => n + p.length - 1, 0);
  const idx = new Array<number>(parts.length).fill(0);
  for (let total = 0; total <= maxRank && out.length < max; total++) {
    // Enumerate index tuples whose sum is `total`, earlier parts varying slowest.
    const visit = (i: number, left: number): void => {
      if (out.length >= max) return;
      const part = parts[i]!;
      if (i === parts.length - 1) {
        if (left < part.length) {
          idx[i] = left;
          let s = "";
          for (let j = 0; j < parts.length; j++) s += parts[j]![idx[j]!]!;
          if (!seen.has(s)) {
            seen.add(s);
            out.push(s);
          }
        }
        return;
      }
      for (let r = 0; r <= left && r < part.length; r++) {
        idx[i] = r;
        visit(i + 1, left - r);
      }
    };
    visit(0, total);
  }
  return out;
}

function distinct(lists: readonly (readonly string[])[], max = MAX_VARIANTS): string[] {
  const out: string[] = [];
  for (const list of lists) for (const s of list) if (s && !out.includes(s) && out.length < max) out.push(s);
  return out;
}

// ---------------------------------------------------------------------------------------------
// Letters by rule

enum U {
  Consonant,
  LongA,
  LongI,
  LongU,
  DiphAy,
  DiphAw,
  HamzaI,
  HamzaU,
  Carrier,
  FinalA,
  TaMarbuta,
  FinalHeh,
  Glide,
}
interface Unit {
  u: U;
  /** The letter, for consonants and glides. */
  ch: string;
  /** Initial alef: which vowel it carries. */
  v?: "a" | "i";
}
const isVowel = (x: Unit | undefined): boolean => x !== undefined && x.u !== U.Consonant && x.u !== U.Glide;

const AYN = "ع";
const WAW = new Set("وۇۆۈ");
const YEH = new Set("يیېۍےۓ");
const HEH = new Set("هھہەۂ");

function units(s: string): Unit[] {
  const chars = [...s];
  const n = chars.length;
  const raw: Unit[] = [];
  for (let i = 0; i < n; i++) {
    const ch = chars[i]!;
    const last = i === n - 1;
    if (ch === "ا" || ch === "ٱ" || ch === "آ" || ch === "أ" || ch === "إ") {
      if (i === 0 && ch !== "آ")
        raw.push({ u: U.Carrier, ch, v: ch === "أ" ? "a" : ch === "إ" ? "i" : undefined });
      else raw.push({ u: ch === "إ" ? U.LongI : U.LongA, ch });
    } else if (ch === "ى") raw.push(last ? { u: U.FinalA, ch } : { u: U.Glide, ch: "ي" });
    else if (YEH.has(ch)) raw.push({ u: U.Glide, ch: "ي" });
    else if (WAW.has(ch)) raw.push({ u: U.Glide, ch: "و" });
    else if (ch === "ئ") raw.push({ u: U.HamzaI, ch });
    else if (ch === "ؤ") raw.push({ u: U.HamzaU, ch });
    else if (ch === "ء") continue;
    else if (ch === "ة" || ch === "ۀ") raw.push(last ? { u: U.TaMarbuta, ch } : { u: U.Consonant, ch: "ت" });
    else if (HEH.has(ch)) {
      const prev = raw[raw.length - 1];
      if (last && prev !== undefined && (prev.u === U.Consonant || prev.u === U.Glide) && raw.length > 1)
        raw.push({ u: U.FinalHeh, ch });
      else raw.push({ u: U.Consonant, ch: "ه" });
    } else if (ch === AYN || CONSONANTS.has(ch)) raw.push({ u: U.Consonant, ch });
  }
  // A final ي after a consonant or glide is the long vowel (nisba: hashimi, safavi, sahrawi).
  const lastUnit = raw[raw.length - 1];
  const beforeLast = raw[raw.length - 2];
  if (lastUnit?.u === U.Glide && lastUnit.ch === "ي" && beforeLast && !isVowel(beforeLast))
    lastUnit.u = U.LongI;
  // Other glides: a consonant at the start, next to a vowel, before another glide (tawil,
  // darwish) and in the aCwaC shape (anwar); a diphthong after the first consonant when two
  // consonants follow (haydar, faysal, jawhar); else the long vowel.
  for (let i = 0; i < raw.length; i++) {
    const x = raw[i]!;
    if (x.u !== U.Glide) continue;
    const prev = raw[i - 1];
    const next = raw[i + 1];
    const w = x.ch === "و";
    const aCwaC = i === 2 && raw[0]!.u === U.Carrier && raw[1]!.ch !== "و" && raw[1]!.ch !== "ي";
    if (i === 0 || isVowel(next) || isVowel(prev) || next?.u === U.Glide || aCwaC) x.u = U.Consonant;
    else if (i === 1 && next?.u === U.Consonant && raw[i + 2]?.u === U.Consonant)
      x.u = w ? U.DiphAw : U.DiphAy;
    else x.u = w ? U.LongU : U.LongI;
  }
  // Initial alef: i before two or more consonants and a long a (islam, ibrahim, intisar), else a.
  const first = raw[0];
  if (first?.u === U.Carrier && first.v === undefined) {
    let consonants = 0;
    let i = 1;
    while (i < raw.length && raw[i]!.u === U.Consonant) {
      consonants++;
      i++;
    }
    first.v = consonants >= 2 && raw[i]?.u === U.LongA ? "i" : "a";
  }
  return raw;
}

const SHORT_I: Record<Style, string> = { ar: "i", fr: "e", fa: "e", af: "i" };

function vowelText(x: Unit, style: Style): string {
  switch (x.u) {
    case U.LongA:
    case U.FinalA:
      return "a";
    case U.LongI:
    case U.HamzaI:
      return style === "fa" && x.u === U.HamzaI ? "e" : "i";
    case U.LongU:
      return style === "ar" ? "u" : style === "af" ? "oo" : "ou";
    case U.HamzaU:
      return style === "ar" || style === "af" ? "u" : "ou";
    case U.DiphAy:
      return style === "ar" ? "ay" : style === "fa" ? "ey" : "ai";
    case U.DiphAw:
      return style === "fr" ? "aou" : style === "fa" ? "ow" : "aw";
    case U.Carrier:
      return x.v === "i" ? (style === "fa" ? "e" : "i") : "a";
    case U.TaMarbuta:
      return style === "fa" ? "eh" : "a";
    case U.FinalHeh:
      return style === "fa" ? "eh" : style === "ar" ? "ah" : "a";
    default:
      return "";
  }
}

function consonantText(x: Unit, style: Style): string {
  if (x.ch === AYN) return "";
  if (x.ch === "و") return style === "fa" ? "v" : "w";
  if (x.ch === "ي") return "y";
  if (x.ch === "ه") return "h";
  if (x.ch === "ت") return "t";
  return CONSONANTS.get(x.ch)?.[style] ?? "";
}

/**
 * One rendering of the units in `style`. Short vowels go into consonant clusters: a after a
 * word-initial consonant, i (e) in the CāCiC shape, a before the last of three, a in a final
 * pair after a diphthong (haydar); with `openFinal`, a final pair after a short vowel also gets
 * a (hasan rather than hasn: both shapes are common and the letters cannot tell them apart).
 */
function render(us: readonly Unit[], style: Style, openFinal: boolean): string {
  let out = "";
  let prev: "start" | "short" | "longA" | "diphthong" | "vowel" = "start";
  let i = 0;
  while (i < us.length) {
    const x = us[i]!;
    if (x.u !== U.Consonant) {
      out += vowelText(x, style);
      prev = x.u === U.LongA ? "longA" : x.u === U.DiphAy || x.u === U.DiphAw ? "diphthong" : "vowel";
      i++;
      continue;
    }
    let j = i;
    while (j < us.length && us[j]!.u === U.Consonant) j++;
    const atEnd = j === us.length;
    let k = i;
    if (prev === "start" && j - i >= 2) {
      out += consonantText(us[i]!, style) + (style === "fr" && us[i + 1]!.ch === AYN ? "aa" : "a");
      prev = "short";
      k = i + 1;
    }
    // Where short vowels go: CāCiC after a long a; a final pair after a diphthong (or, with
    // openFinal, after a short vowel); in longer runs after every second consonant, and before
    // the last of a final three (mahmad, shahbandar, intisar).
    const inserts = new Map<number, string>();
    const rest = j - k;
    if (rest === 2 && prev === "longA") inserts.set(k + 1, SHORT_I[style]);
    else if (rest === 2 && atEnd && (prev === "diphthong" || (openFinal && prev === "short")))
      inserts.set(k + 1, "a");
    else if (rest >= 3) {
      const carrier = us[0]!;
      const v = i === 1 && carrier.u === U.Carrier && carrier.v === "i" ? (style === "fa" ? "e" : "i") : "a";
      for (let from = k, left = rest; left >= 3; from += 2, left -= 2) {
        if (atEnd && left === 3) {
          inserts.set(j - 1, v);
          break;
        }
        inserts.set(from + 2, v);
      }
    }
    for (let m = k; m < j; m++) out += (inserts.get(m) ?? "") + consonantText(us[m]!, style);
    prev = "short";
    i = j;
  }
  return out;
}

function styleOrder(s: string): readonly Style[] {
  let persian = false;
  for (const ch of s) {
    if (SOUTH_ASIAN_LETTERS.has(ch)) return STYLES_SOUTH_ASIAN;
    if (PERSIAN_LETTERS.has(ch)) persian = true;
  }
  return persian ? STYLES_PERSIAN : STYLES_ARABIC;
}

function byRule(s: string, styles: readonly Style[]): string[] {
  const us = units(s);
  if (us.length === 0) return [];
  const renders = styles.map((st) => render(us, st, false));
  renders.push(render(us, styles[0]!, true));
  // A final ى is a in Arabic spelling (musa, mustafa) but stands for ی (i) in much Afghan and
  // Egyptian writing (hakimi, haqqani).
  const last = us[us.length - 1]!;
  if (last.u === U.FinalA) {
    const asI = [...us.slice(0, -1), { ...last, u: U.LongI }];
    const alt = render(asI, styles[0]!, false);
    if (styles[0] === "ar") renders.push(alt);
    else renders.unshift(alt);
  }
  // Three letters with a glide in the middle read either way: din, nur, mir / zayd, sayf, faiz.
  const mid = us[1];
  if (us.length === 3 && (mid?.u === U.LongI || mid?.u === U.LongU)) {
    const diphthong = [us[0]!, { ...mid, u: mid.u === U.LongI ? U.DiphAy : U.DiphAw }, us[2]!];
    for (const st of styles) renders.push(render(diphthong, st, false));
  }
  return distinct([renders]);
}

// ---------------------------------------------------------------------------------------------
// Table lookup and composition

function lookup(key: string, persianFirst: boolean): string[] | undefined {
  const common = ELEMENTS.get(key);
  const persian = PERSIAN_ELEMENTS.get(key);
  if (!common && !persian) return undefined;
  return persianFirst ? distinct([persian ?? [], common ?? []]) : distinct([common ?? [], persian ?? []]);
}

/** A piece of a word: the table's spellings, else the rule's. */
function piece(s: string, styles: readonly Style[]): string[] {
  return lookup(foldWord(s), styles[0] !== "ar") ?? byRule(s, styles);
}

/** The first consonant's English value when it is a sun letter (the article assimilates). */
function sunConsonant(s: string): string | undefined {
  const first = [...s][0];
  return first !== undefined && SUN_LETTERS.has(first) ? CONSONANTS.get(first)?.ar : undefined;
}

const ARTICLE = "ال";

/**
 * al-X: for the best spellings of X the article written al, left out, and el; for the first,
 * also assimilated before a sun letter (as-Sayyid, es-Saadi).
 */
function withArticle(rest: string, styles: readonly Style[]): string[] {
  const sun = sunConsonant(rest);
  const out: string[] = [];
  piece(rest, styles).forEach((v, i) => {
    const forms =
      i === 0 && sun && sun !== "l"
        ? [`al${v}`, v, `el${v}`, `a${sun}${v}`, `e${sun}${v}`]
        : i < 2
          ? [`al${v}`, v, `el${v}`]
          : [`al${v}`, v];
    for (const f of forms) if (out.length < MAX_VARIANTS && !out.includes(f)) out.push(f);
  });
  return out;
}

function compose(s: string, key: string, styles: readonly Style[]): string[] {
  const persianFirst = styles[0] !== "ar";
  const chars = [...s];
  const n = chars.length;
  const sub = (from: number, to = n): string => chars.slice(from, to).join("");

  if (key.startsWith(`عبد${ARTICLE}`) && n > 6) {
    const rest = sub(5);
    const sun = sunConsonant(rest);
    const abd = sun
      ? ["abdul", "abdel", `abdu${sun}`, `abde${sun}`, "abdal"]
      : persianFirst
        ? ["abdul", "abdol", "abdel", "abdal"]
        : ["abdul", "abdel", "abdal"];
    return combine([abd, piece(rest, styles)]);
  }
  if ((key.startsWith(`ابو${ARTICLE}`) || key.startsWith(`بو${ARTICLE}`)) && n > 6) {
    const rest = sub(key.startsWith("ا") ? 5 : 4);
    return combine([["abul", "abol", "abual", "aboul"], piece(rest, styles)]);
  }
  if (key.endsWith(`${ARTICLE}له`) && n > 5) {
    const suffix = persianFirst ? ["ollah", "ullah", "allah", "ulla"] : ["ullah", "allah", "ollah", "ulla"];
    return combine([piece(sub(0, n - 4), styles), suffix]);
  }
  if (key.endsWith(`${ARTICLE}دين`) && n > 6) {
    const suffix = persianFirst
      ? ["uddin", "oddin", "eddin", "aldin"]
      : ["uddin", "aldin", "eddine", "addin", "eddin"];
    return combine([piece(sub(0, n - 5), styles), suffix]);
  }
  if (key.startsWith("ابو") && n > 4) return combine([["abu", "abou", "abo"], piece(sub(3), styles)]);
  if (key.startsWith(ARTICLE) && n > 3) return withArticle(sub(2), styles);
  if (key.endsWith("زاده") && n > 5) return combine([piece(sub(0, n - 4), styles), ["zadeh", "zada"]]);
  if (s.endsWith("زی") && n > 4) return combine([piece(sub(0, n - 2), styles), ["zai", "zay", "zi"]]);
  // Two table elements written as one word, longest known first part first. Writing two given
  // names together (محمدرضا, غلامرضا) is Persian and Afghan practice, so Persian spellings lead.
  // Elements are short: a long word is not two of them, and trying every cut would be quadratic.
  for (let cut = Math.min(n - 2, MAX_ELEMENT_LENGTH); cut >= 2 && n - cut <= MAX_ELEMENT_LENGTH; cut--) {
    const left = lookup(foldWord(sub(0, cut)), true);
    if (!left) continue;
    const right = lookup(foldWord(sub(cut)), true);
    if (right) return combine([left, right]);
  }
  return byRule(s, styles);
}

// ---------------------------------------------------------------------------------------------
// Public API

const CACHE_LIMIT = 50_000;
const cache = new Map<string, string[]>();

/**
 * Romanisations of one Arabic-script word (a name element such as محمد, الرحمن, عبدالله),
 * lower-case ASCII [a-z], distinct, primary first, at most 8. Tashkeel, tatweel and
 * non-Arabic characters are ignored; a word with no Arabic letter gives [].
 * The returned array is shared and frozen.
 */
export function romaniseArabic(word: string): string[] {
  const hit = cache.get(word);
  if (hit) return hit;
  const s = arabicLetters(word);
  let result: string[] = [];
  if (s) {
    const styles = styleOrder(s);
    const key = foldWord(s);
    result = lookup(key, styles[0] !== "ar") ?? compose(s, key, styles);
  }
  Object.freeze(result);
  if (cache.size >= CACHE_LIMIT) cache.clear();
  cache.set(word, result);
  return result;
}

/** Appends a class unless it repeats the previous one. */
const push = (out: string, cls: string): string => (cls === "" || out.endsWith(cls) ? out : out + cls);
const dropFinalH = (s: string): string => (s.endsWith("h") ? s.slice(0, -1) : s);

function arabicClasses(key: string): string {
  let out = "";
  for (const ch of key) out = push(out, CONSONANTS.get(ch)?.key ?? "");
  return out;
}

/**
 * The consonant skeleton of an Arabic-script word (see the module header for the classes):
 * comparable with latinSkeleton of its Latin spellings, e.g. هشام → "hsm" = Hisham, Hesham.
 */
export function arabicSkeleton(word: string): string {
  let key = foldWord(arabicLetters(word));
  if (key.startsWith(`عبد${ARTICLE}`)) key = `عبد${key.slice(5)}`;
  else if (key.startsWith(`ابو${ARTICLE}`)) key = `ابو${key.slice(5)}`;
  else if (key.startsWith(`بو${ARTICLE}`)) key = `بو${key.slice(4)}`;
  if (key.endsWith(`${ARTICLE}دين`) && key.length > 5) key = `${key.slice(0, -5)}دين`;
  if (key.startsWith(ARTICLE) && key.length > 3) {
    const rest = dropFinalH(arabicClasses(key.slice(2)));
    const silentStart = (CONSONANTS.get(key[2]!)?.key ?? "") === "";
    if (!silentStart || rest.length >= 2) return rest;
  }
  return dropFinalH(arabicClasses(key));
}

const LATIN_VOWEL = new Set("aeiouywv");

function latinClasses(w: string): string {
  let out = "";
  const n = w.length;
  for (let i = 0; i < n; i++) {
    const c = w[i]!;
    const next = i + 1 < n ? w[i + 1] : "";
    if (LATIN_VOWEL.has(c)) continue;
    switch (c) {
      case "b":
        out = push(out, "b");
        break;
      case "p":
        if (next === "h") {
          out = push(out, "f");
          i++;
        } else out = push(out, "b");
        break;
      case "t":
        if (next === "h") {
          out = push(out, "s");
          i++;
        } else if (next === "c" && w[i + 2] === "h") continue;
        else out = push(out, "t");
        break;
      case "d":
        if (next === "j") continue;
        if (next === "h") i++;
        out = push(out, "s");
        break;
      case "s":
        if (next === "h") i++;
        else if (next === "c" && w[i + 2] === "h") i += 2;
        out = push(out, "s");
        break;
      case "z":
        out = push(out, "s");
        break;
      case "c":
        if (next === "h") {
          out = push(out, "s");
          i++;
        } else if (next === "k") continue;
        else out = push(out, next === "e" || next === "i" || next === "y" ? "s" : "k");
        break;
      case "k":
      case "g":
        if (next === "h") i++;
        out = push(out, "k");
        break;
      case "q":
        out = push(out, "k");
        break;
      case "x":
        out = push(push(out, "k"), "s");
        break;
      case "f":
      case "j":
      case "h":
      case "l":
      case "m":
      case "n":
      case "r":
        out = push(out, c);
        break;
      default:
        break;
    }
  }
  return out;
}

const isLatinVowel = (c: string | undefined): boolean => c !== undefined && "aeiou".includes(c);

/**
 * The consonant skeleton of a Latin spelling of an Arabic-script name (see the module header):
 * "Hisham", "Hesham" → "hsm"; "al-Tikriti", "Tikriti" → "tkrt"; "Abdul Rahman" joined,
 * "Abdurrahman", "Abderrahmane" → "bsrhmn". Letters outside a-z are ignored.
 */
export function latinSkeleton(latinWord: string): string {
  let w = latinWord.toLowerCase();
  if (/[^a-z]/.test(w))
    w = w
      .replaceAll("ç", "s")
      .normalize("NFD")
      .replace(/[^a-z]/g, "");
  // The article's l inside abd-al-X, abu-l-X and X-al-din.
  if (w.startsWith("abd")) {
    let i = 3;
    while (isLatinVowel(w[i])) i++;
    if (i > 3 && w[i] === "l") w = `abd${w.slice(i + 1)}`;
  } else if (w.startsWith("ab")) {
    let i = 2;
    while (isLatinVowel(w[i])) i++;
    if (i > 2 && w[i] === "l" && w[i + 1] !== undefined && !isLatinVowel(w[i + 1]))
      w = w.slice(0, i) + w.slice(i + 1);
  }
  const din = w.lastIndexOf("ld");
  if (din > 0 && isLatinVowel(w[din - 1]) && /^ld[eiy]+ne?$/.test(w.slice(din)))
    w = w.slice(0, din) + w.slice(din + 1);
  if ((w.startsWith("al") || w.startsWith("el")) && w.length > 3 && w[2] !== "i") {
    const rest = dropFinalH(latinClasses(w.slice(2)));
    if (!LATIN_VOWEL.has(w[2]!) || rest.length >= 2) return rest;
  }
  return dropFinalH(latinClasses(w));
}
