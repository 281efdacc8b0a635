// Batch screening: rows in, one JSON line out per row, in input order, on as many worker
// threads as asked (each with its own matcher: the index is read-only, so nothing is shared).

import { availableParallelism } from "node:os";
import { Worker } from "node:worker_threads";
import type { Matcher, MatchOptions, MatchResult } from "../match/matcher.js";
import type { SubjectRow } from "../screen/subject-row.js";

export function resultJson(r: MatchResult) {
  return {
    entity_id: r.entity.id,
    caption: r.entity.caption,
    schema: r.entity.schema,
    score: Math.round(r.score * 1000) / 1000,
    match: r.match,
    datasets: r.entity.datasets,
    programs: r.entity.programs,
    explanation: r.explanation,
  };
}

/** Screens rows in this thread; returns one JSON line per row. */
export function screenRows(matcher: Matcher, rows: readonly SubjectRow[], opts: MatchOptions): string[] {
  return rows.map((r) => JSON.stringify({ id: r.id, matches: matcher.match(r.query, opts).map(resultJson) }));
}

export const POOL_DEFAULTS = {
  workers: Math.max(1, availableParallelism()),
  /** Rows per message to a worker: large enough that messaging costs little. */
  batch: 200,
};

export interface Pool {
  /** Screens a batch; resolves with its lines. Batches may complete out of order. */
  screen(rows: SubjectRow[]): Promise<string[]>;
  close(): Promise<void>;
}

/** Starts `n` workers, each loading the lists from the store at `db`; resolves when all are ready. */
export async function startPool(
  n: number,
  db: string,
  options: MatchOptions,
  datasets?: string[],
): Promise<Pool> {
  const entry = new URL("./screen-worker.ts", import.meta.url).href;
  const boot = new URL("./_boot.mjs", import.meta.url);
  const workers = Array.from(
    { length: n },
    () => new Worker(boot, { workerData: { entry, db, options, ...(datasets ? { datasets } : {}) } }),
  );
  const pending = new Map<number, (lines: string[]) => void>();
  const load = workers.map(() => 0);
  let failure: Error | undefined;
  await Promise.all(
    workers.map(
      (w, i) =>
        new Promise<void>((resolve, reject) => {
          w.on("message", (m: { ready?: boolean; seq?: number; lines?: string[] }) => {
            if (m.ready) return resolve();
            if (m.seq !== undefined && m.lines) {
              load[i] = (load[i] ?? 1) - 1;
              pending.get(m.seq)?.(m.lines);
              pending.delete(m.seq);
            }
          });
          w.on("error", (e) => {
            failure = e;
            reject(e);
          });
        }),
    ),
  );
  let seq = 0;
  return {
    screen(rows) {
      if (failure) return Promise.reject(failure);
      // The least busy worker takes the batch.
      const i = load.indexOf(Math.min(...load));
      load[i] = (load[i] ?? 0) + 1;
      const id = seq++;
      return new Promise((resolve) => {
        pending.set(id, resolve);
        workers[i]?.postMessage({ seq: id, rows });
      });
    },
    async close() {
      await Promise.all(workers.map((w) => w.terminate()));
    },
  };
}
