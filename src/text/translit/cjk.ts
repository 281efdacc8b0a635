// A Han token read three ways: Chinese (Mandarin pinyin and its variants, han.ts), Korean (the
// Hanja's Hangul reading romanised, hanja.ts + hangul.ts) and Japanese (the name's kana reading
// romanised, japanese.ts + kana.ts). Owns romaniseHanToken.
//
// A token holds at most eight forms, so each reading gets the slots where its most useful
// spellings go, Mandarin first (the primary form, and the first three that joined tokens use):
//   Mandarin 1, Mandarin 2, Korean 1, Japanese 1, Korean 2, Japanese 2, Mandarin 3, Mandarin 4,
// then whatever is left of each in the same order. 正恩 → zhengen, chengen, jeongeun, jongun …;
// 山田 → shantian, shantien, sanjeon, yamada ….
import { romaniseHan } from "./han.js";
import { hangulSchemeForms } from "./hangul.js";
import { koreanReadings } from "./hanja.js";
import { japaneseReadings } from "./japanese.js";
import { kanaToHiragana, romaniseKana } from "./kana.js";

const MAX_FORMS = 8;
/** Which reading fills each slot, in order: m(andarin), k(orean), j(apanese). */
const SLOTS = ["m", "m", "k", "j", "k", "j", "m", "m"] as const;

function distinctFrom(lists: readonly (readonly string[])[]): string[] {
  const out: string[] = [];
  for (const list of lists) for (const s of list) if (!out.includes(s)) out.push(s);
  return out;
}

/**
 * Korean spellings: each reading's scheme forms, the readings interleaved (리학 rihak…, 이학
 * ihak…). Not for a token of one character: the common Korean surnames are the common Chinese
 * ones (李 Li / Ri, 張 Zhang / Jang, 趙 Zhao / Cho), and reading every Chinese surname as Korean
 * doubled the false alerts on Chinese names; the Korean spellings of the most common ones (金 Kim,
 * 朴 Park, 崔 Choi) are in han.ts's surname table.
 */
function korean(word: string): string[] {
  if ([...word].length < 2) return [];
  const perReading = koreanReadings(word).map(hangulSchemeForms);
  const out: string[] = [];
  for (let i = 0; i < 4; i++) for (const forms of perReading) if (forms[i]) out.push(forms[i]!);
  return distinctFrom([out]);
}

/**
 * Japanese spellings: each reading's passport Hepburn first, then the readings' other forms. The
 * readings are katakana, but Japanese words: read as hiragana, so no loanword variants.
 */
function japanese(word: string): string[] {
  // A one-character token's short readings (張 チョウ cho, 李 リ ri) are how Japanese reads Chinese
  // names, and collide with Korean ones: only its longer, native readings (林 hayashi, 森 mori).
  const single = [...word].length === 1;
  const perReading = japaneseReadings(word)
    .map((r) => romaniseKana(kanaToHiragana(r)))
    .filter((f) => !single || (f[0]?.length ?? 0) >= 4);
  return distinctFrom([perReading.map((f) => f[0] ?? ""), ...perReading.map((f) => f.slice(1, 3))]).filter(
    Boolean,
  );
}

const CACHE_LIMIT = 50_000;
const cache = new Map<string, string[]>();

/**
 * The ASCII forms of one Han token in its Chinese, Korean and Japanese readings, Mandarin pinyin
 * first, at most 8, distinct; [] when the word holds no Han character. Shared and frozen.
 */
export function romaniseHanToken(word: string): string[] {
  const hit = cache.get(word);
  if (hit) return hit;
  const mandarin = romaniseHan(word);
  const out: string[] = [];
  if (mandarin.length > 0) {
    const queues = { m: [...mandarin], k: korean(word), j: japanese(word) };
    const take = (q: string[]): void => {
      while (q.length > 0) {
        const f = q.shift()!;
        if (!out.includes(f)) {
          out.push(f);
          return;
        }
      }
    };
    for (const slot of SLOTS) take(queues[slot]);
    for (const q of [queues.m, queues.k, queues.j]) while (out.length < MAX_FORMS && q.length > 0) take(q);
    out.splice(MAX_FORMS);
  }
  Object.freeze(out);
  if (cache.size >= CACHE_LIMIT) cache.clear();
  cache.set(word, out);
  return out;
}
