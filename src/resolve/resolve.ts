// Cross-list resolution, the pure part: candidate pairs of designees on different lists (from the
// matching index, and from shared keys), each weighed into a decision — merge automatically,
// send to review, or leave apart — and then clusters of merged designees under canonical ids,
// honouring analysts' judgements. Reading the store and keeping results are elsewhere.

import { createHash } from "node:crypto";
import { FEATURES } from "../match/algorithm.js";
import { COMPARE_DEFAULTS } from "../match/compare.js";
import { MatchIndex } from "../match/index.js";
import type { AnalysedQuery, MatchEntity } from "../match/subject.js";
import { type Designee, type Key, keyOf } from "./designees.js";

export const RESOLVE_DEFAULTS = {
  /**
   * Names at or above this merge when one more independent element agrees (birth year or a
   * country), nothing contradicts and no other candidate on that list competes.
   */
  autoName: 0.97,
  /** With the same full birth date, or both lists' thematic regimes, names at or above this merge. */
  autoCorroborated: 0.88,
  /** A shared passport, national-ID or IMO number merges when names agree at least this much. */
  autoIdentifierName: 0.6,
  /** The review band's lower edge: pairs from here up to an automatic merge go to review. */
  review: 0.8,
  /** Candidates retrieved from the index per designee. */
  candidates: 12,
  /** Names of a designee used as its query: the main name and the first aliases. */
  queryNames: 6,
} as const;

export type ResolveOptions = { -readonly [K in keyof typeof RESOLVE_DEFAULTS]?: number };

export type Decision = "auto" | "review" | "none";

/** A candidate pair and why it was or was not merged. */
export interface Edge {
  /** The two entity ids, in sorted order. */
  readonly a: string;
  readonly b: string;
  /** The evidence, 0-1: names with identifiers and dates folded in, as the matcher scores it. */
  readonly score: number;
  readonly names: number;
  readonly decision: Decision;
  readonly reason: string;
}

export type Judgement = "same" | "different" | "unsure";
export const JUDGEMENTS: readonly Judgement[] = ["same", "different", "unsure"];

/** What the clustering of one run produced. */
export interface Clusters {
  /** Canonical id → member entity ids (sorted); singletons included. */
  readonly members: ReadonlyMap<string, readonly string[]>;
  /** Entity id → canonical id. */
  readonly canonical: ReadonlyMap<string, string>;
  /** The edges that merged, with how (auto or judged). */
  readonly merged: readonly (Edge & { how: "auto" | "judged" })[];
  /** Pairs in the review band with no judgement. */
  readonly pending: readonly Edge[];
  /** Automatic merges refused because a judgement or a one-entry-per-list rule forbade them. */
  readonly refused: readonly (Edge & { why: string })[];
}

const dataset = (id: string) => id.slice(0, id.indexOf(":"));
const pairKey = (a: string, b: string): string => (a < b ? `${a}\u0000${b}` : `${b}\u0000${a}`);

function queryOf(e: MatchEntity, maxNames: number): AnalysedQuery {
  return {
    schema: e.schema,
    names: e.names
      .filter((n) => n.kind !== "weak")
      .slice(0, maxNames)
      .map((n) => n.name),
    birthDates: e.birthDates,
    countries: e.countries,
    identifiers: e.identifiers,
    ...(e.gender ? { gender: e.gender } : {}),
  };
}

const THEMATIC = new Set(["human-rights", "corruption"]);
const thematic = (d: Designee): boolean =>
  d.designations.some((x) => x.regime?.themes.some((t) => THEMATIC.has(t)));

const fullDates = (e: MatchEntity) => e.birthDates.filter((d) => d.length === 10);

interface Evidence {
  names: number;
  shared: Key[];
  sameDob?: string;
  /** A birth year both give (the full date may differ in form or be missing on one side). */
  sameYear?: string;
  /** A country (nationality, citizenship, residence…) both give. */
  sameCountry?: string;
  dobConflict: boolean;
  countryConflict: boolean;
  genderConflict: boolean;
  /** Kinds of number both sides give without any in common: the lists' own ids disagree. */
  numbersDiffer: Key["kind"][];
}

