// The `interdict` command as a user runs it: a real process, a real store file, real lists.

import assert from "node:assert/strict";
import { spawn, spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { before, describe, it } from "node:test";
import { serveFolder } from "./_serve.js";

const LISTS = "../shared/data/lists";

function run(db: string, args: string[], env: Record<string, string> = {}) {
  const r = spawnSync(process.execPath, ["bin/interdict.js", "--db", db, "--quiet", ...args], {
    encoding: "utf8",
    env: { ...process.env, INTERDICT_MIRROR: "", ...env },
    timeout: 120_000,
    maxBuffer: 256 * 1024 * 1024,
  });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

const freshDb = (): string => join(mkdtempSync(join(tmpdir(), "interdict-cli-")), "interdict.db");

/** A loopback port nothing listens on: it stands in for an unreachable site. */
async function closedPort(): Promise<number> {
  const server = createServer().listen(0, "127.0.0.1");
  await new Promise((r) => server.once("listening", r));
  const { port } = server.address() as { port: number };
  await new Promise((r) => server.close(r));
  return port;
}

describe("interdict CLI", () => {
  let unreachable = "";
  before(async () => {
    unreachable = `http://127.0.0.1:${await closedPort()}/`;
  });

  it("serve on an empty store with no reachable source says so and shows both ways out", () => {
    const r = run(freshDb(), ["serve"], { INTERDICT_MIRROR: unreachable });
    assert.equal(r.code, 5);
    assert.match(r.err, /could not be reached/);
    assert.match(r.err, /--mirror/);
    assert.match(r.err, /interdict ingest FILE/);
  });

  it("update --mirror DIR loads the newest version of the datasets asked for; a second run is unchanged", () => {
    const db = freshDb();
    const first = run(db, [
      "update",
      "--mirror",
      LISTS,
      "--dataset",
      "un_sc_sanctions",
      "gb_hmt_sanctions",
      "--json",
    ]);
    assert.equal(first.code, 0, first.err);
    const outcomes = JSON.parse(first.out) as { dataset: string; result: string; version: string }[];
    assert.deepEqual(
      outcomes.map((o) => [o.dataset, o.result, o.version]),
      [
        ["un_sc_sanctions", "ingested", "2026-02-27"],
        ["gb_hmt_sanctions", "ingested", "2020-04-27"],
      ],
    );
    const again = run(db, ["update", "--mirror", LISTS, "--dataset", "un_sc_sanctions", "--json"]);
    assert.equal(JSON.parse(again.out)[0].result, "unchanged");
    const served = run(db, ["serve", "--check"]);
    assert.equal(served.code, 0, served.err);
    assert.match(served.out, /from 2 datasets loaded/);
  });

  it("update --mirror URL downloads from a mirror server and ingests", async () => {
    const mirror = await serveFolder(LISTS);
    try {
      const db = freshDb();
      // The server runs in this process, so the command must run beside it, not block it.
      const child = spawn(
        process.execPath,
        [
          "bin/interdict.js",
          "--db",
          db,
          "--quiet",
          "update",
          "--mirror",
          mirror.url,
          "--dataset",
          "us_ofac_cons",
          "--json",
        ],
        { env: { ...process.env, INTERDICT_MIRROR: "" } },
      );
      let out = "";
      child.stdout.on("data", (c) => {
        out += c;
      });
      const code = await new Promise((r) => child.on("close", r));
      assert.equal(code, 0);
      const [outcome] = JSON.parse(out);
      assert.equal(outcome.result, "ingested");
      assert.equal(outcome.version, "2025-12-19");
      assert.equal(outcome.source, mirror.url);
      const datasets = JSON.parse(run(db, ["datasets", "--json"]).out);
      assert.equal(datasets[0].current.meta.downloadedFrom, mirror.url);
    } finally {
      await mirror.close();
    }
  });

  it("ingest, datasets, entity, export and diff work together", () => {
    const db = freshDb();
    const ingest = run(db, ["ingest", `${LISTS}/un_sc_sanctions/2018-10-29`]);
    assert.equal(ingest.code, 0, ingest.err);
    assert.equal(run(db, ["ingest", `${LISTS}/un_sc_sanctions/2026-02-27`, "--force"]).code, 0);

    const datasets = JSON.parse(run(db, ["datasets", "--json"]).out);
    assert.equal(datasets[0].name, "un_sc_sanctions");
    assert.equal(datasets[0].current.version, "2026-02-27");
    assert.equal(datasets[0].current.counts.Person, 730);

    const entity = JSON.parse(run(db, ["entity", "un_sc_sanctions:QDi.237", "--json"]).out);
    assert.equal(entity.schema, "Person");
    assert.ok(entity.source, "the UN's own record is kept");

    const missing = run(db, ["entity", "un_sc_sanctions:nope"]);
    assert.equal(missing.code, 6);
    assert.match(missing.err, /no entity un_sc_sanctions:nope/);

    const ftm = run(db, ["export", "--dataset", "un_sc_sanctions"]).out.trim().split("\n");
    assert.equal(ftm.length, datasets[0].current.entityCount);
    assert.equal(JSON.parse(ftm[0] ?? "{}").datasets[0], "un_sc_sanctions");
    const csv = run(db, ["export", "--format", "csv"]).out.trim().split("\n");
    assert.equal(csv[0], "id,schema,name,aliases,birth_date,countries,identifiers,datasets");

    const diff = run(db, ["diff", "un_sc_sanctions", "--schema", "Person", "--json"])
      .out.trim()
      .split("\n")
      .map((l) => JSON.parse(l) as { change: string; id: string });
    assert.ok(diff.some((d) => d.change === "added"));
    assert.ok(diff.some((d) => d.change === "removed"));
    const versions = run(db, ["versions", "un_sc_sanctions"]);
    assert.match(versions.out, /2018-10-29\s+superseded/);
  });

  it("a bad file exits non-zero with the file and line, and the store keeps its version", () => {
    const db = freshDb();
    run(db, ["ingest", `${LISTS}/un_sc_sanctions/2026-02-27`]);
    const bad = run(db, [
      "ingest",
      "../shared/data/fixtures/un_sc_sanctions/malformed-2024-10-16/consolidated.xml",
    ]);
    assert.equal(bad.code, 3);
    assert.match(
      bad.err,
      /malformed-2024-10-16\/consolidated\.xml:39788: not well-formed XML: unescaped "&"/,
    );
    const datasets = JSON.parse(run(db, ["datasets", "--json"]).out);
    assert.equal(datasets[0].current.version, "2026-02-27");
  });

  it("match, score-pairs and screen: explained results, rows in order, bad rows reported by line", () => {
    const db = freshDb();
    run(db, ["ingest", `${LISTS}/un_sc_sanctions/2026-02-27`]);
    const m = run(db, ["match", "Abdul Haq Wasiq", "--schema", "Person"]);
    assert.equal(m.code, 0, m.err);
    assert.match(m.out, /^MATCH 1\.000 +ABDUL-HAQ WASSIQ +\(Person, un_sc_sanctions:TAi\.082; Taliban\)/m);
    assert.match(m.out, /name_match 1\.00 × 1: Abdul Haq Wasiq ≈/);
    const json = JSON.parse(run(db, ["match", "Abdul Haq Wasiq", "--json", "--limit", "1"]).out);
    assert.equal(json.results[0].entity_id, "un_sc_sanctions:TAi.082");

    const dir = mkdtempSync(join(tmpdir(), "interdict-batch-"));
    const pairs = join(dir, "pairs.csv");
    writeFileSync(
      pairs,
      'name1,name2,schema,note\nPavel Karpov,"KARPOV, Pavel",Person,a\nVladimir Putin,,Person,b\n',
    );
    const scored = run(db, ["score-pairs", pairs]);
    assert.equal(
      scored.out,
      'name1,name2,schema,note,score,match\nPavel Karpov,"KARPOV, Pavel",Person,a,1.0000,true\n',
    );
    assert.match(scored.err, /pairs\.csv:3: skipped: name1 or name2 is empty/);

    const subjects = join(dir, "subjects.csv");
    writeFileSync(
      subjects,
      "id,full_name,date_of_birth,nationality\nc1,Abdul Haq Wasiq,,\nc2,,,\nc3,Jane Average,1990-01-01,Norway\nc4,Someone,not a date,\n",
    );
    for (const workers of ["0", "2"]) {
      const out = join(dir, `out-${workers}.jsonl`);
      const r = run(db, ["screen", subjects, "--out", out, "--workers", workers, "--limit", "2"]);
      assert.equal(r.code, 0, r.err);
      const lines = readFileSync(out, "utf8")
        .trim()
        .split("\n")
        .map((l) => JSON.parse(l));
      assert.deepEqual(
        lines.map((l) => l.id),
        ["c1", "c3"],
      );
      assert.equal(lines[0].matches[0].entity_id, "un_sc_sanctions:TAi.082");
      assert.equal(lines[0].matches[0].match, true);
      assert.ok(lines[1].matches.every((x: { match: boolean }) => !x.match));
      assert.match(r.err, /subjects\.csv:3: skipped: no name/);
      assert.match(r.err, /subjects\.csv:5: skipped: birth_date "not a date" is not a date/);
    }
  });

  it("--help explains each command with examples", () => {
    const r = run(freshDb(), ["ingest", "--help"]);
    assert.match(r.out, /--dataset <name>/);
    assert.match(r.out, /Examples:/);
  });
});
