// Resolution and the accountability map on the real lists: the 2013 Magnitsky Act designees are
// one person each with every jurisdiction that lists them; judgements survive a re-ingest;
// merges undo; screening groups by person; bad input is refused clearly.

import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import type { InterdictError } from "../src/errors.js";
import { ingest } from "../src/ingest/ingest.js";
import { Matcher } from "../src/match/matcher.js";
import { passportsInNotes } from "../src/resolve/designees.js";
import {
  canonicalEntity,
  checkTheme,
  coverageRows,
  currentVersions,
  type Designee,
  groupByCanonical,
  loadDesignees,
  loadResolution,
  ResolutionStore,
  recluster,
  regimeOf,
  runResolution,
  summarise,
  toCsv,
  toHtml,
  undoMerge,
} from "../src/resolve/index.js";
import { SqliteStore } from "../src/store/sqlite.js";

const LISTS = "../shared/data/lists";
const DATASETS = [
  "us_ofac_sdn/2024-05-03",
  "eu_fsf/2026-05-01",
  "gb_fcdo_sanctions/2026-08-22",
  "ca_dfatd_sema_sanctions/2026-08-22",
  "au_dfat_sanctions/2024-11-11",
];

let dir: string;
let store: SqliteStore;
let designees: Designee[];

before(async () => {
  dir = mkdtempSync(join(tmpdir(), "interdict-resolve-"));
  // In memory: the lists are written once, not to a file and its write-ahead log; the child
  // process below reads a copy made when it needs one.
  store = new SqliteStore(":memory:");
  for (const d of DATASETS) await ingest(store, [join(LISTS, d)]);
  designees = await loadDesignees(store, await currentVersions(store));
  await runResolution(store, { scope: "human-rights", designees });
});