/** Kinds of number each side may carry several of, none of which must be shared by chance. */
const CONTRADICTING: readonly Key["kind"][] = ["passport", "national-id", "un"];

function numbersDiffer(xk: readonly Key[], yk: readonly Key[]): Key["kind"][] {
  const ys = new Set(yk.map(keyOf));
  if (xk.some((k) => ys.has(keyOf(k)))) return [];
  return CONTRADICTING.filter((kind) => {
    const a = new Set(xk.filter((k) => k.kind === kind).map((k) => k.value));
    const b = yk.filter((k) => k.kind === kind).map((k) => k.value);
    return a.size > 0 && b.length > 0 && !b.some((v) => a.has(v));
  });
}

function evidence(x: Designee, y: Designee, o: Required<ResolveOptions>): Evidence {
  const qx = queryOf(x.match, o.queryNames);
  const qy = queryOf(y.match, o.queryNames);
  const names = Math.max(
    FEATURES.name_match(qx, y.match, COMPARE_DEFAULTS).value,
    FEATURES.name_match(qy, x.match, COMPARE_DEFAULTS).value,
  );
  const yk = new Set(y.keys.map(keyOf));
  const shared = x.keys.filter((k) => yk.has(keyOf(k)));
  const dy = new Set(fullDates(y.match));
  const sameDob = fullDates(x.match).find((d) => dy.has(d));
  const yy = new Set(y.match.birthDates.map((d) => d.slice(0, 4)));
  const sameYear = x.match.birthDates.map((d) => d.slice(0, 4)).find((d) => yy.has(d));
  const yc = new Set(y.match.countries);
  const sameCountry = x.match.countries.find((c) => yc.has(c));
  return {
    names,
    shared,
    ...(sameDob ? { sameDob } : {}),
    ...(sameYear ? { sameYear } : {}),
    ...(sameCountry ? { sameCountry } : {}),
    numbersDiffer: numbersDiffer(x.keys, y.keys),
    dobConflict: FEATURES.dob_year_disjoint(qx, y.match).value > 0,
    countryConflict: FEATURES.country_disjoint(qx, y.match).value > 0,
    genderConflict: FEATURES.gender_mismatch(qx, y.match).value > 0,
  };
}

const plain = (s: string) =>
  s
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, " ")
    .trim();

/**
 * Two entries of one list are one designee entered twice (the UN, UK and Canada list a person
 * once per regime) only when their names agree, their birth dates are the same, and — with no
 * birth date to compare — their main names are identical; their numbers must not disagree.
 */
export function sameListTwin(
  x: Designee,
  y: Designee,
  o: Required<ResolveOptions> = RESOLVE_DEFAULTS,
): boolean {
  const dx = [...new Set(x.match.birthDates)].sort().join();
  const dy = [...new Set(y.match.birthDates)].sort().join();
  if (dx !== dy) return false;
  if (!dx && plain(x.match.caption) !== plain(y.match.caption)) return false;
  const ev = evidence(x, y, o);
  return ev.names >= o.autoName && !ev.genderConflict && ev.numbersDiffer.length === 0;
}

/**
 * Whether two entities may end in one person by automatic merges, however they are linked:
 * two entries of one list only when they are one designee entered twice; entries of two lists
 * only when their numbers do not disagree (a chain of name matches must not join two people
 * whose passports or UN listings the lists give as different).
 */
export function mayJoin(x: Designee, y: Designee, o: Required<ResolveOptions> = RESOLVE_DEFAULTS): boolean {
  if ((x.entity.datasets[0] ?? "") === (y.entity.datasets[0] ?? "")) return sameListTwin(x, y, o);
  return numbersDiffer(x.keys, y.keys).length === 0;
}

const KEY_WORDS: Record<Key["kind"], string> = {
  passport: "passport",
  "national-id": "national ID",
  imo: "IMO",
  un: "UN reference",
};

