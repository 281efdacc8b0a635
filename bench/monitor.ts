// Customer screening at scale, run by bench/run.ts in its own process: synthetic subjects
// (INTERDICT_BENCH_SUBJECTS, default 100,000; the batch screens INTERDICT_BENCH_BATCH of them,
// default all) screened in one batch against the full corpus on
// all cores, and the delta re-screen of the same subjects after OFAC's 2022-02-17 → 2022-03-15
// change beside a naive full re-screen measured in the same run (on a sample, extrapolated).
//
// Subjects are made deterministically (a seeded generator) from the listed names themselves:
//   10 % a listed person's name changed the way data entry changes it: parts reordered, one
//        letter replaced, middle names dropped (these should match);
//   10 % the given name of one listed person with the family name of another (near misses);
//    5 % companies: half a listed organisation's name with its legal form changed, half invented;
//   75 % invented names from syllables (should not match).
// Half have a birth date, a third a country.

import { mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { availableParallelism, tmpdir } from "node:os";
import { join } from "node:path";
import { ingest } from "../src/ingest/ingest.js";
import { alertsOf, type Finding } from "../src/monitor/alerts.js";
import type { SubjectToScreen } from "../src/monitor/findings.js";
import { changedTargets as changedTargetsOf, rescreenDelta } from "../src/monitor/monitor.js";
import { startPool } from "../src/screen/batch/pool.js";
import { runBatch } from "../src/screen/batch/run.js";
import { SqliteStore } from "../src/store/sqlite.js";
import { registerOf } from "../src/subjects/register.js";
import { seeded } from "./_random.js";

const LISTS = process.env.INTERDICT_LISTS ?? "../shared/data/lists";
const N = Number(process.env.INTERDICT_BENCH_SUBJECTS ?? 100_000);
/** Subjects the batch screens (the first of the N): INTERDICT_BENCH_BATCH, default all. */
const BATCH = Math.min(N, Number(process.env.INTERDICT_BENCH_BATCH ?? N));
const SAMPLE = Math.min(N, Number(process.env.INTERDICT_BENCH_SAMPLE ?? 10_000));
const CORES = availableParallelism();
const SDN = `${LISTS}/us_ofac_sdn`;

const dir = mkdtempSync(join(tmpdir(), "interdict-bench-monitor-"));
const dbPath = join(dir, "bench.db");
const store = new SqliteStore(dbPath);
const log = (s: string): void => void process.stderr.write(`  ${s}\n`);

/** Peak RSS while `body` runs, sampled every 100 ms, and the RSS at each quarter of `progress`. */
async function measured<T>(body: (progress: (share: number) => void) => Promise<T>) {
  let peak = process.memoryUsage().rss;
  const quarters: number[] = [];
  const timer = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().rss);
  }, 100);
  const t = performance.now();
  try {
    const value = await body((share) => {
      while (quarters.length < 4 && share >= (quarters.length + 1) / 4)
        quarters.push(process.memoryUsage().rss);
    });
    return {
      value,
      seconds: (performance.now() - t) / 1000,
      peakMb: peak / 1048576,
      quartersMb: quarters.map((q) => q / 1048576),
    };
  } finally {
    clearInterval(timer);
  }
}

// The store: the newest version of every dataset but OFAC SDN, which starts at 2022-02-17.
for (const d of readdirSync(LISTS).sort()) {
  if (d === "us_ofac_sdn") continue;
  const v = readdirSync(`${LISTS}/${d}`).sort().at(-1);
  await ingest(store, [`${LISTS}/${d}/${v}`]);
}
await ingest(store, [`${SDN}/2022-02-17`]);

// Names to make subjects from.
const persons: string[][] = [];
const orgs: string[] = [];
for (const d of await store.datasets()) {
  for await (const e of store.entities(d.name)) {
    const name = e.properties.name?.[0];
    if (!name) continue;
    if (e.schema === "Person") persons.push(name.replace(/,/g, " ").split(/\s+/).filter(Boolean));
    else if (e.schema === "Organization" || e.schema === "Company") orgs.push(name);
  }
}

// Seeded, so every run makes the same synthetic data.
const { random, pick } = seeded(20220315);
const SYLLABLES =
  "ka lo mi ten sa ri vo nel da bru fi ghe tas mon ur el ani per zo qui lam dor ste hu xan bel ori".split(
    " ",
  );
const cap = (w: string): string => w.charAt(0).toUpperCase() + w.slice(1).toLowerCase();
const invented = (): string =>
  cap(Array.from({ length: 2 + Math.floor(random() * 2) }, () => pick(SYLLABLES)).join(""));
const COUNTRIES = [
  "Germany",
  "France",
  "Russia",
  "Nigeria",
  "Brazil",
  "India",
  "United States",
  "Iran",
  "China",
  "Turkey",
];
const typo = (w: string): string => {
  if (w.length < 5) return w;
  const i = 1 + Math.floor(random() * (w.length - 2));
  return w.slice(0, i) + pick("aeiounrst".split("")) + w.slice(i + 1);
};

