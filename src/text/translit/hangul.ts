// Hangul (Korean) names → lower-case ASCII. Owns romaniseHangul (variants for one name token)
// and splitKoreanName (where the surname ends in a name written as one token, 김정은 → 김 | 정은).
//
// Syllables (U+AC00–U+D7A3) decompose arithmetically into initial, medial and final jamo; each
// syllable is written in four ways (values in data/hangul-jamo.json):
//   - Revised Romanization, syllable by syllable as its rules for personal names require
//     (Gim Jeongeun, Han Boknam); initial ㄹ is r, ㄹㄹ is ll;
//   - McCune–Reischauer without breves or apostrophes: ㄱ ㄷ ㅂ ㅈ voiceless at the start of a
//     name part and after k t p, voiced (g d b j) after a vowel or n l m ng; ㄹ is l after ㄹ or ㄴ
//     (which becomes l too), n after other consonants; k t p finals become ng n m before ㄴ ㅁ;
//     ㅅ before i is sh (Kim Chongun, Choe Ryonghae);
//   - the DPRK's practice on sanctions lists: every syllable written as if word-initial, j for ㅈ,
//     r for ㄹ, th kh ph for aspirates (Kim Jongun, Jang Songthaek, Ri Yongho);
//   - common South Korean spellings: ㅓ as u and ㅕ as yu in closed syllables (Jung, Sung, Hyun,
//     Chul), ㅜ as oo (Soo, Joon), 영 as young, ㅢ as ee (Hee), and the South's initial-sound law
//     at the start of a part (리 → Yi, 룡 → Yong, 녀 → Yeo).
// A part's variants are these schemes joined, then mixtures by syllable, best first (Jae-gyong
// mixes DPRK j with MR voicing). Surnames come from a table of usual spellings
// (data/hangul-surnames.json: 김 kim/gim, 이 lee/yi/rhee/ri, 박 park/pak/bak …) ahead of the
// computed forms. A token holding a whole name gives scheme-consistent joined forms, surname first
// and, for the DPRK reading, given name first too (Yong Chol KIM), then mixtures.
import jamoData from "./data/hangul-jamo.json" with { type: "json" };
import surnameData from "./data/hangul-surnames.json" with { type: "json" };

const MAX_VARIANTS = 8;
const MAX_MIXED_SYLLABLES = 6;
const SURNAMES = new Map<string, string[]>(Object.entries(surnameData.surnames));
const { initials: I, medials: V, finals: T } = jamoData;

const S_BASE = 0xac00;
const S_LAST = 0xd7a3;
const V_COUNT = 21;
const T_COUNT = 28;

// Jamo indices used by the sound rules.
const L_N = 2; // ㄴ
const L_M = 6; // ㅁ
const L_R = 5; // ㄹ
const L_S = 9; // ㅅ
const L_NONE = 11; // ㅇ (no initial sound)
const L_VOICED_IN_MR = new Set([0, 3, 7, 12]); // ㄱ ㄷ ㅂ ㅈ
const V_I_LIKE = new Set([2, 3, 6, 7, 12, 17, 20]); // ㅑ ㅒ ㅕ ㅖ ㅛ ㅠ ㅣ: y-vowels and i
const V_YEO = 6; // ㅕ
const V_U = 13; // ㅜ
const V_WI = 16; // ㅟ
const V_I = 20; // ㅣ
const T_NONE = 0;
const T_N = 4; // ㄴ
const T_L = 8; // ㄹ
const T_NG = 21; // ㅇ

interface Syllable {
  l: number;
  v: number;
  t: number;
  text: string;
}

