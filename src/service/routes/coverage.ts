// GET /coverage: the accountability map (issue 6) over HTTP — every canonical designee, under a
// theme or not, against the jurisdictions that designated them. JSON lines by default (the
// `interdict coverage --json` contract), or CSV, or the self-contained HTML page.

import { Type } from "typebox";
import { InterdictError } from "../../errors.js";
import type { ListVersionRef } from "../../resolve/designees.js";
import {
  checkTheme,
  coverageRows,
  currentVersions,
  type Designee,
  ensureResolution,
  loadDesignees,
  loadResolution,
  rowJson,
  summarise,
  THEMES,
  toCsv,
  toHtml,
} from "../../resolve/index.js";
import type { Store } from "../../store/store.js";
import type { App, ServiceContext } from "../app.js";

export type CoverageFormat = "jsonl" | "csv" | "html";

// A resolution of every list takes minutes; concurrent requests for one scope share the run.
const running = new WeakMap<Store, Map<string, Promise<unknown>>>();

async function resolved(store: Store, scope: string): Promise<void> {
  const byScope = running.get(store) ?? new Map<string, Promise<unknown>>();
  running.set(store, byScope);
  let p = byScope.get(scope);
  if (!p) {
    p = ensureResolution(store, scope).finally(() => byScope.delete(scope));
    byScope.set(scope, p);
  }
  await p;
}

// Reading every designee takes seconds; they change only with a new list version.
const read = new WeakMap<Store, { key: string; designees: Promise<Designee[]> }>();

function designeesOf(store: Store, versions: readonly ListVersionRef[]): Promise<Designee[]> {
  const key = versions.map((v) => `${v.dataset}#${v.id}`).join(" ");
  const hit = read.get(store);
  if (hit?.key === key) return hit.designees;
  const designees = loadDesignees(store, versions);
  read.set(store, { key, designees });
  designees.catch(() => read.delete(store));
  return designees;
}

/** The map as the body of a response: its bytes' type, a file name, and the text. */
export async function coverageBody(
  store: Store,
  theme: string | undefined,
  format: CoverageFormat,
): Promise<{ type: string; name: string; body: string; designees: number }> {
  const versions = await currentVersions(store);
  if (versions.length === 0) {
    throw new InterdictError("INTERDICT_E_NOT_FOUND", "no lists loaded: ingest lists first");
  }
  await resolved(store, theme ?? "all");
  const designees = await designeesOf(store, versions);
  const rows = coverageRows(designees, loadResolution(store).canonicalOf, theme);
  const base = `coverage-${theme ?? "all"}`;
  if (format === "html") {
    const html = toHtml(rows, summarise(rows, versions, theme));
    return { type: "text/html; charset=utf-8", name: `${base}.html`, body: html, designees: rows.length };
  }
  if (format === "csv") {
    return {
      type: "text/csv; charset=utf-8",
      name: `${base}.csv`,
      body: toCsv(rows),
      designees: rows.length,
    };
  }
  const body = rows.map((r) => `${JSON.stringify(rowJson(r))}\n`).join("");
  return { type: "application/x-ndjson; charset=utf-8", name: `${base}.jsonl`, body, designees: rows.length };
}

export function registerCoverage(app: App, ctx: ServiceContext): void {
  app.get(
    "/coverage",
    {
      schema: {
        tags: ["records"],
        summary:
          "Who is sanctioned where: each canonical designee against US, EU, UK, CA, AU, UN (JSON lines, CSV or HTML)",
        querystring: Type.Object({
          theme: Type.Optional(Type.String({ description: `one of ${Object.keys(THEMES).join(", ")}` })),
          format: Type.Union([Type.Literal("jsonl"), Type.Literal("csv"), Type.Literal("html")], {
            default: "jsonl",
          }),
        }),
      },
      config: { role: "analyst" },
    },
    async (req, reply) => {
      // Refused before anything is read; the message names the known themes.
      const theme = req.query.theme ? checkTheme(req.query.theme) : undefined;
      const r = await coverageBody(ctx.store, theme, req.query.format);
      reply.header("content-type", r.type).header("x-designees", String(r.designees));
      if (req.query.format !== "html")
        reply.header("content-disposition", `attachment; filename="${r.name}"`);
      return reply.send(r.body);
    },
  );
}
