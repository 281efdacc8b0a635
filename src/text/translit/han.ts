// Han (Chinese) names → lower-case ASCII. Owns romaniseHan (variants for one name token) and
// splitHanName (where the surname ends in a name written as one token, 习近平 → 习 | 近平).
//
// Mandarin readings come from pinyin-pro (context-aware, with its surname readings for the first
// character: 单 shan, 曾 zeng, 区 ou), toneless, syllables joined (近平 → jinping). Variants:
// Wade–Giles from a syllable table (data/han-wade-giles.json: hsi chinping), the surname's
// Cantonese, Hokkien and other usual spellings (data/han-surnames.json: 陈 chan/tan, 黄 wong,
// 张 cheung), ü written u, v and yu (吕 lu/lv/lyu), and for a whole name in one token the
// given-name-first order too (jinpingxi), since Western lists often write "Jinping XI".
// Simplified and traditional characters alike; characters outside Han are ignored.
import { pinyin } from "pinyin-pro";
import surnameData from "./data/han-surnames.json" with { type: "json" };
import wadeGilesData from "./data/han-wade-giles.json" with { type: "json" };
import { splitKoreanName } from "./hangul.js";
import { koreanReadings } from "./hanja.js";
import { splitJapaneseName } from "./japanese.js";

const MAX_VARIANTS = 8;
const WADE_GILES = new Map<string, string>(Object.entries(wadeGilesData.syllables));
const SURNAMES = new Map<string, string[]>(Object.entries(surnameData.surnames));
const HAN = /\p{Script=Han}/u;
const PINYIN_SYLLABLE = /^[a-zv]+$/;

function hanOnly(word: string): string {
  let out = "";
  for (const ch of word) if (HAN.test(ch)) out += ch;
  return out;
}

/**
 * The length in characters of the surname at the start of a Chinese name written as one token
 * (欧阳修 → 2, 习近平 → 1), of a Japanese one (山田太郎 → 2, japanese.ts) or of a Korean one in
 * Hanja by its Korean reading (文在寅 → 1, hanja.ts), or 0 when the token
 * is not a 2–4 character name starting with a common surname nor a listed Japanese surname and
 * given name (a surname or given name alone, a company, a transliterated foreign name).
 */
export function splitHanName(word: string): number {
  const chars = [...hanOnly(word)];
  if (chars.length < 2 || SURNAMES.has(chars.join(""))) return 0;
  if (chars.length >= 3 && chars.length <= 4 && SURNAMES.has(chars[0]! + chars[1]!)) return 2;
  // A Japanese name (山田太郎, 安倍晋三) splits where its listed surname ends.
  const japanese = splitJapaneseName(chars.join(""));
  if (japanese > 0) return japanese;
  if (chars.length > 4) return 0;
  if (SURNAMES.has(chars[0]!)) return 1;
  // A Korean name in Hanja (文在寅 → 문재인) splits where its Korean reading does.
  const korean = koreanReadings(chars.join(""))[0];
  return korean && chars.length === 3 ? splitKoreanName(korean) : 0;
}

/** Toneless pinyin syllables; characters pinyin-pro cannot read are skipped. */
function syllables(han: string, surname: boolean): string[] {
  const raw = pinyin(han, {
    toneType: "none",
    type: "array",
    v: true,
    ...(surname ? { mode: "surname", surname: "head" } : {}),
  });
  return raw.filter((s) => PINYIN_SYLLABLE.test(s));
}

const plain = (ss: readonly string[]): string => ss.join("").replaceAll("v", "u");
const wadeGiles = (ss: readonly string[]): string =>
  ss.map((s) => WADE_GILES.get(s) ?? s.replaceAll("v", "u")).join("");
/** ü spelt as pinyin-pro's v and as passports' yu (Lü → lv, lyu), when the name has one. */
const umlautForms = (ss: readonly string[]): string[] =>
  ss.some((s) => s.includes("v")) ? [ss.join(""), ss.join("").replaceAll("v", "yu")] : [];

function add(out: string[], ...values: string[]): void {
  for (const v of values) if (v && out.length < MAX_VARIANTS && !out.includes(v)) out.push(v);
}

const CACHE_LIMIT = 50_000;
const cache = new Map<string, string[]>();

/**
 * Romanisations of one Chinese name token (a surname 习, a given name 近平, or a whole name
 * 习近平), lower-case ASCII [a-z], distinct, primary (pinyin) first, at most 8; [] when the word
 * holds no Han character. The returned array is shared and frozen.
 */
export function romaniseHan(word: string): string[] {
  const hit = cache.get(word);
  if (hit) return hit;
  const han = hanOnly(word);
  const out: string[] = [];
  if (han) {
    const chars = [...han];
    const surnameLength = SURNAMES.has(han) ? chars.length : splitHanName(han);
    if (surnameLength === 0) {
      const ss = syllables(han, false);
      add(out, plain(ss), wadeGiles(ss), ...umlautForms(ss));
    } else {
      const ss = syllables(han, true);
      const surname = ss.slice(0, surnameLength);
      const given = ss.slice(surnameLength);
      const others = SURNAMES.get(chars.slice(0, surnameLength).join("")) ?? [];
      if (given.length === 0) {
        // A surname alone: its surname reading, Wade–Giles, the table's spellings, and the
        // everyday reading of the character when that differs (单 shan, also dan).
        add(
          out,
          plain(surname),
          wadeGiles(surname),
          ...others,
          plain(syllables(han, false)),
          ...umlautForms(surname),
        );
      } else {
        add(
          out,
          plain(surname) + plain(given),
          plain(given) + plain(surname),
          wadeGiles(surname) + wadeGiles(given),
          wadeGiles(given) + wadeGiles(surname),
        );
        for (const other of others.slice(0, 2)) add(out, other + wadeGiles(given));
        add(out, ...umlautForms(ss));
      }
    }
  }
  Object.freeze(out);
  if (cache.size >= CACHE_LIMIT) cache.clear();
  cache.set(word, out);
  return out;
}
