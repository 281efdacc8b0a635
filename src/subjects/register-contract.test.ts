// The subject register contract on both engines: SQLite in memory, and a real PostgreSQL
// (127.0.0.1:5432, database test, or INTERDICT_TEST_PG), each test in a schema of its own,
// dropped at the end.

import { after } from "node:test";
import pg from "pg";
import { PostgresStore } from "../store/postgres.js";
import { SqliteStore } from "../store/sqlite.js";
import { registerContract } from "./register.contract.js";

const BASE = process.env.INTERDICT_TEST_PG ?? "postgres://postgres@127.0.0.1:5432/test";
const schemas: string[] = [];

after(async () => {
  const client = new pg.Client({ connectionString: BASE });
  await client.connect();
  for (const s of schemas) await client.query(`DROP SCHEMA IF EXISTS ${s} CASCADE`);
  await client.end();
});

registerContract("SQLite", async () => new SqliteStore(":memory:"));

registerContract("PostgreSQL", async () => {
  const schema = `interdict_subjects_${process.pid}_${schemas.length}_${Math.random().toString(36).slice(2, 8)}`;
  schemas.push(schema);
  return PostgresStore.open(`${BASE}?schema=${schema}`, { poolSize: 2 });
});
