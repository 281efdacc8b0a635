// Thai names → lower-case ASCII. Owns romaniseThai (variants for one word).
//
// A word is read syllable by syllable: a leading vowel (เ แ โ ใ ไ), an initial consonant or
// cluster (กร, ปล, กว; silent ห before a sonorant, silent อ before ย), vowel marks above and
// below, following vowel letters (ะ า ำ, and อ ว ย where they write vowels), and a final
// consonant when the letter after it carries no vowel; a consonant under ์ (thanthakhat) is
// silent, and so is a second final consonant at the end (วัตร wat). A syllable with no written
// vowel has o when closed (คน khon) and a when open (สม-ชาย has o, ประ- a).
//
// Forms, primary first:
//   1. the Royal Thai General System of Transcription (RTGS, Royal Institute 1999): finals as
//      they sound (k, ng, t, n, p, m), ue, oe, ae, no tones, no vowel length;
//   2. the etymological spelling Thai families give their own names: finals written as their
//      letters (ล l, ร r, ด d, ช ch, ธ th), a final cluster and a linking consonant with its
//      vowel a (ชินวัตร Shinawatra's chinawatra), ว as v;
//   3. RTGS with u as oo (Boonmee), with ue and ae written u and a; the etymological spelling
//      with ว as w, with ช จ as j (Vejjajiva), with u as oo; RTGS with j, without aspiration.
// The letter values are data/thai.json.
import data from "./data/thai.json" with { type: "json" };

interface ConsonantValue {
  readonly initial: string;
  readonly final: string;
  /** The letter's etymological value (ภ bh, ธ dh, ว v), when it differs from the initial. */
  readonly etym?: string;
}

const CONSONANTS = new Map<string, ConsonantValue>(Object.entries(data.consonants));
const MAX_VARIANTS = 8;

const LEAD = new Set(["เ", "แ", "โ", "ใ", "ไ"]);
const ABOVE_BELOW = new Set(["ั", "ิ", "ี", "ึ", "ื", "ุ", "ู", "็"]);
const TONES = new Set(["่", "้", "๊", "๋"]);
const THANTHAKHAT = "์";
const FOLLOW = new Set(["ะ", "า", "ำ"]);
/** The true initial clusters (กร kr, ปล pl, กว kw); other pairs are two syllables (ทวี thawi). */
const CLUSTERS = new Set(data.clusters);
const SILENT_H_BEFORE = new Set(["ง", "ญ", "น", "ม", "ย", "ร", "ล", "ว"]);

const isConsonant = (c: string | undefined): boolean => c !== undefined && CONSONANTS.has(c);
/** A vowel sign that belongs to the consonant before it. */
const isDependent = (c: string | undefined): boolean =>
  c !== undefined && (ABOVE_BELOW.has(c) || FOLLOW.has(c) || TONES.has(c));

interface Syllable {
  /** Initial consonants (one, or a cluster). */
  readonly initial: readonly string[];
  /** The vowel in RTGS. */
  readonly vowel: string;
  /** Final consonants as written (the second one silent in RTGS). */
  readonly finals: readonly string[];
}

