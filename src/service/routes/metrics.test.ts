// GET /metrics on the service in-process: readiness 0 then 1, index version per dataset,
// screenings and payment decisions counted, request latency histogram by route pattern.

import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { it } from "node:test";
import { ingest } from "../../ingest/ingest.js";
import { SqliteStore } from "../../store/sqlite.js";
import { buildApp } from "../app.js";
import { loadConfig } from "../config.js";
import { LiveIndex } from "../live.js";
import { KeyStore, ScreeningLog } from "../records.js";

/** The value of one series, by its exact name and labels as printed. */
const value = (text: string, series: string): number | undefined => {
  const line = text.split("\n").find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
};

it("GET /metrics: readiness, index version, screenings, decisions and latency in Prometheus text", async () => {
  const store = new SqliteStore(":memory:");
  await ingest(store, ["src/service/fixtures/us_ofac_sdn.ftm.json"]);
  const keys = new KeyStore(store.db);
  const secret = keys.create("screen", "metrics test").key;
  const live = new LiveIndex(store, { workers: 0, pollInterval: 0 });
  const config = { ...loadConfig({}, {}), workers: 0, pollInterval: 0, logLevel: "silent" as const };
  const app = await buildApp({ store, live, keys, screenings: new ScreeningLog(store.db), config });
  try {
    const before = await app.inject({ method: "GET", url: "/metrics" });
    assert.equal(before.statusCode, 200);
    assert.match(String(before.headers["content-type"]), /^text\/plain; version=0\.0\.4/);
    assert.equal(value(before.body, "interdict_index_ready"), 0);
    await live.start();
    const body = readFileSync("src/screen/payment/fixtures/payment-clean.json", "utf8");
    for (let i = 0; i < 3; i++) {
      const r = await app.inject({
        method: "POST",
        url: "/screen/payment",
        payload: body,
        headers: { "content-type": "application/json", authorization: `Bearer ${secret}` },
      });
      assert.equal(r.statusCode, 200, r.body);
    }
    const text = (await app.inject({ method: "GET", url: "/metrics" })).body;
    assert.equal(value(text, "interdict_index_ready"), 1);
    const [v] = await store.versions("us_ofac_sdn");
    assert.equal(
      value(text, `interdict_index_version{dataset="us_ofac_sdn",version="${v?.version}"}`),
      v?.id,
    );
    assert.ok((value(text, "interdict_index_entities") ?? 0) > 0);
    assert.equal(value(text, 'interdict_screenings_total{kind="payment"}'), 3);
    assert.equal(value(text, 'interdict_decisions_total{kind="payment",decision="release"}'), 3);
    assert.equal(value(text, 'interdict_http_request_seconds_count{route="/screen/payment"}'), 3);
    assert.equal(value(text, 'interdict_http_request_seconds_bucket{route="/screen/payment",le="+Inf"}'), 3);
    assert.equal(
      value(text, 'interdict_http_requests_total{method="POST",route="/screen/payment",status="200"}'),
      3,
    );
    assert.match(text, /# TYPE interdict_http_request_seconds histogram/);
  } finally {
    await app.close();
    await live.close();
    await store.close();
  }
});
