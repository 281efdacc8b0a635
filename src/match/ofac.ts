// The `ofac` algorithm: an emulation of the score shown by OFAC's Sanctions List Search (SLS,
// sanctionssearch.ofac.treas.gov), so an analyst can see what OFAC's own tool would say about a
// name pair. It reproduces the tool, quirks included; it is not our best matcher (`default` is).
//
// What OFAC documents (FAQ 249): candidates share a first letter and are at least 50% similar;
// the score is the higher of (1) Jaro-Winkler on the whole name and (2) a composite of per-name-
// part comparisons with Jaro-Winkler and Soundex. What is not documented was recovered from
// scores the tool returns (public reverse engineering: opensanctions/nomenklatura's OFAC matcher
// notes, moov-io/watchman issue 115) and from the string library an ASP.NET tool of its era used:
//
//   0. Normalisation: upper case; diacritics dropped (the list is written in ASCII);
//      control characters and runs of white space become one space; names are cut at
//      OFAC_SETTINGS.maxLength characters.
//   1. Whole name: the query as typed against the list's name as written ("KADYROV, RAMZAN",
//      punctuation kept), only when both start with the same character — so "RAMZAN KADYROV"
//      gets nothing from this technique against "KADYROV, Ramzan", and "KADYROV RAMZAN" does.
//   2. Name parts: split at every character that is not a letter or digit; apostrophes and
//      periods are dropped first (WA'EL → WAEL, J.P. → JP). Query parts of one or two characters
//      are set aside unless nothing else is left (KIM JONG UN compares as KIM JONG). Each query
//      part takes its best-scoring part of the candidate, in any order; a pair under 0.5 counts
//      as 0 (FAQ 249's "at least 50% similar") unless the two parts share a Soundex code. The
//      composite is the mean over the query's parts, so extra parts of the listed name cost
//      nothing ("KADYROV, Ramzan Akhmatovich" scores 100 for RAMZAN KADYROV).
//   3. Jaro-Winkler as SimMetrics computes it: prefix bonus over up to 6 characters and with no
//      0.7 threshold (Winkler's paper uses 4 and 0.7); this lifts long listed names that share
//      the query's first word, as the tool's scores show.
//   4. Score = max(1, 2), shown as OFAC shows it: whole points (0.87, not 0.8694).
//
// Parity against 107 scores captured from the tool is measured by eval/ofac-parity.ts.

import { jaroWinkler } from "./jaro.js";
import { soundex } from "./soundex.js";

/** Every tunable of the emulation, declared once. */
export const OFAC_SETTINGS = {
  /** Winkler's prefix scale p. */
  prefixScale: 0.1,
  /** Longest common prefix rewarded (SimMetrics' MINPREFIXTESTLENGTH; Winkler's paper: 4). */
  prefixMax: 6,
  /** Jaro score needed before the prefix bonus applies (SimMetrics: none; Winkler's paper: 0.7). */
  boostThreshold: 0,
  /** A name-part pair scoring under this counts as no match (FAQ 249: "at least 50% similar"). */
  partFloor: 0.5,
  /** Query parts this short or shorter are set aside while longer ones remain. */
  shortPart: 2,
  /** Longer names are cut here (our bound on work per pair; the tool's own limit is unknown). */
  maxLength: 256,
} as const;

/** A name prepared once for comparison (at index time for list names, once per query). */
export interface OfacName {
  /** The name as given. */
  readonly text: string;
  /** Whole-name form: upper case, punctuation as written. Empty when there is nothing to compare. */
  readonly whole: string;
  /** Name parts, in order. */
  readonly parts: readonly string[];
  /** Soundex code of each part ("" for a part without Latin letters). */
  readonly codes: readonly string[];
  /** Indexes of the parts compared when this name is the query (short parts set aside). */
  readonly scored: readonly number[];
  /** True when the name was cut at maxLength. */
  readonly cut: boolean;
}

export interface OfacScore {
  /** OFAC's 0–100 score / 100, in whole points. */
  score: number;
  /** How the score came about, in words. */
  detail: string;
}

const S = OFAC_SETTINGS;
const NON_ASCII = /[\u0080-\uffff]/;
const MARKS = /\p{M}+/gu;
const ALNUM = /^[\p{L}\p{N}]$/u;

function jw(a: string, b: string): number {
  return jaroWinkler(a, b, S.prefixScale, S.boostThreshold, S.prefixMax);
}

/** Letter or digit. */
function isAlnum(c: number, ch: string): boolean {
  if (c < 128) return (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
  return ALNUM.test(ch);
}

/** White space and control / format characters: separators in every form of the name. */
function isBlank(c: number): boolean {
  return (
    c <= 32 ||
    (c >= 0x7f && c <= 0xa0) ||
    c === 0x1680 ||
    (c >= 0x2000 && c <= 0x200f) ||
    (c >= 0x2028 && c <= 0x202f) ||
    (c >= 0x205f && c <= 0x206f) ||
    c === 0x3000 ||
    c === 0xfeff
  );
}

/** Apostrophes and periods vanish inside name parts (O'BRIEN → OBRIEN, J.P. → JP). */
function isDropped(c: number): boolean {
  return (
    c === 39 ||
    c === 46 ||
    c === 96 ||
    c === 0xb4 ||
    c === 0x2bb ||
    c === 0x2bc ||
    c === 0x2018 ||
    c === 0x2019
  );
}

/** Prepares a name for `ofacSimilarity` / `ofacExplain`. */
export function prepareOfacName(text: string): OfacName {
  const cut = text.length > S.maxLength;
  let s = cut ? text.slice(0, S.maxLength) : text;
  if (NON_ASCII.test(s)) s = s.normalize("NFKD").replace(MARKS, "").normalize("NFC");
  s = s.toUpperCase();

  let whole = "";
  let part = "";
  const parts: string[] = [];
  let pendingSpace = false;
  let wholeEnd = 0;
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    const alnum = isAlnum(c, ch);
    if (isBlank(c)) {
      if (whole.length > 0) pendingSpace = true;
    } else if (alnum || whole.length > 0) {
      if (pendingSpace) whole += " ";
      pendingSpace = false;
      whole += ch;
      if (alnum) wholeEnd = whole.length;
    }
    if (alnum) part += ch;
    else if (!isDropped(c) && part.length > 0) {
      parts.push(part);
      part = "";
    }
  }
  if (part.length > 0) parts.push(part);
  whole = whole.slice(0, wholeEnd);

  const scored: number[] = [];
  for (let i = 0; i < parts.length; i++) if (parts[i]!.length > S.shortPart) scored.push(i);
  if (scored.length === 0) for (let i = 0; i < parts.length; i++) scored.push(i);
  return { text, whole, parts, codes: parts.map(soundex), scored, cut };
}

