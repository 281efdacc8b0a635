// POST /match/{dataset}: yente's query-by-example screening (YENTE-API.md §2), a batch of FtM
// example entities in, the best listed entities for each out, every result with its score
// and explanation. Each request is one screening record.

import { Type } from "typebox";
import type { Awaitable } from "../../cases/cases.js";
import { InterdictError } from "../../errors.js";
import type { Query } from "../../match/subject.js";
import { groupByCanonical, type Resolution, resolutionOnce } from "../../resolve/canonical.js";
import type { Store } from "../../store/store.js";
import { type App, datasetScope, type ServiceContext } from "../app.js";
import { readExample, resolveAlgorithm, scoredJson } from "../yente.js";

export const MATCH_DEFAULTS = {
  limit: 5,
  maxLimit: 500,
  maxExcludedIds: 50,
};

/**
 * Which list entries are one person (`interdict resolve`), read once per index generation: a
 * new resolution is picked up with the next index swap. Without one, every entry is its own.
 */
function resolutionFor(gen: object, store: Store): Awaitable<Resolution> {
  return resolutionOnce(gen, store);
}

const Strings = Type.Array(Type.String());
export const ChangedSince = Type.String({
  pattern: "^\\d{4}-\\d{2}-\\d{2}(T\\d{2}(:\\d{2}(:\\d{2})?)?)?$",
  description: "only entities changed after this: YYYY-MM-DD[THH[:MM[:SS]]]",
});

const EntityExample = Type.Object({
  id: Type.Optional(Type.Union([Type.String(), Type.Null()])),
  schema: Type.String({
    description: "FtM schema: Person, Organization, Company, LegalEntity, Vessel, Airplane, Thing",
  }),
  properties: Type.Record(Type.String(), Type.Unknown(), {
    description:
      'FtM properties, each a value or a list: {"name": ["Pavel Karpov"], "birthDate": ["1977-08-27"]}',
  }),
});

const MatchBody = Type.Object({
  queries: Type.Record(Type.String(), EntityExample),
  weights: Type.Optional(Type.Record(Type.String(), Type.Number())),
  config: Type.Optional(Type.Record(Type.String(), Type.Unknown())),
});

const MatchQuery = Type.Object({
  limit: Type.Integer({ minimum: 0, maximum: MATCH_DEFAULTS.maxLimit, default: MATCH_DEFAULTS.limit }),
  threshold: Type.Optional(
    Type.Number({ minimum: 0, maximum: 1, description: "default: the algorithm's own" }),
  ),
  cutoff: Type.Optional(Type.Number({ minimum: 0, maximum: 1 })),
  algorithm: Type.String({ default: "best" }),
  include_dataset: Type.Optional(Strings),
  exclude_dataset: Type.Optional(Strings),
  exclude_schema: Type.Optional(Strings),
  topics: Type.Optional(Strings),
  changed_since: Type.Optional(ChangedSince),
  exclude_entity_ids: Type.Optional(Type.Array(Type.String(), { maxItems: MATCH_DEFAULTS.maxExcludedIds })),
});

export function registerMatch(app: App, ctx: ServiceContext): void {
  app.post(
    "/match/:dataset",
    {
      schema: {
        tags: ["screening"],
        summary: "Screen a batch of example entities (yente-compatible); each request is recorded",
        params: Type.Object({
          dataset: Type.String({ description: "`default` for every dataset, or one dataset name" }),
        }),
        querystring: MatchQuery,
        body: MatchBody,
      },
      config: { role: "screen" },
    },
    async (req, reply) => {
      const gen = ctx.live.generation();
      const q = req.query;
      const datasets = datasetScope(gen.versions, req.params.dataset, q.include_dataset, q.exclude_dataset);
      const algorithm = resolveAlgorithm(q.algorithm);
      const configKeys = Object.keys(req.body.config ?? {});
      if (configKeys.length > 0) {
        throw new InterdictError(
          "INTERDICT_E_INPUT",
          `Invalid configuration parameter: ${configKeys[0]} for algorithm ${algorithm}`,
          { field: `config.${configKeys[0]}` },
        );
      }
      const entries = Object.entries(req.body.queries);
      if (entries.length > ctx.config.maxBatch) {
        throw new InterdictError(
          "INTERDICT_E_INPUT",
          `Too many queries in one batch (limit: ${ctx.config.maxBatch})`,
          { field: "queries" },
        );
      }
      const parsed = entries.map(([key, ex]) => ({ key, ...readExample(ex, `queries.${key}`) }));
      if (parsed.length === 0) {
        throw new InterdictError("INTERDICT_E_INPUT", "No queries provided.", { field: "queries" });
      }
      ctx.charge(req, parsed.length);
      const results = await gen.match({
        queries: parsed.map((p) => p.query as Query),
        algorithm,
        ...(q.threshold !== undefined ? { threshold: q.threshold } : {}),
        ...(q.cutoff !== undefined ? { cutoff: q.cutoff } : {}),
        limit: q.limit,
        scope: {
          ...(datasets ? { datasets } : {}),
          ...(q.exclude_schema ? { excludeSchema: q.exclude_schema } : {}),
          ...(q.exclude_entity_ids ? { excludeIds: q.exclude_entity_ids } : {}),
          ...(q.changed_since ? { changedSince: q.changed_since } : {}),
          ...(q.topics ? { topics: q.topics } : {}),
        },
      });
      const resolution = await resolutionFor(gen, ctx.store);
      const responses: Record<string, unknown> = {};
      const recorded: Record<string, unknown> = {};
      let anyMatch = false;
      parsed.forEach((p, i) => {
        const r = results[i] ?? { results: [], total: 0, more: false };
        const full = r.more && r.total >= r.results.length && r.results.length > 0;
        anyMatch ||= r.total > 0;
        responses[p.key] = {
          status: 200,
          // One result per person: `id` stays the best-scoring list entry (yente clients look it
          // up), `entity_id` is the person across lists and `referents` every entry of theirs.
          results: groupByCanonical(r.results, resolution, (x) => x.id).map((g) => ({
            ...scoredJson(g.best),
            entity_id: g.canonical,
            referents: [...new Set([...g.referents, ...g.best.referents])],
          })),
          total: { value: r.total, relation: full ? "gte" : "eq" },
          query: p.cleaned,
        };
        recorded[p.key] = {
          query: p.cleaned,
          results: r.results.map((x) => ({
            id: x.id,
            caption: x.caption,
            schema: x.schema,
            datasets: x.datasets,
            score: x.score,
            match: x.match,
            explanation: x.explanation,
          })),
        };
      });
      const s = await ctx.record(req, {
        kind: "match",
        versions: gen.versions,
        decision: anyMatch ? "match" : "no_match",
        results: { algorithm, threshold: q.threshold ?? null, limit: q.limit, queries: recorded },
      });
      reply.header("x-batch-size", String(parsed.length)).header("x-screening-id", s.id);
      return { responses, limit: q.limit, screening_id: s.id };
    },
  );
}
