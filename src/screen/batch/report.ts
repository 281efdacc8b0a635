// The HTML report of a batch run: one self-contained page (inline CSS and SVG, no scripts, no
// external assets) with the counts, the score histogram, the top hits and the matched entities.

import type { Summary } from "./summary.js";

const esc = (s: unknown): string =>
  String(s).replace(
    /[&<>"']/g,
    (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c] as string,
  );

/** Bars of the best-score distribution; the threshold drawn as a line. */
export function histogramSvg(s: Summary, threshold?: number): string {
  const w = 640;
  const h = 220;
  const pad = { l: 50, r: 10, t: 10, b: 30 };
  const max = Math.max(1, ...s.histogram.map((b) => b.count));
  const bw = (w - pad.l - pad.r) / s.histogram.length;
  const y = (n: number): number => pad.t + (h - pad.t - pad.b) * (1 - n / max);
  const bars = s.histogram
    .map((b, i) => {
      const x = pad.l + i * bw;
      const top = y(b.count);
      const fill = threshold !== undefined && b.from >= threshold - 1e-9 ? "#c0392b" : "#2c7fb8";
      return `<rect x="${x.toFixed(1)}" y="${top.toFixed(1)}" width="${(bw - 2).toFixed(1)}" height="${(h - pad.b - top).toFixed(1)}" fill="${fill}"><title>${b.from.toFixed(2)}–${b.to.toFixed(2)}: ${b.count}</title></rect>`;
    })
    .join("");
  const ticks = [0, 0.25, 0.5, 0.75, 1]
    .map((t) => {
      const x = pad.l + t * (w - pad.l - pad.r);
      return `<text x="${x.toFixed(1)}" y="${h - 10}" font-size="11" text-anchor="middle">${t.toFixed(2)}</text>`;
    })
    .join("");
  const line =
    threshold === undefined
      ? ""
      : `<line x1="${(pad.l + threshold * (w - pad.l - pad.r)).toFixed(1)}" x2="${(pad.l + threshold * (w - pad.l - pad.r)).toFixed(1)}" y1="${pad.t}" y2="${h - pad.b}" stroke="#333" stroke-dasharray="4 3"/>`;
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${w}" height="${h}" viewBox="0 0 ${w} ${h}" role="img" aria-label="subjects by best score">
<text x="${pad.l - 6}" y="${pad.t + 10}" font-size="11" text-anchor="end">${max}</text>
<text x="${pad.l - 6}" y="${h - pad.b}" font-size="11" text-anchor="end">0</text>
${bars}${line}${ticks}</svg>`;
}

export function reportHtml(s: Summary): string {
  const threshold = typeof s.options.threshold === "number" ? s.options.threshold : undefined;
  const rows = (cells: unknown[][]): string =>
    cells.map((r) => `<tr>${r.map((c) => `<td>${esc(c)}</td>`).join("")}</tr>`).join("\n");
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<title>Screening report: ${esc(s.input)}</title>
<style>
body{font:14px/1.4 system-ui,sans-serif;margin:2em;color:#222;max-width:70em}
table{border-collapse:collapse;margin:1em 0}td,th{border:1px solid #ccc;padding:.25em .6em;text-align:left}
th{background:#f3f3f3}td:nth-child(n+4){white-space:nowrap}.n{font-size:1.6em;font-weight:600}
.cards{display:flex;gap:2em}.cards div{border:1px solid #ddd;padding:.6em 1em;border-radius:4px}
</style></head><body>
<h1>Screening report</h1>
<p>Input <code>${esc(s.input)}</code>; lists: ${s.lists.map((l) => `${esc(l.dataset)} ${esc(l.version)}`).join(", ") || "none"}; options: <code>${esc(JSON.stringify(s.options))}</code>.</p>
<div class="cards">
<div><div class="n">${s.subjects}</div>subjects screened</div>
<div><div class="n">${s.decisions.alert}</div>alert (a match to review)</div>
<div><div class="n">${s.decisions.clear}</div>clear</div>
<div><div class="n">${s.skipped}</div>rows skipped (see the errors file)</div>
</div>
<h2>Best score per subject</h2>
${histogramSvg(s, threshold)}
<h2>Top hits</h2>
<table><tr><th>subject</th><th>name</th><th>entity</th><th>caption</th><th>score</th></tr>
${rows(s.topHits.map((h) => [h.id, h.name, h.entity_id, h.caption, h.score.toFixed(3)]))}
</table>
<h2>Matched entities (${s.entities.length})</h2>
<table><tr><th>entity</th><th>caption</th><th>schema</th><th>subjects</th><th>best score</th><th>datasets</th><th>programmes</th></tr>
${rows(
  s.entities.map((e) => [
    e.entity_id,
    e.caption,
    e.schema,
    e.subjects,
    e.best.toFixed(3),
    e.datasets.join(", "),
    e.programs.join(", "),
  ]),
)}
</table>
</body></html>
`;
}
