// yente's entity routes over resolved persons (§4): a list entry resolution merged into a person
// answers 308 to the person, the person's id answers the merged entity with both entries, an
// entry left alone answers as itself; /entities/{id}/adjacent pages the entities around one, per
// property. Real SQLite, two hand-written lists with one man on both, real resolution.

import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { ingest } from "../ingest/ingest.js";
import { loadResolution } from "../resolve/canonical.js";
import { runResolution } from "../resolve/run.js";
import { SqliteStore } from "../store/sqlite.js";
import { type App, buildApp } from "./app.js";
import { loadConfig } from "./config.js";
import { LiveIndex } from "./live.js";
import { KeyStore, ScreeningLog } from "./records.js";

const US = "us_ofac_sdn:15880";
const UK = "gb_fcdo_sanctions:RUS0123";
const ALONE = "us_ofac_sdn:777";
const US_PROGRAMS = ["MAGNIT", "RUSSIA-EO14024", "CYBER2"];
const UK_PROGRAM = "The Global Human Rights Sanctions Regulations 2020";

const store = new SqliteStore(":memory:");
const keys = new KeyStore(store.db);
const dir = mkdtempSync(join(tmpdir(), "entities-resolved-"));
let live: LiveIndex;
let app: App;
let key: string;
let canonical: string;

function write(name: string, entities: object[]): string {
  const file = join(dir, name);
  writeFileSync(file, `${entities.map((e) => JSON.stringify(e)).join("\n")}\n`);
  return file;
}

before(async () => {
  // The US list: Karpov under three programs, and a man resolution leaves alone, with an address.
  const us = write("us.ftm.json", [
    {
      id: US,
      schema: "Person",
      properties: { name: ["KARPOV, Pavel"], birthDate: ["1977-08-27"], birthPlace: ["Moscow, Russia"] },
      datasets: ["us_ofac_sdn"],
      target: true,
    },
    ...US_PROGRAMS.map((program, i) => ({
      id: `${US}-sanction-${i}`,
      schema: "Sanction",
      properties: { entity: [US], program: [program] },
      datasets: ["us_ofac_sdn"],
    })),
    {
      id: ALONE,
      schema: "Person",
      properties: { name: ["Ivan Sidorenko"], birthDate: ["1960-01-02"], addressEntity: [`${ALONE}-addr`] },
      datasets: ["us_ofac_sdn"],
      target: true,
    },
    {
      id: `${ALONE}-addr`,
      schema: "Address",
      properties: { full: ["Tverskaya 1, Moscow"] },
      datasets: ["us_ofac_sdn"],
    },
    {
      id: `${ALONE}-sanction`,
      schema: "Sanction",
      properties: { entity: [ALONE], program: ["UKRAINE-EO13660"] },
      datasets: ["us_ofac_sdn"],
    },
  ]);
  const uk = write("uk.ftm.json", [
    {
      id: UK,
      schema: "Person",
      properties: { name: ["Pavel KARPOV"], birthDate: ["1977-08-27"], nationality: ["ru"] },
      datasets: ["gb_fcdo_sanctions"],
      target: true,
    },
    {
      id: `${UK}-sanction`,
      schema: "Sanction",
      properties: { entity: [UK], program: [UK_PROGRAM] },
      datasets: ["gb_fcdo_sanctions"],
    },
  ]);
  await ingest(store, [us], { dataset: "us_ofac_sdn" });
  await ingest(store, [uk], { dataset: "gb_fcdo_sanctions" });
  await runResolution(store);
  const resolution = loadResolution(store);
  canonical = resolution.canonicalOf(US);
  assert.ok(canonical.startsWith("ik-"), canonical);
  assert.equal(resolution.canonicalOf(UK), canonical, "resolution merged the two entries");
  assert.equal(resolution.canonicalOf(ALONE), ALONE, "resolution left the other man alone");
  key = keys.create("screen", "test").key;
  live = new LiveIndex(store, { workers: 0, pollInterval: 0 });
  const config = { ...loadConfig({}, {}), workers: 0, pollInterval: 0, logLevel: "silent" as const };
  app = await buildApp({ store, live, keys, screenings: new ScreeningLog(store.db), config });
  await live.start();
});

