// The designation registry over HTTP: case files and their workflow (draft → proposed →
// approved by a different user → published → delisted), evidence with attached files,
// publication (the service's index picks the new `registry` version up before the answer, and
// monitoring re-screens), exports, petitions, congressional requests, deadlines and the annual
// report, and the 50 % rule's ownership edges. The acting user of every step is the calling
// API key's name (its id when it has none); every step lands in the case history and the
// audit log. Roles: analysts read and prepare (create, evidence, propose, petitions, edges),
// admins decide (approve, return, delist, decide petitions, publish).

import { Type } from "typebox";
import { InterdictError } from "../../errors.js";
import { captionOf, type Entity } from "../../model/entity.js";
import { afterIngest } from "../../monitor/monitor.js";
import {
  annualReport,
  applyFiftyPercentRule,
  type CaseFile,
  type CaseInput,
  caseEntityId,
  caseIssues,
  computeOwnership,
  deadlines,
  type EvidenceInput,
  LEGAL_BASES,
  PETITION_GROUNDS,
  type Publication,
  type PublishOptions,
  parsePercentage,
  publish,
  REGISTRY_DATASET,
  type RegistryBook,
  registryOf,
  reportText,
  toFtmLines,
  toOfacCsv,
  toSdnXml,
} from "../../registry/index.js";
import type { App, ServiceContext } from "../app.js";

/** Who takes a step: the key's name, else its id. */
export function actorOf(req: { apiKey?: { id: string; name: string | null } }): string {
  const k = req.apiKey;
  if (!k) throw new InterdictError("INTERDICT_E_AUTH", "API key required", { field: "authorization" });
  return k.name?.trim() || k.id;
}

export const caseSummary = (c: CaseFile) => ({
  id: c.id,
  status: c.status,
  name: captionOf(c.subject),
  schema: c.subject.schema,
  authority: c.authority,
  criterion: c.criterion,
  classified: c.classified,
  created_by: c.created_by,
  proposer: c.proposer ?? null,
  approver: c.approver ?? null,
  listed_at: c.listed_at ?? null,
  delisted_at: c.delisting?.removed_at ?? null,
});

const Id = Type.Object({ id: Type.String({ description: "case id, e.g. D-000001" }) });
const FileBody = Type.Object({
  name: Type.String(),
  content_base64: Type.String({ description: "the file's bytes, base64" }),
});
const Evidence = Type.Object({
  source_type: Type.String({ description: "report, testimony, open source, intelligence…" }),
  date: Type.Optional(Type.String({ description: "YYYY-MM-DD" })),
  classification: Type.Optional(Type.String({ description: "public (default), confidential or classified" })),
  description: Type.Optional(Type.String()),
  file: Type.Optional(FileBody),
});
const Subject = Type.Object(
  { schema: Type.String(), properties: Type.Record(Type.String(), Type.Array(Type.String())) },
  { description: "an FtM entity: Person, Organization, Company, LegalEntity, Vessel or Airplane" },
);

function evidenceInput(e: {
  source_type: string;
  date?: string;
  classification?: string;
  description?: string;
  file?: { name: string; content_base64: string };
}): EvidenceInput {
  const { file, ...rest } = e;
  if (!file) return rest;
  if (!/^[A-Za-z0-9+/=\s]*$/.test(file.content_base64))
    throw new InterdictError("INTERDICT_E_INPUT", "not base64", { field: "file.content_base64" });
  return { ...rest, file: { name: file.name, bytes: Buffer.from(file.content_base64, "base64") } };
}

/**
 * Publishes and enforces at once: the index is rebuilt before this resolves (a build already
 * under way may have read the versions before this one, hence the second look), then the
 * monitoring re-screen runs as after an ingest (its failure leaves the publication in force).
 */
export async function publishAndEnforce(
  ctx: Pick<ServiceContext, "store" | "live">,
  registry: RegistryBook,
  user: string,
  opts: PublishOptions = {},
): Promise<{ pub: Publication; served: boolean; monitoring: unknown }> {
  const pub = await publish(registry, ctx.store, user, opts);
  const served = () => ctx.live.ready && ctx.live.generation().versions.some((v) => v.id === pub.version.id);
  await ctx.live.refresh();
  if (!served()) await ctx.live.refresh(true);
  const monitoring = await afterIngest(ctx.store, [{ dataset: REGISTRY_DATASET }]).catch((e: Error) => ({
    error: e.message,
  }));
  return { pub, served: served(), monitoring };
}