function parse(chars: readonly string[]): Syllable[] {
  const out: Syllable[] = [];
  let i = 0;
  while (i < chars.length) {
    let lead = "";
    if (LEAD.has(chars[i]!)) lead = chars[i++]!;
    const c = chars[i];
    if (c === "ฤ" || c === "ฦ") {
      out.push({ initial: [], vowel: c === "ฤ" ? "rue" : "lue", finals: [] });
      i++;
      continue;
    }
    if (!isConsonant(c)) {
      i++;
      continue;
    }
    i++;
    const initial = [c!];
    // Silent ห (and อ before ย) mark the tone of the sonorant after them.
    if (
      (c === "ห" && SILENT_H_BEFORE.has(chars[i]!)) ||
      (c === "อ" && chars[i] === "ย" && isDependent(chars[i + 1]))
    ) {
      if (isDependent(chars[i + 1]) || lead || isConsonant(chars[i + 1])) initial[0] = chars[i++]!;
    } else if (
      CLUSTERS.has(c! + chars[i]) &&
      (isDependent(chars[i + 1]) || (lead !== "" && chars[i + 1] !== undefined))
    ) {
      initial.push(chars[i++]!);
    }
    // Vowel marks and tones.
    let marks = "";
    while (i < chars.length && (ABOVE_BELOW.has(chars[i]!) || TONES.has(chars[i]!))) {
      if (!TONES.has(chars[i]!)) marks += chars[i];
      i++;
    }
    if (chars[i] === THANTHAKHAT) {
      // The whole syllable is silent (a consonant with its vowel under ์).
      i++;
      continue;
    }
    let follow = "";
    while (i < chars.length && FOLLOW.has(chars[i]!)) follow += chars[i++];
    while (TONES.has(chars[i]!)) i++;
    // อ ว ย as parts of the vowel.
    let vowelLetter = "";
    const next = chars[i];
    const afterNext = chars[i + 1];
    if (next === "อ" && !isDependent(afterNext) && (lead === "เ" || marks === "ื" || (!marks && !follow))) {
      vowelLetter = "อ";
      i++;
    } else if (next === "ว" && !isDependent(afterNext) && (marks === "ั" || (!marks && !follow && !lead))) {
      vowelLetter = "ว";
      i++;
    } else if (next === "ย" && !isDependent(afterNext) && lead === "เ" && marks === "ี") {
      vowelLetter = "ย";
      i++;
    }
    while (TONES.has(chars[i]!)) i++;
    if (follow === "" && chars[i] === "ะ") follow = chars[i++]!;
    // Finals: a consonant with no vowel sign or tone of its own closes the syllable; a second
    // one only at the end of the word (วัตร); one under ์ is silent.
    const finals: string[] = [];
    while (isConsonant(chars[i]) && !isDependent(chars[i + 1])) {
      if (chars[i + 1] === THANTHAKHAT) {
        i += 2;
        continue;
      }
      // A consonant before a silenced one is silent too (ลักษณ์ lak, จันทร์ chan).
      if (finals.length > 0 && isConsonant(chars[i + 1]) && chars[i + 2] === THANTHAKHAT) {
        i += 3;
        break;
      }
      // C + อ + consonant is a syllable of its own (แพทอง phae-thong), not a final and a vowel.
      if (chars[i + 1] === "อ" && (isConsonant(chars[i + 2]) || chars[i + 2] === undefined)) break;
      // The last two consonants of a word are a syllable of their own (ภูมิพล phumi-phon)...
      if (
        finals.length === 0 &&
        isConsonant(chars[i + 1]) &&
        chars[i + 1] !== "ร" &&
        chars[i + 2] === undefined
      )
        break;
      // ...and a second final is only the silent ร of a cluster at the end (วัตร wat, บุตร but).
      if (finals.length === 1 && !(chars[i] === "ร" && chars[i + 1] === undefined)) break;
      if (finals.length === 2) break;
      finals.push(chars[i++]!);
    }
    while (chars[i] === THANTHAKHAT || TONES.has(chars[i]!)) i++;
    out.push({ initial, vowel: vowelOf(lead, marks, follow, vowelLetter, finals), finals });
  }
  return out;
}

