// Payment workers on a real NATS JetStream (127.0.0.1:4222, or INTERDICT_TEST_NATS): three
// `interdict worker` processes share one durable consumer; payments are published, one worker
// is SIGKILLed mid-way, and every payment still gets exactly one decision; poison messages go to
// the dead-letter subject with their reason. Streams of their own, deleted after. N is
// INTERDICT_TEST_PAYMENTS (default 1,000 to keep the suite fast; bench/worker.ts runs 10,000).

import assert from "node:assert/strict";
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, it } from "node:test";
import { jetstream, jetstreamManager } from "@nats-io/jetstream";
import { connect, type NatsConnection } from "@nats-io/transport-node";
import { add, makeEntity } from "../src/model/entity.js";
import { alertsOf } from "../src/monitor/alerts.js";
import { PgAlertBook } from "../src/monitor/alerts-pg.js";
import { PostgresStore } from "../src/store/postgres.js";
import { SqliteStore } from "../src/store/sqlite.js";
import { publishPayments } from "../src/worker/publish.js";
import { deleteStreams, ensureStreams, streamNames } from "../src/worker/stream.js";
import { type Decision, REASON_HEADER } from "../src/worker/worker.js";
import { testSchemas } from "./_pg.js";

const NATS = process.env.INTERDICT_TEST_NATS ?? "nats://127.0.0.1:4222";
const N = Number(process.env.INTERDICT_TEST_PAYMENTS ?? 1000);
const names = streamNames(`itest${process.pid}`);
const FIXTURES = "src/screen/payment/fixtures";
const PAYMENTS = [
  ["payment-clean.json", "application/json"],
  ["payment-designated-creditor-agent.json", "application/json"],
  ["mt103-clean.txt", "text/plain"],
  ["pacs008-designated-debtor.xml", "application/xml"],
].map(([f, contentType]) => ({
  body: readFileSync(join(FIXTURES, f as string), "utf8"),
  contentType: contentType as string,
}));

let nc: NatsConnection;
let db: string;
const workers: ChildProcess[] = [];

before(async () => {
  db = join(mkdtempSync(join(tmpdir(), "interdict-worker-")), "lists.db");
  // A two-entity list: workers start in a second or two.
  const store = new SqliteStore(db);
  const w = await store.beginVersion("test_list", { version: "v1" });
  const bank = makeEntity("Company", "test_list:rossiya", "test_list");
  add(bank, "name", "Bank Rossiya");
  add(bank, "swiftBic", "ROSYRU2P");
  const ship = makeEntity("Company", "test_list:scf", "test_list");
  add(ship, "name", "Joint Stock Company Sovcomflot");
  await w.put(bank);
  await w.put(ship);
  await w.commit();
  await store.close();
  nc = await connect({ servers: NATS });
  // Created here so ack_wait is short: a dead worker's payments come back after 3 s.
  await ensureStreams(await jetstreamManager(nc), names, { ackWaitSeconds: 3 });
});

after(async () => {
  for (const w of workers) if (w.exitCode === null && w.signalCode === null) w.kill("SIGKILL");
  await deleteStreams(await jetstreamManager(nc), names);
  await nc.close();
});

function startWorker(
  store = db,
  prefix = `itest${process.pid}`,
  onLine?: (line: string) => void,
): Promise<ChildProcess> {
  const child = spawn(
    process.execPath,
    ["bin/interdict.js", "--db", store, "worker", "--nats", NATS, "--prefix", prefix],
    { stdio: ["ignore", "ignore", "pipe"] },
  );
  workers.push(child);
  return new Promise((resolve, reject) => {
    let err = "";
    child.stderr?.on("data", (d: Buffer) => {
      err += d.toString();
      onLine?.(d.toString());
      if (err.includes("consuming")) resolve(child);
    });
    child.once("exit", (code) => reject(new Error(`worker exited ${code}: ${err}`)));
  });
}

