// OFAC parity: scores every row of ../shared/data/eval/ofac_sls_scores.csv (scores captured from
// OFAC's Sanctions List Search) with the `ofac` algorithm and prints the share within ±5 points,
// the mean absolute error and the rows furthest off. A row scored -1 is a name the tool did not
// list at its slider setting (80 when these were captured): it agrees when we score under 80.
//
//   node --import tsx eval/ofac-parity.ts [FILE.csv] [--rows N]

import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { parse } from "csv-parse/sync";
import { ofacScore, ofacSimilarity, prepareOfacName } from "../src/match/ofac.js";

const NOT_LISTED_BELOW = 80;
const TOLERANCE = 5;

interface Row {
  query_name: string;
  result_name: string;
  ofac_score: string;
}

const args = process.argv.slice(2);
const rowsAt = args.indexOf("--rows");
const show = rowsAt >= 0 ? Number(args.splice(rowsAt, 2)[1]) : 12;
const file = resolve(
  args[0] ?? new URL("../../shared/data/eval/ofac_sls_scores.csv", import.meta.url).pathname,
);
const rows = parse(readFileSync(file), { columns: true, skip_empty_lines: true }) as Row[];

let agree = 0;
let notListedAgree = 0;
let scored = 0;
let scoredAgree = 0;
let absError = 0;
const results: { row: Row; ofac: number; ours: number; off: number; detail: string }[] = [];
for (const row of rows) {
  const ofac = Number(row.ofac_score);
  const { score, detail } = ofacScore(row.query_name, row.result_name);
  const ours = Math.round(score * 100);
  let off: number;
  if (ofac < 0) {
    off = ours < NOT_LISTED_BELOW ? 0 : ours - NOT_LISTED_BELOW + 1;
    if (off === 0) notListedAgree++;
  } else {
    off = Math.abs(ours - ofac);
    scored++;
    absError += off;
    if (off <= TOLERANCE) scoredAgree++;
  }
  if (ofac >= 0 ? off <= TOLERANCE : off === 0) agree++;
  results.push({ row, ofac, ours, off, detail });
}

/** Mean time of one call of `fn` over all rows, after a warm-up, in microseconds. */
function timePerPair(fn: (i: number) => unknown, rounds: number): number {
  for (let i = 0; i < rows.length * 50; i++) fn(i % rows.length);
  const t0 = process.hrtime.bigint();
  for (let r = 0; r < rounds; r++) for (let i = 0; i < rows.length; i++) fn(i);
  return Number(process.hrtime.bigint() - t0) / 1000 / (rounds * rows.length);
}
const queries = rows.map((r) => prepareOfacName(r.query_name));
const candidates = rows.map((r) => prepareOfacName(r.result_name));
const hot = timePerPair((i) => ofacSimilarity(queries[i]!, candidates[i]!), 2000);
const full = timePerPair((i) => ofacScore(rows[i]!.query_name, rows[i]!.result_name), 500);
const prep = timePerPair((i) => prepareOfacName(rows[i]!.result_name), 500);

const pct = (n: number, d: number): string => `${((100 * n) / d).toFixed(1)} %`;
console.log(`OFAC parity on ${file}`);
console.log(`  rows within ±${TOLERANCE} points      ${agree}/${rows.length} = ${pct(agree, rows.length)}`);
console.log(`  scored rows within ±${TOLERANCE}      ${scoredAgree}/${scored} = ${pct(scoredAgree, scored)}`);
console.log(`  not-listed rows under ${NOT_LISTED_BELOW}     ${notListedAgree}/${rows.length - scored}`);
console.log(`  mean absolute error (scored rows)  ${(absError / scored).toFixed(2)} points`);
console.log(`  time per pair, prepared names (ofacSimilarity)  ${hot.toFixed(2)} µs`);
console.log(`  time per name, preparing (prepareOfacName)      ${prep.toFixed(2)} µs`);
console.log(`  time per pair, strings + explanation (ofacScore) ${full.toFixed(2)} µs`);
console.log(`\nfurthest off (OFAC → ours):`);
for (const r of results.sort((a, b) => b.off - a.off).slice(0, show)) {
  if (r.off === 0) break;
  const ofac = r.ofac < 0 ? "not listed" : String(r.ofac);
  console.log(`  ${r.row.query_name} | ${r.row.result_name}: ${ofac} → ${r.ours}`);
  console.log(`      ${r.detail}`);
}