function decide(
  ev: Evidence,
  ambiguous: boolean,
  bothThematic: boolean,
  o: Required<ResolveOptions>,
): { decision: Decision; score: number; reason: string } {
  const n = ev.names.toFixed(2);
  const conflicts = [
    ev.dobConflict ? "birth dates differ" : "",
    ev.genderConflict ? "genders differ" : "",
  ].filter(Boolean);
  // Both lists give numbers of one kind and none is shared: people do hold several passports,
  // so this is not a "different", but it is too much against a merge made without a person.
  const differ = ev.numbersDiffer.map((k) => `${KEY_WORDS[k]} numbers differ`);
  const un = ev.shared.find((k) => k.kind === "un");
  // A UN reference is the UN's own identity for the listing that EU and UK records implement.
  if (un) return { decision: "auto", score: 1, reason: `UN reference ${un.value} in both, names ≈ ${n}` };
  const id = ev.shared[0];
  if (id && ev.names >= o.autoIdentifierName && conflicts.length === 0) {
    return { decision: "auto", score: 1, reason: `${KEY_WORDS[id.kind]} ${id.value} in both, names ≈ ${n}` };
  }
  const score = Math.max(0, Math.min(1, ev.names + (ev.sameDob ? 0.05 : 0) - (ev.dobConflict ? 0.2 : 0)));
  if (conflicts.length > 0 || differ.length > 0) {
    return {
      decision: ev.names >= o.review && !ev.dobConflict ? "review" : "none",
      score,
      reason: `names ≈ ${n}${ev.sameDob ? `, same DOB ${ev.sameDob}` : ""}; ${[...conflicts, ...differ].join(", ")}`,
    };
  }
  if (ev.sameDob && ev.names >= o.autoCorroborated) {
    return { decision: "auto", score, reason: `same DOB ${ev.sameDob}, names ≈ ${n}` };
  }
  const unopposed = !ev.countryConflict && !ambiguous;
  // Countries (residence against nationality) are weak evidence; two thematic listings of one
  // name are strong enough to outweigh them.
  if (!ambiguous && bothThematic && ev.names >= o.autoCorroborated) {
    return {
      decision: "auto",
      score,
      reason: `names ≈ ${n}, both under human-rights or corruption regimes, the only such candidate`,
    };
  }
  // Names alone never merge: a strong name needs one more element that agrees.
  const also = ev.sameYear
    ? `born ${ev.sameYear}`
    : ev.sameCountry
      ? `country ${ev.sameCountry} in both`
      : "";
  if (unopposed && ev.names >= o.autoName && also) {
    return { decision: "auto", score, reason: `names ≈ ${n}, ${also}, the only such candidate` };
  }
  const why = [
    ev.countryConflict ? "countries differ" : "",
    ambiguous ? "several candidates on that list" : "",
  ].filter(Boolean);
  return {
    decision: ev.names >= o.review ? "review" : "none",
    score,
    reason: `names ≈ ${n}${ev.sameDob ? `, same DOB ${ev.sameDob}` : ""}${why.length ? `; ${why.join(", ")}` : ""}`,
  };
}

/**
 * Candidate pairs among designees of different datasets: every designee in `from` (default: all)
 * is a query against an index of all of them; pairs sharing a key are added whether or not the
 * index proposed them. Returns the pairs worth keeping (auto or review band).
 */
