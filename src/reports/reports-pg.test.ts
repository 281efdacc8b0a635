// The reports on a real PostgreSQL (127.0.0.1:5432, database test, or INTERDICT_TEST_PG) against
// the same reports on SQLite for the same events: four alerts decided through each store's case
// book (two blocks, a rejection, a false positive), then `interdict reports annual|canada|
// blocked|rejected|deadlines --db …` as real processes on the SQLite file and on the PG schema
// print the same bytes; the filed marks are in the schema's report_filed and each report has its
// audit entry in one valid chain. Own schema, dropped at the end.

import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, it } from "node:test";
import { testSchemas } from "../../test/_pg.js";
import { PgAuditLog } from "../audit/log-pg.js";
import type { CaseWork, MatchDetails } from "../cases/cases.js";
import { casesOf } from "../cases/cases.js";
import { pgCasesOf } from "../cases/cases-pg.js";
import { alertsOf, type Finding } from "../monitor/alerts.js";
import { PostgresStore } from "../store/postgres.js";
import { SqliteStore } from "../store/sqlite.js";
import type { User } from "../users/users.js";
import { filedReports } from "./filed.js";

const schemas = testSchemas("reports_pg");
const PG_URL = schemas.url();
const analyst: User = { name: "ana", role: "analyst" };
const supervisor: User = { name: "sue", role: "supervisor" };

let dir: string;
let sqliteFile: string;

const finding = (n: number): Finding => ({
  subjectId: `customer:${n}`,
  subjectHash: `s${n}`,
  subjectName: `Customer ${n}`,
  entityId: `us_ofac_sdn:${n}`,
  entityHash: `e${n}`,
  caption: `Listed, Person ${n}`,
  schema: "Person",
  datasets: ["us_ofac_sdn"],
  programs: ["MAGNIT"],
  score: 0.95,
  explanation: [],
});

/** What happens to alerts 1-4, in order, on either store. */
const EVENTS: (MatchDetails | "false_positive")[] = [
  {
    consequence: "block",
    propertyType: "account",
    location: "Main St branch",
    value: 1500.5,
    currency: "usd",
    date: "2024-06-03",
    reference: "=HYPERLINK(1)",
  },
  { consequence: "reject", value: 99.99, currency: "eur", date: "2024-06-12", reference: "wire 77" },
  "false_positive",
  { consequence: "block", propertyType: "securities", value: 0.1, currency: "USD", date: "2024-08-20" },
];

async function decide(cases: CaseWork, ids: number[]): Promise<void> {
  for (const [i, e] of EVENTS.entries()) {
    const id = ids[i] as number;
    await cases.take(id, analyst);
    if (e === "false_positive") await cases.propose(id, analyst, "false_positive", "another man");
    else await cases.propose(id, analyst, "true_match", "same person", e);
    await cases.confirm(id, supervisor, true, "agreed");
  }
}

function cli(db: string, args: string[]) {
  const r = spawnSync(process.execPath, ["bin/interdict.js", "--db", db, "--quiet", ...args], {
    encoding: "utf8",
    env: { ...process.env, USER: "cli-test" },
    timeout: 60_000,
  });
  assert.equal(r.status, 0, `${db} ${args.join(" ")}: ${r.stderr}`);
  return r.stdout;
}

before(async () => {
  dir = mkdtempSync(join(tmpdir(), "interdict-reports-pg-"));
  sqliteFile = join(dir, "interdict.db");
  const lite = new SqliteStore(sqliteFile);
  alertsOf(lite).raise([1, 2, 3, 4].map(finding), "test");
  await decide(
    casesOf(lite),
    alertsOf(lite)
      .list()
      .map((a) => a.id),
  );
  await lite.close();
  const store = await PostgresStore.open(PG_URL, { poolSize: 2 });
  const cases = pgCasesOf(store);
  await cases.alerts.raise([1, 2, 3, 4].map(finding), "test");
  await decide(
    cases,
    (await cases.alerts.list()).map((a) => a.id),
  );
  await store.close();
});

after(async () => {
  rmSync(dir, { recursive: true, force: true });
  await schemas.drop();
});

it("each report on PostgreSQL is the same bytes as on SQLite for the same events", () => {
  const reports = [
    ["annual", "--year", "2024"],
    ["canada", "--year", "2024", "--quarter", "3"],
    ["blocked"],
    ["rejected"],
  ];
  const rows: number[] = [];
  for (const args of reports) {
    const lite = cli(sqliteFile, ["reports", ...args]);
    const onPg = cli(PG_URL, ["reports", ...args]);
    assert.equal(onPg, lite, args.join(" "));
    rows.push(lite.split("\r\n\r\n")[0]?.split("\r\n").length ?? 0);
  }
  // Header plus: annual one held on 30 June; Q3 both held on 30 September; both blocks; one rejection.
  assert.deepEqual(rows, [2, 3, 3, 2]);
  const annual = cli(PG_URL, ["reports", "annual", "--year", "2024"]);
  assert.match(annual, /Total,USD,1,1500\.50/);
  assert.match(annual, /'=HYPERLINK\(1\)/, "a formula-like cell is quoted as text");
  assert.match(cli(PG_URL, ["reports", "rejected"]), /Total,EUR,1,99\.99/);
});

it("deadlines are the same on both, the reports filed marked so; filed marks and audit on PG", async () => {
  const lite = cli(sqliteFile, ["reports", "deadlines"]);
  const onPg = cli(PG_URL, ["reports", "deadlines"]);
  assert.equal(onPg, lite);
  assert.match(onPg, /Blocked property #1: account of Listed, Person 1 .* filed/);
  assert.match(onPg, /Rejected transaction #1: wire 77 .* filed/);
  const store = await PostgresStore.open(PG_URL, { poolSize: 2 });
  try {
    const filed = await filedReports(store);
    assert.deepEqual(filed.map((f) => [f.kind, f.rows, f.generatedBy]).reverse(), [
      ["annual", 1, "cli-test"],
      ["canada_quarterly", 2, "cli-test"],
      ["blocked_property", 2, "cli-test"],
      ["rejected_transaction", 1, "cli-test"],
      ["annual", 1, "cli-test"],
      ["rejected_transaction", 1, "cli-test"],
    ]);
    const log = new PgAuditLog(store);
    const audited = (await log.details("report")).map((d) => [d.kind, d.sha256]);
    assert.deepEqual(
      audited,
      filed.map((f) => [f.kind, f.sha256]).reverse(),
      "one audit entry per report, naming its hash",
    );
    assert.equal((await log.verify()).ok, true);
  } finally {
    await store.close();
  }
});