after(async () => {
  await app.close();
  await live.close();
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

async function get(url: string) {
  const r = await app.inject({ method: "GET", url, headers: { authorization: `Bearer ${key}` } });
  return { status: r.statusCode, headers: r.headers, body: r.body, json: () => r.json() };
}

interface Json {
  id: string;
  schema: string;
  properties: Record<string, (string | Json)[]>;
  datasets: string[];
  referents: string[];
  target: boolean;
  first_seen: string | null;
}
interface Page {
  limit: number;
  offset: number;
  total: { value: number; relation: string };
  results: (string | Json)[];
}
const programs = (results: (string | Json)[]) =>
  results.map((s) => (typeof s === "string" ? s : s.properties.program?.[0]));

describe("GET /entities/{id} with resolution", () => {
  it("answers 308 to the person for an entry resolution merged, query string dropped", async () => {
    for (const id of [US, UK]) {
      const r = await get(`/entities/${id}?nested=false`);
      assert.equal(r.status, 308, r.body);
      assert.equal(r.headers.location, `/entities/${canonical}`);
    }
  });

  it("answers the merged person on its canonical id: both entries, every value, both lists", async () => {
    const r = await get(`/entities/${canonical}`);
    assert.equal(r.status, 200, r.body);
    const e = r.json() as Json;
    assert.equal(e.id, canonical);
    assert.equal(e.schema, "Person");
    assert.deepEqual([...e.referents].sort(), [UK, US]);
    assert.deepEqual([...e.datasets].sort(), ["gb_fcdo_sanctions", "us_ofac_sdn"]);
    assert.deepEqual([...(e.properties.name as string[])].sort(), ["KARPOV, Pavel", "Pavel KARPOV"]);
    assert.deepEqual(e.properties.birthDate, ["1977-08-27"], "a value both lists give is kept once");
    assert.deepEqual(e.properties.nationality, ["ru"]);
    assert.deepEqual(e.properties.birthPlace, ["Moscow, Russia"]);
    assert.equal(e.target, true);
    assert.match(String(e.first_seen), /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}$/);
    // Nested: the sanctions of both entries under the reverse name.
    assert.deepEqual(programs(e.properties.sanctions ?? []).sort(), [...US_PROGRAMS, UK_PROGRAM].sort());
    const flat = (await get(`/entities/${canonical}?nested=false`)).json() as Json;
    assert.equal(flat.properties.sanctions, undefined);
    assert.deepEqual([...flat.referents].sort(), [UK, US]);
  });

  it("answers an entry resolution left alone as itself; 404 for an unknown id or person", async () => {
    const r = await get(`/entities/${ALONE}`);
    assert.equal(r.status, 200, r.body);
    const e = r.json() as Json;
    assert.equal(e.id, ALONE);
    assert.deepEqual(programs(e.properties.sanctions ?? []), ["UKRAINE-EO13660"]);
    for (const id of ["us_ofac_sdn:0", "ik-0000000000000000"]) {
      const missing = await get(`/entities/${id}`);
      assert.equal(missing.status, 404, id);
      assert.match(missing.json().detail, /No such entity!$/);
    }
  });
});

describe("GET /entities/{id}/adjacent", () => {
  it("pages the person's sanctions (reverse property) with limit, offset and total", async () => {
    const r = await get(`/entities/${canonical}/adjacent?limit=2&offset=1&sort=properties.program`);
    assert.equal(r.status, 200, r.body);
    const body = r.json() as { entity: Json; adjacent: Record<string, Page> };
    assert.equal(body.entity.id, canonical);
    assert.equal(body.entity.properties.sanctions, undefined, "the entity is flat");
    assert.deepEqual(Object.keys(body.adjacent), ["sanctions"], "properties with nothing are left out");
    const s = body.adjacent.sanctions as Page;
    assert.equal(s.limit, 2);
    assert.equal(s.offset, 1);
    assert.deepEqual(s.total, { value: 4, relation: "eq" });
    const sorted = [...US_PROGRAMS, UK_PROGRAM].sort();
    assert.deepEqual(programs(s.results), sorted.slice(1, 3));
    // The root stays an id inside its children.
    const child = s.results[0] as Json;
    assert.equal(child.schema, "Sanction");
    assert.ok([US, UK].includes(child.properties.entity?.[0] as string));
    // Descending, default limit 10.
    const desc = (await get(`/entities/${canonical}/adjacent?sort=properties.program:desc`)).json();
    assert.equal(desc.adjacent.sanctions.limit, 10);
    assert.deepEqual(programs(desc.adjacent.sanctions.results), [...sorted].reverse());
  });

  it("lists the entity's own entity properties and reverse ones", async () => {
    const body = (await get(`/entities/${ALONE}/adjacent`)).json() as { adjacent: Record<string, Page> };
    assert.deepEqual(Object.keys(body.adjacent).sort(), ["addressEntity", "sanctions"]);
    const addr = body.adjacent.addressEntity as Page;
    assert.deepEqual(addr.total, { value: 1, relation: "eq" });
    assert.equal((addr.results[0] as Json).schema, "Address");
  });

  it("one property: a single page; an empty known property; 404 for a property the schema lacks", async () => {
    const r = await get(`/entities/${canonical}/adjacent/sanctions?limit=3`);
    assert.equal(r.status, 200, r.body);
    const p = r.json() as Page;
    assert.deepEqual(Object.keys(p), ["limit", "offset", "total", "results"]);
    assert.equal(p.total.value, 4);
    assert.equal(p.results.length, 3);
    const none = (await get(`/entities/${canonical}/adjacent/ownershipOwner`)).json() as Page;
    assert.deepEqual(none.total, { value: 0, relation: "eq" });
    assert.deepEqual(none.results, []);
    for (const prop of ["colour", "birthDate"]) {
      const bad = await get(`/entities/${canonical}/adjacent/${prop}`);
      assert.equal(bad.status, 404, prop);
      assert.equal(bad.json().detail, "No such property!");
    }
  });

  it("a merged entry: 308 to the person itself, not to /adjacent; unknown id 404", async () => {
    for (const url of [`/entities/${US}/adjacent?limit=2`, `/entities/${UK}/adjacent/sanctions`]) {
      const r = await get(url);
      assert.equal(r.status, 308, url);
      assert.equal(r.headers.location, `/entities/${canonical}`);
    }
    const missing = await get("/entities/us_ofac_sdn:0/adjacent");
    assert.equal(missing.status, 404);
    assert.match(missing.json().detail, /No such entity!$/);
  });

  it("refuses limit 501, offset 9500 and an unknown sort field, naming the parameter", async () => {
    for (const [query, status, field] of [
      ["limit=501", 422, "limit"],
      ["offset=9500", 422, "offset"],
      ["limit=-1", 422, "limit"],
      ["sort=colour", 400, "sort"],
    ] as const) {
      for (const path of [`/entities/${canonical}/adjacent`, `/entities/${canonical}/adjacent/sanctions`]) {
        const r = await get(`${path}?${query}`);
        assert.equal(r.status, status, `${path}?${query}: ${r.body}`);
        assert.equal(r.json().code, "INTERDICT_E_INPUT");
        assert.equal(r.json().field, field);
      }
    }
  });
});

describe("odd requests", () => {
  it("never answer a 5xx", async () => {
    const failures: string[] = [];
    for (const path of [
      `/entities/${canonical}/adjacent`,
      `/entities/${UK}/adjacent/x`,
      "/entities/%00/adjacent",
    ]) {
      for (const q of [
        "limit=abc",
        "offset=-1",
        "sort=",
        "sort=:desc",
        "sort=properties.",
        "limit=0",
        "sort=_doc",
      ]) {
        const r = await get(`${path}?${q}`);
        if (r.status >= 500) failures.push(`${path}?${q}: ${r.status} ${r.body}`);
      }
    }
    assert.deepEqual(failures, []);
  });
});