function subject(i: number): Record<string, string> {
  const r = random();
  let name: string;
  let schema = "Person";
  if (r < 0.1) {
    let parts = [...pick(persons)];
    const how = random();
    if (how < 0.33) parts.reverse();
    else if (how < 0.66)
      parts = parts.map((p, j) => (j === Math.floor(random() * parts.length) ? typo(p) : p));
    else if (parts.length > 2) parts = [parts[0] ?? "", parts[parts.length - 1] ?? ""];
    name = parts.join(" ");
  } else if (r < 0.2) {
    name = `${pick(persons).at(-1) ?? ""} ${pick(persons)[0] ?? ""}`;
  } else if (r < 0.25) {
    schema = "Company";
    name =
      random() < 0.5
        ? `${pick(orgs)
            .replace(/\b(LLC|OOO|LTD|LIMITED|JSC|PJSC|AO|ZAO|OAO|GMBH|CO)\b\.?/gi, "")
            .trim()} ${pick(["Ltd", "LLC", "GmbH", "SA"])}`
        : `${invented()} ${pick(["Trading", "Holdings", "Logistics", "Foods"])} ${pick(["Ltd", "LLC", "GmbH", "SA"])}`;
  } else {
    name = `${invented()} ${invented()}`;
  }
  const row: Record<string, string> = { id: `s${String(i).padStart(7, "0")}`, name, schema };
  if (schema === "Person" && random() < 0.5) {
    row.birth_date = `${1940 + Math.floor(random() * 60)}-${String(1 + Math.floor(random() * 12)).padStart(2, "0")}-${String(1 + Math.floor(random() * 28)).padStart(2, "0")}`;
  }
  if (random() < 0.33) row.country = pick(COUNTRIES);
  return row;
}

