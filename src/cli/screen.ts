// `interdict screen FILE`: a batch of subjects (CSV, JSON lines or XLSX) against the current
// lists on worker threads, results in input order. With --out, the run is checkpointed (a killed
// run resumes with the same output), bad rows go to an errors file, and a summary and an HTML
// report are written beside the output. The work is in src/screen/batch/run.ts.

import type { Command } from "commander";
import { InterdictError } from "../errors.js";
import type { MatchOptions } from "../match/matcher.js";
import { BATCH_DEFAULTS, runBatch } from "../screen/batch/run.js";
import { summaryText } from "../screen/batch/summary.js";
import { parseColumnMap } from "../screen/subject-row.js";
import { absoluteLocation } from "../store/open.js";
import { type GlobalOptions, output, progressLine, storePath, withStore } from "./_common.js";

interface ScreenOptions {
  out?: string;
  format?: string;
  threshold?: string;
  limit: string;
  workers?: string;
  algorithm: string;
  dataset?: string[];
  map?: string[];
  resume?: boolean;
  restart?: boolean;
  batch?: string;
  checkpointEvery?: string;
}

const count = (name: string, value: string | undefined, min: number): number | undefined => {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isFinite(n) || n < min)
    throw new InterdictError("INTERDICT_E_USAGE", `${name} must be a number ≥ ${min}`);
  return n;
};

export function register(program: Command, globals: () => GlobalOptions): void {
  program
    .command("screen")
    .description("screen a file of subjects (CSV, JSON lines, XLSX) against the current lists; resumable")
    .argument(
      "<file>",
      "columns id, name (or full_name); optional alias, schema, birth_date, country, identifier, gender",
    )
    .option(
      "--out <file>",
      "write here (checkpointed, with errors, summary and report beside it) instead of stdout",
    )
    .option("--format <fmt>", "jsonl, csv or xlsx (default: from the --out extension, else jsonl)")
    .option("--threshold <score>", "match at or above this score (default: the algorithm's)")
    .option("--limit <n>", "results per subject, best first, matches or not", "5")
    .option("--workers <n>", "worker threads (default: one per core; 0 screens in this thread)")
    .option("--algorithm <name>", "scoring algorithm", "default")
    .option("-d, --dataset <name...>", "only these datasets")
    .option("--map <field=column...>", 'the file\'s column names: --map name="Full Name",birth_date=DOB')
    .option(
      "--resume",
      "resume from the checkpoint beside --out (the default when there is one); fail if none",
    )
    .option("--restart", "ignore a checkpoint beside --out and start over")
    .option("--batch <n>", "rows per message to a worker", String(BATCH_DEFAULTS.batch))
    .option(
      "--checkpoint-every <seconds>",
      "seconds between checkpoints",
      String(BATCH_DEFAULTS.checkpointEvery),
    )
    .addHelpText(
      "after",
      `
Output, in input order: JSON lines (one per subject)
  {"id": "c-1", "name": "…", "decision": "alert"|"clear", "matches": [{"entity_id", "referents", "caption", "schema", "score", "match", "datasets", "programs", "explanation"}]}
or CSV/XLSX, one row per result: id,name,decision,rank,entity_id,referents,caption,schema,score,match,datasets,programs[,explanation];
one result per person: entity_id is the canonical id where \`interdict resolve\` joined list
entries, referents every entry of the person.
Rows that cannot be read (no name, a date that is not one) are reported on stderr with their line
number — and with --out in BASE.errors.csv — and left out; the run goes on.

With --out, a run killed midway resumes where its last checkpoint (OUT.checkpoint.json) stood
when run again with the same arguments, and writes the same output as an uninterrupted run.
At the end: a summary on stderr, BASE.summary.json and BASE.report.html beside the output.

Examples:
  interdict screen customers.csv --out results.jsonl
  interdict screen customers.xlsx --map name="Full Name",birth_date=DOB --out results.csv
  interdict screen customers.csv --out results.jsonl --resume     after a crash or kill`,
    )
    .action(async (file: string, opts: ScreenOptions) => {
      const g = globals();
      if (opts.resume && opts.restart)
        throw new InterdictError("INTERDICT_E_USAGE", "--resume or --restart, not both");
      const match: MatchOptions = {
        algorithm: opts.algorithm,
        limit: count("--limit", opts.limit, 1) ?? 5,
        ...(opts.threshold ? { threshold: count("--threshold", opts.threshold, 0) as number } : {}),
      };
      const workers = count("--workers", opts.workers, 0) ?? BATCH_DEFAULTS.workers;
      if (!Number.isInteger(workers))
        throw new InterdictError("INTERDICT_E_USAGE", "--workers must be 0 or more");
      const progress = progressLine(g.quiet);
      const started = Date.now();
      let firstRows: number | undefined;
      const out = opts.out ? undefined : output();
      await withStore(g, async (store) => {
        progress.update("loading the lists…");
        const result = await runBatch(store, {
          input: file,
          ...(opts.out ? { out: opts.out } : {}),
          ...(opts.format ? { format: opts.format as "jsonl" } : {}),
          match,
          ...(opts.dataset ? { datasets: opts.dataset } : {}),
          ...(opts.map ? { map: parseColumnMap(opts.map) } : {}),
          workers,
          batch: count("--batch", opts.batch, 1) ?? BATCH_DEFAULTS.batch,
          checkpointEvery:
            count("--checkpoint-every", opts.checkpointEvery, 0) ?? BATCH_DEFAULTS.checkpointEvery,
          resume: opts.resume ? "require" : opts.restart ? "restart" : "auto",
          dbPath: absoluteLocation(storePath(g)),
          ...(out ? { write: out.write } : {}),
          // Bad rows are said even with --quiet: they are results, not progress.
          onError: (line, message) => process.stderr.write(`${file}:${line}: skipped: ${message}\n`),
          onProgress: (p) => {
            // A resumed run's rate counts only what this run screened.
            firstRows ??= p.rows;
            const secs = (Date.now() - started) / 1000;
            const rate = (p.rows - firstRows) / Math.max(secs, 0.001);
            const eta =
              p.total && rate > 0 ? Math.max(0, (p.total - p.resumedAt - p.rows) / rate) : undefined;
            progress.update(
              `${p.rows} screened${p.total ? ` of ~${p.total}` : ""}${p.resumedAt ? ` (resumed after line ${p.resumedAt})` : ""}, ${Math.round(rate)}/s${
                eta !== undefined ? `, ETA ${Math.round(eta)} s` : ""
              }`,
            );
          },
        });
        await out?.close();
        const secs = (Date.now() - started) / 1000;
        progress.done(
          `${result.resumedAt ? `resumed after line ${result.resumedAt}; ` : ""}done in ${secs.toFixed(1)} s`,
        );
        if (!g.quiet) {
          process.stderr.write(summaryText(result.summary));
          if (result.files.report) {
            process.stderr.write(`report: ${result.files.report}; errors: ${result.files.errors}\n`);
          }
        }
      });
    });
}
