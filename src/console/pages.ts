// The console's pages: alert queue and review (OFAC's five questions side by side), search,
// entity, registers, reports and deadlines, datasets, audit log, users. Every value shown goes
// through `html`, which escapes it. Cases, the queue and the audit log are the store's books
// (`cx.books`, books.ts), awaited, so the pages serve SQLite and PostgreSQL alike; reports are
// made from the same registers (reportOf) and their filed marks kept on the store's engine.

import type { FastifyRequest } from "fastify";
import { CASE_STATUSES, type CaseStatus, type Consequence, type MatchDetails } from "../cases/cases.js";
import { InterdictError } from "../errors.js";
import type { Query } from "../match/subject.js";
import { captionOf, type Entity } from "../model/entity.js";
import { getSchema, isA } from "../model/schema.js";
import type { Alert, Decision } from "../monitor/alerts.js";
import { filedReports, recordReport } from "../reports/filed.js";
import { deadlines, type Report, reportOf, toCsv } from "../reports/reports.js";
import { canonicalEntity } from "../resolve/canonical.js";
import type { App } from "../service/app.js";
import { resolveAlgorithm } from "../service/yente.js";
import { subjectsOf } from "../subjects/index.js";
import { isUserRole, USER_ROLES } from "../users/users.js";
import { relationGraph } from "./graph.js";
import { csrfField, type Html, html, trusted } from "./html.js";
import type { ConsoleContext } from "./plugin.js";

const today = () => new Date().toISOString().slice(0, 10);
const when = (s: string | undefined | null) => (s ? s.slice(0, 16).replace("T", " ") : "");
const csrf = (req: FastifyRequest) => csrfField(req.consoleSession?.csrf ?? "");
const q = (req: FastifyRequest) => req.query as Record<string, string | undefined>;
const STATUS_LABEL: Record<CaseStatus, string> = {
  open: "open",
  in_review: "in review",
  pending: "awaiting confirmation",
  escalated: "escalated",
  decided: "decided",
};

function valuesOfType(e: Entity, type: string): [string, string][] {
  const schema = getSchema(e.schema);
  const out: [string, string][] = [];
  for (const [prop, values] of Object.entries(e.properties)) {
    const p = schema?.properties.get(prop);
    if (p?.type === type) for (const v of values) out.push([prop, v]);
  }
  return out;
}

const NAME_PROPS = [
  "name",
  "alias",
  "weakAlias",
  "previousName",
  "firstName",
  "middleName",
  "lastName",
  "fatherName",
  "motherName",
];

