// Romanisation: a token in any script → the lower-case ASCII forms it is written in Latin
// letters, primary first. Each script's tables and rules live in translit/; this module only
// dispatches and caches, since list names repeat (the same given names thousands of times).

import type { Script } from "./normalise.js";
import { romaniseArabic } from "./translit/arabic.js";
import { romaniseArmenian } from "./translit/armenian.js";
import { romaniseHanToken } from "./translit/cjk.js";
import { romaniseCyrillic } from "./translit/cyrillic.js";
import { romaniseGeorgian } from "./translit/georgian.js";
import { romaniseGreek } from "./translit/greek.js";
import { romaniseHangul } from "./translit/hangul.js";
import { romaniseHebrew } from "./translit/hebrew.js";
import { romaniseKana } from "./translit/kana.js";
import { romaniseThai } from "./translit/thai.js";

type Romaniser = (word: string) => string[];

const ROMANISERS: Partial<Record<Script, Romaniser>> = {
  cyrillic: romaniseCyrillic,
  greek: romaniseGreek,
  armenian: romaniseArmenian,
  georgian: romaniseGeorgian,
  arabic: romaniseArabic,
  han: romaniseHanToken,
  hangul: romaniseHangul,
  kana: romaniseKana,
  hebrew: romaniseHebrew,
  thai: romaniseThai,
};

const cache = new Map<string, readonly string[]>();
const MAX_CACHE = 200_000;

/** At most this many forms per token: enough for real spelling variety, bounded for speed. */
export const MAX_FORMS = 8;

/** The ASCII forms of one token; empty when its script has no romaniser. */
export function romanise(text: string, script: Script): readonly string[] {
  if (script === "latin" || script === "digit") return text ? [text] : [];
  const fn = ROMANISERS[script];
  if (!fn) return [];
  const key = `${script}:${text}`;
  const hit = cache.get(key);
  if (hit) return hit;
  const forms = [...new Set(fn(text).filter((f) => /^[a-z0-9]+$/.test(f)))].slice(0, MAX_FORMS);
  if (cache.size >= MAX_CACHE) cache.clear();
  cache.set(key, forms);
  return forms;
}
