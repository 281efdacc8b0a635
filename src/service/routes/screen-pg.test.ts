// Visa and payment screening on a PostgreSQL store (127.0.0.1:5432, database test, or
// INTERDICT_TEST_PG; a schema of its own, dropped after): a refusal and a hold raise their alerts
// in the shared PgAlertBook, a clearance none, and the same payment screened again raises nothing
// new. (On SQLite the same routes are in service.test.ts.)

import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { after, before, it } from "node:test";
import { testSchemas } from "../../../test/_pg.js";
import { ingest } from "../../ingest/ingest.js";
import { PgAlertBook } from "../../monitor/alerts-pg.js";
import { PostgresStore } from "../../store/postgres.js";
import { type App, buildApp } from "../app.js";
import { loadConfig } from "../config.js";
import { LiveIndex } from "../live.js";
import { serviceRecords } from "../records-pg.js";

const schemas = testSchemas("scrpg");
let store: PostgresStore;
let live: LiveIndex;
let app: App;
let key: string;

before(async () => {
  store = await PostgresStore.open(schemas.url(), { poolSize: 2 });
  await ingest(store, ["src/service/fixtures/us_ofac_sdn.ftm.json"]);
  const { keys, screenings } = serviceRecords(store);
  key = (await keys.create("screen", "gateway")).key;
  live = new LiveIndex(store, { workers: 0, pollInterval: 0 });
  const config = { ...loadConfig({}, {}), workers: 0, pollInterval: 0, logLevel: "silent" as const };
  app = await buildApp({ store, live, keys, screenings, config });
  await live.start();
});

after(async () => {
  await app?.close();
  await live?.close();
  await store?.close();
  await schemas.drop();
});

async function post(url: string, payload: string, contentType = "application/json") {
  const r = await app.inject({
    method: "POST",
    url,
    payload,
    headers: { authorization: `Bearer ${key}`, "content-type": contentType },
  });
  assert.equal(r.statusCode, 200, r.body);
  return r.json();
}

it("a visa refusal raises its alert in PostgreSQL's alert book; a clearance raises none", async () => {
  const refused = await post(
    "/screen/visa",
    JSON.stringify({ names: ["Pavel Karpov"], birth_date: "1977-08-27", nationalities: ["RU"] }),
  );
  assert.equal(refused.decision, "refuse");
  const clear = await post("/screen/visa", JSON.stringify({ names: ["Jane Unlisted Nobody"] }));
  assert.equal(clear.decision, "clear");
  const alerts = await new PgAlertBook(store).list({ limit: 100 });
  assert.deepEqual(
    alerts.map((a) => [a.subjectId, a.entityId]),
    [[`visa:${refused.screening_id}`, "us_ofac_sdn:15880"]],
  );
});

it("a payment held raises its alert once, however often it is screened", async () => {
  const body = readFileSync("src/screen/payment/fixtures/pacs008-designated-debtor.xml", "utf8");
  const first = await post("/screen/payment", body, "application/xml");
  assert.notEqual(first.decision, "release");
  await post("/screen/payment", body, "application/xml");
  const alerts = (await new PgAlertBook(store).list({ limit: 100 })).filter((a) =>
    a.subjectId.startsWith(`payment:${first.message_id}:`),
  );
  assert.ok(alerts.length >= 1, "the payment raised an alert");
  assert.equal(new Set(alerts.map((a) => `${a.subjectId} ${a.entityId}`)).size, alerts.length);
});
