// Screening at scale: 1,000,000 synthetic listed entities (`INTERDICT_SYNTHETIC` to change the
// count), built from the name parts of the real lists, then screened one thread. Baseline in the
// same run: the same index over the real corpus (~45k), so the table shows what size costs.
//
// The synthetic entities recombine real given names, family names and organisation words with a
// seeded generator: persons (given + optional second given + family), organisations (two or
// three words + a legal form) and vessels, with birth dates and countries. Queries: half are
// synthetic entities' names with a typo or their parts re-ordered (should be found), half are
// fresh recombinations (mostly not listed). Run by bench/run.ts in its own process.

import { readdirSync } from "node:fs";
import { ingest } from "../src/ingest/ingest.js";
import { Matcher } from "../src/match/matcher.js";
import { type MatchEntity, matchEntity, type Query } from "../src/match/subject.js";
import { SqliteStore } from "../src/store/sqlite.js";
import { seeded } from "./_random.js";

const LISTS = process.env.INTERDICT_LISTS ?? "../shared/data/lists";
const COUNT = Number(process.env.INTERDICT_SYNTHETIC ?? 1_000_000);
const QUERIES = 4000;

// Seeded, so every run makes the same synthetic data.
const { random, pick } = seeded(20261129);

const store = new SqliteStore(":memory:");
for (const d of readdirSync(LISTS).sort()) {
  const v = readdirSync(`${LISTS}/${d}`).sort().at(-1);
  await ingest(store, [`${LISTS}/${d}/${v}`]);
}
let t = performance.now();
const real = await Matcher.fromStore(store);
const realBuild = (performance.now() - t) / 1000;

// Name parts of the real lists: the first token of a person's name is taken as given, the last
// as family; organisation words as they come. Only Latin-letter parts, as most lists write them.
const given = new Set<string>();
const family = new Set<string>();
const orgWords = new Set<string>();
const countries = new Set<string>();
for (const e of real.index.entities) {
  for (const c of e.countries) countries.add(c);
  for (const n of e.names) {
    const words = n.name.tokens
      .filter((x) => x.kind === "word" && /^[a-z]{3,}$/.test(x.text))
      .map((x) => x.text);
    if (words.length < 2) continue;
    if (e.schema === "Person") {
      given.add(words[0] as string);
      family.add(words.at(-1) as string);
    } else for (const w of words) orgWords.add(w);
  }
}
const G = [...given];
const F = [...family];
const O = [...orgWords];
const C = [...countries];
const FORMS = ["LLC", "Ltd", "OOO", "JSC", "GmbH", "SA", "Company", "Trading"];
const cap = (w: string): string => w[0]?.toUpperCase() + w.slice(1);

function synthetic(i: number): { schema: string; name: string; birthDate?: string; country: string } {
  const r = random();
  const country = pick(C);
  if (r < 0.7) {
    const parts = [pick(G), ...(random() < 0.4 ? [pick(G)] : []), pick(F)].map(cap);
    const y = 1940 + Math.floor(random() * 60);
    const m = String(1 + Math.floor(random() * 12)).padStart(2, "0");
    const d = String(1 + Math.floor(random() * 28)).padStart(2, "0");
    return { schema: "Person", name: parts.join(" "), birthDate: `${y}-${m}-${d}`, country };
  }
  if (r < 0.95) {
    const words = [pick(O), pick(O), ...(random() < 0.3 ? [pick(O)] : [])].map(cap);
    return { schema: "Company", name: `${words.join(" ")} ${pick(FORMS)}`, country };
  }
  return { schema: "Vessel", name: `${cap(pick(O))} ${cap(pick(F))} ${i % 100}`, country };
}

