// The service's records on PostgreSQL: API keys and the screening record in the store's schema,
// shared by every replica, so a key created once works on all of them and each screening is
// recorded once wherever it was answered. All of the PostgreSQL SQL for them is in `PG` below
// (the SQLite form is records.ts). `serviceRecords` picks the form by the store.

import { randomUUID } from "node:crypto";
import { InterdictError } from "../errors.js";
import { PostgresStore } from "../store/postgres.js";
import { SqliteStore } from "../store/sqlite.js";
import type { Store } from "../store/store.js";
import {
  type ApiKey,
  hashKey,
  type KeyRow,
  KeyStore,
  type NewKey,
  newKey,
  type Screening,
  ScreeningLog,
  type ScreeningRow,
  type ServiceKeys,
  type ServiceScreenings,
  toKey,
  toScreening,
} from "./records.js";

// Times are ISO 8601 text, as on SQLite, and compare byte-wise (COLLATE "C") like SQLite's.
const PG = {
  migrations: [
    `CREATE TABLE service_api_key (
       id TEXT COLLATE "C" PRIMARY KEY,
       name TEXT,
       role TEXT NOT NULL,
       key_hash TEXT NOT NULL UNIQUE,
       created_at TEXT COLLATE "C" NOT NULL,
       revoked_at TEXT
     );
     CREATE TABLE service_screening (
       id TEXT COLLATE "C" PRIMARY KEY,
       created_at TEXT COLLATE "C" NOT NULL,
       key_id TEXT,
       kind TEXT NOT NULL,
       endpoint TEXT NOT NULL,
       request_digest TEXT NOT NULL,
       list_versions TEXT NOT NULL,
       decision TEXT,
       results TEXT NOT NULL
     );
     CREATE INDEX service_screening_time ON service_screening (created_at, id);`,
  ],
  insertKey: "INSERT INTO service_api_key (id, name, role, key_hash, created_at) VALUES ($1, $2, $3, $4, $5)",
  keyByHash: "SELECT id, name, role, created_at, revoked_at FROM service_api_key WHERE key_hash = $1",
  listKeys: "SELECT id, name, role, created_at, revoked_at FROM service_api_key ORDER BY created_at, id",
  revokeKey: `UPDATE service_api_key SET revoked_at = $1 WHERE id = $2 AND revoked_at IS NULL
    RETURNING id, name, role, created_at, revoked_at`,
  keyById: "SELECT id, name, role, created_at, revoked_at FROM service_api_key WHERE id = $1",
  insertScreening: `INSERT INTO service_screening
      (id, created_at, key_id, kind, endpoint, request_digest, list_versions, decision, results)
      VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
  screeningById: "SELECT * FROM service_screening WHERE id = $1",
  screeningPage: `SELECT * FROM service_screening
      WHERE created_at >= $1 AND created_at < $2 AND (created_at, id) > ($3, $4)
      ORDER BY created_at, id LIMIT $5`,
} as const;

/** The store's tables for the service, migrated once per store object (and once per schema). */
const migrated = new WeakMap<PostgresStore, Promise<void>>();
function ready(store: PostgresStore): Promise<void> {
  let p = migrated.get(store);
  if (!p) {
    p = store.migrate("service", PG.migrations);
    migrated.set(store, p);
  }
  return p;
}

export class PgKeyStore implements ServiceKeys {
  constructor(private readonly store: PostgresStore) {}

  private async q<R extends object>(text: string, values: unknown[]): Promise<R[]> {
    await ready(this.store);
    return this.store.query<R & Record<string, unknown>>(text, values);
  }

  async create(role: string, name?: string): Promise<NewKey> {
    const { id, key, hash, role: r } = newKey(role);
    await this.q(PG.insertKey, [id, name ?? null, r, hash, new Date().toISOString()]);
    return { id, key, role: r, name: name ?? null };
  }

  async verify(secret: string): Promise<ApiKey | undefined> {
    const [row] = await this.q<KeyRow>(PG.keyByHash, [hashKey(secret)]);
    if (!row || row.revoked_at) return undefined;
    return toKey(row);
  }

  async list(): Promise<ApiKey[]> {
    return (await this.q<KeyRow>(PG.listKeys, [])).map(toKey);
  }

  async revoke(id: string): Promise<ApiKey> {
    const [revoked] = await this.q<KeyRow>(PG.revokeKey, [new Date().toISOString(), id]);
    if (revoked) return toKey(revoked);
    const [row] = await this.q<KeyRow>(PG.keyById, [id]);
    if (!row) throw new InterdictError("INTERDICT_E_NOT_FOUND", `no API key ${id}`, { field: "id" });
    throw new InterdictError("INTERDICT_E_USAGE", `API key ${id} was already revoked at ${row.revoked_at}`);
  }
}

export class PgScreeningLog implements ServiceScreenings {
  constructor(private readonly store: PostgresStore) {}

  private async q<R extends object>(text: string, values: unknown[]): Promise<R[]> {
    await ready(this.store);
    return this.store.query<R & Record<string, unknown>>(text, values);
  }

  async record(s: Omit<Screening, "id" | "createdAt">): Promise<Screening> {
    const full: Screening = { id: randomUUID(), createdAt: new Date().toISOString(), ...s };
    await this.q(PG.insertScreening, [
      full.id,
      full.createdAt,
      full.keyId,
      full.kind,
      full.endpoint,
      full.requestDigest,
      JSON.stringify(full.listVersions),
      full.decision,
      JSON.stringify(full.results),
    ]);
    return full;
  }

  async get(id: string): Promise<Screening | undefined> {
    const [row] = await this.q<ScreeningRow>(PG.screeningById, [id]);
    return row ? toScreening(row) : undefined;
  }

  async *range(from: string, to: string, pageSize = 500): AsyncGenerator<Screening> {
    let afterTime = "";
    let afterId = "";
    for (;;) {
      const rows = await this.q<ScreeningRow>(PG.screeningPage, [from, to, afterTime, afterId, pageSize]);
      for (const r of rows) yield toScreening(r);
      const last = rows.at(-1);
      if (!last || rows.length < pageSize) return;
      afterTime = last.created_at;
      afterId = last.id;
    }
  }
}

/** The service's keys and screening record on the store's own engine. */
export function serviceRecords(store: Store): { keys: ServiceKeys; screenings: ServiceScreenings } {
  if (store instanceof SqliteStore)
    return { keys: new KeyStore(store.db), screenings: new ScreeningLog(store.db) };
  if (store instanceof PostgresStore)
    return { keys: new PgKeyStore(store), screenings: new PgScreeningLog(store) };
  throw new InterdictError("INTERDICT_E_USAGE", "the service's records need a SQLite or PostgreSQL store");
}
