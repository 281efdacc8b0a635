// Candidate retrieval: an in-memory inverted index from name keys to entities, so a screening
// scores a few dozen candidates instead of every listed name. Keys per name token: each ASCII
// form (exact spelling), its Double Metaphone keys (sound), and its first and last four letters
// (typos in the middle). A key is worth its rarity (inverse document frequency): a query
// token's evidence is its rarest key an entity has, so "Karpov" counts for more than "Ali".

import type { NameToken } from "../text/names.js";
import type { AnalysedQuery, MatchEntity } from "./subject.js";
import { compatible } from "./subject.js";

export const INDEX_DEFAULTS = {
  /** Candidates handed to scoring per screening. */
  candidates: 50,
  /** A key held by more than this share of entities is too common to retrieve by. */
  maxKeyShare: 0.05,
};

const KEYED: ReadonlySet<NameToken["kind"]> = new Set(["word", "number"]);

function tokenKeys(t: NameToken): string[] {
  if (!KEYED.has(t.kind)) return [];
  const keys: string[] = [];
  for (const f of t.forms) {
    keys.push(`f:${f}`);
    if (f.length >= 6) keys.push(`a:${f.slice(0, 4)}`, `z:${f.slice(-4)}`);
  }
  for (const k of t.keys) keys.push(`p:${k}`);
  return keys;
}

export class MatchIndex {
  readonly entities: readonly MatchEntity[];
  private readonly postings = new Map<string, Uint32Array>();
  /** For each posting, which of the entity's names holds the key (parallel to `postings`). */
  private readonly postingNames = new Map<string, Uint16Array>();
  private readonly identifiers = new Map<string, number[]>();

  constructor(entities: readonly MatchEntity[]) {
    this.entities = entities;
    const lists = new Map<string, number[]>();
    const names = new Map<string, number[]>();
    entities.forEach((e, i) => {
      const seen = new Set<string>();
      e.names.forEach((n, ni) => {
        // Weak aliases are not screened (OFAC FAQ 122–125): they are not retrieved by.
        if (n.kind === "weak") return;
        for (const t of n.name.tokens) {
          for (const k of tokenKeys(t)) {
            const id = `${k}\u0000${ni}`;
            if (seen.has(id)) continue;
            seen.add(id);
            const list = lists.get(k);
            if (list) {
              list.push(i);
              names.get(k)?.push(Math.min(ni, 0xffff));
            } else {
              lists.set(k, [i]);
              names.set(k, [Math.min(ni, 0xffff)]);
            }
          }
        }
      });
      for (const id of e.identifiers) {
        const holders = this.identifiers.get(id);
        if (holders) holders.push(i);
        else this.identifiers.set(id, [i]);
      }
    });
    for (const [k, list] of lists) {
      this.postings.set(k, Uint32Array.from(list));
      this.postingNames.set(k, Uint16Array.from(names.get(k) ?? []));
    }
  }

  get size(): number {
    return this.entities.length;
  }

  // Scratch space for one retrieval: evidence per entity, and which entries are in use.
  private evidence = new Float64Array(0);
  private tokenBest = new Float64Array(0);

  /** The entities most worth scoring for a query, best evidence first. */
  candidates(q: AnalysedQuery, limit = INDEX_DEFAULTS.candidates): MatchEntity[] {
    const n = this.entities.length;
    if (this.evidence.length !== n) {
      this.evidence = new Float64Array(n);
      this.tokenBest = new Float64Array(n);
    }
    const evidence = this.evidence;
    const tokenBest = this.tokenBest;
    const touched: number[] = [];
    const maxDf = Math.max(50, n * INDEX_DEFAULTS.maxKeyShare);
    // Each query token's keys, built once: retrieval and the name-level pass both walk them.
    const keysByToken = q.names.flatMap((name) => name.tokens.map(tokenKeys));
    for (const keys of keysByToken) {
      // Per query token, an entity's evidence is its best key: several keys of one token
      // agreeing is one piece of evidence, not several.
      const seen: number[] = [];
      for (const k of keys) {
        const list = this.postings.get(k);
        if (!list || list.length > maxDf) continue;
        const w = Math.log(1 + n / list.length) * (k.startsWith("f:") ? 1 : 0.7);
        for (let j = 0; j < list.length; j++) {
          const i = list[j] as number;
          const b = tokenBest[i] as number;
          if (b === 0) seen.push(i);
          if (b < w) tokenBest[i] = w;
        }
      }
      for (const i of seen) {
        if (evidence[i] === 0) touched.push(i);
        evidence[i] = (evidence[i] as number) + (tokenBest[i] as number);
        tokenBest[i] = 0;
      }
    }
    // An identifier is strong evidence whatever the name: entities holding it always compete.
    for (const id of q.identifiers) {
      for (const i of this.identifiers.get(id) ?? []) {
        if (evidence[i] === 0) touched.push(i);
        evidence[i] = (evidence[i] as number) + 100;
      }
    }
    const ranked = touched
      .filter((i) => compatible(q.schema, (this.entities[i] as MatchEntity).schema))
      .sort((a, b) => (evidence[b] as number) - (evidence[a] as number))
      .slice(0, limit);
    for (const i of touched) evidence[i] = 0;
    return this.withNamesHit(keysByToken, ranked, maxDf);
  }

  /**
   * The chosen entities, each with only the names that share a key with the query: an entity
   * with forty aliases is compared on the two that could match, not on all forty.
   */
  private withNamesHit(
    keysByToken: readonly string[][],
    chosen: readonly number[],
    maxDf: number,
  ): MatchEntity[] {
    const hits = new Map<number, Set<number>>(chosen.map((i) => [i, new Set<number>()]));
    for (const keys of keysByToken) {
      for (const k of keys) {
        const list = this.postings.get(k);
        const names = this.postingNames.get(k);
        if (!list || !names || list.length > maxDf) continue;
        for (let j = 0; j < list.length; j++) hits.get(list[j] as number)?.add(names[j] as number);
      }
    }
    return chosen.map((i) => {
      const e = this.entities[i] as MatchEntity;
      const hit = hits.get(i);
      // Found by identifier alone, or every name hit: compare them all.
      if (!hit || hit.size === 0 || hit.size === e.names.length) return e;
      return { ...e, names: e.names.filter((_, ni) => hit.has(ni)) };
    });
  }
}
