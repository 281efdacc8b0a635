// The alerts API on a real PostgreSQL (127.0.0.1:5432, database test, or INTERDICT_TEST_PG).
// The catch-up of decision entries: alerts decided with no audit entry (a replica stopped
// between the two transactions, before they were one) get exactly one each, however many
// replicas catch up at once, and an alert already recorded gets none. Four-eyes in-process
// (app.inject): an analyst key proposes a true match, the proposer is refused, an admin key
// confirms, the register row and both entries are written; two confirmations at once give one
// 200 and one 409. Own schemas, dropped at the end.

import assert from "node:assert/strict";
import { after, it } from "node:test";
import { testSchemas } from "../../../test/_pg.js";
import { PgAuditLog } from "../../audit/log-pg.js";
import { pgCasesOf } from "../../cases/cases-pg.js";
import type { Finding } from "../../monitor/alerts.js";
import { PgAlertBook } from "../../monitor/alerts-pg.js";
import { PostgresStore } from "../../store/postgres.js";
import { buildApp } from "../app.js";
import { loadConfig } from "../config.js";
import { LiveIndex } from "../live.js";
import { serviceRecords } from "../records-pg.js";
import { recordDecisions } from "./alerts.js";

const schemas = testSchemas("alerts_api");
const URL_ = schemas.url();
const URL_API = schemas.url();
const stores: PostgresStore[] = [];

after(async () => {
  await Promise.all(stores.map((s) => s.close()));
  await schemas.drop();
});

const finding = (n: number): Finding => ({
  subjectId: `cust-${n}`,
  subjectHash: "s1",
  subjectName: `Customer ${n}`,
  entityId: "us_ofac_sdn:15880",
  entityHash: "e1",
  caption: "Pavel Karpov",
  schema: "Person",
  datasets: ["us_ofac_sdn"],
  programs: ["MAGNIT"],
  score: 0.9,
  explanation: [],
});

it("decided alerts without an entry are recorded once, by however many replicas catch up together", async () => {
  for (let i = 0; i < 3; i++) stores.push(await PostgresStore.open(URL_, { poolSize: 2 }));
  const [a, b, c] = stores as [PostgresStore, PostgresStore, PostgresStore];
  const book = new PgAlertBook(a);
  await book.raise([1, 2, 3, 4].map(finding), "test");
  const [w, x, y] = (await book.list()).map((al) => al.id) as [number, number, number, number];
  const log = new PgAuditLog(a);
  // Alert w was recorded as the API records it; x and y were decided and their replica stopped.
  await book.decide(w, "clear", "desk-0", "recorded");
  await log.append("desk-0", "decision_confirmed", { alert: w, decision: "clear", via: "api" });
  await book.decide(x, "clear", "desk-1", "lost entry");
  await book.decide(y, "clear", "desk-2", "");

  const counts = await Promise.all([recordDecisions(a), recordDecisions(b), recordDecisions(c)]);
  assert.equal(
    counts.reduce((p, q) => p + q, 0),
    2,
    JSON.stringify(counts),
  );
  assert.equal(await recordDecisions(a), 0);
  const entries = await new PgAuditLog(b).list({ action: "decision_confirmed" });
  assert.deepEqual(entries.map((e) => e.detail.alert).sort(), [w, x, y].sort());
  const lost = entries.find((e) => e.detail.alert === x);
  assert.equal(lost?.actor, "desk-1");
  assert.equal(lost?.detail.via, "recovered");
  assert.equal(lost?.detail.note, "lost entry");
  assert.deepEqual(await log.verify(), { ok: true, entries: 3 });
});

it("four-eyes through the API on PostgreSQL: proposed by an analyst key, confirmed once by an admin key", async () => {
  const store = await PostgresStore.open(URL_API, { poolSize: 3 });
  stores.push(store);
  const { keys, screenings } = serviceRecords(store);
  const ana = (await keys.create("analyst", "ana")).key;
  const ada = (await keys.create("admin", "ada")).key;
  const max = (await keys.create("admin", "max")).key;
  const live = new LiveIndex(store, { workers: 0, pollInterval: 0 });
  const config = { ...loadConfig({}, {}), workers: 0, pollInterval: 0, logLevel: "silent" as const };
  const app = await buildApp({ store, live, keys, screenings, config });
  try {
    const call = async (url: string, body: unknown, key: string) => {
      const r = await app.inject({
        method: "POST",
        url,
        headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
        payload: JSON.stringify(body),
      });
      return { status: r.statusCode, body: r.json() as Record<string, unknown> };
    };
    const cases = pgCasesOf(store);
    await cases.alerts.raise([1, 2].map(finding), "test");
    const [one, two] = (await cases.alerts.list()).map((a) => a.id) as [number, number];
    const details = { consequence: "reject", value: 990, currency: "usd", reference: "MSG-1" };
    const p = await call(`/alerts/${one}/propose`, { decision: "true_match", note: "same", details }, ana);
    assert.equal(p.status, 202, JSON.stringify(p.body));
    assert.equal((p.body.case as { status: string }).status, "pending");
    const self = await call(`/alerts/${one}/confirm`, { accept: true }, ana);
    assert.equal(self.status, 403);
    assert.match(String(self.body.detail), /nobody confirms their own decision/);
    const ok = await call(`/alerts/${one}/confirm`, { accept: true }, ada);
    assert.equal(ok.status, 200, JSON.stringify(ok.body));
    assert.deepEqual([ok.body.decision, ok.body.analyst], ["true_match", "ana"]);
    const [row] = await cases.rejectedTransactions();
    assert.deepEqual(
      [row?.alertId, row?.value, row?.currency, row?.reference, row?.confirmedBy],
      [one, 990, "USD", "MSG-1", "ada"],
    );

    // Two admins confirming one proposal at once: one decides, the other is told so.
    assert.equal((await call(`/alerts/${two}/propose`, { decision: "false_positive" }, ana)).status, 202);
    const both = await Promise.all([
      call(`/alerts/${two}/confirm`, { accept: true, note: "ada" }, ada),
      call(`/alerts/${two}/confirm`, { accept: true, note: "max" }, max),
    ]);
    assert.deepEqual(both.map((r) => r.status).sort(), [200, 409], JSON.stringify(both));
    const lost = both.find((r) => r.status === 409);
    assert.match(String(lost?.body.detail), /already decided: false_positive by ana/);

    const log = new PgAuditLog(store);
    // (The console's start-up entries, key changes and the configuration, come first.)
    const steps = (await log.list({ limit: 20 })).reverse().filter((e) => e.action.startsWith("decision_"));
    assert.deepEqual(
      steps.map((e) => [e.action, e.actor, e.detail.via]),
      [
        ["decision_proposed", "ana", "api"],
        ["decision_confirmed", "ada", "api"],
        ["decision_proposed", "ana", "api"],
        [
          "decision_confirmed",
          (await cases.alert(two)).note?.includes("confirmed by ada") ? "ada" : "max",
          "api",
        ],
      ],
    );
    assert.deepEqual(steps[1]?.detail.register, { rejected_transaction: row?.id });
    assert.deepEqual(await log.verify(), { ok: true, entries: 4 + 3 + 1 });
  } finally {
    await app.close();
    await live.close();
  }
});
