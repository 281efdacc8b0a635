// Text search over the listed entities for `/search/{dataset}` (and reconciliation's entity
// suggest): an inverted index from normalised name tokens and identifiers to entities, with
// yente's filters, facets, sorting and paging. Built once per index generation, read-only after.

import { createRequire } from "node:module";
import { InterdictError } from "../errors.js";
import { getSchema, isA } from "../model/schema.js";
import { normalise } from "../text/normalise.js";

/** A listed entity as search and match responses show it (yente's Entity shape, flat). */
export interface SearchDoc {
  readonly id: string;
  readonly caption: string;
  readonly schema: string;
  readonly properties: Readonly<Record<string, readonly string[]>>;
  readonly datasets: readonly string[];
  readonly referents: readonly string[];
  readonly target: boolean;
  readonly first_seen: string | null;
  readonly last_seen: string | null;
  readonly last_change: string | null;
  /** Derived for facets and filters. */
  readonly topics: readonly string[];
  readonly countries: readonly string[];
  readonly identifiers: readonly string[];
  readonly genders: readonly string[];
}

/** Which entities a request may see: yente's dataset scoping and exclusions (§0). */
export interface Scope {
  /** Datasets in scope; undefined means every dataset. */
  readonly datasets?: readonly string[];
  readonly excludeSchema?: readonly string[];
  readonly excludeIds?: readonly string[];
  /** Only entities changed after this (`YYYY-MM-DD[THH[:MM[:SS]]]`). */
  readonly changedSince?: string;
  /** Only entities with any of these topics. */
  readonly topics?: readonly string[];
}

export function inScope(d: SearchDoc, s: Scope): boolean {
  if (s.datasets && !d.datasets.some((x) => s.datasets?.includes(x))) return false;
  if (s.excludeSchema?.includes(d.schema)) return false;
  if (
    s.excludeIds?.length &&
    (s.excludeIds.includes(d.id) || d.referents.some((r) => s.excludeIds?.includes(r)))
  )
    return false;
  if (s.changedSince && !((d.last_change ?? "") > s.changedSince)) return false;
  if (s.topics?.length && !d.topics.some((t) => s.topics?.includes(t))) return false;
  return true;
}

export const scopeIsOpen = (s: Scope): boolean =>
  !s.datasets && !s.excludeSchema?.length && !s.excludeIds?.length && !s.changedSince && !s.topics?.length;

export const FACETS = ["datasets", "schema", "countries", "identifiers", "topics", "genders"] as const;
export type Facet = (typeof FACETS)[number];

export interface SearchRequest {
  readonly q: string;
  readonly schema: string;
  readonly scope: Scope;
  readonly countries: readonly string[];
  readonly topics: readonly string[];
  readonly datasets: readonly string[];
  /** `field:value` pairs, split at the first colon. */
  readonly filters: readonly string[];
  readonly filterOp: "AND" | "OR";
  readonly limit: number;
  readonly offset: number;
  readonly sort: readonly string[];
  readonly fuzzy: boolean;
  /** Plain words only: never an error for query syntax (yente's `simple`). */
  readonly simple: boolean;
  readonly facets: readonly Facet[];
  /** The last word may be the start of a word (suggest-as-you-type). */
  readonly prefix?: boolean;
}

export interface FacetValue {
  readonly name: string;
  readonly label: string;
  readonly count: number;
}

export interface SearchResponse {
  readonly limit: number;
  readonly offset: number;
  readonly total: { readonly value: number; readonly relation: "eq" };
  readonly results: SearchDoc[];
  readonly facets: Record<string, { label: string; values: FacetValue[] }>;
}

export const SEARCH_DEFAULTS = {
  limit: 10,
  maxLimit: 500,
  /** offset + limit never passes this (yente's result window). */
  window: 9999,
  maxOffset: 9499,
  /** Buckets per facet. */
  facetSize: 1000,
};

