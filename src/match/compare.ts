// Comparing two analysed names: token similarity, then an alignment of the tokens of one name
// with those of the other, whatever their order ("KARPOV, Pavel" = "Pavel Karpov"). Family and
// given names are not told apart by position, since the lists disagree on order; instead rare,
// meaningful tokens weigh more than particles, legal forms and generic words, and a name part
// the query has but the list lacks costs more than the reverse (lists add patronymics).

import particles from "../text/data/particles.json" with { type: "json" };
import type { AnalysedName, NameToken, TokenKind } from "../text/names.js";
import { jaroWinkler } from "./jaro.js";

export const COMPARE_DEFAULTS = {
  /** How much each kind of token weighs in a name. */
  weights: {
    word: 1,
    number: 1,
    initial: 0.35,
    particle: 0.15,
    generic: 0.25,
    orgtype: 0.2,
    honorific: 0,
  } satisfies Record<TokenKind, number>,
  /** An unmatched token of the listed name counts for this share of its weight. */
  listExtraWeight: 0.35,
  /** An unmatched token of the query counts for this share of its weight. */
  queryExtraWeight: 1,
  /**
   * Tokens left unmatched on both sides contradict each other (Ahmed where the list says
   * Mohamed): such pairs count this share of both tokens' weight, more than a failed alignment
   * would, since a name part that disagrees says more than one that is missing.
   */
  conflictWeight: 1.5,
  /** A token similarity at this level is worth nothing in the score; 1 is worth everything. */
  evidenceFloor: 0.5,
  /** Token pairs less similar than this are not aligned at all. */
  minTokenSimilarity: 0.72,
  /** Phonetically equal tokens (Double Metaphone) are at least this similar. */
  phoneticSimilarity: 0.88,
  /** …provided their spellings are at least this similar already. */
  phoneticFloor: 0.7,
  /** An initial and a word that starts with it. */
  initialSimilarity: 0.85,
  /** Score ceiling when a single name part matches and either name has more (OFAC FAQ 5). */
  singlePartCeiling: 0.65,
};

export type CompareOptions = typeof COMPARE_DEFAULTS;

// Two rows of the edit-distance table, reused across calls: comparison runs millions of times.
let rowA = new Int32Array(64);
let rowB = new Int32Array(64);

/** For each UTF-16 code unit, the positions it holds in the shorter string (cleared after use). */
const positionsOf = new Int32Array(0x10000);

/**
 * Edit distance (insertions, deletions, substitutions) over UTF-16 code units. When the shorter
 * string fits 32 positions, Myers' bit-vector algorithm (Hyyrö's formulation, 2001): a column of
 * the table a word at a time. Otherwise two rows of the table at a time.
 */
export function levenshtein(a: string, b: string): number {
  if (a === b) return 0;
  if (a.length < b.length) [a, b] = [b, a];
  const n = b.length;
  if (n === 0) return a.length;
  if (n <= 32) return myers(a, b);
  if (rowA.length <= n) {
    rowA = new Int32Array(n * 2);
    rowB = new Int32Array(n * 2);
  }
  let prev = rowA;
  let cur = rowB;
  for (let j = 0; j <= n; j++) prev[j] = j;
  for (let i = 1; i <= a.length; i++) {
    cur[0] = i;
    const ca = a.charCodeAt(i - 1);
    for (let j = 1; j <= n; j++) {
      const sub = (prev[j - 1] as number) + (ca === b.charCodeAt(j - 1) ? 0 : 1);
      const del = (prev[j] as number) + 1;
      const ins = (cur[j - 1] as number) + 1;
      cur[j] = Math.min(sub, del, ins);
    }
    const t = prev;
    prev = cur;
    cur = t;
  }
  return prev[n] as number;
}

/** Edit distance of `a` and `b`, b of 1 to 32 code units, b's column as bit vectors. */
function myers(a: string, b: string): number {
  const m = b.length;
  for (let i = 0; i < m; i++) {
    const k = b.charCodeAt(i);
    positionsOf[k] = (positionsOf[k] as number) | (1 << i);
  }
  const last = 1 << (m - 1);
  let pv = -1;
  let mv = 0;
  let score = m;
  for (let j = 0; j < a.length; j++) {
    const eq = positionsOf[a.charCodeAt(j)] as number;
    const xv = eq | mv;
    const xh = ((((eq & pv) + pv) | 0) ^ pv) | eq;
    let ph = mv | ~(xh | pv);
    let mh = pv & xh;
    if ((ph & last) !== 0) score++;
    else if ((mh & last) !== 0) score--;
    ph = (ph << 1) | 1;
    mh <<= 1;
    pv = mh | ~(xv | ph);
    mv = ph & xv;
  }
  for (let i = 0; i < m; i++) positionsOf[b.charCodeAt(i)] = 0;
  return score;
}

