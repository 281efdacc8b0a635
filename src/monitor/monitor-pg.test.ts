// Monitoring on a real PostgreSQL (127.0.0.1:5432, database test, or INTERDICT_TEST_PG), each
// test in a schema of its own, dropped at the end: new subjects screened into PgAlertBook, a
// second round raising nothing, a new list version re-screened by its delta; two monitors on one
// schema at the same time (two store objects, as two processes hold them) raising each alert
// once and screening each version once; the worker-thread path opening the store by its URL.

import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import { testSchemas } from "../../test/_pg.js";
import { ingest } from "../ingest/ingest.js";
import { PostgresStore } from "../store/postgres.js";
import { importSubjects } from "../subjects/import.js";
import { PgSubjectRegister } from "../subjects/register-pg.js";
import { PgAlertBook } from "./alerts-pg.js";
import { PgMonitorLog } from "./log-pg.js";
import { afterIngest, screenPending } from "./monitor.js";

const SDN = "src/service/fixtures/us_ofac_sdn.ftm.json";
const dir = mkdtempSync(join(tmpdir(), "interdict-monitor-pg-"));
const schemas = testSchemas("monpg");
const stores: PostgresStore[] = [];

after(async () => {
  await Promise.all(stores.map((s) => s.close().catch(() => {})));
  await schemas.drop();
});

const newSchema = schemas.url;
let versions = 0;

async function open(url: string): Promise<PostgresStore> {
  const store = await PostgresStore.open(url, { poolSize: 3 });
  stores.push(store);
  return store;
}

const csv = (name: string, rows: string[]): string => {
  const path = join(dir, name);
  writeFileSync(path, `id,name,schema,birth_date,country\n${rows.join("\n")}\n`);
  return path;
};

/**
 * The fixture's next version: Karpov with an alias (a changed entry) and Jane Stranger listed
 * (a new one, with her sanction).
 */
function secondVersion(): string {
  const lines = readFileSync(SDN, "utf8")
    .trim()
    .split("\n")
    .map((l) => {
      const e = JSON.parse(l) as { id: string; properties: Record<string, string[]> };
      if (e.id === "us_ofac_sdn:15880") e.properties.alias = ["KARPOV, Pavel Ivanovich"];
      return JSON.stringify(e);
    });
  lines.push(
    JSON.stringify({
      id: "us_ofac_sdn:99001",
      schema: "Person",
      properties: { topics: ["sanction"], name: ["STRANGER, Jane"], birthDate: ["1980-01-01"] },
      datasets: ["us_ofac_sdn"],
      target: true,
    }),
    JSON.stringify({
      id: "us_ofac_sdn:99001-sanction",
      schema: "Sanction",
      properties: { entity: ["us_ofac_sdn:99001"], program: ["TEST"] },
      datasets: ["us_ofac_sdn"],
    }),
  );
  const path = join(dir, `v2-${versions++}.ftm.json`);
  writeFileSync(path, `${lines.join("\n")}\n`);
  return path;
}

const SUBJECTS = [
  "k1,Pavel Karpov,Person,1977-08-27,RU",
  "x1,Jane Stranger,Person,1980-01-01,FR",
  "t1,Slobodan Tesic,Person,1958-12-21,RS",
  ...Array.from({ length: 20 }, (_, i) => `c${i},Customer Number${i} Ordinary,Person,,DE`),
];

