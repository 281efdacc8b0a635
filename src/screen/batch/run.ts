// A batch screening run: subjects read from a file, screened on worker threads, written in input
// order as JSON lines, CSV or XLSX, with bad rows in an errors file (by line), a summary and an
// HTML report beside the output, and checkpoints so a killed run resumes where it stopped.
//
// Files beside OUT (for `customers.jsonl` → `customers.errors.csv` and so on):
//   OUT                         the results, one line (JSON) or rows (CSV) per subject, input order
//   BASE.errors.csv             line,problem for every row left out
//   BASE.summary.json           counts by decision, score histogram, top hits, matched entities
//   BASE.report.html            the same as a page, with the histogram as inline SVG
//   OUT.checkpoint.json         while the run is unfinished: where to resume
//   OUT.hits.jsonl, OUT.part.jsonl   while unfinished: the summary's spool; the XLSX's source

import { createReadStream, existsSync, statSync, writeFileSync } from "node:fs";
import { resolve } from "node:path";
import { createInterface } from "node:readline";
import ExcelJS from "exceljs";
import { csvLine } from "../../cli/_csv.js";
import { InterdictError } from "../../errors.js";
import { algorithmNamed, MATCH_DEFAULTS, Matcher, type MatchOptions } from "../../match/matcher.js";
import { loadResolution, type Resolution } from "../../resolve/canonical.js";
import type { Store } from "../../store/store.js";
import { type ColumnMap, type SubjectRow, subjectOf } from "../subject-row.js";
import {
  type Checkpoint,
  mismatch,
  readCheckpoint,
  removeFile,
  Sink,
  writeCheckpoint,
} from "./checkpoint.js";
import { POOL_DEFAULTS, type Pool, startPool } from "./pool.js";
import { formatOf, readRows } from "./read.js";
import { reportHtml } from "./report.js";
import { CSV_HEADER, type LineFormat, RESULT_COLUMNS, type RowHit, screenBatch } from "./rows.js";
import { type BatchPart, partOf, type Summary, SummaryBuilder } from "./summary.js";

export type OutputFormat = LineFormat | "xlsx";

export const BATCH_DEFAULTS = {
  workers: POOL_DEFAULTS.workers,
  /** Rows per message to a worker. */
  batch: POOL_DEFAULTS.batch,
  /** Seconds between checkpoints. */
  checkpointEvery: 2,
  /** `auto`: resume from a checkpoint beside the output if there is one; `require`: there must be one. */
  resume: "auto" as "auto" | "require" | "restart",
};

export interface BatchOptions {
  readonly input: string;
  /** The results file; without one, JSON lines go to `write` and nothing is checkpointed. */
  readonly out?: string;
  readonly format?: OutputFormat;
  readonly match?: MatchOptions;
  readonly datasets?: readonly string[];
  readonly map?: ColumnMap;
  readonly workers?: number;
  readonly batch?: number;
  readonly checkpointEvery?: number;
  readonly resume?: "auto" | "require" | "restart";
  /** Where the store is (SQLite path or postgres:// URL), for workers to open (each builds its own matcher). */
  readonly dbPath: string;
  /** Where results go when there is no `out` (stdout). */
  readonly write?: (text: string) => Promise<void>;
  readonly onError?: (line: number, message: string) => void;
  /** Called once the lists are loaded (every worker ready), before the first row is screened. */
  readonly onReady?: () => void;
  readonly onProgress?: (p: { rows: number; errors: number; total?: number; resumedAt: number }) => void;
}

export interface BatchResult {
  readonly summary: Summary;
  /** The input line a resumed run started after (0 for a fresh run). */
  readonly resumedAt: number;
  readonly files: Readonly<Record<string, string>>;
}

/** Paths of the files a run writes beside `out`. */
export function batchFiles(
  out: string,
): Record<"out" | "errors" | "summary" | "report" | "checkpoint" | "hits" | "part", string> {
  const base = out.replace(/\.(jsonl|ndjson|json|csv|xlsx)$/i, "");
  return {
    out,
    errors: `${base}.errors.csv`,
    summary: `${base}.summary.json`,
    report: `${base}.report.html`,
    checkpoint: `${out}.checkpoint.json`,
    hits: `${out}.hits.jsonl`,
    part: `${out}.part.jsonl`,
  };
}

export function outputFormatOf(out: string | undefined, format?: string): OutputFormat {
  const f = (format ?? (out ? formatOf(out) : "jsonl")).toLowerCase();
  if (f === "jsonl" || f === "csv" || f === "xlsx") return f;
  throw new InterdictError("INTERDICT_E_USAGE", `unknown --format "${format}"; known: jsonl, csv, xlsx`);
}

async function countLines(path: string): Promise<number | undefined> {
  if (formatOf(path) === "xlsx") return undefined;
  let n = 0;
  for await (const chunk of createReadStream(path)) {
    for (const b of chunk as Buffer) if (b === 10) n++;
  }
  return n;
}