export function registerPages(app: App, cx: ConsoleContext): void {
  const store = cx.store;
  const cases = () => cx.books.cases;
  const send = (reply: { type(t: string): { send(b: string): unknown } }, body: string) =>
    reply.type("text/html; charset=utf-8").send(body);

  // ---- alert queue
  app.get("/ui/alerts", async (req, reply) => {
    const { status = "", source = "", program = "" } = q(req);
    const book = cx.books.alerts;
    const states = await cases().states();
    const sources = await cases().sourceKinds();
    const open = await book.list({ status: "open" });
    const all = [...open, ...(status === "decided" ? await book.list({ status: "decided" }) : [])];
    const statusOf = (a: Alert): CaseStatus =>
      a.status === "decided" ? "decided" : (states.get(a.id) ?? "open");
    const counts = Object.fromEntries(CASE_STATUSES.map((s) => [s, 0])) as Record<CaseStatus, number>;
    for (const a of open) counts[statusOf(a)]++;
    counts.decided = (await book.counts()).decided;
    const rows = all
      .filter((a) => !status || statusOf(a) === status)
      .filter((a) => !source || (sources.get(a.id) ?? "monitor") === source)
      .filter((a) => !program || a.programs.includes(program))
      .slice(0, 500);
    const body = html`
<p class="counts">${CASE_STATUSES.map((s) => html`<a href="/ui/alerts?status=${s}">${STATUS_LABEL[s]} <span class="pill">${counts[s]}</span></a>`)}
  <a href="/ui/alerts">all undecided</a></p>
<form method="get" action="/ui/alerts" class="noprint">
  <label style="display:inline">Status <select name="status"><option value="">undecided</option>${CASE_STATUSES.map((s) => html`<option value="${s}" ${s === status ? trusted("selected") : ""}>${STATUS_LABEL[s]}</option>`)}</select></label>
  <label style="display:inline">Source <select name="source"><option value="">any</option>${["monitor", "visa", "payment"].map((s) => html`<option ${s === source ? trusted("selected") : ""}>${s}</option>`)}</select></label>
  <label style="display:inline">Program <input name="program" value="${program}" size="10"></label> <button>Filter</button></form>
<table><thead><tr><th>Alert</th><th>Status</th><th>Subject</th><th>Listed entity</th><th class="num">Score</th><th>Programs</th><th>Source</th><th>Raised</th></tr></thead><tbody>
${rows.map(
  (
    a,
  ) => html`<tr><td><a href="/ui/alerts/${a.id}">#${a.id}</a></td><td>${STATUS_LABEL[statusOf(a)]}${a.decision ? html` <span class="pill">${a.decision}</span>` : ""}</td>
  <td>${a.subjectName}</td><td>${a.caption}</td><td class="num">${a.score.toFixed(2)}</td><td>${a.programs.join(", ")}</td><td>${sources.get(a.id) ?? "monitor"}</td><td>${when(a.createdAt)}</td></tr>`,
)}</tbody></table>${rows.length === 0 ? html`<p class="mute">No alerts here.</p>` : ""}`;
    return send(reply, cx.render(req, "Alert queue", "alerts", body));
  });

  // ---- alert review
  app.get("/ui/alerts/:id", async (req, reply) => {
    const id = Number((req.params as { id: string }).id);
    const s = req.consoleSession;
    const a = await cases().alert(id);
    const st = await cases().state(a);
    const src = await cases().source(id);
    // An alert on a person listed more than once: the canonical id is no list entry; the facts
    // shown are every entry's (the person as resolution has it now, else the best entry's), and
    // each entry is listed with its designations.
    const person = a.referents.length > 1;
    const lead = [...a.designations].sort((x, y) => (y.score ?? -1) - (x.score ?? -1))[0]?.entityId;
    const leadEntity =
      (await store.getEntity(a.entityId)) ?? (lead ? await store.getEntity(lead) : undefined);
    const merged = person ? await canonicalEntity(store, a.entityId).catch(() => undefined) : undefined;
    const entity: Entity | undefined =
      leadEntity && merged
        ? {
            ...leadEntity,
            properties: Object.fromEntries(Object.entries(merged.properties).map(([k, v]) => [k, [...v]])),
          }
        : leadEntity;
    const subject = await subjectView(store, a, src.context);
    const names = entity ? NAME_PROPS.flatMap((p) => entity.properties[p] ?? []) : [a.caption];
    const ent = (t: string) => (entity ? valuesOfType(entity, t).map(([, v]) => v) : []);
    const individual = (schema: string) => isA(schema, "Person");
    const five: [string, Html, Html][] = [
      [
        "1. Which list is the hit on?",
        html`${subject.source}`,
        person
          ? html`One person, listed ${a.designations.length} times (${a.entityId}):<ul>${a.designations.map(
              (x) =>
                html`<li><a href="/ui/entity/${x.entityId}">${x.entityId}</a>: ${x.datasets.map((d) => cx.datasetTitle(d)).join("; ")} <span class="mute">— Programs: ${x.programs.join(", ") || "—"}${x.score !== undefined ? ` — score ${x.score.toFixed(3)}` : " — not hit by this screening"}</span></li>`,
            )}</ul>`
          : html`${a.datasets.map((d) => cx.datasetTitle(d)).join("; ")} <br><span class="mute">Programs: ${a.programs.join(", ") || "—"}</span>`,
      ],
      [
        "2. An individual never matches an entity or vessel",
        html`${subject.schema || "unknown"}`,
        html`${a.schema}${subject.schema && entity && individual(subject.schema) !== individual(entity.schema) ? html` <strong class="bad">— types differ: not a match</strong>` : ""}`,
      ],
      [
        "3. More than one name part matches?",
        html`${subject.names.join(" · ")}`,
        html`${names.join(" · ")}<ul>${a.explanation.map((e) => html`<li>${e.detail}${e.weight ? html` <span class="mute">(${e.value.toFixed(2)} × ${e.weight})</span>` : ""}</li>`)}</ul>`,
      ],
      [
        "4. The whole entry: dates, places, nationality, documents, address",
        html`<dl>${subject.facts.map(([k, v]) => html`<dt>${k}</dt><dd>${v}</dd>`)}</dl>`,
        html`<dl>${[
          ["Birth date", entity?.properties.birthDate ?? []],
          ["Birth place", entity?.properties.birthPlace ?? []],
          ["Nationality / country", ent("country")],
          ["Identifiers", ent("identifier")],
          ["Address", ent("address")],
        ].map(
          ([k, v]) =>
            html`<dt>${k as string}</dt><dd>${(v as string[]).join("; ") || html`<span class="mute">not listed</span>`}</dd>`,
        )}</dl>`,
      ],
      [
        "5. Several similarities: escalate or confirm; otherwise record why not",
        html`Score ${a.score.toFixed(3)}`,
        person
          ? html`Full entity pages: ${a.referents.map((r, i) => html`${i ? ", " : ""}<a href="/ui/entity/${r}">${r}</a>`)}`
          : html`<a href="/ui/entity/${a.entityId}">Full entity page</a>`,
      ],
    ];
    const d = st.details ?? (await cases().defaults(a));
    const canDecide = s && s.user.role !== "auditor" && a.status === "open" && st.status !== "pending";
    const mayConfirm = s ? cases().mayConfirm(st, s.user) : { ok: false, why: "" };
    const decideForm = canDecide
      ? html`<form method="post" action="/ui/alerts/${id}/decide" class="card">${csrf(req)}
<h2>Decision</h2>
<fieldset><legend>Outcome</legend>${(["true_match", "false_positive", "escalate", "clear"] as Decision[]).map((x, i) => html`<label><input type="radio" name="decision" value="${x}" ${i === 0 ? "" : ""} required> ${x.replace("_", " ")}${x === "true_match" || x === "false_positive" ? html` <span class="mute">(confirmed by a higher role)</span>` : ""}</label>`)}</fieldset>
<label>Reasoning <textarea name="note" rows="3" cols="60" required></textarea></label>
<details open><summary>If a true match: what it does</summary>
<label>Consequence <select name="consequence">${(["block", "reject", "refuse_visa", "none"] as Consequence[]).map((c) => html`<option ${c === d.consequence ? trusted("selected") : ""}>${c}</option>`)}</select></label>
<div class="grid"><label>Property type <input name="propertyType" value="${d.propertyType ?? ""}"></label><label>Location <input name="location" value="${d.location ?? ""}"></label>
<label>Value <input name="value" inputmode="decimal" value="${d.value ?? ""}"></label><label>Currency <input name="currency" value="${d.currency ?? "USD"}" size="4"></label>
<label>Date <input name="date" type="date" value="${d.date ?? today()}"></label><label>Owner <input name="owner" value="${d.owner ?? a.caption}"></label>
<label>Reference <input name="reference" value="${d.reference ?? ""}"></label><label>Program <input name="program" value="${d.program ?? ""}"></label></div>
<label>Legal authority / ground <textarea name="legalAuthority" rows="2" cols="60">${d.legalAuthority ?? ""}</textarea></label>
</details><button>Record decision</button></form>`
      : "";
    const confirmForm =
      st.status === "pending"
        ? html`<div class="card"><h2>Awaiting confirmation</h2><p><strong>${st.proposed}</strong> proposed by ${st.proposer} (${st.proposerRole}): ${st.note}</p>
${st.details ? html`<p class="mute">${st.details.consequence}: ${st.details.propertyType ?? ""} ${st.details.value ?? ""} ${st.details.currency ?? ""} at ${st.details.location ?? ""}</p>` : ""}
${
  mayConfirm.ok
    ? html`<form method="post" action="/ui/alerts/${id}/confirm">${csrf(req)}<label>Note <input name="note" size="50"></label>
<button name="accept" value="yes">Confirm</button> <button name="accept" value="no" class="secondary">Return for review</button></form>`
    : html`<p class="mute">${mayConfirm.why}</p>`
}</div>`
        : "";
    const takeForm =
      canDecide && st.status === "open"
        ? html`<form method="post" action="/ui/alerts/${id}/take" class="inline">${csrf(req)}<button class="secondary">Take into review</button></form>`
        : "";
    const comments = await cases().comments(id);
    const files = await cases().attachments(id);
    const body = html`
<p>Status: <strong>${STATUS_LABEL[st.status]}</strong>${st.assignee ? html` · with ${st.assignee}` : ""}${a.decision ? html` · <span class="pill">${a.decision}</span> by ${a.analyst} ${when(a.decidedAt)} — ${a.note ?? ""}` : ""} ${takeForm}</p>
<p class="mute">Raised ${when(a.createdAt)}: ${a.reason}</p>
<table><thead><tr><th style="width:22%">OFAC's question (FAQ 5)</th><th>Subject: ${a.subjectName}</th><th>Listed: ${a.caption}</th></tr></thead>
<tbody>${five.map(([qn, l, r]) => html`<tr><th scope="row">${qn}</th><td>${l}</td><td>${r}</td></tr>`)}</tbody></table>
${confirmForm}${decideForm}
<h2>Comments</h2><ul>${comments.map((c) => html`<li><strong>${c.author}</strong> <span class="mute">${when(c.at)}</span>: ${c.text}</li>`)}</ul>
${s && s.user.role !== "auditor" ? html`<form method="post" action="/ui/alerts/${id}/comment">${csrf(req)}<label>Comment <textarea name="text" rows="2" cols="60" required></textarea></label><button>Add comment</button></form>` : ""}
<h2>Attachments</h2><ul>${files.map((f) => html`<li><a href="/ui/attachments/${f.id}">${f.name}</a> <span class="mute">${f.size} bytes, ${f.author}, ${when(f.at)}, sha256 ${f.sha256.slice(0, 12)}…</span></li>`)}</ul>
${s && s.user.role !== "auditor" ? html`<form method="post" action="/ui/alerts/${id}/attach" enctype="multipart/form-data" hx-boost="false">${csrf(req)}<input type="file" name="file" required> <button>Attach</button></form>` : ""}`;
    return send(reply, cx.render(req, `Alert #${id}: ${a.subjectName} / ${a.caption}`, "alerts", body));
  });

  const back = (id: number) => `/ui/alerts/${id}`;
  app.post("/ui/alerts/:id/take", async (req, reply) => {
    const id = Number((req.params as { id: string }).id);
    await cases().take(id, cx.need(req, "analyst").user);
    return reply.redirect(back(id), 303);
  });
  app.post("/ui/alerts/:id/decide", async (req, reply) => {
    const id = Number((req.params as { id: string }).id);
    const user = cx.need(req, "analyst").user;
    const f = req.form ?? {};
    const decision = f.decision as Decision;
    const details: MatchDetails | undefined =
      decision === "true_match"
        ? {
            consequence: (f.consequence as Consequence) || "none",
            ...(f.propertyType ? { propertyType: f.propertyType } : {}),
            ...(f.location ? { location: f.location } : {}),
            ...(f.value ? { value: Number(f.value.replace(/,/g, "")) } : {}),
            ...(f.currency ? { currency: f.currency.trim().toUpperCase().slice(0, 3) } : {}),
            ...(f.date && /^\d{4}-\d{2}-\d{2}$/.test(f.date) ? { date: f.date } : {}),
            ...(f.owner ? { owner: f.owner } : {}),
            ...(f.reference ? { reference: f.reference } : {}),
            ...(f.program ? { program: f.program } : {}),
            ...(f.legalAuthority ? { legalAuthority: f.legalAuthority, ground: f.legalAuthority } : {}),
          }
        : undefined;
    if (details?.value !== undefined && !Number.isFinite(details.value)) {
      throw new InterdictError("INTERDICT_E_INPUT", "the value is not a number", { field: "value" });
    }
    await cases().propose(id, user, decision, f.note ?? "", details);
    return reply.redirect(back(id), 303);
  });
  app.post("/ui/alerts/:id/confirm", async (req, reply) => {
    const id = Number((req.params as { id: string }).id);
    const user = cx.need(req, "analyst").user;
    await cases().confirm(id, user, req.form?.accept === "yes", req.form?.note ?? "");
    return reply.redirect(back(id), 303);
  });
  app.post("/ui/alerts/:id/comment", async (req, reply) => {
    const id = Number((req.params as { id: string }).id);
    await cases().comment(id, cx.need(req, "analyst").user, req.form?.text ?? "");
    return reply.redirect(back(id), 303);
  });
  app.post("/ui/alerts/:id/attach", async (req, reply) => {
    const id = Number((req.params as { id: string }).id);
    const user = cx.need(req, "analyst").user;
    const file = req.files?.[0];
    if (!file) throw new InterdictError("INTERDICT_E_INPUT", "no file attached", { field: "file" });
    await cases().attach(id, user, file.name, file.type, file.content);
    return reply.redirect(back(id), 303);
  });
  app.get("/ui/attachments/:id", async (req, reply) => {
    const f = await cases().attachment(Number((req.params as { id: string }).id));
    if (!f) throw new InterdictError("INTERDICT_E_NOT_FOUND", "no such attachment");
    // Always a download, never rendered in the console's origin (an uploaded HTML file stays inert).
    return reply
      .type("application/octet-stream")
      .header("content-disposition", `attachment; filename="${f.name.replace(/[^\w.-]/g, "_")}"`)
      .header("x-content-type-options", "nosniff")
      .send(f.content);
  });

  // ---- search
  app.get("/ui/search", async (req, reply) => {
    const { q: text = "", schema = "" } = q(req);
    let results: Html = html``;
    if (text.trim()) {
      const gen = cx.live.generation();
      const query: Query = { names: [text.trim().slice(0, 300)], ...(schema ? { schema } : {}) };
      const [r] = await gen.match({
        queries: [query],
        algorithm: resolveAlgorithm(undefined),
        limit: 20,
        cutoff: 0.5,
        scope: {},
      });
      const rows = r?.results ?? [];
      results = html`<p class="mute">${rows.length} results against ${gen.versions.map((v) => `${v.dataset}@${v.version}`).join(", ")}</p>
<ol>${rows.map(
        (
          x,
        ) => html`<li><a href="/ui/entity/${x.id}"><strong>${x.caption}</strong></a> <span class="pill">${x.schema}</span>
  score <strong>${x.score.toFixed(3)}</strong> ${x.match ? html`<span class="bad">match</span>` : ""} <span class="mute">${x.datasets.join(", ")} ${x.programs.join(", ")}</span>
  <ul>${x.explanation.map((e) => html`<li>${e.detail} <span class="mute">${e.feature} ${e.value.toFixed(2)} × ${e.weight}</span></li>`)}</ul></li>`,
      )}</ol>`;
    }
    const body = html`<form method="get" action="/ui/search" role="search">
<label>Name <input name="q" value="${text}" size="40" autofocus></label>
<label>Type <select name="schema"><option value="">any</option>${["Person", "Organization", "Company", "Vessel"].map((s) => html`<option ${s === schema ? trusted("selected") : ""}>${s}</option>`)}</select></label>
<button>Search</button></form>${results}`;
    return send(reply, cx.render(req, "Search", "search", body));
  });

  // ---- entity
  app.get("/ui/entity/:id", async (req, reply) => {
    const id = (req.params as { id: string }).id;
    const e = await store.getEntity(id);
    if (!e) throw new InterdictError("INTERDICT_E_NOT_FOUND", `no entity ${id}`);
    const refs = await store.referencing(id);
    const sanctions = refs.filter((r) => r.schema === "Sanction");
    const others = refs.filter((r) => r.schema !== "Sanction");
    const names = NAME_PROPS.flatMap((p) => (e.properties[p] ?? []).map((v) => [p, v] as const));
    const related: { id: string; label: string; caption: string }[] = [];
    for (const r of others) {
      for (const [prop, vals] of Object.entries(r.properties)) {
        if (getSchema(r.schema)?.properties.get(prop)?.type !== "entity") continue;
        for (const v of vals) {
          if (v === id) continue;
          const o = await store.getEntity(v);
          related.push({ id: v, label: r.schema, caption: o ? captionOf(o) : v });
        }
      }
      if (isA(r.schema, "Identification") || r.schema === "Address") continue;
    }
    const versions: Html[] = [];
    for (const ds of e.datasets) {
      for (const v of (await store.versions(ds)).slice(-12)) {
        const x = await store.getEntity(id, { versionId: v.id });
        versions.push(
          html`<tr><td>${ds}</td><td>${v.version}</td><td>${v.status}</td><td>${x ? (x.last_change ?? "present") : html`<span class="mute">absent</span>`}</td></tr>`,
        );
      }
    }
    const props = Object.entries(e.properties).filter(([p]) => !NAME_PROPS.includes(p));
    const body = html`<p><span class="pill">${e.schema}</span> ${e.datasets.join(", ")} · first seen ${e.first_seen ?? "?"} · last change ${e.last_change ?? "?"}</p>
<div class="grid"><div class="card"><h2>Names (as listed, every script)</h2><ul>${names.map(([p, v]) => html`<li lang="" dir="auto">${v} <span class="mute">${p}</span></li>`)}</ul></div>
<div class="card"><h2>Sanctions</h2>${
      sanctions.length
        ? html`<ul>${sanctions.map(
            (
              s,
            ) => html`<li><strong>${(s.properties.program ?? []).join(", ") || "program not stated"}</strong> ${(s.properties.authority ?? []).join("; ")}
 <span class="mute">${(s.properties.listingDate ?? s.properties.startDate ?? []).join(", ")}</span><br>${(s.properties.reason ?? s.properties.provisions ?? []).join("; ")}</li>`,
          )}</ul>`
        : html`<p class="mute">No Sanction records reference this entity.</p>`
    }</div></div>
<h2>Identifiers and addresses</h2><table><tbody>${[...valuesOfType(e, "identifier"), ...valuesOfType(e, "address")].map(([k, v]) => html`<tr><th>${k}</th><td>${v}</td></tr>`)}</tbody></table>
<h2>Properties</h2><table><tbody>${props.map(([p, vs]) => html`<tr><th>${p}</th><td dir="auto">${vs.join("; ")}</td></tr>`)}</tbody></table>
<h2>Relations</h2>${related.length ? relationGraph(captionOf(e), related) : html`<p class="mute">None listed.</p>`}
<ul>${related.map((r) => html`<li>${r.label}: <a href="/ui/entity/${r.id}">${r.caption}</a></li>`)}</ul>
<h2>Version history</h2><table><thead><tr><th>Dataset</th><th>Version</th><th>Status</th><th>Entity</th></tr></thead><tbody>${versions}</tbody></table>
<h2>Source record</h2><pre>${JSON.stringify(e.source ?? null, null, 2)}</pre>`;
    return send(reply, cx.render(req, captionOf(e), "search", body));
  });

  // ---- registers
  app.get("/ui/registers", async (req, reply) => {
    const c = cases();
    const [blocked, rejected, refused] = await Promise.all([
      c.blockedProperty(),
      c.rejectedTransactions(),
      c.visaRefusals(),
    ]);
    const body = html`<h2>Blocked property</h2><table><thead><tr><th>#</th><th>Owner</th><th>Type</th><th>Location</th><th class="num">Value</th><th>Cur.</th><th>Blocked</th><th>Program</th><th>Legal authority</th><th>Alert</th><th>By / confirmed</th></tr></thead><tbody>
${blocked.map((p) => html`<tr><td>${p.id}</td><td>${p.owner}</td><td>${p.type}</td><td>${p.location}</td><td class="num">${p.value.toFixed(2)}</td><td>${p.currency}</td><td>${p.dateBlocked}</td><td>${p.program}</td><td><small>${p.legalAuthority}</small></td><td><a href="/ui/alerts/${p.alertId}">#${p.alertId}</a></td><td>${p.proposedBy} / ${p.confirmedBy}</td></tr>`)}</tbody></table>
<h2>Rejected transactions</h2><table><thead><tr><th>#</th><th>Party</th><th>Reference</th><th class="num">Value</th><th>Cur.</th><th>Rejected</th><th>Program</th><th>Alert</th><th>By / confirmed</th></tr></thead><tbody>
${rejected.map((r) => html`<tr><td>${r.id}</td><td>${r.party}</td><td>${r.reference}</td><td class="num">${r.value.toFixed(2)}</td><td>${r.currency}</td><td>${r.dateRejected}</td><td>${r.program}</td><td><a href="/ui/alerts/${r.alertId}">#${r.alertId}</a></td><td>${r.proposedBy} / ${r.confirmedBy}</td></tr>`)}</tbody></table>
<h2>Visa refusals</h2><table><thead><tr><th>#</th><th>Applicant</th><th>Listed entity</th><th>Ground</th><th>Refused</th><th>Alert</th></tr></thead><tbody>
${refused.map((v) => html`<tr><td>${v.id}</td><td>${v.applicant}</td><td>${v.entityId}</td><td><small>${v.ground}</small></td><td>${v.dateRefused}</td><td><a href="/ui/alerts/${v.alertId}">#${v.alertId}</a></td></tr>`)}</tbody></table>`;
    return send(reply, cx.render(req, "Registers", "registers", body));
  });

  // ---- reports and deadlines
  app.get("/ui/reports", async (req, reply) => {
    const c = cases();
    const filed = await filedReports(store);
    const dl = deadlines(
      await c.blockedProperty(),
      await c.rejectedTransactions(),
      filed.map((f) => ({ kind: f.kind, items: f.items, period: f.period })),
      today(),
    );
    const year = new Date().getUTCFullYear();
    const now = today();
    const form = (kind: string, label: string, extra: Html) =>
      html`<form method="post" action="/ui/reports/generate" class="card" hx-boost="false">${csrf(req)}<input type="hidden" name="kind" value="${kind}"><strong>${label}</strong> ${extra}
<label style="display:inline">Format <select name="format"><option>csv</option><option>html</option></select></label> <button>Generate</button></form>`;
    const body = html`<h2>Deadlines</h2><table><thead><tr><th>Due</th><th>What</th><th>Status</th></tr></thead><tbody>
${dl.map((d) => html`<tr><td>${d.due}</td><td>${d.what}</td><td>${d.filed ? html`<span class="ok">filed</span>` : d.due < now ? html`<strong class="bad">overdue</strong>` : "due"}</td></tr>`)}</tbody></table>
<h2>Generate a report</h2><div class="grid">
${form("blocked_property", "OFAC report of blocked property", html`<label style="display:inline">Items <input name="items" placeholder="all unreported" size="12"></label>`)}
${form("rejected_transaction", "OFAC report of rejected transactions", html`<label style="display:inline">Items <input name="items" placeholder="all unreported" size="12"></label>`)}
${form("annual", "Annual Report of Blocked Property", html`<label style="display:inline">As of 30 June <input name="year" value="${now > `${year}-06-30` ? year : year - 1}" size="5"></label>`)}
${form("canada_quarterly", "Canadian quarterly disclosure", html`<label style="display:inline">Year <input name="year" value="${year}" size="5"></label><label style="display:inline">Quarter <select name="quarter">${[1, 2, 3, 4].map((n) => html`<option>${n}</option>`)}</select></label>`)}
</div><h2>Generated</h2><table><thead><tr><th>When</th><th>Report</th><th>Period</th><th class="num">Rows</th><th>By</th><th>SHA-256</th></tr></thead><tbody>
${filed.map((f) => html`<tr><td>${when(f.generatedAt)}</td><td>${f.kind} (${f.format})</td><td>${f.period}</td><td class="num">${f.rows}</td><td>${f.generatedBy}</td><td><code>${f.sha256.slice(0, 16)}…</code></td></tr>`)}</tbody></table>`;
    return send(reply, cx.render(req, "Reports and deadlines", "reports", body));
  });

  app.post("/ui/reports/generate", async (req, reply) => {
    const user = cx.need(req, "analyst").user;
    const f = req.form ?? {};
    const c = cases();
    const items = (f.items ?? "")
      .split(/[\s,]+/)
      .filter(Boolean)
      .map(Number);
    const r = reportOf(f.kind ?? "", await c.blockedProperty(), await c.rejectedTransactions(), {
      year: Number(f.year) || new Date().getUTCFullYear(),
      quarter: Number(f.quarter) || 1,
      items,
      filed: await filedReports(store),
    });
    const fmt = f.format === "html" ? "html" : "csv";
    const name = `${r.kind}-${r.period.replace(/[^\w-]+/g, "_")}.${fmt}`;
    const bodyText = fmt === "csv" ? toCsv(r) : printable(r, user.name);
    await recordReport(store, r, fmt, bodyText, user.name);
    if (fmt === "csv") {
      return reply
        .type("text/csv; charset=utf-8")
        .header("content-disposition", `attachment; filename="${name}"`)
        .send(bodyText);
    }
    return reply.type("text/html; charset=utf-8").send(bodyText);
  });

  // ---- datasets
  app.get("/ui/datasets", async (req, reply) => {
    const list = await store.datasets();
    const rows: Html[] = [];
    for (const d of list) {
      const vs = await store.versions(d.name);
      rows.push(
        html`<tr><td><strong>${cx.datasetTitle(d.name)}</strong><br><code>${d.name}</code></td><td>${d.current?.version ?? "—"}</td><td>${when(d.current?.createdAt)}</td><td class="num">${d.current?.entityCount ?? 0}</td>
<td>${vs
          .slice(-6)
          .reverse()
          .map(
            (v) =>
              html`<div>${v.version} <span class="pill">${v.status}</span> ${v.entityCount} entities${v.parentId ? html` · <a href="/ui/datasets/changes?from=${v.parentId}&to=${v.id}">what changed</a>` : ""}</div>`,
          )}</td></tr>`,
      );
    }
    const body = html`<table><thead><tr><th>Dataset</th><th>Current version</th><th>Written</th><th class="num">Entities</th><th>Versions (newest first)</th></tr></thead><tbody>${rows}</tbody></table>`;
    return send(reply, cx.render(req, "Datasets", "datasets", body));
  });
  app.get("/ui/datasets/changes", async (req, reply) => {
    const from = Number(q(req).from);
    const to = Number(q(req).to);
    const rows: Html[] = [];
    const counts = { added: 0, removed: 0, changed: 0 };
    for await (const ch of store.diff(from, to)) {
      counts[ch.change]++;
      if (rows.length < 300)
        rows.push(
          html`<tr><td>${ch.change}</td><td>${ch.schema}</td><td><a href="/ui/entity/${ch.id}">${ch.id}</a></td></tr>`,
        );
    }
    const body = html`<p>${counts.added} added, ${counts.removed} removed, ${counts.changed} changed${rows.length >= 300 ? " (first 300 shown)" : ""}.</p><table><tbody>${rows}</tbody></table>`;
    return send(reply, cx.render(req, `Changes between versions ${from} and ${to}`, "datasets", body));
  });

  // ---- audit log
  app.get("/ui/audit", async (req, reply) => {
    // Every signed-in role reads the log; auditors above all.
    const { action = "", actor = "", before = "" } = q(req);
    const log = cx.books.trail;
    const v = await log.verify();
    const entries = await log.list({
      action,
      actor,
      ...(before ? { before: Number(before) } : {}),
      limit: 100,
    });
    const body = html`<p>${v.ok ? html`<span class="ok">Chain intact: ${v.entries} entries verified.</span>` : html`<strong class="bad">Chain broken at entry ${v.seq}: ${v.reason}</strong>`}</p>
<form method="get" action="/ui/audit"><label style="display:inline">Action <input name="action" value="${action}" size="14"></label> <label style="display:inline">User <input name="actor" value="${actor}" size="10"></label> <button>Filter</button></form>
<table><thead><tr><th class="num">#</th><th>When (UTC)</th><th>User</th><th>Action</th><th>Detail</th><th>List versions</th><th>Hash</th></tr></thead><tbody>
${entries.map((e) => html`<tr><td class="num">${e.seq}</td><td>${when(e.at)}</td><td>${e.actor}</td><td>${e.action}</td><td><small>${JSON.stringify(e.detail)}</small></td><td><small>${e.listVersions.join(", ")}</small></td><td><code>${e.hash.slice(0, 10)}</code></td></tr>`)}</tbody></table>
${entries.length === 100 ? html`<a href="/ui/audit?action=${action}&actor=${actor}&before=${entries.at(-1)?.seq ?? 0}">Older</a>` : ""}`;
    return send(reply, cx.render(req, "Audit log", "audit", body));
  });

  // ---- users (admin)
  app.get("/ui/admin/users", async (req, reply) => {
    cx.need(req, "admin");
    const body = html`<table><thead><tr><th>Name</th><th>Role</th><th>Created</th><th>Locked until</th></tr></thead><tbody>
${(await cx.users.list()).map((u) => html`<tr><td>${u.name}</td><td>${u.role}</td><td>${when(u.createdAt)}</td><td>${when(u.lockedUntil)}</td></tr>`)}</tbody></table>
<form method="post" action="/ui/admin/users" class="card" style="max-width:28rem">${csrf(req)}<h2>New user</h2>
<label>Name <input name="name" required></label><label>Role <select name="role">${USER_ROLES.map((r) => html`<option>${r}</option>`)}</select></label>
<label>Password <input name="password" type="password" minlength="10" required autocomplete="new-password"></label><button>Create</button></form>`;
    return send(reply, cx.render(req, "Users", "users", body));
  });
  app.post("/ui/admin/users", async (req, reply) => {
    cx.need(req, "admin");
    const f = req.form ?? {};
    if (!isUserRole(f.role ?? ""))
      throw new InterdictError("INTERDICT_E_INPUT", "unknown role", { field: "role" });
    const u = await cx.users.create(f.name ?? "", f.role ?? "", f.password ?? "");
    await cx.audit(req, "user_created", { user: u.name, new_role: u.role });
    return reply.redirect("/ui/admin/users", 303);
  });
}

/** What the review page shows of the subject: from the subject register (either store's), or the screening. */
async function subjectView(
  store: ConsoleContext["store"],
  a: Alert,
  context: Readonly<Record<string, unknown>>,
) {
  const facts: [string, string][] = [];
  const ap = context.applicant as
    | {
        names?: string[];
        birthDate?: string;
        nationalities?: string[];
        passport?: { number: string; country?: string };
      }
    | undefined;
  if (ap) {
    if (ap.birthDate) facts.push(["Birth date", ap.birthDate]);
    if (ap.nationalities?.length) facts.push(["Nationality", ap.nationalities.join(", ")]);
    if (ap.passport) facts.push(["Passport", `${ap.passport.number} ${ap.passport.country ?? ""}`]);
    return {
      source: `Visa application (screening ${String(context.decision ?? "")})`,
      schema: "Person",
      names: ap.names ?? [a.subjectName],
      facts,
    };
  }
  if (context.message_id) {
    facts.push(
      ["Message", `${String(context.format)} ${String(context.message_id)}`],
      ["Field", String(context.field ?? "")],
      ["Role", String(context.role ?? "")],
    );
    if (context.amount) facts.push(["Amount", `${String(context.amount)} ${String(context.currency ?? "")}`]);
    return {
      source: `Payment ${String(context.decision ?? "")}: ${String(context.rule ?? "")}`,
      schema: "",
      names: [a.subjectName],
      facts,
    };
  }
  let query: Query | undefined;
  try {
    query = (await subjectsOf(store).get(a.subjectId))?.query;
  } catch {
    query = undefined;
  }
  if (query?.birthDates?.length) facts.push(["Birth date", query.birthDates.join(", ")]);
  if (query?.countries?.length) facts.push(["Country", query.countries.join(", ")]);
  if (query?.identifiers?.length) facts.push(["Identifiers", query.identifiers.join(", ")]);
  return {
    source: `Customer ${a.subjectId}`,
    schema: query?.schema ?? "",
    names: query?.names.length ? [...query.names] : [a.subjectName],
    facts,
  };
}

function printable(r: Report, by: string): string {
  return `<!doctype html>${html`<html lang="en"><head><meta charset="utf-8"><title>${r.title}</title>
<style>body{font:13px system-ui,sans-serif;margin:2rem}table{border-collapse:collapse;width:100%}th,td{border:1px solid #999;padding:.25rem .4rem;text-align:left}td.num{text-align:right}.conf{color:#b3261e;font-weight:bold}</style></head><body>
<p class="conf">CONFIDENTIAL</p><h1>${r.title}</h1><p>${r.period}${r.due ? html` · due ${r.due}` : ""} · generated ${new Date().toISOString().slice(0, 19)}Z by ${by}</p><p><small>${r.basis}</small></p>
<table><thead><tr>${r.columns.map((c) => html`<th>${c.label}</th>`)}</tr></thead><tbody>${r.rows.map((row) => html`<tr>${r.columns.map((c) => html`<td>${row[c.key] ?? ""}</td>`)}</tr>`)}</tbody></table>
<h2>Totals</h2><table><thead><tr><th>Currency</th><th>Items</th><th>Value</th></tr></thead><tbody>${r.totals.map((t) => html`<tr><td>${t.currency}</td><td class="num">${t.count}</td><td class="num">${t.value.toFixed(2)}</td></tr>`)}</tbody></table>
<script>/* print */</script></body></html>`}`;
}
