// The register, monitoring and lookback commands on a PostgreSQL store (127.0.0.1:5432, database
// test, or INTERDICT_TEST_PG; a schema of its own, dropped after), run as a user runs them:
// `--db postgres://…`. A list ingested, Karpov and a stranger imported, `monitor --once` raises one
// alert (Karpov) that `interdict alerts` reads from the shared book, a second round raises nothing,
// a changed list version ingested is re-screened by the ingest hook, and lookback re-screens a
// screening the service recorded on the same database.

import assert from "node:assert/strict";
import { spawn, spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import { serviceRecords } from "../src/service/records-pg.js";
import { PostgresStore } from "../src/store/postgres.js";
import { testSchemas } from "./_pg.js";

const schemas = testSchemas("monpgcli");
const URL = schemas.url();
const SDN = "src/service/fixtures/us_ofac_sdn.ftm.json";
const dir = mkdtempSync(join(tmpdir(), "interdict-monitor-pg-cli-"));

after(async () => {
  await schemas.drop();
});

function run(...args: string[]) {
  const r = spawnSync(process.execPath, ["bin/interdict.js", "--db", URL, "--quiet", ...args], {
    encoding: "utf8",
    timeout: 120_000,
  });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

function ok(...args: string[]): string {
  const r = run(...args);
  assert.equal(r.code, 0, `interdict ${args.join(" ")}: ${r.err}`);
  return r.out;
}

/** A command in a child process of its own, running alongside others. */
function runAsync(...args: string[]): Promise<{ code: number | null; out: string; err: string }> {
  return new Promise((done) => {
    const child = spawn(process.execPath, ["bin/interdict.js", "--db", URL, "--quiet", ...args]);
    let out = "";
    let err = "";
    child.stdout.on("data", (d: Buffer) => {
      out += d.toString();
    });
    child.stderr.on("data", (d: Buffer) => {
      err += d.toString();
    });
    child.on("close", (code) => done({ code, out, err }));
  });
}

const lines = (text: string) =>
  text
    .trim()
    .split("\n")
    .filter(Boolean)
    .map((l) => JSON.parse(l) as Record<string, unknown>);

describe("subjects, monitor and lookback on PostgreSQL (--db postgres://…)", () => {
  it("import, one alert for Karpov, nothing new on the second round, a changed version re-screened", () => {
    ok("ingest", SDN, "--dataset", "us_ofac_sdn", "--version", "v1");
    const csv = join(dir, "customers.csv");
    writeFileSync(
      csv,
      "id,name,birth_date,country\nk1,Pavel Karpov,1977-08-27,RU\nx1,Jane Stranger,1980-01-01,FR\nbad,,,\n",
    );
    const imported = run("subjects", "import", csv, "--json");
    assert.equal(imported.code, 0, imported.err);
    const result = JSON.parse(imported.out) as { added: number; errors: unknown[]; register: unknown };
    assert.equal(result.added, 2);
    assert.equal(result.errors.length, 1);
    assert.match(imported.err, /customers\.csv:4: skipped: no name/);
    assert.deepEqual(result.register, { subjects: 2, pending: 2, screened: 0 });
    assert.deepEqual(
      lines(ok("subjects", "list", "--json")).map((s) => s.id),
      ["k1", "x1"],
    );

    const first = ok("monitor", "--once", "--no-update");
    assert.match(first, /2 new or changed subjects against the lists: 1 matches: 1 new alerts/);
    assert.match(first, /1 open alerts/);
    const alerts = lines(ok("alerts", "--json"));
    assert.deepEqual(
      alerts.map((a) => [a.subjectId, a.entityId]),
      [["k1", "us_ofac_sdn:15880"]],
    );

    const second = ok("monitor", "--once", "--no-update");
    assert.match(second, /nothing changed since the last round/);
    assert.equal(lines(ok("alerts", "--json")).length, 1);

    // The next version lists the stranger: the ingest hook re-screens it against both subjects.
    const v2 = join(dir, "v2.ftm.json");
    writeFileSync(
      v2,
      `${readFileSync(SDN, "utf8").trim()}\n${JSON.stringify({
        id: "us_ofac_sdn:99001",
        schema: "Person",
        properties: { topics: ["sanction"], name: ["STRANGER, Jane"], birthDate: ["1980-01-01"] },
        datasets: ["us_ofac_sdn"],
        target: true,
      })}\n`,
    );
    ok("ingest", v2, "--dataset", "us_ofac_sdn", "--version", "v2");
    assert.deepEqual(
      lines(ok("alerts", "--json")).map((a) => [a.subjectId, a.entityId, a.reason]),
      [
        ["k1", "us_ofac_sdn:15880", "subject added or changed"],
        ["x1", "us_ofac_sdn:99001", "list change: us_ofac_sdn v1 → v2"],
      ],
    );
    const third = ok("monitor", "--once", "--no-update", "--json");
    assert.deepEqual((JSON.parse(third) as { log: unknown[]; open: number }).log, []);

    // The register's history and alerts, as on SQLite.
    const shown = JSON.parse(ok("subjects", "show", "x1", "--json")) as {
      subject: { screenedAt?: string };
      history: { change: string; source: string }[];
      alerts: { entityId: string }[];
    };
    assert.ok(shown.subject.screenedAt);
    assert.deepEqual(
      shown.history.map((h) => [h.change, h.source]),
      [["added", `${csv}:3`]],
    );
    assert.deepEqual(
      shown.alerts.map((a) => a.entityId),
      ["us_ofac_sdn:99001"],
    );
    assert.match(ok("subjects", "remove", "x1"), /1 removed/);
    const missing = run("subjects", "show", "nobody");
    assert.equal(missing.code, 6);
    assert.match(missing.err, /no subject nobody/);
  });

  it("lookback re-screens the screenings recorded on the same database", async () => {
    const store = await PostgresStore.open(URL, { poolSize: 1 });
    try {
      const { screenings } = serviceRecords(store);
      await screenings.record({
        keyId: null,
        requestDigest: "x",
        listVersions: [],
        decision: "no_match",
        kind: "match",
        endpoint: "POST /match/default",
        results: {
          algorithm: "default",
          threshold: null,
          queries: {
            q1: { query: { schema: "Person", properties: { name: ["Jane Stranger"] } }, results: [] },
          },
        },
      });
      await screenings.record({
        keyId: null,
        requestDigest: "y",
        listVersions: [],
        decision: "no_match",
        kind: "payment",
        endpoint: "POST /screen/payment",
        results: { hits: [] },
      });
    } finally {
      await store.close();
    }
    const r = JSON.parse(ok("lookback", "--since", "2000-01-01", "--json")) as {
      screenings: number;
      notRescreenable: number;
      findings: { entityId: string; verdict: string }[];
    };
    assert.deepEqual([r.screenings, r.notRescreenable], [2, 1]);
    // Listed in v2, before this screening was recorded: a miss.
    assert.deepEqual(
      r.findings.map((f) => [f.entityId, f.verdict]),
      [["us_ofac_sdn:99001", "missed"]],
    );
  });

  it("two monitor --once at the same time: the new subjects screened once, each alert raised once", async () => {
    const csv = join(dir, "more.csv");
    writeFileSync(
      csv,
      "id,name,birth_date,country\nt1,Slobodan Tesic,1958-12-21,RS\nc1,Customer Ordinary,,DE\nc2,Another Ordinary,,FR\n",
    );
    ok("subjects", "import", csv);
    const rounds = await Promise.all([
      runAsync("monitor", "--once", "--no-update", "--json"),
      runAsync("monitor", "--once", "--no-update", "--json"),
    ]);
    for (const r of rounds) assert.equal(r.code, 0, r.err);
    const logs = rounds.map(
      (r) => (JSON.parse(r.out) as { log: { kind: string; detail: { subjects: number } }[] }).log,
    );
    // One round screened the three; the other waited for it and found nothing to do.
    assert.deepEqual(logs.map((l) => l.map((e) => `${e.kind}:${e.detail.subjects}`).join()).sort(), [
      "",
      "subjects:3",
    ]);
    assert.deepEqual(
      lines(ok("alerts", "--json")).map((a) => [a.subjectId, a.entityId]),
      [
        ["k1", "us_ofac_sdn:15880"],
        ["x1", "us_ofac_sdn:99001"],
        ["t1", "us_ofac_sdn:23288"],
      ],
    );
  });
});