const letterCounts = new Int32Array(0x10000);

/**
 * How many letters two strings share, as multisets: no alignment matches more, so it bounds
 * both Jaro's matches and the edit-distance ratio (distance ≥ longest − shared). -1 when
 * either string has a surrogate pair, where code units are not characters.
 */
function sharedLetters(a: string, b: string): number {
  let shared = 0;
  let astral = false;
  for (let i = 0; i < a.length; i++) {
    const k = a.charCodeAt(i);
    if (k >= 0xd800 && k <= 0xdfff) astral = true;
    letterCounts[k] = (letterCounts[k] as number) + 1;
  }
  for (let i = 0; i < b.length; i++) {
    const k = b.charCodeAt(i);
    if (k >= 0xd800 && k <= 0xdfff) astral = true;
    if ((letterCounts[k] as number) > 0) {
      letterCounts[k] = (letterCounts[k] as number) - 1;
      shared++;
    }
  }
  for (let i = 0; i < a.length; i++) letterCounts[a.charCodeAt(i)] = 0;
  return astral ? -1 : shared;
}

/**
 * A spelling with its letters counted once, as three bitmasks over 32 buckets (a–z each its
 * own bucket, any other character one of six more): bit b of `m1` is set when the spelling
 * has at least one character in bucket b, of `m2` two, of `m3` three. The letters two
 * spellings share is then the population count of the masks' intersections, at no cost per
 * character: exactly when both are a–z with no letter four times (`exact`), and as an upper
 * bound otherwise (characters sharing a bucket may differ), unless a bucket holds four or
 * more or a surrogate pair is present (`unbounded`), where only counting letters will do.
 */
interface Form {
  readonly s: string;
  readonly m1: number;
  readonly m2: number;
  readonly m3: number;
  readonly exact: boolean;
  readonly unbounded: boolean;
  /** First character outside ASCII: a form is compared only with forms in the same script. */
  readonly high: boolean;
  /** The bucket bit of the first character (0 for the empty form). */
  readonly first: number;
}

function formOf(s: string): Form {
  let m1 = 0;
  let m2 = 0;
  let m3 = 0;
  let exact = true;
  let unbounded = false;
  let first = 0;
  for (let i = 0; i < s.length; i++) {
    const k = s.charCodeAt(i);
    let bucket: number;
    if (k >= 97 && k <= 122) bucket = k - 97;
    else {
      exact = false;
      if (k >= 0xd800 && k <= 0xdfff) unbounded = true;
      bucket = 26 + (k % 6);
    }
    const bit = 1 << bucket;
    if (i === 0) first = bit;
    if ((m1 & bit) === 0) m1 |= bit;
    else if ((m2 & bit) === 0) m2 |= bit;
    else if ((m3 & bit) === 0) m3 |= bit;
    else {
      exact = false;
      unbounded = true;
    }
  }
  return { s, m1, m2, m3, exact, unbounded, high: s.charCodeAt(0) > 0x7f, first };
}

function popcount(x: number): number {
  let v = x - ((x >>> 1) & 0x55555555);
  v = (v & 0x33333333) + ((v >>> 2) & 0x33333333);
  return Math.imul((v + (v >>> 4)) & 0x0f0f0f0f, 0x01010101) >>> 24;
}

/** Equal spellings; the masks and length turn away nearly every unequal pair unread. */
const sameForm = (a: Form, b: Form): boolean =>
  a.m1 === b.m1 && a.m2 === b.m2 && a.m3 === b.m3 && a.s.length === b.s.length && a.s === b.s;

/** Whether the letter bound turns a pair away: Jaro-Winkler and the edit ratio cannot reach `floor`. */
function belowFloor(a: string, b: string, shared: number, floor: number): boolean {
  const longest = Math.max(a.length, b.length);
  const jaroBound = (shared / a.length + shared / b.length + 1) / 3;
  let prefix = 0;
  while (
    prefix < 4 &&
    prefix < a.length &&
    prefix < b.length &&
    a.charCodeAt(prefix) === b.charCodeAt(prefix)
  )
    prefix++;
  const jwBound = jaroBound + prefix * 0.1 * (1 - jaroBound);
  return (jwBound + shared / longest) / 2 < floor;
}

