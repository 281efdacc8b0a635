// The console's accountability map (issue 6, "Who is sanctioned where"): every designee under a
// theme against the jurisdictions, drawn with the same matrix and bars as the exported page
// (src/resolve/coverage.ts), the gaps between each pair of jurisdictions with their names, a
// searchable and sortable table of designees, the list versions it was made from, and the
// exports. Any signed-in role may read it. The map needs resolution to be current: when it is
// not, the page says it is being computed and looks again, instead of hanging on the run.

import type { FastifyRequest } from "fastify";
import { InterdictError } from "../errors.js";
import { barsSvg, type CoverageRow, cellText, matrixSvg, overlapItems } from "../resolve/coverage.js";
import { checkTheme, JURISDICTIONS, type Jurisdiction, jurisdictionOf, THEMES } from "../resolve/regimes.js";
import type { App } from "../service/app.js";
import {
  type CoverageFormat,
  type CoverageMap,
  coverageFile,
  coverageMap,
  coverageSoon,
} from "../service/routes/coverage.js";
import { type Html, html, trusted } from "./html.js";
import type { ConsoleContext } from "./plugin.js";

/** Rows of the designee table per page; the exports carry every row. */
export const PAGE_ROWS = 250;
/** Names shown under one gap; the rest are a link to the table filtered to that gap. */
const GAP_NAMES = 100;
/** How long a page waits for the map before it says the map is being computed (tests set 0). */
export const PAGE_WAIT = { ms: 1500 };

const THEME_CHOICES: [string, string][] = [
  ["human-rights", "Human rights"],
  ["corruption", "Corruption"],
  ["all", "All designees"],
];
const SORTS = ["name", "count", ...JURISDICTIONS] as const;
type Sort = (typeof SORTS)[number];
const FORMATS: [CoverageFormat, string][] = [
  ["csv", "CSV"],
  ["jsonl", "JSON lines"],
  ["html", "HTML page"],
];

const CSS = `
.themes a{margin-right:.6rem}.themes a[aria-current]{font-weight:600;text-decoration:none;border-bottom:3px solid var(--acc)}
.charts{display:flex;gap:2.5rem;flex-wrap:wrap;align-items:flex-start}.charts h2{margin-top:.6rem}
.charts svg{max-width:100%;height:auto}
.gaps{display:grid;grid-template-columns:repeat(auto-fill,minmax(16rem,1fr));gap:.2rem 1.5rem}
.gaps summary{cursor:pointer;padding:.1rem 0}.gaps summary .n{font-variant-numeric:tabular-nums;font-weight:600}
.gaps ol{margin:.2rem 0 .6rem 1.2rem;padding:0;font-size:.9em;columns:1}
table.map{font-size:.88em}table.map td{border:1px solid var(--line)}table.map th a{color:inherit}
table.map td.on{background:#dbe8f6}table.map td.other{background:#f1f1f1;color:#555}
table.map .id{color:var(--mute);font-size:.85em;font-weight:400}
.legend span{display:inline-block;width:.8rem;height:.8rem;margin:0 .3rem -.1rem 1rem;border:1px solid #ccc}
.filters{display:flex;gap:.8rem;align-items:end;flex-wrap:wrap}.filters label{margin:0}
@media print{.charts{gap:1rem}.gaps details:not([open]) ol{display:none}table.map{font-size:9pt}
table.map td.on,table.map td.other,.legend span{-webkit-print-color-adjust:exact;print-color-adjust:exact}
a{color:inherit;text-decoration:none}h2{break-after:avoid}tr{break-inside:avoid}}
`;

interface View {
  readonly theme: string; // "all" or a theme
  readonly q: string;
  readonly sort: Sort;
  readonly dir: "asc" | "desc";
  readonly by?: Jurisdiction;
  readonly notby?: Jurisdiction;
  readonly page: number;
}

