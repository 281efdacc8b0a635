// Looking things up: GET /search/{dataset} (text search with filters and facets, §3) and
// GET /entities/{id} (one entity with the entities around it nested, §4; an id resolution merged
// into a person answers 308 to the person), GET /entities/{id}/adjacent[/{property}] (the
// entities around it, a page per property, §4).

import type { FastifyReply } from "fastify";
import { Type } from "typebox";
import { InterdictError } from "../../errors.js";
import type { Entity } from "../../model/entity.js";
import { captionOf } from "../../model/entity.js";
import { getSchema, SCHEMA_NAMES } from "../../model/schema.js";
import {
  type CanonicalEntity,
  canonicalEntity,
  loadResolution,
  type Resolution,
  resolutionOnce,
} from "../../resolve/canonical.js";
import type { StoredEntity } from "../../store/store.js";
import { type App, datasetScope, type ServiceContext } from "../app.js";
import reverseData from "../data/reverse-properties.json" with { type: "json" };
import { FACETS, SEARCH_DEFAULTS } from "../search.js";
import { entityJson } from "../yente.js";
import { ChangedSince } from "./match.js";

const Strings = Type.Array(Type.String());
const REVERSE: Readonly<Record<string, string>> = reverseData.reverse;

const SearchQuery = Type.Object({
  q: Type.String({
    default: "",
    description: "words that must all be in a name or identifier; empty: everything",
  }),
  schema: Type.String({ default: "Thing" }),
  include_dataset: Type.Optional(Strings),
  exclude_dataset: Type.Optional(Strings),
  exclude_schema: Type.Optional(Strings),
  changed_since: Type.Optional(ChangedSince),
  countries: Type.Optional(Strings),
  topics: Type.Optional(Strings),
  datasets: Type.Optional(Strings),
  filter: Type.Optional(
    Type.Array(Type.String(), { description: "field:value, e.g. properties.birthDate:1977-08-27" }),
  ),
  limit: Type.Integer({ minimum: 0, maximum: SEARCH_DEFAULTS.maxLimit, default: SEARCH_DEFAULTS.limit }),
  offset: Type.Integer({ minimum: 0, maximum: SEARCH_DEFAULTS.maxOffset, default: 0 }),
  sort: Type.Optional(Type.Array(Type.String({ description: "field[:asc|desc]" }))),
  target: Type.Optional(Type.Boolean()),
  fuzzy: Type.Boolean({ default: false }),
  simple: Type.Boolean({ default: false }),
  facets: Type.Array(Type.Union(FACETS.map((f) => Type.Literal(f))), {
    default: ["countries", "topics", "datasets"],
  }),
  filter_op: Type.Union([Type.Literal("AND"), Type.Literal("OR")], { default: "OR" }),
});

/** The reverse name under which `schema.prop` pointing at an entity nests on that entity. */
function reverseName(schema: string, prop: string): string {
  for (const s of getSchema(schema)?.ancestors ?? [schema]) {
    const r = REVERSE[`${s}.${prop}`];
    if (r) return r;
  }
  return `${schema.charAt(0).toLowerCase()}${schema.slice(1)}${prop.charAt(0).toUpperCase()}${prop.slice(1)}`;
}

const stamp = (s: string | undefined): string | null => (s ? s.slice(0, 19) : null);

interface Json {
  id: string;
  caption: string;
  schema: string;
  properties: Record<string, (string | Json)[]>;
  datasets: string[];
  referents: string[];
  target: boolean;
  first_seen: string | null;
  last_seen: string | null;
  last_change: string | null;
}

function flat(e: Entity, target = false): Json {
  return {
    id: e.id,
    caption: captionOf(e),
    schema: e.schema,
    properties: e.properties,
    datasets: e.datasets,
    referents: e.referents,
    target,
    first_seen: stamp(e.first_seen),
    last_seen: stamp(e.last_seen),
    last_change: stamp(e.last_change),
  };
}

const entityProps = (schemaName: string, properties: Entity["properties"]): [string, string[]][] => {
  const schema = getSchema(schemaName);
  return Object.entries(properties).filter(([p]) => schema?.properties.get(p)?.type === "entity");
};

/**
 * The entity-typed property names of a schema as yente knows them: its own entity properties and
 * the reverse names of every property elsewhere whose range it is (`sanctions`, `ownershipOwner`, ...).
 */
