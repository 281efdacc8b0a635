// Romanisation of Armenian name words, reformed (Eastern) or classical spelling, in the forms real
// documents use. The tables are data/armenian.json.
//
// The primary form is BGN/PCGN 1981 as Armenian passports apply it: "hovhannes", "pashinyan",
// "yerevan", "gevorg", "mkrtchyan". Then the -ian ending ("petrosian"), Russian-mediated spellings
// ("ovanes", "arutyunyan", "mger"), Western Armenian ones ("hagopian", "kevork"), French ones
// ("aznavourian") and ISO 9985 without diacritics.

import { applySchemes, compileSchemes, pickSchemes, type SchemeTable } from "./_schemes.js";
import table from "./data/armenian.json" with { type: "json" };

const TABLE = compileSchemes(table as SchemeTable);
const SCHEMES = pickSchemes(TABLE, table.order);

/**
 * Romanisations of one Armenian word (case-folded; a capital reads as its lower-case letter):
 * distinct lower-case ASCII forms, primary (BGN/PCGN) first, at most 8. Letters without a rule are
 * dropped.
 */
export function romaniseArmenian(word: string): string[] {
  return applySchemes(TABLE, SCHEMES, word);
}
