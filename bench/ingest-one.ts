// Child process of bench/run.ts: one measurement in a fresh process, so peak RSS is this
// work's alone. Modes: `hash` (read the bytes only: the I/O baseline), `read` (parse and map,
// no store), `ingest` (everything, into a fresh SQLite store). Prints one JSON line.

import { createHash } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ingest } from "../src/ingest/ingest.js";
import { inputFiles } from "../src/sources/_input.js";
import { READERS } from "../src/sources/index.js";
import { SqliteStore } from "../src/store/sqlite.js";

const [mode, ...paths] = process.argv.slice(2);
const start = performance.now();
let entities = 0;
let bytes = 0;

if (mode === "hash") {
  for (const f of await inputFiles(paths)) {
    const h = createHash("sha256");
    for await (const c of f.open()) {
      h.update(c as Buffer);
      bytes += (c as Buffer).length;
    }
  }
} else if (mode === "read") {
  const files = await inputFiles(paths);
  for (const f of files) bytes += f.size;
  const reader = READERS.find((r) => files[0] && r.detect(files[0]));
  if (!reader) throw new Error(`no reader for ${paths.join(" ")}`);
  const dataset = reader.detect(files[0] as (typeof files)[0])?.dataset ?? "bench";
  for await (const _ of reader.read(files, { dataset, issue() {} })) entities++;
} else {
  const dir = mkdtempSync(join(tmpdir(), "interdict-bench-"));
  const store = new SqliteStore(join(dir, "bench.db"));
  for (const p of paths) {
    for (const r of await ingest(store, [p])) entities += r.version.entityCount;
  }
  for (const f of await inputFiles(paths)) bytes += f.size;
  await store.close();
  rmSync(dir, { recursive: true, force: true });
}

const seconds = (performance.now() - start) / 1000;
const peakRssMb = process.resourceUsage().maxRSS / 1024;
process.stdout.write(`${JSON.stringify({ mode, seconds, peakRssMb, entities, bytes })}\n`);
