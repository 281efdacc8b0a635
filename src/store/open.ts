// A store by where it is: a postgres:// URL (`?schema=` picks the schema) or a SQLite file path.
// Commands, and the worker threads they start, open the store the same way from the same string.

import { resolve } from "node:path";
import { PostgresStore } from "./postgres.js";
import { SqliteStore } from "./sqlite.js";
import type { Store } from "./store.js";

export const isPostgresUrl = (location: string): boolean => /^postgres(ql)?:\/\//.test(location);

/**
 * The location in a form another thread or process can open from anywhere: a URL as given, a
 * SQLite path made absolute.
 */
export const absoluteLocation = (location: string): string =>
  isPostgresUrl(location) ? location : resolve(location);

/** Synchronous: PostgresStore connects and migrates on its first call. */
export function openStoreAt(location: string): Store {
  return isPostgresUrl(location) ? new PostgresStore(location) : new SqliteStore(resolve(location));
}
