// `npm run bench`: ingest speed and memory for every full list in ../shared/data/lists, each
// measured in its own process. Baseline in the same run: reading the same bytes and doing
// nothing with them (hash), so the table shows what parsing, mapping and storing cost on top.

import { execFileSync } from "node:child_process";
import { readdirSync, statSync } from "node:fs";
import { join } from "node:path";

const LISTS = process.env.INTERDICT_LISTS ?? "../shared/data/lists";

interface Measure {
  seconds: number;
  peakRssMb: number;
  entities: number;
  bytes: number;
}

function measure(mode: string, paths: string[]): Measure {
  const out = execFileSync(process.execPath, ["--import", "tsx", "bench/ingest-one.ts", mode, ...paths], {
    encoding: "utf8",
    maxBuffer: 1 << 20,
  });
  return JSON.parse(out.trim().split("\n").at(-1) ?? "{}") as Measure;
}

const versions: { dataset: string; version: string; path: string }[] = [];
for (const dataset of readdirSync(LISTS).sort()) {
  for (const version of readdirSync(join(LISTS, dataset)).sort()) {
    const path = join(LISTS, dataset, version);
    if (statSync(path).isDirectory()) versions.push({ dataset, version, path });
  }
}

const rows: string[][] = [];
const header = [
  "dataset",
  "version",
  "MB",
  "entities",
  "baseline: read bytes s",
  "parse+map s",
  "ingest s",
  "entities/s",
  "peak RSS MB",
];
process.stderr.write(`measuring ${versions.length} list versions, each in its own process…\n`);
for (const v of versions) {
  const hash = measure("hash", [v.path]);
  const read = measure("read", [v.path]);
  const full = measure("ingest", [v.path]);
  rows.push([
    v.dataset,
    v.version,
    (hash.bytes / 1048576).toFixed(1),
    String(full.entities),
    hash.seconds.toFixed(3),
    read.seconds.toFixed(2),
    full.seconds.toFixed(2),
    String(Math.round(full.entities / full.seconds)),
    full.peakRssMb.toFixed(0),
  ]);
  process.stderr.write(`  ${v.dataset}/${v.version}: ${full.seconds.toFixed(2)} s\n`);
}

// The newest version of every dataset, one after another into one store: the benchmark corpus.
const newest = new Map<string, string>();
for (const v of versions) newest.set(v.dataset, v.path);
const all = measure("ingest", [...newest.values()]);
const allHash = measure("hash", [...newest.values()]);
rows.push([
  "ALL (newest of each)",
  "",
  (allHash.bytes / 1048576).toFixed(1),
  String(all.entities),
  allHash.seconds.toFixed(3),
  "",
  all.seconds.toFixed(2),
  String(Math.round(all.entities / all.seconds)),
  all.peakRssMb.toFixed(0),
]);

const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? "").length)));
const line = (cells: string[]): string =>
  cells.map((c, i) => (i < 2 ? c.padEnd(widths[i] ?? 0) : c.padStart(widths[i] ?? 0))).join("  ");
console.log(
  "\nIngest: each list version into a fresh SQLite store, one process each (Node",
  process.version,
  ")",
);
console.log(line(header));
console.log(widths.map((w) => "-".repeat(w)).join("  "));
for (const r of rows) console.log(line(r));

// Screening speed, in its own process so its memory figures are its own.
process.stdout.write(
  execFileSync(process.execPath, ["--import", "tsx", "bench/match.ts"], {
    encoding: "utf8",
    maxBuffer: 1 << 20,
  }),
);

// Screening at scale: a million synthetic entities (a few minutes; INTERDICT_SYNTHETIC=N for fewer).
process.stdout.write(
  execFileSync(process.execPath, ["--max-old-space-size=8192", "--import", "tsx", "bench/match-1m.ts"], {
    encoding: "utf8",
    maxBuffer: 1 << 20,
    stdio: ["ignore", "pipe", "inherit"],
  }),
);

process.stdout.write(
  execFileSync(process.execPath, ["--import", "tsx", "bench/service.ts"], { encoding: "utf8" }),
); // the screening service under load (bench/service.ts)

// Customer screening and monitoring: batch, delta re-screen vs a naive full re-screen (bench/monitor.ts).
process.stdout.write(
  execFileSync(process.execPath, ["--import", "tsx", "bench/monitor.ts"], {
    encoding: "utf8",
    stdio: ["ignore", "pipe", "inherit"],
  }),
);
process.stdout.write(
  execFileSync(process.execPath, ["--import", "tsx", "bench/postgres.ts"], { encoding: "utf8" }),
); // full-corpus ingest, PostgreSQL vs SQLite (bench/postgres.ts)
process.stdout.write(
  execFileSync(process.execPath, ["--import", "tsx", "bench/worker.ts"], { encoding: "utf8" }),
); // payments through NATS JetStream with 1, 2 and 4 workers (bench/worker.ts)