function adjacentNames(schemaName: string): Set<string> {
  const schema = getSchema(schemaName);
  const names = new Set<string>();
  if (!schema) return names;
  for (const [p, spec] of schema.properties) if (spec.type === "entity") names.add(p);
  for (const other of SCHEMA_NAMES) {
    for (const [p, spec] of getSchema(other)?.properties ?? []) {
      if (spec.type === "entity" && spec.range && schema.ancestors.has(spec.range)) {
        names.add(reverseName(other, p));
      }
    }
  }
  return names;
}

/** The entity a lookup answers: one list entry, or the person resolution merged from several. */
interface Root {
  /** Flat, as `nested=false` answers it. */
  readonly json: Json;
  /** The stored entries behind it (one unless merged). */
  readonly members: readonly StoredEntity[];
  /** Entities pointing at any of them, each once. */
  readonly refs: readonly StoredEntity[];
}

/** The store's resolution for this request: once per index generation, as /match reads it. */
async function resolutionFor(ctx: ServiceContext): Promise<Resolution> {
  if (ctx.live.ready) {
    try {
      return await resolutionOnce(ctx.live.generation(), ctx.store);
    } catch {
      // No usable generation: read the resolution directly.
    }
  }
  return await loadResolution(ctx.store);
}

const earliest = (xs: (string | null)[]): string | null =>
  xs.reduce<string | null>((a, x) => (x !== null && (a === null || x < a) ? x : a), null);
const latest = (xs: (string | null)[]): string | null =>
  xs.reduce<string | null>((a, x) => (x !== null && (a === null || x > a) ? x : a), null);

const noSuchEntity = () => new InterdictError("INTERDICT_E_NOT_FOUND", "No such entity!", { field: "id" });

/**
 * The entity for `id`, or the canonical id to redirect to when `id` is only a referent of a
 * person resolution merged. A merged person is `canonicalEntity` (the CLI's view): every value
 * of every entry kept, datasets joined; its lifetime spans its entries'.
 */
async function findRoot(ctx: ServiceContext, id: string): Promise<Root | { redirect: string }> {
  const resolution = await resolutionFor(ctx);
  const canonical = resolution.canonicalOf(id);
  if (canonical !== id) return { redirect: canonical };
  const ids = resolution.referents(id);
  let members: StoredEntity[];
  let merged: CanonicalEntity | undefined;
  if (ids.length > 1) {
    merged = await canonicalEntity(ctx.store, id).catch((e: unknown) => {
      if (e instanceof InterdictError && e.code === "INTERDICT_E_NOT_FOUND") throw noSuchEntity();
      throw e;
    });
    const found = await Promise.all(merged.referents.map((m) => ctx.store.getEntity(m)));
    members = found.filter((e): e is StoredEntity => e !== undefined);
  } else {
    const e = await ctx.store.getEntity(id);
    members = e ? [e] : [];
  }
  const first = members[0];
  if (!first) throw noSuchEntity();
  const refs = new Map<string, StoredEntity>();
  for (const m of members) {
    for (const r of await ctx.store.referencing(m.id, { versionId: m.versionId })) refs.set(r.id, r);
  }
  const target = [...refs.values()].some((r) => r.schema === "Sanction");
  const own = members.map((m) => flat(m));
  const json: Json = merged
    ? {
        id: merged.id,
        caption: merged.caption,
        schema: merged.schema,
        properties: Object.fromEntries(Object.entries(merged.properties).map(([p, vs]) => [p, [...vs]])),
        datasets: [...merged.datasets],
        referents: [...merged.referents],
        target,
        first_seen: earliest(own.map((m) => m.first_seen)),
        last_seen: latest(own.map((m) => m.last_seen)),
        last_change: latest(own.map((m) => m.last_change)),
      }
    : flat(first, target);
  return { json, members, refs: [...refs.values()] };
}

/**
 * Everything around the root, by yente property name: the root's own entity properties (the
 * entities found, an id where none is) and, under the reverse name, the entities pointing at it,
 * their other entity properties expanded one hop. The root itself stays an id inside them.
 */
