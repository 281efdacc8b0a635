// A matching thread: receives the entities of its list versions from the main thread (which
// reads the store), builds an Engine from them, then answers match and search calls. The main
// thread never blocks on a build; the worker never opens the store itself.

import { parentPort, workerData } from "node:worker_threads";
import type { Entity } from "../model/entity.js";
import type { Store } from "../store/store.js";
import { Engine } from "./engine.js";
import { ENGINE_OPS, type FromWorker, type ToWorker, type WorkerInit } from "./live.js";

const port = parentPort;
if (!port) throw new Error("engine-worker runs only as a worker thread");
const init = workerData as WorkerInit;
const send = (m: FromWorker): void => port.postMessage(m);

// Chunks arrive in order, dataset after dataset, as Engine.build asks for them.
type Chunk = Extract<ToWorker, { t: "chunk" | "end" }>;
const chunks: Chunk[] = [];
let wake: (() => void) | undefined;
let engine: Engine | undefined;

async function* entities(name: string): AsyncGenerator<Entity> {
  for (;;) {
    while (chunks.length === 0) await new Promise<void>((r) => (wake = r));
    const c = chunks.shift() as Chunk;
    if (c.dataset !== name) throw new Error(`expected entities of ${name}, got ${c.dataset}`);
    if (c.t === "end") return;
    send({ t: "ack" });
    yield* c.entities;
  }
}

port.on("message", (m: ToWorker) => {
  if (m.t === "chunk" || m.t === "end") {
    chunks.push(m);
    wake?.();
    wake = undefined;
    return;
  }
  if (!engine) {
    send({
      t: "reply",
      id: m.id,
      ok: false,
      error: { code: "INTERDICT_E_NOT_READY", message: "index not built" },
    });
    return;
  }
  try {
    if (!(ENGINE_OPS as readonly string[]).includes(m.op)) throw new Error(`unknown operation ${m.op}`);
    const fn = engine[m.op] as (...args: unknown[]) => unknown;
    const value = fn.apply(engine, m.args);
    send({ t: "reply", id: m.id, ok: true, value });
  } catch (e) {
    const err = e as { code?: string; message?: string; where?: Record<string, unknown> };
    send({
      t: "reply",
      id: m.id,
      ok: false,
      error: { code: err.code ?? "INTERNAL", message: err.message ?? String(e), where: err.where ?? {} },
    });
  }
});

const titles = new Map(Object.entries(init.titles));
// The entities arrive with their stored timestamps: they are StoredEntity less the source record.
const fed = { entities: (name: string) => entities(name) } as unknown as Pick<Store, "entities">;
engine = await Engine.build(fed, init.versions, {
  datasetTitle: (n) => titles.get(n) ?? n,
});
send({ t: "ready", size: engine.size, buildSeconds: engine.buildSeconds });
