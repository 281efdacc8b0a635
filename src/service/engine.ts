// One generation of the service's index: the matcher and the search index over the same list
// versions, built in one pass over the store and read-only afterwards. It runs on a worker
// thread (live.ts) or on the request thread; either way it answers plain-data requests.

import type { Explanation } from "../match/algorithm.js";
import { algorithmNamed, MATCH_DEFAULTS, Matcher } from "../match/matcher.js";
import type { Query } from "../match/subject.js";
import { captionOf, type Entity } from "../model/entity.js";
import { getSchema, isA } from "../model/schema.js";
import { type Payment, type PaymentOptions, screenPayment } from "../screen/payment/index.js";
import {
  type SanctionLookup,
  sanctionsFromStore,
  screenVisa,
  type VisaApplicant,
  type VisaOptions,
} from "../screen/visa.js";
import { CATALOG } from "../sources/catalog.js";
import type { Store } from "../store/store.js";
import type { ListVersionRef } from "./records.js";
import {
  inScope,
  type Scope,
  type SearchDoc,
  SearchIndex,
  type SearchRequest,
  scopeIsOpen,
} from "./search.js";

export interface EngineMatchRequest {
  readonly queries: readonly Query[];
  readonly algorithm: string;
  /** Default: the algorithm's own threshold. */
  readonly threshold?: number;
  /** Results scoring at or below this are dropped unless they match (yente's cutoff). */
  readonly cutoff?: number;
  readonly limit: number;
  readonly scope: Scope;
}

export interface ScoredDoc extends SearchDoc {
  readonly score: number;
  readonly match: boolean;
  readonly explanation: readonly Explanation[];
  readonly programs: readonly string[];
}

export interface QueryResult {
  readonly results: ScoredDoc[];
  /** Matches among the results before they were cut to `limit`. */
  readonly total: number;
  /** There may be more matches than `total` counts (the candidate list was full). */
  readonly more: boolean;
}

export const ENGINE_DEFAULTS = {
  /** Candidates scored when a scope filters results afterwards (datasets, schemata, ids…). */
  scopedCandidates: 200,
  /** Results asked for beyond `limit`, so `total` can count matches past the page. */
  extraResults: 5,
};

/** FtM timestamps without fractions or zone, as yente writes them (`2024-05-03T10:00:00`). */
const TITLES = new Map(CATALOG.map((d) => [d.name, d.title]));

/** A dataset's title from the catalogue (`default` is every dataset). */
export const datasetTitle = (name: string): string =>
  name === "default" ? "All datasets" : (TITLES.get(name) ?? name);

const stamp = (s: string | undefined): string | null => (s ? s.slice(0, 19) : null);

const RISK_TOPICS = new Set(["sanction", "sanction.linked", "debarment", "crime", "poi", "role.pep"]);

function valuesOfType(e: Entity, type: string): string[] {
  const schema = getSchema(e.schema);
  const out = new Set<string>();
  for (const [prop, values] of Object.entries(e.properties)) {
    if (schema?.properties.get(prop)?.type === type) for (const v of values) out.add(v);
  }
  return [...out];
}

function toDoc(e: Entity, sanctioned: boolean): SearchDoc {
  const topics = new Set(e.properties.topics ?? []);
  if (sanctioned) topics.add("sanction");
  return {
    id: e.id,
    caption: captionOf(e),
    schema: e.schema,
    properties: e.properties,
    datasets: e.datasets,
    referents: e.referents,
    target: [...topics].some((t) => RISK_TOPICS.has(t)),
    first_seen: stamp(e.first_seen),
    last_seen: stamp(e.last_seen),
    last_change: stamp(e.last_change),
    topics: [...topics],
    countries: valuesOfType(e, "country"),
    identifiers: valuesOfType(e, "identifier"),
    genders: e.properties.gender ?? [],
  };
}

const matchable = (schema: string): boolean => isA(schema, "LegalEntity") || isA(schema, "Vehicle");

export class Engine {
  private constructor(
    readonly versions: readonly ListVersionRef[],
    private readonly matcher: Matcher,
    readonly index: SearchIndex,
    private readonly sanctions: SanctionLookup,
    readonly buildSeconds: number,
  ) {}

