// Batch screening on persons (issue 6): two list entries that resolution found to be one man are
// one result row, `entity_id` the canonical id and `referents` both entries, with both lists'
// programmes — in worker threads (which load the resolution from the store file) and in this
// thread alike; without a resolution each entry is its own result. Real SQLite file, real
// resolution, `interdict screen` as a user runs it.

import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, it } from "node:test";
import { ingest } from "../../ingest/ingest.js";
import { runResolution } from "../../resolve/run.js";
import { SqliteStore } from "../../store/sqlite.js";

const US = "us_ofac_sdn:15880";
const UK = "gb_fcdo_sanctions:RUS0123";
let dir: string;

function list(dataset: string, id: string, name: string, program: string): string {
  const file = join(dir, `${dataset}.ftm.json`);
  const entities = [
    { id, schema: "Person", properties: { name: [name], birthDate: ["1977-08-27"] }, datasets: [dataset] },
    {
      id: `${id}-sanction`,
      schema: "Sanction",
      properties: { entity: [id], program: [program] },
      datasets: [dataset],
    },
  ];
  writeFileSync(file, `${entities.map((e) => JSON.stringify(e)).join("\n")}\n`);
  return file;
}

async function store(resolved: boolean): Promise<string> {
  const db = join(dir, `lists-${resolved}.db`);
  const s = new SqliteStore(db);
  await ingest(s, [list("us_ofac_sdn", US, "KARPOV, Pavel", "MAGNIT")], { dataset: "us_ofac_sdn" });
  await ingest(s, [list("gb_fcdo_sanctions", UK, "Pavel KARPOV", "Global Human Rights")], {
    dataset: "gb_fcdo_sanctions",
  });
  if (resolved) await runResolution(s);
  await s.close();
  return db;
}

function screen(db: string, workers: number): { matches: Record<string, unknown>[] } {
  const out = join(dir, `out-${workers}-${Math.random().toString(36).slice(2)}.jsonl`);
  const r = spawnSync(
    process.execPath,
    [
      "bin/interdict.js",
      "--db",
      db,
      "--quiet",
      "screen",
      join(dir, "in.csv"),
      "--out",
      out,
      "--workers",
      String(workers),
    ],
    { encoding: "utf8" },
  );
  assert.equal(r.status, 0, r.stderr);
  return JSON.parse(readFileSync(out, "utf8").trim());
}

before(() => {
  dir = mkdtempSync(join(tmpdir(), "interdict-batch-persons-"));
  writeFileSync(join(dir, "in.csv"), "id,name,birth_date\nc-1,Pavel Karpov,1977-08-27\n");
});
after(() => rmSync(dir, { recursive: true, force: true }));

it("one result per person, in worker threads and in this thread", async () => {
  const db = await store(true);
  for (const workers of [1, 0]) {
    const { matches } = screen(db, workers);
    assert.equal(matches.length, 1, `workers ${workers}: ${JSON.stringify(matches)}`);
    const [m] = matches as { entity_id: string; referents: string[]; programs: string[] }[];
    assert.match(m?.entity_id ?? "", /^ik-/);
    assert.deepEqual(m?.referents, [UK, US]);
    assert.deepEqual([...(m?.programs ?? [])].sort(), ["Global Human Rights", "MAGNIT"]);
  }
});

it("without a resolution each list entry is its own result", async () => {
  const { matches } = screen(await store(false), 1);
  assert.deepEqual(
    (matches as { entity_id: string; referents: string[] }[]).map((m) => [m.entity_id, m.referents]).sort(),
    [
      [UK, [UK]],
      [US, [US]],
    ],
  );
});
