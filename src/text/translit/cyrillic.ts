// Romanisation of Cyrillic name words: Russian, Ukrainian, Belarusian, Bulgarian, Serbian,
// Macedonian and the Turkic alphabets (Kazakh and its neighbours), in the spellings real documents
// use. The tables are data/cyrillic.json; this module picks the language of a word from its
// letters and applies that language's schemes in order, each scheme to the whole word.
//
// Russian: the primary form follows BGN/PCGN as the US (OFAC) and UN lists apply it:
// "kuznetsov", "aleksandr", "yevgeniy", "yuriy" (-ий → "iy"), "natalya", "fedorov" (ё → "e").
// Then the Russian passport rules of 1997 ("nikolaevich", "yurevich"), English popular forms
// ("alexander", "dmitry", "yurievich", "fyodorov"), ICAO 9303 ("iurii", "nataliia"), ISO 9 and the
// Czech/Croatian spelling without diacritics ("kuznecov", "jurij", "jevgenij"), German
// ("kusnezow", "tschaikowski"), French ("kouznetsov", "tchaikovski"), Swedish ("petrovitj"),
// English with -i ("sergei", "yuri"), Polish ("mordaszow") and Romanian ("abramovici").
// Ukrainian: the national system of 2010 ("oleksii", "yevhen"), BGN/PCGN ("oleksiy"), г as "g",
// then the same European conventions; Belarusian: passport spellings ("aliaksandr", "dzmitry"),
// BGN/PCGN ("yawhen"), Belarusian Latin ("paulouskaja"); Bulgarian: the 2009 law ("hristo",
// "parvanov"); Serbian and Macedonian: Gaj Latin and the Macedonian system without diacritics.

import { applySchemes, compileSchemes, pickSchemes, type Scheme, type SchemeTable } from "./_schemes.js";
import table from "./data/cyrillic.json" with { type: "json" };

type Language = keyof typeof table.languages;

const TABLE = compileSchemes(table as SchemeTable);
const BY_LANGUAGE = new Map<Language, readonly Scheme[]>(
  (Object.keys(table.languages) as Language[]).map((lang) => [
    lang,
    pickSchemes(TABLE, table.languages[lang]),
  ]),
);

/** Letters that settle the language of a word; the rest of Cyrillic is shared. */
const bothCases = (letters: string) => new Set(letters + letters.toUpperCase());
const SOUTH_SLAVIC = bothCases("ђћџѓќѕјљњ");
const TURKIC = bothCases("әғқңөұүһҳҷӣӯҙҡҫӑӗӳ");
const UKRAINIAN = bothCases("їєґ");
const RUSSIAN_OR_BELARUSIAN = bothCases("ыэё");
const IOTATED = bothCases("еёюя");
const I = bothCases("і");
const II = bothCases("ищ");
const SHORT_U = bothCases("ў");
const HARD_SIGN = bothCases("ъ");
const APOSTROPHES = new Set("'’ʼ");

/**
 * The language whose schemes romanise a word. The apostrophe is the Ukrainian and Belarusian
 * separator (в'ячеслав), where Russian writes ъ. Words with only the letters Russian shares with
 * Ukrainian or Belarusian ("олег", "тимошенко") get "cyr": the Russian schemes with the Ukrainian
 * reading among them, since the lists name Ukrainians in such words too ("Oleh", "Tymoshenko").
 */
export function cyrillicLanguage(word: string): Language {
  let i = false;
  let ii = false;
  let apostrophe = false;
  let ru = false;
  let hardSignBeforeConsonant = false;
  for (let k = 0; k < word.length; k++) {
    const c = word[k]!;
    if (SOUTH_SLAVIC.has(c)) return "sr";
    if (TURKIC.has(c)) return "kk";
    if (UKRAINIAN.has(c)) return "uk";
    if (SHORT_U.has(c)) return "be";
    if (I.has(c)) i = true;
    else if (II.has(c)) ii = true;
    else if (APOSTROPHES.has(c)) apostrophe = true;
    else if (RUSSIAN_OR_BELARUSIAN.has(c)) ru = true;
    else if (HARD_SIGN.has(c)) {
      const next = word[k + 1];
      if (next !== undefined && !IOTATED.has(next)) hardSignBeforeConsonant = true;
    }
  }
  if (i || apostrophe) return ii ? "uk" : ru ? "be" : i ? "ukbe" : "uk";
  if (ru) return "ru";
  // Bulgarian writes ъ as a vowel (Търново, Стъпков); Russian only as a separator before е ё ю я.
  if (hardSignBeforeConsonant) return "bg";
  return "cyr";
}

/**
 * Latin letters that look like Cyrillic ones (in capitals: A B C E H K M O P T X Y, and i, ë).
 * Lists contain Cyrillic words typed with some Latin keys ("ТAMБOB", "фëдoрoвич", "юрiйович");
 * inside a Cyrillic word such a letter stands for its twin.
 */
const LOOKALIKE_PAIRS = "aаbвcсeеhнiіkкmмoоpрtтxхyуëёïї";
const LOOKALIKES = new Map<string, string>();
for (let k = 0; k < LOOKALIKE_PAIRS.length; k += 2) {
  const latin = LOOKALIKE_PAIRS[k]!;
  const cyrillic = LOOKALIKE_PAIRS[k + 1]!;
  LOOKALIKES.set(latin, cyrillic);
  LOOKALIKES.set(latin.toUpperCase(), cyrillic.toUpperCase());
}

function foldLookalikes(word: string): string {
  let latin = false;
  let cyrillic = false;
  for (let k = 0; k < word.length; k++) {
    const code = word.charCodeAt(k);
    if (code >= 0x400 && code <= 0x52f) cyrillic = true;
    else if (code < 0x100 && LOOKALIKES.has(word[k]!)) latin = true;
  }
  if (!latin || !cyrillic) return word;
  let out = "";
  for (const c of word) out += LOOKALIKES.get(c) ?? c;
  return out;
}

/**
 * Romanisations of one Cyrillic word (case-folded; a capital reads as its lower-case letter):
 * distinct lower-case ASCII forms, primary first, at most 8. A hyphen inside the word is a word
 * boundary for the rules; anything without a rule is dropped.
 */
export function romaniseCyrillic(word: string): string[] {
  const w = foldLookalikes(word);
  return applySchemes(TABLE, BY_LANGUAGE.get(cyrillicLanguage(w))!, w);
}
