// Console users on PostgreSQL, for replicas sharing one database: the same accounts, password
// hashes (`hashPassword`/`checkPassword`), lock-out and sessions as UserStore (users.ts), in the
// same two tables, so a session made through one replica is found by every other (nothing about
// a session is held in a process). What SQLite's single writer gave for free is done here in
// single statements: a failed login counts and locks in one UPDATE (two replicas failing at once
// both count), and a second account of one name is refused by the primary key. All of the SQL
// is in `PG`. `usersOf` answers the accounts of either store behind one asynchronous interface.

import { InterdictError } from "../errors.js";
import { PostgresStore } from "../store/postgres.js";
import { SqliteStore } from "../store/sqlite.js";
import type { Store } from "../store/store.js";
import {
  checkNewUser,
  checkPassword,
  hashPassword,
  type LoginResult,
  newSession,
  type Session,
  tokenHash,
  USER_DEFAULTS,
  type User,
  type UserDirectory,
  type UserListing,
  type UserRole,
  UserStore,
} from "./users.js";

// Times are ISO-8601 text, compared as text: "C" collation, so the comparison is byte order.
const PG = {
  migrations: [
    `CREATE TABLE console_user (
       name TEXT PRIMARY KEY,
       role TEXT NOT NULL,
       password TEXT NOT NULL,
       failures INTEGER NOT NULL DEFAULT 0,
       locked_until TEXT COLLATE "C",
       created_at TEXT NOT NULL
     );
     CREATE TABLE console_session (
       token_hash TEXT PRIMARY KEY,
       user_name TEXT NOT NULL REFERENCES console_user (name) ON DELETE CASCADE,
       csrf TEXT NOT NULL,
       created_at TEXT NOT NULL,
       expires_at TEXT COLLATE "C" NOT NULL
     );
     CREATE INDEX console_session_expires ON console_session (expires_at);`,
  ],
  insert: `INSERT INTO console_user (name, role, password, created_at) VALUES ($1, $2, $3, $4)
    ON CONFLICT (name) DO NOTHING RETURNING name`,
  byName: "SELECT * FROM console_user WHERE name = $1",
  list: "SELECT name, role, failures, locked_until, created_at FROM console_user ORDER BY name",
  /** One more failure, and the lock (`$2`) once they reach `$3`, in one statement. */
  fail: `UPDATE console_user SET failures = failures + 1,
      locked_until = CASE WHEN failures + 1 >= $3 THEN $2 ELSE locked_until END
    WHERE name = $1 RETURNING failures, locked_until`,
  ok: "UPDATE console_user SET failures = 0, locked_until = NULL WHERE name = $1",
  insertSession:
    "INSERT INTO console_session (token_hash, user_name, csrf, created_at, expires_at) VALUES ($1, $2, $3, $4, $5)",
  session: `SELECT s.user_name, s.csrf, s.expires_at, u.role FROM console_session s
    JOIN console_user u ON u.name = s.user_name WHERE s.token_hash = $1`,
  endSession: "DELETE FROM console_session WHERE token_hash = $1",
  sweep: "DELETE FROM console_session WHERE expires_at < $1",
} as const;

interface UserRow {
  name: string;
  role: UserRole;
  password: string;
  failures: number;
  locked_until: string | null;
  created_at: string;
}

export class PgUserStore implements UserDirectory {
  private readonly ready: Promise<void>;

  constructor(
    private readonly store: PostgresStore,
    private readonly opts: { cost?: number } = {},
  ) {
    this.ready = store.migrate("users", PG.migrations);
    this.ready.catch(() => {}); // reported by the first call
  }

  private async q<R extends object>(text: string, values: unknown[] = []): Promise<R[]> {
    await this.ready;
    return this.store.query<R & Record<string, unknown>>(text, values);
  }

