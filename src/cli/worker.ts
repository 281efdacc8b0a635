// `interdict worker --nats URL`: screens payments from a JetStream stream (src/worker), any
// number of them sharing one durable consumer, until SIGTERM or SIGINT; `--metrics-port` serves
// Prometheus /metrics (decisions, latency, consumer lag). `interdict publish-payments FILE...`
// puts payment files on the stream (for trials and benches).

import { readFileSync } from "node:fs";
import { createServer } from "node:http";
import { basename } from "node:path";
import { connect } from "@nats-io/transport-node";
import type { Command } from "commander";
import { alertsFromPayment } from "../cases/intake.js";
import { Matcher } from "../match/matcher.js";
import { loadResolution } from "../resolve/canonical.js";
import { sanctionsFromStore } from "../screen/visa.js";
import { PostgresStore } from "../store/postgres.js";
import { PROMETHEUS_CONTENT_TYPE } from "../worker/metrics.js";
import { contentTypeOf, publishPayments } from "../worker/publish.js";
import { streamNames } from "../worker/stream.js";
import { startWorker } from "../worker/worker.js";
import { type GlobalOptions, withStore } from "./_common.js";

const natsUrl = (o: { nats?: string }): string =>
  o.nats ?? process.env.INTERDICT_NATS ?? "nats://127.0.0.1:4222";

export function register(program: Command, globals: () => GlobalOptions): void {
  program
    .command("worker")
    .description("screen payments from a NATS JetStream stream and publish a decision for each")
    .option("--nats <url>", "NATS server; also INTERDICT_NATS", undefined)
    .option("--prefix <name>", "stream names: <PREFIX>_PAYMENTS, _DECISIONS, _DEAD", "interdict")
    .option("--metrics-port <port>", "serve Prometheus /metrics on this port")
    .option(
      "--ack-wait <seconds>",
      "redeliver a payment unacknowledged this long (consumer creation only)",
      "30",
    )
    .addHelpText(
      "after",
      `
A payment held, blocked or rejected also raises its alerts in the store (--db) under the
payment's key, once however often it is delivered: \`interdict alerts\`, the console, or on
PostgreSQL GET /alerts on any replica.

Streams (created if missing): <PREFIX>_PAYMENTS on <prefix>.payments (header Content-Type as for
POST /screen/payment, Nats-Msg-Id = the payment's UETR or message id), <PREFIX>_DECISIONS on
<prefix>.decisions (one JSON decision per key), <PREFIX>_DEAD on <prefix>.dead (unreadable
messages, header Interdict-Reason).

Examples:
  interdict worker --nats nats://127.0.0.1:4222 --metrics-port 9464
  interdict --db postgres://postgres@127.0.0.1/test worker`,
    )
    .action(async (opts: { nats?: string; prefix: string; metricsPort?: string; ackWait: string }) => {
      const g = globals();
      await withStore(g, async (store) => {
        const t0 = performance.now();
        const matcher = await Matcher.fromStore(store);
        const sanctions = await sanctionsFromStore(store);
        const nc = await connect({ servers: natsUrl(opts), name: `interdict-worker-${process.pid}` });
        const worker = await startWorker({
          nc,
          names: streamNames(opts.prefix),
          matcher,
          payment: { sanctions },
          resolution: await loadResolution(store),
          // Alerts of payments held, blocked or rejected, in the store's own alert book (shared on
          // PostgreSQL), keyed by the payment's key so a redelivery raises none again.
          alerts: (r, key, payment) => alertsFromPayment(store, key, payment.amount, r, key),
          stream: { ackWaitSeconds: Number(opts.ackWait) },
          log: (line) => process.stderr.write(`${line}\n`),
        });
        // On a PostgreSQL store a new list version is announced: screen against it from then on.
        const unlisten =
          store instanceof PostgresStore
            ? await store.listenVersions(() => {
                void (async () => {
                  const next = await Matcher.fromStore(store);
                  worker.swap(
                    next,
                    { sanctions: await sanctionsFromStore(store) },
                    await loadResolution(store),
                  );
                  process.stderr.write(
                    `worker ${process.pid}: new list version, ${next.index.size} entities\n`,
                  );
                })().catch((e) => process.stderr.write(`worker ${process.pid}: reload failed: ${e}\n`));
              })
            : undefined;
        const server = opts.metricsPort
          ? createServer((req, res) => {
              if (req.url !== "/metrics") return void res.writeHead(404).end();
              res.writeHead(200, { "content-type": PROMETHEUS_CONTENT_TYPE }).end(worker.registry.render());
            }).listen(Number(opts.metricsPort), "127.0.0.1")
          : undefined;
        if (!g.quiet) {
          process.stderr.write(
            `worker ${process.pid}: ${matcher.index.size} entities indexed in ${((performance.now() - t0) / 1000).toFixed(1)} s; consuming ${opts.prefix}.payments\n`,
          );
        }
        const stop = (): void => void worker.stop();
        process.once("SIGTERM", stop);
        process.once("SIGINT", stop);
        await worker.done;
        await unlisten?.();
        server?.close();
        await nc.drain();
      });
    });

  program
    .command("publish-payments")
    .description("publish payment files (pacs.008 .xml, MT103 .txt, .json) to the payments stream")
    .argument("<file...>")
    .option("--nats <url>", "NATS server; also INTERDICT_NATS", undefined)
    .option("--prefix <name>", "stream names", "interdict")
    .option("--count <n>", "publish the files round-robin this many times in all, each with its own key", "")
    .option("--key <prefix>", "key prefix (Nats-Msg-Id) for the copies", "")
    .action(async (files: string[], opts: { nats?: string; prefix: string; count: string; key: string }) => {
      const bodies = files.map((f) => ({
        body: readFileSync(f, "utf8"),
        contentType: contentTypeOf(f),
        name: basename(f),
      }));
      const count = opts.count ? Number(opts.count) : bodies.length;
      const keyPrefix = opts.key || `${Date.now()}`;
      const nc = await connect({ servers: natsUrl(opts) });
      try {
        const names = streamNames(opts.prefix);
        const { jetstreamManager } = await import("@nats-io/jetstream");
        const { ensureStreams } = await import("../worker/stream.js");
        await ensureStreams(await jetstreamManager(nc), names);
        const t0 = performance.now();
        const r = await publishPayments(
          nc,
          names,
          (function* () {
            for (let i = 0; i < count; i++) {
              const b = bodies[i % bodies.length] as (typeof bodies)[0];
              yield { body: b.body, contentType: b.contentType, key: `${keyPrefix}-${i}-${b.name}` };
            }
          })(),
        );
        const s = (performance.now() - t0) / 1000;
        process.stderr.write(
          `published ${r.published} payments (${r.duplicates} duplicates dropped) in ${s.toFixed(2)} s\n`,
        );
      } finally {
        await nc.drain();
      }
    });
}
