import assert from "node:assert/strict";
import { spawn, spawnSync } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { it } from "node:test";
import { add, makeEntity } from "../model/entity.js";
import { SqliteStore } from "./sqlite.js";
import { storeContract } from "./store.contract.js";

storeContract("SQLite", async () => new SqliteStore(":memory:"));

/** Marks a staging version as written by process `pid` (how a writer in another process looks). */
function writtenBy(store: SqliteStore, id: number, pid: number): void {
  const { meta } = store.db.prepare("SELECT meta FROM list_version WHERE id = ?").get(id) as { meta: string };
  const m = JSON.parse(meta);
  store.db
    .prepare("UPDATE list_version SET meta = ? WHERE id = ?")
    .run(JSON.stringify({ ...m, _writer: { ...m._writer, pid } }), id);
}

async function stagedVersion(path: string): Promise<{ store: SqliteStore; id: number }> {
  const store = new SqliteStore(path);
  const w = await store.beginVersion("test_list", { version: "v1" });
  const e = makeEntity("Person", "test_list:1", "test_list");
  add(e, "name", "Pavel Karpov");
  await w.put(e);
  await w.summary(); // flushes rows to disk, as a long ingest does
  return { store, id: w.id };
}

it("SQLite: a version left staging by a dead process is failed on the next open", async () => {
  const path = join(mkdtempSync(join(tmpdir(), "interdict-")), "x.db");
  const { store: a, id } = await stagedVersion(path);
  writtenBy(a, id, spawnSync(process.execPath, ["-e", ""]).pid as number); // a process that has exited
  a.db.close(); // the writer dies here
  const b = new SqliteStore(path);
  const [v] = await b.versions("test_list");
  assert.equal(v?.status, "failed");
  assert.equal(v?.meta.error, "interrupted before it was complete");
  assert.equal(await b.currentVersion("test_list"), undefined);
  await b.close();
});

it("SQLite: opening the store while another process ingests leaves that ingest alone", async () => {
  const path = join(mkdtempSync(join(tmpdir(), "interdict-")), "x.db");
  const { store: a, id } = await stagedVersion(path);
  const writer = spawn(process.execPath, ["-e", "setTimeout(() => {}, 60000)"]);
  try {
    writtenBy(a, id, writer.pid as number);
    const b = new SqliteStore(path); // e.g. the service starting while `interdict ingest` runs
    const [v] = await b.versions("test_list");
    assert.equal(v?.status, "staging");
    await b.close();
  } finally {
    writer.kill();
  }
  await a.close();
});
