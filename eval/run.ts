// `npm run eval`: accuracy on the development sets in ../shared/data/eval, our figures beside
// the anchors' in one table (EVAL.md). Nothing here is tuned to these files; they only measure.

import { readFileSync } from "node:fs";
import { parse } from "csv-parse/sync";
import { ingest } from "../src/ingest/ingest.js";
import { DEFAULT_ALGORITHM } from "../src/match/algorithm.js";
import { Matcher, scorePair as pairScore } from "../src/match/matcher.js";
import { ofacScore } from "../src/match/ofac.js";
import { analyseQuery } from "../src/match/subject.js";
import { SqliteStore } from "../src/store/sqlite.js";
import { normalise } from "../src/text/normalise.js";

const EVAL = process.env.INTERDICT_EVAL ?? "../shared/data/eval";
const LISTS = process.env.INTERDICT_LISTS ?? "../shared/data/lists";
const quick = process.argv.includes("--quick");
// `--only resolution` runs just the cross-list resolution block (a few minutes, not the whole table).
const only =
  process.argv.find((_a, i) => process.argv[i - 1] === "--only") ??
  process.argv.find((a) => a.startsWith("--only="))?.slice(7);
const all = only === undefined;

const rows = (file: string): Record<string, string>[] =>
  parse(readFileSync(`${EVAL}/${file}`, "utf8"), {
    columns: true,
    comment: "#",
    skip_empty_lines: true,
    relax_column_count: true,
  });

const scorePair = (a: string, b: string, schema?: string): number =>
  pairScore(a, b, schema ? { schema } : {}).score;

function f1(pairs: { truth: boolean; predicted: boolean }[]): {
  f1: number;
  precision: number;
  recall: number;
} {
  const tp = pairs.filter((p) => p.truth && p.predicted).length;
  const fp = pairs.filter((p) => !p.truth && p.predicted).length;
  const fn = pairs.filter((p) => p.truth && !p.predicted).length;
  const precision = tp / Math.max(1, tp + fp);
  const recall = tp / Math.max(1, tp + fn);
  return { f1: (2 * precision * recall) / Math.max(1e-9, precision + recall), precision, recall };
}

const table: [string, string, string, string][] = [];
const pct = (x: number): string => `${(100 * x).toFixed(1)} %`;

// 1. Name pairs.
if (all) {
  const data = rows("name_pairs.csv");
  const threshold = DEFAULT_ALGORITHM.threshold;
  const ours = data.map((r) => ({
    truth: r.is_match === "true",
    s: scorePair(r.name1 ?? "", r.name2 ?? "", r.schema),
  }));
  const at = (t: number) => f1(ours.map((p) => ({ truth: p.truth, predicted: p.s >= t })));
  let best = { t: 0, f1: 0 };
  for (let k = 50; k <= 99; k++) if (at(k / 100).f1 > best.f1) best = { t: k / 100, f1: at(k / 100).f1 };
  const anchor = f1(data.map((r) => ({ truth: r.is_match === "true", predicted: Number(r.score) >= 0.7 })));
  const m = at(threshold);
  table.push([
    `name-pair F1 @ ${threshold} (${data.length} pairs)`,
    `${m.f1.toFixed(3)} (P ${m.precision.toFixed(2)}, R ${m.recall.toFixed(2)}); best ${best.f1.toFixed(3)} @ ${best.t.toFixed(2)}`,
    `logic-v2 ${anchor.f1.toFixed(3)} @ 0.70 (from the file's scores)`,
    "≥ 0.88",
  ]);
}

// 2. OFAC parity.
if (all) {
  const data = rows("ofac_sls_scores.csv");
  // A score of -1 is a name the tool did not list at its slider setting (80 when these were
  // captured): we agree when we score it under 80 (eval/ofac-parity.ts explains more).
  const within = data.filter((r) => {
    const ours = 100 * ofacScore(r.query_name ?? "", r.result_name ?? "").score;
    const theirs = Number(r.ofac_score);
    return theirs < 0 ? ours < 80 : Math.abs(ours - theirs) <= 5;
  }).length;
  table.push([
    `OFAC parity ±5 points (${data.length} rows)`,
    pct(within / data.length),
    "emulation ~96 %",
    "≥ 95 %",
  ]);
}

// 3. Cross-script pairs.
if (all) {
  const text = readFileSync(`${EVAL}/cross_script_pairs.csv`, "utf8");
  const data = parse(text, { comment: "#", skip_empty_lines: true, relax_column_count: true }) as string[][];
  const pairs = data.filter((r) => r.length >= 3 && !Number.isNaN(Number(r[2])));
  const ok = pairs.filter((r) => scorePair(r[0] ?? "", r[1] ?? "") >= Number(r[2]));
  table.push([
    `cross-script pairs at their minimum (${pairs.length})`,
    `${ok.length} of ${pairs.length}`,
    "Watchman: needs embeddings",
    "≥ 20 of 22",
  ]);
  if (process.argv.includes("--verbose")) {
    for (const r of pairs)
      console.error(`${scorePair(r[0] ?? "", r[1] ?? "").toFixed(2)} ≥ ${r[2]}? ${r[0]} | ${r[1]}`);
  }
}

