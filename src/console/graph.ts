// Relations as a small inline SVG: the entity in the middle, related entities on a circle,
// each edge labelled with the relation. No script, no external assets; every label escaped.

import { type Html, html } from "./html.js";

const short = (s: string, n = 28) => (s.length > n ? `${s.slice(0, n - 1)}…` : s);

export function relationGraph(
  center: string,
  related: readonly { id: string; label: string; caption: string }[],
): Html {
  const shown = related.slice(0, 12);
  const w = 640;
  const h = 360;
  const cx = w / 2;
  const cy = h / 2;
  const r = 140;
  const nodes = shown.map((n, i) => {
    const a = (2 * Math.PI * i) / shown.length - Math.PI / 2;
    return { ...n, x: Math.round(cx + r * 1.5 * Math.cos(a)), y: Math.round(cy + r * Math.sin(a)) };
  });
  return html`<svg role="img" aria-label="Relations of ${center}" viewBox="0 0 ${w} ${h}" width="100%" style="max-width:${w}px;border:1px solid #d0d7de;border-radius:6px;background:#fff">
${nodes.map((n) => html`<line x1="${cx}" y1="${cy}" x2="${n.x}" y2="${n.y}" stroke="#8c959f"/><text x="${(cx + n.x) / 2}" y="${(cy + n.y) / 2 - 3}" font-size="10" fill="#57606a" text-anchor="middle">${n.label}</text>`)}
<circle cx="${cx}" cy="${cy}" r="8" fill="#b3261e"/><text x="${cx}" y="${cy + 22}" font-size="12" font-weight="bold" text-anchor="middle">${short(center)}</text>
${nodes.map((n) => html`<a href="/ui/entity/${n.id}"><circle cx="${n.x}" cy="${n.y}" r="6" fill="#0b57d0"/><text x="${n.x}" y="${n.y + 18}" font-size="11" text-anchor="middle">${short(n.caption)}</text></a>`)}
</svg>`;
}
