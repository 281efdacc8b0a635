// The service's settings: one table, each setting with its flag, its INTERDICT_* variable, its
// default and what it does. A flag beats the variable, the variable beats the default. The
// README's configuration table is this table.

import { InterdictError } from "../errors.js";

export interface ServiceConfig {
  /** Address to listen on. Loopback by default: exposing the service is a deliberate act. */
  host: string;
  port: number;
  /** Matching threads; 0 matches on the request thread (a swap then stalls requests). */
  workers: number;
  /** Largest request body, in bytes. */
  bodyLimit: number;
  /** Requests per second per API key (token bucket refill); 0 turns rate limiting off. */
  rateLimit: number;
  /** Requests a key may make at once before the rate applies (bucket size). */
  rateBurst: number;
  /** Origins allowed to call from a browser (`*` for any); none means CORS is off. */
  corsOrigins: string[];
  /** Seconds between checks of the store for new list versions; 0 never checks. */
  pollInterval: number;
  /** Queries in one /match or /reconcile batch. */
  maxBatch: number;
  /** Seconds in-flight requests get to finish on SIGTERM before connections are cut. */
  shutdownTimeout: number;
  logLevel: "fatal" | "error" | "warn" | "info" | "debug" | "trace" | "silent";
  /** Believe X-Forwarded-* headers (behind a reverse proxy). */
  trustProxy: boolean;
}

export const SERVICE_DEFAULTS = {
  host: "127.0.0.1",
  port: 8000,
  workers: 1,
  bodyLimit: 1_048_576,
  rateLimit: 50,
  rateBurst: 100,
  corsOrigins: [],
  pollInterval: 10,
  maxBatch: 100,
  shutdownTimeout: 10,
  logLevel: "info",
  trustProxy: false,
} satisfies ServiceConfig;

type Key = keyof ServiceConfig;

export interface Setting {
  readonly key: Key;
  readonly flag: string;
  readonly env: string;
  readonly description: string;
  readonly parse: (text: string, name: string) => ServiceConfig[Key];
}

function integer(min: number, max: number) {
  return (text: string, name: string): number => {
    const n = Number(text);
    if (!/^\s*\d+\s*$/.test(text) || n < min || n > max) {
      throw new InterdictError("INTERDICT_E_USAGE", `${name} must be a whole number from ${min} to ${max}`, {
        field: name,
      });
    }
    return n;
  };
}

function number(min: number, max: number) {
  return (text: string, name: string): number => {
    const n = Number(text);
    if (text.trim() === "" || !Number.isFinite(n) || n < min || n > max) {
      throw new InterdictError("INTERDICT_E_USAGE", `${name} must be a number from ${min} to ${max}`, {
        field: name,
      });
    }
    return n;
  };
}

const LOG_LEVELS = ["fatal", "error", "warn", "info", "debug", "trace", "silent"] as const;

export const SETTINGS: readonly Setting[] = [
  {
    key: "host",
    flag: "--host",
    env: "INTERDICT_HOST",
    description: "address to listen on (0.0.0.0 for every interface)",
    parse: (t) => t.trim(),
  },
  {
    key: "port",
    flag: "--port",
    env: "INTERDICT_PORT",
    description: "TCP port (0 picks a free one)",
    parse: integer(0, 65535),
  },
  {
    key: "workers",
    flag: "--workers",
    env: "INTERDICT_WORKERS",
    description: "matching threads, each with its own index; 0 matches on the request thread",
    parse: integer(0, 64),
  },
  {
    key: "bodyLimit",
    flag: "--body-limit",
    env: "INTERDICT_BODY_LIMIT",
    description: "largest request body in bytes (413 beyond)",
    parse: integer(1024, 1 << 30),
  },
  {
    key: "rateLimit",
    flag: "--rate-limit",
    env: "INTERDICT_RATE_LIMIT",
    description: "requests per second per API key, a batch counting one per query (429 beyond); 0 = off",
    parse: number(0, 1e9),
  },
  {
    key: "rateBurst",
    flag: "--rate-burst",
    env: "INTERDICT_RATE_BURST",
    description: "requests a key may make at once before the rate applies",
    parse: integer(1, 1e9),
  },
  {
    key: "corsOrigins",
    flag: "--cors-origin",
    env: "INTERDICT_CORS_ORIGINS",
    description: "origins allowed from browsers, comma-separated (`*` = any); unset = CORS off",
    parse: (t) =>
      t
        .split(",")
        .map((s) => s.trim())
        .filter(Boolean),
  },
  {
    key: "pollInterval",
    flag: "--poll-interval",
    env: "INTERDICT_POLL_INTERVAL",
    description:
      "seconds between checks for a new list version (then the index is rebuilt and swapped); 0 = never",
    parse: number(0, 86400),
  },
  {
    key: "maxBatch",
    flag: "--max-batch",
    env: "INTERDICT_MAX_BATCH",
    description: "queries in one /match or /reconcile batch",
    parse: integer(1, 10000),
  },
  {
    key: "shutdownTimeout",
    flag: "--shutdown-timeout",
    env: "INTERDICT_SHUTDOWN_TIMEOUT",
    description: "seconds in-flight requests get to finish after SIGTERM",
    parse: number(0, 3600),
  },
  {
    key: "logLevel",
    flag: "--log-level",
    env: "INTERDICT_LOG_LEVEL",
    description: `JSON log level on stdout: ${LOG_LEVELS.join(", ")}`,
    parse: (t, name) => {
      const level = t.trim().toLowerCase();
      if (!(LOG_LEVELS as readonly string[]).includes(level)) {
        throw new InterdictError("INTERDICT_E_USAGE", `${name} must be one of ${LOG_LEVELS.join(", ")}`, {
          field: name,
        });
      }
      return level as ServiceConfig["logLevel"];
    },
  },
  {
    key: "trustProxy",
    flag: "--trust-proxy",
    env: "INTERDICT_TRUST_PROXY",
    description: "believe X-Forwarded-For/-Proto/-Host (behind a reverse proxy): true or false",
    parse: (t, name) => {
      if (/^(1|true|yes|on)$/i.test(t.trim())) return true;
      if (/^(0|false|no|off)$/i.test(t.trim())) return false;
      throw new InterdictError("INTERDICT_E_USAGE", `${name} must be true or false`, { field: name });
    },
  },
];

/**
 * The settings from flags (by key, as the CLI parsed them: strings, or string lists for
 * repeatable flags) over INTERDICT_* variables over the defaults. A bad value is refused with
 * the flag or variable named.
 */
export function loadConfig(
  flags: Partial<Record<Key, string | string[] | boolean>> = {},
  env: NodeJS.ProcessEnv = process.env,
): ServiceConfig {
  const config: ServiceConfig = { ...SERVICE_DEFAULTS, corsOrigins: [...SERVICE_DEFAULTS.corsOrigins] };
  const target = config as unknown as Record<Key, unknown>;
  for (const s of SETTINGS) {
    const flag = flags[s.key];
    const fromEnv = env[s.env];
    if (flag !== undefined) {
      const text = Array.isArray(flag) ? flag.join(",") : String(flag);
      target[s.key] = s.parse(text, s.flag);
    } else if (fromEnv !== undefined && fromEnv !== "") {
      target[s.key] = s.parse(fromEnv, s.env);
    }
  }
  return config;
}