/**
 * Similarity of two spellings: the mean of Jaro-Winkler (kind to typos near the end and to
 * shared beginnings) and the edit-distance ratio (strict about how much differs), so that
 * "Scholz"/"Scholze" stay close while "Lukashenko"/"Lukashevich" drift apart. Most pairs a
 * screening meets are nothing alike: an upper bound from the letters they share turns those
 * away before either measure runs, when even the bound cannot reach `floor`.
 */
function formSimilarity(fa: Form, fb: Form, floor: number): number {
  const a = fa.s;
  const b = fb.s;
  if (sameForm(fa, fb)) return 1;
  if (a.length < 3 || b.length < 3) return 0;
  let shared: number;
  if (fa.exact && fb.exact) {
    shared = popcount(fa.m1 & fb.m1) + popcount(fa.m2 & fb.m2) + popcount(fa.m3 & fb.m3);
  } else if (fa.unbounded || fb.unbounded) {
    shared = sharedLetters(a, b);
  } else {
    // An upper bound first: a pair it turns away, the exact count would too.
    const bound = popcount(fa.m1 & fb.m1) + popcount(fa.m2 & fb.m2) + popcount(fa.m3 & fb.m3);
    if (belowFloor(a, b, bound, floor)) return 0;
    shared = sharedLetters(a, b);
  }
  if (shared >= 0 && belowFloor(a, b, shared, floor)) return 0;
  const longest = Math.max(a.length, b.length);
  const jw = jaroWinkler(a, b);
  const bestRatio = 1 - Math.abs(a.length - b.length) / longest;
  if ((jw + bestRatio) / 2 < floor) return 0;
  return (jw + 1 - levenshtein(a, b) / longest) / 2;
}

/**
 * What comparison needs of a token, worked out once: its spellings with their letter masks,
 * and a number naming it in the table of remembered similarities.
 */
interface TokenInfo {
  readonly id: number;
  readonly token: NameToken;
  readonly forms: readonly Form[];
  /** The letters of all the forms at once (each bucket at its most in any form)… */
  readonly all: Letters;
  /** …and of all but the first. */
  readonly rest: Letters;
  /** One bit per form, from its masks and length: tokens with no bit in common share no spelling. */
  readonly spellings: number;
  /** The token's own text as a spelling, for two tokens of one script other than Latin. */
  readonly text: Form;
  /** Similarities to other tokens met so far, this one on the query's side. */
  row: Row | undefined;
}

/** Letter masks of several forms together: bucket counts at their most over the forms. */
interface Letters {
  readonly m1: number;
  readonly m2: number;
  readonly m3: number;
  readonly unbounded: boolean;
  /** The length of the shortest form of three characters or more; 0 when there is none. */
  readonly shortest: number;
  /** The bucket bits of the forms' first characters. */
  readonly firsts: number;
}

function lettersOf(forms: readonly Form[]): Letters {
  let m1 = 0;
  let m2 = 0;
  let m3 = 0;
  let unbounded = false;
  let shortest = 0;
  let firsts = 0;
  for (const f of forms) {
    firsts |= f.first;
    m1 |= f.m1;
    m2 |= f.m2;
    m3 |= f.m3;
    unbounded ||= f.unbounded;
    if (f.s.length >= 3 && (shortest === 0 || f.s.length < shortest)) shortest = f.s.length;
  }
  return { m1, m2, m3, unbounded, shortest, firsts };
}

const spellingBit = (f: Form): number =>
  1 <<
  ((f.m1 ^ Math.imul(f.m2, 0x9e3779b1) ^ Math.imul(f.m3, 0x85ebca6b) ^ Math.imul(f.s.length, 0x27d4eb2d)) >>>
    27);

/**
 * Whether no form of `others` can come within `floor` of `a` (no spelling of either being the
 * same: those were looked for first), so none need be compared. Forms under three characters
 * score 0. Otherwise `formSimilarity`'s own bound, at its most over the forms: with at most s
 * letters shared (counted against the forms' joint letters), a of length la and the other at
 * least lb long, Jaro is at most (min(s, la)/la + min(s, lb)/lb + 1)/3, the prefix bonus at most
 * 0.4 of the rest (none when no form of the other side starts with a's first character), and
 * the edit ratio at most min(s, la)/max(la, lb). A hair below the floor, for rounding.
 */