  async create(name: string, role: string, password: string): Promise<User> {
    checkNewUser(name, role, password);
    const hash = hashPassword(password, this.opts.cost);
    const made = await this.q(PG.insert, [name, role, hash, new Date().toISOString()]);
    if (made.length === 0) {
      throw new InterdictError("INTERDICT_E_USAGE", `user ${name} exists already`, { field: "name" });
    }
    return { name, role };
  }

  async get(name: string): Promise<User | undefined> {
    const [r] = await this.q<UserRow>(PG.byName, [name]);
    return r ? { name: r.name, role: r.role } : undefined;
  }

  async list(): Promise<UserListing[]> {
    return (await this.q<UserRow>(PG.list)).map((r) => ({
      name: r.name,
      role: r.role,
      lockedUntil: r.locked_until,
      createdAt: r.created_at,
    }));
  }

  /** As UserStore.login: `maxFailures` wrong passwords in a row lock the account for `lockMinutes`. */
  async login(name: string, password: string, now = new Date()): Promise<LoginResult> {
    const [r] = await this.q<UserRow>(PG.byName, [name]);
    if (!r) {
      // Spend the same time as a real check, so a response time does not tell which names exist.
      checkPassword(password, hashPassword("x", this.opts.cost));
      return { ok: false, reason: "unknown" };
    }
    if (r.locked_until && r.locked_until > now.toISOString()) {
      return { ok: false, reason: "locked", lockedUntil: r.locked_until };
    }
    if (!checkPassword(password, r.password)) {
      const lock = new Date(now.getTime() + USER_DEFAULTS.lockMinutes * 60_000).toISOString();
      const [after] = await this.q<{ failures: number; locked_until: string | null }>(PG.fail, [
        name,
        lock,
        USER_DEFAULTS.maxFailures,
      ]);
      return after?.locked_until && after.locked_until > now.toISOString()
        ? { ok: false, reason: "locked", lockedUntil: after.locked_until }
        : { ok: false, reason: "password" };
    }
    await this.q(PG.ok, [name]);
    await this.q(PG.sweep, [now.toISOString()]);
    const n = newSession(now);
    await this.q(PG.insertSession, [n.tokenHash, name, n.csrf, n.createdAt, n.expiresAt]);
    return {
      ok: true,
      token: n.token,
      session: { user: { name, role: r.role }, csrf: n.csrf, expiresAt: n.expiresAt },
    };
  }

  async session(token: string, now = new Date()): Promise<Session | undefined> {
    const [r] = await this.q<{ user_name: string; csrf: string; expires_at: string; role: UserRole }>(
      PG.session,
      [tokenHash(token)],
    );
    if (!r || r.expires_at < now.toISOString()) return undefined;
    return { user: { name: r.user_name, role: r.role }, csrf: r.csrf, expiresAt: r.expires_at };
  }

  async logout(token: string): Promise<void> {
    await this.q(PG.endSession, [tokenHash(token)]);
  }
}

/** The SQLite accounts behind the asynchronous interface (they answer at once). */
class SqliteUsers implements UserDirectory {
  constructor(private readonly users: UserStore) {}
  async create(name: string, role: string, password: string) {
    return this.users.create(name, role, password);
  }
  async get(name: string) {
    return this.users.get(name);
  }
  async list() {
    return this.users.list();
  }
  async login(name: string, password: string, now?: Date) {
    return this.users.login(name, password, now);
  }
  async session(token: string, now?: Date) {
    return this.users.session(token, now);
  }
  async logout(token: string) {
    this.users.logout(token);
  }
}

/** The console's accounts on the store's own engine. `cost`: scrypt's, for new passwords. */
export function usersOf(store: Store, opts: { cost?: number } = {}): UserDirectory {
  if (store instanceof SqliteStore) return new SqliteUsers(new UserStore(store.db, opts));
  if (store instanceof PostgresStore) return new PgUserStore(store, opts);
  throw new InterdictError("INTERDICT_E_USAGE", "console users need a SQLite or PostgreSQL store");
}
