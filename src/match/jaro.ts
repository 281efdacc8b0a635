// Jaro and Jaro-Winkler string similarity (Jaro 1989; Winkler 1990, as in the Census Bureau's
// strcmp95), over Unicode code points. Case and normalisation are the caller's: these compare
// code points as given. Both strings are copied into module-level code-point buffers, so a call
// allocates nothing and astral characters (a surrogate pair) count as one character.
//
// Definitions, for strings a and b of lengths |a|, |b|:
//   window      = max(0, floor(max(|a|, |b|) / 2) - 1)
//   m           = characters of a matched, left to right, to the first unmatched equal character
//                 of b within `window` positions
//   t           = floor(half the matched characters that differ when both sides are read in order)
//   jaro        = (m/|a| + m/|b| + (m - t)/m) / 3, or 0 when m = 0
//   jaroWinkler = jaro + l · p · (1 - jaro), l = common prefix of at most prefixMax characters
//                 (Winkler's 4), p = prefixScale (Winkler's 0.1), applied when jaro ≥ boostThreshold
//                 (Winkler's 0.7; 0 applies it always, as the SimMetrics library does).
// An empty string is similar to nothing, itself included: a name made of nothing never matches.

let bufA = new Int32Array(64);
let bufB = new Int32Array(64);
let flagA = new Uint8Array(64);
let flagB = new Uint8Array(64);
let lenA = 0;
let lenB = 0;
/** OR of every code point loaded: under 128 means both strings are ASCII. */
let seen = 0;

/** Copies `s` as code points into `buf`, which must hold s.length entries; returns the count. */
function load(s: string, buf: Int32Array): number {
  let n = 0;
  let or = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    or |= c;
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length) {
      const d = s.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) {
        buf[n++] = ((c - 0xd800) << 10) + (d - 0xdc00) + 0x10000;
        i++;
        continue;
      }
    }
    buf[n++] = c;
  }
  seen |= or;
  return n;
}

/** Loads both strings into bufA / bufB (grown when needed), setting lenA, lenB and seen. */
function loadPair(a: string, b: string): void {
  if (bufA.length < a.length) bufA = new Int32Array(a.length * 2);
  if (bufB.length < b.length) bufB = new Int32Array(b.length * 2);
  seen = 0;
  lenA = load(a, bufA);
  lenB = load(b, bufB);
}

/** Jaro similarity of the code points loaded in bufA[0..la) and bufB[0..lb). */
function jaroLoaded(la: number, lb: number): number {
  if (la === 0 || lb === 0) return 0;
  if (lb > 32) return jaroLong(la, lb);
  return seen < 128 ? jaroAsciiShort(la, lb) : jaroShort(la, lb);
}

// For b of at most 32 characters (most name parts and most whole names) b's matched positions
// fit one integer bitmask, and a's matched characters are kept in order in `seqA`.
let seqA = new Int32Array(64);
/** For ASCII: the positions of each character in b, as a bitmask (cleared after each use). */
const positions = new Int32Array(128);

/** Transposition count over the matches recorded in `used` (b's positions) and seqA. */
function halfTranspositions(lb: number, used: number): number {
  const b = bufB;
  let half = 0;
  let k = 0;
  for (let j = 0; j < lb; j++) {
    if ((used & (1 << j)) !== 0 && b[j] !== seqA[k++]) half++;
  }
  return half >> 1;
}

/** ASCII, b ≤ 32: the first free equal character in a's window is the lowest bit of a mask. */
function jaroAsciiShort(la: number, lb: number): number {
  const a = bufA;
  const b = bufB;
  if (seqA.length < la) seqA = new Int32Array(la * 2);
  for (let j = 0; j < lb; j++) positions[b[j]!]! |= 1 << j;
  const window = Math.max(0, (Math.max(la, lb) >> 1) - 1);
  let used = 0;
  let m = 0;
  for (let i = 0; i < la; i++) {
    const lo = i > window ? i - window : 0;
    if (lo >= lb) break;
    const hi = Math.min(i + window + 1, lb);
    const range = (hi === 32 ? -1 : (1 << hi) - 1) & ~((1 << lo) - 1);
    const free = positions[a[i]!]! & ~used & range;
    if (free !== 0) {
      used |= free & -free;
      seqA[m++] = a[i]!;
    }
  }
  for (let j = 0; j < lb; j++) positions[b[j]!] = 0;
  if (m === 0) return 0;
  const t = halfTranspositions(lb, used);
  return (m / la + m / lb + (m - t) / m) / 3;
}

