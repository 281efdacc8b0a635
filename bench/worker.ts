// Payments through NATS JetStream with 1, 2 and 4 `interdict worker` processes on the full
// corpus (newest version of every list): INTERDICT_BENCH_PAYMENTS payments (default 10,000, a
// mix of the payment fixtures: clean, designated parties, names in remittance) published at
// once; throughput from the first publish to the last decision, and end-to-end latency from
// the publisher's clock to the decision (queueing included: a burst, not a steady rate).
// Streams of its own, deleted after. INTERDICT_BENCH_DB reuses a store; INTERDICT_BENCH_WORKERS
// overrides "1,2,4".

import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { jetstream, jetstreamManager } from "@nats-io/jetstream";
import { connect } from "@nats-io/transport-node";
import { ingest } from "../src/ingest/ingest.js";
import { SqliteStore } from "../src/store/sqlite.js";
import { contentTypeOf, publishPayments } from "../src/worker/publish.js";
import { deleteStreams, ensureStreams, streamNames } from "../src/worker/stream.js";
import type { Decision } from "../src/worker/worker.js";

const NATS = process.env.INTERDICT_NATS ?? "nats://127.0.0.1:4222";
const N = Number(process.env.INTERDICT_BENCH_PAYMENTS ?? 10_000);
const COUNTS = (process.env.INTERDICT_BENCH_WORKERS ?? "1,2,4").split(",").map(Number);
const LISTS = process.env.INTERDICT_LISTS ?? "../shared/data/lists";
const FIXTURES = "src/screen/payment/fixtures";
const FILES = [
  "payment-clean.json",
  "payment-designated-creditor-agent.json",
  "mt103-clean.txt",
  "mt103-designated-debtor.txt",
  "mt103-remittance-name.txt",
  "pacs008-clean.xml",
  "pacs008-designated-debtor.xml",
  "pacs008-remittance-name.xml",
  "pacs008-designated-creditor-agent.xml",
];

const tmp = mkdtempSync(join(tmpdir(), "interdict-bench-worker-"));
let db = process.env.INTERDICT_BENCH_DB;
if (!db) {
  db = join(tmp, "corpus.db");
  const store = new SqliteStore(db);
  for (const dataset of readdirSync(LISTS).sort()) {
    const versions = readdirSync(join(LISTS, dataset))
      .filter((v) => statSync(join(LISTS, dataset, v)).isDirectory())
      .sort();
    if (versions.length) await ingest(store, [join(LISTS, dataset, versions.at(-1) as string)]);
  }
  await store.close();
}

const bodies = FILES.map((f) => ({
  body: readFileSync(join(FIXTURES, f), "utf8"),
  contentType: contentTypeOf(f),
}));
const pct = (sorted: number[], p: number): number =>
  sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;

function startWorker(prefix: string): Promise<ChildProcess> {
  const child = spawn(
    process.execPath,
    ["bin/interdict.js", "--db", db as string, "worker", "--nats", NATS, "--prefix", prefix],
    { stdio: ["ignore", "ignore", "pipe"] },
  );
  return new Promise((resolve, reject) => {
    let err = "";
    child.stderr?.on("data", (d: Buffer) => {
      err += d.toString();
      if (err.includes("consuming")) resolve(child);
    });
    child.once("exit", (code) => reject(new Error(`worker exited ${code}: ${err}`)));
  });
}

const nc = await connect({ servers: NATS });
const jsm = await jetstreamManager(nc);
const rows: string[] = [];
try {
  for (const k of COUNTS) {
    const prefix = `ibench${process.pid}w${k}`;
    const names = streamNames(prefix);
    await ensureStreams(jsm, names);
    const workers = await Promise.all(Array.from({ length: k }, () => startWorker(prefix)));
    try {
      const t0 = Date.now();
      await publishPayments(
        nc,
        names,
        (function* () {
          for (let i = 0; i < N; i++)
            yield { ...(bodies[i % bodies.length] as (typeof bodies)[0]), key: `b-${i}` };
        })(),
      );
      const consumer = await jetstream(nc).consumers.get(names.decisions);
      const decisions: Decision[] = [];
      const deadline = Date.now() + 30 * 60_000;
      while (decisions.length < N && Date.now() < deadline) {
        const batch = await consumer.fetch({ max_messages: 1000, expires: 5000 });
        for await (const m of batch) decisions.push(m.json<Decision>());
      }
      const last = Math.max(...decisions.map((d) => d.decided));
      const latencies = decisions.map((d) => d.decided - (d.published ?? t0)).sort((a, b) => a - b);
      const perSecond = decisions.length / ((last - t0) / 1000);
      const byDecision: Record<string, number> = {};
      for (const d of decisions) byDecision[d.decision] = (byDecision[d.decision] ?? 0) + 1;
      rows.push(
        `${String(k).padStart(7)}  ${String(decisions.length).padStart(9)}  ${perSecond.toFixed(0).padStart(10)}  ${(pct(latencies, 50) / 1000).toFixed(2).padStart(7)}  ${(pct(latencies, 99) / 1000).toFixed(2).padStart(7)}  ${JSON.stringify(byDecision)}`,
      );
      process.stderr.write(`  ${k} worker(s): ${perSecond.toFixed(0)} payments/s\n`);
    } finally {
      for (const w of workers) w.kill("SIGTERM");
      await Promise.all(
        workers.map((w) => new Promise((r) => (w.exitCode !== null ? r(0) : w.once("exit", r)))),
      );
      await deleteStreams(jsm, names);
    }
  }
} finally {
  await nc.close();
  rmSync(tmp, { recursive: true, force: true });
}

console.log(`\nPayments through JetStream: ${N} published at once, full corpus, workers on this machine`);
console.log("workers  decisions  payments/s  p50 s    p99 s    decisions");
for (const r of rows) console.log(r);
