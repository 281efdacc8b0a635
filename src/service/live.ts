// The index the service answers from, kept current: at start and whenever the store's current
// list versions change (polled cheaply), a new generation is built off the request path and
// swapped in with one assignment. A request holds the generation it started with until it
// ends, so none fails or mixes versions during a swap; the old generation is freed once idle.
//
// On worker threads (the default) the main thread only reads the store, in time-boxed chunks
// between requests, and posts the entities to the new workers, which do the CPU-bound
// analysis and indexing. With `workers: 0` everything runs on the request thread, which then
// stalls while a generation builds (fine for tests and small lists).

import { setImmediate as yieldToEventLoop } from "node:timers/promises";
import { Worker } from "node:worker_threads";
import { type ErrorCode, InterdictError, type Location } from "../errors.js";
import type { Entity } from "../model/entity.js";
import type { Payment, PaymentOptions, PaymentScreening } from "../screen/payment/index.js";
import type { VisaApplicant, VisaOptions, VisaScreening } from "../screen/visa.js";
import type { Store } from "../store/store.js";
import { Engine, type EngineMatchRequest, type QueryResult } from "./engine.js";
import type { ListVersionRef } from "./records.js";
import type { SearchDoc, SearchRequest, SearchResponse } from "./search.js";

export interface WorkerInit {
  readonly entry: string;
  readonly versions: readonly ListVersionRef[];
  readonly titles: Readonly<Record<string, string>>;
}

/** The Engine methods a generation offers, called by name on whichever thread holds it. */
export const ENGINE_OPS = ["match", "search", "get", "visa", "payment"] as const;
type Op = (typeof ENGINE_OPS)[number];
type Call = { op: Op; args: unknown[] };

export type ToWorker =
  | { t: "chunk"; dataset: string; entities: Entity[] }
  | { t: "end"; dataset: string }
  | ({ t: "call"; id: number } & Call);

export type FromWorker =
  | { t: "ack" }
  | { t: "ready"; size: number; buildSeconds: number }
  | { t: "reply"; id: number; ok: true; value: unknown }
  | {
      t: "reply";
      id: number;
      ok: false;
      error: { code: string; message: string; where?: Record<string, unknown> };
    };

export const LIVE_DEFAULTS = {
  /** Longest the main thread reads the store before letting requests run. */
  sliceMs: 8,
  chunkSize: 1000,
  /** Chunks a worker may have unread before the main thread waits for it. */
  window: 4,
};

/** One built index: what every request of its lifetime is answered from. */
export interface Generation {
  readonly versions: readonly ListVersionRef[];
  readonly size: number;
  readonly buildSeconds: number;
  match(req: EngineMatchRequest): Promise<QueryResult[]>;
  search(req: SearchRequest): Promise<SearchResponse>;
  get(id: string): Promise<SearchDoc | undefined>;
  visa(applicant: VisaApplicant, opts?: Omit<VisaOptions, "sanctions">): Promise<VisaScreening>;
  payment(payment: Payment, opts?: Omit<PaymentOptions, "sanctions">): Promise<PaymentScreening>;
  /** Frees it once the requests holding it have ended. */
  close(): Promise<void>;
}

class InProcessGeneration implements Generation {
  constructor(private readonly engine: Engine) {}
  get versions() {
    return this.engine.versions;
  }
  get size() {
    return this.engine.size;
  }
  get buildSeconds() {
    return this.engine.buildSeconds;
  }
  async match(req: EngineMatchRequest) {
    return this.engine.match(req);
  }
  async search(req: SearchRequest) {
    return this.engine.search(req);
  }
  async get(id: string) {
    return this.engine.get(id);
  }
  async visa(applicant: VisaApplicant, opts: Omit<VisaOptions, "sanctions"> = {}) {
    return this.engine.visa(applicant, opts);
  }
  async payment(payment: Payment, opts: Omit<PaymentOptions, "sanctions"> = {}) {
    return this.engine.payment(payment, opts);
  }
  async close() {}
}