function hopeless(a: Form, others: Letters, floor: number): boolean {
  const la = a.s.length;
  const lb = others.shortest;
  if (la < 3 || lb === 0) return true;
  if (a.unbounded || others.unbounded) return false;
  const s = popcount(a.m1 & others.m1) + popcount(a.m2 & others.m2) + popcount(a.m3 & others.m3);
  const jaro = (Math.min(s, la) / la + Math.min(s, lb) / lb + 1) / 3;
  const jw = (others.firsts & a.first) === 0 ? jaro : jaro + 0.4 * (1 - jaro);
  return (jw + Math.min(s, la) / Math.max(la, lb)) / 2 < floor - 1e-9;
}

const EMPTY_FORM = formOf("");
let tokenInfos = new WeakMap<NameToken, TokenInfo>();
let nextTokenId = 1;

function infoOf(t: NameToken): TokenInfo {
  let info = tokenInfos.get(t);
  if (!info) {
    const forms = t.forms.map(formOf);
    let spellings = 0;
    for (const f of forms) spellings |= spellingBit(f);
    info = {
      id: nextTokenId++,
      token: t,
      forms,
      all: lettersOf(forms),
      rest: lettersOf(forms.slice(1)),
      spellings,
      text: t.script !== "latin" ? formOf(t.text) : EMPTY_FORM,
      row: undefined,
    };
    tokenInfos.set(t, info);
  }
  return info;
}

/** How alike two tokens are, 0–1, over every pair of their forms. */
export function tokenSimilarity(q: NameToken, c: NameToken, o: CompareOptions = COMPARE_DEFAULTS): number {
  return similarity(infoOf(q), infoOf(c), o);
}

function similarity(qi: TokenInfo, ci: TokenInfo, o: CompareOptions): number {
  const q = qi.token;
  const c = ci.token;
  if (q.kind === "orgtype" || c.kind === "orgtype") {
    if (q.kind !== c.kind) return 0;
    return q.forms[0] === c.forms[0] ? 1 : 0.5;
  }
  if (q.kind === "initial" || c.kind === "initial") {
    const a = q.forms[0] ?? "";
    const b = c.forms[0] ?? "";
    if (q.kind === "initial" && c.kind === "initial") return a === b ? 1 : 0;
    return a[0] === b[0] ? o.initialSimilarity : 0;
  }
  const qf = qi.forms;
  const cf = ci.forms;
  // Equal spellings first: with up to eight forms a side, some pair is often identical.
  if ((qi.spellings & ci.spellings) !== 0) {
    for (const a of qf) for (const b of cf) if (sameForm(a, b)) return 1;
  }
  // Then fuzzy, but not every pair of forms: each side's primary form against all the other's
  // forms (and a form in its own script only against the same script). 16 comparisons, not 64.
  const floor = Math.min(o.minTokenSimilarity, o.phoneticFloor);
  let best = 0;
  const q0 = qf[0] ?? EMPTY_FORM;
  const c0 = cf[0] ?? EMPTY_FORM;
  // Most pairs of tokens have too few letters in common for any of these: one bound per side.
  if (!hopeless(q0, ci.all, floor)) {
    for (const b of cf) {
      const s = q0.high === b.high ? formSimilarity(q0, b, floor) : 0;
      if (s > best) best = s;
    }
  }
  if (qf.length > 1 && !hopeless(c0, qi.rest, floor)) {
    for (let i = 1; i < qf.length; i++) {
      const a = qf[i] as Form;
      const s = a.high === c0.high ? formSimilarity(a, c0, floor) : 0;
      if (s > best) best = s;
    }
  }
  if (q.script === c.script && q.script !== "latin") {
    const s = formSimilarity(qi.text, ci.text, floor);
    if (s > best) best = s;
  }
  // Sounding alike says something for longer words; "john" and "jane" share a key and no more.
  if (best < o.phoneticSimilarity && best >= o.phoneticFloor && sharesKey(q.keys, c.keys)) {
    best = o.phoneticSimilarity;
  }
  return best;
}

function sharesKey(a: readonly string[], b: readonly string[]): boolean {
  for (const k of a) if (b.includes(k)) return true;
  return false;
}

export interface AlignedPair {
  /** Indices into the query name's tokens (two when a joined pair matched one token). */
  readonly q: readonly number[];
  readonly c: readonly number[];
  readonly similarity: number;
}

