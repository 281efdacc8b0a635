// The alerts API in-process on SQLite (app.inject): list and read, a clear decided once with its
// audit entry in the same chain, the second decision refused naming the first, four-eyes over
// the API (an analyst key proposes, an admin key confirms and the register row is written; the
// proposer, a peer and a second key of the same name refused; a return, an escalation, an
// admin's proposal confirmed by another admin, a console proposal confirmed here), and every
// bad request answered naming the field. (On PostgreSQL across replicas:
// test/replicas.test.ts.)

import assert from "node:assert/strict";
import { after, before, it } from "node:test";
import { auditOf } from "../../audit/log.js";
import { casesOf } from "../../cases/cases.js";
import { alertsOf, type Finding } from "../../monitor/alerts.js";
import { SqliteStore } from "../../store/sqlite.js";
import { type App, buildApp } from "../app.js";
import { loadConfig } from "../config.js";
import { LiveIndex } from "../live.js";
import { KeyStore, ScreeningLog } from "../records.js";

const store = new SqliteStore(":memory:");
const keys = new KeyStore(store.db);
let live: LiveIndex;
let app: App;
let analyst: string;
let peerAnalyst: string;
let admin: string;
let admin2: string;
let adminSameName: string;
let screener: string;

const finding = (n: number): Finding => ({
  subjectId: `cust-${n}`,
  subjectHash: "s1",
  subjectName: `Customer ${n}`,
  entityId: `us_ofac_sdn:${1000 + n}`,
  entityHash: "e1",
  caption: "Pavel Karpov",
  schema: "Person",
  datasets: ["us_ofac_sdn"],
  programs: ["MAGNIT"],
  score: 0.91,
  explanation: [],
});

before(async () => {
  alertsOf(store).raise([1, 2, 3, 4].map(finding), "test");
  analyst = keys.create("analyst", "ana-gateway").key;
  screener = keys.create("screen", "screening only").key;
  peerAnalyst = keys.create("analyst", "bob-desk").key;
  admin = keys.create("admin", "ada-admin").key;
  adminSameName = keys.create("admin", "ada-admin").key;
  admin2 = keys.create("admin", "max-admin").key;
  live = new LiveIndex(store, { workers: 0, pollInterval: 0 });
  const config = { ...loadConfig({}, {}), workers: 0, pollInterval: 0, logLevel: "silent" as const };
  app = await buildApp({ store, live, keys, screenings: new ScreeningLog(store.db), config });
});

after(async () => {
  await app.close();
  await live.close();
  await store.close();
});

async function call(method: "GET" | "POST", url: string, body?: unknown, key = analyst) {
  const r = await app.inject({
    method,
    url,
    headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
    ...(body === undefined ? {} : { payload: JSON.stringify(body) }),
  });
  return { status: r.statusCode, body: r.json() as Record<string, unknown> };
}

it("lists open alerts a page at a time and reads one", async () => {
  const first = await call("GET", "/alerts?limit=3");
  assert.equal(first.status, 200);
  const alerts = first.body.alerts as { id: number; subject_id: string; status: string }[];
  assert.deepEqual(
    alerts.map((a) => a.subject_id),
    ["cust-1", "cust-2", "cust-3"],
  );
  assert.equal(first.body.next_after, alerts[2]?.id);
  const rest = await call("GET", `/alerts?after=${first.body.next_after}`);
  assert.deepEqual(
    (rest.body.alerts as { subject_id: string }[]).map((a) => a.subject_id),
    ["cust-4"],
  );
  assert.equal(rest.body.next_after, null);
  const one = await call("GET", `/alerts/${alerts[0]?.id}`);
  assert.equal(one.status, 200);
  assert.equal(one.body.entity_id, "us_ofac_sdn:1001");
  assert.deepEqual(one.body.programs, ["MAGNIT"]);
  assert.equal((await call("GET", "/alerts/999")).status, 404);
  assert.equal((await call("GET", "/alerts", undefined, screener)).status, 403);
  const docs = (await app.inject({ method: "GET", url: "/docs/json" })).json() as {
    paths: Record<string, Record<string, unknown>>;
  };
  assert.ok(docs.paths["/alerts"]?.get);
  assert.ok(docs.paths["/alerts/{id}"]?.get);
  assert.ok(docs.paths["/alerts/{id}/decision"]?.post);
  assert.ok(docs.paths["/alerts/{id}/propose"]?.post);
  assert.ok(docs.paths["/alerts/{id}/confirm"]?.post);
});

