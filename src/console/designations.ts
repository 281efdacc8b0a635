// The console's designation pages: the case list with a new-case form, the case page (identity,
// legal basis, evidence with its files, workflow history, petitions, and every next step as a
// form carrying the session's CSRF token), the publication page, deadlines and the annual
// report to the legislature, and the ownership view with the 50 % rule's chains. The acting user
// is the signed-in user; analysts prepare and propose, supervisors and admins decide and
// publish; auditors read. Every step also goes to the audit log (registryOf wires it). The pages
// await the registry, so they serve the SQLite store and PostgreSQL (PgRegistry) alike.

import type { FastifyReply, FastifyRequest } from "fastify";
import { InterdictError } from "../errors.js";
import { captionOf } from "../model/entity.js";
import {
  annualReport,
  applyFiftyPercentRule,
  type CaseFile,
  type CaseStatus,
  caseEntityId,
  caseIssues,
  computeOwnership,
  deadlines,
  type EvidenceInput,
  inForce,
  LEGAL_BASES,
  PETITION_GROUNDS,
  parsePercentage,
  type RegistryBook,
  registryOf,
  reportText,
} from "../registry/index.js";
import type { App } from "../service/app.js";
import { publishAndEnforce } from "../service/routes/designations.js";
import { csrfField, type Html, html } from "./html.js";
import type { ConsoleContext } from "./plugin.js";

const STATUSES: readonly CaseStatus[] = ["draft", "proposed", "approved", "published", "delisted"];
const when = (s: string | undefined | null) => (s ? s.slice(0, 16).replace("T", " ") : "");
const csrf = (req: FastifyRequest) => csrfField(req.consoleSession?.csrf ?? "");
const q = (req: FastifyRequest) => req.query as Record<string, string | undefined>;
const lines = (s: string | undefined) =>
  (s ?? "")
    .split(/\r?\n/)
    .map((x) => x.trim())
    .filter(Boolean);
const send = (reply: FastifyReply, body: string) => reply.type("text/html; charset=utf-8").send(body);

/** The evidence item of a form (with its file, when one was attached). */
function evidenceOf(req: FastifyRequest, f: Record<string, string>): EvidenceInput | undefined {
  const file = req.files?.find((x) => x.field === "file" && x.content.length > 0);
  if (!f.source_type?.trim()) return undefined;
  return {
    source_type: f.source_type,
    ...(f.evidence_date ? { date: f.evidence_date } : {}),
    ...(f.classification ? { classification: f.classification } : {}),
    ...(f.evidence_description ? { description: f.evidence_description } : {}),
    ...(file ? { file: { name: file.name, bytes: file.content } } : {}),
  };
}

const evidenceFields = html`<label>Source type <input name="source_type" placeholder="NGO report, testimony, open source…"></label>
<label>Date <input name="evidence_date" type="date"></label>
<label>Classification <select name="classification"><option>public</option><option>confidential</option><option>classified</option></select></label>
<label>Description <input name="evidence_description" size="50"></label>
<label>File <input type="file" name="file"></label>`;

