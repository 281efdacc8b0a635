// The W3C Reconciliation API (v0.2) as yente serves it (§8), so OpenRefine can reconcile a
// spreadsheet column against the lists: the service manifest, batch queries (form-encoded
// `queries=`, as OpenRefine posts them), data extension and the suggest services. OpenRefine
// cannot set headers: the key may come as `?api_key=`, which the manifest passes on.

import type { FastifyRequest } from "fastify";
import { Type } from "typebox";
import { InterdictError } from "../../errors.js";
import { getSchema, SCHEMA_NAMES } from "../../model/schema.js";
import { type App, datasetScope, type ServiceContext } from "../app.js";
import { countryLabel, schemaPlural } from "../search.js";
import { readExample, resolveAlgorithm } from "../yente.js";
import { ChangedSince } from "./match.js";

export const RECONCILE_DEFAULTS = { limit: 5, batchSize: 3, suggestLimit: 10, typeSuggestions: 5 };

const TYPES = ["Thing", "LegalEntity", "Person", "Organization", "Company", "Vessel", "Airplane"];
const FEATURED = [
  "name",
  "alias",
  "birthDate",
  "nationality",
  "country",
  "idNumber",
  "passportNumber",
  "gender",
  "position",
];

/** "birthDate" → "Birth date". */
const label = (prop: string): string => {
  const words = prop.replace(/([A-Z])/g, " $1").toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
};

const typeJson = (s: string) => ({ id: s, name: s, description: schemaPlural(s) });

interface ReconcileQuery {
  query?: unknown;
  type?: unknown;
  limit?: unknown;
  properties?: unknown;
}

function parseJsonField(text: string, field: string): unknown {
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new InterdictError("INTERDICT_E_INPUT", `${field} is not valid JSON: ${(e as Error).message}`, {
      field,
    });
  }
}

/** One reconciliation query as a yente example entity. */
function toExample(key: string, q: ReconcileQuery) {
  const field = `queries.${key}`;
  if (typeof q !== "object" || q === null) {
    throw new InterdictError("INTERDICT_E_INPUT", "each query must be an object", { field });
  }
  const type = Array.isArray(q.type) ? q.type[0] : (q.type ?? "Thing");
  if (typeof type !== "string")
    throw new InterdictError("INTERDICT_E_INPUT", "type must be a string", { field: `${field}.type` });
  const properties: Record<string, string[]> = {};
  if (q.query !== undefined) {
    if (typeof q.query !== "string")
      throw new InterdictError("INTERDICT_E_INPUT", "query must be a string", { field: `${field}.query` });
    properties.name = [q.query];
  }
  if (q.properties !== undefined && !Array.isArray(q.properties)) {
    throw new InterdictError("INTERDICT_E_INPUT", "properties must be a list of {pid, v}", {
      field: `${field}.properties`,
    });
  }
  for (const [i, p] of ((q.properties as { pid?: unknown; v?: unknown }[] | undefined) ?? []).entries()) {
    const where = `${field}.properties.${i}`;
    if (typeof p?.pid !== "string")
      throw new InterdictError("INTERDICT_E_INPUT", "pid must be a string", { field: `${where}.pid` });
    const values = Array.isArray(p.v) ? p.v : [p.v];
    if (!values.every((v) => typeof v === "string")) {
      throw new InterdictError("INTERDICT_E_INPUT", "v must be a string or a list of strings", {
        field: `${where}.v`,
      });
    }
    // Qualified (`Person:birthDate`, as the spec's property ids are) or bare names.
    const prop = p.pid.includes(":") ? (p.pid.split(":")[1] ?? "") : p.pid;
    properties[prop] = [...(properties[prop] ?? []), ...(values as string[])];
  }
  const limit = q.limit === undefined ? RECONCILE_DEFAULTS.limit : Number(q.limit);
  if (!Number.isInteger(limit) || limit < 0 || limit > 500) {
    throw new InterdictError("INTERDICT_E_INPUT", "limit must be a whole number from 0 to 500", {
      field: `${field}.limit`,
    });
  }
  return { example: readExample({ schema: type, properties }, field), limit };
}