export function candidateEdges(
  designees: readonly Designee[],
  opts: ResolveOptions & { from?: (d: Designee) => boolean } = {},
): Edge[] {
  const o = { ...RESOLVE_DEFAULTS, ...opts } as Required<ResolveOptions>;
  const byId = new Map(designees.map((d) => [d.entity.id, d]));
  const datasetOf = (d: Designee) => d.entity.datasets[0] ?? "";
  const index = new MatchIndex(designees.map((d) => d.match));
  const found = new Map<string, { x: Designee; y: Designee; ev: Evidence }>();
  // How many candidates on one list a designee has in the band: two or more make names alone ambiguous.
  const inBand = new Map<string, Designee[]>();
  const consider = (x: Designee, y: Designee) => {
    if (x === y || datasetOf(x) === datasetOf(y)) return;
    const k = pairKey(x.entity.id, y.entity.id);
    if (found.has(k)) return;
    const ev = evidence(x, y, o);
    if (ev.names < o.review && ev.shared.length === 0) return;
    found.set(k, { x, y, ev });
    if (ev.names >= o.review && !ev.dobConflict) {
      for (const [p, q] of [
        [x, y],
        [y, x],
      ] as const) {
        const c = `${p.entity.id}\u0000${datasetOf(q)}`;
        inBand.set(c, [...(inBand.get(c) ?? []), q]);
      }
    }
  };
  for (const x of designees) {
    if (opts.from && !opts.from(x)) continue;
    for (const c of index.candidates(queryOf(x.match, o.queryNames), o.candidates)) {
      const y = byId.get(c.id);
      if (y) consider(x, y);
    }
  }
  const byKey = new Map<string, Designee[]>();
  for (const d of designees) {
    for (const k of d.keys) {
      const s = keyOf(k);
      byKey.set(s, [...(byKey.get(s) ?? []), d]);
    }
  }
  for (const group of byKey.values()) {
    if (group.length > 8) continue; // a number shared that widely is a placeholder, not an identity
    for (const x of group) {
      if (opts.from && !group.some((g) => opts.from?.(g))) break;
      for (const y of group) if (x.entity.id < y.entity.id) consider(x, y);
    }
  }
  // Several candidates on one list are ambiguous only when they are not one person entered
  // twice (the UK and Canada list a person once per regime).
  const distinct = (cs: readonly Designee[]): boolean =>
    cs.some((c, i) => cs.slice(i + 1).some((d) => !sameListTwin(c, d, o)));
  const edges: Edge[] = [];
  for (const { x, y, ev } of found.values()) {
    const both = thematic(x) && thematic(y);
    // Between two thematic designations, only the other thematic candidates compete: the judge
    // and the arms-maker of one name are told apart by the regime that listed them.
    const rivals = (cs: readonly Designee[]) => (both ? cs.filter(thematic) : cs);
    const ambiguous =
      distinct(rivals(inBand.get(`${x.entity.id}\u0000${datasetOf(y)}`) ?? [])) ||
      distinct(rivals(inBand.get(`${y.entity.id}\u0000${datasetOf(x)}`) ?? []));
    const d = decide(ev, ambiguous, both, o);
    if (d.decision === "none") continue;
    const [a, b] = x.entity.id < y.entity.id ? [x.entity.id, y.entity.id] : [y.entity.id, x.entity.id];
    edges.push({ a, b, score: d.score, names: ev.names, decision: d.decision, reason: d.reason });
  }
  return edges.sort((p, q) => q.score - p.score || p.a.localeCompare(q.a) || p.b.localeCompare(q.b));
}

/** A merged entity's id: stable for the same first referent; `ik-` marks it as ours. */
export function newCanonicalId(referents: readonly string[]): string {
  const first = [...referents].sort()[0] ?? "";
  return `ik-${createHash("sha256").update(first).digest("hex").slice(0, 16)}`;
}

/**
 * Clusters designees from edges and judgements. Judged-same pairs merge first, then automatic
 * edges by strength; a merge is refused when it would join two entities judged different, or —
 * for an automatic merge — two entities `mayJoin` keeps apart (two entries of one dataset that
 * are not one designee entered twice, or entries whose numbers disagree); a judged merge is
 * refused only for two entries of one dataset. A cluster reuses the canonical id its members
 * had before (`previous`: entity id → canonical id), so ids survive re-runs.
 */
