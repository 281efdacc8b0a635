// The accountability map: every canonical designee (under a theme, or all) against the
// jurisdictions, each cell that jurisdiction's designations or nothing; gaps between pairs of
// jurisdictions, counts per pair, and the exports (JSON lines, CSV, a self-contained HTML page).

import type { Designation, ListVersionRef } from "./designees.js";
import { JURISDICTIONS, type Jurisdiction, jurisdictionOf, THEMES } from "./regimes.js";

/** What the map reads of a designee (a `Designee` is one); small enough to pass between threads. */
export interface MapDesignee {
  readonly entity: { readonly id: string; readonly schema: string; readonly datasets: readonly string[] };
  readonly match: { readonly caption: string };
  readonly designations: readonly (Pick<
    Designation,
    "dataset" | "entity_id" | "program" | "listed_on" | "measures"
  > & { readonly regime?: { readonly themes: readonly string[] } })[];
}

/** A designee cut down to what the map reads. */
export function mapDesignee(d: MapDesignee): MapDesignee {
  return {
    entity: { id: d.entity.id, schema: d.entity.schema, datasets: d.entity.datasets },
    match: { caption: d.match.caption },
    designations: d.designations.map((x) => ({
      dataset: x.dataset,
      entity_id: x.entity_id,
      program: x.program,
      listed_on: x.listed_on,
      measures: x.measures,
      ...(x.regime ? { regime: { themes: x.regime.themes } } : {}),
    })),
  };
}

export interface Cell {
  readonly entity_id: string;
  readonly program: string;
  readonly listed_on: string | null;
  readonly themes: readonly string[];
  readonly measures: readonly string[];
}

export interface CoverageRow {
  readonly id: string;
  readonly caption: string;
  readonly schema: string;
  readonly referents: readonly string[];
  readonly jurisdictions: Readonly<Record<Jurisdiction, readonly Cell[]>>;
}

export interface Gap {
  readonly by: Jurisdiction;
  readonly notBy: Jurisdiction;
  readonly ids: readonly string[];
}

export interface CoverageSummary {
  readonly theme?: string;
  readonly designees: number;
  /** Designees each jurisdiction designated (under the theme, when one is given). */
  readonly byJurisdiction: Readonly<Record<Jurisdiction, number>>;
  /** [X][Y]: designees of the map that X and Y both designated (under any regime). */
  readonly pairs: Readonly<Record<Jurisdiction, Readonly<Record<Jurisdiction, number>>>>;
  /** How many designees are designated by exactly n jurisdictions, n = 1…6. */
  readonly overlap: readonly number[];
  readonly gaps: readonly Gap[];
  readonly versions: readonly ListVersionRef[];
}

const order = (j: string) => JURISDICTIONS.indexOf(j as Jurisdiction);

/**
 * Rows of the map: designees grouped by canonical id (`canonicalOf`), kept when some member is
 * designated under `theme` (any designation when no theme). Each cell lists every designation of
 * that jurisdiction, whatever its regime, marked with the regime's themes.
 */
export function coverageRows(
  designees: readonly MapDesignee[],
  canonicalOf: (entityId: string) => string,
  theme?: string,
): CoverageRow[] {
  const groups = new Map<string, MapDesignee[]>();
  for (const d of designees) {
    const c = canonicalOf(d.entity.id);
    groups.set(c, [...(groups.get(c) ?? []), d]);
  }
  const rows: CoverageRow[] = [];
  for (const [id, ds] of groups) {
    const all = ds.flatMap((d) => d.designations);
    const inScope = theme ? all.some((x) => x.regime?.themes.includes(theme)) : all.length > 0;
    if (!inScope) continue;
    const cells = Object.fromEntries(JURISDICTIONS.map((j) => [j, [] as Cell[]])) as Record<
      Jurisdiction,
      Cell[]
    >;
    for (const x of all) {
      const j = jurisdictionOf(x.dataset);
      if (!j) continue;
      cells[j].push({
        entity_id: x.entity_id,
        program: x.program,
        listed_on: x.listed_on,
        themes: x.regime?.themes ?? [],
        measures: x.measures,
      });
    }
    // The caption from the first jurisdiction in the table's order that lists the designee.
    const lead = [...ds].sort(
      (a, b) =>
        order(jurisdictionOf(a.entity.datasets[0] ?? "") ?? "") -
          order(jurisdictionOf(b.entity.datasets[0] ?? "") ?? "") || a.entity.id.localeCompare(b.entity.id),
    )[0];
    rows.push({
      id,
      caption: lead?.match.caption ?? id,
      schema: lead?.entity.schema ?? "",
      referents: ds.map((d) => d.entity.id).sort(),
      jurisdictions: cells,
    });
  }
  return rows.sort((a, b) => a.caption.localeCompare(b.caption) || a.id.localeCompare(b.id));
}

