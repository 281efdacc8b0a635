// American Soundex (the U.S. National Archives' rule, as used in census indexes): a word's first
// letter followed by three digits for the consonant sounds after it.
//
//   1. Letters only: case is ignored, Latin diacritics are dropped (É → E), anything that is not
//      then a letter A–Z is skipped. A word with no such letter has no code ("").
//   2. Keep the first letter. Code the rest: B F P V → 1; C G J K Q S X Z → 2; D T → 3; L → 4;
//      M N → 5; R → 6; vowels A E I O U Y → none.
//   3. Adjacent letters with the same digit are coded once, and so are two letters with the same
//      digit on either side of H or W; a vowel between them makes them count twice. The first
//      letter takes part in this (Pfister → P236, not P123).
//   4. Pad with zeros or cut to three digits.
// The letter table is soundex.json.

import rules from "./soundex.json" with { type: "json" };

/** Digit per letter A..Z; 0 marks a vowel (separates), -1 marks H and W (transparent). */
const CODES = new Int8Array(26);
for (const [digit, letters] of Object.entries(rules.digits)) {
  for (const letter of letters) CODES[letter.charCodeAt(0) - 65] = Number(digit);
}
for (const letter of rules.transparent) CODES[letter.charCodeAt(0) - 65] = -1;

const COMBINING_MARKS = /\p{M}+/gu;

/** Index 0–25 of an ASCII letter of either case, or -1. */
function letterIndex(c: number): number {
  if (c >= 65 && c <= 90) return c - 65;
  if (c >= 97 && c <= 122) return c - 97;
  return -1;
}

/** American Soundex code of one word ("Robert" → "R163"), or "" when it has no letter A–Z. */
export function soundex(word: string): string {
  for (let i = 0; i < word.length; i++) {
    if (word.charCodeAt(i) > 127) {
      word = word.normalize("NFD").replace(COMBINING_MARKS, "");
      break;
    }
  }
  let i = 0;
  let first = -1;
  while (i < word.length && (first = letterIndex(word.charCodeAt(i++))) < 0);
  if (first < 0) return "";
  let code = String.fromCharCode(65 + first);
  let last = CODES[first]!;
  let digits = 0;
  for (; i < word.length && digits < 3; i++) {
    const x = letterIndex(word.charCodeAt(i));
    if (x < 0) continue;
    const d = CODES[x]!;
    if (d === -1) continue;
    if (d !== 0 && d !== last) {
      code += d;
      digits++;
    }
    last = d;
  }
  return digits === 3 ? code : code + "000".slice(digits);
}