const subjects = Array.from({ length: N }, (_, i) => subject(i + 1));
const csvPath = join(dir, "subjects.csv");
const q = (s: string | undefined): string => (s && /[",]/.test(s) ? `"${s.replace(/"/g, '""')}"` : (s ?? ""));
writeFileSync(
  csvPath,
  `id,name,schema,birth_date,country\n${subjects
    .slice(0, BATCH)
    .map((s) => [s.id, s.name, s.schema, s.birth_date, s.country].map(q).join(","))
    .join("\n")}\n`,
);
process.stderr.write(`monitoring bench: ${N} synthetic subjects, ${CORES} cores\n`);

// The register: every subject in, as if screened against February.
const register = registerOf(store);
const reg = await measured(async () => {
  const at = new Date().toISOString();
  for (let i = 0; i < subjects.length; i += 10_000) {
    register.transaction(() => {
      for (const s of subjects.slice(i, i + 10_000)) {
        const query = {
          names: [s.name ?? ""],
          schema: s.schema ?? "Person",
          ...(s.birth_date ? { birthDates: [s.birth_date] } : {}),
          ...(s.country ? { countries: [s.country] } : {}),
        };
        register.upsert({ id: s.id ?? "", query }, "bench", at);
      }
    });
  }
  for (const chunk of register.chunks("all", 10_000)) register.markScreened(chunk);
});
log(`register: ${N} subjects in ${reg.seconds.toFixed(1)} s`);
subjects.length = 0; // the register and the CSV hold them now

// March arrives: the delta re-screen.
const [march] = await ingest(store, [`${SDN}/2022-03-15`]);
const feb = march?.version.parentId;
const delta = await measured(() =>
  rescreenDelta(store, "us_ofac_sdn", feb, march?.version.id ?? 0, { workers: CORES, inThreadUpTo: 0 }),
);
const d = delta.value;
log(
  `delta: ${d.entities.rescreened} changed targets against ${d.subjects} subjects in ${delta.seconds.toFixed(1)} s`,
);

// The naive way: every subject (a sample) screened in full against every list again.
const every = Math.ceil(N / SAMPLE);
const sample: SubjectToScreen[] = [];
for (const chunk of register.chunks("all", 10_000)) {
  for (const s of chunk)
    if (Number(s.id.slice(1)) % every === 0) sample.push({ id: s.id, hash: s.hash, query: s.query });
}
const naive = await measured(async () => {
  const load = performance.now();
  const pool = await startPool<
    { kind: "findings"; subjects: SubjectToScreen[]; countPairs: boolean },
    { findings: Finding[]; pairs: number }
  >(new URL("../src/workers/screen-worker.ts", import.meta.url), CORES, { db: dbPath, options: {} });
  const loadSeconds = (performance.now() - load) / 1000;
  const t = performance.now();
  let pairs = 0;
  const findings: Finding[] = [];
  await Promise.all(
    Array.from({ length: Math.ceil(sample.length / 500) }, (_, k) =>
      pool
        .request({
          kind: "findings",
          subjects: sample.slice(k * 500, (k + 1) * 500),
          countPairs: true,
        })
        .then((r) => {
          pairs += r.pairs;
          findings.push(...r.findings);
        }),
    ),
  );
  const screenSeconds = (performance.now() - t) / 1000;
  await pool.close();
  return { loadSeconds, screenSeconds, pairs, findings };
});
const perSubject = naive.value.screenSeconds / sample.length;
const naiveSeconds = naive.value.loadSeconds + perSubject * N;
const naivePairs = Math.round((naive.value.pairs / sample.length) * N);
// Recall of the delta on the sample: matches a full re-screen finds on the entities March
// changed, against the alerts the delta raised.
const alerts = new Set(
  alertsOf(store)
    .list({ status: "open" })
    .filter((a) => a.reason.startsWith("list change"))
    .map((a) => `${a.subjectId} ${a.entityId}`),
);
const sampleIds = new Set(sample.map((s) => s.id));
const changedTargets = new Set(
  (await changedTargetsOf(store, feb, march?.version.id ?? 0, "us_ofac_sdn")).changed.map((c) => c.entity.id),
);
const expected = naive.value.findings.filter((f) => changedTargets.has(f.entityId));
const found = expected.filter((f) => alerts.has(`${f.subjectId} ${f.entityId}`)).length;
const deltaInSample = [...alerts].filter((k) => sampleIds.has(k.split(" ")[0] ?? "")).length;

// The batch: every subject against the full corpus (OFAC's newest version), all cores.
await ingest(store, [`${SDN}/${readdirSync(SDN).sort().at(-1)}`]);
let listLoad = 0;
const batch = await measured(async (progress) => {
  const t = performance.now();
  return runBatch(store, {
    input: csvPath,
    out: join(dir, "results.jsonl"),
    workers: CORES,
    dbPath,
    checkpointEvery: 5,
    onReady: () => {
      listLoad = (performance.now() - t) / 1000;
    },
    onProgress: (p) => progress(p.rows / BATCH),
  });
});
const screened = batch.value.summary.subjects;
const screenRate = screened / Math.max(0.001, batch.seconds - listLoad);
log(`batch: ${screened} subjects in ${batch.seconds.toFixed(1)} s`);

const fmt = (n: number): string => n.toLocaleString("en-US");
const extrapolated = BATCH < 1_000_000;
const million = listLoad + 1_000_000 / screenRate;
const table = [
  ["figure", "Interdict", "baseline / target"],
  [
    `batch screen, ${fmt(BATCH)} subjects, ${CORES} workers`,
    `${fmt(Math.round(screenRate))} subjects/s; ${batch.seconds.toFixed(0)} s end to end (lists loaded in ${listLoad.toFixed(0)} s)`,
    "",
  ],
  [
    "1,000,000 subjects",
    `${(million / 60).toFixed(1)} min${extrapolated ? ` (extrapolated from ${fmt(BATCH)})` : " (measured)"}`,
    "target < 10 min",
  ],
  [
    "batch memory",
    `peak RSS ${batch.peakMb.toFixed(0)} MB; at 25/50/75/100 %: ${batch.quartersMb.map((m) => m.toFixed(0)).join(" / ")} MB`,
    "flat",
  ],
  [
    `alerts (${fmt(screened)} subjects)`,
    `${fmt(batch.value.summary.decisions.alert)} (${((100 * batch.value.summary.decisions.alert) / Math.max(1, screened)).toFixed(1)} %)`,
    "",
  ],
  ["register import", `${fmt(N)} subjects in ${reg.seconds.toFixed(1)} s`, ""],
  [
    `delta re-screen, OFAC 2022-02-17 → 03-15 (${d.entities.rescreened} changed targets) × ${fmt(N)}`,
    `${delta.seconds.toFixed(1)} s, peak RSS ${delta.peakMb.toFixed(0)} MB`,
    `naive full re-screen: ${(naiveSeconds / 60).toFixed(1)} min${N > SAMPLE ? ` (extrapolated from ${fmt(sample.length)})` : ""}; target < 60 s`,
  ],
  [
    "pairs scored",
    `${fmt(d.pairs.reversePairs + d.pairs.forwardPairs)} (reverse ${fmt(d.pairs.reversePairs)}, forward ${fmt(d.pairs.forwardPairs)} for ${fmt(d.pairs.candidates)} subjects)`,
    `naive: ${fmt(naivePairs)}${N > SAMPLE ? " (extrapolated)" : ""}`,
  ],
  [
    "new alerts from the delta",
    `${fmt(d.alerts.raised)}; on the sample, ${found} of ${expected.length} matches a full re-screen finds on changed entities (${deltaInSample} delta alerts in the sample)`,
    "",
  ],
];
console.log(
  `\nCustomer screening and monitoring: ${fmt(N)} synthetic subjects (bench/monitor.ts says how they are made), ${CORES} cores, Node ${process.version}`,
);
const widths = [0, 1, 2].map((i) => Math.max(...table.map((r) => (r[i] ?? "").length)));
for (const [n, r] of table.entries()) {
  console.log(
    r
      .map((c, i) => c.padEnd(widths[i] ?? 0))
      .join("  ")
      .trimEnd(),
  );
  if (n === 0) console.log(widths.map((w) => "-".repeat(w)).join("  "));
}
await store.close();
rmSync(dir, { recursive: true, force: true });
