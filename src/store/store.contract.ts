// The contract every Store implementation passes; each implementation's test file runs it
// against a fresh store. Written against the interface only.

import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { add, type Entity, makeEntity } from "../model/entity.js";
import type { Store } from "./store.js";

function person(id: string, name: string, birthDate?: string): Entity {
  const e = makeEntity("Person", id, "test_list");
  add(e, "name", name);
  add(e, "birthDate", birthDate);
  e.source = { raw: name };
  return e;
}

async function collect<T>(it: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const x of it) out.push(x);
  return out;
}

export function storeContract(name: string, open: () => Promise<Store>): void {
  describe(`Store contract: ${name}`, () => {
    it("a committed version becomes current, with counts by schema", async () => {
      const store = await open();
      const w = await store.beginVersion("test_list", { version: "2024-01-01" });
      await w.put(person("test_list:1", "Pavel Karpov", "1977-08-27"));
      await w.put(person("test_list:2", "Artem Kuznetsov"));
      assert.equal(await store.currentVersion("test_list"), undefined, "invisible before commit");
      const v = await w.commit();
      assert.equal(v.status, "current");
      assert.equal(v.entityCount, 2);
      assert.deepEqual(v.counts, { Person: 2 });
      assert.equal((await store.currentVersion("test_list"))?.id, v.id);
      const e = await store.getEntity("test_list:1");
      assert.deepEqual(e?.properties, { name: ["Pavel Karpov"], birthDate: ["1977-08-27"] });
      assert.deepEqual(e?.source, { raw: "Pavel Karpov" });
      assert.equal(e?.first_seen, v.createdAt);
      await store.close();
    });

    it("an aborted version changes nothing and is recorded as failed", async () => {
      const store = await open();
      const w1 = await store.beginVersion("test_list", { version: "v1" });
      await w1.put(person("test_list:1", "Pavel Karpov"));
      const v1 = await w1.commit();
      const w2 = await store.beginVersion("test_list", { version: "v2" });
      await w2.put(person("test_list:9", "Someone Else"));
      await w2.abort("broken file");
      assert.equal((await store.currentVersion("test_list"))?.id, v1.id);
      assert.equal(await store.getEntity("test_list:9"), undefined);
      const versions = await store.versions("test_list");
      assert.deepEqual(
        versions.map((v) => [v.version, v.status, v.meta.error]),
        [
          ["v1", "current", undefined],
          ["v2", "failed", "broken file"],
        ],
      );
      await store.close();
    });

    it("diffs versions: added, removed, changed; first_seen and last_change carry over", async () => {
      const store = await open();
      const w1 = await store.beginVersion("test_list", { version: "v1" });
      await w1.put(person("test_list:1", "Pavel Karpov", "1977"));
      await w1.put(person("test_list:2", "Artem Kuznetsov"));
      await w1.put(person("test_list:3", "Olga Stepanova"));
      const v1 = await w1.commit();
      await new Promise((r) => setTimeout(r, 5)); // versions apart in time
      const w2 = await store.beginVersion("test_list", { version: "v2" });
      await w2.put(person("test_list:1", "Pavel Karpov", "1977-08-27"));
      await w2.put(person("test_list:2", "Artem Kuznetsov"));
      await w2.put(person("test_list:4", "Viktor Grin"));
      const summary = await w2.summary();
      assert.deepEqual(summary, { added: 1, removed: 1, changed: 1, unchanged: 1, before: 3, after: 3 });
      const v2 = await w2.commit();
      const changes = await collect(store.diff(v1.id, v2.id));
      assert.deepEqual(changes, [
        { id: "test_list:1", schema: "Person", change: "changed" },
        { id: "test_list:3", schema: "Person", change: "removed" },
        { id: "test_list:4", schema: "Person", change: "added" },
      ]);
      const unchanged = await store.getEntity("test_list:2");
      assert.equal(unchanged?.first_seen, v1.createdAt);
      assert.equal(unchanged?.last_change, v1.createdAt);
      assert.equal(unchanged?.last_seen, v2.createdAt);
      const changed = await store.getEntity("test_list:1");
      assert.equal(changed?.first_seen, v1.createdAt);
      assert.equal(changed?.last_change, v2.createdAt);
      assert.equal((await store.getEntity("test_list:3", { versionId: v1.id }))?.id, "test_list:3");
      assert.equal(await store.getEntity("test_list:3"), undefined);
      await store.close();
    });

    it("merges a repeated id within a version; replaces it when asked", async () => {
      const store = await open();
      const w = await store.beginVersion("test_list", { version: "v1" });
      await w.put(person("test_list:1", "Pavel Karpov"));
      await w.put(person("test_list:1", "Pavel Vladimirovich Karpov"));
      await w.put(person("test_list:2", "A"));
      await w.put(person("test_list:2", "B"), { replace: true });
      await w.commit();
      assert.deepEqual((await store.getEntity("test_list:1"))?.properties.name, [
        "Pavel Karpov",
        "Pavel Vladimirovich Karpov",
      ]);
      assert.deepEqual((await store.getEntity("test_list:2"))?.properties.name, ["B"]);
      await store.close();
    });

    it("a delta version starts from its base and applies deletions", async () => {
      const store = await open();
      const w1 = await store.beginVersion("test_list", { version: "v1" });
      await w1.put(person("test_list:1", "Pavel Karpov"));
      await w1.put(person("test_list:2", "Artem Kuznetsov"));
      const v1 = await w1.commit();
      const w2 = await store.beginVersion("test_list", { version: "v2", baseVersionId: v1.id });
      assert.equal(await w2.delete("test_list:2"), true);
      assert.equal(await w2.delete("test_list:404"), false);
      await w2.put(person("test_list:3", "Olga Stepanova"), { replace: true });
      const v2 = await w2.commit();
      const ids = (await collect(store.entities("test_list"))).map((e) => e.id);
      assert.deepEqual(ids, ["test_list:1", "test_list:3"]);
      assert.equal(v2.entityCount, 2);
      await store.close();
    });

    it("finds the entities that refer to one, in its version; a delta keeps and updates them", async () => {
      const store = await open();
      const target = person("test_list:1", "Pavel Karpov");
      const sanction = makeEntity("Sanction", "test_list:1-sanction", "test_list");
      add(sanction, "entity", "test_list:1");
      add(sanction, "program", "MAGNIT");
      const w1 = await store.beginVersion("test_list", { version: "v1" });
      await w1.put(target);
      await w1.put(sanction);
      const v1 = await w1.commit();
      const refs = await store.referencing("test_list:1");
      assert.deepEqual(
        refs.map((e) => [e.id, e.properties.program]),
        [["test_list:1-sanction", ["MAGNIT"]]],
      );
      const w2 = await store.beginVersion("test_list", { version: "v2", baseVersionId: v1.id });
      const moved = makeEntity("Sanction", "test_list:1-sanction", "test_list");
      add(moved, "entity", "test_list:2");
      await w2.put(moved, { replace: true });
      await w2.commit();
      assert.deepEqual(await store.referencing("test_list:1"), []);
      assert.equal((await store.referencing("test_list:1", { versionId: v1.id })).length, 1);
      await store.close();
    });

    it("a held version is kept but not current; issues are stored", async () => {
      const store = await open();
      const w1 = await store.beginVersion("test_list", { version: "v1" });
      await w1.put(person("test_list:1", "Pavel Karpov"));
      const v1 = await w1.commit();
      const w2 = await store.beginVersion("test_list", { version: "v2" });
      await w2.issue({ code: "bad_date", message: "not a date", file: "f.csv", line: 3, field: "DOB" });
      const held = await w2.hold("too many removals");
      assert.equal(held.status, "held");
      assert.equal((await store.currentVersion("test_list"))?.id, v1.id);
      assert.deepEqual(await store.issues(held.id), [
        { code: "bad_date", message: "not a date", file: "f.csv", line: 3, field: "DOB" },
      ]);
      assert.equal((await store.findVersion("test_list", "v2"))?.id, held.id);
      const [summary] = await store.datasets();
      assert.equal(summary?.name, "test_list");
      assert.equal(summary?.current?.id, v1.id);
      await store.close();
    });
  });
}
