// Alerts on persons in the PostgreSQL book (real PostgreSQL, 127.0.0.1:5432 database test, or
// INTERDICT_TEST_PG; own schema, dropped at the end): a book made before persons gets the
// `referents` and `designations` columns by its next migration, its alerts kept and read as one
// entry each; a finding on a person keeps every entry; the decision on it holds for the person
// until the person's fingerprint changes.

import assert from "node:assert/strict";
import { after, it } from "node:test";
import { testSchemas } from "../../test/_pg.js";
import { PostgresStore } from "../store/postgres.js";
import type { Finding } from "./alerts.js";
import { PgAlertBook } from "./alerts-pg.js";

const schemas = testSchemas("alerts_persons");
let store: PostgresStore | undefined;

after(async () => {
  await store?.close();
  await schemas.drop();
});

/** The alerts tables as their first migration made them, before alerts were on persons. */
const BEFORE_PERSONS = `CREATE TABLE alert (
    id SERIAL PRIMARY KEY, subject_id TEXT COLLATE "C" NOT NULL, entity_id TEXT COLLATE "C" NOT NULL,
    status TEXT NOT NULL DEFAULT 'open', score DOUBLE PRECISION NOT NULL, subject_hash TEXT NOT NULL,
    entity_hash TEXT NOT NULL, subject_name TEXT NOT NULL, caption TEXT NOT NULL, schema TEXT NOT NULL,
    datasets TEXT NOT NULL, programs TEXT NOT NULL, explanation TEXT NOT NULL, reason TEXT NOT NULL,
    created_at TEXT NOT NULL, updated_at TEXT NOT NULL, decision TEXT, analyst TEXT, note TEXT, decided_at TEXT);
  CREATE UNIQUE INDEX alert_open_pair ON alert (subject_id, entity_id) WHERE status = 'open';
  CREATE INDEX alert_status ON alert (status, id);
  CREATE TABLE decided_pair (
    subject_id TEXT COLLATE "C" NOT NULL, entity_id TEXT COLLATE "C" NOT NULL, subject_hash TEXT NOT NULL,
    entity_hash TEXT NOT NULL, decision TEXT NOT NULL, alert_id INTEGER NOT NULL, decided_at TEXT NOT NULL,
    PRIMARY KEY (subject_id, entity_id));`;

const person: Finding = {
  subjectId: "cust-1",
  subjectHash: "s1",
  subjectName: "Pavel Karpov",
  entityId: "ik-karpov",
  entityHash: "person-v1",
  caption: "KARPOV, Pavel",
  schema: "Person",
  datasets: ["us_ofac_sdn", "gb_fcdo_sanctions"],
  programs: ["MAGNIT", "Global Human Rights"],
  score: 0.97,
  explanation: [],
  referents: ["gb_fcdo_sanctions:RUS0123", "us_ofac_sdn:15880"],
  designations: [
    {
      entityId: "gb_fcdo_sanctions:RUS0123",
      caption: "Pavel KARPOV",
      datasets: ["gb_fcdo_sanctions"],
      programs: ["Global Human Rights"],
      score: 0.97,
    },
    {
      entityId: "us_ofac_sdn:15880",
      caption: "KARPOV, Pavel",
      datasets: ["us_ofac_sdn"],
      programs: ["MAGNIT"],
    },
  ],
};

it("an older PostgreSQL book gains the person columns; a person's alert keeps every entry and one decision", async () => {
  store = await PostgresStore.open(schemas.url(), { poolSize: 2 });
  await store.migrate("alerts", [BEFORE_PERSONS]);
  await store.query(
    `INSERT INTO alert (subject_id, entity_id, score, subject_hash, entity_hash, subject_name, caption, schema,
       datasets, programs, explanation, reason, created_at, updated_at)
     VALUES ('cust-0', 'us_ofac_sdn:1', 0.9, 's', 'e', 'Old Customer', 'OLD, Entry', 'Person',
       '["us_ofac_sdn"]', '["SDGT"]', '[]', 'before persons', '2026-01-01', '2026-01-01')`,
  );
  const book = new PgAlertBook(store);
  const [old] = await book.list();
  assert.equal(old?.reason, "before persons");
  assert.deepEqual(old?.referents, ["us_ofac_sdn:1"]);
  assert.deepEqual(old?.designations, [
    { entityId: "us_ofac_sdn:1", caption: "OLD, Entry", datasets: ["us_ofac_sdn"], programs: ["SDGT"] },
  ]);

  assert.equal((await book.raise([person], "subject added")).raised, 1);
  const a = (await book.forSubject("cust-1"))[0];
  assert.equal(a?.entityId, "ik-karpov");
  assert.deepEqual(a?.referents, person.referents);
  assert.deepEqual(a?.designations, person.designations);
  await book.decide(a?.id ?? 0, "false_positive", "analyst-1");
  // The same person again: decided; the person changed (an entry joined or changed): raised again.
  assert.equal((await book.raise([person], "again")).decided, 1);
  const joined = { ...person, entityHash: "person-v2", referents: [...(person.referents ?? []), "ca:1"] };
  assert.equal((await book.raise([joined], "resolution changed")).raised, 1);
  const now = (await book.list()).filter((x) => x.subjectId === "cust-1");
  assert.equal(now.length, 1);
  assert.deepEqual(now[0]?.referents, joined.referents);
  // The alert written by the first migration is still there.
  assert.equal((await book.get(old?.id ?? 0))?.subjectName, "Old Customer");
});
