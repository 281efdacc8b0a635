// HTML for the console: a tagged template that escapes every interpolated value unless it is
// already HTML built by this module, so a name from a foreign list can never become markup.
// Pages are plain server-rendered documents; htmx only makes some of them nicer.

const ESC: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };

export const escapeHtml = (s: string): string => s.replace(/[&<>"']/g, (c) => ESC[c] ?? c);

/** Markup known to be safe (built by `html`). */
export class Html {
  constructor(readonly text: string) {}
  toString(): string {
    return this.text;
  }
}

type Value = Html | string | number | boolean | null | undefined | readonly Value[];

function render(v: Value): string {
  if (v === null || v === undefined || v === false) return "";
  if (v instanceof Html) return v.text;
  if (Array.isArray(v)) return v.map(render).join("");
  return escapeHtml(String(v));
}

export function html(strings: TemplateStringsArray, ...values: Value[]): Html {
  let out = strings[0] ?? "";
  values.forEach((v, i) => {
    out += render(v) + (strings[i + 1] ?? "");
  });
  return new Html(out);
}

/** For text from our own code only (never from a list, a subject or a user). */
export const trusted = (s: string): Html => new Html(s);

export interface Nav {
  readonly user?: { name: string; role: string };
  readonly csrf?: string;
  readonly active?: string;
}

const LINKS: [string, string, string][] = [
  ["alerts", "/ui/alerts", "Alerts"],
  ["search", "/ui/search", "Search"],
  ["registers", "/ui/registers", "Registers"],
  ["designations", "/ui/designations", "Designations"],
  ["coverage", "/ui/coverage", "Who is sanctioned where"],
  ["reports", "/ui/reports", "Reports & deadlines"],
  ["datasets", "/ui/datasets", "Datasets"],
  ["audit", "/ui/audit", "Audit log"],
];

const CSS = `
:root{--fg:#1b1f24;--mute:#57606a;--line:#d0d7de;--bg:#f6f8fa;--acc:#0b57d0;--bad:#b3261e;--ok:#1a7f37}
*{box-sizing:border-box}body{margin:0;font:15px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,"Noto Sans",sans-serif;color:var(--fg)}
header{display:flex;gap:1rem;align-items:center;padding:.5rem 1rem;background:#0d1b2a;color:#fff;flex-wrap:wrap}
header a{color:#cfe3ff;text-decoration:none;padding:.2rem .4rem;border-radius:4px}header a[aria-current]{background:#23415f;color:#fff}
header a:focus,a:focus,button:focus,input:focus,select:focus,textarea:focus{outline:3px solid #ffbf47;outline-offset:1px}
header .who{margin-left:auto;display:flex;gap:.5rem;align-items:center}header .pill{color:var(--fg)}
main{max-width:1200px;margin:0 auto;padding:1rem}
h1{font-size:1.4rem;margin:.3rem 0 1rem}h2{font-size:1.1rem;margin:1.4rem 0 .5rem}
table{border-collapse:collapse;width:100%;margin:.4rem 0}th,td{border-bottom:1px solid var(--line);padding:.3rem .5rem;text-align:left;vertical-align:top}
th{background:var(--bg);font-weight:600}td.num,th.num{text-align:right;font-variant-numeric:tabular-nums}
.mute{color:var(--mute)}.bad{color:var(--bad)}.ok{color:var(--ok)}.pill{display:inline-block;padding:0 .45rem;border-radius:9px;background:var(--bg);border:1px solid var(--line);font-size:.85em}
form.inline{display:inline}label{display:block;margin:.3rem 0}input,select,textarea,button{font:inherit;padding:.3rem .45rem}
button{background:var(--acc);color:#fff;border:0;border-radius:4px;cursor:pointer}button.secondary{background:#57606a}
.grid{display:grid;grid-template-columns:1fr 1fr;gap:1rem}.card{border:1px solid var(--line);border-radius:6px;padding:.6rem .8rem;background:#fff}
.counts a{margin-right:.8rem}pre{background:var(--bg);padding:.6rem;overflow:auto;max-height:24rem;font-size:.85em}
.flash{padding:.5rem .8rem;border-radius:4px;background:#fff4ce;border:1px solid #e6c200;margin-bottom:1rem}
.error{background:#ffebe9;border-color:#ff8182}
@media print{header,form,.noprint{display:none}main{max-width:none}}
@media (max-width:800px){.grid{grid-template-columns:1fr}}
`;

export function page(title: string, nav: Nav, body: Html, flash?: { text: string; error?: boolean }): string {
  const links = nav.user
    ? LINKS.map(
        ([key, href, label]) =>
          html`<a href="${href}" ${nav.active === key ? trusted('aria-current="page"') : ""}>${label}</a>`,
      )
    : [];
  const admin =
    nav.user?.role === "admin"
      ? html`<a href="/ui/admin/users" ${nav.active === "users" ? trusted('aria-current="page"') : ""}>Users</a>`
      : "";
  const who = nav.user
    ? html`<span class="who"><span>${nav.user.name} <span class="pill">${nav.user.role}</span></span>
        <form class="inline" method="post" action="/ui/logout"><input type="hidden" name="_csrf" value="${nav.csrf ?? ""}"><button class="secondary">Log out</button></form></span>`
    : "";
  return `<!doctype html>${html`<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title} · Interdict</title><style>${trusted(CSS)}</style><script src="/ui/htmx.js" defer></script></head>
<body hx-boost="true"><header><strong>Interdict</strong><nav>${links}${admin}</nav>${who}</header>
<main id="main">${flash ? html`<div class="flash ${flash.error ? "error" : ""}" role="status">${flash.text}</div>` : ""}<h1>${title}</h1>${body}</main></body></html>`}`;
}

export const csrfField = (token: string): Html => html`<input type="hidden" name="_csrf" value="${token}">`;
