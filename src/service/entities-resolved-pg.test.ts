// yente's entity routes over resolved persons on a PostgreSQL store (127.0.0.1:5432, database
// test, or INTERDICT_TEST_PG; a schema of its own, dropped after), where the resolution is read
// with a promise: the 308 for a merged entry, the merged person, its adjacent sanctions. (On
// SQLite, with more cases: entities-resolved.test.ts.)

import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, it } from "node:test";
import { testSchemas } from "../../test/_pg.js";
import { ingest } from "../ingest/ingest.js";
import { loadResolution } from "../resolve/canonical.js";
import { runResolution } from "../resolve/run.js";
import { PostgresStore } from "../store/postgres.js";
import { type App, buildApp } from "./app.js";
import { loadConfig } from "./config.js";
import { LiveIndex } from "./live.js";
import { serviceRecords } from "./records-pg.js";

const schemas = testSchemas("entres");
const US = "us_ofac_sdn:15880";
const UK = "gb_fcdo_sanctions:RUS0123";
const dir = mkdtempSync(join(tmpdir(), "entities-resolved-pg-"));
let store: PostgresStore;
let live: LiveIndex;
let app: App;
let key: string;
let canonical: string;

/** A one-man list: the person and a Sanction per program. */
function list(dataset: string, id: string, name: string, programs: string[]): string {
  const file = join(dir, `${dataset}.ftm.json`);
  const entities = [
    { id, schema: "Person", properties: { name: [name], birthDate: ["1977-08-27"] }, datasets: [dataset] },
    ...programs.map((program, i) => ({
      id: `${id}-sanction-${i}`,
      schema: "Sanction",
      properties: { entity: [id], program: [program] },
      datasets: [dataset],
    })),
  ];
  writeFileSync(file, `${entities.map((e) => JSON.stringify(e)).join("\n")}\n`);
  return file;
}

before(async () => {
  store = await PostgresStore.open(schemas.url(), { poolSize: 2 });
  await ingest(store, [list("us_ofac_sdn", US, "KARPOV, Pavel", ["MAGNIT", "CYBER2"])], {
    dataset: "us_ofac_sdn",
  });
  await ingest(store, [list("gb_fcdo_sanctions", UK, "Pavel KARPOV", ["Global Human Rights"])], {
    dataset: "gb_fcdo_sanctions",
  });
  await runResolution(store);
  const resolution = await loadResolution(store);
  canonical = resolution.canonicalOf(US);
  assert.ok(canonical.startsWith("ik-"), canonical);
  assert.equal(resolution.canonicalOf(UK), canonical, "resolution merged the two entries");
  const { keys, screenings } = serviceRecords(store);
  key = (await keys.create("screen", "test")).key;
  live = new LiveIndex(store, { workers: 0, pollInterval: 0 });
  const config = { ...loadConfig({}, {}), workers: 0, pollInterval: 0, logLevel: "silent" as const };
  app = await buildApp({ store, live, keys, screenings, config });
  await live.start();
});

after(async () => {
  await app?.close();
  await live?.close();
  await store?.close();
  await schemas.drop();
  rmSync(dir, { recursive: true, force: true });
});

const get = (url: string) => app.inject({ method: "GET", url, headers: { authorization: `Bearer ${key}` } });

it("a merged entry answers 308 to the person; the person has both entries and their sanctions", async () => {
  const r = await get(`/entities/${UK}?nested=true`);
  assert.equal(r.statusCode, 308, r.body);
  assert.equal(r.headers.location, `/entities/${canonical}`);
  const e = (await get(`/entities/${canonical}`)).json();
  assert.equal(e.id, canonical);
  assert.deepEqual([...e.referents].sort(), [UK, US]);
  assert.deepEqual([...e.datasets].sort(), ["gb_fcdo_sanctions", "us_ofac_sdn"]);
  assert.equal(e.properties.sanctions.length, 3);
  const adj = (await get(`/entities/${canonical}/adjacent/sanctions?limit=1&offset=2`)).json();
  assert.deepEqual(adj.total, { value: 3, relation: "eq" });
  assert.equal(adj.results.length, 1);
  assert.equal(adj.offset, 2);
});