function jurisdiction(v: string | undefined, field: string): Jurisdiction | undefined {
  if (!v) return undefined;
  if (JURISDICTIONS.includes(v as Jurisdiction)) return v as Jurisdiction;
  throw new InterdictError(
    "INTERDICT_E_USAGE",
    `unknown jurisdiction "${v}" in ${field}; known: ${JURISDICTIONS.join(", ")}`,
    { field },
  );
}

/** The page's query, each value checked; a bad one is refused naming the field. */
function viewOf(req: FastifyRequest): View {
  const p = req.query as Record<string, string | undefined>;
  const theme = p.theme && p.theme !== "all" ? checkTheme(p.theme) : (p.theme ?? "human-rights");
  const sort = (p.sort ?? "name") as Sort;
  if (!SORTS.includes(sort)) {
    throw new InterdictError("INTERDICT_E_USAGE", `unknown sort "${p.sort}"; known: ${SORTS.join(", ")}`, {
      field: "sort",
    });
  }
  const dir = p.dir ?? (sort === "count" ? "desc" : "asc");
  if (dir !== "asc" && dir !== "desc") {
    throw new InterdictError("INTERDICT_E_USAGE", `unknown dir "${dir}"; known: asc, desc`, { field: "dir" });
  }
  const page = Number(p.page ?? "1");
  if (!Number.isInteger(page) || page < 1) {
    throw new InterdictError("INTERDICT_E_USAGE", `page must be a whole number from 1, not "${p.page}"`, {
      field: "page",
    });
  }
  const by = jurisdiction(p.by, "by");
  const notby = jurisdiction(p.notby, "notby");
  if ((by === undefined) !== (notby === undefined) || (by && by === notby)) {
    throw new InterdictError("INTERDICT_E_USAGE", "a gap needs two different jurisdictions: by and notby", {
      field: by ? "notby" : "by",
    });
  }
  return {
    theme,
    q: (p.q ?? "").trim().slice(0, 200),
    sort,
    dir,
    ...(by ? { by } : {}),
    ...(notby ? { notby } : {}),
    page,
  };
}

/** The page's address with some of its query changed (undefined drops a parameter). */
function link(v: View, change: Partial<Record<keyof View, string | number | undefined>> = {}): string {
  const all: Record<string, string | number | undefined> = {
    theme: v.theme,
    q: v.q || undefined,
    by: v.by,
    notby: v.notby,
    sort: v.sort === "name" ? undefined : v.sort,
    dir: v.dir === (v.sort === "count" ? "desc" : "asc") ? undefined : v.dir,
    page: v.page === 1 ? undefined : v.page,
    ...change,
  };
  const qs = new URLSearchParams();
  for (const [k, x] of Object.entries(all)) if (x !== undefined && x !== "") qs.set(k, String(x));
  return `/ui/coverage?${qs}`;
}

const fold = (s: string) => s.normalize("NFD").replace(/\p{M}/gu, "").toLowerCase();

/** The list entry a designee's name links to: the first jurisdiction's, in the table's order. */
const leadOf = (r: CoverageRow): string =>
  JURISDICTIONS.map((j) => r.jurisdictions[j][0]?.entity_id).find((x) => x !== undefined) ??
  r.referents[0] ??
  r.id;

const countOf = (r: CoverageRow) => JURISDICTIONS.filter((j) => r.jurisdictions[j].length > 0).length;

function firstDate(r: CoverageRow, j: Jurisdiction): string | undefined {
  const ds = r.jurisdictions[j].map((c) => c.listed_on).filter((d): d is string => !!d);
  return ds.sort()[0];
}