describe("monitoring on PostgreSQL", () => {
  it("new subjects into PgAlertBook, a second round raises nothing, a new version re-screens its delta", async () => {
    const store = await open(newSchema());
    await ingest(store, [SDN], { dataset: "us_ofac_sdn", version: "v1" });
    const imported = await importSubjects(store, csv("two.csv", SUBJECTS.slice(0, 2)));
    assert.equal(imported.added, 2);

    const first = await screenPending(store, { workers: 0 });
    assert.equal(first.subjects.subjects, 2);
    assert.equal(first.subjects.alerts.raised, 1);
    const book = new PgAlertBook(store);
    const open1 = await book.list();
    assert.deepEqual(
      open1.map((a) => [a.subjectId, a.entityId, a.referents]),
      [["k1", "us_ofac_sdn:15880", ["us_ofac_sdn:15880"]]],
    );
    assert.deepEqual(await new PgSubjectRegister(store).counts(), { subjects: 2, pending: 0, screened: 2 });

    const again = await screenPending(store, { workers: 0 });
    assert.deepEqual([again.deltas.length, again.subjects.subjects, again.subjects.alerts.raised], [0, 0, 0]);
    assert.equal((await book.list()).length, 1);

    // The next version: the ingest hook re-screens what changed against both screened subjects.
    await ingest(store, [secondVersion()], { dataset: "us_ofac_sdn", version: "v2" });
    const [delta] = await afterIngest(store, [{ dataset: "us_ofac_sdn" }], { workers: 0 });
    assert.ok(delta);
    assert.deepEqual([delta.fromVersion, delta.toVersion, delta.subjects], ["v1", "v2", 2]);
    assert.deepEqual(delta.entities, { added: 2, changed: 1, removed: 0, rescreened: 2 });
    assert.deepEqual(delta.alerts, { raised: 1, updated: 1, open: 0, decided: 0 });
    const open2 = await book.list();
    assert.deepEqual(
      open2.map((a) => [a.subjectId, a.entityId, a.reason]),
      [
        ["k1", "us_ofac_sdn:15880", "list change: us_ofac_sdn v1 → v2"],
        ["x1", "us_ofac_sdn:99001", "list change: us_ofac_sdn v1 → v2"],
      ],
    );
    // Nothing left to do; the record says what was done.
    assert.deepEqual(await afterIngest(store, [{ dataset: "us_ofac_sdn" }], { workers: 0 }), []);
    const log = new PgMonitorLog(store);
    const entries = await log.since(0);
    assert.deepEqual(
      entries.map((e) => [e.kind, e.dataset ?? "", e.toVersion ?? ""]),
      [
        ["subjects", "", ""],
        ["delta", "us_ofac_sdn", "v2"],
      ],
    );
    assert.equal(await log.state("us_ofac_sdn"), (await store.currentVersion("us_ofac_sdn"))?.id);
    assert.equal(await log.lastId(), entries[1]?.id);
  });

  it("two monitors on one schema at once: each alert raised once, each version screened once", async () => {
    const url = newSchema();
    const [a, b] = [await open(url), await open(url)];
    if (!a || !b) throw new Error("unreachable");
    await ingest(a, [SDN], { dataset: "us_ofac_sdn", version: "v1" });
    assert.equal((await importSubjects(a, csv("many.csv", SUBJECTS))).added, SUBJECTS.length);

    const rounds = await Promise.all([screenPending(a, { workers: 0 }), screenPending(b, { workers: 0 })]);
    // One of them screened every subject; the other waited for it and found nothing pending.
    assert.deepEqual(rounds.map((r) => r.subjects.subjects).sort(), [0, SUBJECTS.length]);
    const raised = rounds.reduce((n, r) => n + r.subjects.alerts.raised, 0);
    const book = new PgAlertBook(b);
    const open1 = await book.list();
    assert.equal(raised, open1.length);
    assert.deepEqual(open1.map((x) => [x.subjectId, x.entityId]).sort(), [
      ["k1", "us_ofac_sdn:15880"],
      ["t1", "us_ofac_sdn:23288"],
    ]);

    // A new version; both monitors catch up at once: one re-screens it, the other finds it done.
    await ingest(a, [secondVersion()], { dataset: "us_ofac_sdn", version: "v2" });
    const deltas = await Promise.all([
      afterIngest(a, [{ dataset: "us_ofac_sdn" }], { workers: 0 }),
      afterIngest(b, [{ dataset: "us_ofac_sdn" }], { workers: 0 }),
    ]);
    assert.deepEqual(deltas.map((d) => d.length).sort(), [0, 1]);
    const open2 = await book.list();
    assert.deepEqual(open2.map((x) => [x.subjectId, x.entityId]).sort(), [
      ["k1", "us_ofac_sdn:15880"],
      ["t1", "us_ofac_sdn:23288"],
      ["x1", "us_ofac_sdn:99001"],
    ]);
    const log = await new PgMonitorLog(a).since(0);
    assert.deepEqual(
      log.map((e) => e.kind),
      ["subjects", "delta"],
    );
  });

  it("in worker threads, which open the store by its URL: the same alerts", async () => {
    const url = newSchema();
    const store = await open(url);
    await ingest(store, [SDN], { dataset: "us_ofac_sdn", version: "v1" });
    await importSubjects(store, csv("threads.csv", SUBJECTS));
    const round = await screenPending(store, { workers: 1, inThreadUpTo: 0, location: url });
    assert.deepEqual([round.subjects.subjects, round.subjects.alerts.raised], [SUBJECTS.length, 2]);
    assert.deepEqual((await new PgAlertBook(store).list()).map((x) => [x.subjectId, x.entityId]).sort(), [
      ["k1", "us_ofac_sdn:15880"],
      ["t1", "us_ofac_sdn:23288"],
    ]);
    assert.deepEqual(await new PgSubjectRegister(store).counts(), {
      subjects: SUBJECTS.length,
      pending: 0,
      screened: SUBJECTS.length,
    });
  });
});
