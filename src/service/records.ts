// The service's own tables, beside the store's: API keys (hashed) and the screening record
// (who screened what, when, against which list versions, with what result). The service uses
// them through `ServiceKeys` and `ServiceScreenings`; this file is their SQLite form (all its
// SQL in `SQL` below, synchronous like better-sqlite3), records-pg.ts the PostgreSQL one, and
// `serviceRecords` there picks by the store.

import { createHash, randomBytes, randomUUID } from "node:crypto";
import type Database from "better-sqlite3";
import { InterdictError } from "../errors.js";

export const ROLES = ["screen", "analyst", "admin"] as const;
export type Role = (typeof ROLES)[number];

/** Each role may do what the roles before it may: admin ⊃ analyst ⊃ screen. */
export function roleAllows(have: Role, need: Role): boolean {
  return ROLES.indexOf(have) >= ROLES.indexOf(need);
}

export function isRole(text: string): text is Role {
  return (ROLES as readonly string[]).includes(text);
}

const SQL = {
  schema: `
    CREATE TABLE IF NOT EXISTS service_api_key (
      id TEXT PRIMARY KEY,
      name TEXT,
      role TEXT NOT NULL,
      key_hash TEXT NOT NULL UNIQUE,
      created_at TEXT NOT NULL,
      revoked_at TEXT
    );
    CREATE TABLE IF NOT EXISTS service_screening (
      id TEXT PRIMARY KEY,
      created_at TEXT NOT NULL,
      key_id TEXT,
      kind TEXT NOT NULL,
      endpoint TEXT NOT NULL,
      request_digest TEXT NOT NULL,
      list_versions TEXT NOT NULL,
      decision TEXT,
      results TEXT NOT NULL
    );
    CREATE INDEX IF NOT EXISTS service_screening_time ON service_screening (created_at, id);`,
  insertKey:
    "INSERT INTO service_api_key (id, name, role, key_hash, created_at) VALUES (@id, @name, @role, @hash, @createdAt)",
  keyByHash: "SELECT id, name, role, created_at, revoked_at FROM service_api_key WHERE key_hash = ?",
  listKeys: "SELECT id, name, role, created_at, revoked_at FROM service_api_key ORDER BY created_at, id",
  revokeKey: "UPDATE service_api_key SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL",
  keyById: "SELECT id, name, role, created_at, revoked_at FROM service_api_key WHERE id = ?",
  insertScreening: `INSERT INTO service_screening
      (id, created_at, key_id, kind, endpoint, request_digest, list_versions, decision, results)
      VALUES (@id, @createdAt, @keyId, @kind, @endpoint, @requestDigest, @listVersions, @decision, @results)`,
  screeningById: "SELECT * FROM service_screening WHERE id = ?",
  // Keyset pages, not one long cursor: a connection iterating cannot write, and screenings
  // keep being written while an export runs.
  screeningPage: `SELECT * FROM service_screening
      WHERE created_at >= @from AND created_at < @to AND (created_at > @afterTime OR (created_at = @afterTime AND id > @afterId))
      ORDER BY created_at, id LIMIT @limit`,
} as const;

/** Creates the service's tables if they are missing (idempotent, safe on every start). */
export function ensureServiceTables(db: Database.Database): void {
  db.exec(SQL.schema);
}

/** A value or a promise of it: the SQLite records answer at once, the PostgreSQL ones later. */
export type Awaitable<T> = T | Promise<T>;

/** A key as created: the secret is in `key`, shown once. */
export interface NewKey {
  readonly id: string;
  readonly key: string;
  readonly role: Role;
  readonly name: string | null;
}

/** The API keys, on whichever engine the store runs. */
export interface ServiceKeys {
  create(role: string, name?: string): Awaitable<NewKey>;
  /** The live key a secret belongs to, or undefined (unknown or revoked). */
  verify(secret: string): Awaitable<ApiKey | undefined>;
  list(): Awaitable<ApiKey[]>;
  /** Revokes a key from now on; an unknown or already revoked id is an error. */
  revoke(id: string): Awaitable<ApiKey>;
}

/** The screening record, on whichever engine the store runs. */
export interface ServiceScreenings {
  /** Writes the record before the response is sent: a screening that is answered is recorded. */
  record(s: Omit<Screening, "id" | "createdAt">): Awaitable<Screening>;
  get(id: string): Awaitable<Screening | undefined>;
  /** Screenings with `from <= createdAt < to` (ISO 8601), oldest first, a page at a time. */
  range(from: string, to: string, pageSize?: number): Iterable<Screening> | AsyncIterable<Screening>;
}

/** A new key for a role: its id, the secret (256 random bits) and the secret's hash to store. */
export function newKey(role: string): { id: string; key: string; role: Role; hash: string } {
  if (!isRole(role)) {
    throw new InterdictError("INTERDICT_E_USAGE", `unknown role "${role}"; roles: ${ROLES.join(", ")}`, {
      field: "role",
    });
  }
  const key = `idk_${randomBytes(32).toString("base64url")}`;
  return { id: `key_${randomBytes(6).toString("hex")}`, key, role, hash: hashKey(key) };
}

export interface ApiKey {
  readonly id: string;
  readonly name: string | null;
  readonly role: Role;
  readonly createdAt: string;
  readonly revokedAt: string | null;
}

export interface KeyRow {
  id: string;
  name: string | null;
  role: Role;
  created_at: string;
  revoked_at: string | null;
}

