// `interdict screen` on a PostgreSQL store (127.0.0.1:5432, database test, or INTERDICT_TEST_PG;
// a schema of its own, dropped after): worker threads open the same database by its URL and find
// what this thread finds. (They once opened the URL as a SQLite path — a new empty file — and
// cleared everyone.)

import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, it } from "node:test";
import { testSchemas } from "../../../test/_pg.js";

const schemas = testSchemas("batchpg");
const url = schemas.url();
let dir: string;

const run = (...args: string[]) =>
  spawnSync(process.execPath, ["bin/interdict.js", "--db", url, "--quiet", ...args], { encoding: "utf8" });

before(() => {
  dir = mkdtempSync(join(tmpdir(), "interdict-batch-pg-"));
  writeFileSync(
    join(dir, "in.csv"),
    "id,name,birth_date\nc-1,Pavel Karpov,1977-08-27\nc-2,Jane Unlisted Nobody,\n",
  );
  const r = run("ingest", "src/service/fixtures/us_ofac_sdn.ftm.json");
  assert.equal(r.status, 0, r.stderr);
});

after(async () => {
  rmSync(dir, { recursive: true, force: true });
  await schemas.drop();
});

it("worker threads and this thread screen against the PostgreSQL lists alike", () => {
  for (const workers of ["1", "0"]) {
    const out = join(dir, `out-${workers}.jsonl`);
    const r = run("screen", join(dir, "in.csv"), "--out", out, "--workers", workers);
    assert.equal(r.status, 0, r.stderr);
    const rows = readFileSync(out, "utf8")
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l));
    assert.deepEqual(
      rows.map((x: { id: string; decision: string }) => [x.id, x.decision]),
      [
        ["c-1", "alert"],
        ["c-2", "clear"],
      ],
      `--workers ${workers}`,
    );
    assert.equal(rows[0].matches[0].entity_id, "us_ofac_sdn:15880");
  }
});
