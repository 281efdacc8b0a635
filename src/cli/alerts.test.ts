// `interdict alerts` as a user runs it: on a PostgreSQL store it lists the book every replica and
// payment worker shares (a schema of its own, dropped after); a bad --status or --limit is
// refused by name with exit 2 instead of quietly listing something else.

import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { after, it } from "node:test";
import { testSchemas } from "../../test/_pg.js";
import type { Finding } from "../monitor/alerts.js";
import { PgAlertBook } from "../monitor/alerts-pg.js";
import { PostgresStore } from "../store/postgres.js";

const schemas = testSchemas("alcli");
const url = schemas.url();

after(async () => {
  await schemas.drop();
});

const run = (...args: string[]) =>
  spawnSync(process.execPath, ["bin/interdict.js", "--db", url, "--quiet", "alerts", ...args], {
    encoding: "utf8",
  });

const finding = (n: number): Finding => ({
  subjectId: `payment:uetr-${n}:Dbtr/Nm`,
  subjectHash: "s",
  subjectName: "Bank Rossiya",
  entityId: `us_ofac_sdn:${n}`,
  entityHash: "e",
  caption: "BANK ROSSIYA",
  schema: "Company",
  datasets: ["us_ofac_sdn"],
  programs: ["UKRAINE-EO13661"],
  score: 1,
  explanation: [],
});

it("lists PostgreSQL's shared alert book, open and decided, and pages with --after/--limit", async () => {
  const store = await PostgresStore.open(url, { poolSize: 1 });
  try {
    const book = new PgAlertBook(store);
    await book.raise([1, 2, 3].map(finding), "payment hold");
    const [first] = await book.list();
    await book.decide(first?.id ?? 0, "clear", "desk-1");
  } finally {
    await store.close();
  }
  const open = run("--json");
  assert.equal(open.status, 0, open.stderr);
  const ids = open.stdout
    .trim()
    .split("\n")
    .map((l) => JSON.parse(l).subjectId);
  assert.deepEqual(ids, ["payment:uetr-2:Dbtr/Nm", "payment:uetr-3:Dbtr/Nm"]);
  const decided = run("--status", "decided");
  assert.equal(decided.status, 0, decided.stderr);
  assert.match(decided.stdout, /clear by desk-1/);
  const page = run("--json", "--limit", "1");
  assert.equal(page.stdout.trim().split("\n").length, 1);
});

it("refuses a status or a count it does not know, by name", () => {
  const bad = run("--status", "closed");
  assert.equal(bad.status, 2);
  assert.match(bad.stderr, /--status closed: open or decided/);
  const count = run("--limit", "ten");
  assert.equal(count.status, 2);
  assert.match(count.stderr, /--limit ten: a whole number/);
});