export interface NameComparison {
  readonly score: number;
  readonly pairs: readonly AlignedPair[];
  /** Set when the single-part rule capped the score. */
  readonly capped: boolean;
}

interface Unit {
  readonly tokens: readonly number[];
  readonly token: NameToken;
  readonly info: TokenInfo;
  /** The unit names someone's father: it follows "bin", "ibn", "ould"… */
  readonly father: boolean;
  /** The unit is the initials of its tokens, compared only with a word spelled the same. */
  readonly acronym?: boolean;
}

/** Particles that say "son/daughter of": the name after one is the father's (nasab). */
const FILIAL = new Set(particles.filial);

/**
 * A name's units, and what the alignment reads of each for every pair, side by side in plain
 * arrays (the units themselves are read only for the pairs that are kept).
 */
interface Units {
  readonly list: readonly Unit[];
  /** Each unit's token number. */
  readonly ids: readonly number[];
  /** Each unit's flags: ACRONYM, FATHER. */
  readonly flags: readonly number[];
  /** Whether a unit names someone's father. */
  readonly father: boolean;
}
const ACRONYM = 1;
const FATHER = 2;

let unitCache = new WeakMap<AnalysedName, Units>();

/**
 * Two adjacent words as one token, interned like single tokens are (names.ts): "abdul rahman"
 * is one object in every name that has it, so its similarities are remembered once.
 */
const joinedTokens = new WeakMap<NameToken, Map<NameToken, NameToken>>();
function joined(t: NameToken, next: NameToken): NameToken {
  let row = joinedTokens.get(t);
  if (!row) {
    row = new Map();
    joinedTokens.set(t, row);
  }
  let j = row.get(next);
  if (!j) {
    // The first few spellings of each side, joined every way (abd+allah, abdul+lah…).
    const forms: string[] = [];
    for (const a of t.forms.slice(0, 3)) for (const b of next.forms.slice(0, 3)) forms.push(`${a}${b}`);
    j = { text: `${t.text}${next.text}`, script: t.script, kind: "word", forms, keys: [] };
    row.set(next, j);
  }
  return j;
}

/**
 * Token similarities remembered per pair. Tokens are interned, and the candidates of one
 * screening share most of their tokens (every "Mohammed", every "Ltd"), as do the screenings
 * of a batch: most comparisons become a lookup. Each query token keeps its own row: an
 * open-addressing table from the other token's number to the similarity, in two plain arrays
 * (small integers and unboxed doubles; typed arrays this small would each cost an external
 * buffer, which the collector counts against the heap), so a lookup is a few integer
 * comparisons in memory the screening has just touched. Bounded; cleared when the options
 * change.
 */
const MAX_SIMILARITIES = 2_000_000;
let remembered = 0;
let rememberedFor: CompareOptions | undefined;
/** The tokens holding a row, so that forgetting can drop them all. */
let withRows: TokenInfo[] = [];

class Row {
  /** Pairs below the alignment floor (most of them): their numbers alone. */
  private below: number[] = new Array<number>(16).fill(0);
  private belowShift = 28;
  private belowSize = 0;
  private belowSlot = 0;
  /** Pairs at or above it, with their similarity. */
  private keys: number[] = new Array<number>(8).fill(0);
  private values: number[] = new Array<number>(8).fill(0.5);
  /** 32 − log2(slots): the slot of a number is the top bits of its Fibonacci hash. */
  private shift = 29;
  private size = 0;
  private slot = 0;

  /**
   * The similarity remembered for token number `c`: 0 for one below the alignment floor
   * (`minTokenSimilarity`, the same for every pair remembered), -1 when none is remembered.
   */
  get(c: number): number {
    const below = this.below;
    let mask = below.length - 1;
    let h = Math.imul(c, 0x9e3779b1) >>> this.belowShift;
    for (;;) {
      const k = below[h] as number;
      if (k === c) return 0;
      if (k === 0) break;
      h = (h + 1) & mask;
    }
    this.belowSlot = h;
    const keys = this.keys;
    mask = keys.length - 1;
    h = Math.imul(c, 0x9e3779b1) >>> this.shift;
    for (;;) {
      const k = keys[h] as number;
      if (k === c) return this.values[h] as number;
      if (k === 0) break;
      h = (h + 1) & mask;
    }
    this.slot = h;
    return -1;
  }

