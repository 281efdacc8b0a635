// The designation registry on PostgreSQL (127.0.0.1:5432, database test, or INTERDICT_TEST_PG),
// each test in its own schema, dropped after. The same flow runs on the SQLite Registry and on
// PgRegistry through the one RegistryBook interface: draft → proposed → refused to its proposer
// → approved by another user → published and enforced by the service's engine → petition
// granted → published again and cleared, with the same history and annual report. On PG: the
// CLI contract as real processes (`interdict designations …` then `interdict match`); two stores
// (two replicas' pools) approving one proposal at once (one wins), creating cases at once
// (distinct ids) and publishing at once (each case published once); the audit chain verifies
// and holds one entry per registry event.

import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, it } from "node:test";
import { auditTrailOf } from "../src/audit/log-pg.js";
import {
  annualReport,
  PgRegistry,
  publish,
  type RegistryBook,
  sqliteRegistryOf,
} from "../src/registry/index.js";
import { Engine } from "../src/service/engine.js";
import { currentVersions } from "../src/service/live.js";
import { PostgresStore } from "../src/store/postgres.js";
import { SqliteStore } from "../src/store/sqlite.js";
import type { Store } from "../src/store/store.js";
import { testSchemas } from "./_pg.js";

const schemas = testSchemas("registry");
const stores: Store[] = [];

const torturer = {
  subject: {
    schema: "Person",
    properties: {
      name: ["Viktor Sergeyevich Oblomkin", "Виктор Сергеевич Обломкин"],
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
      file: { name: "report.txt", bytes: new TextEncoder().encode("witness statements") },
    },
  ],
};

const named = (name: string) => ({
  ...torturer,
  subject: { schema: "Person", properties: { name: [name] } },
});

async function pgStores(n: number, poolSize = 3): Promise<{ url: string; stores: PostgresStore[] }> {
  const url = schemas.url();
  const mine: PostgresStore[] = [];
  for (let i = 0; i < n; i++) mine.push(await PostgresStore.open(url, { poolSize }));
  stores.push(...mine);
  return { url, stores: mine };
}

afterEach(async () => {
  await Promise.all(stores.splice(0).map((s) => s.close()));
  await schemas.drop();
});

const visaOf = async (store: Store) =>
  (await Engine.build(store, await currentVersions(store))).visa({
    names: ["Viktor Oblomkin"],
    birthDate: "1968-05-14",
    nationalities: ["ru"],
    passport: { number: "4509112233" },
  });

/** The flow, on either registry; its history and report, to compare across stores. */
async function flow(reg: RegistryBook, store: Store, setDay: (d: string) => void) {
  await assert.rejects(
    async () => reg.create({ ...torturer, authority: "us-nowhere" }, "alice"),
    /unknown legal basis/,
  );
  const draft = await reg.create({ ...torturer, statement_of_reasons: "", evidence: [] }, "alice");
  await assert.rejects(async () => reg.propose(draft.id, "alice"), /incomplete.*statement_of_reasons/);

  const c = await reg.create(torturer, "alice");
  assert.equal(c.status, "draft");
  assert.equal(c.evidence[0]?.size, 18);
  assert.equal(
    (await reg.file(c.evidence[0]?.sha256 ?? ""))?.bytes.toString(),
    "witness statements",
    "the evidence file comes back byte for byte",
  );
  await reg.propose(c.id, "alice");
  await assert.rejects(async () => reg.approve(c.id, "alice"), /different user must approve/);
  assert.equal((await reg.approve(c.id, "bob")).status, "approved");
  assert.equal((await visaOf(store)).decision, "clear");
  const pub = await publish(reg, store, "bob");
  assert.deepEqual(pub.listed, [c.id]);
  assert.equal(pub.summary.added, 2);
  assert.equal((await reg.get(c.id)).status, "published");
  assert.equal((await visaOf(store)).decision, "refuse");

  setDay("2026-06-10");
  const p = await reg.petition(
    `registry:${c.id}`,
    { petitioner: "V. Oblomkin", grounds: ["changed circumstances"], statement: "Retired in 2025." },
    "clerk",
  );
  await reg.correspond(p.id, "out", "Please provide proof of retirement.", "clerk");
  await assert.rejects(async () => reg.decidePetition(p.id, "granted", "", "bob"), /in writing/);
  await reg.decidePetition(p.id, "granted", "Retirement verified.", "bob");
  assert.equal((await reg.get(c.id)).status, "delisted");
  const again = await publish(reg, store, "bob");
  assert.deepEqual(again.removed, [c.id]);
  assert.equal((await visaOf(store)).decision, "clear");

  const req = await reg.request(
    { committee: "Senate Foreign Relations", about: "consider X", received_at: "2026-01-05" },
    "clerk",
  );
  assert.equal(req.due_at, "2026-05-05");
  await reg.answerRequest(req.id, "Under review.", "bob");
  await reg.addParty(
    { id: "party:target", schema: "Company", properties: { name: ["Northern Timber Export LLC"] } },
    "analyst",
  );
  const edge = await reg.addEdge(
    { owner: c.id, asset: "party:target", percentage: 60, kind: "ownership" },
    "x",
  );
  assert.equal(edge.owner, `registry:${c.id}`);
  await reg.removeEdge(edge.id, "x");
  await assert.rejects(async () => reg.removeEdge(edge.id, "x"), /no ownership edge/);

  // The 50 % rule: a company 60 % owned by a designee, imported in one step, is blocked.
  const owner = await reg.create(named("Boris Zelenin"), "alice");
  await reg.propose(owner.id, "alice");
  await reg.approve(owner.id, "bob");
  await assert.rejects(
    async () => reg.importOwnership([{ party: { schema: "Company", properties: { name: ["No Id"] } } }], "x"),
    /a party needs an id/,
  );
  const n = await reg.importOwnership(
    [
      { party: { id: "party:holding", schema: "Company", properties: { name: ["Zelenin Holding AG"] } } },
      { edge: { owner: owner.id, asset: "party:holding", percentage: 60, kind: "ownership" } },
    ],
    "analyst",
  );
  assert.equal(n, 1);
  const third = await publish(reg, store, "bob");
  assert.deepEqual(third.listed, [owner.id]);
  assert.deepEqual(
    third.derived.map((f) => f.id),
    ["party:holding"],
  );
  return {
    ids: [draft.id, c.id, p.id, req.id, owner.id],
    history: (await reg.history()).map((h) => `${h.case_id ?? "-"} ${h.actor} ${h.action}`),
    report: annualReport(await reg.list(), await reg.petitions(), { year: 2026 }),
    requests: await reg.requests(),
  };
}