async function adjacent(ctx: ServiceContext, root: Root): Promise<Map<string, (string | Json)[]>> {
  const load = async (id: string): Promise<Entity | undefined> => {
    for (const m of root.members) {
      const e = await ctx.store.getEntity(id, { versionId: m.versionId });
      if (e) return e;
    }
    return ctx.store.getEntity(id);
  };
  const rootIds = new Set([root.json.id, ...root.members.map((m) => m.id)]);
  const out = new Map<string, (string | Json)[]>();
  for (const [prop, ids] of entityProps(root.json.schema, root.json.properties as Entity["properties"])) {
    out.set(prop, await Promise.all(ids.map(async (id) => (await load(id).then((e) => e && flat(e))) ?? id)));
  }
  for (const r of root.refs) {
    const child = flat(r);
    const childProps: Record<string, (string | Json)[]> = { ...r.properties };
    const under = new Set<string>();
    for (const [prop, ids] of entityProps(r.schema, r.properties)) {
      if (ids.some((id) => rootIds.has(id))) {
        under.add(reverseName(r.schema, prop));
        continue;
      }
      const found = (await Promise.all(ids.map(load))).filter((e): e is Entity => e !== undefined);
      if (found.length) childProps[prop] = found.map((e) => flat(e));
    }
    child.properties = childProps;
    for (const name of under) {
      const list = out.get(name) ?? [];
      list.push(child);
      out.set(name, list);
    }
  }
  return out;
}

/**
 * yente's nesting: entities pointing at the root under the reverse property name (with their
 * other entity properties expanded one hop), the root's own entity properties replaced by the
 * entities; the root itself is never re-embedded. Ids not found are dropped when some are found.
 */
async function nested(ctx: ServiceContext, root: Root): Promise<Json> {
  const props: Record<string, (string | Json)[]> = { ...root.json.properties };
  const own = new Set(
    entityProps(root.json.schema, root.json.properties as Entity["properties"]).map(([p]) => p),
  );
  for (const [name, values] of await adjacent(ctx, root)) {
    if (own.has(name)) {
      const found = values.filter((v) => typeof v !== "string");
      if (found.length) props[name] = found;
    } else {
      props[name] = [...(props[name] ?? []), ...values];
    }
  }
  return { ...root.json, properties: props };
}

/** A value of an adjacent result to sort on (an id string has only its id). */
function sortValue(v: string | Json, field: string): string | undefined {
  if (typeof v === "string") return field === "id" || field === "entity_id" ? v : undefined;
  switch (field) {
    case "id":
    case "entity_id":
      return v.id;
    case "caption":
    case "schema":
    case "first_seen":
    case "last_seen":
    case "last_change":
      return v[field] ?? undefined;
    case "datasets":
    case "referents":
      return v[field][0];
    case "target":
      return String(v.target);
    default: {
      const first = v.properties[field.slice(11)]?.[0];
      return typeof first === "string" ? first : first?.caption;
    }
  }
}

const SORT_FIELDS = new Set([
  "_doc",
  "id",
  "entity_id",
  "caption",
  "schema",
  "first_seen",
  "last_seen",
  "last_change",
  "datasets",
  "referents",
  "target",
]);

/** One property's page: sorted (`_doc`: as stored), then `offset`/`limit`. */
function page(values: readonly (string | Json)[], q: AdjacentQueryT): AdjacentPage {
  const orders = (q.sort ?? []).map((s) => {
    const [field = "", dir] = s.split(":");
    return { field, desc: dir?.toLowerCase() === "desc" };
  });
  const sorted = orders.some((o) => o.field !== "_doc")
    ? [...values].sort((a, b) => {
        for (const o of orders) {
          if (o.field === "_doc") continue;
          const x = sortValue(a, o.field);
          const y = sortValue(b, o.field);
          if (x === y) continue;
          // Missing values sort last, whichever the direction (as /search does).
          if (x === undefined) return 1;
          if (y === undefined) return -1;
          return (x < y ? -1 : 1) * (o.desc ? -1 : 1);
        }
        return 0;
      })
    : values;
  return {
    limit: q.limit,
    offset: q.offset,
    total: { value: values.length, relation: "eq" },
    results: sorted.slice(q.offset, q.offset + q.limit),
  };
}

const AdjacentQuery = Type.Object({
  limit: Type.Integer({ minimum: 0, maximum: SEARCH_DEFAULTS.maxLimit, default: 10 }),
  offset: Type.Integer({ minimum: 0, maximum: SEARCH_DEFAULTS.maxOffset, default: 0 }),
  sort: Type.Optional(
    Type.Array(
      Type.String({
        description:
          "field[:asc|desc]: _doc (as stored), id, caption, schema, first_seen, ..., properties.<name>",
      }),
    ),
  ),
});
type AdjacentQueryT = { limit: number; offset: number; sort?: string[] | undefined };
interface AdjacentPage {
  limit: number;
  offset: number;
  total: { value: number; relation: "eq" };
  results: (string | Json)[];
}

