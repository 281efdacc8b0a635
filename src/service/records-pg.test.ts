// The service's keys and screening record on a real PostgreSQL (127.0.0.1:5432, database test,
// or INTERDICT_TEST_PG), each test in its own schema, all dropped at the end; the SQLite form
// answers the same calls the same way.

import assert from "node:assert/strict";
import { after, describe, it } from "node:test";
import { testSchemas } from "../../test/_pg.js";
import { PostgresStore } from "../store/postgres.js";
import { SqliteStore } from "../store/sqlite.js";
import type { Store } from "../store/store.js";
import type { Screening } from "./records.js";
import { PgKeyStore, serviceRecords } from "./records-pg.js";

const { url: freshUrl, drop } = testSchemas("rec");
const stores: Store[] = [];

after(async () => {
  await Promise.all(stores.map((s) => s.close()));
  await drop();
});

async function open(url: string): Promise<PostgresStore> {
  const s = await PostgresStore.open(url, { poolSize: 2 });
  stores.push(s);
  return s;
}

const screening = (n: number): Omit<Screening, "id" | "createdAt"> => ({
  keyId: "key_x",
  kind: "match",
  endpoint: "POST /match/default",
  requestDigest: `digest-${n}`,
  listVersions: [{ dataset: "test_list", version: "v1", id: 1 }],
  decision: n % 2 ? "match" : null,
  results: { n, names: ["Павел Карпов"] },
});

for (const engine of ["SQLite", "PostgreSQL"] as const) {
  describe(`service records on ${engine}`, () => {
    const make = async (): Promise<Store> => {
      if (engine === "PostgreSQL") return open(freshUrl());
      const s = new SqliteStore(":memory:");
      stores.push(s);
      return s;
    };

    it("keys: created, verified by secret, listed, revoked (then refused), errors named", async () => {
      const { keys } = serviceRecords(await make());
      const a = await keys.create("analyst", "case team");
      const b = await keys.create("screen");
      assert.match(a.key, /^idk_/);
      assert.equal((await keys.verify(a.key))?.id, a.id);
      assert.equal((await keys.verify(a.key))?.role, "analyst");
      assert.equal(await keys.verify(`${a.key}x`), undefined);
      assert.deepEqual((await keys.list()).map((k) => k.id).sort(), [a.id, b.id].sort());
      const revoked = await keys.revoke(a.id);
      assert.ok(revoked.revokedAt);
      assert.equal(await keys.verify(a.key), undefined);
      assert.equal((await keys.verify(b.key))?.id, b.id);
      await assert.rejects(async () => keys.revoke(a.id), { code: "INTERDICT_E_USAGE" });
      await assert.rejects(async () => keys.revoke("key_nope"), { code: "INTERDICT_E_NOT_FOUND" });
      await assert.rejects(async () => keys.create("root"), { code: "INTERDICT_E_USAGE" });
    });

    it("screenings: recorded, read back by id, exported by time range across pages in order", async () => {
      const { screenings } = serviceRecords(await make());
      const made: Screening[] = [];
      for (let i = 0; i < 7; i++) made.push(await screenings.record(screening(i)));
      const one = await screenings.get(made[3]?.id ?? "");
      assert.deepEqual(one, made[3]);
      assert.equal(await screenings.get("nope"), undefined);
      const from = made[0]?.createdAt ?? "";
      const all: Screening[] = [];
      for await (const s of screenings.range(from, "9999", 3)) all.push(s);
      const order = [...made].sort((x, y) =>
        x.createdAt === y.createdAt ? (x.id < y.id ? -1 : 1) : x.createdAt < y.createdAt ? -1 : 1,
      );
      assert.deepEqual(
        all.map((s) => s.id),
        order.map((s) => s.id),
      );
      const none: Screening[] = [];
      for await (const s of screenings.range("2000-01-01", from)) none.push(s);
      assert.equal(none.length, 0);
    });
  });
}

describe("service records shared by replicas on PostgreSQL", () => {
  it("three stores opening one schema at once migrate once; a key made through one works on all", async () => {
    const url = freshUrl();
    const [a, b, c] = await Promise.all([open(url), open(url), open(url)]);
    const [ka, kb, kc] = [a, b, c].map((s) => new PgKeyStore(s as PostgresStore));
    // All three ask for the tables at the same time.
    const [made] = await Promise.all([ka?.create("screen", "gateway"), kb?.list(), kc?.list()]);
    assert.ok(made);
    for (const k of [ka, kb, kc]) assert.equal((await k?.verify(made.key))?.id, made.id);
    await kc?.revoke(made.id);
    for (const k of [ka, kb, kc]) assert.equal(await k?.verify(made.key), undefined);
    const applied = await (a as PostgresStore).query<{ n: number }>(
      "SELECT count(*)::int AS n FROM interdict_component_migration WHERE component = 'service'",
    );
    assert.equal(applied[0]?.n, 1);
  });
});
