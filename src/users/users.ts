// Console users: local accounts with scrypt-hashed passwords, sessions (random tokens, only
// their SHA-256 stored) each with its own CSRF token, and lock-out after repeated failures.
// All the SQL is in `SQL`.

import { createHash, randomBytes, scryptSync, timingSafeEqual } from "node:crypto";
import type Database from "better-sqlite3";
import { InterdictError } from "../errors.js";

export const USER_ROLES = ["auditor", "analyst", "supervisor", "admin"] as const;
export type UserRole = (typeof USER_ROLES)[number];

/**
 * Who outranks whom for four-eyes confirmation: analyst < supervisor < admin. An auditor
 * reads everything and decides nothing, so it ranks below all of them.
 */
export const roleRank = (r: UserRole): number => USER_ROLES.indexOf(r);

export const isUserRole = (s: string): s is UserRole => (USER_ROLES as readonly string[]).includes(s);

export const USER_DEFAULTS = {
  /** scrypt cost (N=2^15, r=8, p=1: ~50 ms, 32 MiB: OWASP's minimum is 2^17 with r=8 at p=1 for
   *  interactive logins on servers; 2^15 keeps tests fast and is raised by passing `cost`). */
  cost: 2 ** 15,
  keyLength: 32,
  minPassword: 10,
  /** Failed logins in a row before the account locks. */
  maxFailures: 5,
  lockMinutes: 15,
  sessionHours: 8,
};

const SQL = {
  schema: `
    CREATE TABLE IF NOT EXISTS console_user (
      name TEXT PRIMARY KEY,
      role TEXT NOT NULL,
      password TEXT NOT NULL,
      failures INTEGER NOT NULL DEFAULT 0,
      locked_until TEXT,
      created_at TEXT NOT NULL
    );
    CREATE TABLE IF NOT EXISTS console_session (
      token_hash TEXT PRIMARY KEY,
      user_name TEXT NOT NULL,
      csrf TEXT NOT NULL,
      created_at TEXT NOT NULL,
      expires_at TEXT NOT NULL
    );`,
  insert: "INSERT INTO console_user (name, role, password, created_at) VALUES (?, ?, ?, ?)",
  byName: "SELECT * FROM console_user WHERE name = ?",
  list: "SELECT name, role, failures, locked_until, created_at FROM console_user ORDER BY name",
  fail: "UPDATE console_user SET failures = failures + 1, locked_until = ? WHERE name = ?",
  ok: "UPDATE console_user SET failures = 0, locked_until = NULL WHERE name = ?",
  insertSession:
    "INSERT INTO console_session (token_hash, user_name, csrf, created_at, expires_at) VALUES (?, ?, ?, ?, ?)",
  session: `SELECT s.user_name, s.csrf, s.expires_at, u.role FROM console_session s
            JOIN console_user u ON u.name = s.user_name WHERE s.token_hash = ?`,
  endSession: "DELETE FROM console_session WHERE token_hash = ?",
  sweep: "DELETE FROM console_session WHERE expires_at < ?",
} as const;

export interface User {
  readonly name: string;
  readonly role: UserRole;
}

export interface Session {
  readonly user: User;
  readonly csrf: string;
  readonly expiresAt: string;
}

interface UserRow {
  name: string;
  role: UserRole;
  password: string;
  failures: number;
  locked_until: string | null;
  created_at: string;
}

const sha256 = (s: string) => createHash("sha256").update(s).digest("hex");

/** `scrypt$N$r$p$salt$hash` (base64url), so the cost can rise without breaking old hashes. */
export function hashPassword(password: string, cost = USER_DEFAULTS.cost): string {
  const salt = randomBytes(16);
  const key = scryptSync(password, salt, USER_DEFAULTS.keyLength, {
    N: cost,
    r: 8,
    p: 1,
    maxmem: 256 * cost * 8,
  });
  return `scrypt$${cost}$8$1$${salt.toString("base64url")}$${key.toString("base64url")}`;
}

export function checkPassword(password: string, stored: string): boolean {
  const [alg, n, r, p, salt, key] = stored.split("$");
  if (alg !== "scrypt" || !salt || !key) return false;
  const N = Number(n);
  const want = Buffer.from(key, "base64url");
  const got = scryptSync(password, Buffer.from(salt, "base64url"), want.length, {
    N,
    r: Number(r),
    p: Number(p),
    maxmem: 256 * N * Number(r),
  });
  return timingSafeEqual(got, want);
}

/** Refuses a name, role or password a new account may not have, naming the field. */
export function checkNewUser(name: string, role: string, password: string): asserts role is UserRole {
  if (!/^[\w.@-]{1,64}$/.test(name)) {
    throw new InterdictError("INTERDICT_E_USAGE", "a user name is 1-64 letters, digits, . _ @ or -", {
      field: "name",
    });
  }
  if (!isUserRole(role)) {
    throw new InterdictError("INTERDICT_E_USAGE", `unknown role "${role}"; roles: ${USER_ROLES.join(", ")}`, {
      field: "role",
    });
  }
  if (password.length < USER_DEFAULTS.minPassword) {
    throw new InterdictError(
      "INTERDICT_E_USAGE",
      `a password needs at least ${USER_DEFAULTS.minPassword} characters`,
      { field: "password" },
    );
  }
}