export function registerDesignations(app: App, ctx: ServiceContext): void {
  // Opened on first use, so a service on a store without the registry still starts.
  let reg: RegistryBook | undefined;
  const registry = (): RegistryBook => {
    reg ??= registryOf(ctx.store);
    return reg;
  };
  const tags = ["designations"];
  const analyst = { role: "analyst" as const };
  const admin = { role: "admin" as const };
  const full = async (c: CaseFile | Promise<CaseFile>) => {
    const one = await c;
    return {
      ...one,
      history: await registry().history(one.id),
      petitions: await registry().petitions(one.id),
    };
  };

  app.get(
    "/designations/bases",
    {
      schema: {
        tags,
        summary: "The legal bases a designation can rest on: criteria, measures, reporting duties",
      },
      config: analyst,
    },
    async () => ({ bases: LEGAL_BASES, petition_grounds: PETITION_GROUNDS }),
  );

  app.get(
    "/designations",
    {
      schema: {
        tags,
        summary: "The case files, oldest first (optionally one status)",
        querystring: Type.Object({
          status: Type.Optional(
            Type.Union(
              ["draft", "proposed", "approved", "published", "delisted"].map((s) => Type.Literal(s)),
            ),
          ),
        }),
      },
      config: analyst,
    },
    async (req) => {
      const status = req.query.status as CaseFile["status"] | undefined;
      return {
        designations: (await registry().list(status ? { status } : {})).map(caseSummary),
      };
    },
  );

  app.post(
    "/designations",
    {
      schema: {
        tags,
        summary:
          "Create a case file (a draft): subject, legal basis and criterion, statement of reasons, evidence",
        body: Type.Object({
          subject: Subject,
          authority: Type.String({ description: "a legal basis id (GET /designations/bases)" }),
          criterion: Type.Optional(Type.String()),
          standard_of_proof: Type.Optional(Type.String()),
          statement_of_reasons: Type.Optional(Type.String()),
          measures: Type.Optional(Type.Array(Type.String({ description: "travel_ban, asset_freeze" }))),
          classified: Type.Optional(
            Type.Boolean({ description: "the classified annex: enforced, never exported" }),
          ),
          evidence: Type.Optional(Type.Array(Evidence)),
        }),
      },
      config: analyst,
    },
    async (req, reply) => {
      const b = req.body;
      const input: CaseInput = { ...b, evidence: (b.evidence ?? []).map(evidenceInput) };
      const c = await registry().create(input, actorOf(req));
      // What the draft still lacks before it can be proposed.
      return reply.code(201).send({ ...c, issues: caseIssues(c) });
    },
  );

  app.get(
    "/designations/history",
    {
      schema: { tags, summary: "Every registry step, oldest first (cases, publications, ownership)" },
      config: analyst,
    },
    async () => ({ events: await registry().history() }),
  );

  app.get(
    "/designations/:id",
    {
      schema: {
        tags,
        summary: "One case file with its evidence, workflow history and petitions",
        params: Id,
      },
      config: analyst,
    },
    async (req) => full(registry().get(req.params.id)),
  );

  app.patch(
    "/designations/:id",
    {
      schema: {
        tags,
        summary:
          "Edit a draft (subject, basis, criterion, reasons, measures, classified); only drafts change",
        params: Id,
        body: Type.Object({
          subject: Type.Optional(Subject),
          authority: Type.Optional(Type.String()),
          criterion: Type.Optional(Type.String()),
          standard_of_proof: Type.Optional(Type.String()),
          statement_of_reasons: Type.Optional(Type.String()),
          measures: Type.Optional(Type.Array(Type.String())),
          classified: Type.Optional(Type.Boolean()),
        }),
      },
      config: analyst,
    },
    async (req) => full(registry().update(req.params.id, req.body, actorOf(req))),
  );

  const step = (
    path: string,
    summary: string,
    role: "analyst" | "admin",
    run: (
      r: RegistryBook,
      id: string,
      user: string,
      body: Record<string, string | undefined>,
    ) => CaseFile | Promise<CaseFile>,
    body = Type.Object({}),
  ) =>
    app.post(
      `/designations/:id/${path}`,
      { schema: { tags, summary, params: Id, body: Type.Optional(body) }, config: { role } },
      async (req) =>
        full(
          run(
            registry(),
            req.params.id,
            actorOf(req),
            (req.body ?? {}) as Record<string, string | undefined>,
          ),
        ),
    );

  step("propose", "Propose a complete draft for approval", "analyst", (r, id, u) => r.propose(id, u));
  step(
    "approve",
    "Approve a proposed case: a different user than the proposer (403 INTERDICT_E_FORBIDDEN otherwise)",
    "admin",
    (r, id, u) => r.approve(id, u),
  );
  step(
    "return",
    "Send a proposed or approved case back to draft, with the reason",
    "admin",
    (r, id, u, b) => r.returnToDraft(id, u, b.reason ?? ""),
    Type.Object({ reason: Type.String() }),
  );
  step(
    "delist",
    "Terminate a designation; the next publication removes it once effective",
    "admin",
    (r, id, u, b) => r.delist(id, u, b.ground ?? "", b.effective ? { effective: b.effective } : {}),
    Type.Object({
      ground: Type.String(),
      effective: Type.Optional(Type.String({ description: "YYYY-MM-DD" })),
    }),
  );

  app.post(
    "/designations/:id/evidence",
    {
      schema: {
        tags,
        summary: "Add an evidence item, optionally with a file (kept by SHA-256)",
        params: Id,
        body: Evidence,
      },
      config: analyst,
    },
    async (req, reply) =>
      reply
        .code(201)
        .send(await full(registry().addEvidence(req.params.id, evidenceInput(req.body), actorOf(req)))),
  );

  app.get(
    "/designations/files/:sha256",
    {
      schema: {
        tags,
        summary: "An evidence file by its SHA-256 (always a download)",
        params: Type.Object({ sha256: Type.String() }),
      },
      config: analyst,
    },
    async (req, reply) => {
      const f = await registry().file(req.params.sha256);
      if (!f) throw new InterdictError("INTERDICT_E_NOT_FOUND", "no such file", { field: "sha256" });
      return reply
        .type("application/octet-stream")
        .header("content-disposition", `attachment; filename="${f.name.replace(/[^\w.-]/g, "_")}"`)
        .header("x-content-type-options", "nosniff")
        .send(f.bytes);
    },
  );

  app.post(
    "/designations/publish",
    {
      schema: {
        tags,
        summary:
          "Publish: every designation in force as a new version of the registry dataset; the index serves it before this answers, and monitoring re-screens",
        body: Type.Optional(
          Type.Object({
            version: Type.Optional(Type.String()),
            blocked_by: Type.Optional(
              Type.Array(Type.String(), {
                description: "datasets whose targets also count as blocked owners",
              }),
            ),
            ownership_from: Type.Optional(
              Type.Array(Type.String(), {
                description: "datasets whose FtM Ownership entities are edges too",
              }),
            ),
          }),
        ),
      },
      config: admin,
    },
    async (req) => {
      const b = req.body ?? {};
      const { pub, served, monitoring } = await publishAndEnforce(ctx, registry(), actorOf(req), {
        ...(b.version ? { version: b.version } : {}),
        ...(b.blocked_by ? { blockedBy: b.blocked_by } : {}),
        ...(b.ownership_from ? { ownershipFrom: b.ownership_from } : {}),
      });
      return {
        version: pub.version.version,
        version_id: pub.version.id,
        summary: pub.summary,
        listed: pub.listed,
        removed: pub.removed,
        changes: pub.changes,
        unblocked: pub.unblocked,
        derived: pub.derived,
        served,
        monitoring,
      };
    },
  );

  app.get(
    "/designations/export",
    {
      schema: {
        tags,
        summary:
          "The public part of a publication (classified annex left out): FtM JSON lines, an OFAC CSV file, or sdn.xml",
        querystring: Type.Object({
          format: Type.Union(
            ["ftm", "sdn.csv", "add.csv", "alt.csv", "xml"].map((f) => Type.Literal(f)),
            { default: "ftm" },
          ),
          version: Type.Optional(Type.String({ description: "a registry version (default: current)" })),
        }),
      },
      config: analyst,
    },
    async (req, reply) => {
      const v = req.query.version
        ? await ctx.store.findVersion(REGISTRY_DATASET, req.query.version)
        : await ctx.store.currentVersion(REGISTRY_DATASET);
      if (!v)
        throw new InterdictError("INTERDICT_E_NOT_FOUND", "no publication of the registry yet", {
          field: "version",
        });
      const entities: Entity[] = [];
      for await (const e of ctx.store.entities(REGISTRY_DATASET, { versionId: v.id })) entities.push(e);
      const f = String(req.query.format);
      if (f === "xml")
        return reply.type("application/xml; charset=utf-8").send(toSdnXml(entities, v.version));
      if (f === "ftm") return reply.type("application/x-ndjson; charset=utf-8").send(toFtmLines(entities));
      const csv = toOfacCsv(entities)[f.toUpperCase() as "SDN.CSV" | "ADD.CSV" | "ALT.CSV"];
      return reply.type("text/csv; charset=utf-8").send(csv);
    },
  );

  // ---- petitions (31 CFR 501.807)
  app.get(
    "/designations/petitions",
    {
      schema: { tags, summary: "Every delisting petition with its correspondence and decision" },
      config: analyst,
    },
    async () => ({ petitions: await registry().petitions() }),
  );
  app.post(
    "/designations/:id/petitions",
    {
      schema: {
        tags,
        summary: "File a delisting petition against a published designation",
        params: Id,
        body: Type.Object({
          petitioner: Type.String(),
          grounds: Type.Array(Type.String()),
          statement: Type.String(),
        }),
      },
      config: analyst,
    },
    async (req, reply) =>
      reply.code(201).send(await registry().petition(req.params.id, req.body, actorOf(req))),
  );
  const Pid = Type.Object({ pid: Type.String({ description: "petition id, e.g. P-000001" }) });
  app.post(
    "/designations/petitions/:pid/correspondence",
    {
      schema: {
        tags,
        summary: "Record a letter to or from the petitioner",
        params: Pid,
        body: Type.Object({
          direction: Type.Union([Type.Literal("in"), Type.Literal("out")]),
          text: Type.String(),
        }),
      },
      config: analyst,
    },
    async (req) => registry().correspond(req.params.pid, req.body.direction, req.body.text, actorOf(req)),
  );
  app.post(
    "/designations/petitions/:pid/decision",
    {
      schema: {
        tags,
        summary:
          "Decide a petition in writing; granting delists the designation (the next publication removes it)",
        params: Pid,
        body: Type.Object({
          decision: Type.Union([Type.Literal("granted"), Type.Literal("denied")]),
          reasons: Type.String(),
          effective: Type.Optional(Type.String()),
        }),
      },
      config: admin,
    },
    async (req) =>
      registry().decidePetition(
        req.params.pid,
        req.body.decision,
        req.body.reasons,
        actorOf(req),
        req.body.effective ? { effective: req.body.effective } : {},
      ),
  );

  // ---- the legislature
  app.get(
    "/designations/requests",
    { schema: { tags, summary: "Congressional requests and their 120-day deadlines" }, config: analyst },
    async () => ({ requests: await registry().requests() }),
  );
  app.post(
    "/designations/requests",
    {
      schema: {
        tags,
        summary: "Record a committee's request (due 120 days after receipt unless the basis says otherwise)",
        body: Type.Object({
          committee: Type.String(),
          about: Type.String(),
          case_id: Type.Optional(Type.String()),
          received_at: Type.Optional(Type.String()),
        }),
      },
      config: analyst,
    },
    async (req, reply) => reply.code(201).send(await registry().request(req.body, actorOf(req))),
  );
  app.post(
    "/designations/requests/:rid/answer",
    {
      schema: {
        tags,
        summary: "Answer a request",
        params: Type.Object({ rid: Type.String() }),
        body: Type.Object({ answer: Type.String() }),
      },
      config: admin,
    },
    async (req) => registry().answerRequest(req.params.rid, req.body.answer, actorOf(req)),
  );
  app.get(
    "/designations/reports/deadlines",
    {
      schema: {
        tags,
        summary: "Open, met, late and overdue deadlines: requests, termination notices, annual reports",
      },
      config: analyst,
    },
    async () => ({
      deadlines: deadlines(await registry().list(), await registry().requests(), registry().clock()),
    }),
  );
  app.get(
    "/designations/reports/annual",
    {
      schema: {
        tags,
        summary:
          "The annual report to the legislature: persons added and removed, with dates and reasons (classified annex counted, not named)",
        querystring: Type.Object({
          year: Type.Optional(Type.Integer({ minimum: 1990, maximum: 2200 })),
          basis: Type.Optional(Type.Array(Type.String())),
          from: Type.Optional(Type.String()),
          to: Type.Optional(Type.String()),
          format: Type.Union([Type.Literal("json"), Type.Literal("text")], { default: "json" }),
        }),
      },
      config: analyst,
    },
    async (req, reply) => {
      const q = req.query;
      const r = annualReport(await registry().list(), await registry().petitions(), {
        year: q.year ?? Number(registry().clock().slice(0, 4)),
        ...(q.basis ? { bases: q.basis } : {}),
        ...(q.from ? { from: q.from } : {}),
        ...(q.to ? { to: q.to } : {}),
      });
      return q.format === "text" ? reply.type("text/plain; charset=utf-8").send(reportText(r)) : r;
    },
  );

  // ---- the 50 % rule
  app.get(
    "/ownership/edges",
    {
      schema: { tags: ["ownership"], summary: "The registry's ownership and control edges, and its parties" },
      config: analyst,
    },
    async () => ({ edges: await registry().edges(), parties: await registry().parties() }),
  );
  app.post(
    "/ownership/edges",
    {
      schema: {
        tags: ["ownership"],
        summary:
          "Add an ownership or control edge (a case id stands for its designated entity); cycles and over 100 % are refused",
        body: Type.Object({
          owner: Type.String(),
          asset: Type.String(),
          percentage: Type.Union([Type.Number(), Type.String()], { description: "0–100, or '25 %'" }),
          kind: Type.Optional(Type.Union([Type.Literal("ownership"), Type.Literal("control")])),
          source: Type.Optional(Type.String()),
        }),
      },
      config: analyst,
    },
    async (req, reply) => {
      const b = req.body;
      const r = registry();
      const edge = {
        owner: b.owner,
        asset: b.asset,
        percentage: typeof b.percentage === "number" ? b.percentage : parsePercentage(b.percentage),
        kind: b.kind ?? "ownership",
        ...(b.source ? { source: b.source } : {}),
      } as const;
      // Refused before it is stored when the registry's graph with it would be wrong (a cycle,
      // over 100 % of an asset, a bad percentage).
      const resolve = (x: string) =>
        /^D-\d{6}$/i.test(x.trim()) ? caseEntityId(x.trim().toUpperCase()) : x.trim();
      applyFiftyPercentRule(
        [...(await r.edges()), { ...edge, owner: resolve(edge.owner), asset: resolve(edge.asset) }],
        new Set(),
      );
      const stored = await r.addEdge(edge, actorOf(req));
      return reply.code(201).send(stored);
    },
  );
  app.delete(
    "/ownership/edges/:eid",
    {
      schema: {
        tags: ["ownership"],
        summary: "Remove an edge",
        params: Type.Object({ eid: Type.Integer() }),
      },
      config: analyst,
    },
    async (req) => {
      await registry().removeEdge(req.params.eid, actorOf(req));
      return { removed: req.params.eid };
    },
  );
  app.post(
    "/ownership/parties",
    {
      schema: {
        tags: ["ownership"],
        summary: "Record a party of an ownership chain (an FtM entity with an id) that is not designated",
        body: Type.Object({
          id: Type.String(),
          schema: Type.String(),
          properties: Type.Record(Type.String(), Type.Array(Type.String())),
        }),
      },
      config: analyst,
    },
    async (req, reply) => reply.code(201).send(await registry().addParty(req.body, actorOf(req))),
  );
  app.get(
    "/ownership/:id",
    {
      schema: {
        tags: ["ownership"],
        summary:
          "The 50 % rule for one entity: blocked or not, the aggregate blocked share, the chain that explains it, cautions",
        params: Type.Object({ id: Type.String({ description: "an entity id, or a case id" }) }),
      },
      config: analyst,
    },
    async (req) => {
      const raw = req.params.id.trim();
      const id = /^D-\d{6}$/i.test(raw) ? caseEntityId(raw.toUpperCase()) : raw;
      const { findings, names } = await computeOwnership(registry(), ctx.store);
      const f = findings.find((x) => x.id === id);
      const edges = (await registry().edges())
        .filter((e) => e.owner === id || e.asset === id)
        .map((e) => ({
          ...e,
          owner_name: names.get(e.owner) ?? e.owner,
          asset_name: names.get(e.asset) ?? e.asset,
        }));
      if (!f && edges.length === 0)
        throw new InterdictError("INTERDICT_E_NOT_FOUND", `${raw} is in no ownership edge`, { field: "id" });
      return {
        id,
        name: names.get(id) ?? id,
        blocked: f?.blocked ?? false,
        share: f?.share ?? 0,
        explanation: f?.explanation ?? null,
        contributions: f?.contributions ?? [],
        cautions: f?.cautions ?? [],
        edges,
      };
    },
  );
}
