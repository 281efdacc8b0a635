// Screening on persons, not rows, over the API: once resolution has found that two list entries
// are one person, /match answers one result for them, `id` the best entry (as yente clients
// expect) and `entity_id` / `referents` the person across lists.

import assert from "node:assert/strict";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, it } from "node:test";
import { ingest } from "../ingest/ingest.js";
import { ResolutionStore } from "../resolve/store.js";
import { SqliteStore } from "../store/sqlite.js";
import { type App, buildApp } from "./app.js";
import { loadConfig } from "./config.js";
import { LiveIndex } from "./live.js";
import { KeyStore, ScreeningLog } from "./records.js";

const store = new SqliteStore(":memory:");
const keys = new KeyStore(store.db);
let live: LiveIndex;
let app: App;
let key: string;

before(async () => {
  await ingest(store, ["src/service/fixtures/us_ofac_sdn.ftm.json"]);
  // Another list naming the same man, as the UK and Canada do.
  const other = join(mkdtempSync(join(tmpdir(), "grouping-")), "other.ftm.json");
  const entity = {
    id: "other_list:karpov",
    schema: "Person",
    properties: { name: ["KARPOV, Pavel Anatolyevich"], birthDate: ["1977-08-27"] },
    datasets: ["other_list"],
    target: true,
  };
  writeFileSync(other, `${JSON.stringify(entity)}\n`);
  await ingest(store, [other], { dataset: "other_list" });
  const members = new Map([["ik-karpov", ["other_list:karpov", "us_ofac_sdn:15880"]]]);
  new ResolutionStore(store).save(undefined, undefined, undefined, {
    members,
    canonical: new Map([
      ["other_list:karpov", "ik-karpov"],
      ["us_ofac_sdn:15880", "ik-karpov"],
    ]),
    merged: [],
    pending: [],
    refused: [],
  });
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
});

it("POST /match answers one result per person, with every list entry of theirs", async () => {
  const r = await app.inject({
    method: "POST",
    url: "/match/default",
    headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
    payload: { queries: { q: { schema: "Person", properties: { name: ["Pavel Karpov"] } } } },
  });
  assert.equal(r.statusCode, 200, r.body);
  const results = r.json().responses.q.results as { id: string; entity_id: string; referents: string[] }[];
  const karpov = results.filter((x) => x.entity_id === "ik-karpov");
  assert.equal(karpov.length, 1, JSON.stringify(results.map((x) => x.id)));
  assert.ok(["us_ofac_sdn:15880", "other_list:karpov"].includes(karpov[0]?.id ?? ""));
  assert.deepEqual([...(karpov[0]?.referents ?? [])].sort(), ["other_list:karpov", "us_ofac_sdn:15880"]);
  // Entries resolution left alone are their own person.
  for (const x of results.filter((y) => y.entity_id !== "ik-karpov")) assert.equal(x.entity_id, x.id);
});