const TOPIC_LABELS: Record<string, string> = {
  sanction: "Sanctioned entity",
  "sanction.linked": "Sanction-linked entity",
  "sanction.counter": "Counter-sanctioned entity",
  debarment: "Debarred entity",
  crime: "Crime",
  poi: "Person of interest",
  role: "Politician",
  "role.pep": "Politician",
  "export.control": "Export controlled",
};

const SCHEMA_PLURALS: Record<string, string> = {
  Person: "People",
  Organization: "Organizations",
  Company: "Companies",
  LegalEntity: "Legal entities",
  Vessel: "Vessels",
  Airplane: "Airplanes",
  Thing: "Things",
};

export const schemaPlural = (s: string): string => SCHEMA_PLURALS[s] ?? `${s}s`;

let countryNames: ((code: string) => string | undefined) | undefined;
/** A country code's English name (the code itself when unknown). */
export function countryLabel(code: string): string {
  if (!countryNames) {
    const iso = createRequire(import.meta.url)("i18n-iso-countries") as {
      getName(code: string, lang: string): string | undefined;
    };
    countryNames = (c) => iso.getName(c.toUpperCase(), "en");
  }
  return countryNames(code) ?? code;
}

const FACET_LABELS: Record<Facet, string> = {
  datasets: "Data sources",
  schema: "Entity types",
  countries: "Countries",
  identifiers: "Identifiers",
  topics: "Topics",
  genders: "Genders",
};

/** A field's values on a document, as filters, facets and sorting read them. */
function fieldValues(d: SearchDoc, field: string): readonly string[] {
  switch (field) {
    case "schema":
      return [d.schema];
    case "datasets":
      return d.datasets;
    case "countries":
      return d.countries;
    case "topics":
      return d.topics;
    case "identifiers":
      return d.identifiers;
    case "genders":
      return d.genders;
    case "id":
    case "entity_id":
      return [d.id];
    case "referents":
      return d.referents;
    case "caption":
      return [d.caption];
    case "target":
      return [String(d.target)];
    case "first_seen":
      return d.first_seen ? [d.first_seen] : [];
    case "last_seen":
      return d.last_seen ? [d.last_seen] : [];
    case "last_change":
      return d.last_change ? [d.last_change] : [];
    default:
      if (field.startsWith("properties.")) return d.properties[field.slice(11)] ?? [];
      return [];
  }
}

const FIELDS = new Set([
  "schema",
  "datasets",
  "countries",
  "topics",
  "identifiers",
  "genders",
  "id",
  "entity_id",
  "referents",
  "caption",
  "target",
  "first_seen",
  "last_seen",
  "last_change",
]);

function checkField(field: string, param: string): void {
  if (!FIELDS.has(field) && !/^properties\.[A-Za-z]+$/.test(field)) {
    throw new InterdictError(
      "INTERDICT_E_INPUT",
      `unknown field "${field}"; fields: ${[...FIELDS].join(", ")}, properties.<name>`,
      { field: param },
    );
  }
}

const NAME_PROPS = [
  "name",
  "alias",
  "previousName",
  "weakAlias",
  "abbreviation",
  "firstName",
  "middleName",
  "lastName",
  "fatherName",
];

/** A bounded edit distance: Infinity once it must exceed `max`. */
function withinEdits(a: string, b: string, max: number): boolean {
  if (Math.abs(a.length - b.length) > max) return false;
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    let rowMin = i;
    for (let j = 1; j <= b.length; j++) {
      const v = Math.min(
        (prev[j] ?? 0) + 1,
        (cur[j - 1] ?? 0) + 1,
        (prev[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1),
      );
      cur.push(v);
      if (v < rowMin) rowMin = v;
    }
    if (rowMin > max) return false;
    prev = cur;
  }
  return (prev[b.length] ?? max + 1) <= max;
}

export class SearchIndex {
  readonly docs: SearchDoc[] = [];
  private readonly byId = new Map<string, number>();
  private building: Map<string, number[]> | undefined = new Map();
  private postings = new Map<string, Int32Array>();
  private vocabulary: string[] = [];