export const toKey = (r: KeyRow): ApiKey => ({
  id: r.id,
  name: r.name,
  role: r.role,
  createdAt: r.created_at,
  revokedAt: r.revoked_at,
});

/**
 * Keys are 256 random bits; only their SHA-256 is stored. A slow password hash (bcrypt,
 * scrypt) defends guessable secrets against brute force: a random 256-bit key cannot be
 * guessed, and a fast hash lets every request be checked by one indexed lookup instead of
 * ~50 ms of deliberate CPU work per request, which would itself be a denial-of-service lever.
 */
export const hashKey = (key: string): string => createHash("sha256").update(key).digest("hex");

export class KeyStore implements ServiceKeys {
  private readonly stmts;

  constructor(db: Database.Database) {
    ensureServiceTables(db);
    this.stmts = {
      insert: db.prepare(SQL.insertKey),
      byHash: db.prepare(SQL.keyByHash),
      list: db.prepare(SQL.listKeys),
      revoke: db.prepare(SQL.revokeKey),
      byId: db.prepare(SQL.keyById),
    };
  }

  /** A new key: the secret is returned here once and never stored. */
  create(role: string, name?: string): NewKey {
    const { id, key, hash, role: r } = newKey(role);
    this.stmts.insert.run({ id, name: name ?? null, role: r, hash, createdAt: new Date().toISOString() });
    return { id, key, role: r, name: name ?? null };
  }

  /** The live key a secret belongs to, or undefined (unknown or revoked). */
  verify(secret: string): ApiKey | undefined {
    const row = this.stmts.byHash.get(hashKey(secret)) as KeyRow | undefined;
    if (!row || row.revoked_at) return undefined;
    return toKey(row);
  }

  list(): ApiKey[] {
    return (this.stmts.list.all() as KeyRow[]).map(toKey);
  }

  /** Revokes a key from now on; an unknown or already revoked id is an error. */
  revoke(id: string): ApiKey {
    const r = this.stmts.revoke.run(new Date().toISOString(), id);
    const row = this.stmts.byId.get(id) as KeyRow | undefined;
    if (!row) throw new InterdictError("INTERDICT_E_NOT_FOUND", `no API key ${id}`, { field: "id" });
    if (r.changes === 0) {
      throw new InterdictError("INTERDICT_E_USAGE", `API key ${id} was already revoked at ${row.revoked_at}`);
    }
    return toKey(row);
  }
}

export interface ListVersionRef {
  readonly dataset: string;
  readonly version: string;
  /** The store's id for the version: immutable, so a screening can be replayed against it. */
  readonly id: number;
}

export interface Screening {
  readonly id: string;
  readonly createdAt: string;
  readonly keyId: string | null;
  readonly kind: "match" | "reconcile" | "visa" | "payment";
  /** Method and path, e.g. `POST /match/default`. */
  readonly endpoint: string;
  /** SHA-256 (hex) of the request as received: method, path and query, content type, body bytes. */
  readonly requestDigest: string;
  readonly listVersions: readonly ListVersionRef[];
  readonly decision: string | null;
  readonly results: unknown;
}

export interface ScreeningRow {
  id: string;
  created_at: string;
  key_id: string | null;
  kind: Screening["kind"];
  endpoint: string;
  request_digest: string;
  list_versions: string;
  decision: string | null;
  results: string;
}

export const toScreening = (r: ScreeningRow): Screening => ({
  id: r.id,
  createdAt: r.created_at,
  keyId: r.key_id,
  kind: r.kind,
  endpoint: r.endpoint,
  requestDigest: r.request_digest,
  listVersions: JSON.parse(r.list_versions) as ListVersionRef[],
  decision: r.decision,
  results: JSON.parse(r.results) as unknown,
});

export class ScreeningLog implements ServiceScreenings {
  private readonly stmts;

  constructor(db: Database.Database) {
    ensureServiceTables(db);
    this.stmts = {
      insert: db.prepare(SQL.insertScreening),
      byId: db.prepare(SQL.screeningById),
      page: db.prepare(SQL.screeningPage),
    };
  }

  /** Writes the record before the response is sent: a screening that is answered is recorded. */
  record(s: Omit<Screening, "id" | "createdAt">): Screening {
    const full: Screening = { id: randomUUID(), createdAt: new Date().toISOString(), ...s };
    this.stmts.insert.run({
      id: full.id,
      createdAt: full.createdAt,
      keyId: full.keyId,
      kind: full.kind,
      endpoint: full.endpoint,
      requestDigest: full.requestDigest,
      listVersions: JSON.stringify(full.listVersions),
      decision: full.decision,
      results: JSON.stringify(full.results),
    });
    return full;
  }

  get(id: string): Screening | undefined {
    const row = this.stmts.byId.get(id) as ScreeningRow | undefined;
    return row ? toScreening(row) : undefined;
  }

  /** Screenings with `from <= createdAt < to` (ISO 8601), oldest first, a page at a time. */
  *range(from: string, to: string, pageSize = 500): Generator<Screening> {
    let afterTime = "";
    let afterId = "";
    for (;;) {
      const rows = this.stmts.page.all({ from, to, afterTime, afterId, limit: pageSize }) as ScreeningRow[];
      for (const r of rows) yield toScreening(r);
      const last = rows.at(-1);
      if (!last || rows.length < pageSize) return;
      afterTime = last.created_at;
      afterId = last.id;
    }
  }
}
