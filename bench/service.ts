// The screening service under load, on the full corpus (the newest version of every list):
// `interdict serve` as its own process, autocannon on loopback against single-query
// POST /match/default and POST /screen/payment (a pacs.008 whose debtor and creditor change
// every request), at concurrency 10 and 50, for 1 and 2 matching threads. Requests/s,
// latency p50/p99, failures, and the service's RSS (main thread and workers) under load.
// Run by bench/run.ts; INTERDICT_BENCH_SECONDS sets each case's length (default 10).

import { spawn } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parse } from "csv-parse/sync";
import { ingest } from "../src/ingest/ingest.js";
import { KeyStore } from "../src/service/records.js";
import { SqliteStore } from "../src/store/sqlite.js";

const LISTS = process.env.INTERDICT_LISTS ?? "../shared/data/lists";
const EVAL = process.env.INTERDICT_EVAL ?? "../shared/data/eval";
const SECONDS = Number(process.env.INTERDICT_BENCH_SECONDS ?? 10);
const WORKERS = (process.env.INTERDICT_BENCH_WORKERS ?? "1,2").split(",").map(Number);

interface Result {
  requests: { average: number };
  latency: { p50: number; p99: number };
  non2xx: number;
  errors: number;
  timeouts: number;
}
interface Req {
  method?: string;
  path?: string;
  body?: string;
  headers?: Record<string, string>;
}
const autocannon = createRequire(import.meta.url)("autocannon") as (
  opts: Record<string, unknown>,
) => Promise<Result>;

const dir = mkdtempSync(join(tmpdir(), "interdict-bench-service-"));
const db = join(dir, "interdict.db");
process.stderr.write("service bench: loading the newest version of every list…\n");
const store = new SqliteStore(db);
for (const d of readdirSync(LISTS).sort()) {
  const v = readdirSync(`${LISTS}/${d}`).sort().at(-1);
  await ingest(store, [`${LISTS}/${d}/${v}`]);
}
const key = new KeyStore(store.db).create("screen", "bench").key;
await store.close();

// Subjects: listed persons (clean and with typos) and people who are on no list.
const rows = (f: string) =>
  parse(readFileSync(`${EVAL}/${f}`, "utf8"), { columns: true }) as Record<string, string>[];
const subjects = [
  ...rows("positives_un_untreated.csv").slice(0, 300),
  ...rows("positives_un_treated.csv").slice(0, 300),
  ...rows("negatives_global.csv").slice(0, 2400),
];
// A stable shuffle, so positives and negatives interleave.
subjects.sort((a, b) =>
  (a.full_name ?? "") + (a.date_of_birth ?? "") < (b.full_name ?? "") + (b.date_of_birth ?? "") ? -1 : 1,
);
const matchBodies = subjects.map((r) =>
  JSON.stringify({
    queries: {
      q: {
        schema: "Person",
        properties: {
          name: [r.full_name],
          ...(r.date_of_birth ? { birthDate: [r.date_of_birth] } : {}),
          ...(r.nationality ? { nationality: [r.nationality] } : {}),
        },
      },
    },
  }),
);
const xmlText = (s: string): string => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
const template = readFileSync("src/screen/payment/fixtures/pacs008-clean.xml", "utf8");
const payments = subjects.map((r, i) => {
  const other = subjects[(i * 7 + 3) % subjects.length]?.full_name ?? "";
  let n = 0;
  // The first <Nm> is the debtor, the second the creditor.
  return template.replace(/<Nm>[^<]*<\/Nm>/g, (m) => {
    n++;
    if (n === 1) return `<Nm>${xmlText(r.full_name ?? "")}</Nm>`;
    if (n === 2) return `<Nm>${xmlText(other)}</Nm>`;
    return m;
  });
});

async function freePort(): Promise<number> {
  const s = createServer().listen(0, "127.0.0.1");
  await new Promise((r) => s.once("listening", r));
  const { port } = s.address() as { port: number };
  await new Promise((r) => s.close(r));
  return port;
}

