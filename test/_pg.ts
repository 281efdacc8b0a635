// PostgreSQL scaffolding for tests: the test database's URL, fresh schema names (unique across
// test files running at once: pid, a counter and a random suffix) and one drop of every schema
// made. Tests open stores on `url()`; the store makes the schema on first use.

import pg from "pg";

/** The test database: INTERDICT_TEST_PG, or the local one. */
export const PG_URL = process.env.INTERDICT_TEST_PG ?? "postgres://postgres@127.0.0.1:5432/test";

/** A store URL on `schema` in the test database. */
export function schemaUrl(schema: string): string {
  return `${PG_URL}?schema=${schema}`;
}

let made = 0;

export interface TestSchemas {
  /** A fresh schema name (`interdict_<prefix>_<pid>_<n>_<random>`), remembered for drop(). */
  name(): string;
  /** A fresh schema's store URL, remembered for drop(). */
  url(): string;
  /** Drops every schema made so far (and forgets them, so it can run after each test). */
  drop(): Promise<void>;
}

export function testSchemas(prefix: string): TestSchemas {
  if (!/^[a-z][a-z0-9_]{0,29}$/.test(prefix)) {
    throw new Error(`testSchemas: prefix "${prefix}" must be 1-30 of a-z, 0-9, _ starting with a letter`);
  }
  const schemas: string[] = [];
  const name = (): string => {
    const s = `interdict_${prefix}_${process.pid}_${made++}_${Math.random().toString(36).slice(2, 6)}`;
    schemas.push(s);
    return s;
  };
  return {
    name,
    url: () => schemaUrl(name()),
    async drop() {
      const gone = schemas.splice(0);
      if (gone.length === 0) return;
      const client = new pg.Client({ connectionString: PG_URL });
      await client.connect();
      try {
        for (const s of gone) await client.query(`DROP SCHEMA IF EXISTS ${s} CASCADE`);
      } finally {
        await client.end();
      }
    },
  };
}