export function cluster(
  entityIds: readonly string[],
  edges: readonly Edge[],
  judgements: ReadonlyMap<string, Judgement>,
  previous: ReadonlyMap<string, string> = new Map(),
  mayJoin: (a: string, b: string) => boolean = (a, b) => dataset(a) !== dataset(b),
): Clusters {
  const parent = new Map<string, string>(entityIds.map((id) => [id, id]));
  const sets = new Map<string, Set<string>>(entityIds.map((id) => [id, new Set([id])]));
  const find = (x: string): string => {
    let r = x;
    while (parent.get(r) !== r) r = parent.get(r) ?? r;
    parent.set(x, r);
    return r;
  };
  const different = new Map<string, string[]>();
  for (const [k, j] of judgements) {
    if (j !== "different") continue;
    const [a, b] = k.split("\u0000") as [string, string];
    different.set(a, [...(different.get(a) ?? []), b]);
    different.set(b, [...(different.get(b) ?? []), a]);
  }
  const blocker = (ra: string, rb: string, how: "auto" | "judged"): string | undefined => {
    const A = sets.get(ra) ?? new Set<string>();
    const B = sets.get(rb) ?? new Set<string>();
    for (const x of A)
      for (const y of different.get(x) ?? []) if (B.has(y)) return `${x} judged different from ${y}`;
    for (const x of A) {
      for (const y of B) {
        const one = dataset(x) === dataset(y);
        if ((one || how === "auto") && !mayJoin(x, y))
          return one
            ? `${x} and ${y} are two entries of one list`
            : `${x} and ${y}: the lists' numbers differ`;
      }
    }
    return undefined;
  };
  const merged: (Edge & { how: "auto" | "judged" })[] = [];
  const refused: (Edge & { why: string })[] = [];
  const pending: Edge[] = [];
  const join = (e: Edge, how: "auto" | "judged") => {
    if (!parent.has(e.a) || !parent.has(e.b)) return;
    const ra = find(e.a);
    const rb = find(e.b);
    if (ra === rb) return void merged.push({ ...e, how });
    const why = blocker(ra, rb, how);
    if (why) return void refused.push({ ...e, why });
    const [big, small] = (sets.get(ra)?.size ?? 0) >= (sets.get(rb)?.size ?? 0) ? [ra, rb] : [rb, ra];
    for (const x of sets.get(small) ?? []) sets.get(big)?.add(x);
    sets.delete(small);
    parent.set(small, big);
    merged.push({ ...e, how });
  };
  const byKey = new Map(edges.map((e) => [pairKey(e.a, e.b), e]));
  // Judged-same pairs first (an analyst's word outranks any score), then automatic ones.
  for (const [k, j] of judgements) {
    if (j !== "same") continue;
    const [a, b] = k.split("\u0000") as [string, string];
    const e = byKey.get(k) ?? { a, b, score: 1, names: 0, decision: "review" as const, reason: "" };
    join({ ...e, reason: `judged the same${e.reason ? ` (${e.reason})` : ""}` }, "judged");
  }
  for (const e of edges) {
    const j = judgements.get(pairKey(e.a, e.b));
    if (j) continue;
    if (e.decision === "auto") join(e, "auto");
    else if (e.decision === "review") pending.push(e);
  }
  for (const e of edges) {
    const j = judgements.get(pairKey(e.a, e.b));
    if (j === "different" && e.decision === "auto") refused.push({ ...e, why: "judged different" });
  }

  const members = new Map<string, string[]>();
  const canonical = new Map<string, string>();
  const taken = new Set<string>();
  const groups = [...sets.values()].map((s) => [...s].sort());
  // Larger clusters choose first, so a split keeps the old id on its larger part.
  groups.sort((x, y) => y.length - x.length || (x[0] ?? "").localeCompare(y[0] ?? ""));
  for (const g of groups) {
    let id = g[0] ?? "";
    if (g.length > 1) {
      const votes = new Map<string, number>();
      for (const m of g) {
        const p = previous.get(m);
        if (p?.startsWith("ik-") && !taken.has(p)) votes.set(p, (votes.get(p) ?? 0) + 1);
      }
      const best = [...votes].sort((x, y) => y[1] - x[1] || x[0].localeCompare(y[0]))[0]?.[0];
      id = best ?? newCanonicalId(g);
      if (taken.has(id)) id = `ik-${createHash("sha256").update(g.join("\n")).digest("hex").slice(0, 16)}`;
    }
    taken.add(id);
    members.set(id, g);
    for (const m of g) canonical.set(m, id);
  }
  return { members, canonical, merged, pending, refused };
}

export { pairKey };