async function readAll(stream: string, expect: number, timeoutMs: number) {
  const js = jetstream(nc);
  const jsm = await jetstreamManager(nc);
  const deadline = Date.now() + timeoutMs;
  while ((await jsm.streams.info(stream)).state.messages < expect && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 250));
  }
  const consumer = await js.consumers.get(stream); // ordered, ephemeral
  const out: { data: string; reason?: string }[] = [];
  const total = (await jsm.streams.info(stream)).state.messages;
  while (out.length < total) {
    const batch = await consumer.fetch({ max_messages: 1000, expires: 2000 });
    for await (const m of batch) {
      const reason = m.headers?.get(REASON_HEADER);
      out.push({ data: m.string(), ...(reason ? { reason } : {}) });
    }
  }
  return out;
}

/** The payment key of each alert (`payment:<key>:<field>`) → how many alerts it has. */
function alertsByKey(alerts: readonly { subjectId: string }[]): Map<string, number> {
  const n = new Map<string, number>();
  for (const a of alerts) {
    const key = a.subjectId.split(":")[1] ?? "";
    n.set(key, (n.get(key) ?? 0) + 1);
  }
  return n;
}

it(`three workers, ${N} payments, one SIGKILLed mid-way: exactly one decision and one set of alerts per payment`, async () => {
  await Promise.all([startWorker(), startWorker(), startWorker()]);
  const keys = Array.from({ length: N }, (_, i) => `uetr-${i}`);
  const messages = keys.map((key, i) => ({
    ...(PAYMENTS[i % PAYMENTS.length] as (typeof PAYMENTS)[0]),
    key,
  }));
  const poison = [
    { body: "<Document><not-a-payment/>", contentType: "application/xml", key: "poison-xml" },
    { body: "{1:F01 garbage", contentType: "text/plain", key: "poison-mt" },
    { body: "hello", contentType: "image/png", key: "poison-type" },
  ];
  const jsm = await jetstreamManager(nc);
  const published = publishPayments(nc, names, [...messages.slice(0, 10), ...poison, ...messages.slice(10)]);
  // Kill a worker once a third of the decisions are in: whatever it had pulled and not acked is
  // redelivered to the others.
  while ((await jsm.streams.info(names.decisions)).state.messages < N / 3) {
    await new Promise((r) => setTimeout(r, 50));
  }
  workers[0]?.kill("SIGKILL");
  assert.deepEqual(await published, { published: N + poison.length, duplicates: 0 });
  // The same payment published again (a publisher retry) is dropped by the stream.
  assert.deepEqual(await publishPayments(nc, names, messages.slice(0, 5)), { published: 0, duplicates: 5 });

  const decisions = (await readAll(names.decisions, N, 120_000)).map((d) => JSON.parse(d.data) as Decision);
  // Let the consumer drain (redeliveries) and check nothing more arrives.
  const deadline = Date.now() + 30_000;
  for (;;) {
    const c = await jsm.consumers.info(names.payments, names.consumer);
    if ((c.num_pending === 0 && c.num_ack_pending === 0) || Date.now() > deadline) break;
    await new Promise((r) => setTimeout(r, 250));
  }
  assert.equal((await jsm.streams.info(names.decisions)).state.messages, N, "no duplicate decisions");
  const byKey = new Map(decisions.map((d) => [d.key, d]));
  assert.equal(byKey.size, N, "every decision under its own key");
  assert.deepEqual([...byKey.keys()].sort(), [...keys].sort(), "none lost");
  assert.equal(new Set(decisions.map((d) => d.worker)).size, 3, "all three workers decided some");
  // What the screening said, by fixture.
  assert.equal(byKey.get("uetr-0")?.decision, "release");
  assert.equal(byKey.get("uetr-1")?.decision, "hold"); // the listed bank's BIC; no asset-freeze terms in this list
  // Hits are per person; with no resolution in the store each entry is its own.
  assert.deepEqual(
    byKey.get("uetr-1")?.hits.map((h) => [h.entity_id, h.referents]),
    [["test_list:rossiya", ["test_list:rossiya"]]],
  );
  assert.equal(byKey.get("uetr-2")?.decision, "release");
  assert.notEqual(byKey.get("uetr-3")?.decision, "release");
  const dead = await readAll(names.dead, poison.length, 10_000);
  assert.equal(dead.length, poison.length);
  assert.ok(
    dead.every((d) => d.reason?.startsWith("INTERDICT_E_")),
    dead.map((d) => d.reason).join("; "),
  );
  const redelivered = decisions.filter((d) => d.delivery > 1).length;
  process.stderr.write(`  ${N} decisions, ${redelivered} after a redelivery\n`);
  // Alerts: every payment not released raised its alerts once, redelivered or not — as many as
  // every other copy of the same fixture (each under its own key), and released ones none.
  const store = new SqliteStore(db);
  const alerts = alertsByKey(alertsOf(store).list({ limit: 10 * N }));
  await store.close();
  const held = decisions.filter((d) => d.decision !== "release").map((d) => d.key);
  assert.deepEqual([...alerts.keys()].sort(), held.sort(), "alerts for exactly the payments not released");
  for (const key of held) {
    const first = `uetr-${Number(key.slice(5)) % PAYMENTS.length}`;
    assert.equal(alerts.get(key), alerts.get(first), `${key} has as many alerts as ${first}`);
  }
  assert.ok(
    decisions.some((d) => d.delivery > 1 && d.decision !== "release") || redelivered === 0,
    "some redelivered payment was held (else the idempotence above proves less)",
  );
  for (const w of workers.slice(1)) w.kill("SIGTERM");
  await Promise.all(
    workers.slice(1).map((w) => new Promise((r) => (w.exitCode !== null ? r(0) : w.once("exit", r)))),
  );
  assert.deepEqual(
    workers.slice(1).map((w) => w.exitCode),
    [0, 0],
    "SIGTERM stops a worker cleanly",
  );
});