const acted = (row: CoverageRow, j: Jurisdiction, theme?: string): boolean =>
  row.jurisdictions[j].some((c) => !theme || c.themes.includes(theme));

export function summarise(
  rows: readonly CoverageRow[],
  versions: readonly ListVersionRef[],
  theme?: string,
): CoverageSummary {
  const zero = () => Object.fromEntries(JURISDICTIONS.map((j) => [j, 0])) as Record<Jurisdiction, number>;
  const byJurisdiction = zero();
  const pairs = Object.fromEntries(JURISDICTIONS.map((j) => [j, zero()])) as Record<
    Jurisdiction,
    Record<Jurisdiction, number>
  >;
  const overlap = JURISDICTIONS.map(() => 0);
  const gaps = new Map<string, string[]>();
  for (const r of rows) {
    const any = JURISDICTIONS.filter((j) => r.jurisdictions[j].length > 0);
    const themed = JURISDICTIONS.filter((j) => acted(r, j, theme));
    for (const j of themed) byJurisdiction[j]++;
    for (const x of any) for (const y of any) pairs[x][y]++;
    if (any.length > 0) overlap[any.length - 1] = (overlap[any.length - 1] ?? 0) + 1;
    for (const x of themed) {
      for (const y of JURISDICTIONS) {
        if (y === x || any.includes(y)) continue;
        const k = `${x}\u0000${y}`;
        gaps.set(k, [...(gaps.get(k) ?? []), r.id]);
      }
    }
  }
  return {
    ...(theme ? { theme } : {}),
    designees: rows.length,
    byJurisdiction,
    pairs,
    overlap,
    gaps: [...gaps].map(([k, ids]) => {
      const [by, notBy] = k.split("\u0000") as [Jurisdiction, Jurisdiction];
      return { by, notBy, ids };
    }),
    versions,
  };
}

/** One JSON object per designee, as the Contract gives it. */
export function rowJson(r: CoverageRow): unknown {
  return {
    id: r.id,
    caption: r.caption,
    schema: r.schema,
    referents: r.referents,
    jurisdictions: Object.fromEntries(
      JURISDICTIONS.map((j) => [
        j,
        r.jurisdictions[j].map((c) => ({
          entity_id: c.entity_id,
          program: c.program,
          listed_on: c.listed_on,
          themes: c.themes,
          measures: c.measures,
        })),
      ]),
    ),
  };
}

