// Resolution on a real PostgreSQL (127.0.0.1:5432, database test, or INTERDICT_TEST_PG), through
// the commands (`interdict --db postgres://…`, real processes) on two hand-written lists with one
// man on both and a stranger: `resolve` makes one canonical id with both referents (`entity
// --json`), `match --json` answers one person with both designations, a judgement (`review A B
// different`) survives a re-run, `resolve --undo` splits, two `resolve` at once both succeed and
// leave one consistent result, `coverage --json` and GET /coverage show the man as one designee
// of US and UK (and /ui/coverage two designees), `screen` groups by person in this thread and in
// worker threads. Own schema, dropped at the end.

import assert from "node:assert/strict";
import { spawn, spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import pg from "pg";
import { loadResolution } from "../src/resolve/canonical.js";
import { buildApp } from "../src/service/app.js";
import { loadConfig } from "../src/service/config.js";
import { LiveIndex } from "../src/service/live.js";
import { serviceRecords } from "../src/service/records-pg.js";
import { PostgresStore } from "../src/store/postgres.js";
import { PgUserStore } from "../src/users/users-pg.js";
import { PG_URL, schemaUrl, testSchemas } from "./_pg.js";

const schemas = testSchemas("resolve_pg");
const SCHEMA = schemas.name();
const URL_ = schemaUrl(SCHEMA);
const US = "us_ofac_sdn:15880";
const UK = "gb_fcdo_sanctions:RUS0123";
const OTHER = "us_ofac_sdn:20000";

let dir: string;

function cli(args: string[]) {
  const r = spawnSync(process.execPath, ["bin/interdict.js", "--db", URL_, "--quiet", ...args], {
    encoding: "utf8",
    timeout: 60_000,
  });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

/** The same, without waiting (two at once). */
function cliAsync(args: string[]): Promise<{ code: number | null; out: string; err: string }> {
  return new Promise((resolve) => {
    const p = spawn(process.execPath, ["bin/interdict.js", "--db", URL_, "--quiet", ...args]);
    let out = "";
    let err = "";
    p.stdout.on("data", (d) => {
      out += d;
    });
    p.stderr.on("data", (d) => {
      err += d;
    });
    p.on("close", (code) => resolve({ code, out, err }));
  });
}

const ok = (r: { code: number | null; out: string; err: string }) => {
  assert.equal(r.code, 0, r.err || r.out);
  return r.out;
};

function list(dataset: string, people: { id: string; name: string; program: string }[]): string {
  const file = join(dir, `${dataset}.ftm.json`);
  const entities = people.flatMap((p) => [
    {
      id: p.id,
      schema: "Person",
      properties: { name: [p.name], birthDate: [p.id === OTHER ? "1961-02-03" : "1977-08-27"] },
      datasets: [dataset],
      target: true,
    },
    {
      id: `${p.id}-sanction`,
      schema: "Sanction",
      properties: { entity: [p.id], program: [p.program] },
      datasets: [dataset],
    },
  ]);
  writeFileSync(file, `${entities.map((e) => JSON.stringify(e)).join("\n")}\n`);
  return file;
}

async function sql<R extends pg.QueryResultRow>(text: string): Promise<R[]> {
  const client = new pg.Client({ connectionString: PG_URL, options: `-c search_path=${SCHEMA}` });
  await client.connect();
  try {
    return (await client.query<R>(text)).rows;
  } finally {
    await client.end();
  }
}

before(() => {
  dir = mkdtempSync(join(tmpdir(), "interdict-resolve-pg-"));
  ok(
    cli([
      "ingest",
      list("us_ofac_sdn", [
        { id: US, name: "KARPOV, Pavel", program: "MAGNIT" },
        { id: OTHER, name: "BRANDT, Oskar", program: "SDGT" },
      ]),
      "--dataset",
      "us_ofac_sdn",
    ]),
  );
  ok(
    cli([
      "ingest",
      list("gb_fcdo_sanctions", [
        { id: UK, name: "Pavel KARPOV", program: "The Global Human Rights Sanctions Regulations 2020" },
      ]),
      "--dataset",
      "gb_fcdo_sanctions",
    ]),
  );
});

after(async () => {
  rmSync(dir, { recursive: true, force: true });
  await schemas.drop();
});

describe("resolution on PostgreSQL through the commands", () => {
  let canonical = "";

  it("resolve: one canonical id with both referents; entity --json shows it from either side", async () => {
    const run = JSON.parse(ok(cli(["resolve", "--json"]))) as { counts: Record<string, number> };
    assert.equal(run.counts.merged, 1);
    assert.equal(run.counts.designees, 3);
    const e = JSON.parse(ok(cli(["entity", US, "--json"]))) as { id: string; referents: string[] };
    assert.match(e.id, /^ik-[0-9a-f]{16}$/);
    assert.deepEqual(e.referents, [UK, US].sort());
    canonical = e.id;
    const c = JSON.parse(ok(cli(["entity", canonical, "--json"]))) as {
      referents: string[];
      merges: unknown[];
    };
    assert.deepEqual(c.referents, e.referents);
    assert.equal(c.merges.length, 1);
    const alone = JSON.parse(ok(cli(["entity", OTHER, "--json"]))) as { referents: string[] };
    assert.deepEqual(alone.referents, [OTHER]);
    // The library reads the same from the schema.
    const store = await PostgresStore.open(URL_, { poolSize: 1 });
    const r = await loadResolution(store);
    assert.equal(r.canonicalOf(UK), canonical);
    await store.close();
  });

  it("match --json: one result for the man, with both lists' designations", () => {
    const m = JSON.parse(ok(cli(["match", "Pavel Karpov", "--json"]))) as {
      results: { entity_id: string; referents: string[]; hits: { entity_id: string }[] }[];
    };
    const karpov = m.results.filter((r) => r.referents.includes(US) || r.referents.includes(UK));
    assert.equal(karpov.length, 1, JSON.stringify(m.results.map((r) => r.entity_id)));
    assert.equal(karpov[0]?.entity_id, canonical);
    assert.deepEqual(karpov[0]?.hits.map((h) => h.entity_id).sort(), [UK, US].sort());
  });

  it("screen a file, in this thread and in worker threads: the man is one person with both hits", () => {
    const file = join(dir, "subjects.csv");
    writeFileSync(file, "id,name,birth_date\ncust-1,Pavel Karpov,1977-08-27\n");
    for (const workers of ["0", "1"]) {
      const lines = ok(cli(["screen", file, "--workers", workers]))
        .trim()
        .split("\n")
        .map((l) => JSON.parse(l) as { matches?: { entity_id: string; referents?: string[] }[] });
      const results = lines.flatMap((l) => l.matches ?? []);
      const karpov = results.filter((r) => r.referents?.includes(US));
      assert.equal(karpov.length, 1, `workers ${workers}: ${JSON.stringify(lines)}`);
      assert.equal(karpov[0]?.entity_id, canonical);
      assert.deepEqual(karpov[0]?.referents, [UK, US].sort());
    }
  });

  it("coverage --json and GET /coverage: the man is one designee of US and UK", async () => {
    const rows = ok(cli(["coverage", "--json"]))
      .trim()
      .split("\n")
      .map(
        (l) => JSON.parse(l) as { id: string; referents: string[]; jurisdictions: Record<string, unknown[]> },
      );
    const karpov = rows.filter((r) => r.referents.includes(US));
    assert.equal(karpov.length, 1);
    assert.equal(karpov[0]?.id, canonical);
    assert.ok(
      (karpov[0]?.jurisdictions.US ?? []).length > 0 && (karpov[0]?.jurisdictions.UK ?? []).length > 0,
    );
    assert.equal(rows.length, 2, "the man and the stranger");

    const store = await PostgresStore.open(URL_, { poolSize: 2 });
    const { keys, screenings } = serviceRecords(store);
    const live = new LiveIndex(store, { workers: 0, pollInterval: 0 });
    const config = { ...loadConfig({}, {}), workers: 0, pollInterval: 0, logLevel: "silent" as const };
    const app = await buildApp({ store, live, keys, screenings, config });
    try {
      const key = (await keys.create("analyst", "test")).key;
      const r = await app.inject({
        method: "GET",
        url: "/coverage",
        headers: { authorization: `Bearer ${key}` },
      });
      assert.equal(r.statusCode, 200, r.body);
      const served = r.body
        .trim()
        .split("\n")
        .map((l) => JSON.parse(l) as { id: string; referents: string[] });
      assert.deepEqual(
        served.map((x) => [x.id, x.referents]),
        rows.map((x) => [x.id, x.referents]),
      );
      // The console's map, signed in: two designees (three entries), no "keeps no resolution".
      await new PgUserStore(store, { cost: 2 ** 10 }).create("ana", "analyst", "a long enough password");
      const form = await app.inject({ method: "GET", url: "/" });
      const loginCookie = String(form.headers["set-cookie"]).split(";")[0] ?? "";
      const csrf = /name="_csrf" value="([^"]+)"/.exec(form.body)?.[1] ?? "";
      const signed = await app.inject({
        method: "POST",
        url: "/ui/login",
        headers: { cookie: loginCookie, "content-type": "application/x-www-form-urlencoded" },
        payload: new URLSearchParams({
          _csrf: csrf,
          name: "ana",
          password: "a long enough password",
        }).toString(),
      });
      assert.equal(signed.statusCode, 303, signed.body);
      const cookie = String(signed.headers["set-cookie"] ?? "").split(";")[0] ?? "";
      const page = await app.inject({ method: "GET", url: "/ui/coverage?theme=all", headers: { cookie } });
      assert.equal(page.statusCode, 200, page.body);
      assert.match(page.body, /<strong>2<\/strong> designees/);
      assert.doesNotMatch(page.body, /keeps no resolution/);
    } finally {
      await app.close();
      await live.close();
      await store.close();
    }
  });

  it("a judgement (review A B different) splits the man and survives a re-run; same joins him again", () => {
    const line = JSON.parse(ok(cli(["review", US, UK, "different", "--by", "ana", "--json"]))) as {
      canonical: string[];
    };
    assert.deepEqual(line.canonical, [US, UK]);
    const run = JSON.parse(ok(cli(["resolve", "--json"]))) as { counts: Record<string, number> };
    assert.equal(run.counts.merged, 0, "the judgement kept them apart in a new run");
    const judged = ok(cli(["review", "--judged", "--json"]))
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l) as { judgement: string; author: string });
    assert.deepEqual(
      judged.map((j) => [j.judgement, j.author]),
      [["different", "ana"]],
    );
    const same = JSON.parse(ok(cli(["review", US, UK, "same", "--json"]))) as { canonical: string[] };
    assert.equal(same.canonical[0], same.canonical[1]);
    assert.equal(same.canonical[0], canonical, "the man's id is the one he had");
  });

  it("resolve --undo splits a merge, and a refused undo names the id", () => {
    const out = JSON.parse(ok(cli(["resolve", "--undo", canonical, "--json"]))) as { pairs: number };
    assert.equal(out.pairs, 1);
    const e = JSON.parse(ok(cli(["entity", US, "--json"]))) as { referents: string[] };
    assert.deepEqual(e.referents, [US]);
    const bad = cli(["resolve", "--undo", "ik-0000000000000000"]);
    assert.notEqual(bad.code, 0);
    assert.match(bad.err, /no merged entity ik-0000000000000000/);
    ok(cli(["review", US, UK, "same"]));
  });

  it("two resolve at once on one schema: both succeed, one consistent result", async () => {
    const before = (await sql<{ n: number }>("SELECT count(*)::int AS n FROM resolve_run"))[0]?.n ?? 0;
    const [a, b] = await Promise.all([cliAsync(["resolve", "--json"]), cliAsync(["resolve", "--json"])]);
    ok(a);
    ok(b);
    const runs = (await sql<{ n: number }>("SELECT count(*)::int AS n FROM resolve_run"))[0]?.n ?? 0;
    assert.equal(runs, before + 2);
    const members = await sql<{ entity_id: string; canonical_id: string }>(
      "SELECT entity_id, canonical_id FROM resolve_member ORDER BY entity_id",
    );
    assert.deepEqual(
      members.map((m) => [m.entity_id, m.canonical_id]),
      [
        [UK, canonical],
        [US, canonical],
      ],
    );
    const edges = await sql<{ n: number }>("SELECT count(*)::int AS n FROM resolve_edge");
    assert.equal(edges[0]?.n, JSON.parse(a.out).counts.pairs);
  });
});