/** Runs a batch. Throws for a missing input or an unusable checkpoint; bad rows never stop it. */
export async function runBatch(store: Store, opts: BatchOptions): Promise<BatchResult> {
  const input = resolve(opts.input);
  if (!existsSync(input))
    throw new InterdictError("INTERDICT_E_NOT_FOUND", "cannot read the file", { file: opts.input });
  const format = outputFormatOf(opts.out, opts.format);
  if (!opts.out && format !== "jsonl") {
    throw new InterdictError("INTERDICT_E_USAGE", `--format ${format} needs --out FILE`);
  }
  const algorithm = algorithmNamed(opts.match?.algorithm ?? MATCH_DEFAULTS.algorithm);
  const match: MatchOptions = { ...opts.match, algorithm: opts.match?.algorithm ?? MATCH_DEFAULTS.algorithm };
  const workers = opts.workers ?? BATCH_DEFAULTS.workers;
  const batchSize = Math.max(1, opts.batch ?? BATCH_DEFAULTS.batch);
  const lists = (await store.datasets())
    .filter((d) => d.current && (!opts.datasets || opts.datasets.includes(d.name)))
    .map((d) => ({ dataset: d.name, version: d.current?.version ?? "", id: d.current?.id ?? 0 }));
  const runInfo = {
    format,
    algorithm: match.algorithm,
    threshold: match.threshold ?? algorithm.threshold,
    limit: match.limit ?? MATCH_DEFAULTS.limit,
    map: opts.map ?? {},
    lists: lists.map((l) => `${l.dataset}:${l.id}`),
  };
  const stat = statSync(input);
  const inputId = { path: input, size: stat.size, mtimeMs: stat.mtimeMs };

  // Files and, when resuming, where each stood at the checkpoint.
  const files = opts.out ? batchFiles(resolve(opts.out)) : undefined;
  let cp: Checkpoint | undefined;
  if (files && opts.resume !== "restart") {
    cp = readCheckpoint(files.checkpoint);
    if (cp) {
      const why = mismatch(cp, inputId, runInfo);
      if (why) {
        throw new InterdictError(
          "INTERDICT_E_USAGE",
          `a checkpoint beside the output belongs to another run (${why}): --restart to start over`,
          { file: files.checkpoint },
        );
      }
    } else if (opts.resume === "require") {
      throw new InterdictError("INTERDICT_E_USAGE", "--resume: no checkpoint beside the output", {
        file: files.checkpoint,
      });
    }
  }
  const resumedAt = cp?.line ?? 0;
  const main = files ? new Sink(format === "xlsx" ? files.part : files.out, cp?.bytes.out) : undefined;
  const errors = files ? new Sink(files.errors, cp?.bytes.errors) : undefined;
  const hits = files ? new Sink(files.hits, cp?.bytes.hits) : undefined;
  if (!cp) {
    if (format === "csv") main?.write(CSV_HEADER);
    errors?.write(csvLine(["line", "problem"]));
  }
  let rows = cp?.rows ?? 0;
  let errorCount = cp?.errors ?? 0;
  const total = await countLines(input);

  let pool: Pool<object, { texts: string[]; hits: RowHit[] }> | undefined;
  let matcher: Matcher | undefined;
  let resolution: Resolution | undefined;
  if (workers > 0) {
    pool = await startPool(new URL("../../workers/screen-worker.ts", import.meta.url), workers, {
      db: opts.dbPath,
      options: match,
      ...(opts.datasets ? { datasets: [...opts.datasets] } : {}),
    });
  } else {
    matcher = await Matcher.fromStore(store, opts.datasets);
    resolution = await loadResolution(store);
  }
  opts.onReady?.();

  let lastCheckpoint = Date.now();
  const checkpoint = (line: number): void => {
    if (!files || !main || !errors || !hits) return;
    writeCheckpoint(files.checkpoint, {
      format: 1,
      input: inputId,
      run: runInfo,
      line,
      rows,
      errors: errorCount,
      bytes: { out: main.bytes, errors: errors.bytes, hits: hits.bytes },
    });
    lastCheckpoint = Date.now();
  };

  // Batches finish out of order; they are written in order. Each carries the errors of the
  // lines it accounts for, so the errors file is in line order and covered by the checkpoints.
  interface Done {
    texts: string[];
    hits: RowHit[];
    errors: { line: number; message: string }[];
    line: number;
  }
  const finished = new Map<number, Done>();
  let seq = 0;
  let nextToWrite = 0;
  const every = (opts.checkpointEvery ?? BATCH_DEFAULTS.checkpointEvery) * 1000;
  const flush = async (): Promise<void> => {
    for (let d = finished.get(nextToWrite); d; d = finished.get(nextToWrite)) {
      finished.delete(nextToWrite++);
      const text = d.texts.join("");
      if (main) main.write(text);
      else if (text) await opts.write?.(text);
      for (const e of d.errors) errors?.write(csvLine([e.line, e.message]));
      if (d.hits.length) hits?.write(`${JSON.stringify(partOf(d.hits))}\n`);
      rows += d.hits.length;
      errorCount += d.errors.length;
      if (Date.now() - lastCheckpoint >= every) checkpoint(d.line);
    }
    opts.onProgress?.({ rows, errors: errorCount, ...(total !== undefined ? { total } : {}), resumedAt });
  };
  const inFlight = new Set<Promise<void>>();
  const dispatch = async (batch: SubjectRow[], errs: Done["errors"], line: number): Promise<void> => {
    const id = seq++;
    const p = (async () => {
      const r =
        batch.length === 0
          ? { texts: [], hits: [] }
          : pool
            ? await pool.request({ kind: "batch", rows: batch, format: format === "csv" ? "csv" : "jsonl" })
            : screenBatch(
                matcher as Matcher,
                batch,
                match,
                format === "csv" ? "csv" : "jsonl",
                resolution as Resolution,
              );
      finished.set(id, { texts: r.texts, hits: r.hits, errors: errs, line });
    })();
    inFlight.add(p);
    p.finally(() => inFlight.delete(p)).catch(() => undefined);
    if (inFlight.size >= Math.max(2, workers * 2)) await Promise.race(inFlight);
    await flush();
  };

  try {
    // Errors wait until every line before them has been read, then go out in line order.
    let pendingErrors: Done["errors"] = [];
    let line = resumedAt;
    const report = (at: number, message: string): void => {
      if (at <= resumedAt) return;
      line = Math.max(line, at);
      pendingErrors.push({ line: at, message });
      opts.onError?.(at, message);
    };
    const takeErrors = (upTo: number): Done["errors"] => {
      const now = pendingErrors.filter((e) => e.line <= upTo).sort((a, b) => a.line - b.line);
      pendingErrors = pendingErrors.filter((e) => e.line > upTo);
      return now;
    };
    let batch: SubjectRow[] = [];
    for await (const r of readRows(input, report)) {
      if (r.line <= resumedAt) continue;
      // Every line before this one has been read: its errors are all known.
      const s = subjectOf(r.record, `line-${r.line}`, opts.map);
      if ("problem" in s) report(r.line, s.problem);
      else batch.push(s);
      if (batch.length >= batchSize) {
        await dispatch(batch, takeErrors(r.line), r.line);
        batch = [];
      }
      line = Math.max(line, r.line);
    }
    await dispatch(batch, takeErrors(Number.POSITIVE_INFINITY), line);
    await Promise.all(inFlight);
    await flush();
    checkpoint(line);
  } finally {
    await pool?.close();
  }

  const builder = new SummaryBuilder();
  if (files && hits) {
    hits.close();
    for await (const text of createInterface({ input: createReadStream(files.hits), crlfDelay: Infinity })) {
      if (text) builder.add(JSON.parse(text) as BatchPart);
    }
  }
  const summary = builder.build({
    input: opts.input,
    lists: lists.map(({ dataset, version }) => ({ dataset, version })),
    options: runInfo,
    skipped: errorCount,
  });
  if (files && main && errors) {
    main.sync();
    main.close();
    errors.close();
    if (format === "xlsx") await writeXlsx(files.part, files.out);
    writeFileSync(files.summary, `${JSON.stringify(summary, null, 2)}\n`);
    writeFileSync(files.report, reportHtml(summary));
    for (const f of [files.checkpoint, files.hits, ...(format === "xlsx" ? [files.part] : [])]) removeFile(f);
  }
  return {
    summary,
    resumedAt,
    files: files
      ? { out: files.out, errors: files.errors, summary: files.summary, report: files.report }
      : {},
  };
}