  constructor(private readonly datasetTitle: (name: string) => string = (n) => n) {}

  add(doc: SearchDoc): void {
    if (!this.building) throw new Error("search index already finished");
    const i = this.docs.length;
    this.docs.push(doc);
    this.byId.set(doc.id, i);
    const seen = new Set<string>();
    // Identifiers split as a query does ("IMO9187629" → imo 9187629), and whole.
    const terms = [
      ...[...NAME_PROPS.flatMap((p) => doc.properties[p] ?? []), ...doc.identifiers].flatMap((n) =>
        normalise(n).split(" "),
      ),
      ...doc.identifiers.map((x) => x.toLowerCase().replace(/[^\p{L}\p{N}]/gu, "")),
    ];
    for (const t of terms) {
      if (!t || seen.has(t)) continue;
      seen.add(t);
      const list = this.building.get(t);
      if (list) list.push(i);
      else this.building.set(t, [i]);
    }
  }

  finish(): this {
    if (!this.building) return this;
    for (const [t, list] of this.building) this.postings.set(t, Int32Array.from(list));
    this.vocabulary = [...this.building.keys()].sort();
    this.building = undefined;
    return this;
  }

  get size(): number {
    return this.docs.length;
  }

  get(id: string): SearchDoc | undefined {
    const i = this.byId.get(id);
    return i === undefined ? undefined : this.docs[i];
  }

  private idf(term: string): number {
    const n = this.postings.get(term)?.length ?? 0;
    return Math.log(1 + this.docs.length / (1 + n));
  }

