// The catch-up of decision entries on a real PostgreSQL (127.0.0.1:5432, database test, or
// INTERDICT_TEST_PG): alerts decided with no audit entry (a replica stopped between the two
// transactions) get exactly one each, however many replicas catch up at once, and an alert
// already recorded gets none. Own schema, dropped at the end.

import assert from "node:assert/strict";
import { after, it } from "node:test";
import pg from "pg";
import { PgAuditLog } from "../../audit/log-pg.js";
import type { Finding } from "../../monitor/alerts.js";
import { PgAlertBook } from "../../monitor/alerts-pg.js";
import { PostgresStore } from "../../store/postgres.js";
import { recordDecisions } from "./alerts.js";

const BASE = process.env.INTERDICT_TEST_PG ?? "postgres://postgres@127.0.0.1:5432/test";
const SCHEMA = `interdict_alerts_api_${process.pid}_${Math.random().toString(36).slice(2, 8)}`;
const stores: PostgresStore[] = [];

after(async () => {
  await Promise.all(stores.map((s) => s.close()));
  const client = new pg.Client({ connectionString: BASE });
  await client.connect();
  await client.query(`DROP SCHEMA IF EXISTS ${SCHEMA} CASCADE`);
  await client.end();
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
  for (let i = 0; i < 3; i++)
    stores.push(await PostgresStore.open(`${BASE}?schema=${SCHEMA}`, { poolSize: 2 }));
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
