// The screening record, read back: GET /screenings/{id}, and GET /screenings?from=&to= to
// export a time range as JSON lines or CSV (streamed a page at a time), so a firm can show
// what it screened, when, by whom and against which list versions.

import { Readable } from "node:stream";
import { Type } from "typebox";
import { InterdictError } from "../../errors.js";
import type { App, ServiceContext } from "../app.js";
import type { Screening } from "../records.js";

export function screeningJson(s: Screening) {
  return {
    id: s.id,
    created_at: s.createdAt,
    key_id: s.keyId,
    kind: s.kind,
    endpoint: s.endpoint,
    request_digest: s.requestDigest,
    list_versions: s.listVersions,
    decision: s.decision,
    results: s.results,
  };
}

const CSV_COLUMNS = [
  "id",
  "created_at",
  "key_id",
  "kind",
  "endpoint",
  "request_digest",
  "list_versions",
  "decision",
  "results",
] as const;

const csvCell = (v: string): string => (/[",\r\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);

function csvRow(s: Screening): string {
  const cells: Record<(typeof CSV_COLUMNS)[number], string> = {
    id: s.id,
    created_at: s.createdAt,
    key_id: s.keyId ?? "",
    kind: s.kind,
    endpoint: s.endpoint,
    request_digest: s.requestDigest,
    list_versions: s.listVersions.map((v) => `${v.dataset}@${v.version}#${v.id}`).join(" "),
    decision: s.decision ?? "",
    results: JSON.stringify(s.results),
  };
  return `${CSV_COLUMNS.map((c) => csvCell(cells[c])).join(",")}\r\n`;
}

function instant(text: string, field: string): string {
  const t = Date.parse(text);
  if (!/^\d{4}-\d{2}-\d{2}/.test(text) || Number.isNaN(t)) {
    throw new InterdictError(
      "INTERDICT_E_INPUT",
      `${field} must be an ISO 8601 date or time (2026-01-31T12:00:00Z)`,
      {
        field,
      },
    );
  }
  return new Date(t).toISOString();
}

export function registerScreenings(app: App, ctx: ServiceContext): void {
  app.get(
    "/screenings/:id",
    {
      schema: {
        tags: ["records"],
        summary: "One screening as recorded: caller, time, request digest, list versions, results, decision",
        params: Type.Object({ id: Type.String() }),
      },
      config: { role: "analyst" },
    },
    async (req) => {
      const s = await ctx.screenings.get(req.params.id);
      if (!s) throw new InterdictError("INTERDICT_E_NOT_FOUND", "No such screening.", { field: "id" });
      return screeningJson(s);
    },
  );

  app.get(
    "/screenings",
    {
      schema: {
        tags: ["records"],
        summary: "Export the screenings of a time range (from inclusive, to exclusive) as JSON lines or CSV",
        querystring: Type.Object({
          from: Type.String({ description: "ISO 8601 date or time, inclusive" }),
          to: Type.Optional(Type.String({ description: "ISO 8601 date or time, exclusive; default: now" })),
          format: Type.Union([Type.Literal("jsonl"), Type.Literal("csv")], { default: "jsonl" }),
        }),
      },
      config: { role: "analyst" },
    },
    async (req, reply) => {
      const from = instant(req.query.from, "from");
      const to = req.query.to ? instant(req.query.to, "to") : new Date().toISOString();
      const csv = req.query.format === "csv";
      const rows = ctx.screenings.range(from, to);
      async function* lines(): AsyncGenerator<string> {
        if (csv) yield `${CSV_COLUMNS.join(",")}\r\n`;
        for await (const s of rows) yield csv ? csvRow(s) : `${JSON.stringify(screeningJson(s))}\n`;
      }
      const name = `screenings-${from.slice(0, 10)}-${to.slice(0, 10)}.${csv ? "csv" : "jsonl"}`;
      return reply
        .header("content-type", csv ? "text/csv; charset=utf-8" : "application/x-ndjson; charset=utf-8")
        .header("content-disposition", `attachment; filename="${name}"`)
        .send(Readable.from(lines()));
    },
  );
}