it("a clear is decided once, by the key, with one audit entry; a second decision is 409 naming it", async () => {
  const before = auditOf(store).verify().entries;
  const r = await call("POST", "/alerts/1/decision", { decision: "clear", note: "different birth year" });
  assert.equal(r.status, 200, JSON.stringify(r.body));
  assert.equal(r.body.status, "decided");
  assert.equal(r.body.decision, "clear");
  assert.equal(r.body.analyst, "ana-gateway");
  const again = await call("POST", "/alerts/1/decision", { decision: "clear" });
  assert.equal(again.status, 409);
  assert.equal(again.body.code, "INTERDICT_E_CONFLICT");
  assert.match(String(again.body.detail), /alert 1 is already decided: clear by ana-gateway at 20/);
  const entries = auditOf(store).list({ action: "decision_confirmed" });
  assert.equal(entries.length, 1);
  assert.equal(entries[0]?.actor, "ana-gateway");
  assert.deepEqual(
    { alert: entries[0]?.detail.alert, decision: entries[0]?.detail.decision, via: entries[0]?.detail.via },
    { alert: 1, decision: "clear", via: "api" },
  );
  assert.deepEqual(auditOf(store).verify(), { ok: true, entries: before + 1 });
  const decided = await call("GET", "/alerts?status=decided");
  assert.deepEqual(
    (decided.body.alerts as { id: number }[]).map((a) => a.id),
    [1],
  );
});

it("four-eyes over the API: proposed by one key, confirmed by a higher one, the register row and entries written", async () => {
  const chain = auditOf(store).verify().entries;
  const tm = await call("POST", "/alerts/2/propose", {
    decision: "true_match",
    note: "same passport",
    details: { consequence: "block", value: 1200, currency: "eur", location: "Main St branch" },
  });
  assert.equal(tm.status, 202, JSON.stringify(tm.body));
  assert.equal(tm.body.status, "open");
  const c = tm.body.case as {
    status: string;
    proposer: string;
    proposer_role: string;
    details: Record<string, unknown>;
  };
  assert.deepEqual([c.status, c.proposer, c.proposer_role], ["pending", "ana-gateway", "analyst"]);
  assert.deepEqual(
    [c.details.consequence, c.details.value, c.details.location, c.details.owner],
    ["block", 1200, "Main St branch", "Pavel Karpov"],
  );
  assert.match(String(c.details.legal_authority), /MAGNIT/);

  const self = await call("POST", "/alerts/2/confirm", { accept: true });
  assert.equal(self.status, 403);
  assert.match(String(self.body.detail), /nobody confirms their own decision/);
  const peer = await call("POST", "/alerts/2/confirm", { accept: true }, peerAnalyst);
  assert.equal(peer.status, 403);
  assert.match(String(peer.body.detail), /confirmed by a higher role than analyst/);
  for (const [path, body] of [
    ["/alerts/2/decision", { decision: "clear" }],
    ["/alerts/2/propose", { decision: "false_positive" }],
  ] as const) {
    const r = await call("POST", path, body, peerAnalyst);
    assert.equal(r.status, 409, path);
    assert.match(
      String(r.body.detail),
      /awaits a second person's confirmation of true_match proposed by ana-gateway/,
    );
  }
  assert.equal(casesOf(store).blockedProperty().length, 0);

  const ok = await call("POST", "/alerts/2/confirm", { accept: true, note: "checked" }, admin);
  assert.equal(ok.status, 200, JSON.stringify(ok.body));
  assert.deepEqual(
    [ok.body.status, ok.body.decision, ok.body.analyst],
    ["decided", "true_match", "ana-gateway"],
  );
  assert.deepEqual(ok.body.case, { status: "decided" });
  const [p] = casesOf(store).blockedProperty();
  assert.deepEqual(
    [p?.alertId, p?.value, p?.currency, p?.proposedBy, p?.confirmedBy],
    [2, 1200, "EUR", "ana-gateway", "ada-admin"],
  );
  const again = await call("POST", "/alerts/2/confirm", { accept: true }, admin);
  assert.equal(again.status, 409);
  assert.match(String(again.body.detail), /alert 2 is already decided: true_match by ana-gateway/);
  const steps = auditOf(store)
    .list({ limit: 10 })
    .filter((e) => e.detail.alert === 2)
    .reverse();
  assert.deepEqual(
    steps.map((e) => [e.action, e.actor, e.detail.role, e.detail.via]),
    [
      ["decision_proposed", "ana-gateway", "analyst", "api"],
      ["decision_confirmed", "ada-admin", "admin", "api"],
    ],
  );
  assert.deepEqual(steps[1]?.detail.register, { blocked_property: p?.id });
  assert.deepEqual(auditOf(store).verify(), { ok: true, entries: chain + 2 });
});