/** The RTGS vowel of a syllable from its written parts; ว ย as finals complete diphthongs. */
function vowelOf(
  lead: string,
  marks: string,
  follow: string,
  letter: string,
  finals: readonly string[],
): string {
  const closed = finals.length > 0;
  const f0 = finals[0];
  const glide = f0 === "ว" ? "o" : f0 === "ย" ? "i" : "";
  let v: string;
  if (lead === "เ") {
    if (marks.includes("ี") && letter === "ย") v = "ia";
    else if (marks.includes("ื") && letter === "อ") v = "uea";
    else if (marks.includes("ิ") || letter === "อ") v = "oe";
    else if (follow.includes("า")) v = follow.includes("ะ") ? "o" : "ao";
    else v = "e";
  } else if (lead === "แ") v = "ae";
  else if (lead === "โ") v = "o";
  else if (lead === "ใ" || lead === "ไ") v = "ai";
  else if (marks.includes("ั") && letter === "ว") v = "ua";
  else if (marks.includes("ั")) v = "a";
  else if (follow.includes("ำ")) v = "am";
  else if (follow.includes("า") || follow.includes("ะ")) v = "a";
  else if (marks.includes("ิ") || marks.includes("ี")) v = "i";
  else if (marks.includes("ึ") || marks.includes("ื")) v = "ue";
  else if (marks.includes("ุ") || marks.includes("ู")) v = "u";
  else if (letter === "อ") v = "o";
  else if (letter === "ว") v = "ua";
  else v = closed ? "o" : "a";
  if (!glide) return v;
  // Diphthongs closed by ว or ย: า+ย ai, า+ว ao, ิ+ว io, เ+ว eo, แ+ว aeo, โ+ย oi, อ+ย oi, ุ+ย ui, เ+ย oei.
  if (glide === "i") {
    if (v === "a" && marks.includes("ั")) return "ai";
    if (v === "e") return "oei";
    if (v === "ua") return "uai";
    if (v === "uea") return "ueai";
    if (v === "ai") return "ai";
    return `${v}i`;
  }
  if (v === "ia") return "iao";
  if (v === "a" && !marks && !follow) return "ao";
  return `${v}o`;
}

type Style = "rtgs" | "etym";

function write(syls: readonly Syllable[], style: Style): string {
  let out = "";
  for (let k = 0; k < syls.length; k++) {
    const s = syls[k]!;
    // The first consonant of an initial cluster takes its etymological value (ภ bh, ว v) in that
    // style; the second (ร ล ว) keeps its own.
    s.initial.forEach((c, j) => {
      const v = CONSONANTS.get(c)!;
      out += style === "etym" && j === 0 ? (v.etym ?? v.initial) : v.initial;
    });
    out += s.vowel;
    const finals = s.finals.filter((f) => !(f === "ว" || f === "ย") || s.finals.length > 1);
    if (style === "rtgs") {
      const f = finals[0];
      if (f && f !== "ว" && f !== "ย") out += CONSONANTS.get(f)!.final;
    } else {
      finals.forEach((f, j) => {
        if (f === "ว" || f === "ย") return;
        const v = CONSONANTS.get(f)!;
        out += v.etym ?? v.final;
        // A final cluster (ตร) ends in a, as the Pali/Sanskrit spelling it comes from.
        if (j === 1) out += "a";
      });
      // A linking vowel: a closed syllable whose final is followed by a syllable starting with a
      // consonant is often read with a (ชินวัตร chin-a-wat, Shinawatra).
      const next = syls[k + 1];
      if (finals.length === 1 && next && next.initial.length > 0 && /^[nmlr]$/.test(out.at(-1) ?? ""))
        out += "a";
    }
  }
  return out;
}

const CACHE_LIMIT = 20_000;
const cache = new Map<string, string[]>();

/**
 * Romanisations of one Thai word, lower-case ASCII, distinct, RTGS first, at most 8; [] when the
 * word holds no Thai letter. The returned array is shared and frozen.
 */
export function romaniseThai(word: string): string[] {
  const hit = cache.get(word);
  if (hit) return hit;
  const syls = parse([...word]);
  const out: string[] = [];
  const add = (...forms: string[]): void => {
    for (const f of forms) if (f && out.length < MAX_VARIANTS && !out.includes(f)) out.push(f);
  };
  if (syls.length > 0) {
    const rtgs = write(syls, "rtgs");
    const etym = write(syls, "etym");
    add(rtgs, etym);
    add(rtgs.replace(/u(?!e)/g, "oo"), rtgs.replace(/ue/g, "u").replace(/ae/g, "a"));
    add(etym.replace(/v/g, "w"), etym.replace(/ch/g, "j").replace(/th$/, "t"), etym.replace(/u(?!e)/g, "oo"));
    add(rtgs.replace(/ch/g, "j"), rtgs.replace(/ph/g, "p").replace(/th/g, "t").replace(/kh/g, "k"));
  }
  Object.freeze(out);
  if (cache.size >= CACHE_LIMIT) cache.clear();
  cache.set(word, out);
  return out;
}
