// Three `interdict serve` replicas (real processes on loopback ports) on one PostgreSQL schema
// (127.0.0.1:5432, database test, or INTERDICT_TEST_PG): a key created once by `interdict keys`
// works on all three; a list version ingested by a separate `interdict ingest` is served by all
// three with polling off (LISTEN/NOTIFY only); each screening is recorded once in the shared
// record, readable through any replica; a key revoked once is refused by all three. Then alerts
// decided through all three at once: fifteen concurrent decisions on one alert are one 200 and
// fourteen 409s, several alerts decided through every replica at once are each decided once,
// and the shared audit chain has exactly one entry per decision and verifies (`interdict audit
// verify --db postgres://…`). Then four-eyes: a true match proposed through replica 1 and
// confirmed through replicas 2 and 3 at once by two admin keys is one 200, one decision, one
// blocked property row and one confirmation entry, the chain still valid. The schema is
// dropped and every process stopped at the end.

import assert from "node:assert/strict";
import { type ChildProcess, execFile, spawn } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, it } from "node:test";
import { promisify } from "node:util";
import { PgAuditLog } from "../src/audit/log-pg.js";
import { PgCaseBook } from "../src/cases/cases-pg.js";
import { add, makeEntity } from "../src/model/entity.js";
import { toFtm } from "../src/model/ftm.js";
import type { Finding } from "../src/monitor/alerts.js";
import { PgAlertBook } from "../src/monitor/alerts-pg.js";
import { PgKeyStore } from "../src/service/records-pg.js";
import { PostgresStore } from "../src/store/postgres.js";
import { testSchemas } from "./_pg.js";

const schemas = testSchemas("replicas");
const DB = schemas.url();
const run = promisify(execFile);
const dir = mkdtempSync(join(tmpdir(), "interdict-replicas-"));
const replicas: { child: ChildProcess; url: string }[] = [];

/** A person in the test list, as an FtM line. */
function person(id: string, name: string, birthDate: string): string {
  const e = makeEntity("Person", `test_list:${id}`, "test_list");
  add(e, "name", name);
  add(e, "birthDate", birthDate);
  return JSON.stringify(toFtm(e));
}

const V1 = [person("1", "Pavel Karpov", "1977-08-27"), person("2", "Olga Stepanova", "1962-07-29")];
// The new version lists one more person, in another script than the query.
const V2 = [...V1, person("3", "Дмитрий Клюев", "1967-08-10")];
const NEW_NAME = "Dmitry Klyuev";

function cli(...args: string[]): Promise<{ stdout: string; stderr: string }> {
  return run(process.execPath, ["bin/interdict.js", "--db", DB, ...args], { timeout: 40_000 });
}

/** Starts `interdict serve` on a free port; resolves with its URL once it listens. */
function serve(): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(
    process.execPath,
    ["bin/interdict.js", "--db", DB, "serve", "--port", "0", "--poll-interval", "0", "--log-level", "warn"],
    { stdio: ["ignore", "ignore", "pipe"] },
  );
  return new Promise((resolve, reject) => {
    let err = "";
    child.stderr?.on("data", (d: Buffer) => {
      err += d.toString();
      const m = /Screening service on (http:\/\/[\d.:]+)/.exec(err);
      if (m?.[1]) {
        const r = { child, url: m[1] };
        replicas.push(r);
        resolve(r);
      }
    });
    child.once("exit", (code) => reject(new Error(`serve exited ${code}: ${err}`)));
  });
}

