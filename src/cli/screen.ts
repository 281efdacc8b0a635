// `interdict screen FILE`: a batch of subjects (CSV or JSON lines) against the current lists,
// one JSON line out per row, in input order, on worker threads. A bad row is reported with its
// line number and the run goes on.

import { createReadStream } from "node:fs";
import { resolve } from "node:path";
import { createInterface } from "node:readline";
import type { Command } from "commander";
import { InterdictError } from "../errors.js";
import { Matcher, type MatchOptions } from "../match/matcher.js";
import { type SubjectRow, subjectOf } from "../screen/subject-row.js";
import { POOL_DEFAULTS, type Pool, screenRows, startPool } from "../workers/screen.js";
import { type GlobalOptions, output, progressLine, storePath, withStore } from "./_common.js";
import { csvRows } from "./_csv.js";

interface ScreenOptions {
  out?: string;
  threshold?: string;
  limit: string;
  workers?: string;
  algorithm: string;
  dataset?: string[];
}

async function countLines(path: string): Promise<number> {
  let n = 0;
  for await (const chunk of createReadStream(path)) {
    for (const b of chunk as Buffer) if (b === 10) n++;
  }
  return n;
}

/** Rows of a CSV or JSON-lines file, with line numbers; unreadable rows go to `onError`. */
async function* records(
  path: string,
  onError: (line: number, message: string) => void,
): AsyncGenerator<{ line: number; record: Record<string, unknown> }> {
  if (/\.(jsonl|ndjson|json)$/i.test(path)) {
    let line = 0;
    for await (const text of createInterface({
      input: createReadStream(path),
      crlfDelay: Number.POSITIVE_INFINITY,
    })) {
      line++;
      if (!text.trim()) continue;
      try {
        const value = JSON.parse(text) as unknown;
        if (typeof value !== "object" || value === null || Array.isArray(value))
          throw new Error("not a JSON object");
        yield { line, record: value as Record<string, unknown> };
      } catch (e) {
        onError(line, (e as Error).message);
      }
    }
    return;
  }
  yield* csvRows(path, onError);
}

export function register(program: Command, globals: () => GlobalOptions): void {
  program
    .command("screen")
    .description("screen a file of subjects (CSV or JSON lines) against the current lists; JSON lines out")
    .argument(
      "<file>",
      "columns id, name (or full_name); optional schema, birth_date, country, identifier, gender",
    )
    .option("--out <file>", "write here instead of stdout")
    .option("--threshold <score>", "match at or above this score (default: the algorithm's)")
    .option("--limit <n>", "results per subject, best first, matches or not", "5")
    .option("--workers <n>", "worker threads (default: one per core; 0 screens in this thread)")
    .option("--algorithm <name>", "scoring algorithm", "default")
    .option("-d, --dataset <name...>", "only these datasets")
    .addHelpText(
      "after",
      `
Output, one line per input row, in input order:
  {"id": "c-1", "matches": [{"entity_id", "caption", "schema", "score", "match", "datasets", "programs", "explanation"}]}
Rows that cannot be read (no name, a date that is not one) are reported on stderr with their line
number and left out; the run goes on.`,
    )
    .action(async (file: string, opts: ScreenOptions) => {
      const g = globals();
      const options: MatchOptions = {
        algorithm: opts.algorithm,
        limit: Number(opts.limit),
        ...(opts.threshold ? { threshold: Number(opts.threshold) } : {}),
      };
      const workers = opts.workers !== undefined ? Number(opts.workers) : POOL_DEFAULTS.workers;
      if (!Number.isInteger(workers) || workers < 0)
        throw new InterdictError("INTERDICT_E_USAGE", "--workers must be 0 or more");
      const total = await countLines(file).catch(() => {
        throw new InterdictError("INTERDICT_E_NOT_FOUND", "cannot read the file", { file });
      });
      const out = output(opts.out);
      const write = out.write;
      const progress = progressLine(g.quiet);
      const started = Date.now();

      await withStore(g, async (store) => {
        let pool: Pool | undefined;
        let matcher: Matcher | undefined;
        progress.update("loading the lists…");
        if (workers > 0) pool = await startPool(workers, resolve(storePath(g)), options, opts.dataset);
        else matcher = await Matcher.fromStore(store, opts.dataset);
        try {
          let done = 0;
          let errors = 0;
          let seq = 0;
          let nextToWrite = 0;
          const finished = new Map<number, string[]>();
          const inFlight = new Set<Promise<void>>();
          const flush = async (): Promise<void> => {
            for (let lines = finished.get(nextToWrite); lines; lines = finished.get(nextToWrite)) {
              finished.delete(nextToWrite++);
              if (lines.length) await write(`${lines.join("\n")}\n`);
              done += lines.length;
            }
            const secs = (Date.now() - started) / 1000;
            const rate = done / Math.max(secs, 0.001);
            const eta = rate > 0 ? Math.max(0, (total - done - errors) / rate) : 0;
            progress.update(`${done} of ~${total} screened, ${Math.round(rate)}/s, ETA ${Math.round(eta)} s`);
          };
          const dispatch = async (rows: SubjectRow[]): Promise<void> => {
            const id = seq++;
            const p = (async () => {
              finished.set(
                id,
                pool ? await pool.screen(rows) : screenRows(matcher as Matcher, rows, options),
              );
            })();
            inFlight.add(p);
            p.finally(() => inFlight.delete(p));
            if (inFlight.size >= Math.max(2, workers * 2)) await Promise.race(inFlight);
            await flush();
          };
          let batch: SubjectRow[] = [];
          for await (const { line, record } of records(file, (line, message) => {
            errors++;
            process.stderr.write(`${file}:${line}: skipped: ${message}\n`);
          })) {
            const s = subjectOf(record, `line-${line}`);
            if ("problem" in s) {
              errors++;
              process.stderr.write(`${file}:${line}: skipped: ${s.problem}\n`);
              continue;
            }
            batch.push(s);
            if (batch.length >= POOL_DEFAULTS.batch) {
              await dispatch(batch);
              batch = [];
            }
          }
          if (batch.length) await dispatch(batch);
          await Promise.all(inFlight);
          await flush();
          const secs = (Date.now() - started) / 1000;
          progress.done(
            `${done} subjects screened in ${secs.toFixed(1)} s (${Math.round(done / Math.max(secs, 0.001))}/s)${
              errors ? `; ${errors} rows skipped` : ""
            }`,
          );
        } finally {
          await pool?.close();
          await out.close();
        }
      });
    });
}