  /** Terms a query word stands for, each with how much a hit on it counts. */
  private expand(word: string, prefix: boolean, fuzzy: boolean): [string, number][] {
    const out: [string, number][] = [];
    if (this.postings.has(word)) out.push([word, 1]);
    if (prefix && word.length >= 2) {
      let lo = 0;
      let hi = this.vocabulary.length;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if ((this.vocabulary[mid] ?? "") < word) lo = mid + 1;
        else hi = mid;
      }
      for (let i = lo; i < this.vocabulary.length && out.length < 200; i++) {
        const t = this.vocabulary[i] ?? "";
        if (!t.startsWith(word)) break;
        if (t !== word) out.push([t, 0.7]);
      }
    }
    if (fuzzy) {
      // Elasticsearch's AUTO fuzziness: exact up to 2 letters, 1 edit up to 5, then 2.
      const edits = word.length <= 2 ? 0 : word.length <= 5 ? 1 : 2;
      if (edits > 0) {
        for (const t of this.vocabulary) {
          if (t !== word && withinEdits(word, t, edits)) out.push([t, 0.5]);
        }
      }
    }
    return out;
  }

  /** Documents matching every query word, with a relevance score. Empty `q`: every document. */
  private textHits(q: string, prefix: boolean, fuzzy: boolean): Map<number, number> | undefined {
    const words = normalise(q).split(" ").filter(Boolean);
    if (words.length === 0) return undefined;
    let result: Map<number, number> | undefined;
    words.forEach((w, wi) => {
      const hits = new Map<number, number>();
      for (const [term, weight] of this.expand(w, prefix && wi === words.length - 1, fuzzy)) {
        const score = weight * this.idf(term);
        for (const i of this.postings.get(term) ?? []) {
          if ((hits.get(i) ?? 0) < score) hits.set(i, score);
        }
      }
      if (!result) result = hits;
      else {
        const next = new Map<number, number>();
        for (const [i, s] of result) {
          const h = hits.get(i);
          if (h !== undefined) next.set(i, s + h);
        }
        result = next;
      }
    });
    return result ?? new Map();
  }

  search(r: SearchRequest): SearchResponse {
    const schema = getSchema(r.schema);
    if (!schema)
      throw new InterdictError("INTERDICT_E_INPUT", `Invalid schema: ${r.schema}`, { field: "schema" });
    const filters = new Map<string, string[]>();
    const addFilter = (field: string, value: string): void => {
      filters.set(field, [...(filters.get(field) ?? []), value]);
    };
    for (const c of r.countries) addFilter("countries", c.toLowerCase());
    for (const t of r.topics) addFilter("topics", t);
    for (const d of r.datasets) addFilter("datasets", d);
    for (const f of r.filters) {
      const at = f.indexOf(":");
      if (at < 0)
        throw new InterdictError("INTERDICT_E_INPUT", `Invalid filter: '${f}'`, { field: "filter" });
      const field = f.slice(0, at);
      checkField(field, "filter");
      addFilter(field, f.slice(at + 1));
    }
    for (const s of r.sort) checkField(s.split(":")[0] ?? "", "sort");

    const text = r.q.trim() ? this.textHits(r.q, r.prefix ?? false, r.fuzzy) : undefined;
    const candidates = text ? [...text.keys()] : this.docs.map((_, i) => i);
    const hits: number[] = [];
    for (const i of candidates) {
      const d = this.docs[i];
      if (!d || !isA(d.schema, schema.name) || !inScope(d, r.scope)) continue;
      let ok = true;
      for (const [field, values] of filters) {
        const have = fieldValues(d, field);
        ok =
          r.filterOp === "AND" ? values.every((v) => have.includes(v)) : values.some((v) => have.includes(v));
        if (!ok) break;
      }
      if (ok) hits.push(i);
    }

    const score = (i: number): number => text?.get(i) ?? 1;
    const orders = r.sort.map((s) => {
      const [field = "", dir] = s.split(":");
      return { field, desc: dir?.toLowerCase() === "desc" };
    });
    hits.sort((a, b) => {
      for (const o of orders) {
        if (o.field === "score") {
          const c = score(a) - score(b);
          if (c !== 0) return o.desc ? -c : c;
          continue;
        }
        // Missing values sort last, whichever the direction.
        const x = fieldValues(this.docs[a] as SearchDoc, o.field)[0];
        const y = fieldValues(this.docs[b] as SearchDoc, o.field)[0];
        if (x === y) continue;
        if (x === undefined) return 1;
        if (y === undefined) return -1;
        return (x < y ? -1 : 1) * (o.desc ? -1 : 1);
      }
      const s = score(b) - score(a);
      if (s !== 0) return s;
      return (this.docs[a]?.id ?? "") < (this.docs[b]?.id ?? "") ? -1 : 1;
    });

    const offset = Math.max(0, Math.min(r.offset, SEARCH_DEFAULTS.maxOffset));
    const limit = Math.max(0, Math.min(r.limit, SEARCH_DEFAULTS.window - offset));
    const facets: SearchResponse["facets"] = {};
    for (const f of r.facets) facets[f] = this.facet(f, hits);
    return {
      limit,
      offset,
      total: { value: hits.length, relation: "eq" },
      results: hits.slice(offset, offset + limit).map((i) => this.docs[i] as SearchDoc),
      facets,
    };
  }

  private facet(f: Facet, hits: readonly number[]): { label: string; values: FacetValue[] } {
    const counts = new Map<string, number>();
    for (const i of hits) {
      const d = this.docs[i];
      if (!d) continue;
      for (const v of new Set(fieldValues(d, f))) counts.set(v, (counts.get(v) ?? 0) + 1);
    }
    const label = (v: string): string => {
      if (f === "datasets") return this.datasetTitle(v);
      if (f === "schema") return schemaPlural(v);
      if (f === "countries") return countryLabel(v);
      if (f === "topics") return TOPIC_LABELS[v] ?? v;
      return v;
    };
    const values = [...counts]
      .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
      .slice(0, SEARCH_DEFAULTS.facetSize)
      .map(([name, count]) => ({ name, label: label(name), count }));
    return { label: FACET_LABELS[f], values };
  }
}
