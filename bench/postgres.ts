// Full-corpus ingest (the newest version of every list in ../shared/data/lists, one after the
// other into one fresh store) on PostgreSQL against SQLite, each in its own process. PostgreSQL
// at INTERDICT_BENCH_PG (default postgres://postgres@127.0.0.1:5432/test), in a schema of its
// own that is dropped after. `node --import tsx bench/postgres.ts`; a child runs `one <kind>`.

import { execFileSync } from "node:child_process";
import { mkdtempSync, readdirSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import { ingest } from "../src/ingest/ingest.js";
import { PostgresStore } from "../src/store/postgres.js";
import { SqliteStore } from "../src/store/sqlite.js";
import type { Store } from "../src/store/store.js";

const LISTS = process.env.INTERDICT_LISTS ?? "../shared/data/lists";
const PG = process.env.INTERDICT_BENCH_PG ?? "postgres://postgres@127.0.0.1:5432/test";

interface Measure {
  kind: string;
  seconds: number;
  entities: number;
  peakRssMb: number;
  /** A second ingest of the same lists: every entity unchanged (the daily case). */
  again: number;
}

function newestPaths(): string[] {
  return readdirSync(LISTS)
    .sort()
    .flatMap((dataset) => {
      const versions = readdirSync(join(LISTS, dataset))
        .filter((v) => statSync(join(LISTS, dataset, v)).isDirectory())
        .sort();
      return versions.length > 0 ? [join(LISTS, dataset, versions.at(-1) as string)] : [];
    });
}

async function one(kind: string): Promise<Measure> {
  const paths = newestPaths();
  const schema = `interdict_bench_${process.pid}`;
  const dir = mkdtempSync(join(tmpdir(), "interdict-bench-"));
  const store: Store =
    kind === "postgres"
      ? await PostgresStore.open(`${PG}?schema=${schema}`)
      : new SqliteStore(join(dir, "bench.db"));
  try {
    let entities = 0;
    let start = performance.now();
    for (const p of paths) for (const r of await ingest(store, [p])) entities += r.version.entityCount;
    const seconds = (performance.now() - start) / 1000;
    start = performance.now();
    for (const p of paths) await ingest(store, [p]);
    const again = (performance.now() - start) / 1000;
    return { kind, seconds, entities, again, peakRssMb: process.resourceUsage().maxRSS / 1024 };
  } finally {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
    if (kind === "postgres") {
      const c = new pg.Client({ connectionString: PG });
      await c.connect();
      await c.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
      await c.end();
    }
  }
}

if (process.argv[2] === "one") {
  process.stdout.write(`${JSON.stringify(await one(process.argv[3] ?? "sqlite"))}\n`);
} else {
  const run = (kind: string): Measure =>
    JSON.parse(
      execFileSync(process.execPath, ["--import", "tsx", "bench/postgres.ts", "one", kind], {
        encoding: "utf8",
        stdio: ["ignore", "pipe", "inherit"],
      })
        .trim()
        .split("\n")
        .at(-1) ?? "{}",
    ) as Measure;
  const results = [run("sqlite"), run("postgres")];
  console.log(
    `\nFull-corpus ingest (newest version of each list, ${newestPaths().length} lists), SQLite vs PostgreSQL`,
  );
  console.log("store       entities  ingest s  entities/s  re-ingest unchanged s  peak RSS MB");
  for (const m of results) {
    console.log(
      `${m.kind.padEnd(10)}  ${String(m.entities).padStart(8)}  ${m.seconds.toFixed(2).padStart(8)}  ${String(
        Math.round(m.entities / m.seconds),
      ).padStart(10)}  ${m.again.toFixed(2).padStart(21)}  ${m.peakRssMb.toFixed(0).padStart(11)}`,
    );
  }
}
