// Resolution measured against pairs the lists themselves give: two entries on different lists
// that cite the same passport, national-ID or UN reference number are the same designee. Run
// once with every piece of evidence and once with those numbers withheld (names, dates and
// countries only).
//
// The numbers judge a merged pair of two numbered entries only when they can: the two gold
// groups both carry document numbers, or both UN references, and share none — then the pair is
// wrong. A group known only by a UN reference beside one known only by a passport cannot be told
// apart by numbers (most UK entries cite only the UN reference, most US ones only documents), so
// such a pair is not judged; it is counted, and the strict bound that calls it wrong is kept.

import { type Designee, type Key, keyOf } from "./designees.js";
import { candidateEdges, cluster, mayJoin, pairKey, type ResolveOptions } from "./resolve.js";

export interface ResolutionScore {
  readonly goldPairs: number;
  readonly found: number;
  /** Merged pairs of two numbered entries on different lists. */
  readonly mergedPairs: number;
  /** Of those, pairs whose numbers contradict the merge. */
  readonly wrong: number;
  /** Of those, pairs in different gold groups whose numbers are of different kinds. */
  readonly unjudged: number;
  /** Correct / (correct + wrong), over the pairs the numbers judge. */
  readonly precision: number;
  /** Counting every unjudged pair as wrong. */
  readonly strictPrecision: number;
  readonly recall: number;
}

const GOLD_KINDS = new Set(["passport", "national-id", "un"]);

const kindOf = (k: Key): string => (k.kind === "un" ? "un" : "doc");

function goldComponents(designees: readonly Designee[]): {
  comp: Map<string, string>;
  pairs: [string, string][];
  /** Gold group → the kinds of number ("doc", "un") its members carry. */
  kinds: Map<string, Set<string>>;
} {
  const byKey = new Map<string, Designee[]>();
  for (const d of designees) {
    for (const k of d.keys) {
      if (!GOLD_KINDS.has(k.kind)) continue;
      const s = keyOf(k);
      byKey.set(s, [...(byKey.get(s) ?? []), d]);
    }
  }
  const parent = new Map<string, string>();
  const find = (x: string): string => {
    while (parent.get(x) !== undefined && parent.get(x) !== x) x = parent.get(x) as string;
    return x;
  };
  const pairs = new Map<string, [string, string]>();
  for (const group of byKey.values()) {
    if (group.length > 8) continue;
    for (const x of group) {
      if (!parent.has(x.entity.id)) parent.set(x.entity.id, x.entity.id);
      for (const y of group) {
        if (x.entity.id >= y.entity.id || x.entity.datasets[0] === y.entity.datasets[0]) continue;
        if (!parent.has(y.entity.id)) parent.set(y.entity.id, y.entity.id);
        pairs.set(pairKey(x.entity.id, y.entity.id), [x.entity.id, y.entity.id]);
        parent.set(find(x.entity.id), find(y.entity.id));
      }
    }
  }
  const comp = new Map<string, string>();
  for (const id of parent.keys()) comp.set(id, find(id));
  const kinds = new Map<string, Set<string>>();
  for (const d of designees) {
    const c = comp.get(d.entity.id);
    if (c === undefined) continue;
    const ks = kinds.get(c) ?? new Set<string>();
    for (const k of d.keys) if (GOLD_KINDS.has(k.kind)) ks.add(kindOf(k));
    kinds.set(c, ks);
  }
  return { comp, pairs: [...pairs.values()], kinds };
}

/** Withholds the numbers: no keys, no identifiers for the matcher either. */
export function withoutNumbers(d: Designee): Designee {
  return { ...d, keys: [], match: { ...d.match, identifiers: [] } };
}

export function scoreResolution(
  designees: readonly Designee[],
  opts: ResolveOptions & { withhold?: boolean } = {},
): ResolutionScore {
  const { comp, pairs, kinds } = goldComponents(designees);
  const input = opts.withhold ? designees.map(withoutNumbers) : designees;
  const byId = new Map(input.map((d) => [d.entity.id, d]));
  // Only numbered designees are queries: every pair that can be judged has one on a side.
  const edges = candidateEdges(input, { ...opts, from: (d) => comp.has(d.entity.id) });
  const c = cluster(
    input.map((d) => d.entity.id),
    edges,
    new Map(),
    new Map(),
    (a, b) => {
      const x = byId.get(a);
      const y = byId.get(b);
      return !!x && !!y && mayJoin(x, y);
    },
  );
  let found = 0;
  for (const [a, b] of pairs) if (c.canonical.get(a) === c.canonical.get(b)) found++;
  let merged = 0;
  let wrong = 0;
  let unjudged = 0;
  for (const ms of c.members.values()) {
    const numbered = ms.filter((m) => comp.has(m));
    for (let i = 0; i < numbered.length; i++) {
      for (let j = i + 1; j < numbered.length; j++) {
        const a = numbered[i] as string;
        const b = numbered[j] as string;
        if (a.slice(0, a.indexOf(":")) === b.slice(0, b.indexOf(":"))) continue;
        merged++;
        const [ca, cb] = [comp.get(a) as string, comp.get(b) as string];
        if (ca === cb) continue;
        const kb = kinds.get(cb);
        if ([...(kinds.get(ca) ?? [])].some((k) => kb?.has(k))) wrong++;
        else unjudged++;
      }
    }
  }
  return {
    goldPairs: pairs.length,
    found,
    mergedPairs: merged,
    wrong,
    unjudged,
    precision: merged - unjudged ? (merged - unjudged - wrong) / (merged - unjudged) : 1,
    strictPrecision: merged ? (merged - unjudged - wrong) / merged : 1,
    recall: pairs.length ? found / pairs.length : 1,
  };
}
