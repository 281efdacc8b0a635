// The alerts API in-process on SQLite (app.inject): list and read, a clear decided once with its
// audit entry in the same chain, the second decision refused naming the first, four-eyes
// decisions and escalations refused, a case awaiting confirmation left to the console, and
// every bad request answered naming the field. (On PostgreSQL across replicas:
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

it("four-eyes decisions and escalations are refused here, and a case awaiting confirmation is left alone", async () => {
  for (const decision of ["true_match", "false_positive"]) {
    const r = await call("POST", "/alerts/2/decision", { decision });
    assert.equal(r.status, 409, decision);
    assert.equal(r.body.field, "decision");
    assert.match(String(r.body.detail), /needs a second person/);
  }
  const esc = await call("POST", "/alerts/2/decision", { decision: "escalate" });
  assert.equal(esc.status, 409);
  assert.match(String(esc.body.detail), /senior reviewer/);
  assert.equal((await call("GET", "/alerts/2")).body.status, "open");

  await casesOf(store).propose(3, { name: "sam", role: "analyst" }, "false_positive", "passport differs");
  const r = await call("POST", "/alerts/3/decision", { decision: "clear" });
  assert.equal(r.status, 409);
  assert.match(
    String(r.body.detail),
    /awaits a second person's confirmation of false_positive proposed by sam/,
  );
  assert.equal((await call("GET", "/alerts/3")).body.status, "open");
  assert.equal((await call("POST", "/alerts/404/decision", { decision: "clear" })).status, 404);
  assert.equal((await call("POST", "/alerts/4/decision", { decision: "clear" }, screener)).status, 403);
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
