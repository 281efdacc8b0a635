// The audit log on a real PostgreSQL (127.0.0.1:5432, database test, or INTERDICT_TEST_PG): the
// same hashes as the SQLite log for the same events, tampering found where it happened, and
// two pools (two replicas) appending at once keep one unbroken chain. Each test has its own
// schema, dropped at the end.

import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { after, it } from "node:test";
import Database from "better-sqlite3";
import pg from "pg";
import { PG_URL, schemaUrl, testSchemas } from "../../test/_pg.js";
import { PostgresStore } from "../store/postgres.js";
import { AuditLog } from "./log.js";
import { PgAuditLog } from "./log-pg.js";

const schemas = testSchemas("audit");
const stores: PostgresStore[] = [];

after(async () => {
  await Promise.all(stores.map((s) => s.close()));
  await schemas.drop();
});

/** `n` stores (pools) on one new schema, as `n` replicas hold them. */
async function open(n: number): Promise<{ schema: string; stores: PostgresStore[] }> {
  const schema = schemas.name();
  const opened: PostgresStore[] = [];
  for (let i = 0; i < n; i++) opened.push(await PostgresStore.open(schemaUrl(schema), { poolSize: 3 }));
  stores.push(...opened);
  return { schema, stores: opened };
}

const EVENTS = [
  { actor: "system", action: "ingest", detail: { dataset: "us_ofac_sdn", version_id: 1 }, versions: [] },
  { actor: "alice", action: "login", detail: {}, versions: ["us_ofac_sdn@2024-05-03"] },
  {
    actor: "key k1 (gateway)",
    action: "decision_confirmed",
    detail: { alert: 7, decision: "clear", note: "другой человек — different person", four_eyes: false },
    versions: ["us_ofac_sdn@2024-05-03", "gb_hmt_sanctions@2024-05-01"],
  },
  { actor: "bob", action: "comment", detail: { alert: 7, text: "tab\there, NUL-free" }, versions: [] },
] as const;

it("the same events get the same hashes on PostgreSQL as on SQLite, and the chain verifies", async () => {
  const {
    stores: [store],
  } = await open(1);
  const log = new PgAuditLog(store as PostgresStore);
  assert.deepEqual(await log.verify(), { ok: true, entries: 0 });
  const lite = new AuditLog(new Database(":memory:"));
  const at = (i: number) => `2026-11-30T03:00:0${i}.000Z`;
  for (const [i, e] of EVENTS.entries()) {
    const p = await log.append(e.actor, e.action, { ...e.detail }, e.versions, at(i));
    const s = lite.append(e.actor, e.action, { ...e.detail }, e.versions, at(i));
    assert.deepEqual(p, s, `entry ${i + 1}`);
  }
  assert.deepEqual(await log.verify(), { ok: true, entries: 4 });
  const newest = await log.list({ limit: 2 });
  assert.deepEqual(
    newest.map((e) => e.seq),
    [4, 3],
  );
  assert.deepEqual(
    (await log.list({ action: "decision_confirmed" })).map((e) => e.detail.alert),
    [7],
  );
  assert.deepEqual(
    (await log.details("ingest")).map((d) => d.dataset),
    ["us_ofac_sdn"],
  );
});

it("an edited, a removed and a newest-removed entry are each found and named", async () => {
  const {
    schema,
    stores: [store],
  } = await open(1);
  const log = new PgAuditLog(store as PostgresStore);
  for (let i = 1; i <= 6; i++) await log.append("alice", "comment", { n: i });
  assert.deepEqual(await log.verify(), { ok: true, entries: 6 });
  const client = new pg.Client({ connectionString: PG_URL, options: `-c search_path=${schema}` });
  await client.connect();
  try {
    await client.query(`UPDATE audit_log SET detail = '{"n":20}' WHERE seq = 2`);
    const edited = await log.verify();
    assert.equal(edited.ok, false);
    assert.equal(!edited.ok && edited.seq, 2);
    assert.match(!edited.ok ? edited.reason : "", /entry 2 was edited/);
    await client.query(`UPDATE audit_log SET detail = '{"n":2}' WHERE seq = 2`);
    assert.deepEqual(await log.verify(), { ok: true, entries: 6 });

    await client.query("DELETE FROM audit_log WHERE seq = 6");
    const newest = await log.verify();
    assert.equal(newest.ok, false);
    assert.match(!newest.ok ? newest.reason : "", /entries after 5 were removed \(the head says 6\)/);

    await client.query("DELETE FROM audit_log WHERE seq = 3");
    const gap = await log.verify();
    assert.equal(!gap.ok && gap.seq, 3);
    assert.match(!gap.ok ? gap.reason : "", /entry 3 is missing \(next is 4\)/);
    // The command line says the same, with exit 7.
    const cli = spawnSync(
      process.execPath,
      ["bin/interdict.js", "--db", schemaUrl(schema), "audit", "verify"],
      { encoding: "utf8", timeout: 60_000 },
    );
    assert.equal(cli.status, 7, cli.stderr);
    assert.match(cli.stderr, /audit log broken at entry 3: entry 3 is missing \(next is 4\)/);
  } finally {
    await client.end();
  }
});

it("two pools appending at once: one chain, every entry once, in seq order", async () => {
  const { stores: two } = await open(2);
  const [a, b] = two.map((s) => new PgAuditLog(s));
  const N = 40;
  const appended = await Promise.all(
    Array.from({ length: N }, (_, i) =>
      (i % 2 ? (a as PgAuditLog) : (b as PgAuditLog)).append(i % 2 ? "a" : "b", "comment", { n: i }),
    ),
  );
  assert.deepEqual(
    appended.map((e) => e.seq).sort((x, y) => x - y),
    Array.from({ length: N }, (_, i) => i + 1),
  );
  assert.deepEqual(await (a as PgAuditLog).verify(), { ok: true, entries: N });
  const all = await (b as PgAuditLog).list({ limit: 1000 });
  assert.deepEqual(
    all.map((e) => e.detail.n as number).sort((x, y) => x - y),
    Array.from({ length: N }, (_, i) => i),
  );
});

it("catching up from two pools at once records each event once", async () => {
  const { stores: two } = await open(2);
  const [a, b] = two.map((s) => new PgAuditLog(s)) as [PgAuditLog, PgAuditLog];
  const events = (from: number, to: number) =>
    Array.from({ length: to - from }, (_, i) => ({
      actor: "system",
      action: "ingest" as const,
      detail: { version_id: from + i },
    }));
  const [x, y] = await Promise.all([
    a.appendNew("version_id", events(0, 10)),
    b.appendNew("version_id", events(5, 15)),
  ]);
  assert.equal((x?.length ?? 0) + (y?.length ?? 0), 15);
  assert.deepEqual(await a.appendNew("version_id", events(0, 15)), []);
  assert.deepEqual(
    (await b.details("ingest")).map((d) => d.version_id as number).sort((p, q) => p - q),
    Array.from({ length: 15 }, (_, i) => i),
  );
  assert.deepEqual(await b.verify(), { ok: true, entries: 15 });
});