function revive(e: { code: string; message: string; where?: Record<string, unknown> }): Error {
  if (!e.code.startsWith("INTERDICT_E_")) return new Error(e.message);
  const err = new InterdictError(e.code as ErrorCode, e.message);
  (err as { where: Location }).where = (e.where ?? {}) as Location;
  return err;
}

interface Thread {
  readonly worker: Worker;
  inflight: number;
  unacked: number;
  onAck?: () => void;
}

class WorkerGeneration implements Generation {
  private readonly pending = new Map<number, { resolve(v: unknown): void; reject(e: Error): void }>();
  private seq = 0;
  private idle?: () => void;
  private broken?: Error;
  size = 0;
  buildSeconds = 0;

  private constructor(
    readonly versions: readonly ListVersionRef[],
    private readonly threads: Thread[],
  ) {}

  static async start(
    n: number,
    versions: readonly ListVersionRef[],
    feed: Pick<Store, "entities">,
    titles: Record<string, string>,
    cancelled: () => boolean = () => false,
  ): Promise<WorkerGeneration> {
    const boot = new URL("../workers/_boot.mjs", import.meta.url);
    const entry = new URL("./engine-worker.ts", import.meta.url).href;
    const init: WorkerInit = { entry, versions, titles };
    const threads: Thread[] = Array.from({ length: n }, () => ({
      worker: new Worker(boot, { workerData: init }),
      inflight: 0,
      unacked: 0,
    }));
    const gen = new WorkerGeneration(versions, threads);
    const ready = threads.map(
      (th) =>
        new Promise<{ size: number; buildSeconds: number }>((resolve, reject) => {
          th.worker.on("message", (m: FromWorker) => {
            if (m.t === "ack") {
              th.unacked--;
              th.onAck?.();
            } else if (m.t === "ready") resolve(m);
            else gen.settle(th, m);
          });
          th.worker.on("error", (e) => {
            gen.fail(e);
            reject(e);
          });
          th.worker.on("exit", (code) => {
            const e = new Error(`matching thread exited (code ${code})`);
            gen.fail(e);
            reject(e);
          });
        }),
    );
    // A build given up (the worker failed, or the service is shutting down) rejects later ones.
    for (const r of ready) r.catch(() => {});
    // If a worker dies while being fed, stop feeding and report it.
    const failed = Promise.race(ready).then(
      () => new Promise<never>(() => {}),
      (e: Error) => Promise.reject(e),
    );
    try {
      await Promise.race([gen.feed(feed, cancelled), failed]);
      const stats = await Promise.all(ready);
      gen.size = stats[0]?.size ?? 0;
      gen.buildSeconds = Math.max(...stats.map((s) => s.buildSeconds));
    } catch (e) {
      await gen.terminate();
      throw e;
    }
    return gen;
  }

  /** Reads each version a slice at a time and posts it to every worker, waiting for slow ones. */
  private async feed(store: Pick<Store, "entities">, cancelled: () => boolean): Promise<void> {
    for (const v of this.versions) {
      if (cancelled()) this.broken ??= new Error("build cancelled: the service is shutting down");
      const it = store.entities(v.dataset, { versionId: v.id })[Symbol.asyncIterator]();
      for (let done = false; !done && !this.broken; ) {
        const chunk: Entity[] = [];
        const t = performance.now();
        while (chunk.length < LIVE_DEFAULTS.chunkSize && performance.now() - t < LIVE_DEFAULTS.sliceMs) {
          const r = await it.next();
          if (r.done) {
            done = true;
            break;
          }
          const { id, schema, properties, datasets, referents, first_seen, last_seen, last_change } = r.value;
          // The publisher's record stays behind: matching and search never read it.
          chunk.push({ id, schema, properties, datasets, referents, first_seen, last_seen, last_change });
        }
        for (const th of this.threads) {
          while (th.unacked >= LIVE_DEFAULTS.window && !this.broken) {
            await new Promise<void>((r) => (th.onAck = r));
          }
          th.unacked++;
          th.worker.postMessage({ t: "chunk", dataset: v.dataset, entities: chunk } satisfies ToWorker);
        }
        await yieldToEventLoop();
        if (cancelled()) this.broken ??= new Error("build cancelled: the service is shutting down");
      }
      for (const th of this.threads)
        th.worker.postMessage({ t: "end", dataset: v.dataset } satisfies ToWorker);
    }
    if (this.broken) throw this.broken;
  }

