// A screening worker thread: builds its own matcher from the store once, then screens what the
// main thread sends, in the order it comes: batch rows (output lines and hits, for
// `interdict screen`) or register subjects (findings, for monitoring).

import { parentPort, workerData } from "node:worker_threads";
import { Matcher, type MatchOptions } from "../match/matcher.js";
import { type SubjectToScreen, screenFindings } from "../monitor/findings.js";
import { loadResolution } from "../resolve/canonical.js";
import { type LineFormat, screenBatch } from "../screen/batch/rows.js";
import type { SubjectRow } from "../screen/subject-row.js";
import { openStoreAt } from "../store/open.js";

interface Init {
  readonly db: string;
  readonly datasets?: string[];
  readonly options: MatchOptions;
}

type Request =
  | { seq: number; kind: "batch"; rows: SubjectRow[]; format: LineFormat }
  | { seq: number; kind: "findings"; subjects: SubjectToScreen[]; countPairs?: boolean };

const init = workerData as Init;
const store = openStoreAt(init.db);
const matcher = await Matcher.fromStore(store, init.datasets);
// Batch results are per person (monitoring groups its findings in the main thread instead).
const resolution = await loadResolution(store);
await store.close();
parentPort?.postMessage({ ready: true });
parentPort?.on("message", (m: Request) => {
  try {
    if (m.kind === "batch") {
      parentPort?.postMessage({
        seq: m.seq,
        ...screenBatch(matcher, m.rows, init.options, m.format, resolution),
      });
    } else {
      let pairs = 0;
      const count = m.countPairs ? (n: number) => void (pairs += n) : undefined;
      parentPort?.postMessage({
        seq: m.seq,
        findings: screenFindings(matcher, m.subjects, init.options, count),
        pairs,
      });
    }
  } catch (e) {
    parentPort?.postMessage({ seq: m.seq, error: (e as Error).stack ?? String(e) });
  }
});
