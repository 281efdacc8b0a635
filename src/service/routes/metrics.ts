// GET /metrics: Prometheus text format, no key (like /healthz: scrapers run inside the
// operator's network and nothing here names a customer). Per process: each replica is scraped
// on its own and Prometheus sums them.
//
//   interdict_http_requests_total{method,route,status}   every answered request
//   interdict_http_request_seconds{route}                 latency histogram, by route pattern
//   interdict_screenings_total{kind}                      recorded screenings (match, visa, payment…)
//   interdict_decisions_total{kind,decision}              visa and payment decisions
//   interdict_index_ready                                 1 once the index is loaded (as /readyz)
//   interdict_index_entities, interdict_index_build_seconds
//   interdict_index_version{dataset,version}              the list version id served, per dataset
//   interdict_process_resident_bytes

import { Counter, Gauge, Histogram, PROMETHEUS_CONTENT_TYPE, Registry } from "../../worker/metrics.js";
import type { App, ServiceContext } from "../app.js";

export function registerMetrics(app: App, ctx: ServiceContext): Registry {
  const registry = new Registry();
  const requests = registry.add(new Counter("interdict_http_requests_total", "HTTP requests answered"));
  const latency = registry.add(
    new Histogram("interdict_http_request_seconds", "HTTP request latency by route"),
  );
  const screenings = registry.add(new Counter("interdict_screenings_total", "Screenings recorded, by kind"));
  const decisions = registry.add(
    new Counter("interdict_decisions_total", "Visa and payment decisions, by kind and decision"),
  );
  const generation = () => (ctx.live.ready ? ctx.live.generation() : undefined);
  registry.add(
    new Gauge("interdict_index_ready", "1 once the index is loaded and the service can screen", () => [
      { value: ctx.live.ready ? 1 : 0 },
    ]),
  );
  registry.add(
    new Gauge("interdict_index_entities", "Entities in the served index", () => [
      { value: generation()?.size ?? 0 },
    ]),
  );
  registry.add(
    new Gauge("interdict_index_build_seconds", "Time the served index took to build", () => [
      { value: generation()?.buildSeconds ?? 0 },
    ]),
  );
  registry.add(
    new Gauge("interdict_index_version", "List version id served, per dataset", () =>
      (generation()?.versions ?? []).map((v) => ({
        labels: { dataset: v.dataset, version: v.version },
        value: v.id,
      })),
    ),
  );
  registry.add(
    new Gauge("interdict_process_resident_bytes", "Resident memory of this process", () => [
      { value: process.memoryUsage.rss() },
    ]),
  );

  // Every screening goes through ctx.record (the audit record), so counting there sees each
  // one once, whichever route made it.
  const record = ctx.record.bind(ctx);
  ctx.record = (req, s) => {
    screenings.inc({ kind: s.kind });
    if (s.decision !== null && (s.kind === "visa" || s.kind === "payment")) {
      decisions.inc({ kind: s.kind, decision: s.decision });
    }
    return record(req, s);
  };

  app.addHook("onResponse", async (req, reply) => {
    const route = req.routeOptions.url ?? "unmatched";
    requests.inc({ method: req.method, route, status: String(reply.statusCode) });
    latency.observe(reply.elapsedTime / 1000, { route });
  });

  app.get(
    "/metrics",
    {
      schema: {
        tags: ["system"],
        summary: "Prometheus metrics of this process (no key needed)",
        security: [],
      },
    },
    async (_req, reply) => reply.header("content-type", PROMETHEUS_CONTENT_TYPE).send(registry.render()),
  );
  return registry;
}