  /** Remembers `c`, just looked up (and not found) with `get`. */
  set(c: number, s: number, floor: number): void {
    if (s < floor) {
      this.below[this.belowSlot] = c;
      this.belowSize++;
      if (this.belowSize * 2 > this.below.length) {
        this.below = this.rehash(this.below, undefined, --this.belowShift);
      }
    } else {
      this.keys[this.slot] = c;
      this.values[this.slot] = s;
      this.size++;
      if (this.size * 2 > this.keys.length) {
        const values = new Array<number>(this.values.length * 2).fill(0.5);
        this.keys = this.rehash(this.keys, values, --this.shift);
        this.values = values;
      }
    }
  }

  /** The numbers in `keys` placed anew in twice the slots (their values, when given, into `into`). */
  private rehash(keys: number[], into: number[] | undefined, shift: number): number[] {
    const out = new Array<number>(keys.length * 2).fill(0);
    const mask = out.length - 1;
    for (let i = 0; i < keys.length; i++) {
      const c = keys[i] as number;
      if (c === 0) continue;
      let h = Math.imul(c, 0x9e3779b1) >>> shift;
      while (out[h] !== 0) h = (h + 1) & mask;
      out[h] = c;
      if (into) into[h] = this.values[i] as number;
    }
    return out;
  }
}

function rowOf(info: TokenInfo): Row {
  let row = info.row;
  if (!row) {
    row = new Row();
    info.row = row;
    withRows.push(info);
  }
  return row;
}

function forget(): void {
  for (const info of withRows) info.row = undefined;
  withRows = [];
  remembered = 0;
}

/**
 * Before a comparison, ahead of reading either name's units: rows hold similarities under these
 * options only, and are bounded; token numbers are renewed before they run out.
 */
function rememberFor(o: CompareOptions): void {
  if (nextTokenId >= TOKEN_NUMBERS) resetTokenIds();
  if (o !== rememberedFor || remembered >= MAX_SIMILARITIES) {
    forget();
    rememberedFor = o;
  }
}

/**
 * Token numbers are never reused while a row may hold them; should they ever run out, every
 * token is numbered afresh and the rows (and the units holding numbers) forgotten. Done between
 * comparisons only, so that no name's units mix old numbers and new (a comparison numbers a few
 * dozen tokens at most, far fewer than the 2^30 left below the small-integer range).
 */
const TOKEN_NUMBERS = 2 ** 30;
function resetTokenIds(): void {
  forget();
  tokenInfos = new WeakMap();
  unitCache = new WeakMap();
  nextTokenId = 1;
}

/** Letters standing for words ("abc" for "A.B.C.", "pla" for "People's Liberation Army"), interned. */
const acronyms = new Map<string, NameToken>();
function acronym(letters: string): NameToken {
  let t = acronyms.get(letters);
  if (!t) {
    t = { text: letters, script: "latin", kind: "word", forms: [letters], keys: [] };
    acronyms.set(letters, t);
  }
  return t;
}

/** Tokens, plus adjacent words joined ("jong" + "un" ↔ "jongun", "abdul" + "rahman"); cached per name. */
function units(name: AnalysedName): Units {
  const hit = unitCache.get(name);
  if (hit) return hit;
  const tokens = name.tokens;
  const out: Unit[] = [];
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i] as NameToken;
    if (t.kind === "honorific") continue;
    const father = i > 0 && FILIAL.has((tokens[i - 1] as NameToken).text);
    out.push({ tokens: [i], token: t, info: infoOf(t), father });
    const next = tokens[i + 1];
    if (
      t.kind === "word" &&
      (next?.kind === "word" || next?.kind === "particle") &&
      t.forms[0] &&
      next.forms[0]
    ) {
      const j = joined(t, next);
      out.push({ tokens: [i, i + 1], token: j, info: infoOf(j), father });
    }
  }
  // Initials written apart stand for one word ("A.B.C." = "ABC"); an organisation's words may be
  // written as their initials ("PLA"). Runs of two to five.
  for (let i = 0; i < tokens.length; i++) {
    let letters = "";
    const run: number[] = [];
    for (let j = i; j < tokens.length && run.length < 5; j++) {
      const t = tokens[j] as NameToken;
      const initial = t.kind === "initial";
      const word = name.person === false && (t.kind === "word" || t.kind === "generic");
      const first = t.forms[0]?.[0];
      if (!(initial || word) || !first || !/[a-z]/.test(first)) break;
      letters += first;
      run.push(j);
      if (run.length >= 2 && (initial || name.person === false)) {
        const a = acronym(letters);
        out.push({ tokens: [...run], token: a, info: infoOf(a), father: false, acronym: true });
      }
    }
  }
  const units: Units = {
    list: out,
    ids: out.map((u) => u.info.id),
    flags: out.map((u) => (u.acronym ? ACRONYM : 0) | (u.father ? FATHER : 0)),
    father: out.some((u) => u.father),
  };
  unitCache.set(name, units);
  return units;
}