/** The table's rows: the gap and the search applied, then sorted. */
function tableRows(m: CoverageMap, v: View): CoverageRow[] {
  let rows = [...m.rows];
  if (v.by && v.notby) {
    const gap = new Set(m.summary.gaps.find((g) => g.by === v.by && g.notBy === v.notby)?.ids ?? []);
    rows = rows.filter((r) => gap.has(r.id));
  }
  if (v.q) {
    const words = fold(v.q).split(/\s+/).filter(Boolean);
    rows = rows.filter((r) => {
      const text = fold(
        [
          r.caption,
          r.id,
          ...r.referents,
          ...JURISDICTIONS.flatMap((j) => r.jurisdictions[j].map((c) => c.program)),
        ].join(" "),
      );
      return words.every((w) => text.includes(w));
    });
  }
  const byName = (a: CoverageRow, b: CoverageRow) =>
    a.caption.localeCompare(b.caption) || a.id.localeCompare(b.id);
  const sign = v.dir === "asc" ? 1 : -1;
  const j = v.sort !== "name" && v.sort !== "count" ? v.sort : undefined;
  return rows.sort((a, b) => {
    if (v.sort === "name") return sign * byName(a, b);
    if (v.sort === "count") return sign * (countOf(a) - countOf(b)) || byName(a, b);
    // By a jurisdiction: the designees it listed first (oldest listing first, or newest when
    // descending; undated after dated), then the rest by name.
    const x = a.jurisdictions[j as Jurisdiction].length > 0;
    const y = b.jurisdictions[j as Jurisdiction].length > 0;
    if (x !== y) return x ? -1 : 1;
    const da = firstDate(a, j as Jurisdiction);
    const db = firstDate(b, j as Jurisdiction);
    if (da !== db) return !da ? 1 : !db ? -1 : sign * da.localeCompare(db);
    return byName(a, b);
  });
}

function cellHtml(r: CoverageRow, j: Jurisdiction, theme: string | undefined): Html {
  const cs = r.jurisdictions[j];
  if (cs.length === 0) return html`<td class="gap"></td>`;
  const themed = !theme || cs.some((c) => c.themes.includes(theme));
  const ids = [...new Set(cs.map((c) => c.entity_id))];
  return html`<td class="${themed ? "on" : "other"}">${ids.map(
    (id, i) =>
      html`${i ? html`<br>` : ""}<a href="/ui/entity/${id}">${cellText(cs.filter((c) => c.entity_id === id))}</a>`,
  )}</td>`;
}