function checkSort(sort: readonly string[] | undefined): void {
  for (const s of sort ?? []) {
    const field = s.split(":")[0] ?? "";
    if (!SORT_FIELDS.has(field) && !/^properties\.\w+$/.test(field)) {
      throw new InterdictError("INTERDICT_E_INPUT", `Invalid sort field: '${field}'`, { field: "sort" });
    }
  }
}

/** yente's answer for an id that is only a referent: 308 to the merged entity, query dropped. */
function redirect(reply: FastifyReply, canonical: string): FastifyReply {
  return reply
    .code(308)
    .header("location", `/entities/${encodeURIComponent(canonical)}`)
    .send();
}

export function registerLookup(app: App, ctx: ServiceContext): void {
  app.get(
    "/search/:dataset",
    {
      schema: {
        tags: ["reference"],
        summary: "Text search over listed entities, with filters and facets (yente-compatible)",
        params: Type.Object({ dataset: Type.String() }),
        querystring: SearchQuery,
      },
      config: { role: "screen" },
    },
    async (req) => {
      const gen = ctx.live.generation();
      const q = req.query;
      const datasets = datasetScope(gen.versions, req.params.dataset, q.include_dataset, q.exclude_dataset);
      const filters = [...(q.filter ?? [])];
      if (q.target !== undefined) filters.push(`target:${q.target}`);
      const r = await gen.search({
        q: q.q,
        schema: q.schema,
        scope: {
          ...(datasets ? { datasets } : {}),
          ...(q.exclude_schema ? { excludeSchema: q.exclude_schema } : {}),
          ...(q.changed_since ? { changedSince: q.changed_since } : {}),
        },
        countries: q.countries ?? [],
        topics: q.topics ?? [],
        datasets: q.datasets ?? [],
        filters,
        filterOp: q.filter_op,
        limit: q.limit,
        offset: q.offset,
        sort: q.sort ?? [],
        fuzzy: q.fuzzy,
        simple: q.simple,
        facets: q.facets,
      });
      return {
        limit: r.limit,
        offset: r.offset,
        total: r.total,
        results: r.results.map(entityJson),
        facets: r.facets,
      };
    },
  );

  app.get(
    "/entities/:id",
    {
      schema: {
        tags: ["reference"],
        summary: "One entity, with its sanctions, documents, addresses and links nested (yente-compatible)",
        params: Type.Object({ id: Type.String() }),
        querystring: Type.Object({ nested: Type.Boolean({ default: true }) }),
      },
      config: { role: "screen" },
    },
    async (req, reply) => {
      const root = await findRoot(ctx, req.params.id);
      if ("redirect" in root) return redirect(reply, root.redirect);
      return req.query.nested ? nested(ctx, root) : root.json;
    },
  );

  app.get(
    "/entities/:id/adjacent",
    {
      schema: {
        tags: ["reference"],
        summary:
          "An entity (flat) and a page of the entities around it, per property (yente-compatible, beta)",
        params: Type.Object({ id: Type.String() }),
        querystring: AdjacentQuery,
      },
      config: { role: "screen" },
    },
    async (req, reply) => {
      checkSort(req.query.sort);
      const root = await findRoot(ctx, req.params.id);
      if ("redirect" in root) return redirect(reply, root.redirect);
      const out: Record<string, AdjacentPage> = {};
      for (const [name, values] of await adjacent(ctx, root)) {
        if (values.length) out[name] = page(values, req.query);
      }
      return { entity: root.json, adjacent: out };
    },
  );

  app.get(
    "/entities/:id/adjacent/:property_name",
    {
      schema: {
        tags: ["reference"],
        summary: "A page of the entities around an entity through one property (yente-compatible, beta)",
        params: Type.Object({ id: Type.String(), property_name: Type.String() }),
        querystring: AdjacentQuery,
      },
      config: { role: "screen" },
    },
    async (req, reply) => {
      checkSort(req.query.sort);
      const root = await findRoot(ctx, req.params.id);
      if ("redirect" in root) return redirect(reply, root.redirect);
      const name = req.params.property_name;
      if (!adjacentNames(root.json.schema).has(name)) {
        // yente's detail word for word (no field prefix): the property is the path's last part.
        throw new InterdictError("INTERDICT_E_NOT_FOUND", "No such property!");
      }
      return page((await adjacent(ctx, root)).get(name) ?? [], req.query);
    },
  );
}
