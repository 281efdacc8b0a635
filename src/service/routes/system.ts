// Health, readiness, the OpenAPI document, and what the service holds: /catalog (yente's
// dataset catalogue, §5) and /algorithms (§6).

import { createHash } from "node:crypto";
import { ALGORITHMS } from "../../match/matcher.js";
import { CATALOG } from "../../sources/catalog.js";
import type { App, ServiceContext } from "../app.js";
import type { ListVersionRef } from "../records.js";
import { ALGORITHM_ALIASES } from "../yente.js";

const MATCHABLE = ["Person", "Organization", "Company", "LegalEntity", "Vessel", "Airplane"];
const INFO = new Map(CATALOG.map((d) => [d.name, d]));
const stamp = (iso: string | undefined): string | null => (iso ? iso.slice(0, 19) : null);

export function registerSystem(app: App, ctx: ServiceContext): void {
  app.get(
    "/healthz",
    { schema: { tags: ["system"], summary: "The process is up (no key needed)", security: [] } },
    async () => ({ status: "ok" }),
  );

  app.get(
    "/readyz",
    {
      schema: {
        tags: ["system"],
        summary: "200 once the index is loaded and the service can screen; 503 before (no key needed)",
        security: [],
      },
    },
    async (_req, reply) => {
      if (ctx.live.ready) return { status: "ok" };
      return reply.code(503).send({ detail: "Index not ready.", code: "INTERDICT_E_NOT_READY" });
    },
  );

  app.post(
    "/admin/reload",
    {
      schema: {
        tags: ["system"],
        summary: "Check the store for new list versions now and swap the index in if there are (admin)",
      },
      config: { role: "admin" },
    },
    async () => {
      const swapped = await ctx.live.refresh();
      const versions = ctx.live.ready ? ctx.live.generation().versions : [];
      return { swapped, versions, ...(ctx.live.lastError ? { error: ctx.live.lastError.message } : {}) };
    },
  );

  app.get("/openapi.json", { schema: { hide: true } }, async () => app.swagger());

  app.get(
    "/algorithms",
    {
      schema: { tags: ["reference"], summary: "Scoring algorithms and their features" },
      config: { role: "screen" },
    },
    async () => ({
      algorithms: Object.values(ALGORITHMS).map((a) => {
        const features = Object.fromEntries(
          a.features.map((f) => [f.id, { description: null, coefficient: f.weight, url: null }]),
        );
        return {
          name: a.name,
          description: a.description,
          threshold: a.threshold,
          features,
          docs: {
            name: a.name,
            description: a.description,
            config: {
              threshold: {
                type: "float",
                description: "score at or above which a result is a match",
                default: a.threshold,
              },
            },
            features,
          },
        };
      }),
      aliases: ALGORITHM_ALIASES,
      default: "best",
      best: ALGORITHM_ALIASES.best,
    }),
  );

  const catalog = async (
    req: { headers: Record<string, string | string[] | undefined> },
    reply: import("fastify").FastifyReply,
  ) => {
    const served: readonly ListVersionRef[] = ctx.live.ready ? ctx.live.generation().versions : [];
    const byName = new Map(served.map((v) => [v.dataset, v]));
    const stored = (await ctx.store.datasets()).filter((d) => d.current);
    const datasets = stored.map((d) => {
      const info = INFO.get(d.name);
      const cur = d.current;
      const idx = byName.get(d.name);
      const counts = cur?.counts ?? {};
      return {
        name: d.name,
        title: ctx.datasetTitle(d.name),
        license: info?.licence ?? null,
        summary: info?.notes ?? null,
        description: null,
        url: info?.homepage ?? null,
        updated_at: stamp(cur?.createdAt),
        last_export: stamp(cur?.createdAt),
        entity_count: cur?.entityCount ?? 0,
        thing_count: MATCHABLE.reduce((n, s) => n + (counts[s] ?? 0), 0),
        version: cur?.version ?? null,
        version_id: cur?.id ?? null,
        category: "sanctions",
        tags: ["list.sanction"],
        publisher: info
          ? {
              name: info.publisher,
              url: info.homepage,
              name_en: info.publisher,
              acronym: null,
              description: null,
              country: info.country,
              official: d.name !== "opensanctions",
              logo_url: null,
              country_label: null,
            }
          : null,
        coverage: {
          start: null,
          end: info?.retired ?? null,
          countries: info && info.country !== "zz" ? [info.country] : [],
          frequency: info?.cadence ?? null,
          schedule: null,
        },
        resources: (info?.distributions ?? []).flatMap((dist) =>
          dist.files.map((f) => ({
            name: f.name,
            url: f.url,
            checksum: null,
            timestamp: null,
            mime_type: null,
            title: dist.format,
            size: null,
            mime_type_label: null,
          })),
        ),
        children: [],
        deprecation: info?.retired ? `retired by the publisher on ${info.retired}` : null,
        deprecated: Boolean(info?.retired),
        load: true,
        entities_url: null,
        delta_url: null,
        namespace: false,
        index_version: idx?.version ?? null,
        index_version_id: idx?.id ?? null,
        index_current: idx !== undefined && idx.id === cur?.id,
      };
    });
    const all = {
      ...emptyCollection(),
      name: "default",
      title: ctx.datasetTitle("default"),
      entity_count: datasets.reduce((n, d) => n + d.entity_count, 0),
      thing_count: datasets.reduce((n, d) => n + d.thing_count, 0),
      children: datasets.map((d) => d.name),
      index_current: datasets.every((d) => d.index_current),
    };
    const current = datasets.filter((d) => d.index_current).map((d) => d.name);
    const outdated = datasets.filter((d) => !d.index_current).map((d) => d.name);
    const etag = `"${createHash("sha1")
      .update(datasets.map((d) => `${d.name}:${d.version_id}:${d.index_version_id}`).join(","))
      .digest("hex")}"`;
    reply.header("etag", etag).header("cache-control", "public, max-age=300");
    const inm = req.headers["if-none-match"];
    if (typeof inm === "string" && (inm.trim() === "*" || inm.split(",").some((t) => t.trim() === etag))) {
      return reply.code(304).send();
    }
    if (ctx.live.ready) current.push("default");
    return { datasets: [all, ...datasets], current, outdated, index_stale: outdated.length > 0 };
  };
  const catalogSchema = {
    schema: {
      tags: ["reference"],
      summary: "The datasets, their current list versions and the versions indexed",
    },
    config: { role: "screen" as const },
  };
  app.get("/catalog", catalogSchema, catalog);
  app.get("/manifest", { ...catalogSchema, schema: { ...catalogSchema.schema, hide: true } }, catalog);
}

function emptyCollection() {
  return {
    name: "",
    title: "",
    license: null,
    summary: "Every dataset loaded",
    description: null,
    url: null,
    updated_at: null,
    last_export: null,
    entity_count: 0,
    thing_count: 0,
    version: null,
    version_id: null,
    category: "collection",
    tags: [],
    publisher: null,
    coverage: null,
    resources: [],
    children: [] as string[],
    deprecation: null,
    deprecated: false,
    load: true,
    entities_url: null,
    delta_url: null,
    namespace: false,
    index_version: null,
    index_version_id: null,
    index_current: false,
  };
}