function mapBody(m: CoverageMap, v: View): Html {
  const theme = m.theme;
  const s = m.summary;
  const byId = new Map(m.rows.map((r) => [r.id, r]));
  const made = m.versions.map((x) => `${x.dataset} ${x.version}`).join(", ");

  // Gaps: for each jurisdiction, the others that did not designate its designees at all.
  const gapGroups = JURISDICTIONS.map((by) => {
    const gaps = JURISDICTIONS.filter((y) => y !== by)
      .map((notBy) => ({
        notBy,
        ids: s.gaps.find((g) => g.by === by && g.notBy === notBy)?.ids ?? [],
      }))
      .sort((a, b) => b.ids.length - a.ids.length);
    return html`<section><h3>${by} <span class="mute">(${s.byJurisdiction[by]} designated)</span></h3>${gaps.map(
      (g) =>
        html`<details><summary>${by}, not ${g.notBy}: <span class="n">${g.ids.length}</span></summary>${
          g.ids.length
            ? html`<ol>${g.ids.slice(0, GAP_NAMES).map((id) => {
                const r = byId.get(id);
                return html`<li><a href="/ui/entity/${r ? leadOf(r) : id}">${r?.caption ?? id}</a></li>`;
              })}</ol>${
                g.ids.length > GAP_NAMES
                  ? html`<p><a href="${link(v, { by, notby: g.notBy, page: undefined, q: undefined })}#designees">all ${g.ids.length} in the table</a></p>`
                  : ""
              }`
            : html`<p class="mute">None.</p>`
        }</details>`,
    )}</section>`;
  });

  const rows = tableRows(m, v);
  const pages = Math.max(1, Math.ceil(rows.length / PAGE_ROWS));
  const shown = rows.slice((v.page - 1) * PAGE_ROWS, v.page * PAGE_ROWS);
  const head = (key: Sort, label: string) => {
    const dir = v.sort === key ? (v.dir === "asc" ? "desc" : "asc") : key === "count" ? "desc" : "asc";
    const mark = v.sort === key ? (v.dir === "asc" ? " ▲" : " ▼") : "";
    const aria =
      v.sort === key ? trusted(` aria-sort="${v.dir === "asc" ? "ascending" : "descending"}"`) : "";
    return html`<th${aria}${key === "count" ? trusted(' class="num"') : ""}><a href="${link(v, { sort: key, dir, page: undefined })}#designees">${label}${mark}</a></th>`;
  };
  const filtered = v.by && v.notby;
  const table = html`<div id="designees"><p class="mute">${rows.length} of ${m.rows.length} designees${
    filtered ? html` designated by ${v.by}${theme ? ` under ${theme}` : ""}, not by ${v.notby}` : ""
  }${v.q ? html` matching “${v.q}”` : ""}${
    pages > 1 ? html` · page ${v.page} of ${pages}` : ""
  }${filtered || v.q ? html` · <a class="noprint" href="${link(v, { by: undefined, notby: undefined, q: undefined, page: undefined })}#designees">show all</a>` : ""}</p>
<table class="map"><thead><tr>${head("name", "Designee")}${JURISDICTIONS.map((j) => head(j, j))}${head("count", "Lists")}</tr></thead><tbody>
${shown.map(
  (r) =>
    html`<tr><th scope="row"><a href="/ui/entity/${leadOf(r)}">${r.caption}</a> <span class="pill">${r.schema}</span>${
      r.referents.length > 1 ? html`<div class="id">${r.id} · ${r.referents.length} list entries</div>` : ""
    }</th>${JURISDICTIONS.map((j) => cellHtml(r, j, theme))}<td class="num">${countOf(r)}</td></tr>\n`,
)}</tbody></table>
${rows.length === 0 ? html`<p class="mute">No designee here.</p>` : ""}
${
  pages > 1
    ? html`<p class="noprint">${v.page > 1 ? html`<a href="${link(v, { page: v.page - 1 })}#designees">← previous</a> ` : ""}page ${v.page} of ${pages}${
        v.page < pages ? html` <a href="${link(v, { page: v.page + 1 })}#designees">next →</a>` : ""
      }</p>`
    : ""
}</div>`;

  return html`<p class="lede"><strong>${s.designees}</strong> designees${
    theme ? html` under ${theme} regimes (${THEMES[theme] ?? ""})` : " of every regime"
  }, each one person or organisation across every list, against the jurisdictions that designated them.
A missing designation can also be a difference between the dates of the lists' versions.</p>
<p class="noprint">Export for advocates and legislators: ${FORMATS.map(
    ([f, label], i) =>
      html`${i ? " · " : ""}<a href="/ui/coverage/export?theme=${v.theme}&amp;format=${f}" hx-boost="false" download>${label}</a>`,
  )} <span class="mute">(every designee of the map, made from ${made})</span></p>
<div class="charts">
<div><h2>Designated by both</h2><p class="mute">Designees of this map that both jurisdictions designated, under any regime.</p>${trusted(matrixSvg(s))}</div>
<div><h2>Designees per jurisdiction${theme ? ` (${theme})` : ""}</h2>${trusted(barsSvg(s))}
<h2>Overlap</h2><ul>${trusted(overlapItems(s))}</ul></div>
</div>
<h2>Gaps</h2>
<p class="mute">Designated by the first${theme ? ` under ${theme}` : ""}, not at all by the second. Open a line for the names.</p>
<div class="gaps">${gapGroups}</div>
<h2 id="designees-head">Designees</h2>
<form method="get" action="/ui/coverage" class="filters noprint" role="search">
<input type="hidden" name="theme" value="${v.theme}">${v.by ? html`<input type="hidden" name="by" value="${v.by}"><input type="hidden" name="notby" value="${v.notby ?? ""}">` : ""}
<label>Find a name, id or programme <input name="q" value="${v.q}" size="32" hx-get="/ui/coverage" hx-trigger="input changed delay:400ms, search" hx-include="closest form" hx-select="#designees" hx-target="#designees" hx-swap="outerHTML" hx-push-url="true"></label>
<label>Sort <select name="sort">${SORTS.map((x) => html`<option value="${x}" ${x === v.sort ? trusted("selected") : ""}>${x === "name" ? "name" : x === "count" ? "number of lists" : `listed by ${x}`}</option>`)}</select></label>
<button>Show</button></form>
<p class="legend mute"><span style="background:#dbe8f6"></span>designated${theme ? " under the theme" : ""}<span style="background:#f1f1f1"></span>designated under another regime<span></span>not designated · each cell: programme (listing date, where the list gives one)</p>
${table}
<h2>List versions</h2>
<p class="mute">The map was made from the current version of each list:</p>
<table><thead><tr><th>List</th><th>Version</th><th>Jurisdiction</th></tr></thead><tbody>${m.versions.map(
    (x) =>
      html`<tr><td><a href="/ui/datasets">${x.dataset}</a></td><td>${x.version}</td><td>${jurisdictionOf(x.dataset) ?? ""}</td></tr>`,
  )}</tbody></table>`;
}

