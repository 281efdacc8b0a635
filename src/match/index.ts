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
  candidates: 25,
  /** A key held by more than this share of entities is too common to retrieve by. */
  maxKeyShare: 0.05,
};

const KEYED: ReadonlySet<NameToken["kind"]> = new Set(["word", "number"]);

/**
 * Keys as dense numbers, so postings are an array rather than a map of strings, and a token's
 * keys are worked out once (tokens are interned and repeat hundreds of thousands of times).
 * Shared by every index in the process; it grows with the vocabulary, not with the lists.
 */
const keyIds = new Map<string, number>();
/** Whether a key id is a spelling (`f:`), the strongest kind of key. */
const spelling: boolean[] = [];
const tokenKeyIds = new WeakMap<NameToken, readonly number[]>();

function keysOf(t: NameToken): string[] {
  const keys: string[] = [];
  if (KEYED.has(t.kind)) {
    for (const f of t.forms) {
      keys.push(`f:${f}`);
      if (f.length >= 6) keys.push(`a:${f.slice(0, 4)}`, `z:${f.slice(-4)}`);
    }
    for (const k of t.keys) keys.push(`p:${k}`);
  }
  return keys;
}

function tokenKeys(t: NameToken): readonly number[] {
  const hit = tokenKeyIds.get(t);
  if (hit) return hit;
  const keys = keysOf(t);
  const ids = [
    ...new Set(
      keys.map((k) => {
        let id = keyIds.get(k);
        if (id === undefined) {
          id = keyIds.size;
          keyIds.set(k, id);
          spelling[id] = k.startsWith("f:");
        }
        return id;
      }),
    ),
  ];
  tokenKeyIds.set(t, ids);
  return ids;
}

/**
 * A query token's keys that some index holds, in `tokenKeys` order: looked up, never numbered,
 * so screening does not grow the table of keys (a key no index holds has no postings). Kept
 * per token until an index numbers new keys.
 */
const queryKeyIds = new WeakMap<NameToken, { readonly ids: readonly number[]; readonly known: number }>();

function queryKeys(t: NameToken): readonly number[] {
  const indexed = tokenKeyIds.get(t);
  if (indexed) return indexed;
  const hit = queryKeyIds.get(t);
  if (hit && hit.known === keyIds.size) return hit.ids;
  const ids: number[] = [];
  for (const k of keysOf(t)) {
    const id = keyIds.get(k);
    if (id !== undefined && !ids.includes(id)) ids.push(id);
  }
  queryKeyIds.set(t, { ids, known: keyIds.size });
  return ids;
}

/** Who holds a key: entities, and which of each entity's names (parallel arrays). */
interface Posting {
  readonly entities: Uint32Array;
  readonly names: Uint16Array;
  /** Rarity (inverse document frequency), discounted for keys weaker than a spelling. */
  readonly weight: number;
}

export class MatchIndex {
  readonly entities: readonly MatchEntity[];
  /** By key id; undefined where no entity holds the key. */
  private readonly postings: (Posting | undefined)[] = [];
  private readonly identifiers = new Map<string, number[]>();
  /** Keys held by more entities than this are too common to retrieve by. */
  private readonly maxDf: number;
  /** Each entity's schema, as a number into `schemas`. */
  private readonly schemaOf: Uint16Array;
  private readonly schemas: string[] = [];
  /** Per query schema ("" for none): whether it may match each of `schemas` (1) or not (0). */
  private readonly compatibleWith = new Map<string, Uint8Array>();