const weightOf = (t: NameToken, o: CompareOptions): number => o.weights[t.kind];

/**
 * What a token similarity is worth in the name's score: nothing at the alignment floor, all at
 * identity, linear between. Two spellings 0.9 alike are not "90 % the same name".
 */
const evidence = (similarity: number, o: CompareOptions): number =>
  similarity >= 1 ? 1 : Math.max(0, (similarity - o.evidenceFloor) / (1 - o.evidenceFloor));

// Scratch for one alignment: the candidate pairs (query unit, listed unit, similarity) and
// their order. Reused: compareNames runs for every name of every candidate.
let pairQ = new Int32Array(256);
let pairC = new Int32Array(256);
let pairS = new Float64Array(256);
let pairSpan = new Int32Array(256);
let order = new Int32Array(256);
// Which tokens of each side are aligned (1), for the name being compared.
let usedQ = new Uint8Array(64);
let usedC = new Uint8Array(64);

/** Whether any of a unit's tokens is already aligned. */
const taken = (tokens: readonly number[], used: Uint8Array): boolean => {
  for (const i of tokens) if (used[i] === 1) return true;
  return false;
};

/** Name parts (words, initials, numbers) of a name, and how many of them are in `used`: set by `parts`. */
let partsAll = 0;
let partsHit = 0;
function parts(n: AnalysedName, used: Uint8Array): void {
  let all = 0;
  let hit = 0;
  for (let i = 0; i < n.tokens.length; i++) {
    const k = (n.tokens[i] as NameToken).kind;
    if (k !== "word" && k !== "initial" && k !== "number") continue;
    all++;
    if (used[i] === 1) hit++;
  }
  partsAll = all;
  partsHit = hit;
}

/**
 * Aligns the query's tokens with the listed name's, best pairs first, each token used once,
 * and scores the alignment: matched weight over all weight, where tokens left unmatched count
 * `queryExtraWeight` or `listExtraWeight` of their own, and `conflictWeight` of both when each
 * side has one the other contradicts.
 */
export function compareNames(
  query: AnalysedName,
  listed: AnalysedName,
  o: CompareOptions = COMPARE_DEFAULTS,
): NameComparison {
  const pairs: AlignedPair[] = [];
  const score = align(query, listed, o, pairs);
  return { score, pairs, capped: lastCapped };
}

/** `compareNames(query, listed, o).score`, without writing down the pairs. */
export function nameScore(
  query: AnalysedName,
  listed: AnalysedName,
  o: CompareOptions = COMPARE_DEFAULTS,
): number {
  return align(query, listed, o, undefined);
}

/** Whether the single-part rule capped the last alignment's score. */
let lastCapped = false;