/** The XLSX output: the JSON lines of the run, one sheet row per result (as the CSV has them). */
async function writeXlsx(jsonl: string, out: string): Promise<void> {
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({
    filename: out,
    useStyles: false,
    useSharedStrings: false,
  });
  workbook.creator = "Interdict";
  const sheet = workbook.addWorksheet("results");
  // The CSV's columns, less the explanation (a spreadsheet cell is no place for it).
  sheet.addRow(RESULT_COLUMNS.filter((c) => c !== "explanation")).commit();
  for await (const text of createInterface({ input: createReadStream(jsonl), crlfDelay: Infinity })) {
    if (!text) continue;
    const r = JSON.parse(text) as {
      id: string;
      name?: string;
      decision: string;
      matches: {
        entity_id: string;
        referents?: string[];
        caption: string;
        schema: string;
        score: number;
        match: boolean;
        datasets: string[];
        programs: string[];
      }[];
    };
    if (r.matches.length === 0) sheet.addRow([r.id, r.name ?? "", r.decision]).commit();
    r.matches.forEach((m, i) => {
      sheet
        .addRow([
          r.id,
          r.name ?? "",
          r.decision,
          i + 1,
          m.entity_id,
          (m.referents ?? [m.entity_id]).join(";"),
          m.caption,
          m.schema,
          m.score,
          m.match,
          m.datasets.join(";"),
          m.programs.join(";"),
        ])
        .commit();
    });
  }
  sheet.commit();
  await workbook.commit();
}
