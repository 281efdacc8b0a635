// The designation registry over HTTP (app.inject, a real SQLite store with a real SDN excerpt,
// matching on the request thread): one case walked from draft to publication through the API
// by two keys (four eyes), the subject refused at /screen/visa and blocked at /screen/payment
// as soon as the publish call answers, then delisted through a granted petition and both
// screenings clear again; the audit chain verifies and lists every step; the report to the
// legislature lists both events. Then the 50 % rule through /ownership, and the console pages.

import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { after, before, describe, it } from "node:test";
import { auditOf } from "../src/audit/log.js";
import { ingest } from "../src/ingest/ingest.js";
import { type App, buildApp } from "../src/service/app.js";
import { loadConfig } from "../src/service/config.js";
import { LiveIndex } from "../src/service/live.js";
import { KeyStore, ScreeningLog } from "../src/service/records.js";
import { SqliteStore } from "../src/store/sqlite.js";
import { UserStore } from "../src/users/users.js";

const SDN = "src/service/fixtures/us_ofac_sdn.ftm.json";
const PASSWORD = "a long enough password";
const store = new SqliteStore(":memory:");
let live: LiveIndex;
let app: App;
const secrets: Record<string, string> = {};

async function call(
  method: "GET" | "POST" | "PATCH" | "DELETE",
  url: string,
  key: string,
  payload?: unknown,
) {
  const r = await app.inject({
    method,
    url,
    headers: {
      authorization: `Bearer ${secrets[key]}`,
      ...(payload !== undefined ? { "content-type": "application/json" } : {}),
    },
    ...(payload !== undefined ? { payload: JSON.stringify(payload) } : {}),
  });
  return { status: r.statusCode, body: r.body, json: () => r.json() };
}

const caseFile = {
  subject: {
    schema: "Person",
    properties: {
      name: ["Viktor Sergeyevich Oblomkin", "Виктор Сергеевич Обломкин"],
      birthDate: ["1968-05-14"],
      nationality: ["ru"],
      passportNumber: ["4509 112233"],
      position: ["Head of pre-trial detention centre No. 9"],
    },
  },
  authority: "us-glomag-10102",
  criterion: "10102(a)(1)",
  statement_of_reasons: "Ordered the torture of a lawyer who exposed a tax fraud by officials.",
  evidence: [{ source_type: "NGO report", date: "2025-11-20", description: "witness statements" }],
};
const applicant = {
  names: ["Viktor Oblomkin"],
  birth_date: "1968-05-14",
  nationalities: ["ru"],
  passport: { number: "4509112233" },
};
const payment = (creditor: string) => ({
  message_id: `m-${creditor.length}-${Math.random()}`,
  amount: { value: "5000.00", currency: "USD" },
  debtor: { name: "Acme Trading Ltd", account: "GB33BUKB20201555555555" },
  creditor: { name: creditor },
});

before(async () => {
  await ingest(store, [SDN]);
  const keys = new KeyStore(store.db);
  secrets.screen = (await keys.create("screen", "teller")).key;
  secrets.alice = (await keys.create("analyst", "alice")).key;
  secrets.bob = (await keys.create("admin", "bob")).key;
  secrets.alice2 = (await keys.create("admin", "alice")).key; // same person, second key
  const users = new UserStore(store.db, { cost: 2 ** 10 });
  users.create("ana", "analyst", PASSWORD);
  users.create("sue", "supervisor", PASSWORD);
  live = new LiveIndex(store, { workers: 0, pollInterval: 0 });
  app = await buildApp({
    store,
    live,
    keys,
    screenings: new ScreeningLog(store.db),
    config: { ...loadConfig({}, {}), workers: 0, pollInterval: 0, logLevel: "silent" as const },
  });
  await live.start();
});
after(async () => {
  await app.close();
  await live.close();
  await store.close();
});