function syllablesOf(word: string): Syllable[] {
  const out: Syllable[] = [];
  for (const ch of word) {
    const c = ch.codePointAt(0)!;
    if (c < S_BASE || c > S_LAST) continue;
    const s = c - S_BASE;
    out.push({
      l: Math.floor(s / (V_COUNT * T_COUNT)),
      v: Math.floor(s / T_COUNT) % V_COUNT,
      t: s % T_COUNT,
      text: ch,
    });
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// One syllable in each scheme, given its neighbours within the name part

function rr(syls: readonly Syllable[], i: number): string {
  const s = syls[i]!;
  const prev = syls[i - 1];
  const initial = s.l === L_R && prev?.t === T_L ? "l" : I.rr[s.l]!;
  return initial + V.rr[s.v]! + T.rr[s.t]!;
}

/** The finals whose sound counts as voiced for McCune–Reischauer (n, l, m, ng). */
const voicedFinal = (t: number): boolean =>
  t === T_NONE || T.rr[t] === "n" || T.rr[t] === "l" || T.rr[t] === "m" || T.rr[t] === "ng";

function mr(syls: readonly Syllable[], i: number): string {
  const s = syls[i]!;
  const prev = syls[i - 1];
  const next = syls[i + 1];
  let initial: string;
  if (!prev) initial = I.mrInitial[s.l]!;
  else if (s.l === L_R) initial = prev.t === T_NONE ? "r" : prev.t === T_L || prev.t === T_N ? "l" : "n";
  else if (s.l === L_N && prev.t === T_L) initial = "l";
  else initial = L_VOICED_IN_MR.has(s.l) && voicedFinal(prev.t) ? I.mrVoiced[s.l]! : I.mrInitial[s.l]!;
  if (s.l === L_S && (s.v === V_I || s.v === V_WI)) initial = "sh";
  let final = T.rr[s.t]!;
  if (next && (next.l === L_N || next.l === L_M || next.l === L_R)) {
    // Nasal assimilation before ㄴ ㅁ (and ㄹ, itself read n): k → ng, t → n, p → m; n → l before ㄹ.
    if (final === "k") final = "ng";
    else if (final === "t") final = "n";
    else if (final === "p") final = "m";
    else if (final === "n" && next.l === L_R) final = "l";
  }
  return initial + V.mr[s.v]! + final;
}

function dprk(syls: readonly Syllable[], i: number): string {
  const s = syls[i]!;
  return I.dprk[s.l]! + V.mr[s.v]! + T.rr[s.t]!;
}

function popular(syls: readonly Syllable[], i: number, initialLaw: boolean): string {
  const s = syls[i]!;
  let l = s.l;
  if (initialLaw && i === 0 && (l === L_R || l === L_N)) l = V_I_LIKE.has(s.v) ? L_NONE : L_N;
  if (l === L_NONE && s.v === V_YEO && s.t === T_NG) return "young";
  let initial = I.popular[l]!;
  if (l === L_S && (V_I_LIKE.has(s.v) || s.v === V_WI)) initial = "sh";
  if (l === L_NONE && s.v === V_U) initial = "w";
  const vowel = s.t === T_NONE ? V.popularOpen[s.v]! : V.popularClosed[s.v]!;
  return initial + vowel + T.popular[s.t]!;
}

// ---------------------------------------------------------------------------------------------
// Parts and combinations

/** Joins one choice per part, ordered by the sum of the choices' ranks; distinct, at most max. */
function combine(parts: readonly (readonly string[])[], max: number): string[] {
  const out: string[] = [];
  const idx = new Array<number>(parts.length).fill(0);
  const maxRank = parts.reduce((n, p) => n + p.length - 1, 0);
  const visit = (i: number, left: number): void => {
    if (out.length >= max) return;
    const part = parts[i]!;
    if (i === parts.length - 1) {
      if (left >= part.length) return;
      idx[i] = left;
      let s = "";
      for (let j = 0; j < parts.length; j++) s += parts[j]![idx[j]!]!;
      if (!out.includes(s)) out.push(s);
      return;
    }
    for (let r = 0; r <= left && r < part.length; r++) {
      idx[i] = r;
      visit(i + 1, left - r);
    }
  };
  for (let total = 0; total <= maxRank && out.length < max; total++) visit(0, total);
  return out;
}

function distinct(lists: readonly (readonly string[])[], max: number): string[] {
  const out: string[] = [];
  for (const list of lists) for (const s of list) if (s && out.length < max && !out.includes(s)) out.push(s);
  return out;
}

interface PartForms {
  rr: string;
  mr: string;
  dprk: string;
  pop: string;
  all: string[];
}

/** A name part (surname or given name): the schemes joined, then mixtures by syllable. */
function partForms(syls: readonly Syllable[], max: number): PartForms {
  const joined = ["", "", "", "", "", ""];
  const perSyllable: string[][] = [];
  // The South's initial-sound law, applied to popular and to MR spellings: 녕변 → Yongbyon.
  const head = syls[0];
  const lawSyls =
    head && (head.l === L_R || head.l === L_N)
      ? [{ ...head, l: V_I_LIKE.has(head.v) ? L_NONE : L_N }, ...syls.slice(1)]
      : syls;
  for (let i = 0; i < syls.length; i++) {
    const forms = [
      rr(syls, i),
      mr(syls, i),
      dprk(syls, i),
      popular(syls, i, false),
      popular(syls, i, true),
      mr(lawSyls, i),
    ];
    for (let k = 0; k < forms.length; k++) joined[k] = joined[k]! + forms[k]!;
    perSyllable.push(distinct([forms], forms.length));
  }
  // Mixtures only for name-sized parts: a long token is not a name, and the mixing recurses
  // once per syllable.
  const mixes = syls.length <= MAX_MIXED_SYLLABLES ? combine(perSyllable, max) : [];
  const all = distinct([joined, mixes], max);
  return { rr: joined[0]!, mr: joined[1]!, dprk: joined[2]!, pop: joined[3]!, all };
}

/** A surname: the table's spellings, then the computed ones. */
function surnameForms(syls: readonly Syllable[]): { forms: PartForms; all: string[] } {
  const listed = SURNAMES.get(syls.map((s) => s.text).join("")) ?? [];
  const forms = partForms(syls, MAX_VARIANTS);
  return { forms, all: distinct([listed, forms.all], MAX_VARIANTS) };
}

/**
 * A whole name: the usual surname spelling with the given name in RR, the DPRK's and MR's
 * readings of both parts, the usual surname with popular spelling, the DPRK reading given name
 * first, RR throughout; then mixtures; a two-syllable token also as one given name (정은).
 */
function wholeName(syls: readonly Syllable[], cut: number): string[] {
  const surname = surnameForms(syls.slice(0, cut));
  const given = partForms(syls.slice(cut), MAX_VARIANTS);
  const usual = surname.all[0]!;
  const schemes = [
    usual + given.rr,
    surname.forms.dprk + given.dprk,
    surname.forms.mr + given.mr,
    usual + given.pop,
    given.dprk + surname.forms.dprk,
    surname.forms.rr + given.rr,
  ];
  const asGivenName = syls.length === 2 ? partForms(syls, 2).all : [];
  const mixes = combine([surname.all.slice(0, 4), given.all.slice(0, 6)], MAX_VARIANTS);
  return distinct([schemes, asGivenName, mixes, [given.rr + usual]], MAX_VARIANTS);
}

/**
 * The number of syllables of the surname at the start of a Korean name written as one token
 * (김정은 → 1, 남궁민 → 2), or 0 when the token is not a 2–4 syllable name starting with a
 * listed surname (a surname alone such as 황보 gives 0 too). Two-syllable tokens are ambiguous
 * (정은 is a given name, 장철 a whole name).
 */
export function splitKoreanName(word: string): number {
  const syls = syllablesOf(word);
  if (syls.length < 2 || syls.length > 4 || SURNAMES.has(syls.map((s) => s.text).join(""))) return 0;
  if (syls.length >= 3 && SURNAMES.has(syls[0]!.text + syls[1]!.text)) return 2;
  return SURNAMES.has(syls[0]!.text) ? 1 : 0;
}

const CACHE_LIMIT = 50_000;
const cache = new Map<string, string[]>();

/**
 * Romanisations of one Korean name token (a surname 김, a given name 정은, or a whole name
 * 김정은), lower-case ASCII [a-z], distinct, at most 8, the Revised Romanization (or, for a
 * surname, its usual spelling) first; [] when the word holds no Hangul syllable. The returned
 * array is shared and frozen.
 */
export function romaniseHangul(word: string): string[] {
  const hit = cache.get(word);
  if (hit) return hit;
  const syls = syllablesOf(word);
  let out: string[] = [];
  if (syls.length > 0) {
    const cut = splitKoreanName(word);
    if (cut > 0) out = wholeName(syls, cut);
    else if (syls.length <= 2 && SURNAMES.has(syls.map((x) => x.text).join(""))) out = surnameForms(syls).all;
    else out = partForms(syls, MAX_VARIANTS).all;
  }
  Object.freeze(out);
  if (cache.size >= CACHE_LIMIT) cache.clear();
  cache.set(word, out);
  return out;
}

/**
 * The few spellings of a name part read from another script (Hanja): a surname's usual
 * spellings, or a given name's Revised Romanization, DPRK, McCune–Reischauer and popular forms,
 * without the syllable mixtures romaniseHangul adds, since other readings share the token's slots.
 */
export function hangulSchemeForms(word: string): string[] {
  const syls = syllablesOf(word);
  if (syls.length === 0) return [];
  if (syls.length <= 2 && SURNAMES.has(word)) return surnameForms(syls).all;
  const p = partForms(syls, 1);
  return distinct([[p.rr, p.dprk, p.mr, p.pop]], 4);
}