describe("the registry flow on both stores", () => {
  it("gives the same ids, history, report and screening answers on SQLite and PostgreSQL", async () => {
    let clock = new Date("2026-03-02T10:00:00Z");
    const setDay = (d: string) => {
      clock = new Date(`${d}T10:00:00Z`);
    };
    const lite = new SqliteStore(":memory:");
    stores.push(lite);
    const onLite = await flow(sqliteRegistryOf(lite, { now: () => clock }), lite, setDay);

    clock = new Date("2026-03-02T10:00:00Z");
    // A pool of one connection: a publication's lock is held on a connection of its own.
    const { stores: pgs } = await pgStores(1, 1);
    const store = pgs[0] as PostgresStore;
    const onPg = await flow(new PgRegistry(store, { now: () => clock }), store, setDay);

    assert.deepEqual(onPg.ids, ["D-000001", "D-000002", "P-000001", "R-000001", "D-000003"]);
    assert.deepEqual(onPg.ids, onLite.ids);
    assert.deepEqual(onPg.history, onLite.history);
    assert.deepEqual(onPg.report, onLite.report);
    assert.deepEqual(onPg.requests, onLite.requests);
    assert.ok(onPg.history.includes("D-000002 bob delisted"), onPg.history.join("\n"));

    // One audit entry per registry event, in one intact chain.
    const trail = auditTrailOf(store);
    const v = await trail.verify();
    assert.equal(v.ok, true, JSON.stringify(v));
    const entries = await trail.list({ limit: 1000 });
    assert.equal(entries.filter((e) => e.action.startsWith("designation_")).length, onPg.history.length);
  });
});