const rssMb = (pid: number): number => {
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
    return m ? Number(m[1]) / 1024 : 0;
  } catch {
    return 0;
  }
};

function rotating(bodies: string[], contentType: string) {
  let i = 0;
  return (req: Req): Req => {
    req.body = bodies[i++ % bodies.length];
    req.headers = { ...req.headers, "content-type": contentType };
    return req;
  };
}

const table: string[][] = [];
for (const workers of WORKERS) {
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const t0 = performance.now();
  const child = spawn(
    process.execPath,
    [
      "bin/interdict.js",
      "--db",
      db,
      "--quiet",
      "serve",
      "--port",
      String(port),
      "--workers",
      String(workers),
      "--rate-limit",
      "0",
      "--poll-interval",
      "0",
      "--log-level",
      "warn",
    ],
    { stdio: ["ignore", "ignore", "inherit"] },
  );
  const pid = child.pid ?? 0;
  for (;;) {
    const ok = await fetch(`${base}/readyz`).then(
      (r) => r.status === 200,
      () => false,
    );
    if (ok) break;
    await new Promise((r) => setTimeout(r, 250));
  }
  const readySeconds = (performance.now() - t0) / 1000;
  const idleRss = rssMb(pid);
  process.stderr.write(
    `  ${workers} matching thread(s): ready in ${readySeconds.toFixed(1)} s, RSS ${idleRss.toFixed(0)} MB\n`,
  );
  const headers = { authorization: `Bearer ${key}` };
  const cases = [
    {
      name: "POST /match/default (1 query)",
      path: "/match/default",
      bodies: matchBodies,
      type: "application/json",
    },
    {
      name: "POST /screen/payment (pacs.008)",
      path: "/screen/payment",
      bodies: payments,
      type: "application/xml",
    },
  ];
  // Warm-up: the matcher's caches and V8's optimisers, before anything is measured.
  await autocannon({
    url: base,
    connections: 10,
    duration: 3,
    method: "POST",
    headers,
    requests: [
      { method: "POST", path: "/match/default", setupRequest: rotating(matchBodies, "application/json") },
    ],
  });
  for (const c of cases) {
    for (const connections of [10, 50]) {
      let peak = 0;
      const sampler = setInterval(() => {
        peak = Math.max(peak, rssMb(pid));
      }, 250);
      const r = await autocannon({
        url: base,
        connections,
        duration: SECONDS,
        method: "POST",
        headers,
        requests: [{ method: "POST", path: c.path, setupRequest: rotating(c.bodies, c.type) }],
      });
      clearInterval(sampler);
      table.push([
        c.name,
        String(workers),
        String(connections),
        r.requests.average.toFixed(0),
        String(r.latency.p50),
        String(r.latency.p99),
        String(r.non2xx + r.errors + r.timeouts),
        peak.toFixed(0),
      ]);
      process.stderr.write(`    ${c.name} c=${connections}: ${r.requests.average.toFixed(0)}/s\n`);
    }
  }
  const exited = new Promise((r) => child.once("exit", r));
  child.kill("SIGTERM");
  await exited;
  table.push([
    "(index load; idle RSS)",
    String(workers),
    "",
    "",
    `${readySeconds.toFixed(1)} s`,
    "",
    "",
    idleRss.toFixed(0),
  ]);
}
rmSync(dir, { recursive: true, force: true });

const header = ["case", "threads", "conc.", "req/s", "p50 ms", "p99 ms", "failed", "peak RSS MB"];
const widths = header.map((h, i) => Math.max(h.length, ...table.map((r) => (r[i] ?? "").length)));
const line = (cells: string[]): string =>
  cells.map((c, i) => (i === 0 ? c.padEnd(widths[i] ?? 0) : c.padStart(widths[i] ?? 0))).join("  ");
console.log(
  `\nScreening service: interdict serve on loopback, full corpus, autocannon ${SECONDS} s per case (Node ${process.version})`,
);
console.log(line(header));
console.log(widths.map((w) => "-".repeat(w)).join("  "));
for (const r of table) console.log(line(r));