  /**
   * Builds from exactly the list versions named: the store is read once, the matcher
   * (Matcher.fromStore) and the search index each seeing every entity as it passes.
   */
  static async build(
    store: Pick<Store, "entities">,
    versions: readonly ListVersionRef[],
    opts: { datasetTitle?: (name: string) => string } = {},
  ): Promise<Engine> {
    const t0 = performance.now();
    const byName = new Map(versions.map((v) => [v.dataset, v]));
    const sanctioned = new Set<string>();
    const targets: Entity[] = [];
    const sanctionsOf = new Map<string, Entity[]>();
    async function* observe(dataset: string, source: AsyncIterable<Entity>): AsyncGenerator<Entity> {
      const sanctions: Entity[] = [];
      sanctionsOf.set(dataset, sanctions);
      for await (const e of source) {
        if (e.schema === "Sanction") {
          for (const id of e.properties.entity ?? []) sanctioned.add(id);
          sanctions.push(e);
        } else if (matchable(e.schema)) targets.push(e);
        yield e;
      }
    }
    // Matcher.fromStore reads entities by dataset name; here each name is pinned to its version.
    const pinned = {
      entities: (name: string) =>
        observe(name, store.entities(name, { versionId: byName.get(name)?.id ?? -1 })),
      datasets: async () => [],
    } as unknown as Store;
    const matcher = await Matcher.fromStore(
      pinned,
      versions.map((v) => v.dataset),
    );
    const index = new SearchIndex(opts.datasetTitle ?? datasetTitle);
    for (const e of targets) index.add(toDoc(e, sanctioned.has(e.id)));
    index.finish();
    // The measures each designation carries, for visa and payment decisions: read by the
    // screening code's own reader from the Sanctions kept aside above.
    const kept = {
      async *entities(name: string) {
        yield* sanctionsOf.get(name) ?? [];
      },
    } as unknown as Store;
    const sanctions = await sanctionsFromStore(
      kept,
      versions.map((v) => v.dataset),
    );
    return new Engine(versions, matcher, index, sanctions, (performance.now() - t0) / 1000);
  }

  get size(): number {
    return this.index.size;
  }

  match(req: EngineMatchRequest): QueryResult[] {
    const algorithm = algorithmNamed(req.algorithm);
    const threshold = req.threshold ?? algorithm.threshold;
    const cutoff = Math.min(req.cutoff ?? threshold, threshold);
    const open = scopeIsOpen(req.scope);
    const want = open ? req.limit + ENGINE_DEFAULTS.extraResults : Math.max(req.limit * 4, 50);
    const candidates = Math.max(
      open ? MATCH_DEFAULTS.candidates : ENGINE_DEFAULTS.scopedCandidates,
      req.limit,
    );
    return req.queries.map((q) => {
      const raw = this.matcher.match(q, { algorithm: algorithm.name, threshold, limit: want, candidates });
      const kept: ScoredDoc[] = [];
      for (const r of raw) {
        if (!r.match && !(r.score > cutoff)) continue;
        const doc = this.index.get(r.entity.id);
        if (!doc || !inScope(doc, req.scope)) continue;
        kept.push({
          ...doc,
          score: r.score,
          match: r.match,
          explanation: r.explanation,
          programs: r.entity.programs,
        });
      }
      return {
        results: kept.slice(0, req.limit),
        total: kept.filter((r) => r.match).length,
        more: raw.length >= want,
      };
    });
  }

  /** A visa applicant screened (screen/visa.ts), with the measures of each designation. */
  visa(applicant: VisaApplicant, opts: Omit<VisaOptions, "sanctions"> = {}) {
    return screenVisa(applicant, this.matcher, { ...opts, sanctions: this.sanctions });
  }

  /** A payment message screened (screen/payment), with the measures of each designation. */
  payment(payment: Payment, opts: Omit<PaymentOptions, "sanctions"> = {}) {
    return screenPayment(payment, this.matcher, { ...opts, sanctions: this.sanctions });
  }

  search(req: SearchRequest) {
    return this.index.search(req);
  }

  get(id: string): SearchDoc | undefined {
    return this.index.get(id);
  }
}