  private fail(e: Error): void {
    this.broken ??= e;
    for (const th of this.threads) th.onAck?.();
    for (const p of this.pending.values()) {
      p.reject(new InterdictError("INTERDICT_E_NOT_READY", `the index is being rebuilt: ${e.message}`));
    }
    this.pending.clear();
  }

  private settle(th: Thread, m: Extract<FromWorker, { t: "reply" }>): void {
    th.inflight--;
    const p = this.pending.get(m.id);
    this.pending.delete(m.id);
    if (m.ok) p?.resolve(m.value);
    else p?.reject(revive(m.error));
    if (this.pending.size === 0) this.idle?.();
  }

  private call<T>(c: Call): Promise<T> {
    if (this.broken) {
      return Promise.reject(new InterdictError("INTERDICT_E_NOT_READY", "the index is being rebuilt"));
    }
    // The least busy thread takes it.
    let th = this.threads[0] as Thread;
    for (const x of this.threads) if (x.inflight < th.inflight) th = x;
    th.inflight++;
    const id = ++this.seq;
    return new Promise<T>((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
      th.worker.postMessage({ t: "call", id, ...c } satisfies ToWorker);
    });
  }

  get isBroken(): boolean {
    return this.broken !== undefined;
  }

  match(req: EngineMatchRequest) {
    return this.call<QueryResult[]>({ op: "match", args: [req] });
  }
  search(req: SearchRequest) {
    return this.call<SearchResponse>({ op: "search", args: [req] });
  }
  get(id: string) {
    return this.call<SearchDoc | undefined>({ op: "get", args: [id] });
  }
  visa(applicant: VisaApplicant, opts: Omit<VisaOptions, "sanctions"> = {}) {
    return this.call<VisaScreening>({ op: "visa", args: [applicant, opts] });
  }
  payment(payment: Payment, opts: Omit<PaymentOptions, "sanctions"> = {}) {
    return this.call<PaymentScreening>({ op: "payment", args: [payment, opts] });
  }

  async close(): Promise<void> {
    if (this.pending.size > 0) await new Promise<void>((r) => (this.idle = r));
    await this.terminate();
  }

  private async terminate(): Promise<void> {
    this.broken ??= new Error("closed");
    await Promise.all(this.threads.map((th) => th.worker.terminate()));
  }
}

export interface LiveOptions {
  /** Matching threads; 0 builds and matches on this thread. */
  workers: number;
  /** Seconds between checks for new list versions; 0 never checks. */
  pollInterval: number;
  /** A second connection to the store for feeding workers (the main one keeps writing). */
  feed?: Pick<Store, "entities">;
  datasetTitle?: (name: string) => string;
  log?: { info(o: object, msg: string): void; error(o: object, msg: string): void };
}

/** The current list versions, as an index generation would be built from them. */
export async function currentVersions(store: Pick<Store, "datasets">): Promise<ListVersionRef[]> {
  return (await store.datasets()).flatMap((d) =>
    d.current ? [{ dataset: d.name, version: d.current.version, id: d.current.id }] : [],
  );
}

const sameVersions = (a: readonly ListVersionRef[], b: readonly ListVersionRef[]): boolean =>
  a.length === b.length && a.every((v, i) => v.id === b[i]?.id && v.dataset === b[i]?.dataset);

/** A store that calls back when any process makes a version current. */
interface Announcing {
  listenVersions(onVersion: () => void): Promise<() => Promise<void>>;
}

