import assert from "node:assert/strict";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { it } from "node:test";
import { add, makeEntity } from "../model/entity.js";
import { SqliteStore } from "./sqlite.js";
import { storeContract } from "./store.contract.js";

storeContract("SQLite", async () => new SqliteStore(":memory:"));

it("SQLite: a version left staging by a dead process is failed on the next open", async () => {
  const path = join(mkdtempSync(join(tmpdir(), "interdict-")), "x.db");
  const a = new SqliteStore(path);
  const w = await a.beginVersion("test_list", { version: "v1" });
  const e = makeEntity("Person", "test_list:1", "test_list");
  add(e, "name", "Pavel Karpov");
  await w.put(e);
  await w.summary(); // flushes rows to disk, as a long ingest does
  a.db.close(); // the process dies here
  const b = new SqliteStore(path);
  const [v] = await b.versions("test_list");
  assert.equal(v?.status, "failed");
  assert.equal(v?.meta.error, "interrupted before it was complete");
  assert.equal(await b.currentVersion("test_list"), undefined);
  await b.close();
});