export function registerReconcile(app: App, ctx: ServiceContext): void {
  const route = { role: "screen" as const, keyInQuery: true };
  const Params = Type.Object({ dataset: Type.String() });

  const manifest = async (req: FastifyRequest, dataset: string) => {
    const gen = ctx.live.generation();
    const datasets = datasetScope(gen.versions, dataset);
    const qs = req.url.includes("?") ? `?${req.url.split("?", 2)[1]}` : "";
    const base = `${req.protocol}://${req.host}/reconcile/${dataset}`;
    const present = await gen.search({
      q: "",
      schema: "Thing",
      scope: datasets ? { datasets } : {},
      countries: [],
      topics: [],
      datasets: [],
      filters: [],
      filterOp: "OR",
      limit: 0,
      offset: 0,
      sort: [],
      fuzzy: false,
      simple: true,
      facets: ["schema"],
    });
    const schemata = (present.facets.schema?.values ?? []).map((v) => v.name);
    return {
      versions: ["0.2"],
      name: `${ctx.datasetTitle(dataset)} (Interdict)`,
      identifierSpace: "https://www.opensanctions.org/reference/#schema",
      schemaSpace: "https://www.opensanctions.org/reference/#schema",
      documentation: `${req.protocol}://${req.host}/docs`,
      batchSize: RECONCILE_DEFAULTS.batchSize,
      view: { url: `${req.protocol}://${req.host}/entities/{{id}}` },
      suggest: {
        entity: { service_url: base, service_path: `/suggest/entity${qs}` },
        type: { service_url: base, service_path: `/suggest/type${qs}` },
        property: { service_url: base, service_path: `/suggest/property${qs}` },
      },
      extend: {
        propose_properties: { service_url: base, service_path: `/extend/property${qs}` },
        propose_settings: [
          {
            name: "limit",
            label: "Limit",
            type: "number",
            default: 0,
            help_text: "Maximum number of values to return per row (0 for no limit).",
            choices: [],
          },
          {
            name: "render",
            label: "Value rendering",
            type: "select",
            default: "caption",
            help_text: "Return readable value (e.g. 'Russia') instead of raw value ('ru').",
            choices: [
              { id: "caption", name: "User-readable value" },
              { id: "raw", name: "Machine-readable value" },
            ],
          },
        ],
      },
      defaultTypes: [...new Set([...schemata, "LegalEntity"])].filter((s) => TYPES.includes(s)).map(typeJson),
    };
  };

  const answerQueries = async (
    req: FastifyRequest,
    dataset: string,
    text: string,
    algorithmName?: string,
    changedSince?: string,
  ) => {
    const gen = ctx.live.generation();
    const datasets = datasetScope(gen.versions, dataset);
    const algorithm = resolveAlgorithm(algorithmName);
    const raw = parseJsonField(text, "queries");
    if (typeof raw !== "object" || raw === null || Array.isArray(raw)) {
      throw new InterdictError("INTERDICT_E_INPUT", "queries must be an object of named queries", {
        field: "queries",
      });
    }
    const entries = Object.entries(raw as Record<string, ReconcileQuery>);
    if (entries.length > ctx.config.maxBatch) {
      throw new InterdictError(
        "INTERDICT_E_INPUT",
        `Too many queries in one batch (limit: ${ctx.config.maxBatch})`,
        {
          field: "queries",
        },
      );
    }
    const parsed = entries.map(([key, q]) => ({ key, ...toExample(key, q) }));
    ctx.charge(req, parsed.length);
    const out: Record<string, { result: unknown[] }> = {};
    const recorded: Record<string, unknown> = {};
    let anyMatch = false;
    // Each query may ask for its own limit; the engine takes one per call.
    for (const p of parsed) {
      const [r] = await gen.match({
        queries: [p.example.query],
        algorithm,
        cutoff: 0,
        limit: p.limit,
        scope: { ...(datasets ? { datasets } : {}), ...(changedSince ? { changedSince } : {}) },
      });
      const results = r?.results ?? [];
      anyMatch ||= results.some((x) => x.match);
      out[p.key] = {
        result: results.map((x) => ({
          id: x.id,
          name: x.caption,
          description: x.schema,
          type: [typeJson(x.schema)],
          score: Math.round(x.score * 10000) / 10000,
          match: x.match,
        })),
      };
      recorded[p.key] = {
        query: p.example.cleaned,
        results: results.map((x) => ({ id: x.id, score: x.score, match: x.match })),
      };
    }
    const s = await ctx.record(req, {
      kind: "reconcile",
      versions: gen.versions,
      decision: anyMatch ? "match" : "no_match",
      results: { algorithm, queries: recorded },
    });
    return { out, size: parsed.length, screeningId: s.id };
  };

  const extend = async (text: string) => {
    const raw = parseJsonField(text, "extend") as { ids?: unknown; properties?: unknown };
    if (!raw || !Array.isArray(raw.ids) || !raw.ids.every((i) => typeof i === "string")) {
      throw new InterdictError(
        "INTERDICT_E_INPUT",
        "Cannot decode extension request: ids must be a list of strings",
        { field: "extend.ids" },
      );
    }
    if (raw.ids.length > ctx.config.maxBatch) {
      throw new InterdictError("INTERDICT_E_INPUT", `Too many ids (limit: ${ctx.config.maxBatch})`, {
        field: "extend.ids",
      });
    }
    const props = (Array.isArray(raw.properties) ? raw.properties : []) as {
      id?: unknown;
      settings?: { limit?: number; render?: string };
    }[];
    const wanted = props.filter(
      (p): p is { id: string; settings?: { limit?: number; render?: string } } => typeof p?.id === "string",
    );
    const rows: Record<string, Record<string, { str: string }[]>> = {};
    for (const id of raw.ids as string[]) {
      const e = await ctx.store.getEntity(id);
      const row: Record<string, { str: string }[]> = {};
      if (e) {
        const schema = getSchema(e.schema);
        for (const p of wanted) {
          let values = e.properties[p.id] ?? [];
          if (
            (p.settings?.render ?? "caption") === "caption" &&
            schema?.properties.get(p.id)?.type === "country"
          ) {
            values = values.map((v) => countryLabel(v));
          }
          const limit = Number(p.settings?.limit ?? 0);
          if (limit > 0) values = values.slice(0, limit);
          row[p.id] = values.map((str) => ({ str }));
        }
      }
      rows[id] = row;
    }
    return { meta: wanted.map((p) => ({ id: p.id, name: label(p.id) })), rows };
  };

  const ReconcileQueryString = Type.Object({
    queries: Type.Optional(Type.String()),
    algorithm: Type.Optional(Type.String()),
    changed_since: Type.Optional(ChangedSince),
    api_key: Type.Optional(Type.String()),
  });

  app.get(
    "/reconcile/:dataset",
    {
      schema: {
        tags: ["reconciliation"],
        summary: "W3C reconciliation service manifest (or `?queries=` answered, as the spec allows)",
        params: Params,
        querystring: ReconcileQueryString,
      },
      config: route,
    },
    async (req, reply) => {
      if (req.query.queries) {
        const r = await answerQueries(
          req,
          req.params.dataset,
          req.query.queries,
          req.query.algorithm,
          req.query.changed_since,
        );
        reply.header("x-batch-size", String(r.size)).header("x-screening-id", r.screeningId);
        return r.out;
      }
      return manifest(req, req.params.dataset);
    },
  );

  app.post(
    "/reconcile/:dataset",
    {
      schema: {
        tags: ["reconciliation"],
        summary: "Reconciliation queries or data extension, form-encoded (queries=… or extend=…)",
        params: Params,
        querystring: ReconcileQueryString,
      },
      config: route,
    },
    async (req, reply) => {
      const body = (typeof req.body === "object" && req.body !== null ? req.body : {}) as Record<
        string,
        unknown
      >;
      const ext = typeof body.extend === "string" ? body.extend : "";
      if (ext.trim()) return extend(ext);
      if (typeof body.queries !== "string") {
        throw new InterdictError("INTERDICT_E_INPUT", "No queries or extend request provided.", {
          field: "queries",
        });
      }
      const r = await answerQueries(
        req,
        req.params.dataset,
        body.queries,
        req.query.algorithm,
        req.query.changed_since,
      );
      reply.header("x-batch-size", String(r.size)).header("x-screening-id", r.screeningId);
      return r.out;
    },
  );

  const suggest = (prefix: string, result: unknown[]) => ({
    code: "/api/status/ok",
    status: "200 OK",
    prefix,
    result,
  });
  const hidden = { tags: ["reconciliation"], hide: true, params: Params };

  app.get(
    "/reconcile/:dataset/suggest/entity",
    {
      schema: {
        ...hidden,
        querystring: Type.Object({
          prefix: Type.String({ default: "" }),
          limit: Type.Integer({ minimum: 0, maximum: 500, default: RECONCILE_DEFAULTS.suggestLimit }),
          api_key: Type.Optional(Type.String()),
        }),
      },
      config: route,
    },
    async (req) => {
      const gen = ctx.live.generation();
      const datasets = datasetScope(gen.versions, req.params.dataset);
      const prefix = req.query.prefix;
      if (!prefix.trim()) return suggest(prefix, []);
      const r = await gen.search({
        q: prefix,
        prefix: true,
        schema: "Thing",
        scope: datasets ? { datasets } : {},
        countries: [],
        topics: [],
        datasets: [],
        filters: [],
        filterOp: "OR",
        limit: req.query.limit,
        offset: 0,
        sort: [],
        fuzzy: false,
        simple: true,
        facets: [],
      });
      return suggest(
        prefix,
        r.results.map((d) => ({
          id: d.id,
          name: d.caption,
          description: d.schema,
          type: [typeJson(d.schema)],
        })),
      );
    },
  );

  const PrefixQuery = Type.Object({
    prefix: Type.String({ default: "" }),
    api_key: Type.Optional(Type.String()),
  });

  app.get(
    "/reconcile/:dataset/suggest/type",
    { schema: { ...hidden, querystring: PrefixQuery }, config: route },
    async (req) => {
      const p = req.query.prefix.toLowerCase();
      if (!p) return suggest(req.query.prefix, []);
      const hits = TYPES.filter(
        (s) => s.toLowerCase().startsWith(p) || schemaPlural(s).toLowerCase().startsWith(p),
      );
      return suggest(req.query.prefix, hits.slice(0, RECONCILE_DEFAULTS.typeSuggestions).map(typeJson));
    },
  );

  app.get(
    "/reconcile/:dataset/suggest/property",
    { schema: { ...hidden, querystring: PrefixQuery }, config: route },
    async (req) => {
      const p = req.query.prefix.toLowerCase();
      if (!p) return suggest(req.query.prefix, []);
      const out: { id: string; name: string; description: string }[] = [];
      for (const s of TYPES) {
        for (const [prop, spec] of getSchema(s)?.properties ?? []) {
          if (spec.type === "entity" || out.some((o) => o.id.endsWith(`:${prop}`))) continue;
          if (prop.toLowerCase().startsWith(p) || label(prop).toLowerCase().startsWith(p)) {
            out.push({ id: `${s}:${prop}`, name: label(prop), description: `${label(prop)} (${spec.type})` });
          }
        }
      }
      return suggest(req.query.prefix, out.slice(0, RECONCILE_DEFAULTS.typeSuggestions));
    },
  );

  app.get(
    "/reconcile/:dataset/extend/property",
    {
      schema: {
        ...hidden,
        querystring: Type.Object({
          type: Type.String({ default: "Thing" }),
          limit: Type.Integer({ minimum: 0, default: 0 }),
          api_key: Type.Optional(Type.String()),
        }),
      },
      config: route,
    },
    async (req) => {
      const schema = SCHEMA_NAMES.includes(req.query.type) ? getSchema(req.query.type) : undefined;
      if (!schema)
        throw new InterdictError("INTERDICT_E_INPUT", `Invalid type: ${req.query.type}`, { field: "type" });
      const all = [...schema.properties].filter(([, spec]) => spec.type !== "entity").map(([p]) => p);
      let props = [...FEATURED.filter((p) => all.includes(p)), ...all.filter((p) => !FEATURED.includes(p))];
      if (req.query.limit > 0) props = props.slice(0, req.query.limit);
      return {
        limit: req.query.limit,
        type: schema.name,
        properties: props.map((p) => ({ id: p, name: label(p) })).sort((a, b) => (a.name < b.name ? -1 : 1)),
      };
    },
  );
}