it("a false positive returned goes back to review; escalate is a case state; an admin's proposal needs another admin", async () => {
  const fp = await call("POST", "/alerts/3/decision", {
    decision: "false_positive",
    note: "other birth year",
  });
  assert.equal(fp.status, 202);
  assert.equal((fp.body.case as { status: string }).status, "pending");
  const back = await call(
    "POST",
    "/alerts/3/confirm",
    { accept: false, note: "look at the passport" },
    admin,
  );
  assert.equal(back.status, 200);
  assert.equal(back.body.status, "open");
  assert.deepEqual(back.body.case, {
    status: "in_review",
    assignee: "ana-gateway",
    note: "look at the passport",
    updated_at: (back.body.case as { updated_at: string }).updated_at,
  });
  const none = await call("POST", "/alerts/3/confirm", { accept: true }, admin);
  assert.equal(none.status, 409);
  assert.match(String(none.body.detail), /alert 3: nothing awaits confirmation \(case in_review\)/);
  const esc = await call("POST", "/alerts/3/propose", { decision: "escalate", note: "senior look" });
  assert.equal(esc.status, 202);
  assert.equal(((await call("GET", "/alerts/3")).body.case as { status: string }).status, "escalated");

  alertsOf(store).raise([finding(5)], "test");
  const five = (await call("GET", "/alerts?after=4")).body.alerts as { id: number }[];
  const id = five[0]?.id;
  assert.equal(
    (await call("POST", `/alerts/${id}/propose`, { decision: "false_positive" }, admin)).status,
    202,
  );
  const sameName = await call("POST", `/alerts/${id}/confirm`, { accept: true }, adminSameName);
  assert.equal(sameName.status, 403, "a second key of the same name is the same person");
  assert.equal((await call("POST", `/alerts/${id}/confirm`, { accept: true }, analyst)).status, 403);
  const byAdmin = await call("POST", `/alerts/${id}/confirm`, { accept: true }, admin2);
  assert.equal(byAdmin.status, 200);
  assert.equal(byAdmin.body.decision, "false_positive");

  // A case proposed in the console is confirmed here like any other.
  alertsOf(store).raise([finding(6)], "test");
  const six = ((await call("GET", "/alerts?after=5")).body.alerts as { id: number }[])[0]?.id ?? 0;
  await casesOf(store).propose(six, { name: "sam", role: "analyst" }, "false_positive", "passport differs");
  const r = await call("POST", `/alerts/${six}/decision`, { decision: "clear" });
  assert.equal(r.status, 409);
  assert.match(
    String(r.body.detail),
    /awaits a second person's confirmation of false_positive proposed by sam/,
  );
  assert.equal((await call("POST", `/alerts/${six}/confirm`, { accept: true }, admin)).status, 200);
  assert.equal((await call("POST", "/alerts/404/decision", { decision: "clear" })).status, 404);
  assert.equal((await call("POST", "/alerts/404/confirm", { accept: true })).status, 404);
  assert.equal((await call("POST", "/alerts/4/decision", { decision: "clear" }, screener)).status, 403);
  assert.deepEqual(auditOf(store).verify().ok, true);
});

it("a bad request is 400 naming the field", async () => {
  const cases: [string, unknown, string, RegExp][] = [
    ["/alerts/4/decision", {}, "decision", /body field decision/],
    ["/alerts/4/decision", { decision: "maybe" }, "decision", /must be one of clear, true_match/],
    ["/alerts/4/decision", { decision: "clear", notes: "x" }, "notes", /body field notes/],
    [
      "/alerts/4/decision",
      { decision: "clear", note: "x".repeat(4001) },
      "note",
      /body field note: must NOT have more than 4000/,
    ],
    ["/alerts/x/decision", { decision: "clear" }, "id", /path field id/],
    [
      "/alerts/4/propose",
      { decision: "clear", details: { consequence: "block" } },
      "details",
      /only a true_match has register details/,
    ],
    [
      "/alerts/4/propose",
      { decision: "true_match", details: { consequence: "freeze" } },
      "details.consequence",
      /must be one of block, reject/,
    ],
    [
      "/alerts/4/propose",
      { decision: "true_match", details: { consequence: "block", amount: 3 } },
      "details.amount",
      /body field details.amount: not a field/,
    ],
    [
      "/alerts/4/propose",
      { decision: "true_match", details: { consequence: "block", date: "3 May" } },
      "details.date",
      /body field details.date/,
    ],
    ["/alerts/4/confirm", { accept: "yes" }, "accept", /body field accept/],
    ["/alerts/4/confirm", { accept: true, why: "x" }, "why", /not a field of a confirmation/],
  ];
  for (const [url, body, field, detail] of cases) {
    const r = await call("POST", url, body);
    assert.equal(r.status, 400, JSON.stringify(body));
    assert.equal(r.body.field, field, JSON.stringify(r.body));
    assert.match(String(r.body.detail), detail);
  }
  const q = await call("GET", "/alerts?status=closed");
  assert.equal(q.status, 400);
  assert.equal(q.body.field, "status");
  assert.equal((await call("GET", "/alerts?limit=0")).body.field, "limit");
  assert.equal((await call("GET", "/alerts/4")).body.status, "open");
});