async function waitFor<T>(what: string, probe: () => Promise<T | undefined>, seconds = 30): Promise<T> {
  const end = Date.now() + seconds * 1000;
  for (;;) {
    const v = await probe().catch(() => undefined);
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function match(url: string, key: string, name: string): Promise<{ ids: string[]; screening: string }> {
  const res = await fetch(`${url}/match/default`, {
    method: "POST",
    headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
    body: JSON.stringify({ queries: { q: { schema: "Person", properties: { name: [name] } } } }),
  });
  assert.equal(res.status, 200, `${url}: ${res.status} ${await res.clone().text()}`);
  const body = (await res.json()) as {
    responses: { q: { results: { id: string; match: boolean }[] } };
    screening_id: string;
  };
  return {
    ids: body.responses.q.results.filter((r) => r.match).map((r) => r.id),
    screening: body.screening_id,
  };
}

before(async () => {
  // Version 1 goes in through the store directly (the quickest way to a served list).
  const store = await PostgresStore.open(DB, { poolSize: 1 });
  const w = await store.beginVersion("test_list", { version: "v1" });
  const { fromFtm } = await import("../src/model/ftm.js");
  for (const line of V1) await w.put(fromFtm(JSON.parse(line)));
  await w.commit();
  await store.close();
  writeFileSync(join(dir, "v2.ftm.json"), `${V2.join("\n")}\n`);
});

after(async () => {
  await Promise.all(
    replicas.map(
      ({ child }) =>
        new Promise<void>((resolve) => {
          if (child.exitCode !== null || child.signalCode !== null) return resolve();
          const t = setTimeout(() => child.kill("SIGKILL"), 10_000);
          child.once("exit", () => {
            clearTimeout(t);
            resolve();
          });
          child.kill("SIGTERM");
        }),
    ),
  );
  await schemas.drop();
});

it("three serve replicas on one PostgreSQL: one key, one ingest, all three serve the new version and share one record", async () => {
  const { stdout } = await cli("keys", "create", "--role", "analyst", "--name", "replicas test", "--json");
  const { id: keyId, key } = JSON.parse(stdout) as { id: string; key: string };
  const [a, b, c] = await Promise.all([serve(), serve(), serve()]);
  const all = [a, b, c].map((r) => r?.url ?? "");
  for (const url of all) {
    await waitFor(`${url}/readyz`, async () => ((await fetch(`${url}/readyz`)).ok ? true : undefined));
  }
  const started = new Date().toISOString();

  // Version 1 everywhere, with the key made once.
  const screenings: string[] = [];
  for (const url of all) {
    const r = await match(url, key, "Pavel Karpov");
    assert.deepEqual(r.ids, ["test_list:1"], url);
    screenings.push(r.screening);
    assert.deepEqual((await match(url, key, NEW_NAME)).ids, [], `${url} before the ingest`);
  }

  // Version 2 through a separate process; nobody polls, so only NOTIFY can bring it.
  const { stdout: ingested } = await cli("ingest", "--dataset", "test_list", "--version", "v2", dir);
  assert.match(ingested, /test_list\s+v2\s+ftm-json\s+3\s+1\s+0\s+0/);
  const t0 = Date.now();
  const seconds: number[] = [];
  for (const url of all) {
    await waitFor(`${url} to serve v2`, async () =>
      (await match(url, key, NEW_NAME)).ids.includes("test_list:3") ? true : undefined,
    );
    seconds.push((Date.now() - t0) / 1000);
  }
  process.stderr.write(`replicas serving v2 after ${seconds.map((s) => `${s.toFixed(2)} s`).join(", ")}\n`);
  for (const url of all) {
    const r = await match(url, key, NEW_NAME);
    assert.deepEqual(r.ids, ["test_list:3"], url);
    screenings.push(r.screening);
  }

  // One shared record: the screenings answered by each replica, read through another.
  for (const [i, url] of all.entries()) {
    const res = await fetch(`${url}/screenings?from=${encodeURIComponent(started)}`, {
      headers: { authorization: `Bearer ${key}` },
    });
    assert.equal(res.status, 200);
    const ids = new Set(
      (await res.text())
        .trim()
        .split("\n")
        .map((l) => (JSON.parse(l) as { id: string }).id),
    );
    for (const s of screenings) assert.ok(ids.has(s), `screening ${s} not readable through replica ${i}`);
    const one = await fetch(`${url}/screenings/${screenings[(i + 1) % screenings.length]}`, {
      headers: { authorization: `Bearer ${key}` },
    });
    assert.equal(one.status, 200);
  }

  // Revoked once, refused everywhere at once (keys are looked up per request, never cached).
  await cli("keys", "revoke", keyId);
  for (const url of all) {
    const res = await fetch(`${url}/match/default`, {
      method: "POST",
      headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
      body: JSON.stringify({ queries: { q: { schema: "Person", properties: { name: ["Pavel Karpov"] } } } }),
    });
    assert.equal(res.status, 401, url);
  }
  const { stdout: listed } = await cli("keys", "list", "--json");
  const keys = JSON.parse(listed) as { id: string; revokedAt: string | null }[];
  assert.equal(keys.length, 1);
  assert.ok(keys[0]?.revokedAt);
});

/** A potential match of customer `n`, as monitoring would raise it. */
const finding = (n: number): Finding => ({
  subjectId: `cust-${n}`,
  subjectHash: "s1",
  subjectName: `Customer ${n}`,
  entityId: "test_list:1",
  entityHash: "e1",
  caption: "Pavel Karpov",
  schema: "Person",
  datasets: ["test_list"],
  programs: ["TEST"],
  score: 0.9,
  explanation: [],
});

async function decide(url: string, key: string, id: number, note: string) {
  const res = await fetch(`${url}/alerts/${id}/decision`, {
    method: "POST",
    headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
    body: JSON.stringify({ decision: "clear", note }),
  });
  return {
    status: res.status,
    body: (await res.json()) as { detail?: string; analyst?: string; note?: string },
  };
}

it("decisions through three replicas at once: one per alert, one audit entry each, the chain valid", async () => {
  assert.equal(replicas.length, 3, "the replicas of the test above");
  const all = replicas.map((r) => r.url);
  const store = await PostgresStore.open(DB, { poolSize: 2 });
  try {
    const book = new PgAlertBook(store);
    const keyStore = new PgKeyStore(store);
    // One analyst key per replica's caller, so the winner is known by name.
    const keys = await Promise.all(all.map((_, i) => keyStore.create("analyst", `desk-${i}`)));
    assert.equal((await book.raise([1, 2, 3, 4, 5, 6, 7].map(finding), "test")).raised, 7);
    const [one, ...several] = (await book.list({ status: "open" })).map((a) => a.id);
    assert.ok(one);

    // One alert, five decisions through each replica, all at once.
    const shots = await Promise.all(
      all.flatMap((url, i) =>
        [0, 1, 2, 3, 4].map((j) => decide(url, keys[i]?.key ?? "", one, `replica ${i} shot ${j}`)),
      ),
    );
    const won = shots.filter((s) => s.status === 200);
    const refused = shots.filter((s) => s.status === 409);
    assert.equal(won.length, 1, JSON.stringify(shots.map((s) => s.status)));
    assert.equal(refused.length, 14, JSON.stringify(shots.map((s) => s.status)));
    const winner = won[0]?.body.analyst ?? "";
    for (const r of refused)
      assert.match(r.body.detail ?? "", new RegExp(`already decided: clear by ${winner} at`));
    const decided = await book.get(one);
    assert.equal(decided?.status, "decided");
    assert.equal(decided?.analyst, winner);
    assert.equal(decided?.note, won[0]?.body.note);

    // Six alerts, each decided through every replica at once.
    const rounds = await Promise.all(
      several.flatMap((id) =>
        all.map((url, i) => decide(url, keys[i]?.key ?? "", id, `alert ${id} via ${i}`)),
      ),
    );
    for (const id of several) {
      const mine = rounds.filter((_, k) => several[Math.floor(k / all.length)] === id);
      assert.deepEqual(mine.map((r) => r.status).sort(), [200, 409, 409], `alert ${id}`);
    }
    assert.deepEqual(await book.counts(), { open: 0, decided: 7 });

    // The audit chain: one decision entry per alert, no fork, nothing lost.
    const log = new PgAuditLog(store);
    const entries = (await log.list({ action: "decision_confirmed", limit: 1000 })).map((e) => e.detail);
    assert.deepEqual(
      entries.map((d) => d.alert as number).sort((a, b) => a - b),
      [one, ...several].sort((a, b) => a - b),
    );
    const [entry] = entries.filter((d) => d.alert === one);
    assert.equal(entry?.via, "api");
    assert.equal(entry?.note, decided?.note);
    const verified = await log.verify();
    assert.equal(verified.ok, true, JSON.stringify(verified));
    const { stdout } = await cli("audit", "verify");
    assert.equal(stdout.trim(), `audit log intact: ${verified.entries} entries`);
    process.stderr.write(
      `decisions: 15 concurrent on one alert → ${won.length}×200, ${refused.length}×409; ${several.length} alerts × 3 replicas → one decision each; audit ${verified.entries} entries, chain intact\n`,
    );
  } finally {
    await store.close();
  }
});

async function post(url: string, key: string, body: unknown) {
  const res = await fetch(url, {
    method: "POST",
    headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

it("four-eyes across replicas: proposed through one, confirmed through two at once, decided once with one register row", async () => {
  assert.equal(replicas.length, 3, "the replicas of the tests above");
  const [r1, r2, r3] = replicas.map((r) => r.url) as [string, string, string];
  const store = await PostgresStore.open(DB, { poolSize: 2 });
  try {
    const cases = new PgCaseBook(store);
    const keyStore = new PgKeyStore(store);
    const analyst = await keyStore.create("analyst", "desk-analyst");
    const chiefs = await Promise.all([
      keyStore.create("admin", "chief-2"),
      keyStore.create("admin", "chief-3"),
    ]);
    assert.equal((await cases.alerts.raise([finding(20)], "test")).raised, 1);
    const [alert] = await cases.alerts.forSubject("cust-20");
    const id = alert?.id ?? 0;
    const log = new PgAuditLog(store);
    const before = (await log.verify()).entries;

    const proposed = await post(`${r1}/alerts/${id}/propose`, analyst.key, {
      decision: "true_match",
      note: "same birth date and passport",
      details: { consequence: "block", value: 5000, currency: "eur", location: "Account 1234" },
    });
    assert.equal(proposed.status, 202, JSON.stringify(proposed.body));
    const self = await post(`${r2}/alerts/${id}/confirm`, analyst.key, { accept: true });
    assert.equal(self.status, 403);
    assert.match(String(self.body.detail), /nobody confirms their own decision/);

    // Three confirmations through each of replicas 2 and 3, all at once.
    const shots = await Promise.all(
      [r2, r3].flatMap((url, i) =>
        [0, 1, 2].map((j) =>
          post(`${url}/alerts/${id}/confirm`, chiefs[i]?.key ?? "", { accept: true, note: `${i}.${j}` }),
        ),
      ),
    );
    const statuses = shots.map((s) => s.status);
    assert.deepEqual(
      statuses.filter((s) => s === 200).length,
      1,
      JSON.stringify(shots.map((s) => [s.status, s.body.detail])),
    );
    assert.equal(statuses.filter((s) => s === 409).length, 5, JSON.stringify(statuses));
    for (const s of shots.filter((x) => x.status === 409))
      assert.match(String(s.body.detail), /already decided: true_match by desk-analyst/);
    const decided = await cases.alert(id);
    assert.deepEqual(
      [decided.status, decided.decision, decided.analyst],
      ["decided", "true_match", "desk-analyst"],
    );

    const rows = (await cases.blockedProperty()).filter((p) => p.alertId === id);
    assert.equal(rows.length, 1);
    assert.deepEqual([rows[0]?.value, rows[0]?.currency, rows[0]?.location], [5000, "EUR", "Account 1234"]);
    const winner = shots.find((s) => s.status === 200);
    assert.match(String(winner?.body.note), new RegExp(`confirmed by ${rows[0]?.confirmedBy}`));

    const mine = (await log.list({ limit: 100 })).filter((e) => e.detail.alert === id).reverse();
    assert.deepEqual(
      mine.map((e) => [e.action, e.actor]),
      [
        ["decision_proposed", "desk-analyst"],
        ["decision_confirmed", rows[0]?.confirmedBy],
      ],
    );
    assert.deepEqual(mine[1]?.detail.register, { blocked_property: rows[0]?.id });
    const verified = await log.verify();
    assert.deepEqual(verified, { ok: true, entries: before + 2 });
    const { stdout } = await cli("audit", "verify");
    assert.equal(stdout.trim(), `audit log intact: ${verified.entries} entries`);
    process.stderr.write(
      `four-eyes: 6 concurrent confirmations through 2 replicas → ${statuses.filter((s) => s === 200).length}×200, ${statuses.filter((s) => s === 409).length}×409; 1 blocked property row; audit ${verified.entries} entries, chain intact\n`,
    );
  } finally {
    await store.close();
  }
});
