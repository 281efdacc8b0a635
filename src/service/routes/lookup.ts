// Looking things up: GET /search/{dataset} (text search with filters and facets, §3) and
// GET /entities/{id} (one entity with the entities around it nested, §4).

import { Type } from "typebox";
import { InterdictError } from "../../errors.js";
import type { Entity } from "../../model/entity.js";
import { captionOf } from "../../model/entity.js";
import { getSchema } from "../../model/schema.js";
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

const entityProps = (e: Entity): [string, string[]][] => {
  const schema = getSchema(e.schema);
  return Object.entries(e.properties).filter(([p]) => schema?.properties.get(p)?.type === "entity");
};

/**
 * yente's nesting: entities pointing at the root under the reverse property name (with their
 * other entity properties expanded one hop), the root's own entity properties replaced by the
 * entities; the root itself is never re-embedded. Ids not found are dropped when some are found.
 */
async function nested(ctx: ServiceContext, root: Entity & { versionId: number }): Promise<Json> {
  const load = async (id: string): Promise<Entity | undefined> =>
    ctx.store.getEntity(id, { versionId: root.versionId }).then((e) => e ?? ctx.store.getEntity(id));
  const refs = await ctx.store.referencing(root.id, { versionId: root.versionId });
  const out = flat(
    root,
    refs.some((r) => r.schema === "Sanction"),
  );
  const props: Record<string, (string | Json)[]> = { ...root.properties };
  for (const [prop, ids] of entityProps(root)) {
    const found = (await Promise.all(ids.map(load))).filter((e): e is Entity => e !== undefined);
    if (found.length) props[prop] = found.map((e) => flat(e));
  }
  for (const r of refs) {
    const child = flat(r);
    const childProps: Record<string, (string | Json)[]> = { ...r.properties };
    for (const [prop, ids] of entityProps(r)) {
      if (ids.includes(root.id)) {
        const name = reverseName(r.schema, prop);
        (props[name] ??= []).push(child);
        continue;
      }
      const found = (await Promise.all(ids.map(load))).filter((e): e is Entity => e !== undefined);
      if (found.length) childProps[prop] = found.map((e) => flat(e));
    }
    child.properties = childProps;
  }
  out.properties = props;
  return out;
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
    async (req) => {
      const e = await ctx.store.getEntity(req.params.id);
      if (!e) throw new InterdictError("INTERDICT_E_NOT_FOUND", "No such entity!", { field: "id" });
      if (!req.query.nested) {
        const refs = await ctx.store.referencing(e.id, { versionId: e.versionId });
        return flat(
          e,
          refs.some((r) => r.schema === "Sanction"),
        );
      }
      return nested(ctx, e);
    },
  );
}