export function registerDesignationPages(app: App, cx: ConsoleContext): void {
  let reg: RegistryBook | undefined;
  const registry = (): RegistryBook => {
    reg ??= registryOf(cx.store);
    return reg;
  };
  const back = (reply: FastifyReply, id: string) => reply.redirect(`/ui/designations/${id}`, 303);

  // ---- list and new case
  app.get("/ui/designations", async (req, reply) => {
    const status = q(req).status ?? "";
    const all = await registry().list();
    const rows = all.filter((c) => !status || c.status === status);
    const canWrite = req.consoleSession?.user.role !== "auditor";
    const body = html`<p class="counts">${STATUSES.map((s) => html`<a href="/ui/designations?status=${s}">${s} <span class="pill">${all.filter((c) => c.status === s).length}</span></a>`)}<a href="/ui/designations">all</a>
 · <a href="/ui/designations/publish">Publication</a> · <a href="/ui/designations/reports">Deadlines &amp; reports</a> · <a href="/ui/designations/ownership">Ownership (50 % rule)</a></p>
<table><thead><tr><th>Case</th><th>Status</th><th>Subject</th><th>Legal basis</th><th>Proposer</th><th>Approver</th><th>Listed</th></tr></thead><tbody>
${rows.map((c) => html`<tr><td><a href="/ui/designations/${c.id}">${c.id}</a>${c.classified ? html` <span class="pill bad">classified annex</span>` : ""}</td><td>${c.status}</td><td>${captionOf(c.subject)} <span class="mute">${c.subject.schema}</span></td><td>${c.authority} ${c.criterion}</td><td>${c.proposer ?? ""}</td><td>${c.approver ?? ""}</td><td>${when(c.listed_at)}</td></tr>`)}</tbody></table>
${rows.length === 0 ? html`<p class="mute">No case files here.</p>` : ""}
${
  canWrite
    ? html`<form method="post" action="/ui/designations" enctype="multipart/form-data" hx-boost="false" class="card" style="max-width:48rem">${csrf(req)}<h2>New case file</h2>
<label>Subject type <select name="schema">${["Person", "Organization", "Company", "Vessel"].map((s) => html`<option>${s}</option>`)}</select></label>
<label>Names (one a line, any script) <textarea name="name" rows="3" cols="60" required></textarea></label>
<label>Birth date <input name="birthDate" placeholder="YYYY-MM-DD"></label>
<label>Nationality (ISO codes, one a line) <textarea name="nationality" rows="1" cols="10"></textarea></label>
<label>Identifiers (passport numbers, one a line) <textarea name="passportNumber" rows="1" cols="30"></textarea></label>
<label>Positions (one a line) <textarea name="position" rows="2" cols="60"></textarea></label>
<label>Legal basis <select name="authority">${LEGAL_BASES.map((b) => html`<option value="${b.id}">${b.title}</option>`)}</select></label>
<label>Criterion <input name="criterion" placeholder="e.g. 10102(a)(1)"></label>
<label>Statement of reasons <textarea name="statement_of_reasons" rows="3" cols="60"></textarea></label>
<label><input type="checkbox" name="classified" value="yes"> Classified annex (enforced in screening, never exported)</label>
<h2>First evidence item</h2>${evidenceFields}
<button>Create draft</button></form>`
    : ""
}`;
    return send(reply, cx.render(req, "Designations", "designations", body));
  });

  app.post("/ui/designations", async (req, reply) => {
    const user = cx.need(req, "analyst").user.name;
    const f = req.form ?? {};
    const properties: Record<string, string[]> = {};
    for (const p of ["name", "birthDate", "nationality", "passportNumber", "position"]) {
      const v = lines(f[p]);
      if (v.length) properties[p] = v;
    }
    const ev = evidenceOf(req, f);
    const c = await registry().create(
      {
        subject: { schema: f.schema ?? "Person", properties },
        authority: f.authority ?? "",
        ...(f.criterion ? { criterion: f.criterion } : {}),
        statement_of_reasons: f.statement_of_reasons ?? "",
        classified: f.classified === "yes",
        evidence: ev ? [ev] : [],
      },
      user,
    );
    return back(reply, c.id);
  });

  // ---- publication (static paths before the case page's parameter)
  app.get("/ui/designations/publish", async (req, reply) => {
    const at = registry().clock();
    const all = await registry().list();
    const toList = all.filter((c) => c.status === "approved");
    const toRemove = all.filter(
      (c) => c.status === "delisted" && c.delisting && !c.delisting.removed_at && !inForce(c, at),
    );
    const pubs = (await registry().history()).filter((e) => e.action === "publication").reverse();
    const item = (c: CaseFile) =>
      html`<li><a href="/ui/designations/${c.id}">${c.id}</a> ${captionOf(c.subject)} <span class="mute">${c.authority}</span></li>`;
    const incomplete = all.filter((c) => inForce(c, at) && caseIssues(c).length > 0);
    const body = html`<div class="grid"><div class="card"><h2>To be listed (${toList.length})</h2><ul>${toList.map(item)}</ul></div>
<div class="card"><h2>To be removed (${toRemove.length})</h2><ul>${toRemove.map(item)}</ul></div></div>
<p>In force after publication: ${all.filter((c) => inForce(c, at)).length} designations, plus the entities the 50 % rule blocks.</p>
${incomplete.length ? html`<p class="bad">Incomplete case files block publication: ${incomplete.map((c) => c.id).join(", ")}</p>` : ""}
<form method="post" action="/ui/designations/publish" class="card" style="max-width:32rem">${csrf(req)}
<label>Version label <input name="version" placeholder="default: the publication time"></label>
<label>Also blocked owners from datasets (comma-separated) <input name="blocked_by" placeholder="us_ofac_sdn"></label>
<button>Publish now</button></form>
<h2>Publications</h2><table><thead><tr><th>When (UTC)</th><th>Version</th><th>By</th><th class="num">Added</th><th class="num">Changed</th><th class="num">Removed</th></tr></thead><tbody>
${pubs.map((e) => html`<tr><td>${when(e.at)}</td><td>${String(e.detail.version ?? "")}</td><td>${e.actor}</td><td class="num">${String(e.detail.added ?? "")}</td><td class="num">${String(e.detail.changed ?? "")}</td><td class="num">${String(e.detail.removed ?? "")}</td></tr>`)}</tbody></table>
<p>Exports of the current publication (classified annex left out) over the API: <code>GET /designations/export?format=ftm|sdn.csv|add.csv|alt.csv|xml</code>.</p>`;
    return send(reply, cx.render(req, "Publication", "designations", body));
  });

  app.post("/ui/designations/publish", async (req, reply) => {
    const user = cx.need(req, "supervisor").user.name;
    const f = req.form ?? {};
    const blockedBy = (f.blocked_by ?? "")
      .split(/[\s,]+/)
      .map((x) => x.trim())
      .filter(Boolean);
    const { pub, served } = await publishAndEnforce(cx, registry(), user, {
      ...(f.version?.trim() ? { version: f.version.trim() } : {}),
      ...(blockedBy.length ? { blockedBy } : {}),
    });
    const body = html`<p>Version <strong>${pub.version.version}</strong>: ${pub.summary.added} added, ${pub.summary.changed} changed, ${pub.summary.removed} removed. ${served ? html`<span class="ok">Screening enforces it now.</span>` : html`<span class="bad">The index has not taken it yet: see /readyz.</span>`}</p>
<table><thead><tr><th>Change</th><th>Entity</th><th>Basis</th></tr></thead><tbody>
${pub.changes.map((c) => html`<tr><td>${c.change}</td><td>${c.caption} <span class="mute">${c.id}</span>${c.classified ? html` <span class="pill bad">classified</span>` : ""}</td><td>${c.basis}</td></tr>`)}</tbody></table>
${pub.unblocked.length ? html`<h2>Unblocking entries</h2><ul>${pub.unblocked.map((c) => html`<li>${c.caption} <span class="mute">${c.id}</span></li>`)}</ul>` : ""}
<p><a href="/ui/designations/publish">Back to publication</a></p>`;
    return send(reply, cx.render(req, "Published", "designations", body));
  });

  // ---- deadlines and reports to the legislature
  app.get("/ui/designations/reports", async (req, reply) => {
    const r = registry();
    const year = Number(q(req).year) || Number(r.clock().slice(0, 4));
    const cases = await r.list();
    const requests = await r.requests();
    const dl = deadlines(cases, requests, r.clock());
    const report = annualReport(cases, await r.petitions(), { year });
    const body = html`<h2>Deadlines</h2><table><thead><tr><th>Due</th><th>Kind</th><th>What</th><th>State</th></tr></thead><tbody>
${dl.map((d) => html`<tr><td>${d.due}</td><td>${d.kind.replace(/_/g, " ")}</td><td>${d.what}</td><td class="${d.state === "overdue" || d.state === "late" ? "bad" : d.state === "met" ? "ok" : ""}">${d.state}${d.done ? html` <span class="mute">${d.done.slice(0, 10)}</span>` : ""}</td></tr>`)}</tbody></table>
<h2>Annual report ${year}</h2><form method="get" action="/ui/designations/reports"><label style="display:inline">Year <input name="year" value="${year}" size="5"></label> <button>Show</button></form>
<pre>${reportText(report)}</pre>
<h2>Congressional requests</h2><table><thead><tr><th>Request</th><th>Committee</th><th>About</th><th>Received</th><th>Due</th><th>Answered</th></tr></thead><tbody>
${requests.map((x) => html`<tr><td>${x.id}</td><td>${x.committee}</td><td>${x.about}${x.case_id ? html` (<a href="/ui/designations/${x.case_id}">${x.case_id}</a>)` : ""}</td><td>${x.received_at}</td><td>${x.due_at}</td><td>${x.answered_at ?? ""}</td></tr>`)}</tbody></table>`;
    return send(reply, cx.render(req, "Designations: deadlines and reports", "designations", body));
  });

  // ---- ownership and the 50 % rule
  app.get("/ui/designations/ownership", async (req, reply) => {
    const r = registry();
    const raw = (q(req).id ?? "").trim();
    const id = /^D-\d{6}$/i.test(raw) ? caseEntityId(raw.toUpperCase()) : raw;
    const { findings, names } = await computeOwnership(r, cx.store);
    const name = (x: string) => names.get(x) ?? x;
    const one = id ? findings.find((f) => f.id === id) : undefined;
    const edges = (await r.edges()).filter((e) => !id || e.owner === id || e.asset === id);
    const body = html`<form method="get" action="/ui/designations/ownership"><label style="display:inline">Entity or case <input name="id" value="${raw}" size="30"></label> <button>Show</button></form>
${id ? html`<div class="card"><h2>${name(id)} <span class="mute">${id}</span></h2>${one ? html`<p class="${one.blocked ? "bad" : ""}"><strong>${one.blocked ? "Blocked by the 50 % rule" : "Not blocked"}</strong>: ${one.share} % held by blocked persons.</p><p>${one.explanation}</p>${one.cautions.length ? html`<ul>${one.cautions.map((c) => html`<li>Caution: ${c}</li>`)}</ul>` : ""}` : html`<p>No blocked ownership found.</p>`}</div>` : ""}
<h2>Blocked or cautioned by ownership</h2><table><thead><tr><th>Entity</th><th class="num">Blocked share</th><th>Blocked</th><th>Chain</th><th>Cautions</th></tr></thead><tbody>
${findings.map((f) => html`<tr><td><a href="/ui/designations/ownership?id=${f.id}">${name(f.id)}</a></td><td class="num">${f.share} %</td><td>${f.blocked ? html`<strong class="bad">blocked</strong>` : "no"}</td><td>${f.explanation}</td><td>${f.cautions.join("; ")}</td></tr>`)}</tbody></table>
<h2>Edges${id ? html` of ${name(id)}` : ""}</h2><table><thead><tr><th>#</th><th>Owner</th><th>Asset</th><th class="num">%</th><th>Kind</th><th>Added</th></tr></thead><tbody>
${edges.map((e) => html`<tr><td>${e.id}</td><td><a href="/ui/designations/ownership?id=${e.owner}">${name(e.owner)}</a></td><td><a href="/ui/designations/ownership?id=${e.asset}">${name(e.asset)}</a></td><td class="num">${e.percentage}</td><td>${e.kind}</td><td>${e.added_by} ${when(e.added_at)}</td></tr>`)}</tbody></table>
${
  req.consoleSession?.user.role !== "auditor"
    ? html`<form method="post" action="/ui/designations/ownership" class="card" style="max-width:32rem">${csrf(req)}<h2>Add an edge</h2>
<label>Owner (entity id or case id) <input name="owner" required></label><label>Asset <input name="asset" required></label>
<label>Percentage <input name="percentage" required size="6"></label><label>Kind <select name="kind"><option>ownership</option><option>control</option></select></label><button>Add</button></form>`
    : ""
}`;
    return send(reply, cx.render(req, "Ownership and the 50 % rule", "designations", body));
  });

  app.post("/ui/designations/ownership", async (req, reply) => {
    const user = cx.need(req, "analyst").user.name;
    const f = req.form ?? {};
    const percentage = parsePercentage(f.percentage ?? "");
    if (!Number.isFinite(percentage))
      throw new InterdictError("INTERDICT_E_INPUT", "the percentage is not a number", {
        field: "percentage",
      });
    const edge = {
      owner: f.owner?.trim() ?? "",
      asset: f.asset?.trim() ?? "",
      percentage,
      kind: f.kind === "control" ? ("control" as const) : ("ownership" as const),
    };
    // A cycle or over 100 % is refused before the edge is stored.
    const id = (x: string) => (/^D-\d{6}$/i.test(x) ? caseEntityId(x.toUpperCase()) : x);
    applyFiftyPercentRule(
      [...(await registry().edges()), { ...edge, owner: id(edge.owner), asset: id(edge.asset) }],
      new Set(),
    );
    const e = await registry().addEdge(edge, user);
    return reply.redirect(`/ui/designations/ownership?id=${encodeURIComponent(e.asset)}`, 303);
  });

  app.get("/ui/designations/files/:sha", async (req, reply) => {
    const f = await registry().file((req.params as { sha: string }).sha);
    if (!f) throw new InterdictError("INTERDICT_E_NOT_FOUND", "no such file");
    // Always a download, never rendered in the console's origin.
    return reply
      .type("application/octet-stream")
      .header("content-disposition", `attachment; filename="${f.name.replace(/[^\w.-]/g, "_")}"`)
      .header("x-content-type-options", "nosniff")
      .send(f.bytes);
  });

  // ---- the case page
  app.get("/ui/designations/:id", async (req, reply) => {
    const c = await registry().get((req.params as { id: string }).id);
    const history = await registry().history(c.id);
    const petitions = await registry().petitions(c.id);
    const issues = caseIssues(c);
    const role = req.consoleSession?.user.role ?? "auditor";
    const decides = role === "supervisor" || role === "admin";
    const writes = role !== "auditor";
    const action = (path: string, label: string, extra: Html | string = "") =>
      html`<form method="post" action="/ui/designations/${c.id}/${path}" class="card">${csrf(req)}${extra}<button>${label}</button></form>`;
    const facts: [string, string][] = Object.entries(c.subject.properties).flatMap(([p, vs]) =>
      vs.map((v) => [p, v] as [string, string]),
    );
    const actions: Html[] = [];
    if (writes && c.status === "draft") {
      actions.push(action("propose", "Propose for approval"));
    }
    if (decides && c.status === "proposed")
      actions.push(action("approve", "Approve (a different user than the proposer)"));
    if (decides && (c.status === "proposed" || c.status === "approved"))
      actions.push(
        action(
          "return",
          "Return to draft",
          html`<label>Reason <input name="reason" required size="40"></label>`,
        ),
      );
    if (decides && (c.status === "published" || c.status === "approved"))
      actions.push(
        action(
          "delist",
          "Delist",
          html`<label>Ground <input name="ground" required size="40"></label><label>Effective <input name="effective" type="date"></label>`,
        ),
      );
    if (writes && c.listed_at)
      actions.push(
        action(
          "petition",
          "File a delisting petition",
          html`<label>Petitioner <input name="petitioner" required></label>
<label>Grounds <select name="grounds">${Object.entries(PETITION_GROUNDS).map(([k, v]) => html`<option value="${k}">${v}</option>`)}</select></label>
<label>Statement <textarea name="statement" rows="2" cols="50" required></textarea></label>`,
        ),
      );
    const body = html`<p><span class="pill">${c.status}</span> ${c.classified ? html`<span class="pill bad">classified annex: enforced, never exported</span>` : ""}</p>
${issues.length ? html`<p class="bad">Incomplete: ${issues.map((i) => `${i.field}: ${i.message}`).join("; ")}</p>` : ""}
<div class="grid"><div class="card"><h2>Identity</h2><table><tbody>
<tr><th>Type</th><td>${c.subject.schema}</td></tr>
${facts.map(([p, v]) => html`<tr><th>${p}</th><td>${v}</td></tr>`)}</tbody></table></div>
<div class="card"><h2>Legal basis</h2><table><tbody>
<tr><th>Authority</th><td>${LEGAL_BASES.find((b) => b.id === c.authority)?.title ?? c.authority}</td></tr>
<tr><th>Criterion</th><td>${c.criterion}</td></tr><tr><th>Standard of proof</th><td>${c.standard_of_proof}</td></tr>
<tr><th>Measures</th><td>${c.measures.join(", ")}</td></tr><tr><th>Statement of reasons</th><td>${c.statement_of_reasons}</td></tr>
<tr><th>Created</th><td>${c.created_by} ${when(c.created_at)}</td></tr>
${c.listed_at ? html`<tr><th>Listed</th><td>${when(c.listed_at)} (version ${c.listed_version ?? ""})</td></tr>` : ""}
${c.delisting ? html`<tr><th>Delisting</th><td>${c.delisting.ground} — by ${c.delisting.by}, effective ${c.delisting.effective.slice(0, 10)}${c.delisting.removed_at ? `, removed ${when(c.delisting.removed_at)}` : ""}</td></tr>` : ""}
</tbody></table><p><a href="/ui/designations/ownership?id=${caseEntityId(c.id)}">Ownership</a></p></div></div>
<h2>Evidence</h2><table><thead><tr><th>#</th><th>Source</th><th>Date</th><th>Classification</th><th>Description</th><th>File</th><th>Added</th></tr></thead><tbody>
${c.evidence.map((e) => html`<tr><td>${e.id}</td><td>${e.source_type}</td><td>${e.date ?? ""}</td><td>${e.classification}</td><td>${e.description}</td><td>${e.sha256 ? html`<a href="/ui/designations/files/${e.sha256}">${e.file_name ?? "file"}</a> <small class="mute">sha256 ${e.sha256.slice(0, 12)}…</small>` : ""}</td><td>${e.added_by} ${when(e.added_at)}</td></tr>`)}</tbody></table>
${writes && c.status !== "delisted" ? html`<form method="post" action="/ui/designations/${c.id}/evidence" enctype="multipart/form-data" hx-boost="false" class="card" style="max-width:40rem">${csrf(req)}<h2>Add evidence</h2>${evidenceFields}<button>Add</button></form>` : ""}
<h2>Next steps</h2>${actions.length ? html`<div class="grid">${actions}</div>` : html`<p class="mute">Nothing for your role at this stage.</p>`}
<h2>Petitions</h2>${petitions.map(
      (
        p,
      ) => html`<div class="card"><strong>${p.id}</strong> by ${p.petitioner} (${p.grounds.join(", ")}) — <span class="pill">${p.status}</span> <span class="mute">filed ${when(p.filed_at)}</span>
<p>${p.statement}</p><ul>${p.correspondence.map((l) => html`<li>${l.direction === "in" ? "from" : "to"} petitioner, ${when(l.at)}, ${l.author}: ${l.text}</li>`)}</ul>
${p.decision ? html`<p>Decision by ${p.decided_by ?? ""} ${when(p.decided_at)}: ${p.decision}</p>` : ""}
${
  decides && p.status === "pending"
    ? html`<form method="post" action="/ui/designations/petitions/${p.id}/decision">${csrf(req)}<input type="hidden" name="case" value="${c.id}"><label>Decision <select name="decision"><option>denied</option><option>granted</option></select></label><label>Reasons <textarea name="reasons" rows="2" cols="50" required></textarea></label><button>Decide</button></form>`
    : ""
}</div>`,
    )}${petitions.length === 0 ? html`<p class="mute">None.</p>` : ""}
<h2>Workflow history</h2><table><thead><tr><th class="num">#</th><th>When (UTC)</th><th>User</th><th>Step</th><th>Detail</th></tr></thead><tbody>
${history.map((e) => html`<tr><td class="num">${e.seq}</td><td>${when(e.at)}</td><td>${e.actor}</td><td>${e.action}</td><td><small>${JSON.stringify(e.detail)}</small></td></tr>`)}</tbody></table>`;
    return send(reply, cx.render(req, `${c.id}: ${captionOf(c.subject)}`, "designations", body));
  });

  const step = (
    path: string,
    role: "analyst" | "supervisor",
    run: (
      r: RegistryBook,
      id: string,
      user: string,
      f: Record<string, string>,
      req: FastifyRequest,
    ) => unknown,
  ) =>
    app.post(`/ui/designations/:id/${path}`, async (req, reply) => {
      const user = cx.need(req, role).user.name;
      const id = (await registry().get((req.params as { id: string }).id)).id;
      await run(registry(), id, user, req.form ?? {}, req);
      return back(reply, id);
    });
  step("propose", "analyst", (r, id, u) => r.propose(id, u));
  step("approve", "supervisor", (r, id, u) => r.approve(id, u));
  step("return", "supervisor", (r, id, u, f) => r.returnToDraft(id, u, f.reason ?? ""));
  step("delist", "supervisor", (r, id, u, f) =>
    r.delist(id, u, f.ground ?? "", f.effective ? { effective: f.effective } : {}),
  );
  step("evidence", "analyst", (r, id, u, f, req) => {
    const ev = evidenceOf(req, f);
    if (!ev)
      throw new InterdictError("INTERDICT_E_INPUT", "an evidence item needs a source type", {
        field: "source_type",
      });
    return r.addEvidence(id, ev, u);
  });
  step("petition", "analyst", (r, id, u, f) =>
    r.petition(
      id,
      { petitioner: f.petitioner ?? "", grounds: [f.grounds ?? ""], statement: f.statement ?? "" },
      u,
    ),
  );
  app.post("/ui/designations/petitions/:pid/decision", async (req, reply) => {
    const user = cx.need(req, "supervisor").user.name;
    const f = req.form ?? {};
    const decision = f.decision === "granted" ? "granted" : "denied";
    const p = await registry().decidePetition(
      (req.params as { pid: string }).pid,
      decision,
      f.reasons ?? "",
      user,
    );
    return back(reply, p.case_id);
  });
}