it("a worker on a PostgreSQL store screens against a new list version as soon as it is committed", async () => {
  const schemas = testSchemas("wtest");
  const url = schemas.url();
  const pnames = streamNames(`ipg${process.pid}`);
  const store = await PostgresStore.open(url);
  try {
    const w1 = await store.beginVersion("test_list", { version: "v1" });
    const other = makeEntity("Company", "test_list:other", "test_list");
    add(other, "name", "Unrelated Trading Company");
    await w1.put(other);
    await w1.commit();
    await ensureStreams(await jetstreamManager(nc), pnames);
    let reloaded: () => void = () => {};
    const reload = new Promise<void>((r) => {
      reloaded = r;
    });
    const worker = await startWorker(url, `ipg${process.pid}`, (line) => {
      if (line.includes("new list version")) reloaded();
    });
    const payment = PAYMENTS[1] as (typeof PAYMENTS)[0]; // Bank Rossiya's BIC as creditor agent
    await publishPayments(nc, pnames, [{ ...payment, key: "before" }]);
    await readAll(pnames.decisions, 1, 30_000); // decided on v1 before v2 exists
    const w2 = await store.beginVersion("test_list", { version: "v2" });
    const bank = makeEntity("Company", "test_list:rossiya", "test_list");
    add(bank, "name", "Bank Rossiya");
    add(bank, "swiftBic", "ROSYRU2P");
    await w2.put(bank);
    await w2.commit();
    await reload;
    await publishPayments(nc, pnames, [{ ...payment, key: "after" }]);
    const decisions = (await readAll(pnames.decisions, 2, 30_000)).map((d) => JSON.parse(d.data) as Decision);
    assert.deepEqual(
      decisions.map((d) => [d.key, d.decision]),
      [
        ["before", "release"],
        ["after", "hold"],
      ],
    );
    // The hold raised its alert in the shared book, under the payment's key; the release none.
    const alerts = alertsByKey(await new PgAlertBook(store).list({ limit: 100 }));
    assert.deepEqual([...alerts.keys()], ["after"]);
    worker.kill("SIGTERM");
  } finally {
    await deleteStreams(await jetstreamManager(nc), pnames);
    await store.close();
    await schemas.drop();
  }
});
