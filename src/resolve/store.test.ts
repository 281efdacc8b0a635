// The ResolutionBook contract on SQLite (in memory) and on a real PostgreSQL (127.0.0.1:5432,
// database test, or INTERDICT_TEST_PG), each store in its own schema, all dropped at the end;
// and on PostgreSQL, two stores on one schema (two processes' pools) holding the resolution
// lock in turn.

import assert from "node:assert/strict";
import { after, describe, it } from "node:test";
import { testSchemas } from "../../test/_pg.js";
import { PostgresStore } from "../store/postgres.js";
import { SqliteStore } from "../store/sqlite.js";
import { resolutionContract } from "./store.contract.js";
import { resolutionOf } from "./store.js";

const { url: freshUrl, drop } = testSchemas("resolve");

after(drop);

resolutionContract("SQLite", async () => new SqliteStore(":memory:"));
resolutionContract("PostgreSQL", async () => PostgresStore.open(freshUrl(), { poolSize: 2 }));

describe("PgResolutionStore across processes", () => {
  it("two stores on one schema hold the resolution lock in turn; another schema's is its own", async () => {
    const url = freshUrl();
    const [a, b, other] = await Promise.all([
      PostgresStore.open(url, { poolSize: 2 }),
      PostgresStore.open(url, { poolSize: 2 }),
      PostgresStore.open(freshUrl(), { poolSize: 2 }),
    ]);
    const log: string[] = [];
    const turn = (s: PostgresStore, n: string, ms: number) =>
      resolutionOf(s).exclusive(async () => {
        log.push(`${n} in`);
        await new Promise((r) => setTimeout(r, ms));
        log.push(`${n} out`);
      });
    await Promise.all([turn(a, "a", 150), turn(b, "b", 10)]);
    assert.match(log.join(" "), /^(a in a out b in b out|b in b out a in a out)$/);
    // A store on another schema is not held up by this one's lock.
    log.length = 0;
    await resolutionOf(a).exclusive(async () => {
      await turn(other, "other", 1);
    });
    assert.deepEqual(log, ["other in", "other out"]);
    await Promise.all([a.close(), b.close(), other.close()]);
  });
});
