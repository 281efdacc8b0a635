// `interdict screen` as a long batch: a run killed midway (a child process, SIGKILL) and run
// again resumes from its checkpoint and writes the same bytes as a run never interrupted (made
// here in one thread, the CLI runs on two workers); bad
// rows go to the errors file by line; CSV and XLSX outputs; the register and monitor commands.

import assert from "node:assert/strict";
import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { before, describe, it } from "node:test";
import { parse } from "csv-parse/sync";
import ExcelJS from "exceljs";
import { ingest } from "../src/ingest/ingest.js";
import { runBatch } from "../src/screen/batch/run.js";
import { SqliteStore } from "../src/store/sqlite.js";

const SDN = "../shared/data/lists/us_ofac_sdn/2022-02-17";
const dir = mkdtempSync(join(tmpdir(), "interdict-batch-"));
const db = join(dir, "s.db");

function run(args: string[]) {
  const r = spawnSync(process.execPath, ["bin/interdict.js", "--db", db, "--quiet", ...args], {
    encoding: "utf8",
    timeout: 180_000,
    maxBuffer: 64 * 1024 * 1024,
  });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

/**
 * Subjects made deterministically: list names with their parts swapped, names recombined from
 * two listed persons, invented names; every 97th row has no name and every 89th a bad date.
 */
function subjectsCsv(n: number): string {
  const names = (parse(readFileSync(`${SDN}/SDN.CSV`, "latin1"), { relax_column_count: true }) as string[][])
    .filter((r) => r[2]?.trim() === "individual")
    .map((r) => (r[1] ?? "").split(",").map((s) => s.trim()));
  let seed = 7;
  const rnd = (k: number): number => {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    return seed % k;
  };
  const lines = ["id,name,birth_date,schema"];
  for (let i = 1; i <= n; i++) {
    const a = names[rnd(names.length)] ?? [];
    const b = names[rnd(names.length)] ?? [];
    const name =
      i % 97 === 0
        ? ""
        : i % 3 === 0
          ? `${a[1] ?? ""} ${a[0] ?? ""}`
          : i % 3 === 1
            ? `${b[1]?.split(" ")[0] ?? ""} ${a[0] ?? ""}`
            : `Customer ${["Meyer", "Okafor", "Lindqvist", "Tanaka"][rnd(4)]} ${i}`;
    lines.push(`c${i},"${name.replace(/"/g, "")}",${i % 89 === 0 ? "someday" : ""},Person`);
  }
  return `${lines.join("\n")}\n`;
}

describe("batch screening: resume, errors, formats; register and monitor commands", () => {
  const input = join(dir, "customers.csv");
  before(async () => {
    const store = new SqliteStore(db);
    await ingest(store, [SDN]);
    await store.close();
    writeFileSync(input, subjectsCsv(1500));
  });

  it("a run killed midway resumes where it stopped: the same bytes, no duplicates", async () => {
    // The uninterrupted run, in this process and one thread: the output must not depend on
    // the workers either.
    const a = join(dir, "a.jsonl");
    const store = new SqliteStore(db);
    await runBatch(store, { input, out: a, workers: 0, dbPath: db }).finally(() => store.close());
    assert.ok(!existsSync(`${a}.checkpoint.json`), "no checkpoint left after a finished run");
    const args = ["screen", input, "--workers", "2", "--batch", "20", "--checkpoint-every", "0"];

    const b = join(dir, "b.jsonl");
    const child = spawn(process.execPath, ["bin/interdict.js", "--db", db, "--quiet", ...args, "--out", b], {
      stdio: "ignore",
    });
    const exited = new Promise((r) => child.once("exit", r));
    let rows = 0;
    while (rows < 150) {
      await new Promise((r) => setTimeout(r, 20));
      try {
        rows = JSON.parse(readFileSync(`${b}.checkpoint.json`, "utf8")).rows;
      } catch {
        // not written yet, or being renamed into place
      }
    }
    child.kill("SIGKILL");
    await exited;
    const partial = readFileSync(b, "utf8");
    assert.ok(partial.length < readFileSync(a, "utf8").length, "killed before the end");

    const resumed = run([...args, "--out", b]);
    assert.equal(resumed.code, 0, resumed.err);
    assert.equal(readFileSync(b, "utf8"), readFileSync(a, "utf8"));
    for (const ext of ["errors.csv", "summary.json", "report.html"]) {
      assert.equal(
        readFileSync(join(dir, `b.${ext}`), "utf8"),
        readFileSync(join(dir, `a.${ext}`), "utf8"),
        ext,
      );
    }
    const lines = readFileSync(b, "utf8").trim().split("\n");
    const ids = lines.map((l) => JSON.parse(l).id as string);
    assert.equal(new Set(ids).size, ids.length, "no subject twice");
    assert.equal(ids.length, 1500 - 15 - 16); // 15 rows without a name, 16 with a bad date
  });

  it("bad rows go to the errors file with their line numbers; --resume without a checkpoint is refused", () => {
    const errors = readFileSync(join(dir, "a.errors.csv"), "utf8").trim().split("\n");
    assert.equal(errors[0], "line,problem");
    assert.equal(errors[1], '90,"birth_date ""someday"" is not a date"');
    assert.equal(errors[2], "98,no name (column name or full_name)");
    const summary = JSON.parse(readFileSync(join(dir, "a.summary.json"), "utf8"));
    assert.equal(summary.skipped, errors.length - 1);
    assert.equal(summary.subjects, summary.decisions.alert + summary.decisions.clear);
    assert.ok(summary.decisions.alert > 200, `${summary.decisions.alert} alerts`);
    assert.equal(
      summary.histogram.reduce((n: number, b: { count: number }) => n + b.count, 0),
      summary.subjects,
    );
    const html = readFileSync(join(dir, "a.report.html"), "utf8");
    assert.match(html, /<svg[^>]*>/);
    assert.doesNotMatch(html, /<script|<link|src=/);
    assert.match(html, new RegExp(summary.entities[0].entity_id));
    const r = run(["screen", input, "--out", join(dir, "a.jsonl"), "--resume"]);
    assert.equal(r.code, 2);
    assert.match(r.err, /no checkpoint beside the output/);
  });

  it("writes CSV and XLSX, one row per result", async () => {
    const small = join(dir, "small.jsonl");
    writeFileSync(
      small,
      '{"id":"p1","name":"Pavel Karpov"}\n{"id":"p2","name":"Jane Average","birth_date":"1990"}\n{"id":"p3"}\n',
    );
    const store = new SqliteStore(db);
    try {
      const errors: number[] = [];
      const batch = { input: small, workers: 0, dbPath: db, onError: (line: number) => errors.push(line) };
      await runBatch(store, { ...batch, out: join(dir, "small.csv"), match: { limit: 2 } });
      assert.deepEqual(errors, [3]);
      const rows = parse(readFileSync(join(dir, "small.csv"), "utf8"), { columns: true }) as Record<
        string,
        string
      >[];
      assert.deepEqual(
        rows.map((r) => [r.id, r.decision, r.rank]),
        [
          ["p1", "alert", "1"],
          ["p1", "alert", "2"],
          ["p2", "clear", "1"],
          ["p2", "clear", "2"],
        ],
      );
      assert.equal(rows[0]?.entity_id, "us_ofac_sdn:15880");
      await runBatch(store, { ...batch, out: join(dir, "small.xlsx"), match: { limit: 1 } });
      const wb = new ExcelJS.Workbook();
      await wb.xlsx.readFile(join(dir, "small.xlsx"));
      const sheet = wb.worksheets[0];
      assert.deepEqual(
        [2, 3].map((i) => [sheet?.getRow(i).getCell(1).value, sheet?.getRow(i).getCell(5).value]),
        [
          ["p1", "us_ofac_sdn:15880"],
          ["p2", rows[2]?.entity_id],
        ],
      );
      assert.ok(!existsSync(join(dir, "small.xlsx.part.jsonl")), "the XLSX's spool is removed");
    } finally {
      await store.close();
    }
  });

  it("subjects import, monitor --once --no-update and alerts work together", () => {
    const customers = join(dir, "register.csv");
    writeFileSync(customers, "No,Full Name\n1,Pavel Karpov\n2,Jane Average\n3,\n");
    const imported = run(["subjects", "import", customers, "--map", 'id=No,name="Full Name"', "--json"]);
    assert.equal(imported.code, 0, imported.err);
    assert.deepEqual(JSON.parse(imported.out).register, { subjects: 2, pending: 2, screened: 0 });
    assert.match(imported.err, /register\.csv:4: skipped: no name/);
    const m = run(["monitor", "--once", "--no-update", "--workers", "0"]);
    assert.equal(m.code, 0, m.err);
    assert.match(m.out, /2 new or changed subjects against the lists: 1 matches: 1 new alerts/);
    const alerts = run(["alerts", "--json"])
      .out.trim()
      .split("\n")
      .map((l) => JSON.parse(l));
    assert.deepEqual(
      alerts.map((a) => [a.subjectId, a.entityId]),
      [["1", "us_ofac_sdn:15880"]],
    );
    const shown = run(["subjects", "show", "1"]);
    assert.match(shown.out, /added {2}Pavel Karpov {2}\[.*register\.csv:2\]/);
    assert.match(shown.out, /#1 open {2}1\.000 {2}KARPOV, Pavel/);
  });
});