  constructor(entities: readonly MatchEntity[]) {
    this.entities = entities;
    const n = entities.length;
    this.maxDf = Math.max(50, n * INDEX_DEFAULTS.maxKeyShare);
    // Per key: the entities and names holding it, and the last (entity, name) pushed, since a
    // name holding a key twice ("Mohammed Mohammed") is one posting.
    const holders: number[][] = [];
    const holderNames: number[][] = [];
    const last: number[] = [];
    this.schemaOf = new Uint16Array(n);
    const schemaNumbers = new Map<string, number>();
    for (let i = 0; i < entities.length; i++) {
      const e = entities[i] as MatchEntity;
      let sn = schemaNumbers.get(e.schema);
      if (sn === undefined) {
        sn = this.schemas.length;
        this.schemas.push(e.schema);
        schemaNumbers.set(e.schema, sn);
      }
      this.schemaOf[i] = sn;
      for (let ni = 0; ni < e.names.length; ni++) {
        const name = e.names[ni] as MatchEntity["names"][number];
        // Weak aliases are not screened (OFAC FAQ 122–125): they are not retrieved by.
        if (name.kind === "weak") continue;
        const at = Math.min(ni, 0xffff);
        const code = i * 0x10000 + at;
        for (const t of name.name.tokens) {
          for (const k of tokenKeys(t)) {
            const list = holders[k];
            if (!list) {
              holders[k] = [i];
              holderNames[k] = [at];
              last[k] = code;
            } else if (last[k] !== code) {
              list.push(i);
              holderNames[k]?.push(at);
              last[k] = code;
            }
          }
        }
      }
      for (const id of e.identifiers) {
        const list = this.identifiers.get(id);
        if (list) list.push(i);
        else this.identifiers.set(id, [i]);
      }
    }
    for (let k = 0; k < holders.length; k++) {
      const list = holders[k];
      if (!list) continue;
      this.postings[k] = {
        entities: Uint32Array.from(list),
        names: Uint16Array.from(holderNames[k] ?? []),
        weight: Math.log(1 + n / list.length) * (spelling[k] ? 1 : 0.7),
      };
    }
  }

  get size(): number {
    return this.entities.length;
  }

  // Scratch space for one retrieval: evidence per entity, the best key per query token, the
  // place of each chosen entity (all zero between retrievals), and the entities met by one
  // query token and by all (each entity at most once in either).
  private evidence = new Float64Array(0);
  private tokenBest = new Float64Array(0);
  private place = new Int32Array(0);
  private seen = new Int32Array(0);
  private touched = new Int32Array(0);
  /** Per chosen entity, which of its names a retrieved key hit (all zero between retrievals). */
  private marks = new Uint8Array(1024);

  private placeOf(): Int32Array {
    if (this.place.length !== this.entities.length) this.place = new Int32Array(this.entities.length);
    return this.place;
  }

  /** The entities most worth scoring for a query, best evidence first. */
  candidates(q: AnalysedQuery, limit = INDEX_DEFAULTS.candidates): MatchEntity[] {
    const n = this.entities.length;
    if (this.evidence.length !== n) {
      this.evidence = new Float64Array(n);
      this.tokenBest = new Float64Array(n);
      this.seen = new Int32Array(n);
      this.touched = new Int32Array(n);
    }
    const evidence = this.evidence;
    const tokenBest = this.tokenBest;
    const seen = this.seen;
    const touched = this.touched;
    let nTouched = 0;
    // Each query token's postings, looked up once: retrieval and the name-level pass both walk them.
    const byToken: Posting[][] = [];
    for (const name of q.names) {
      for (const t of name.tokens) {
        const found: Posting[] = [];
        for (const k of queryKeys(t)) {
          const p = this.postings[k];
          if (p && p.entities.length <= this.maxDf) found.push(p);
        }
        byToken.push(found);
      }
    }
    for (const postings of byToken) {
      // Per query token, an entity's evidence is its best key: several keys of one token
      // agreeing is one piece of evidence, not several.
      let nSeen = 0;
      for (const p of postings) {
        const list = p.entities;
        const w = p.weight;
        for (let j = 0; j < list.length; j++) {
          const i = list[j] as number;
          const b = tokenBest[i] as number;
          if (b === 0) seen[nSeen++] = i;
          if (b < w) tokenBest[i] = w;
        }
      }
      for (let k = 0; k < nSeen; k++) {
        const i = seen[k] as number;
        if (evidence[i] === 0) touched[nTouched++] = i;
        evidence[i] = (evidence[i] as number) + (tokenBest[i] as number);
        tokenBest[i] = 0;
      }
    }
    // An identifier is strong evidence whatever the name: entities holding it always compete.
    for (const id of q.identifiers) {
      for (const i of this.identifiers.get(id) ?? []) {
        if (evidence[i] === 0) touched[nTouched++] = i;
        evidence[i] = (evidence[i] as number) + 100;
      }
    }
    const ranked = this.best(touched, nTouched, limit, q.schema);
    for (let k = 0; k < nTouched; k++) evidence[touched[k] as number] = 0;
    return this.withNamesHit(byToken, ranked);
  }