/** A console session: signs in, then posts forms with the session's CSRF token. */
async function signIn(name: string) {
  const form = await app.inject({ method: "GET", url: "/" });
  const loginCookie = String(form.headers["set-cookie"]).split(";")[0] ?? "";
  const token = /name="_csrf" value="([^"]+)"/.exec(form.body)?.[1] ?? "";
  const r = await app.inject({
    method: "POST",
    url: "/ui/login",
    headers: { cookie: loginCookie, "content-type": "application/x-www-form-urlencoded" },
    payload: new URLSearchParams({ _csrf: token, name, password: PASSWORD }).toString(),
  });
  const cookie = String(r.headers["set-cookie"] ?? "").split(";")[0] ?? "";
  const page = await app.inject({ method: "GET", url: "/ui/designations", headers: { cookie } });
  const csrf = /name="_csrf" value="([^"]+)"/.exec(page.body)?.[1] ?? "";
  return {
    post: (url: string, f: Record<string, string>) =>
      app.inject({
        method: "POST",
        url,
        headers: { cookie, "content-type": "application/x-www-form-urlencoded" },
        payload: new URLSearchParams({ _csrf: csrf, ...f }).toString(),
      }),
  };
}

describe("designations over HTTP", () => {
  let id = "";

  it("walks a case draft → published; the proposer cannot approve; screening refuses and blocks at once", async () => {
    // Clear before: nothing designates him yet.
    assert.equal((await call("POST", "/screen/visa", "screen", applicant)).json().decision, "clear");

    assert.equal((await call("POST", "/designations", "screen", caseFile)).status, 403);
    const bad = await call("POST", "/designations", "alice", { ...caseFile, authority: "us-nowhere" });
    assert.equal(bad.status, 400, bad.body);
    assert.match(bad.json().detail, /legal basis/);

    const created = await call("POST", "/designations", "alice", {
      ...caseFile,
      statement_of_reasons: "",
    });
    assert.equal(created.status, 201, created.body);
    id = created.json().id;
    assert.equal(created.json().status, "draft");
    assert.equal(created.json().created_by, "alice");
    assert.deepEqual(
      created.json().issues.map((i: { field: string }) => i.field),
      ["statement_of_reasons"],
    );
    // An incomplete case file cannot be proposed.
    const incomplete = await call("POST", `/designations/${id}/propose`, "alice", {});
    assert.equal(incomplete.status, 400);
    assert.match(incomplete.json().detail, /incomplete.*statement_of_reasons/);

    // The draft is completed by an edit; then a second, complete file is the one walked on.
    const edited = await call("PATCH", `/designations/${id}`, "alice", {
      statement_of_reasons: "Ordered the torture of a detainee.",
    });
    assert.equal(edited.status, 200, edited.body);
    assert.equal(edited.json().history.at(-1).action, "edited");
    id = (await call("POST", "/designations", "alice", caseFile)).json().id;
    const bytes = "affidavit of the lawyer's cellmate";
    const ev = await call("POST", `/designations/${id}/evidence`, "alice", {
      source_type: "testimony",
      classification: "confidential",
      file: { name: "affidavit.txt", content_base64: Buffer.from(bytes).toString("base64") },
    });
    assert.equal(ev.status, 201, ev.body);
    const sha = createHash("sha256").update(bytes).digest("hex");
    assert.equal(ev.json().evidence[1].sha256, sha);
    const file = await call("GET", `/designations/files/${sha}`, "alice");
    assert.equal(file.body, bytes);

    assert.equal((await call("POST", `/designations/${id}/propose`, "alice", {})).json().status, "proposed");
    // Four eyes: the proposer's own admin key is refused with the code; bob approves.
    const self = await call("POST", `/designations/${id}/approve`, "alice2", {});
    assert.equal(self.status, 403);
    assert.equal(self.json().code, "INTERDICT_E_FORBIDDEN");
    assert.match(self.json().detail, /different user must approve/);
    // An analyst key may propose but not approve.
    assert.equal((await call("POST", `/designations/${id}/approve`, "alice", {})).status, 403);
    const approved = await call("POST", `/designations/${id}/approve`, "bob", {});
    assert.equal(approved.json().status, "approved");
    assert.equal(approved.json().approver, "bob");

    const pub = await call("POST", "/designations/publish", "bob", {});
    assert.equal(pub.status, 200, pub.body);
    assert.deepEqual(pub.json().listed, [id]);
    assert.equal(pub.json().served, true);

    // No reload, no wait: the publish call answered after the index took the new version.
    const visa = (await call("POST", "/screen/visa", "screen", applicant)).json();
    assert.equal(visa.decision, "refuse", JSON.stringify(visa));
    assert.equal(visa.hits[0].entity_id, `registry:${id}`);
    const pay = (
      await call("POST", "/screen/payment", "screen", payment("Viktor Sergeyevich Oblomkin"))
    ).json();
    assert.equal(pay.decision, "block", JSON.stringify(pay));

    const one = (await call("GET", `/designations/${id}`, "alice")).json();
    assert.equal(one.status, "published");
    assert.deepEqual(
      one.history.map((e: { action: string; actor: string }) => `${e.action}:${e.actor}`),
      [
        "created:alice",
        "evidence_added:alice",
        "evidence_added:alice",
        "proposed:alice",
        "approved:bob",
        "published:bob",
      ],
    );
    const list = (await call("GET", "/designations?status=published", "alice")).json();
    assert.deepEqual(
      list.designations.map((c: { id: string }) => c.id),
      [id],
    );
    const openapi = (await app.inject({ method: "GET", url: "/openapi.json" })).json() as {
      paths: Record<string, unknown>;
    };
    for (const path of [
      "/designations",
      "/designations/{id}/approve",
      "/designations/publish",
      "/ownership/{id}",
    ])
      assert.ok(openapi.paths[path], path);
    const ftm = await call("GET", "/designations/export?format=ftm", "alice");
    assert.match(ftm.body, /Oblomkin/);
  });

  it("refuses a petition for an entity never designated; a granted petition delists and both screenings clear", async () => {
    const never = await call("POST", "/designations/D-999999/petitions", "alice", {
      petitioner: "x",
      grounds: ["other"],
      statement: "s",
    });
    assert.equal(never.status, 404);
    assert.match(never.json().detail, /never designated/);

    const pet = await call("POST", `/designations/${id}/petitions`, "alice", {
      petitioner: "V. Oblomkin",
      grounds: ["changed circumstances"],
      statement: "Retired in 2025.",
    });
    assert.equal(pet.status, 201, pet.body);
    const pid = pet.json().id;
    const decided = await call("POST", `/designations/petitions/${pid}/decision`, "bob", {
      decision: "granted",
      reasons: "Retirement verified; no longer in a position to act.",
    });
    assert.equal(decided.json().status, "granted");
    assert.equal((await call("GET", `/designations/${id}`, "alice")).json().status, "delisted");

    const pub = (await call("POST", "/designations/publish", "bob", {})).json();
    assert.deepEqual(pub.removed, [id]);
    assert.deepEqual(
      pub.unblocked.map((c: { id: string }) => c.id),
      [`registry:${id}`],
    );
    assert.equal((await call("POST", "/screen/visa", "screen", applicant)).json().decision, "clear");
    const pay = (
      await call("POST", "/screen/payment", "screen", payment("Viktor Sergeyevich Oblomkin"))
    ).json();
    assert.equal(pay.decision, "release", JSON.stringify(pay));
  });

  it("keeps every step in the hash-chained audit log and reports both events to the legislature", async () => {
    const log = auditOf(store);
    const v = log.verify();
    assert.equal(v.ok, true, JSON.stringify(v));
    const mine = log
      .list({ limit: 1000 })
      .reverse()
      .filter((e) => e.action.startsWith("designation_") && e.detail.case === id)
      .map((e) => `${e.action}:${e.actor}`);
    assert.deepEqual(mine, [
      "designation_created:alice",
      "designation_evidence_added:alice",
      "designation_evidence_added:alice",
      "designation_proposed:alice",
      "designation_approved:bob",
      "designation_published:bob",
      "designation_petition_filed:alice",
      "designation_petition_granted:bob",
      "designation_delisted:bob",
      "designation_removed:bob",
    ]);
    assert.equal(log.list({ action: "designation_publication" }).length, 2);
    // The check can fail: an approval rewritten to another user breaks the chain at that entry.
    const approval = log.list({ action: "designation_approved", actor: "bob" }).at(-1);
    assert.ok(approval);
    store.db.prepare("UPDATE audit_log SET actor = 'mallory' WHERE seq = ?").run(approval.seq);
    assert.deepEqual(log.verify(), {
      ok: false,
      entries: approval.seq,
      seq: approval.seq,
      reason: `entry ${approval.seq} was edited (its hash does not match)`,
    });
    store.db.prepare("UPDATE audit_log SET actor = 'bob' WHERE seq = ?").run(approval.seq);
    assert.equal(log.verify().ok, true);

    const report = await call("GET", "/designations/reports/annual?format=json", "alice");
    const r = report.json();
    assert.deepEqual(
      r.added.map((a: { case_id: string }) => a.case_id),
      [id],
    );
    assert.deepEqual(
      r.removed.map((a: { case_id: string; reason: string }) => a.case_id),
      [id],
    );
    assert.match(r.removed[0].reason, /petition P-\d+ granted/);
    assert.equal(r.petitions.granted, 1);
    const text = (await call("GET", "/designations/reports/annual?format=text", "alice")).body;
    assert.match(text, /Persons added \(1\):\n.*Viktor Sergeyevich Oblomkin/);
    assert.match(text, /Persons removed \(1\):\n.*Viktor Sergeyevich Oblomkin/);
    const dl = (await call("GET", "/designations/reports/deadlines", "alice")).json();
    assert.ok(
      dl.deadlines.some(
        (d: { kind: string; ref: string }) => d.kind === "termination_notice" && d.ref === id,
      ),
    );
  });

  it("answers the 50 % rule with its chain and refuses cycles and stakes over 100 %", async () => {
    const a = (
      await call("POST", "/designations", "alice", {
        ...caseFile,
        subject: {
          schema: "Person",
          properties: { name: ["Arkady Stakeholder"], birthDate: ["1960-01-01"] },
        },
      })
    ).json().id;
    await call("POST", `/designations/${a}/propose`, "alice", {});
    await call("POST", `/designations/${a}/approve`, "bob", {});
    const party = await call("POST", "/ownership/parties", "alice", {
      id: "co-holding",
      schema: "Company",
      properties: { name: ["Northern Holding LLC"] },
    });
    assert.equal(party.status, 201, party.body);
    await call("POST", "/ownership/parties", "alice", {
      id: "co-target",
      schema: "Company",
      properties: { name: ["Baltic Port Services JSC"] },
    });
    for (const [owner, asset, percentage] of [
      [a, "co-holding", 60],
      [a, "co-target", "35 %"],
      ["co-holding", "co-target", 25],
    ] as const) {
      const r = await call("POST", "/ownership/edges", "alice", { owner, asset, percentage });
      assert.equal(r.status, 201, r.body);
    }
    const cycle = await call("POST", "/ownership/edges", "alice", {
      owner: "co-target",
      asset: "co-holding",
      percentage: 10,
    });
    assert.equal(cycle.status, 400);
    assert.match(cycle.json().detail, /cycle/);
    const over = await call("POST", "/ownership/edges", "alice", {
      owner: "someone",
      asset: "co-target",
      percentage: 50,
    });
    assert.equal(over.status, 400);
    assert.match(over.json().detail, /over 100 %/);
    assert.equal((await call("GET", "/ownership/edges", "alice")).json().edges.length, 3);

    const o = (await call("GET", "/ownership/co-target", "alice")).json();
    assert.equal(o.blocked, true);
    assert.equal(o.share, 60);
    assert.match(o.explanation, /Arkady Stakeholder 35 %.*Northern Holding LLC 25 %/);
    const pub = (await call("POST", "/designations/publish", "bob", {})).json();
    assert.ok(pub.derived.some((f: { id: string }) => f.id === "co-target"));
    const pay = (await call("POST", "/screen/payment", "screen", payment("Baltic Port Services JSC"))).json();
    assert.equal(pay.decision, "block", JSON.stringify(pay));
    assert.equal((await call("GET", "/ownership/nobody", "alice")).status, 404);
  });

  it("serves the console pages: list, case with its history and CSRF forms, publication, reports, ownership", async () => {
    const form = await app.inject({ method: "GET", url: "/" });
    const loginCookie = String(form.headers["set-cookie"]).split(";")[0] ?? "";
    const token = /name="_csrf" value="([^"]+)"/.exec(form.body)?.[1] ?? "";
    const r = await app.inject({
      method: "POST",
      url: "/ui/login",
      headers: { cookie: loginCookie, "content-type": "application/x-www-form-urlencoded" },
      payload: new URLSearchParams({ _csrf: token, name: "ana", password: PASSWORD }).toString(),
    });
    const cookie = String(r.headers["set-cookie"] ?? "").split(";")[0] ?? "";
    const get = (url: string) => app.inject({ method: "GET", url, headers: { cookie } });

    const list = await get("/ui/designations");
    assert.equal(list.statusCode, 200, list.body);
    assert.match(list.body, new RegExp(`href="/ui/designations/${id}"`));
    assert.match(list.body, /Виктор Сергеевич Обломкин|Viktor Sergeyevich Oblomkin/);
    const one = await get(`/ui/designations/${id}`);
    assert.equal(one.statusCode, 200);
    assert.match(one.body, /Ordered the torture of a lawyer/);
    assert.match(one.body, /petition_granted/);
    const csrf = /name="_csrf" value="([^"]+)"/.exec(one.body)?.[1] ?? "";
    assert.ok(csrf.length > 10);
    for (const page of [
      "/ui/designations/publish",
      "/ui/designations/reports",
      "/ui/designations/ownership?id=co-target",
    ]) {
      const p = await get(page);
      assert.equal(p.statusCode, 200, `${page}: ${p.body.slice(0, 300)}`);
    }
    assert.match((await get("/ui/designations/ownership?id=co-target")).body, /Northern Holding LLC/);

    // An analyst creates and proposes a draft from the console; a POST without the token is refused.
    const post = (url: string, f: Record<string, string>) =>
      app.inject({
        method: "POST",
        url,
        headers: { cookie, "content-type": "application/x-www-form-urlencoded" },
        payload: new URLSearchParams(f).toString(),
      });
    const noToken = await post("/ui/designations", { name: "Ivan Console" });
    assert.equal(noToken.statusCode, 403);
    const made = await post("/ui/designations", {
      _csrf: csrf,
      schema: "Person",
      name: "Ivan <b>Console</b>",
      birthDate: "1980-02-02",
      authority: "us-glomag-10102",
      criterion: "10102(a)(1)",
      statement_of_reasons: "Beat protesters.",
      source_type: "video",
      evidence_description: "footage",
    });
    assert.equal(made.statusCode, 303, made.body);
    const where = String(made.headers.location);
    const shown = await get(where);
    assert.match(shown.body, /Ivan &lt;b&gt;Console&lt;\/b&gt;/);
    // Evidence with a file, as a browser sends it (multipart), kept by SHA-256 and downloadable.
    const boundary = "----interdict-test";
    const part = (name: string, value: string, file?: string) =>
      `--${boundary}\r\nContent-Disposition: form-data; name="${name}"${file ? `; filename="${file}"\r\nContent-Type: text/plain` : ""}\r\n\r\n${value}\r\n`;
    const upload = await app.inject({
      method: "POST",
      url: `${where}/evidence`,
      headers: { cookie, "content-type": `multipart/form-data; boundary=${boundary}` },
      payload: `${part("_csrf", csrf)}${part("source_type", "video")}${part("file", "frame 1042: the baton", "still.txt")}--${boundary}--\r\n`,
    });
    assert.equal(upload.statusCode, 303, upload.body);
    const sha = createHash("sha256").update("frame 1042: the baton").digest("hex");
    assert.match((await get(where)).body, new RegExp(`href="/ui/designations/files/${sha}">still.txt`));
    assert.equal((await get(`/ui/designations/files/${sha}`)).body, "frame 1042: the baton");
    const proposed = await post(`${where}/propose`, { _csrf: csrf });
    assert.equal(proposed.statusCode, 303);
    // An analyst may not approve; a supervisor may, then publishes from the console and the
    // visa screening refuses him at once.
    const self = await post(`${where}/approve`, { _csrf: csrf });
    assert.equal(self.statusCode, 403);
    const sue = await signIn("sue");
    const approved = await sue.post(`${where}/approve`, {});
    assert.equal(approved.statusCode, 303, approved.body);
    const published = await sue.post("/ui/designations/publish", {});
    assert.equal(published.statusCode, 200, published.body);
    assert.match(published.body, /Screening enforces it now/);
    const visa = (
      await call("POST", "/screen/visa", "screen", {
        names: ["Ivan <b>Console</b>"],
        birth_date: "1980-02-02",
      })
    ).json();
    assert.equal(visa.decision, "refuse", JSON.stringify(visa));
    // Four eyes in the console too: sue's own proposal is not hers to approve.
    const own = await sue.post("/ui/designations", {
      schema: "Person",
      name: "Oleg Selfapproved",
      authority: "us-glomag-10102",
      criterion: "10102(a)(1)",
      statement_of_reasons: "r",
      source_type: "video",
    });
    const ownCase = String(own.headers.location);
    assert.equal((await sue.post(`${ownCase}/propose`, {})).statusCode, 303);
    const refused = await sue.post(`${ownCase}/approve`, {});
    assert.equal(refused.statusCode, 403);
    assert.match(refused.body, /different user must approve/);
  });
});
