// Romanisation of Greek name words (monotonic and polytonic spelling) in the spellings real
// documents use. The tables are data/greek.json; this module folds accents first, keeping what
// they say about vowel pairs, then applies the schemes in order.
//
// The primary form is ELOT 743 (Greek passports, UN, ISO 843 type 2): "papadopoulos",
// "georgios", "evangelos", "efthymios", "bakogianni", "dora". Then popular English spellings
// ("yeorgios", "yiannis", "panayiotis", "angelopoulos"), phonetic ones ("hristos", "kiriakos",
// "yanis", "irini"), BGN/PCGN 1962 ("khristos"), classical and Cypriot ones ("demetrios",
// "philippos", "nicos", "anastasiades", "economou") and ISO 843 transliteration ("papadopoylos").

import { applySchemes, compileSchemes, pickSchemes, type SchemeTable } from "./_schemes.js";
import table from "./data/greek.json" with { type: "json" };

const TABLE = compileSchemes(table as SchemeTable);
const SCHEMES = pickSchemes(TABLE, table.order);

interface Folded {
  readonly base: string;
  /** The letter carried an accent (tonos, oxia, varia or perispomeni). */
  readonly accented: boolean;
}

/** Every accented Greek letter → its bare lower-case letter; ϊ and ϋ keep their diaeresis. */
const FOLD: ReadonlyMap<string, Folded> = (() => {
  const map = new Map<string, Folded>();
  const add = (from: number, to: number) => {
    for (let cp = from; cp <= to; cp++) {
      const ch = String.fromCodePoint(cp);
      const parts = ch.normalize("NFD").toLowerCase();
      if (parts.length < 2) continue;
      const letter = parts[0]!;
      if (letter < "\u0370" || letter > "\u03ff") continue;
      const diaeresis = parts.includes("\u0308");
      const base = diaeresis && letter === "ι" ? "ϊ" : diaeresis && letter === "υ" ? "ϋ" : letter;
      const accented = /[\u0300\u0301\u0342]/.test(parts);
      if (base !== ch) map.set(ch, { base, accented });
    }
  };
  add(0x370, 0x3ff);
  add(0x1f00, 0x1fff);
  return map;
})();

const DIPHTHONG_FIRST = new Set("αεοη");

/**
 * Accents removed. An accent on the first of two vowels marks them as two syllables (Λάιος,
 * κορόιδο); the second then takes a diaeresis so that no digraph rule joins them.
 */
function foldAccents(word: string): string {
  let any = false;
  for (let k = 0; k < word.length; k++) {
    if (FOLD.has(word[k]!)) {
      any = true;
      break;
    }
  }
  if (!any) return word;
  let out = "";
  let prevAccentedVowel = false;
  for (let k = 0; k < word.length; k++) {
    const ch = word[k]!;
    const f = FOLD.get(ch);
    let c = f ? f.base : ch;
    if (prevAccentedVowel && !f) {
      if (c === "ι") c = "ϊ";
      else if (c === "υ") c = "ϋ";
    }
    prevAccentedVowel = f?.accented === true && DIPHTHONG_FIRST.has(c);
    out += c;
  }
  return out;
}

/**
 * Romanisations of one Greek word (case-folded; a capital reads as its lower-case letter):
 * distinct lower-case ASCII forms, primary (ELOT 743) first, at most 8. Letters without a rule are
 * dropped.
 */
export function romaniseGreek(word: string): string[] {
  return applySchemes(TABLE, SCHEMES, foldAccents(word));
}