const rssBefore = process.memoryUsage().rss;
t = performance.now();
const entities: MatchEntity[] = [];
const kept: { schema: string; name: string; birthDate?: string }[] = [];
for (let i = 0; i < COUNT; i++) {
  const s = synthetic(i);
  entities.push(
    matchEntity({
      id: `syn:${i}`,
      schema: s.schema,
      properties: {
        name: [s.name],
        ...(s.birthDate ? { birthDate: [s.birthDate] } : {}),
        ...(s.schema === "Person" ? { nationality: [s.country] } : { country: [s.country] }),
      },
      datasets: ["synthetic"],
      referents: [],
    }),
  );
  if (i % Math.ceil(COUNT / QUERIES) === 0) kept.push(s);
  if (i > 0 && i % 100_000 === 0) process.stderr.write(`  ${i} synthetic entities analysed…\n`);
}
const analysed = (performance.now() - t) / 1000;
const big = new Matcher(entities);
const build = (performance.now() - t) / 1000;
const rss = process.memoryUsage().rss / 1048576;
const grown = (process.memoryUsage().rss - rssBefore) / 1048576;

// A typo (one letter dropped from the longest part) or the parts reversed.
function perturb(name: string): string {
  const parts = name.split(" ");
  if (random() < 0.5) return parts.reverse().join(" ");
  let at = 0;
  parts.forEach((p, i) => {
    if (p.length > (parts[at] ?? "").length) at = i;
  });
  const p = parts[at] ?? "";
  const k = 1 + Math.floor(random() * (p.length - 2));
  parts[at] = p.slice(0, k) + p.slice(k + 1);
  return parts.join(" ");
}
const queries: Query[] = [];
for (const s of kept.slice(0, QUERIES / 2)) {
  queries.push({
    schema: s.schema,
    names: [perturb(s.name)],
    ...(s.birthDate ? { birthDates: [s.birthDate] } : {}),
  });
}
while (queries.length < QUERIES) {
  const s = synthetic(queries.length);
  queries.push({ schema: s.schema, names: [s.name] });
}

function run(m: Matcher): { perSecond: number; p50: number; p99: number; found: number } {
  for (const q of queries.slice(0, 300)) m.match(q);
  const lat: number[] = [];
  let found = 0;
  const start = performance.now();
  for (const [i, q] of queries.entries()) {
    const s = performance.now();
    const r = m.match(q);
    lat.push(performance.now() - s);
    if (i < QUERIES / 2 && r[0]?.entity.id.startsWith("syn:") && r[0].match) found++;
  }
  const perSecond = queries.length / ((performance.now() - start) / 1000);
  lat.sort((a, b) => a - b);
  const at = (p: number): number => lat[Math.floor((lat.length - 1) * p)] ?? 0;
  return { perSecond, p50: at(0.5), p99: at(0.99), found };
}
const ours = run(big);
const base = run(real);

console.log(
  `\nScreening at scale: ${entities.length.toLocaleString("en")} synthetic entities (${G.length} given names, ${F.length} family names, ${O.length} organisation words from the real lists); ${queries.length} queries, one thread`,
);
const table = [
  [
    "figure",
    `${entities.length.toLocaleString("en")} synthetic`,
    `baseline: real corpus (${real.index.size})`,
  ],
  [
    "index build",
    `${build.toFixed(1)} s (names analysed in ${analysed.toFixed(1)} s)`,
    `${realBuild.toFixed(1)} s incl. reading the store`,
  ],
  ["memory", `${rss.toFixed(0)} MB RSS (+${grown.toFixed(0)} MB for the synthetic index)`, ""],
  ["screenings per second", ours.perSecond.toFixed(0), base.perSecond.toFixed(0)],
  [
    "latency p50 / p99",
    `${ours.p50.toFixed(2)} / ${ours.p99.toFixed(2)} ms`,
    `${base.p50.toFixed(2)} / ${base.p99.toFixed(2)} ms`,
  ],
  [
    "perturbed listed names found as match @1",
    `${ours.found} of ${QUERIES / 2}`,
    "(synthetic names are not in the real lists)",
  ],
];
const widths = [0, 1, 2].map((i) => Math.max(...table.map((r) => (r[i] ?? "").length)));
for (const [n, r] of table.entries()) {
  console.log(r.map((c, i) => c.padEnd(widths[i] ?? 0)).join("  "));
  if (n === 0) console.log(widths.map((w) => "-".repeat(w)).join("  "));
}
await store.close();