/** Any script, b ≤ 32: scans a's window left to right. */
function jaroShort(la: number, lb: number): number {
  const a = bufA;
  const b = bufB;
  if (seqA.length < la) seqA = new Int32Array(la * 2);
  const window = Math.max(0, (Math.max(la, lb) >> 1) - 1);
  let used = 0;
  let m = 0;
  for (let i = 0; i < la; i++) {
    const c = a[i]!;
    const lo = i > window ? i - window : 0;
    const hi = Math.min(i + window + 1, lb);
    for (let j = lo; j < hi; j++) {
      if (b[j] === c && (used & (1 << j)) === 0) {
        used |= 1 << j;
        seqA[m++] = c;
        break;
      }
    }
  }
  if (m === 0) return 0;
  const t = halfTranspositions(lb, used);
  return (m / la + m / lb + (m - t) / m) / 3;
}

function ensureFlags(la: number, lb: number): void {
  if (flagA.length < la) flagA = new Uint8Array(la * 2);
  if (flagB.length < lb) flagB = new Uint8Array(lb * 2);
  flagA.fill(0, 0, la);
  flagB.fill(0, 0, lb);
}

/** Any length: flag arrays. */
function jaroLong(la: number, lb: number): number {
  const a = bufA;
  const b = bufB;
  ensureFlags(la, lb);
  const fa = flagA;
  const fb = flagB;
  const window = Math.max(0, (Math.max(la, lb) >> 1) - 1);
  let m = 0;
  for (let i = 0; i < la; i++) {
    const c = a[i];
    const lo = i > window ? i - window : 0;
    const hi = Math.min(i + window + 1, lb);
    for (let j = lo; j < hi; j++) {
      if (fb[j] === 0 && b[j] === c) {
        fa[i] = 1;
        fb[j] = 1;
        m++;
        break;
      }
    }
  }
  if (m === 0) return 0;
  let half = 0;
  let k = 0;
  for (let i = 0; i < la; i++) {
    if (fa[i] === 0) continue;
    while (fb[k] === 0) k++;
    if (a[i] !== b[k]) half++;
    k++;
  }
  const t = half >> 1;
  return (m / la + m / lb + (m - t) / m) / 3;
}

/** Jaro similarity in [0, 1]: 1 for identical non-empty strings, 0 when nothing matches. */
export function jaro(a: string, b: string): number {
  loadPair(a, b);
  return jaroLoaded(lenA, lenB);
}

/**
 * Jaro-Winkler similarity in [0, 1]. `prefixScale` (p) rewards a common prefix of up to
 * `prefixMax` characters (p · prefixMax must not exceed 1, so the score stays ≤ 1); the reward
 * applies only when the Jaro score reaches `boostThreshold` (Winkler's 0.7 by default; 0 rewards
 * every pair, as SimMetrics does).
 */
export function jaroWinkler(
  a: string,
  b: string,
  prefixScale = 0.1,
  boostThreshold = 0.7,
  prefixMax = 4,
): number {
  if (!(prefixScale >= 0 && prefixMax >= 0 && prefixScale * prefixMax <= 1)) {
    throw new RangeError(
      `jaroWinkler: prefixScale × prefixMax must be within [0, 1], got ${prefixScale} × ${prefixMax}`,
    );
  }
  loadPair(a, b);
  const j = jaroLoaded(lenA, lenB);
  if (j === 0 || j < boostThreshold) return j;
  const max = Math.min(prefixMax, lenA, lenB);
  let l = 0;
  while (l < max && bufA[l] === bufB[l]) l++;
  return j + l * prefixScale * (1 - j);
}
