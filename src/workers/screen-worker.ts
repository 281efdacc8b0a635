// A screening worker thread: builds its own matcher from the store once, then screens the
// batches the main thread sends, in the order they come.

import { parentPort, workerData } from "node:worker_threads";
import { Matcher, type MatchOptions } from "../match/matcher.js";
import type { SubjectRow } from "../screen/subject-row.js";
import { SqliteStore } from "../store/sqlite.js";
import { screenRows } from "./screen.js";

interface Init {
  readonly db: string;
  readonly datasets?: string[];
  readonly options: MatchOptions;
}

const init = workerData as Init;
const store = new SqliteStore(init.db);
const matcher = await Matcher.fromStore(store, init.datasets);
await store.close();
parentPort?.postMessage({ ready: true });
parentPort?.on("message", (batch: { seq: number; rows: SubjectRow[] }) => {
  parentPort?.postMessage({ seq: batch.seq, lines: screenRows(matcher, batch.rows, init.options) });
});
