// The running service: the app listening, the index loading behind it, and a shutdown that
// stops accepting, lets in-flight requests finish, then frees the index (the caller closes
// the store). `interdict serve` and the tests start it the same way.

import type Database from "better-sqlite3";
import type { Store } from "../store/store.js";
import { type App, buildApp, datasetTitle } from "./app.js";
import type { ServiceConfig } from "./config.js";
import { LiveIndex } from "./live.js";
import { KeyStore, ScreeningLog } from "./records.js";
import { serviceRecords } from "./records-pg.js";

export interface ServiceOptions {
  store: Store;
  /**
   * A SQLite handle for the keys and screening records; by default they sit beside the lists
   * on the store's own engine (SQLite or PostgreSQL).
   */
  db?: Database.Database;
  /** A second connection to the same store, to feed worker threads (required when workers > 0). */
  feed?: Pick<Store, "entities">;
  config: ServiceConfig;
  logStream?: NodeJS.WritableStream;
  /** Build the index before listening (tests); by default the service listens first, /readyz says when it can screen. */
  waitForIndex?: boolean;
}

export interface RunningService {
  readonly app: App;
  readonly live: LiveIndex;
  /** http://host:port as bound (port 0 resolved). */
  readonly url: string;
  /** Resolves once the first index is loaded (or failed to load). */
  readonly indexed: Promise<void>;
  close(): Promise<void>;
}

export async function startService(o: ServiceOptions): Promise<RunningService> {
  const { config } = o;
  let app: App | undefined;
  const live = new LiveIndex(o.store, {
    workers: config.workers,
    pollInterval: config.pollInterval,
    ...(o.feed ? { feed: o.feed } : {}),
    datasetTitle,
    log: {
      info: (obj, msg) => app?.log.info(obj, msg),
      error: (obj, msg) => app?.log.error(obj, msg),
    },
  });
  const records = o.db
    ? { keys: new KeyStore(o.db), screenings: new ScreeningLog(o.db) }
    : serviceRecords(o.store);
  app = await buildApp({
    store: o.store,
    live,
    ...records,
    config,
    ...(o.logStream ? { logStream: o.logStream } : {}),
  });
  let indexed: Promise<void>;
  if (o.waitForIndex) {
    await live.start();
    indexed = Promise.resolve();
  }
  await app.listen({ port: config.port, host: config.host });
  if (!o.waitForIndex) indexed = live.start();
  const addr = app.server.address();
  const url =
    typeof addr === "object" && addr
      ? `http://${addr.family === "IPv6" ? `[${addr.address}]` : addr.address}:${addr.port}`
      : String(addr);
  let closing: Promise<void> | undefined;
  const running: RunningService = {
    app,
    live,
    url,
    indexed: indexed!,
    close() {
      closing ??= (async () => {
        const a = app as App;
        // Stop accepting and wait for in-flight requests; past the timeout, cut connections.
        const timer = setTimeout(() => a.server.closeAllConnections(), config.shutdownTimeout * 1000);
        timer.unref();
        await a.close();
        clearTimeout(timer);
        await live.close();
      })();
      return closing;
    },
  };
  return running;
}
