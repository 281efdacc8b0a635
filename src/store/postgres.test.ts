// The Store contract on a real PostgreSQL (127.0.0.1:5432, database test, or INTERDICT_TEST_PG):
// every store in its own schema, all dropped at the end.

import assert from "node:assert/strict";
import { after, describe, it } from "node:test";
import { testSchemas } from "../../test/_pg.js";
import { add, makeEntity } from "../model/entity.js";
import { loadResolution } from "../resolve/canonical.js";
import { LiveIndex } from "../service/live.js";
import { PostgresStore } from "./postgres.js";
import { storeContract } from "./store.contract.js";

const { url: freshUrl, drop } = testSchemas("test");

after(drop);

storeContract("PostgreSQL", async () => PostgresStore.open(freshUrl()));

function person(id: string, name: string) {
  const e = makeEntity("Person", id, "test_list");
  add(e, "name", name);
  return e;
}

describe("PostgresStore", () => {
  it("before any resolution run, screening on it treats every list entry as its own person", async () => {
    const store = await PostgresStore.open(freshUrl());
    const r = await loadResolution(store);
    assert.equal(r.canonicalOf("us_ofac_sdn:15880"), "us_ofac_sdn:15880");
    assert.deepEqual(r.referents("us_ofac_sdn:15880"), ["us_ofac_sdn:15880"]);
    await store.close();
  });

  it("a version whose writer's connection died is failed when a store opens; a live one is left alone", async () => {
    const url = freshUrl();
    const a = await PostgresStore.open(url);
    const live = await a.beginVersion("test_list", { version: "live" });
    await live.put(person("test_list:1", "Pavel Karpov"));
    await live.summary();
    const b = await PostgresStore.open(url); // e.g. a replica starting during an ingest
    const dying = await b.beginVersion("other_list", { version: "dead" });
    await dying.summary();
    // The writer's process is killed: its backend goes away with its lock.
    const [row] = await a.query<{ n: number }>(
      `SELECT count(pg_terminate_backend(pid))::int AS n FROM pg_locks
       WHERE locktype = 'advisory' AND objid = $1 AND pid != pg_backend_pid()`,
      [dying.id],
    );
    assert.equal(row?.n, 1);
    const c = await PostgresStore.open(url);
    const [dead] = await c.versions("other_list");
    assert.equal(dead?.status, "failed");
    assert.equal(dead?.meta.error, "interrupted before it was complete");
    const [stillStaging] = await c.versions("test_list");
    assert.equal(stillStaging?.status, "staging");
    const v = await live.commit();
    assert.equal((await c.currentVersion("test_list"))?.id, v.id);
    await Promise.all([a.close(), b.close(), c.close()]);
  });

  it("announces a committed version to listeners in the same schema; migrations run once", async () => {
    const url = freshUrl();
    const a = await PostgresStore.open(url);
    const b = await PostgresStore.open(url); // second open: migrations already applied
    const seen: { dataset: string; id: number }[] = [];
    let heardIt: () => void = () => {};
    const heard = new Promise<void>((resolve) => {
      heardIt = resolve;
    });
    const stop = await b.listenVersions((v) => {
      seen.push(v);
      heardIt();
    });
    const w = await a.beginVersion("test_list", { version: "v1" });
    await w.put(person("test_list:1", "Pavel Karpov"));
    const held = await (await a.beginVersion("test_list", { version: "v0" })).hold("test");
    const v = await w.commit();
    await heard;
    assert.deepEqual(seen, [{ dataset: "test_list", id: v.id }]);
    assert.notEqual(held.id, v.id);
    const [row] = await a.query<{ n: number }>("SELECT count(*)::int AS n FROM interdict_migration");
    assert.equal(row?.n, 1);
    await stop();
    await Promise.all([a.close(), b.close()]);
  });

  it("copies awkward text (tabs, newlines, backslashes, non-Latin) and issues in bulk", async () => {
    const store = await PostgresStore.open(freshUrl());
    const w = await store.beginVersion("test_list", { version: "v1" });
    const name = "Tab\there\\back\nslash «Қарпов» 卡尔波夫";
    const e = person("test_list:1", name);
    e.source = { raw: "line1\r\nline2\t\\N" };
    await w.put(e);
    for (let i = 0; i < 2500; i++) await w.put(person(`test_list:p${i}`, `Person ${i}`));
    for (let i = 0; i < 3; i++) await w.issue({ code: "x", message: `m\t${i}`, line: i });
    const v = await w.commit();
    assert.equal(v.entityCount, 2501);
    assert.equal(v.issueCount, 3);
    const got = await store.getEntity("test_list:1");
    assert.deepEqual(got?.properties.name, e.properties.name); // as `add` cleaned it
    assert.match(e.properties.name?.[0] ?? "", /\\back/);
    assert.deepEqual(got?.source, { raw: "line1\r\nline2\t\\N" });
    assert.deepEqual(
      (await store.issues(v.id, { limit: 2 })).map((i) => i.message),
      ["m\t0", "m\t1"],
    );
    let n = 0;
    for await (const _ of store.entities("test_list")) n++;
    assert.equal(n, 2501);
    await store.close();
  });

  it("three service indexes on one database reload on a new version without polling (NOTIFY)", async () => {
    const url = freshUrl();
    const writer = await PostgresStore.open(url);
    const w1 = await writer.beginVersion("test_list", { version: "v1" });
    await w1.put(person("test_list:1", "Pavel Karpov"));
    await w1.commit();
    const replicas = await Promise.all([1, 2, 3].map(() => PostgresStore.open(url)));
    const lives = replicas.map((r) => new LiveIndex(r, { workers: 0, pollInterval: 0 }));
    await Promise.all(lives.map((l) => l.start()));
    const served = () =>
      lives.map((l) =>
        l
          .generation()
          .versions.map((v) => v.version)
          .join(),
      );
    assert.deepEqual(served(), ["v1", "v1", "v1"]);
    const w2 = await writer.beginVersion("test_list", { version: "v2" });
    await w2.put(person("test_list:2", "Olga Stepanova"));
    await w2.commit();
    const deadline = Date.now() + 10_000;
    while (served().some((v) => v !== "v2") && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 50));
    assert.deepEqual(served(), ["v2", "v2", "v2"]);
    assert.equal((await lives[2]?.generation().get("test_list:2"))?.id, "test_list:2");
    await Promise.all(lives.map((l) => l.close()));
    await Promise.all([writer, ...replicas].map((s) => s.close()));
  });
});
