// The registry on a store, with every step also written to the hash-chained audit log
// (`designation_<step>`: created, proposed, approved, published, publication, delisted,
// petition_granted …). On SQLite the log lives in the same file and the entry is appended inside
// the step's own transaction; on PostgreSQL (registry-pg.ts) the step, its history events and
// their entries commit in one transaction. Either way a step is never recorded in one place and
// not the other.

import { auditOf } from "../audit/log.js";
import { InterdictError } from "../errors.js";
import { PostgresStore } from "../store/postgres.js";
import { SqliteStore } from "../store/sqlite.js";
import type { Store } from "../store/store.js";
import { auditEntryOf, Registry, type RegistryBook, type RegistryOptions } from "./registry.js";
import { pgRegistryOf } from "./registry-pg.js";

export { auditEntryOf };

/** The registry of a SQLite store, audited. */
export function sqliteRegistryOf(store: SqliteStore, opts: Omit<RegistryOptions, "onEvent"> = {}): Registry {
  const log = auditOf(store);
  return new Registry(store.db, {
    ...opts,
    onEvent: (event) => {
      const { action, detail } = auditEntryOf(event);
      log.append(event.actor, action, detail, [], event.at);
    },
  });
}

/** The registry of the store's own engine, audited: Registry on SQLite, PgRegistry on PostgreSQL. */
export function registryOf(store: Store, opts: Omit<RegistryOptions, "onEvent"> = {}): RegistryBook {
  if (store instanceof SqliteStore) return sqliteRegistryOf(store, opts);
  if (store instanceof PostgresStore) return pgRegistryOf(store, opts);
  throw new InterdictError("INTERDICT_E_USAGE", "the registry needs a SQLite or PostgreSQL store");
}
