// What monitoring asks of an alert book after resolution changed who is one person (`regroup`,
// `persons`), through the `Alerts` interface, on both books: AlertBook on SQLite and PgAlertBook
// on a real PostgreSQL (127.0.0.1:5432, database test, or INTERDICT_TEST_PG; a schema of its own,
// dropped at the end). The same findings give the same counts and the same alerts on both.

import assert from "node:assert/strict";
import { after, describe, it } from "node:test";
import { testSchemas } from "../../test/_pg.js";
import { PostgresStore } from "../store/postgres.js";
import { SqliteStore } from "../store/sqlite.js";
import { type Alert, type Alerts, type Finding, listAlerts } from "./alerts.js";
import { PgAlertBook } from "./alerts-pg.js";
import { alertsFor } from "./books.js";

const schemas = testSchemas("regroup");
let pgStore: PostgresStore | undefined;

after(async () => {
  await pgStore?.close();
  await schemas.drop();
});

const US = "us_ofac_sdn:15880";
const UK = "gb_fcdo_sanctions:RUS0001";

const finding = (over: Partial<Finding>): Finding => ({
  subjectId: "c1",
  subjectHash: "s1",
  subjectName: "Pavel Karpov",
  entityId: US,
  entityHash: "e1",
  caption: "KARPOV, Pavel",
  schema: "Person",
  datasets: ["us_ofac_sdn"],
  programs: ["MAGNIT"],
  score: 0.9,
  explanation: [],
  ...over,
});

async function all<T>(it: Iterable<T> | AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const x of it) out.push(x);
  return out;
}

const shape = (a: Alert) => [a.subjectId, a.entityId, [...a.referents], a.status, a.reason];

/** The scenario, engine-blind: a person of two entries split, then another subject's alert merged. */
async function scenario(book: Alerts, list: () => Promise<Alert[]>) {
  const out: unknown[] = [];
  // c1 alerted on the person of both entries (canonical id: the US entry); c2 on the UK entry alone.
  out.push(
    await book.raise(
      [
        finding({ referents: [UK, US], entityHash: "p1" }),
        finding({ subjectId: "c2", subjectHash: "s2", entityId: UK, datasets: ["gb_fcdo_sanctions"] }),
      ],
      "subject added or changed",
    ),
  );
  const persons = await all(book.persons());
  out.push(persons.map((p) => [p.subjectId, p.entityId, p.referents, p.status]));
  const [c1] = persons;
  assert.ok(c1);
  // Split: c1's findings are now on each entry; the stale alert carries on as the UK entry's.
  out.push(
    await book.regroup(
      [
        finding({ entityId: UK, entityHash: "e-uk", datasets: ["gb_fcdo_sanctions"] }),
        finding({ entityId: US }),
      ],
      [{ id: c1.id, subjectId: "c1", referents: c1.referents }],
      "resolution changed",
    ),
  );
  // A stale alert no finding shares an entry with stays as it is; nothing to take over: raised.
  out.push(
    await book.regroup(
      [finding({ subjectId: "c3", subjectHash: "s3", entityId: "other:1" })],
      [{ id: c1.id, subjectId: "c3", referents: ["nowhere:1"] }],
      "resolution changed",
    ),
  );
  out.push((await list()).map(shape));
  out.push(await book.counts());
  out.push((await book.forSubject("c1")).map(shape));
  return out;
}

describe("regrouping alerts on persons, on both books", () => {
  it("the same counts and alerts on SQLite and PostgreSQL", async () => {
    const sqlite = new SqliteStore(":memory:");
    const sqliteBook = alertsFor(sqlite);
    const onSqlite = await scenario(sqliteBook, async () => listAlerts(sqlite));
    await sqlite.close();

    pgStore = await PostgresStore.open(schemas.url(), { poolSize: 2 });
    const pgBook = new PgAlertBook(pgStore);
    const onPg = await scenario(alertsFor(pgStore), () => pgBook.list());

    assert.deepEqual(onPg, onSqlite);
    // And what that is: the split took over c1's alert (updated) and raised the US entry anew.
    assert.deepEqual(onPg[2], { raised: 1, updated: 1, open: 0, decided: 0 });
    assert.deepEqual(onPg[3], { raised: 1, updated: 0, open: 0, decided: 0 });
    assert.deepEqual(onPg[4], [
      ["c1", UK, [UK], "open", "resolution changed"],
      ["c2", UK, [UK], "open", "subject added or changed"],
      ["c1", US, [US], "open", "resolution changed"],
      ["c3", "other:1", ["other:1"], "open", "resolution changed"],
    ]);
  });
});