const csvCell = (s: string): string => (/[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);
/** A cell as text: each designation's programme, with its date where the list gives one. */
export const cellText = (cs: readonly Cell[]): string =>
  cs.map((c) => `${c.program}${c.listed_on ? ` (${c.listed_on})` : ""}`).join("; ");

export function toCsv(rows: readonly CoverageRow[]): string {
  const head = ["id", "caption", "schema", "referents", ...JURISDICTIONS].join(",");
  const lines = rows.map((r) =>
    [
      r.id,
      r.caption,
      r.schema,
      r.referents.join(" "),
      ...JURISDICTIONS.map((j) => cellText(r.jurisdictions[j])),
    ]
      .map(csvCell)
      .join(","),
  );
  return `${[head, ...lines].join("\n")}\n`;
}

const esc = (s: string): string =>
  s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");

/** The overlap matrix: [X][Y] is how many designees of the map X and Y both designated. */
export function matrixSvg(s: CoverageSummary): string {
  const J = JURISDICTIONS;
  const size = 56;
  const left = 44;
  const top = 28;
  const max = Math.max(1, ...J.map((j) => s.pairs[j][j]));
  const cells: string[] = [];
  J.forEach((x, i) => {
    cells.push(`<text x="${left - 8}" y="${top + i * size + size / 2 + 5}" text-anchor="end">${x}</text>`);
    cells.push(`<text x="${left + i * size + size / 2}" y="${top - 10}" text-anchor="middle">${x}</text>`);
    J.forEach((y, k) => {
      const n = s.pairs[x][y];
      const shade = Math.round(245 - (n / max) * 190);
      const fill =
        i === k
          ? `rgb(${shade},${shade},${Math.min(255, shade + 30)})`
          : `rgb(${Math.min(255, shade + 20)},${shade},${shade})`;
      cells.push(
        `<rect x="${left + k * size}" y="${top + i * size}" width="${size - 2}" height="${size - 2}" fill="${fill}"><title>${x} and ${y}: ${n}</title></rect>`,
        `<text x="${left + k * size + size / 2 - 1}" y="${top + i * size + size / 2 + 5}" text-anchor="middle" fill="${shade < 130 ? "#fff" : "#111"}">${n}</text>`,
      );
    });
  });
  const w = left + J.length * size + 4;
  const h = top + J.length * size + 4;
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${w}" height="${h}" role="img" aria-label="designees designated by both jurisdictions" font-family="sans-serif" font-size="13">${cells.join("")}</svg>`;
}

/** Designees per jurisdiction (under the theme), as horizontal bars. */
export function barsSvg(s: CoverageSummary): string {
  const J = JURISDICTIONS;
  const max = Math.max(1, ...J.map((j) => s.byJurisdiction[j]));
  const barH = 24;
  const left = 44;
  const width = 360;
  const parts = J.map((j, i) => {
    const n = s.byJurisdiction[j];
    const w = Math.round((n / max) * width);
    const y = i * (barH + 6) + 4;
    return `<text x="${left - 8}" y="${y + 17}" text-anchor="end">${j}</text><rect x="${left}" y="${y}" width="${w}" height="${barH}" fill="#3b6ea5"><title>${j}: ${n}</title></rect><text x="${left + w + 6}" y="${y + 17}">${n}</text>`;
  });
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${left + width + 60}" height="${J.length * (barH + 6) + 8}" role="img" aria-label="designees per jurisdiction" font-family="sans-serif" font-size="13">${parts.join("")}</svg>`;
}

/** How many designees n jurisdictions designated, n = 1…6, as list items. */
export const overlapItems = (s: CoverageSummary): string =>
  s.overlap.map((n, i) => `<li>${n} designated by ${i + 1} jurisdiction${i === 0 ? "" : "s"}</li>`).join("");

/** A self-contained page (inline CSS and SVG, no external assets) for advocates and legislators. */
export function toHtml(rows: readonly CoverageRow[], s: CoverageSummary): string {
  const J = JURISDICTIONS;
  const title = s.theme ? `Who is sanctioned where: ${s.theme}` : "Who is sanctioned where";
  const themeWords = s.theme ? ` under ${esc(s.theme)} regimes (${esc(THEMES[s.theme] ?? "")})` : "";
  const overlap = overlapItems(s);
  const versions = s.versions
    .map((v) => `<li><code>${esc(v.dataset)}</code> ${esc(v.version)}</li>`)
    .join("");
  const gapRows = s.gaps
    .filter((g) => g.ids.length > 0)
    .sort((a, b) => b.ids.length - a.ids.length)
    .slice(0, 12)
    .map((g) => `<tr><td>${g.by}</td><td>${g.notBy}</td><td class="n">${g.ids.length}</td></tr>`)
    .join("");
  const body = rows
    .map((r) => {
      const tds = J.map((j) => {
        const cs = r.jurisdictions[j];
        if (cs.length === 0) return `<td class="gap"></td>`;
        const themed = !s.theme || cs.some((c) => c.themes.includes(s.theme ?? ""));
        return `<td class="${themed ? "on" : "other"}" title="${esc(cs.map((c) => c.entity_id).join(", "))}">${esc(cellText(cs))}</td>`;
      }).join("");
      return `<tr><th scope="row">${esc(r.caption)}<div class="id">${esc(r.id)}</div></th>${tds}</tr>`;
    })
    .join("\n");
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${esc(title)}</title>
<style>
body{font-family:system-ui,sans-serif;margin:24px;color:#111;max-width:1200px}
h1{font-size:22px;margin:0 0 4px}h2{font-size:16px;margin:24px 0 8px}
.lede{color:#444;margin:0 0 16px}.charts{display:flex;gap:40px;flex-wrap:wrap;align-items:flex-start}
table{border-collapse:collapse;font-size:12px}td,th{border:1px solid #ddd;padding:3px 6px;vertical-align:top}
th{text-align:left;font-weight:600}td.on{background:#dbe8f6}td.other{background:#f1f1f1;color:#555}td.gap{background:#fff}
.id{color:#888;font-weight:400;font-size:11px}.n{text-align:right}ul{margin:4px 0 0 18px;padding:0}
.legend span{display:inline-block;width:12px;height:12px;margin:0 4px -2px 12px;border:1px solid #ccc}
</style></head><body>
<h1>${esc(title)}</h1>
<p class="lede">${s.designees} designees${themeWords}, each one person or organisation across every list, against the
jurisdictions that designated them. A missing designation can be a date difference between the lists' versions.</p>
<div class="charts">
<div><h2>Designated by both (designees of this map)</h2>${matrixSvg(s)}</div>
<div><h2>Designees per jurisdiction${s.theme ? ` (${esc(s.theme)})` : ""}</h2>${barsSvg(s)}
<h2>Overlap</h2><ul>${overlap}</ul></div>
<div><h2>Largest gaps</h2><table><tr><th>designated by</th><th>not by</th><th>designees</th></tr>${gapRows}</table></div>
</div>
<h2>List versions</h2><ul>${versions}</ul>
<h2>Designees</h2>
<p class="legend"><span style="background:#dbe8f6"></span>designated${s.theme ? " under the theme" : ""}<span style="background:#f1f1f1"></span>designated under another regime<span></span>not designated</p>
<table><thead><tr><th>designee</th>${J.map((j) => `<th>${j}</th>`).join("")}</tr></thead><tbody>
${body}
</tbody></table>
</body></html>
`;
}
