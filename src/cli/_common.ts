// What every command shares: opening the store, printing tables or JSON, progress on stderr,
// and turning errors into one clear line and an exit code.

import { createWriteStream } from "node:fs";
import { resolve } from "node:path";
import { InterdictError } from "../errors.js";
import { isPostgresUrl, openStoreAt } from "../store/open.js";
import type { Store } from "../store/store.js";

export const DEFAULT_DB = "./data/interdict.db";

export interface GlobalOptions {
  db?: string;
  quiet?: boolean;
}

/** The store named by --db, else INTERDICT_DB, else ./data/interdict.db. */
export function storePath(opts: GlobalOptions): string {
  return opts.db ?? process.env.INTERDICT_DB ?? DEFAULT_DB;
}

/**
 * SQLite for a path, PostgreSQL for a postgres:// URL (`?schema=` picks the schema). Synchronous:
 * PostgresStore connects and migrates on its first call.
 */
export function openStore(opts: GlobalOptions): Store {
  return openStoreAt(storePath(opts));
}

/** Data directory: beside the database (downloads are kept there), ./data for PostgreSQL. */
export function dataDir(opts: GlobalOptions): string {
  const path = storePath(opts);
  return resolve(isPostgresUrl(path) ? DEFAULT_DB : path, "..");
}

/**
 * Where a command writes its output: a file, or stdout. `write` respects back-pressure, so a
 * large output to a slow pipe keeps memory flat.
 */
export function output(path?: string): { write(text: string): Promise<void>; close(): Promise<void> } {
  const out: NodeJS.WritableStream = path ? createWriteStream(path) : process.stdout;
  return {
    async write(text) {
      if (!out.write(text)) await new Promise<void>((r) => out.once("drain", () => r()));
    },
    async close() {
      if (path) await new Promise<void>((r) => out.end(() => r()));
    },
  };
}

export function printJson(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}

export function printJsonLine(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value)}\n`);
}

/** A plain text table; numbers are right-aligned. */
export function printTable(headers: string[], rows: (string | number)[][]): void {
  const cells = [headers, ...rows.map((r) => r.map(String))];
  const widths = headers.map((_, i) => Math.max(...cells.map((r) => (r[i] ?? "").length)));
  const numeric = headers.map((_, i) => rows.length > 0 && rows.every((r) => typeof r[i] === "number"));
  for (const [n, row] of cells.entries()) {
    const line = row
      .map((c, i) => (numeric[i] ? c.padStart(widths[i] ?? 0) : c.padEnd(widths[i] ?? 0)))
      .join("  ")
      .trimEnd();
    process.stdout.write(`${line}\n`);
    if (n === 0) process.stdout.write(`${widths.map((w) => "-".repeat(w)).join("  ")}\n`);
  }
}

const fmtBytes = (n: number): string =>
  n >= 1048576 ? `${(n / 1048576).toFixed(1)} MB` : n >= 1024 ? `${(n / 1024).toFixed(0)} kB` : `${n} B`;

/**
 * A progress line on stderr, redrawn in place on a terminal and written at most every few
 * seconds elsewhere (so CI logs stay short). Silent with --quiet.
 */
export function progressLine(quiet = false): { update(text: string): void; done(text?: string): void } {
  const tty = process.stderr.isTTY;
  let last = 0;
  let shown = false;
  return {
    update(text) {
      if (quiet) return;
      const now = Date.now();
      if (tty && now - last > 100) {
        process.stderr.write(`\r\x1b[2K${text}`);
        shown = true;
        last = now;
      } else if (!tty && now - last > 5000) {
        if (last !== 0) process.stderr.write(`${text}\n`);
        last = now;
      }
    },
    done(text) {
      if (quiet) return;
      if (tty && shown) process.stderr.write("\r\x1b[2K");
      if (text) process.stderr.write(`${text}\n`);
    },
  };
}

export function describeBytes(bytes: number, total: number): string {
  const pct = total > 0 ? ` (${Math.min(100, Math.round((100 * bytes) / total))} %)` : "";
  return `${fmtBytes(bytes)} of ${fmtBytes(total)}${pct}`;
}

const EXIT_CODES: Record<string, number> = {
  INTERDICT_E_USAGE: 2,
  INTERDICT_E_UNKNOWN_DATASET: 2,
  INTERDICT_E_LIST_FORMAT: 3,
  INTERDICT_E_UNKNOWN_FORMAT: 3,
  INTERDICT_E_LIMIT: 3,
  INTERDICT_E_SUSPECT_VERSION: 4,
  INTERDICT_E_DOWNLOAD: 5,
  INTERDICT_E_NOT_FOUND: 6,
  INTERDICT_E_INPUT: 3,
  INTERDICT_E_FORBIDDEN: 8,
};

/** Prints an error as one line (with its code) and returns the exit code. */
export function reportError(e: unknown): number {
  if (e instanceof InterdictError) {
    process.stderr.write(`interdict: ${e.message} [${e.code}]\n`);
    return EXIT_CODES[e.code] ?? 1;
  }
  process.stderr.write(
    `interdict: unexpected error: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`,
  );
  return 1;
}

/** Runs a command body with the store open, closing it however the body ends. */
export async function withStore<T>(opts: GlobalOptions, body: (store: Store) => Promise<T>): Promise<T> {
  const store = openStore(opts);
  try {
    return await body(store);
  } finally {
    await store.close();
  }
}