export function registerCoveragePages(app: App, cx: ConsoleContext): void {
  const send = (reply: { type(t: string): { send(b: string): unknown } }, body: string) =>
    reply.type("text/html; charset=utf-8").send(body);

  app.get("/ui/coverage", async (req, reply) => {
    const v = viewOf(req);
    const theme = v.theme === "all" ? undefined : v.theme;
    const r = await coverageSoon(cx.store, theme, PAGE_WAIT.ms);
    const themes = html`<p class="themes noprint">Theme: ${THEME_CHOICES.map(
      ([t, label]) =>
        html`<a href="${link(v, { theme: t, by: undefined, notby: undefined, page: undefined })}" ${t === v.theme ? trusted('aria-current="page"') : ""}>${label}</a>`,
    )}</p>`;
    const style = html`<style>${trusted(CSS)}</style>`;
    if ("computing" in r) {
      const secs = Math.round((Date.now() - r.computing.getTime()) / 1000);
      reply.header("refresh", "5");
      const body = html`${style}${themes}<div class="card" role="status" hx-get="${link(v)}" hx-trigger="every 5s" hx-select="#main" hx-target="#main" hx-swap="outerHTML">
<p><strong>The map is being computed.</strong> Resolution brings each person together across the lists
before the map can be drawn; on every list this takes from seconds to a few minutes. Started
${r.computing.toISOString().slice(11, 19)} UTC (${secs} s ago).</p>
<p>This page looks again every 5 seconds, or <a href="${link(v)}">refresh now</a>.</p></div>`;
      return send(reply, cx.render(req, "Who is sanctioned where", "coverage", body));
    }
    const title = theme ? `Who is sanctioned where: ${theme}` : "Who is sanctioned where";
    return send(reply, cx.render(req, title, "coverage", html`${style}${themes}${mapBody(r.map, v)}`));
  });

  // The exports wait for the map (a download may take a while; the page above never does).
  app.get("/ui/coverage/export", async (req, reply) => {
    const p = req.query as Record<string, string | undefined>;
    const theme = p.theme && p.theme !== "all" ? checkTheme(p.theme) : p.theme ? undefined : "human-rights";
    const format = (p.format ?? "csv") as CoverageFormat;
    if (!FORMATS.some(([f]) => f === format)) {
      throw new InterdictError(
        "INTERDICT_E_USAGE",
        `unknown format "${p.format}"; known: ${FORMATS.map(([f]) => f).join(", ")}`,
        { field: "format" },
      );
    }
    const f = coverageFile(await coverageMap(cx.store, theme), format);
    return reply
      .type(f.type)
      .header("content-disposition", `attachment; filename="${f.name}"`)
      .header("x-designees", String(f.designees))
      .send(f.body);
  });
}