describe("the registry on PostgreSQL, two replicas", () => {
  it("two approvals of one proposal at once: one wins, one approved step", async () => {
    const {
      stores: [a, b],
    } = await pgStores(2);
    const one = new PgRegistry(a as PostgresStore);
    const two = new PgRegistry(b as PostgresStore);
    const ids: string[] = [];
    for (let i = 0; i < 4; i++) {
      const c = await one.create(named(`Person ${i}`), "alice");
      await one.propose(c.id, "alice");
      ids.push(c.id);
    }
    for (const id of ids) {
      const got = await Promise.allSettled([one.approve(id, "bob"), two.approve(id, "carol")]);
      const won = got.filter((g) => g.status === "fulfilled");
      assert.equal(won.length, 1, `${id}: ${JSON.stringify(got)}`);
      const lost = got.find((g) => g.status === "rejected") as PromiseRejectedResult;
      assert.match(String(lost.reason), /is approved: only a proposed case can be approved/);
      const steps = (await two.history(id)).filter((h) => h.action === "approved");
      assert.equal(steps.length, 1);
      assert.equal((await one.get(id)).approver, steps[0]?.actor);
    }
    const trail = auditTrailOf(a as PostgresStore);
    assert.equal((await trail.list({ action: "designation_approved" })).length, 4);
    assert.equal((await trail.verify()).ok, true);
  });

  it("cases created through two stores at once get distinct ids; publications at once list each once", async () => {
    const {
      stores: [a, b],
    } = await pgStores(2);
    const regs = [new PgRegistry(a as PostgresStore), new PgRegistry(b as PostgresStore)];
    const made = await Promise.all(
      Array.from({ length: 20 }, (_, i) => (regs[i % 2] as PgRegistry).create(named(`Person ${i}`), "alice")),
    );
    const ids = made.map((c) => c.id);
    assert.equal(new Set(ids).size, 20, ids.join(" "));
    assert.deepEqual(
      [...ids].sort(),
      Array.from({ length: 20 }, (_, i) => `D-${String(i + 1).padStart(6, "0")}`),
    );
    const [r1, r2] = regs as [PgRegistry, PgRegistry];
    for (const c of made.slice(0, 6)) {
      await r1.propose(c.id, "alice");
      await r2.approve(c.id, "bob");
    }
    const pubs = await Promise.all([
      publish(r1, a as PostgresStore, "bob"),
      publish(r2, b as PostgresStore, "carol"),
    ]);
    // One of them listed the six; the other, after it, found them published already.
    assert.deepEqual(pubs.map((p) => p.listed.length).sort(), [0, 6]);
    const published = (await r1.history()).filter((h) => h.action === "published");
    assert.equal(published.length, 6);
    assert.equal((await r2.list({ status: "published" })).length, 6);
    const v = await auditTrailOf(b as PostgresStore).verify();
    assert.equal(v.ok, true, JSON.stringify(v));
  });
});

describe("interdict designations on --db postgres:// (CLI contract)", () => {
  it("create → propose → approve by another user → publish, found by match; delist + publish, gone", async () => {
    const { url } = await pgStores(1);
    const run = (args: string[]) => {
      const r = spawnSync(process.execPath, ["bin/interdict.js", "--db", url, "--quiet", ...args], {
        encoding: "utf8",
        timeout: 60_000,
      });
      return { code: r.status, out: r.stdout, err: r.stderr };
    };
    const file = join(mkdtempSync(join(tmpdir(), "registry-pg-")), "case.json");
    writeFileSync(
      file,
      JSON.stringify(torturer, (k, v) => (k === "file" ? undefined : v)),
    );
    const created = run(["designations", "create", file, "--user", "alice", "--json"]);
    assert.equal(created.code, 0, created.err);
    const { id } = JSON.parse(created.out) as { id: string };
    assert.equal(id, "D-000001");
    assert.equal(run(["designations", "propose", id, "--user", "alice"]).code, 0);
    const same = run(["designations", "approve", id, "--user", "alice"]);
    assert.equal(same.code, 8, "a rule refusing the user exits 8");
    assert.match(same.err, /different user/);
    assert.equal(run(["designations", "approve", id, "--user", "bob"]).code, 0);
    const pub = run(["designations", "publish", "--user", "bob", "--json"]);
    assert.equal(pub.code, 0, pub.err);
    assert.equal(JSON.parse(pub.out).version.dataset, "registry");
    const found = run(["match", "Viktor Oblomkin", "--json"]);
    assert.equal(found.code, 0, found.err);
    assert.ok(
      JSON.parse(found.out).results.some(
        (r: { entity_id: string; match: boolean }) => r.entity_id === `registry:${id}` && r.match,
      ),
      found.out,
    );
    const delisted = run([
      "designations",
      "delist",
      id,
      "--user",
      "bob",
      "--ground",
      "changed circumstances",
    ]);
    assert.equal(delisted.code, 0, delisted.err);
    assert.equal(run(["designations", "publish", "--user", "bob"]).code, 0);
    const after = run(["match", "Viktor Oblomkin", "--json"]);
    const gone = after.code === 0 ? JSON.parse(after.out).results : [];
    assert.ok(after.code === 0 || after.code === 6, after.err);
    assert.ok(!gone.some((r: { entity_id: string }) => r.entity_id === `registry:${id}`), after.out);
    const list = JSON.parse(run(["designations", "list", "--json"]).out);
    assert.equal(list[0].status, "delisted");
    const verified = run(["audit", "verify"]);
    assert.equal(verified.code, 0, verified.err);
    const approvals = run(["audit", "list", "--action", "designation_approved"]);
    assert.match(approvals.out, new RegExp(`bob .*designation_approved.*${id}`));
  });
});
