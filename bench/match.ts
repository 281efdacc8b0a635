// Screening speed on the full corpus (the newest version of every list), beside a baseline
// measured in the same run: a brute-force scan scoring every name of every listed entity with
// Jaro-Winkler, which is what OFAC's tool and simple screeners do. Run by bench/run.ts.

import { readdirSync, readFileSync } from "node:fs";
import { loadavg } from "node:os";
import { parse } from "csv-parse/sync";
import { ingest } from "../src/ingest/ingest.js";
import { jaroWinkler } from "../src/match/jaro.js";
import { Matcher } from "../src/match/matcher.js";
import type { Query } from "../src/match/subject.js";
import { SqliteStore } from "../src/store/sqlite.js";
import { normalise } from "../src/text/normalise.js";

const LISTS = process.env.INTERDICT_LISTS ?? "../shared/data/lists";
const EVAL = process.env.INTERDICT_EVAL ?? "../shared/data/eval";

const store = new SqliteStore(":memory:");
for (const d of readdirSync(LISTS).sort()) {
  const v = readdirSync(`${LISTS}/${d}`).sort().at(-1);
  await ingest(store, [`${LISTS}/${d}/${v}`]);
}
const rssBefore = process.memoryUsage().rss;
let t = performance.now();
const matcher = await Matcher.fromStore(store);
const buildSeconds = (performance.now() - t) / 1000;
const indexMb = (process.memoryUsage().rss - rssBefore) / 1048576;

// A mixed input: clean and treated (typos, re-ordering) listed persons, and negatives.
const rows = (f: string) =>
  parse(readFileSync(`${EVAL}/${f}`, "utf8"), { columns: true }) as Record<string, string>[];
const queries: Query[] = [
  ...rows("positives_un_untreated.csv"),
  ...rows("positives_un_treated.csv"),
  ...rows("negatives_global.csv").slice(0, 3600),
].map((r) => ({
  schema: "Person",
  names: [r.full_name ?? ""],
  ...(r.date_of_birth ? { birthDates: [r.date_of_birth] } : {}),
  ...(r.nationality ? { countries: [r.nationality] } : {}),
}));

for (const q of queries.slice(0, 500)) matcher.match(q); // warm-up
const latencies: number[] = [];
// CPU time as well as wall time: on a shared machine the wall rate varies with the neighbours.
// (The process's CPU time includes the collector's helper threads.)
const cpuMicros = (c: NodeJS.CpuUsage): number => c.user + c.system;
let cpu = process.cpuUsage();
t = performance.now();
for (const q of queries) {
  const s = performance.now();
  matcher.match(q);
  latencies.push(performance.now() - s);
}
const oursPerSecond = queries.length / ((performance.now() - t) / 1000);
const oursCpu = cpuMicros(process.cpuUsage(cpu)) / queries.length;
latencies.sort((a, b) => a - b);
const pct = (p: number): number => latencies[Math.floor((latencies.length - 1) * p)] ?? 0;

// The baseline: every name of every entity, Jaro-Winkler on the normalised whole name.
const allNames = matcher.index.entities.flatMap((e) => e.names.map((n) => normalise(n.name.name)));
const sample = queries.slice(0, 50);
cpu = process.cpuUsage();
t = performance.now();
for (const q of sample) {
  const qn = normalise(q.names[0] ?? "");
  let best = 0;
  for (const n of allNames) {
    const s = jaroWinkler(qn, n);
    if (s > best) best = s;
  }
}
const brutePerSecond = sample.length / ((performance.now() - t) / 1000);
const bruteCpu = cpuMicros(process.cpuUsage(cpu)) / sample.length;

const load = loadavg().map((l) => l.toFixed(1));
console.log(
  `\nScreening: ${queries.length} queries (UN positives clean and treated, negatives) against ${matcher.index.size} listed entities, ${allNames.length} names; one thread; load average ${load.join(" ")}`,
);
const table = [
  ["figure", "Interdict", "baseline: brute-force Jaro-Winkler"],
  ["index build", `${buildSeconds.toFixed(2)} s, +${indexMb.toFixed(0)} MB RSS`, ""],
  [
    "screenings per second",
    oursPerSecond.toFixed(0),
    `${brutePerSecond.toFixed(1)} (×${(oursPerSecond / brutePerSecond).toFixed(0)})`,
  ],
  ["CPU time per screening", `${(oursCpu / 1000).toFixed(2)} ms`, `${(bruteCpu / 1000).toFixed(0)} ms`],
  [
    "latency p50 / p99",
    `${pct(0.5).toFixed(2)} / ${pct(0.99).toFixed(2)} ms`,
    `${(1000 / brutePerSecond).toFixed(0)} ms each`,
  ],
];
const widths = [0, 1, 2].map((i) => Math.max(...table.map((r) => (r[i] ?? "").length)));
for (const [n, r] of table.entries()) {
  console.log(r.map((c, i) => c.padEnd(widths[i] ?? 0)).join("  "));
  if (n === 0) console.log(widths.map((w) => "-".repeat(w)).join("  "));
}
await store.close();