/** The alignment and its score, the pairs pushed onto `pairs` when given. */
function align(
  query: AnalysedName,
  listed: AnalysedName,
  o: CompareOptions,
  pairs: AlignedPair[] | undefined,
): number {
  rememberFor(o);
  const qUnits = units(query);
  const cUnits = units(listed);
  const qu = qUnits.list;
  const cu = cUnits.list;
  if (pairS.length < qu.length * cu.length) {
    const size = qu.length * cu.length * 2;
    pairQ = new Int32Array(size);
    pairC = new Int32Array(size);
    pairS = new Float64Array(size);
    pairSpan = new Int32Array(size);
    order = new Int32Array(size);
  }
  if (usedQ.length < query.tokens.length) usedQ = new Uint8Array(query.tokens.length * 2);
  if (usedC.length < listed.tokens.length) usedC = new Uint8Array(listed.tokens.length * 2);
  usedQ.fill(0, 0, query.tokens.length);
  usedC.fill(0, 0, listed.tokens.length);
  // When both names say whose child someone is, a father's name never stands for a given name:
  // "Ahmad bin Hasan" is the son of Hasan, "Hasan bin Ahmad" his father, perhaps.
  const roles = qUnits.father && cUnits.father;
  const cIds = cUnits.ids;
  const cFlags = cUnits.flags;
  let n = 0;
  for (let qi = 0; qi < qu.length; qi++) {
    const qUnit = qu[qi] as Unit;
    const qFlags = qUnits.flags[qi] as number;
    const row = rowOf(qUnit.info);
    for (let ci = 0; ci < cu.length; ci++) {
      const cf = cFlags[ci] as number;
      if (roles && (qFlags & FATHER) !== (cf & FATHER)) continue;
      let s: number;
      if (((qFlags | cf) & ACRONYM) !== 0) {
        const cUnit = cu[ci] as Unit;
        // Initials only against one word spelled with exactly those letters.
        const letters = qUnit.acronym ? qUnit : cUnit;
        const word = qUnit.acronym ? cUnit : qUnit;
        if (word.acronym || word.tokens.length > 1 || !word.token.forms.includes(letters.token.text))
          continue;
        s = 1;
      } else {
        const cId = cIds[ci] as number;
        s = row.get(cId);
        if (s < 0) {
          s = similarity(qUnit.info, (cu[ci] as Unit).info, o);
          row.set(cId, s, o.minTokenSimilarity);
          remembered++;
        }
        if (s < o.minTokenSimilarity) continue;
      }
      pairQ[n] = qi;
      pairC[n] = ci;
      pairS[n] = s;
      pairSpan[n] = qUnit.tokens.length + (cu[ci] as Unit).tokens.length;
      order[n] = n;
      n++;
    }
  }
  // Best first; among equals, single tokens before joined pairs (they explain more simply).
  // Insertion sort: a handful of pairs.
  for (let i = 1; i < n; i++) {
    const k = order[i] as number;
    let j = i - 1;
    while (j >= 0) {
      const m = order[j] as number;
      const d = (pairS[k] as number) - (pairS[m] as number);
      if (d < 0 || (d === 0 && (pairSpan[k] as number) >= (pairSpan[m] as number))) break;
      order[j + 1] = m;
      j--;
    }
    order[j + 1] = k;
  }
  let matched = 0;
  let total = 0;
  for (let i = 0; i < n; i++) {
    const k = order[i] as number;
    const qt = (qu[pairQ[k] as number] as Unit).tokens;
    const ct = (cu[pairC[k] as number] as Unit).tokens;
    if (taken(qt, usedQ) || taken(ct, usedC)) continue;
    let w = 0;
    for (const t of qt) {
      usedQ[t] = 1;
      w += weightOf(query.tokens[t] as NameToken, o);
    }
    for (const t of ct) {
      usedC[t] = 1;
      w += weightOf(listed.tokens[t] as NameToken, o);
    }
    const similarity = pairS[k] as number;
    pairs?.push({ q: qt, c: ct, similarity });
    matched += w * evidence(similarity, o);
    total += w;
  }
  let extraQ = 0;
  let extraC = 0;
  for (let i = 0; i < query.tokens.length; i++) {
    if (usedQ[i] === 0) extraQ += weightOf(query.tokens[i] as NameToken, o);
  }
  for (let i = 0; i < listed.tokens.length; i++) {
    if (usedC[i] === 0) extraC += weightOf(listed.tokens[i] as NameToken, o);
  }
  const conflict = o.conflictWeight > 0 ? Math.min(extraQ, extraC) : 0;
  total +=
    2 * conflict * o.conflictWeight +
    (extraQ - conflict) * o.queryExtraWeight +
    (extraC - conflict) * o.listExtraWeight;
  let score = total > 0 ? matched / total : 0;

  // One matching name part is not a match (OFAC FAQ 5): for persons, with more parts on either
  // side, a lone aligned part caps the score below any sensible threshold. Organisation names
  // are left to the weights: "Deutsche Bank AG" against "Deutsche Bank (Schweiz) AG".
  parts(query, usedQ);
  const qParts = partsAll;
  const qHit = partsHit;
  parts(listed, usedC);
  const cParts = partsAll;
  const cHit = partsHit;
  const matchedParts = Math.max(qHit, cHit);
  const person = listed.person ?? query.person ?? true;
  const capped = person && matchedParts <= 1 && (qParts > 1 || cParts > 1) && score > o.singlePartCeiling;
  if (capped) score = o.singlePartCeiling;
  if (matchedParts === 0) score = Math.min(score, 0.3);
  lastCapped = capped;
  return score;
}