// 4 and 5: screening against the lists.
if (all) {
  const store = new SqliteStore(":memory:");
  await ingest(store, [`${LISTS}/un_sc_sanctions/2026-02-27`]);
  const un = await Matcher.fromStore(store, ["un_sc_sanctions"]);
  {
    const clean = rows("positives_un_untreated.csv");
    const treated = rows("positives_un_treated.csv");
    const key = (n: string): string => normalise(n).split(" ").sort().join(" ");
    // The listed person a clean query names: the entity one of whose names is that name.
    const byName = new Map<string, Set<string>>();
    for (const e of un.index.entities) {
      for (const n of e.names) {
        const k = key(n.name.name);
        byName.set(k, (byName.get(k) ?? new Set()).add(e.id));
      }
    }
    for (const [label, data] of [
      ["untreated", clean],
      ["treated", treated],
    ] as const) {
      let at1 = 0;
      let at5 = 0;
      let flagged = 0;
      let known = 0;
      // Retrieval measured apart from scoring: is the listed person among the candidates scored?
      let retrieved = 0;
      data.forEach((r, i) => {
        const expected = byName.get(key(clean[i]?.full_name ?? ""));
        if (!expected) return;
        known++;
        const results = un.match(
          {
            schema: "Person",
            names: [r.full_name ?? ""],
            birthDates: r.date_of_birth ? [r.date_of_birth] : [],
            countries: r.nationality ? [r.nationality] : [],
          },
          { limit: 5 },
        );
        if (results[0] && expected.has(results[0].entity.id)) at1++;
        const hit = results.find((x) => expected.has(x.entity.id));
        if (hit) at5++;
        if (hit?.match) flagged++;
        const candidates = un.index.candidates(
          analyseQuery({
            schema: "Person",
            names: [r.full_name ?? ""],
            birthDates: r.date_of_birth ? [r.date_of_birth] : [],
          }),
        );
        if (candidates.some((c) => expected.has(c.id))) retrieved++;
      });
      table.push([
        `UN positives ${label}: candidates / recall@1 / @5 / flagged (${known})`,
        `${(retrieved / known).toFixed(3)} / ${(at1 / known).toFixed(3)} / ${(at5 / known).toFixed(3)} / ${(flagged / known).toFixed(3)}`,
        "",
        label === "untreated" ? "≥ 0.98" : "≥ 0.95",
      ]);
    }
  }
  await store.close();

  {
    const all = new SqliteStore(":memory:");
    const { readdirSync } = await import("node:fs");
    for (const d of readdirSync(LISTS).sort()) {
      const v = readdirSync(`${LISTS}/${d}`).sort().at(-1);
      await ingest(all, [`${LISTS}/${d}/${v}`]);
    }
    const matcher = await Matcher.fromStore(all);
    const data = rows("negatives_global.csv").slice(0, quick ? 5000 : undefined);
    const t0 = performance.now();
    let alerts = 0;
    for (const r of data) {
      const results = matcher.match(
        {
          schema: "Person",
          names: [r.full_name ?? ""],
          birthDates: r.date_of_birth ? [r.date_of_birth] : [],
          countries: r.nationality ? [r.nationality] : [],
        },
        { limit: 1 },
      );
      if (results[0]?.match) alerts++;
    }
    const rate = data.length / ((performance.now() - t0) / 1000);
    table.push([
      `alert rate, ${data.length} negatives vs all ${matcher.index.size} listed`,
      pct(alerts / data.length),
      "",
      "< 1 %",
    ]);
    console.error(`(negatives screened at ${Math.round(rate)}/s, one thread)`);
    await all.close();
  }
}

// Resolution across lists (src/resolve): pairs the lists give themselves by citing the same
// passport, national-ID or UN reference number; once with every piece of evidence, once with
// the numbers withheld. Precision is over the merged pairs the numbers judge (both sides' gold
// groups carry numbers of one kind); the strict bound counts every unjudged pair as wrong.
if (all || only === "resolution") {
  const { currentVersions, loadDesignees } = await import("../src/resolve/designees.js");
  const { scoreResolution } = await import("../src/resolve/evaluate.js");
  const { jurisdictionOf } = await import("../src/resolve/regimes.js");
  const { readdirSync } = await import("node:fs");
  const lists = new SqliteStore(":memory:");
  for (const d of readdirSync(LISTS).sort()) {
    if (!jurisdictionOf(d)) continue;
    const v = readdirSync(`${LISTS}/${d}`).sort().at(-1);
    await ingest(lists, [`${LISTS}/${d}/${v}`]);
  }
  const designees = await loadDesignees(lists, await currentVersions(lists));
  for (const withhold of [false, true]) {
    const r = scoreResolution(designees, { withhold });
    table.push([
      `resolution ${withhold ? "names only" : "all evidence"}: auto-merge P / R (${r.goldPairs} pairs)`,
      `${r.precision.toFixed(3)} / ${r.recall.toFixed(3)} (${r.wrong} wrong of ${r.mergedPairs - r.unjudged} judged merged pairs; ${r.unjudged} unjudged, strict P ${r.strictPrecision.toFixed(3)})`,
      "",
      withhold ? "reported" : "P ≥ 0.99, R ≥ 0.90",
    ]);
  }
  await lists.close();
}

const widths = [0, 1, 2, 3].map((i) =>
  Math.max(...[["figure", "Interdict", "anchor", "target"], ...table].map((r) => (r[i] ?? "").length)),
);
const line = (r: string[]): string => r.map((c, i) => c.padEnd(widths[i] ?? 0)).join("  ");
console.log(line(["figure", "Interdict", "anchor", "target"]));
console.log(widths.map((w) => "-".repeat(w)).join("  "));
for (const r of table) console.log(line(r));
