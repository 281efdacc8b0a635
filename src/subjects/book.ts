// The subject register of a store, whichever engine it runs on: the SQLite register beside the
// lists, or the PostgreSQL one (one per store object, so its migrations run once).

import { InterdictError } from "../errors.js";
import { PostgresStore } from "../store/postgres.js";
import { SqliteStore } from "../store/sqlite.js";
import type { Store } from "../store/store.js";
import { registerOf, type SubjectBook } from "./register.js";
import { PgSubjectRegister } from "./register-pg.js";

const pgRegisters = new WeakMap<PostgresStore, PgSubjectRegister>();

export function subjectsOf(store: Store): SubjectBook {
  if (store instanceof SqliteStore) return registerOf(store);
  if (store instanceof PostgresStore) {
    let r = pgRegisters.get(store);
    if (!r) {
      r = new PgSubjectRegister(store);
      pgRegisters.set(store, r);
    }
    return r;
  }
  throw new InterdictError("INTERDICT_E_USAGE", "the subject register needs a SQLite or PostgreSQL store");
}
