// Designees: each listed target of the current list versions with its designations (programme,
// date, regime) and the keys that identify it outside any one list (passport and national-ID
// numbers, IMO numbers, UN reference numbers). Resolution and the coverage map read these.

import { type MatchEntity, matchEntity, normaliseIdentifier } from "../match/subject.js";
import type { Entity } from "../model/entity.js";
import { isA } from "../model/schema.js";
import type { Store } from "../store/store.js";
import { jurisdictionOf, type Regime, regimeOf, supersededBy } from "./regimes.js";

export interface Designation {
  readonly dataset: string;
  readonly entity_id: string;
  readonly program: string;
  /** The listing date where the list gives one (OFAC's files and the EU's FtM copy do not). */
  readonly listed_on: string | null;
  readonly regime?: Regime;
  /** Measures the designation names itself (UK `provisions`), else the regime's defaults. */
  readonly measures: readonly string[];
}

export type KeyKind = "passport" | "national-id" | "imo" | "un";

export interface Key {
  readonly kind: KeyKind;
  readonly value: string;
}

/**
 * A key as compared across lists: one list's passport number is another's national ID (the
 * EU and OFAC disagree on which an Iranian or Burmese number is), so document numbers compare
 * by value alone; IMO and UN references by kind and value.
 */
export const keyOf = (k: Key): string =>
  k.kind === "passport" || k.kind === "national-id" ? `doc:${k.value}` : `${k.kind}:${k.value}`;

export interface Designee {
  readonly entity: Entity;
  readonly match: MatchEntity;
  readonly designations: readonly Designation[];
  readonly keys: readonly Key[];
}

export interface ListVersionRef {
  readonly dataset: string;
  readonly version: string;
  readonly id: number;
}

const KEY_PROPS: [string, KeyKind][] = [
  ["passportNumber", "passport"],
  ["idNumber", "national-id"],
  ["imoNumber", "imo"],
];

/** Shorter numbers collide by chance too often to identify anyone. */
const MIN_KEY = 6;

// Passport numbers that DFAT writes only in free text ("Passport number: 604176957 (likely
// expired)"): the first token with five or more digits within a few words of "passport".
const NOTE_PASSPORT = /passport[^.;:]{0,40}?(?:no\.?|number|#)?\s*:?\s*([A-Z]{0,3}[\s-]?\d[\d\s-]{4,14}\d)/gi;

export function passportsInNotes(text: string): string[] {
  const out: string[] = [];
  for (const m of text.matchAll(NOTE_PASSPORT)) {
    const v = normaliseIdentifier(m[1] ?? "");
    if (v.replace(/\D/g, "").length >= 5) out.push(v);
  }
  return out;
}

const UN_DATASET = "un_sc_sanctions";

/**
 * The forms under which a list may write one number. Lists wrap numbers in words and marks
 * ("Afghan passport number SE012820", "403062567 (US)", "TR-P614166", "IMO 5936312",
 * Venezuela's "V-14970215" beside OFAC's "14970215"), so besides the whole value each
 * alphanumeric token with a digit counts, and each run of seven or more digits: long enough
 * not to collide by chance among the lists' few thousand numbers (IMO numbers have seven).
 */
export function numberForms(raw: string): string[] {
  const out = new Set<string>();
  const whole = normaliseIdentifier(raw);
  if (whole.length >= MIN_KEY) out.add(whole);
  for (const t of raw.toUpperCase().split(/[^0-9A-Z]+/)) {
    if (t.length >= MIN_KEY && /\d/.test(t) && (t.match(/\d/g)?.length ?? 0) >= 5) out.add(t);
  }
  for (const m of whole.matchAll(/\d{7,}/g)) out.add(m[0]);
  return [...out];
}

function keysOf(e: Entity, sanctions: readonly Entity[]): Key[] {
  const keys = new Map<string, Key>();
  const add = (kind: KeyKind, raw: string) => {
    if (kind !== "un") {
      for (const value of numberForms(raw)) keys.set(`${kind}:${value}`, { kind, value });
      return;
    }
    const value = raw.trim().toUpperCase().replace(/\.$/, "");
    if (value.length < 5) return;
    keys.set(`${kind}:${value}`, { kind, value });
  };
  for (const [prop, kind] of KEY_PROPS) for (const v of e.properties[prop] ?? []) add(kind, v);
  for (const n of e.properties.notes ?? []) for (const v of passportsInNotes(n)) add("passport", v);
  // UK and EU records cite the UN listing they implement; the UN's own entity is that listing.
  for (const s of sanctions) for (const v of s.properties.unscId ?? []) add("un", v);
  if (e.datasets.includes(UN_DATASET)) add("un", e.id.slice(UN_DATASET.length + 1));
  return [...keys.values()];
}

function listedOn(e: Entity, s: Entity): string | null {
  const p = s.properties;
  const d = p.listingDate?.[0] ?? p.startDate?.[0];
  if (d) return d;
  // The EU file cites the act of each record; a founding regulation's entry into force is the
  // listing date, an amending act's is not.
  for (const desc of p.description ?? []) {
    const m = /\((regulation); [a-z]+;[^)]*in force (\d{4}-\d{2}-\d{2})\)/.exec(desc);
    if (m?.[2]) return m[2];
  }
  return e.properties.createdAt?.[0] ?? null;
}

/** Datasets whose designations count: every current one, less those whose successor is loaded. */
export async function currentVersions(store: Store, only?: readonly string[]): Promise<ListVersionRef[]> {
  const all = (await store.datasets()).filter((d) => d.current);
  const names = new Set(all.map((d) => d.name));
  return all
    .filter((d) => !only || only.includes(d.name))
    .filter((d) => {
      const next = supersededBy(d.name);
      return !next || !names.has(next);
    })
    .map((d) => ({ dataset: d.name, version: d.current?.version ?? "", id: d.current?.id ?? 0 }));
}

/** Every target (person, organisation, vessel…) of the given list versions, with designations and keys. */
export async function loadDesignees(store: Store, versions: readonly ListVersionRef[]): Promise<Designee[]> {
  const out: Designee[] = [];
  for (const v of versions) {
    const sanctions = new Map<string, Entity[]>();
    const targets: Entity[] = [];
    for await (const e of store.entities(v.dataset, { versionId: v.id })) {
      if (e.schema === "Sanction") {
        for (const id of e.properties.entity ?? []) sanctions.set(id, [...(sanctions.get(id) ?? []), e]);
      } else if (isA(e.schema, "LegalEntity") || isA(e.schema, "Vehicle")) {
        const { source: _s, ...rest } = e as Entity & { versionId?: number };
        targets.push(rest);
      }
    }
    const jurisdiction = jurisdictionOf(v.dataset);
    for (const e of targets) {
      const ss = sanctions.get(e.id) ?? [];
      const designations: Designation[] = [];
      for (const s of ss) {
        for (const program of s.properties.program ?? []) {
          const regime = regimeOf(v.dataset, program);
          const provisions = (s.properties.provisions ?? []).map((m) => m.toLowerCase());
          designations.push({
            dataset: v.dataset,
            entity_id: e.id,
            program,
            listed_on: listedOn(e, s),
            ...(regime ? { regime } : {}),
            measures: provisions.length && jurisdiction === "UK" ? provisions : (regime?.measures ?? []),
          });
        }
      }
      const programs = [...new Set(designations.map((d) => d.program))];
      out.push({ entity: e, match: matchEntity(e, programs), designations, keys: keysOf(e, ss) });
    }
  }
  return out;
}