after(async () => {
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

describe("regime taxonomy", () => {
  const table: [string, string, string[]][] = [
    ["us_ofac_sdn", "MAGNIT", ["human-rights", "corruption"]],
    ["us_ofac_sdn", "GLOMAG", ["human-rights", "corruption"]],
    ["us_ofac_sdn", "SDGT", ["terrorism"]],
    ["eu_fsf", "HR", ["human-rights"]],
    ["gb_fcdo_sanctions", "The Global Human Rights Sanctions Regulations 2020", ["human-rights"]],
    ["gb_fcdo_sanctions", "The Global Anti-Corruption Sanctions Regulations 2021", ["corruption"]],
    [
      "ca_dfatd_sema_sanctions",
      "Justice for Victims of Corrupt Foreign Officials Regulations (JVCFOR)",
      ["human-rights", "corruption"],
    ],
    ["au_dfat_sanctions", "Autonomous (Thematic - Human Rights)", ["human-rights"]],
    ["au_dfat_sanctions", "Autonomous (Thematic – Corruption)", ["corruption"]],
    ["un_sc_sanctions", "Al-Qaida", ["terrorism"]],
    ["eu_fsf", "UKR", ["country"]],
  ];
  for (const [dataset, program, themes] of table) {
    it(`${dataset} ${program} → ${themes.join(", ")}`, () => {
      assert.deepEqual(regimeOf(dataset, program)?.themes, themes);
    });
  }
  it("an aggregator has no jurisdiction, so no regime", () => {
    assert.equal(regimeOf("opensanctions", "anything"), undefined);
  });
  it("refuses an unknown theme, naming the known ones", () => {
    assert.throws(
      () => checkTheme("human_rights"),
      (e: InterdictError) => {
        return e.code === "INTERDICT_E_USAGE" && /known: human-rights, corruption/.test(e.message);
      },
    );
  });
  it("reads passport numbers that a list gives only in its notes", () => {
    assert.deepEqual(passportsInNotes("Passport number: 604176957 (likely expired)"), ["604176957"]);
    assert.deepEqual(passportsInNotes("Member of the State Duma"), []);
  });
});

describe("the 2013 Magnitsky Act designees on the map", () => {
  it("each appears once, with every jurisdiction that lists them", () => {
    const resolution = loadResolution(store);
    const rows = coverageRows(designees, resolution.canonicalOf, "human-rights");
    const magnit = designees.filter((d) => d.designations.some((x) => x.program === "MAGNIT"));
    assert.ok(magnit.length >= 30, `MAGNIT designees: ${magnit.length}`);
    for (const d of magnit) {
      const row = rows.find((r) => r.referents.includes(d.entity.id));
      assert.ok(row, `${d.entity.id} on the map`);
      // Every referent of the row is listed in its jurisdiction's cell.
      for (const ref of row.referents) {
        const cells = Object.values(row.jurisdictions).flat();
        assert.ok(
          cells.some((c) => c.entity_id === ref),
          `${ref} in a cell of ${row.id}`,
        );
      }
    }
    const karpov = rows.find((r) => r.referents.includes("us_ofac_sdn:15880"));
    assert.ok(karpov);
    assert.deepEqual(
      Object.entries(karpov.jurisdictions)
        .filter(([, cs]) => cs.length > 0)
        .map(([j]) => j)
        .sort(),
      ["AU", "CA", "UK", "US"],
    );
    assert.equal(karpov.jurisdictions.US[0]?.program, "MAGNIT");
    assert.equal(karpov.jurisdictions.UK[0]?.listed_on, "2021-04-26");
    // Named in the issue: each is one person listed by more than one jurisdiction.
    for (const name of ["KUZNETSOV, Artem", "STEPANOVA, Olga"]) {
      const d = magnit.find((x) => x.match.caption.startsWith(name));
      assert.ok(d, name);
      const row = rows.find((r) => r.referents.includes(d.entity.id));
      const js = Object.entries(row?.jurisdictions ?? {}).filter(([, cs]) => cs.length > 0);
      assert.ok(js.length >= 2, `${name}: ${js.map(([j]) => j).join(", ")}`);
    }
  });

  it("summarises pairs and gaps, and exports CSV and a self-contained page", async () => {
    const resolution = loadResolution(store);
    const rows = coverageRows(designees, resolution.canonicalOf, "human-rights");
    const s = summarise(rows, await currentVersions(store), "human-rights");
    assert.equal(s.designees, rows.length);
    assert.ok(s.pairs.US.UK > 50 && s.pairs.US.UK === s.pairs.UK.US);
    const gap = s.gaps.find((g) => g.by === "US" && g.notBy === "EU");
    assert.ok(gap && gap.ids.length > 0);
    const karpov = rows.find((r) => r.referents.includes("us_ofac_sdn:15880"));
    assert.ok(gap.ids.includes(karpov?.id ?? ""), "Karpov: designated by the US, not by the EU");
    const csv = toCsv(rows);
    assert.match(csv.split("\n")[0] ?? "", /^id,caption,schema,referents,US,EU,UK,CA,AU,UN$/);
    const html = toHtml(rows, s);
    assert.match(html, /<svg /);
    assert.match(html, /us_ofac_sdn<\/code> 2024-05-03/);
    assert.doesNotMatch(html, /<script|<link|src="http/);
  });
});

describe("canonical entities", () => {
  it("any referent id gives the canonical entity, with each value's source and why it was merged", async () => {
    const c = await canonicalEntity(store, "gb_fcdo_sanctions:GAC0002");
    assert.match(c.id, /^ik-[0-9a-f]{16}$/);
    assert.ok(c.referents.includes("us_ofac_sdn:15880"));
    const dob = c.sources.birthDate?.find((v) => v.value === "1977-08-27");
    assert.ok(dob?.referents.includes("us_ofac_sdn:15880"));
    assert.ok(
      c.merges.some((m) => /same DOB 1977-08-27/.test(m.reason)),
      JSON.stringify(c.merges),
    );
    assert.deepEqual((await canonicalEntity(store, c.id)).referents, c.referents);
  });
  it("a single entry keeps its own id", async () => {
    const c = await canonicalEntity(store, "us_ofac_sdn:10000");
    assert.equal(c.id, "us_ofac_sdn:10000");
    assert.deepEqual(c.referents, ["us_ofac_sdn:10000"]);
  });
  it("an unknown id is a clear not-found", async () => {
    await assert.rejects(canonicalEntity(store, "us_ofac_sdn:nope"), /INTERDICT_E_NOT_FOUND|no entity/);
    await assert.rejects(canonicalEntity(store, "ik-0000000000000000"), /no canonical entity/);
  });
});

describe("screening on persons, not rows", () => {
  it("one hit for Pavel Karpov listing every designation", () => {
    const matcher = new Matcher(designees.map((d) => d.match));
    const results = matcher.match({ names: ["Pavel Karpov"], schema: "Person" }, { limit: 10 });
    const hits = results.filter((r) => r.match);
    assert.ok(hits.length >= 3, `rows matched: ${hits.length}`);
    const groups = groupByCanonical(hits, loadResolution(store), (r) => r.entity.id);
    const karpov = groups.filter((g) => g.referents.includes("us_ofac_sdn:15880"));
    assert.equal(karpov.length, 1);
    assert.ok((karpov[0]?.hits.length ?? 0) >= 3);
    assert.ok(karpov[0]?.hits.some((h) => h.entity.programs.includes("MAGNIT")));
  });
  it("interdict match prints one result for him, with his referents and every list's hit", async () => {
    await store.db.backup(join(dir, "t.db"));
    const r = spawnSync(
      process.execPath,
      [
        "bin/interdict.js",
        "--db",
        join(dir, "t.db"),
        "--quiet",
        "match",
        "Pavel Karpov",
        "--schema",
        "Person",
        "--json",
      ],
      { encoding: "utf8", timeout: 120_000 },
    );
    assert.equal(r.status, 0, r.stderr);
    const { results } = JSON.parse(r.stdout) as {
      results: { entity_id: string; referents: string[]; hits: { entity_id: string }[] }[];
    };
    const karpov = results.filter((x) => x.referents.includes("us_ofac_sdn:15880"));
    assert.equal(karpov.length, 1);
    assert.ok((karpov[0]?.hits.length ?? 0) >= 3);
    assert.deepEqual(
      new Set(karpov[0]?.hits.map((h) => h.entity_id)).size,
      karpov[0]?.hits.length,
      "each list entry once",
    );
  });
});

describe("judgements and undo", () => {
  it("a judgement survives a re-ingest of the same lists and a new run, ids stay", async () => {
    const rs = new ResolutionStore(store);
    const pending = recluster(store).pending;
    assert.ok(pending.length > 0, "a review band");
    const p = pending[0];
    assert.ok(p);
    rs.judge(p.a, p.b, "same", "test");
    let c = recluster(store);
    const id = c.canonical.get(p.a);
    assert.equal(id, c.canonical.get(p.b));
    const karpovBefore = c.canonical.get("us_ofac_sdn:15880");
    await ingest(store, [join(LISTS, "au_dfat_sanctions/2024-11-11")], { force: true, version: "again" });
    // The same lists again: the entities are the ones already read. The new run is over the
    // designees of the judged pair's and Karpov's persons and of every MAGNIT designee's (each
    // with the others of their persons): the judgements, the previous ids and the new version are
    // what it proves; a run over every designee proves nothing more and costs seconds.
    const resolution = loadResolution(store);
    const persons = new Set(
      [p.a, p.b, "us_ofac_sdn:15880"]
        .concat(
          designees.filter((d) => d.designations.some((x) => x.program === "MAGNIT")).map((d) => d.entity.id),
        )
        .map((id) => resolution.canonicalOf(id)),
    );
    const some = designees.filter((d) => persons.has(resolution.canonicalOf(d.entity.id)));
    assert.ok(
      some.length >= 40 && some.length < designees.length / 10,
      `designees of the run: ${some.length}`,
    );
    const run = await runResolution(store, { scope: "human-rights", designees: some });
    assert.equal(run.clusters.canonical.get(p.a), run.clusters.canonical.get(p.b));
    assert.equal(run.clusters.canonical.get("us_ofac_sdn:15880"), karpovBefore);
    assert.ok(run.run.versions.some((v) => v.version === "again"));
    c = run.clusters;
    assert.ok(c.merged.some((m) => m.how === "judged"));
  });

  it("undo splits a merge and keeps it split", () => {
    const resolution = loadResolution(store);
    const id = resolution.canonicalOf("us_ofac_sdn:15880");
    assert.ok(id.startsWith("ik-"));
    const n = undoMerge(store, id);
    assert.ok(n >= 3);
    const after = loadResolution(store);
    assert.equal(after.canonicalOf("us_ofac_sdn:15880"), "us_ofac_sdn:15880");
    assert.ok(new ResolutionStore(store).judgementRows().some((j) => j.judgement === "different"));
    assert.throws(() => undoMerge(store, "ik-0000000000000000"), /no merged entity/);
  });

  it("refuses an unknown judgement", () => {
    assert.throws(
      () => new ResolutionStore(store).judge("a:1", "b:2", "maybe", "test"),
      /unknown judgement "maybe"; known: same, different, unsure/,
    );
  });
});

describe("GET /coverage in the service", () => {
  // The route's own behaviour (formats, roles, refusals, the resolution run it starts) needs no
  // real lists: the SDN excerpt in memory, where the route resolves on the request's thread.
  it("answers the map to an analyst as JSON lines, CSV or HTML, and refuses a screening key", async () => {
    const { buildApp } = await import("../src/service/app.js");
    const { loadConfig } = await import("../src/service/config.js");
    const { LiveIndex } = await import("../src/service/live.js");
    const { KeyStore, ScreeningLog } = await import("../src/service/records.js");
    const store = new SqliteStore(":memory:");
    await ingest(store, ["src/service/fixtures/us_ofac_sdn.ftm.json"]);
    const keys = new KeyStore(store.db);
    // The map needs no matching index: the index is made but never started.
    const live = new LiveIndex(store, { workers: 0, pollInterval: 0 });
    const config = { ...loadConfig({}, {}), workers: 0, pollInterval: 0, logLevel: "silent" as const };
    const app = await buildApp({ store, live, keys, screenings: new ScreeningLog(store.db), config });
    try {
      const analyst = { authorization: `Bearer ${keys.create("analyst", "test").key}` };
      const get = (url: string, headers = analyst) => app.inject({ method: "GET", url, headers });
      const r = await get("/coverage?theme=human-rights");
      assert.equal(r.statusCode, 200, r.body);
      assert.match(r.headers["content-type"] as string, /ndjson/);
      const rows = r.body
        .trim()
        .split("\n")
        .map(
          (l) =>
            JSON.parse(l) as { id: string; referents: string[]; jurisdictions: Record<string, unknown[]> },
        );
      const karpov = rows.find((x) => x.referents.includes("us_ofac_sdn:15880"));
      assert.ok(karpov, "Karpov on the map");
      assert.deepEqual(Object.keys(karpov.jurisdictions), ["US", "EU", "UK", "CA", "AU", "UN"]);
      assert.equal(new ResolutionStore(store).lastRun()?.scope, "human-rights", "the request ran resolution");
      assert.equal(rows.length, Number(r.headers["x-designees"]));
      const csv = await get("/coverage?theme=human-rights&format=csv");
      assert.match(csv.body.split("\n")[0] ?? "", /^id,caption,schema,referents,US,EU,UK,CA,AU,UN/);
      assert.ok(csv.body.trim().split("\n").length > rows.length, "a header and a row per designee");
      const html = await get("/coverage?theme=human-rights&format=html");
      assert.match(html.headers["content-type"] as string, /text\/html/);
      assert.match(html.body, /<svg /);
      const bad = await get("/coverage?theme=human_rights");
      assert.equal(bad.statusCode, 400);
      assert.match(bad.body, /known: human-rights, corruption/);
      const screen = await get("/coverage", { authorization: `Bearer ${keys.create("screen", "t").key}` });
      assert.equal(screen.statusCode, 403);
      assert.equal((await app.inject({ method: "GET", url: "/coverage" })).statusCode, 401);
    } finally {
      await app.close();
      await live.close();
      await store.close();
    }
  });
});