  /**
   * The `limit` touched entities of most evidence whose schema fits, best first: a bounded
   * insertion into a short list, since thousands are touched and a few dozen are kept.
   */
  private best(touched: Int32Array, count: number, limit: number, schema: string | undefined): number[] {
    const evidence = this.evidence;
    const fits = this.fits(schema);
    const schemaOf = this.schemaOf;
    const top: number[] = [];
    let floor = 0;
    for (let k = 0; k < count; k++) {
      const i = touched[k] as number;
      const ev = evidence[i] as number;
      if (top.length === limit && ev <= floor) continue;
      if (fits[schemaOf[i] as number] === 0) continue;
      let at = top.length;
      while (at > 0 && (evidence[top[at - 1] as number] as number) < ev) at--;
      top.splice(at, 0, i);
      if (top.length > limit) top.pop();
      floor = evidence[top[top.length - 1] as number] as number;
    }
    return top;
  }

  /** Whether a query of this schema may match each schema the index holds (`compatible`). */
  private fits(schema: string | undefined): Uint8Array {
    const key = schema ?? "";
    let fits = this.compatibleWith.get(key);
    if (!fits) {
      fits = Uint8Array.from(this.schemas, (s) => (compatible(schema, s) ? 1 : 0));
      if (this.compatibleWith.size > 100) this.compatibleWith.clear();
      this.compatibleWith.set(key, fits);
    }
    return fits;
  }

  /**
   * The chosen entities, each with only the names that share a key with the query: an entity
   * with forty aliases is compared on the two that could match, not on all forty.
   */
  private withNamesHit(byToken: readonly Posting[][], chosen: readonly number[]): MatchEntity[] {
    // Each chosen entity's place in `chosen`, plus one (0: not chosen), so the postings are
    // walked with an array lookup per entry; its names' hit marks start at `offset[k]` in
    // `marks`. Both scratch arrays are cleared again before returning.
    const place = this.placeOf();
    const offset: number[] = [];
    let size = 0;
    for (let k = 0; k < chosen.length; k++) {
      const i = chosen[k] as number;
      place[i] = k + 1;
      offset.push(size);
      size += Math.min((this.entities[i] as MatchEntity).names.length, 0x10000);
    }
    if (this.marks.length < size) this.marks = new Uint8Array(size * 2);
    const marks = this.marks;
    const hits = chosen.map(() => 0);
    for (const postings of byToken) {
      for (const p of postings) {
        const entities = p.entities;
        for (let j = 0; j < entities.length; j++) {
          const k = place[entities[j] as number] as number;
          if (k === 0) continue;
          const at = (offset[k - 1] as number) + (p.names[j] as number);
          if (marks[at] === 0) {
            marks[at] = 1;
            hits[k - 1] = (hits[k - 1] as number) + 1;
          }
        }
      }
    }
    for (const i of chosen) place[i] = 0;
    const out = chosen.map((i, k) => {
      const e = this.entities[i] as MatchEntity;
      const hit = hits[k] as number;
      // Found by identifier alone, or every name hit: compare them all.
      if (hit === 0 || hit === e.names.length) return e;
      const from = offset[k] as number;
      return { ...e, names: e.names.filter((_, ni) => ni <= 0xffff && marks[from + ni] === 1) };
    });
    marks.fill(0, 0, size);
    return out;
  }
}