export class LiveIndex {
  private current?: Generation;
  private building?: Promise<boolean>;
  private timer?: NodeJS.Timeout;
  private unlisten?: () => Promise<void>;
  private closed = false;
  /** Why the last build failed, for /readyz and the log. */
  lastError?: Error;

  constructor(
    private readonly store: Pick<Store, "datasets" | "entities">,
    private readonly opts: LiveOptions,
  ) {
    if (opts.workers > 0 && !opts.feed) throw new Error("worker threads need a feed connection to the store");
  }

  get ready(): boolean {
    return this.current !== undefined;
  }

  /** The generation to answer a request from; throws INTERDICT_E_NOT_READY before the first. */
  generation(): Generation {
    const g = this.current;
    if (!g || (g instanceof WorkerGeneration && g.isBroken)) {
      if (g) void this.refresh(true);
      throw new InterdictError("INTERDICT_E_NOT_READY", "Index not ready: the lists are still being loaded");
    }
    return g;
  }

  /** Builds the first generation and starts polling. Resolves when the first build ends. */
  async start(): Promise<void> {
    // A store that announces new versions (PostgresStore: LISTEN/NOTIFY) makes every replica
    // reload at once. Refreshed twice: a build under way may have read the versions before.
    const announcing = this.store as Partial<Announcing>;
    if (typeof announcing.listenVersions === "function") {
      this.unlisten = await announcing.listenVersions(() => void this.refresh().then(() => this.refresh()));
    }
    if (this.opts.pollInterval > 0) {
      this.timer = setInterval(() => void this.refresh(), this.opts.pollInterval * 1000);
      this.timer.unref();
    }
    await this.refresh(true);
  }

  /**
   * Rebuilds if the store's current versions differ from the served ones (or if forced);
   * resolves true when a new generation was swapped in. One build at a time.
   */
  refresh(force = false): Promise<boolean> {
    if (this.closed) return Promise.resolve(false);
    if (this.building) return this.building;
    this.building = this.rebuild(force).finally(() => {
      this.building = undefined;
    });
    return this.building;
  }

  private async rebuild(force: boolean): Promise<boolean> {
    try {
      const versions = await currentVersions(this.store);
      const old = this.current;
      if (!force && old && sameVersions(old.versions, versions)) return false;
      const t0 = performance.now();
      const next =
        this.opts.workers > 0 && this.opts.feed
          ? await WorkerGeneration.start(
              this.opts.workers,
              versions,
              this.opts.feed,
              this.titles(versions),
              () => this.closed,
            )
          : new InProcessGeneration(
              await Engine.build(this.store, versions, {
                ...(this.opts.datasetTitle ? { datasetTitle: this.opts.datasetTitle } : {}),
              }),
            );
      if (this.closed) {
        await next.close();
        return false;
      }
      this.current = next;
      this.lastError = undefined;
      this.opts.log?.info(
        {
          versions: versions.map((v) => `${v.dataset}@${v.version}`),
          entities: next.size,
          seconds: Math.round((performance.now() - t0) / 100) / 10,
        },
        old ? "index swapped" : "index ready",
      );
      if (old) void old.close();
      return true;
    } catch (e) {
      if (this.closed) return false;
      this.lastError = e as Error;
      this.opts.log?.error({ err: e }, "index build failed; still serving the previous one");
      return false;
    }
  }

  private titles(versions: readonly ListVersionRef[]): Record<string, string> {
    const title = this.opts.datasetTitle ?? ((n: string) => n);
    return Object.fromEntries(versions.map((v) => [v.dataset, title(v.dataset)]));
  }

  /** Stops polling, waits for a build in progress, and frees the index once it is idle. */
  async close(): Promise<void> {
    this.closed = true;
    if (this.timer) clearInterval(this.timer);
    await this.unlisten?.();
    await this.building;
    await this.current?.close();
    this.current = undefined;
  }
}