/** A fresh session for `name`: the token (given to the browser), its hash (stored) and CSRF token. */
export function newSession(now: Date) {
  const token = randomBytes(32).toString("base64url");
  return {
    token,
    tokenHash: sha256(token),
    csrf: randomBytes(32).toString("base64url"),
    createdAt: now.toISOString(),
    expiresAt: new Date(now.getTime() + USER_DEFAULTS.sessionHours * 3600_000).toISOString(),
  };
}

/** The stored form of a session token. */
export const tokenHash = (token: string): string => sha256(token);

/** A user as listed: with when the account was made and until when it is locked. */
export type UserListing = User & { lockedUntil: string | null; createdAt: string };

/**
 * The accounts and sessions of either store, asynchronous: UserStore on SQLite (answering at
 * once, `usersOf` in users-pg.ts wraps it) and PgUserStore on PostgreSQL, where a session made
 * through one replica is found by every other.
 */
export interface UserDirectory {
  create(name: string, role: string, password: string): Promise<User>;
  get(name: string): Promise<User | undefined>;
  list(): Promise<UserListing[]>;
  login(name: string, password: string, now?: Date): Promise<LoginResult>;
  session(token: string, now?: Date): Promise<Session | undefined>;
  logout(token: string): Promise<void>;
}

export type LoginResult =
  | { readonly ok: true; readonly token: string; readonly session: Session }
  | { readonly ok: false; readonly reason: "unknown" | "password" | "locked"; readonly lockedUntil?: string };

export class UserStore {
  private readonly s;

  constructor(
    db: Database.Database,
    private readonly opts: { cost?: number } = {},
  ) {
    db.exec(SQL.schema);
    this.s = Object.fromEntries(
      Object.entries(SQL)
        .filter(([k]) => k !== "schema")
        .map(([k, v]) => [k, db.prepare(v)]),
    ) as Record<Exclude<keyof typeof SQL, "schema">, Database.Statement>;
  }

  create(name: string, role: string, password: string): User {
    checkNewUser(name, role, password);
    if (this.s.byName.get(name)) {
      throw new InterdictError("INTERDICT_E_USAGE", `user ${name} exists already`, { field: "name" });
    }
    this.s.insert.run(name, role, hashPassword(password, this.opts.cost), new Date().toISOString());
    return { name, role };
  }

  get(name: string): User | undefined {
    const r = this.s.byName.get(name) as UserRow | undefined;
    return r ? { name: r.name, role: r.role } : undefined;
  }

  list(): UserListing[] {
    return (this.s.list.all() as UserRow[]).map((r) => ({
      name: r.name,
      role: r.role,
      lockedUntil: r.locked_until,
      createdAt: r.created_at,
    }));
  }

  /**
   * Checks a password. After `maxFailures` wrong passwords in a row the account is locked for
   * `lockMinutes`, and while locked even the right password is refused.
   */
  login(name: string, password: string, now = new Date()): LoginResult {
    const r = this.s.byName.get(name) as UserRow | undefined;
    if (!r) {
      // Spend the same time as a real check, so a response time does not tell which names exist.
      checkPassword(password, hashPassword("x", this.opts.cost));
      return { ok: false, reason: "unknown" };
    }
    if (r.locked_until && r.locked_until > now.toISOString()) {
      return { ok: false, reason: "locked", lockedUntil: r.locked_until };
    }
    if (!checkPassword(password, r.password)) {
      const failures = r.failures + 1;
      const lock =
        failures >= USER_DEFAULTS.maxFailures
          ? new Date(now.getTime() + USER_DEFAULTS.lockMinutes * 60_000).toISOString()
          : null;
      this.s.fail.run(lock, name);
      return lock ? { ok: false, reason: "locked", lockedUntil: lock } : { ok: false, reason: "password" };
    }
    this.s.ok.run(name);
    this.s.sweep.run(now.toISOString());
    const n = newSession(now);
    this.s.insertSession.run(n.tokenHash, name, n.csrf, n.createdAt, n.expiresAt);
    return {
      ok: true,
      token: n.token,
      session: { user: { name, role: r.role }, csrf: n.csrf, expiresAt: n.expiresAt },
    };
  }

  session(token: string, now = new Date()): Session | undefined {
    const r = this.s.session.get(sha256(token)) as
      | { user_name: string; csrf: string; expires_at: string; role: UserRole }
      | undefined;
    if (!r || r.expires_at < now.toISOString()) return undefined;
    return { user: { name: r.user_name, role: r.role }, csrf: r.csrf, expiresAt: r.expires_at };
  }

  logout(token: string): void {
    this.s.endSession.run(sha256(token));
  }
}