/** Whole-name technique: Jaro-Winkler when the first characters agree, else 0. */
function wholeScore(q: OfacName, c: OfacName): number {
  if (q.whole.length === 0 || c.whole.length === 0) return 0;
  if (q.whole.codePointAt(0) !== c.whole.codePointAt(0)) return 0;
  return jw(q.whole, c.whole);
}

/** Score of one query part against one candidate part, after the floor and Soundex rescue. */
function pairScore(q: OfacName, qi: number, c: OfacName, ci: number): number {
  const s = jw(q.parts[qi]!, c.parts[ci]!);
  if (s >= S.partFloor) return s;
  const code = q.codes[qi]!;
  return code !== "" && code === c.codes[ci] ? s : 0;
}

/** Name-part technique: mean over the query's scored parts of their best candidate part. */
function partsScore(q: OfacName, c: OfacName): number {
  if (q.scored.length === 0 || c.parts.length === 0) return 0;
  let sum = 0;
  for (const qi of q.scored) {
    let best = 0;
    for (let ci = 0; ci < c.parts.length && best < 1; ci++) {
      const s = pairScore(q, qi, c, ci);
      if (s > best) best = s;
    }
    sum += best;
  }
  return sum / q.scored.length;
}

/** Whole points, as the tool shows them. */
function points(x: number): number {
  return Math.round(x * 100) / 100;
}

/** The emulated SLS score of two prepared names, in [0, 1] (hot path: no explanation). */
export function ofacSimilarity(query: OfacName, candidate: OfacName): number {
  return points(Math.max(wholeScore(query, candidate), partsScore(query, candidate)));
}

const f2 = (x: number): string => x.toFixed(2);
/** A name part as shown in an explanation: long ones are shortened. */
const shown = (part: string): string => (part.length > 24 ? `${part.slice(0, 23)}…` : part);

/** The emulated SLS score of two prepared names with the explanation. */
export function ofacExplain(q: OfacName, c: OfacName): OfacScore {
  if (q.parts.length === 0 || c.parts.length === 0) {
    const which = q.parts.length === 0 ? "query" : "candidate";
    return { score: 0, detail: `no letters or digits in the ${which} name: nothing to compare` };
  }
  const notes: string[] = [];
  const whole = wholeScore(q, c);
  if (whole > 0) notes.push(`whole name JW ${f2(whole)}`);
  else {
    const a = String.fromCodePoint(q.whole.codePointAt(0)!);
    const b = String.fromCodePoint(c.whole.codePointAt(0)!);
    notes.push(`whole name not compared (first letters ${a}≠${b})`);
  }

  const pairs: string[] = [];
  let sum = 0;
  for (const qi of q.scored) {
    let best = 0;
    let bestAt = -1;
    let raw = 0;
    let rawAt = 0;
    for (let ci = 0; ci < c.parts.length; ci++) {
      const r = jw(q.parts[qi]!, c.parts[ci]!);
      if (r > raw) [raw, rawAt] = [r, ci];
      const s = pairScore(q, qi, c, ci);
      if (s > best) [best, bestAt] = [s, ci];
    }
    sum += best;
    const qp = shown(q.parts[qi]!);
    if (bestAt < 0) {
      pairs.push(raw > 0 ? `${qp}~${shown(c.parts[rawAt]!)} ${f2(raw)}→0` : `${qp}~nothing`);
    } else {
      const sx = best < S.partFloor ? ` (Soundex ${q.codes[qi]})` : "";
      pairs.push(`${qp}~${shown(c.parts[bestAt]!)} ${f2(best)}${sx}`);
    }
  }
  const parts = sum / q.scored.length;
  notes.push(`best part-wise ${f2(parts)} (${pairs.join(", ")})`);

  const setAside = q.parts.filter((_, i) => !q.scored.includes(i));
  if (setAside.length > 0) {
    notes.push(`${setAside.map(shown).join(" ")} set aside (≤${S.shortPart} characters)`);
  }
  if (q.cut || c.cut) notes.push(`names cut at ${S.maxLength} characters`);
  const score = points(Math.max(whole, parts));
  if (score < 0.5) notes.push("under 50: the tool would not list it");
  return { score, detail: notes.join("; ") };
}

let lastQuery: OfacName | undefined;

/**
 * OFAC's Sanctions List Search score for a query name against a listed name, in [0, 1]
 * (OFAC's 0–100 / 100), with a short explanation. For the list side, pass the name as the list
 * writes it ("KADYROV, Ramzan"): the whole-name technique compares the names as written.
 */
export function ofacScore(query: string, candidate: string): OfacScore {
  if (lastQuery?.text !== query) lastQuery = prepareOfacName(query);
  return ofacExplain(lastQuery, prepareOfacName(candidate));
}
