// The console in-process (app.inject) on a real SQLite store with the real SDN excerpt: login,
// sessions and CSRF, roles, four-eyes through the forms, escaping of list data, a payment
// screening raising an alert, lock-out, and a tampered audit entry shown as broken.

import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { after, before, describe, it } from "node:test";
import { auditOf } from "../src/audit/log.js";
import { casesOf } from "../src/cases/cases.js";
import { ingest } from "../src/ingest/ingest.js";
import { alertsOf } from "../src/monitor/alerts.js";
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
let apiKey = "";

interface Browser {
  cookie: string;
  csrf: string;
}

async function login(
  name: string,
  password = PASSWORD,
): Promise<{ status: number; b: Browser; body: string }> {
  const form = await app.inject({ method: "GET", url: "/" });
  const loginCookie = String(form.headers["set-cookie"]).split(";")[0] ?? "";
  const token = /name="_csrf" value="([^"]+)"/.exec(form.body)?.[1] ?? "";
  const r = await app.inject({
    method: "POST",
    url: "/ui/login",
    headers: { cookie: loginCookie, "content-type": "application/x-www-form-urlencoded" },
    payload: new URLSearchParams({ _csrf: token, name, password }).toString(),
  });
  const cookie = String(r.headers["set-cookie"] ?? "").split(";")[0] ?? "";
  const page = await app.inject({ method: "GET", url: "/ui/alerts", headers: { cookie } });
  const csrf = /name="_csrf" value="([^"]+)"/.exec(page.body)?.[1] ?? "";
  return { status: r.statusCode, b: { cookie, csrf }, body: r.body };
}

const get = (b: Browser, url: string) => app.inject({ method: "GET", url, headers: { cookie: b.cookie } });
const post = (b: Browser, url: string, form: Record<string, string>, csrf = b.csrf) =>
  app.inject({
    method: "POST",
    url,
    headers: { cookie: b.cookie, "content-type": "application/x-www-form-urlencoded" },
    payload: new URLSearchParams({ _csrf: csrf, ...form }).toString(),
  });

