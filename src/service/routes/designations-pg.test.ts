// The designations API on a real PostgreSQL (127.0.0.1:5432, database test, or INTERDICT_TEST_PG)
// as two replicas: two stores and two apps (buildApp) on one schema, driven in-process
// (app.inject). A case file (with an evidence file) made and proposed through one replica, its
// proposer's admin key refused, two admin keys approving it through both replicas at once (one
// 200, one refusal naming the approval), published through the other (served before it answers:
// the visa screening refuses), the evidence file downloaded through the first byte for byte,
// delisted and published again (cleared); the audit chain verifies. Own schema, dropped after.

import assert from "node:assert/strict";
import { after, it } from "node:test";
import { testSchemas } from "../../../test/_pg.js";
import { PgAuditLog } from "../../audit/log-pg.js";
import { PostgresStore } from "../../store/postgres.js";
import { type App, buildApp } from "../app.js";
import { loadConfig } from "../config.js";
import { LiveIndex } from "../live.js";
import { serviceRecords } from "../records-pg.js";

const schemas = testSchemas("designations_api");
const URL_ = schemas.url();
const replicas: { store: PostgresStore; live: LiveIndex; app: App }[] = [];

after(async () => {
  for (const r of replicas) {
    await r.app.close();
    await r.live.close();
    await r.store.close();
  }
  await schemas.drop();
});

async function replica() {
  const store = await PostgresStore.open(URL_, { poolSize: 3 });
  const { keys, screenings } = serviceRecords(store);
  const live = new LiveIndex(store, { workers: 0, pollInterval: 0 });
  const config = { ...loadConfig({}, {}), workers: 0, pollInterval: 0, logLevel: "silent" as const };
  const app = await buildApp({ store, live, keys, screenings, config });
  await live.start();
  const r = { store, live, app, keys };
  replicas.push(r);
  return r;
}

const caseFile = {
  subject: {
    schema: "Person",
    properties: {
      name: ["Viktor Sergeyevich Oblomkin"],
      birthDate: ["1968-05-14"],
      nationality: ["ru"],
      passportNumber: ["4509 112233"],
    },
  },
  authority: "us-glomag-10102",
  criterion: "10102(a)(1)",
  statement_of_reasons: "Ordered the torture of a lawyer who exposed a tax fraud by officials.",
  evidence: [
    {
      source_type: "NGO report",
      date: "2025-11-20",
      description: "witness statements",
      file: { name: "report.txt", content_base64: Buffer.from("witness statements").toString("base64") },
    },
  ],
};
const applicant = {
  names: ["Viktor Oblomkin"],
  birth_date: "1968-05-14",
  nationalities: ["ru"],
  passport: { number: "4509112233" },
};

it("designations through two replicas on PostgreSQL: four eyes, one approval of two at once, publish, delist", async () => {
  const one = await replica();
  const two = await replica();
  const key = {
    teller: (await one.keys.create("screen", "teller")).key,
    ana: (await one.keys.create("analyst", "ana")).key,
    ada: (await one.keys.create("admin", "ada")).key,
    max: (await one.keys.create("admin", "max")).key,
    ana2: (await one.keys.create("admin", "ana")).key, // the proposer's second key
  };
  const call = async (r: { app: App }, method: "GET" | "POST", url: string, k: string, body?: unknown) => {
    const res = await r.app.inject({
      method,
      url,
      headers: {
        authorization: `Bearer ${k}`,
        ...(body !== undefined ? { "content-type": "application/json" } : {}),
      },
      ...(body !== undefined ? { payload: JSON.stringify(body) } : {}),
    });
    return { status: res.statusCode, body: res.body, json: () => res.json() as Record<string, unknown> };
  };

  const made = await call(one, "POST", "/designations", key.ana, caseFile);
  assert.equal(made.status, 201, made.body);
  const c = made.json() as { id: string; issues: unknown[]; evidence: { sha256: string }[] };
  assert.deepEqual(c.issues, []);
  assert.equal((await call(one, "POST", `/designations/${c.id}/propose`, key.ana, {})).status, 200);
  const self = await call(two, "POST", `/designations/${c.id}/approve`, key.ana2, {});
  assert.equal(self.status, 403, self.body);
  assert.match(self.body, /different user must approve/);

  const both = await Promise.all([
    call(one, "POST", `/designations/${c.id}/approve`, key.ada, {}),
    call(two, "POST", `/designations/${c.id}/approve`, key.max, {}),
  ]);
  const statuses = both.map((b) => b.status).sort();
  assert.equal(statuses[0], 200, JSON.stringify(both.map((b) => b.body)));
  assert.notEqual(statuses[1], 200, "the second approval is refused");
  const lost = both.find((b) => b.status !== 200);
  assert.match(String(lost?.body), /is approved: only a proposed case can be approved/);

  assert.equal((await call(two, "POST", "/screen/visa", key.teller, applicant)).json().decision, "clear");
  const pub = await call(two, "POST", "/designations/publish", key.max, {});
  assert.equal(pub.status, 200, pub.body);
  assert.equal(pub.json().served, true);
  assert.deepEqual(pub.json().listed, [c.id]);
  assert.equal((await call(two, "POST", "/screen/visa", key.teller, applicant)).json().decision, "refuse");

  const shown = await call(one, "GET", `/designations/${c.id}`, key.ana);
  assert.equal(shown.json().status, "published");
  const steps = (shown.json().history as { action: string }[]).map((h) => h.action);
  assert.deepEqual(steps, ["created", "evidence_added", "proposed", "approved", "published"]);
  const file = await call(one, "GET", `/designations/files/${c.evidence[0]?.sha256}`, key.ana);
  assert.equal(file.body, "witness statements");

  const out = await call(one, "POST", `/designations/${c.id}/delist`, key.ada, {
    ground: "changed circumstances",
  });
  assert.equal(out.status, 200, out.body);
  const again = await call(one, "POST", "/designations/publish", key.ada, {});
  assert.deepEqual(again.json().removed, [c.id]);
  assert.equal((await call(one, "POST", "/screen/visa", key.teller, applicant)).json().decision, "clear");

  const log = new PgAuditLog(one.store);
  assert.equal((await log.verify()).ok, true);
  const approvals = await log.list({ action: "designation_approved" });
  assert.equal(approvals.length, 1);
  assert.ok(["ada", "max"].includes(approvals[0]?.actor ?? ""));
});
