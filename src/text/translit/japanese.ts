// Japanese readings of names written in kanji. Owns japaneseReadings (the kana readings of one
// token, most likely first) and splitJapaneseName (where the surname ends in 山田太郎).
//
// Kanji have many readings, and names use their own; a general-purpose morphological analyser
// (kuromoji: ~40 MB of dictionary, an asynchronous load of seconds) would be heavy for a token at
// a time. The readings are instead a table of the names themselves (data/ja-names.json, generated
// from IPADIC's person-name dictionary by scripts/gen-cjk-readings.ts): 10,862 surnames and
// 15,515 given names, plus the readings of given-name heads and tails learned from it, so that a
// given name it does not list is read by its parts (晋 + 三 → シン + ゾウ). The table (0.7 MB) is
// read on the first Han token, not at start, so that nothing is paid where no Han name occurs.
import { readFileSync } from "node:fs";

interface NameTable {
  readonly surnames: Record<string, string[]>;
  readonly given: Record<string, string[]>;
  readonly heads: Record<string, string[]>;
  readonly tails: Record<string, string[]>;
}

interface Tables {
  readonly surnames: ReadonlyMap<string, readonly string[]>;
  readonly given: ReadonlyMap<string, readonly string[]>;
  readonly heads: ReadonlyMap<string, readonly string[]>;
  readonly tails: ReadonlyMap<string, readonly string[]>;
}

let tables: Tables | undefined;

function load(): Tables {
  if (tables) return tables;
  const raw = JSON.parse(readFileSync(new URL("./data/ja-names.json", import.meta.url), "utf8")) as NameTable;
  tables = {
    surnames: new Map(Object.entries(raw.surnames)),
    given: new Map(Object.entries(raw.given)),
    heads: new Map(Object.entries(raw.heads)),
    tails: new Map(Object.entries(raw.tails)),
  };
  return tables;
}

/** At most this many readings of one token: the first two or three are the ones names use. */
const MAX_READINGS = 3;

function push(out: string[], ...values: readonly string[]): void {
  for (const v of values) if (v && out.length < MAX_READINGS && !out.includes(v)) out.push(v);
}

/**
 * A given name the table does not list, read by a head and a tail it has seen (晋三 シンゾウ).
 * A head is a learned head reading, or a listed one-character name's short reading (晋 シン, not
 * ススム: a name's first character is rarely read as a whole name).
 */
function composed(chars: readonly string[], t: Tables): string[] {
  const out: string[] = [];
  for (let cut = 1; cut < chars.length; cut++) {
    const head = chars.slice(0, cut).join("");
    const tail = chars.slice(cut).join("");
    const tails = t.tails.get(tail);
    if (!tails) continue;
    const heads = [...(t.heads.get(head) ?? []), ...(t.given.get(head) ?? []).filter((r) => r.length <= 2)];
    for (const h of heads) for (const x of tails) push(out, h + x);
  }
  return out;
}

/**
 * Where the surname ends in a Japanese name written as one token (山田太郎 → 2, 小泉純一郎 → 2),
 * or 0: the first one to three characters must be a listed surname and the rest a listed given
 * name (or, for a token of four or more characters, a given name read by its parts). 0 for a
 * token that is itself a listed surname or given name.
 */
export function splitJapaneseName(word: string): number {
  const chars = [...word];
  if (chars.length < 3 || chars.length > 6) return 0;
  const t = load();
  if (t.surnames.has(word) || t.given.has(word)) return 0;
  for (const cut of [2, 1, 3]) {
    if (cut >= chars.length) continue;
    if (!t.surnames.has(chars.slice(0, cut).join(""))) continue;
    const rest = chars.slice(cut);
    if (t.given.has(rest.join(""))) return cut;
    if (chars.length >= 4 && cut >= 2 && composed(rest, t).length > 0) return cut;
  }
  return 0;
}

/**
 * The katakana readings of one kanji token, most likely first, at most 3: a listed surname's or
 * given name's (both when it is listed as both, surname first); a whole name's (surname and given
 * name, in both orders); a given name read by its parts; [] when none is known.
 */
export function japaneseReadings(word: string): string[] {
  const t = load();
  const out: string[] = [];
  const sur = t.surnames.get(word) ?? [];
  const giv = t.given.get(word) ?? [];
  for (let i = 0; i < Math.max(sur.length, giv.length); i++) push(out, sur[i] ?? "", giv[i] ?? "");
  if (out.length > 0) return out;
  const chars = [...word];
  const cut = splitJapaneseName(word);
  if (cut > 0) {
    const s = t.surnames.get(chars.slice(0, cut).join(""))![0]!;
    const rest = chars.slice(cut);
    const g = t.given.get(rest.join(""))?.[0] ?? composed(rest, t)[0];
    if (g) push(out, s + g, g + s);
    return out;
  }
  if (chars.length >= 2 && chars.length <= 3) push(out, ...composed(chars, t));
  return out;
}