before(async () => {
  await ingest(store, [SDN]);
  const users = new UserStore(store.db, { cost: 2 ** 10 });
  users.create("ana", "analyst", PASSWORD);
  users.create("sue", "supervisor", PASSWORD);
  users.create("adm", "admin", PASSWORD);
  users.create("aud", "auditor", PASSWORD);
  users.create("lock", "analyst", PASSWORD);
  const keys = new KeyStore(store.db);
  apiKey = keys.create("screen", "test").key;
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

describe("console", () => {
  it("without a session / shows the login form and pages redirect to it", async () => {
    const r = await app.inject({ method: "GET", url: "/" });
    assert.equal(r.statusCode, 200);
    assert.match(r.body, /<form method="post" action="\/ui\/login"/);
    const p = await app.inject({ method: "GET", url: "/ui/alerts" });
    assert.equal(p.statusCode, 303);
    assert.match(String(p.headers.location), /^\/\?next=/);
    // The API keeps its keys: a console session does not open it.
    const { b } = await login("ana");
    assert.equal((await get(b, "/catalog")).statusCode, 401);
  });

  it("a wrong password is refused; the session cookie is HttpOnly and SameSite", async () => {
    assert.equal((await login("ana", "wrong password!")).status, 401);
    const form = await app.inject({ method: "GET", url: "/" });
    const loginCookie = String(form.headers["set-cookie"]).split(";")[0];
    const token = /name="_csrf" value="([^"]+)"/.exec(form.body)?.[1] ?? "";
    const r = await app.inject({
      method: "POST",
      url: "/ui/login",
      headers: { cookie: loginCookie, "content-type": "application/x-www-form-urlencoded" },
      payload: new URLSearchParams({ _csrf: token, name: "ana", password: PASSWORD }).toString(),
    });
    assert.equal(r.statusCode, 303);
    assert.match(String(r.headers["set-cookie"]), /HttpOnly; SameSite=Strict/);
  });

  it("a forged or missing CSRF token is refused, also on login", async () => {
    const { b } = await login("ana");
    alertsOf(store).raise(
      [
        {
          subjectId: "c:csrf",
          subjectHash: "h",
          subjectName: "Csrf Test",
          entityId: "us_ofac_sdn:15880",
          entityHash: "e",
          caption: "x",
          schema: "Person",
          datasets: ["us_ofac_sdn"],
          programs: ["MAGNIT"],
          score: 0.9,
          explanation: [],
        },
      ],
      "test",
    );
    const id = alertsOf(store).list().at(-1)?.id ?? 0;
    const forged = await post(b, `/ui/alerts/${id}/comment`, { text: "hi" }, "forged-token");
    assert.equal(forged.statusCode, 403);
    assert.match(forged.body, /security token/);
    assert.equal(casesOf(store).comments(id).length, 0);
    const ok = await post(b, `/ui/alerts/${id}/comment`, { text: "hi" });
    assert.equal(ok.statusCode, 303);
    assert.equal(casesOf(store).comments(id).length, 1);
    const noCookie = await app.inject({
      method: "POST",
      url: "/ui/login",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      payload: "name=ana&password=x&_csrf=abc",
    });
    assert.equal(noCookie.statusCode, 403);
  });

  it("an analyst (and an auditor) opening the admin page is refused; an admin is not", async () => {
    for (const who of ["ana", "aud", "sue"]) {
      const { b } = await login(who);
      const r = await get(b, "/ui/admin/users");
      assert.equal(r.statusCode, 403, who);
      const create = await post(b, "/ui/admin/users", { name: "eve", role: "admin", password: PASSWORD });
      assert.equal(create.statusCode, 403, who);
    }
    const { b } = await login("adm");
    assert.equal((await get(b, "/ui/admin/users")).statusCode, 200);
  });

  it("script injection from a list or a subject is shown escaped", async () => {
    const evil = `<script>alert(1)</script><img src=x onerror=alert(2)>"'`;
    alertsOf(store).raise(
      [
        {
          subjectId: "c:evil",
          subjectHash: "h",
          subjectName: evil,
          entityId: "us_ofac_sdn:15880",
          entityHash: "e",
          caption: evil,
          schema: "Person",
          datasets: ["us_ofac_sdn"],
          programs: [evil],
          score: 0.9,
          explanation: [{ feature: "x", value: 1, weight: 1, detail: evil }],
        },
      ],
      evil,
    );
    const id = alertsOf(store).list().at(-1)?.id ?? 0;
    const { b } = await login("ana");
    await post(b, `/ui/alerts/${id}/comment`, { text: evil });
    for (const url of [
      "/ui/alerts",
      `/ui/alerts/${id}`,
      "/ui/audit",
      `/ui/search?q=${encodeURIComponent(evil)}`,
    ]) {
      const r = await get(b, url);
      assert.equal(r.statusCode, 200, `${url}: ${r.body.slice(-200)}`);
      assert.equal(r.body.includes("<script>alert"), false, url);
      assert.equal(r.body.includes("<img src=x"), false, url);
      if (url !== "/ui/audit") assert.ok(r.body.includes("&lt;script&gt;alert(1)&lt;/script&gt;"), url);
    }
  });

  it("four-eyes: nobody confirms their own true match; a supervisor does, and the property is registered", async () => {
    // A held payment raises alerts in the queue (the creditor agent is on the SDN excerpt).
    const payment = readFileSync(
      "src/screen/payment/fixtures/payment-designated-creditor-agent.json",
      "utf8",
    );
    const s = await app.inject({
      method: "POST",
      url: "/screen/payment",
      headers: { authorization: `Bearer ${apiKey}`, "content-type": "application/json" },
      payload: payment,
    });
    assert.equal(s.statusCode, 200);
    assert.notEqual(s.json().decision, "release");
    const a = alertsOf(store)
      .list()
      .find((x) => x.subjectId.startsWith("payment:HFM-2024-0611-7"));
    assert.ok(a, "the payment raised an alert");
    assert.equal(casesOf(store).source(a.id).kind, "payment");
    const ana = (await login("ana")).b;
    const review = await get(ana, `/ui/alerts/${a.id}`);
    assert.match(review.body, /Which list is the hit on/);
    assert.match(review.body, /value="23900"/);
    assert.equal((await post(ana, `/ui/alerts/${a.id}/take`, {})).statusCode, 303);
    const d = await post(ana, `/ui/alerts/${a.id}/decide`, {
      decision: "true_match",
      note: "BIC and name agree",
      consequence: "block",
      propertyType: "funds transfer",
      location: "suspense account 99",
      value: "23900",
      currency: "EUR",
      date: "2024-06-11",
    });
    assert.equal(d.statusCode, 303);
    const self = await post(ana, `/ui/alerts/${a.id}/confirm`, { accept: "yes" });
    assert.equal(self.statusCode, 403);
    assert.match(self.body, /nobody confirms their own/);
    const peer = await login("lock");
    assert.equal((await post(peer.b, `/ui/alerts/${a.id}/confirm`, { accept: "yes" })).statusCode, 403);
    assert.equal(casesOf(store).blockedProperty().length, 0);
    const sue = (await login("sue")).b;
    assert.equal((await post(sue, `/ui/alerts/${a.id}/confirm`, { accept: "yes" })).statusCode, 303);
    assert.equal(alertsOf(store).get(a.id)?.decision, "true_match");
    const [p] = casesOf(store).blockedProperty();
    assert.equal(p?.value, 23900);
    assert.equal(p?.currency, "EUR");
    const reg = await get(sue, "/ui/registers");
    assert.match(reg.body, /suspense account 99/);
    const csv = await post(sue, "/ui/reports/generate", { kind: "annual", year: "2024", format: "csv" });
    assert.equal(csv.statusCode, 200);
    assert.match(String(csv.headers["content-disposition"]), /attachment/);
    assert.match(csv.body, /Total,EUR,1,23900\.00/);
    const rep = await get(sue, "/ui/reports");
    assert.match(rep.body, /2024-06-26/); // 10 business days after 2024-06-11 (Juneteenth skipped)
  });

  it("locks an account after five wrong passwords, even against the right one", async () => {
    for (let i = 0; i < 5; i++) assert.equal((await login("lock", "not the password")).status, 401);
    const r = await login("lock");
    assert.equal(r.status, 401);
    assert.match(r.body, /locked/);
  });

  it("a tampered audit entry shows as broken", async () => {
    const { b } = await login("aud");
    assert.match((await get(b, "/ui/audit")).body, /Chain intact/);
    const log = auditOf(store);
    assert.ok(log.details("login").length > 3);
    assert.ok(log.details("decision_confirmed").length >= 1);
    assert.ok(log.details("ingest").length >= 1);
    store.db.prepare("UPDATE audit_log SET detail = '{}' WHERE seq = 3").run();
    assert.match((await get(b, "/ui/audit")).body, /Chain broken at entry 3/);
  });
});
