// Romanisation of Georgian name words (Mkhedruli; Mtavruli capitals and the old Asomtavruli and
// Nuskhuri letters are read as their Mkhedruli twins) in the forms real documents use. The tables
// are data/georgian.json.
//
// The primary form is the national system of 2002 (Georgian passports, BGN/PCGN since 2009):
// "shevardnadze", "saakashvili", "gvinianidze", "qaralashvili". Then ყ as "k" ("karalashvili"),
// Russian-mediated spellings ("dzhugashvili"), German ("schewardnadse"), French ("chevardnadze")
// and ISO 9984 without diacritics.

import { applySchemes, compileSchemes, pickSchemes, type SchemeTable } from "./_schemes.js";
import table from "./data/georgian.json" with { type: "json" };

const TABLE = compileSchemes(table as SchemeTable);
const SCHEMES = pickSchemes(TABLE, table.order);

/**
 * Mtavruli capitals, and the old Asomtavruli and Nuskhuri letters, sit at fixed offsets from their
 * Mkhedruli twins (Unicode keeps the three in the same order).
 */
function mkhedruliCode(code: number): number {
  if (code >= 0x1c90 && code <= 0x1cbf) return code - 0x1c90 + 0x10d0;
  if (code >= 0x10a0 && code <= 0x10c5) return code - 0x10a0 + 0x10d0;
  if (code >= 0x2d00 && code <= 0x2d25) return code - 0x2d00 + 0x10d0;
  return code;
}

function toMkhedruli(word: string): string {
  let k = 0;
  while (k < word.length && mkhedruliCode(word.charCodeAt(k)) === word.charCodeAt(k)) k++;
  if (k === word.length) return word;
  let out = word.slice(0, k);
  for (; k < word.length; k++) out += String.fromCharCode(mkhedruliCode(word.charCodeAt(k)));
  return out;
}

/**
 * Romanisations of one Georgian word (case-folded; a capital reads as its lower-case letter):
 * distinct lower-case ASCII forms, primary (national system) first, at most 8. Letters without
 * a rule are dropped.
 */
export function romaniseGeorgian(word: string): string[] {
  return applySchemes(TABLE, SCHEMES, toMkhedruli(word));
}
