// The subject register contract on both engines: SQLite in memory, and a real PostgreSQL
// (127.0.0.1:5432, database test, or INTERDICT_TEST_PG), each test in a schema of its own,
// dropped at the end.

import { after } from "node:test";
import { testSchemas } from "../../test/_pg.js";
import { PostgresStore } from "../store/postgres.js";
import { SqliteStore } from "../store/sqlite.js";
import { registerContract } from "./register.contract.js";

const schemas = testSchemas("subjects");

after(schemas.drop);

registerContract("SQLite", async () => new SqliteStore(":memory:"));

registerContract("PostgreSQL", async () => PostgresStore.open(schemas.url(), { poolSize: 2 }));
