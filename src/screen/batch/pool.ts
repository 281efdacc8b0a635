// A pool of worker threads answering requests: each worker starts from a TypeScript entry (run
// through src/workers/_boot.mjs, which registers the loader), says it is ready, then answers
// `{seq, ...request}` with `{seq, ...reply}`. The least busy worker takes each request; a worker
// that fails fails every request waiting on the pool.

import { availableParallelism } from "node:os";
import { Worker } from "node:worker_threads";

export const POOL_DEFAULTS = {
  workers: Math.max(1, availableParallelism()),
  /** Rows per request: large enough that messaging costs little. */
  batch: 200,
  /**
   * Each worker's old-generation heap limit. V8 grows a busy isolate's heap lazily (garbage
   * collected late, RSS climbing); a limit makes it collect, so memory stays flat over a long
   * batch. A matcher over every list holds about 230 MB of it.
   */
  maxOldGenerationMb: 768,
};

export interface Pool<Req, Res> {
  readonly size: number;
  request(req: Req): Promise<Res>;
  close(): Promise<void>;
}

/** Starts `n` workers running `entry` with `data` as their workerData; resolves when all are ready. */
export async function startPool<Req extends object, Res>(
  entry: URL,
  n: number,
  data: Record<string, unknown>,
  limits: { maxOldGenerationMb?: number } = {},
): Promise<Pool<Req, Res>> {
  const boot = new URL("../../workers/_boot.mjs", import.meta.url);
  const workers = Array.from(
    { length: n },
    () =>
      new Worker(boot, {
        workerData: { ...data, entry: entry.href },
        resourceLimits: {
          maxOldGenerationSizeMb: limits.maxOldGenerationMb ?? POOL_DEFAULTS.maxOldGenerationMb,
        },
      }),
  );
  const pending = new Map<number, { resolve: (r: Res) => void; reject: (e: Error) => void }>();
  const load = workers.map(() => 0);
  let failure: Error | undefined;
  const fail = (e: Error): void => {
    failure ??= e;
    for (const p of pending.values()) p.reject(e);
    pending.clear();
  };
  try {
    await Promise.all(
      workers.map(
        (w, i) =>
          new Promise<void>((resolve, reject) => {
            w.on("message", (m: { ready?: boolean; seq?: number; error?: string }) => {
              if (m.ready) return resolve();
              if (m.seq === undefined) return;
              load[i] = (load[i] ?? 1) - 1;
              const p = pending.get(m.seq);
              pending.delete(m.seq);
              if (m.error !== undefined) p?.reject(new Error(m.error));
              else p?.resolve(m as Res);
            });
            w.on("error", (e) => {
              fail(e);
              reject(e);
            });
            w.on("exit", (code) => {
              if (code !== 0) fail(new Error(`a worker thread stopped (exit code ${code})`));
            });
          }),
      ),
    );
  } catch (e) {
    await Promise.all(workers.map((w) => w.terminate()));
    throw e;
  }
  let seq = 0;
  return {
    size: n,
    request(req) {
      if (failure) return Promise.reject(failure);
      const i = load.indexOf(Math.min(...load));
      load[i] = (load[i] ?? 0) + 1;
      const id = seq++;
      return new Promise<Res>((resolve, reject) => {
        pending.set(id, { resolve, reject });
        workers[i]?.postMessage({ ...req, seq: id });
      });
    },
    async close() {
      await Promise.all(workers.map((w) => w.terminate()));
    },
  };
}
