// `interdict ingest`: one list version from local files.

import type { Command } from "commander";
import { type IngestResult, ingest } from "../ingest/ingest.js";
import type { Store } from "../store/store.js";
import {
  describeBytes,
  type GlobalOptions,
  printJson,
  printTable,
  progressLine,
  withStore,
} from "./_common.js";
import { rescreenAfterIngest } from "./monitor.js";

export interface IngestCliOptions extends GlobalOptions {
  dataset?: string;
  version?: string;
  force?: boolean;
  maxRemoved?: string;
  json?: boolean;
}

/** Ingests with a progress line; shared with `update` and `serve`. */
export async function ingestWithProgress(
  store: Store,
  paths: string[],
  opts: IngestCliOptions & { meta?: Record<string, unknown> },
): Promise<IngestResult[]> {
  const progress = progressLine(opts.quiet);
  const share = opts.maxRemoved !== undefined ? Number(opts.maxRemoved) / 100 : undefined;
  const results = await ingest(store, paths, {
    ...(opts.dataset ? { dataset: opts.dataset } : {}),
    ...(opts.version ? { version: opts.version } : {}),
    ...(opts.force ? { force: true } : {}),
    ...(share !== undefined && Number.isFinite(share) ? { maxRemovedShare: share } : {}),
    ...(opts.meta ? { meta: opts.meta } : {}),
    onProgress: (p) =>
      progress.update(`${p.dataset}: read ${describeBytes(p.bytes, p.totalBytes)}, ${p.entities} entities`),
  });
  progress.done();
  await rescreenAfterIngest(store, results, opts);
  return results;
}

export function printIngestResults(results: IngestResult[]): void {
  printTable(
    ["dataset", "version", "format", "entities", "added", "removed", "changed", "issues"],
    results.map((r) => [
      r.dataset,
      r.version.version,
      r.format,
      r.version.entityCount,
      r.summary.added,
      r.summary.removed,
      r.summary.changed,
      r.issues,
    ]),
  );
  for (const r of results) {
    const top = Object.entries(r.issueCodes)
      .sort((a, b) => b[1] - a[1])
      .slice(0, 5);
    if (top.length) {
      process.stderr.write(
        `${r.dataset}: issues kept with the version (interdict issues ${r.dataset}): ${top
          .map(([c, n]) => `${c} ${n}`)
          .join(", ")}\n`,
      );
    }
  }
}

export function register(program: Command, globals: () => GlobalOptions): void {
  program
    .command("ingest")
    .description("read list files into a new version of a dataset (format detected from content)")
    .argument("<files...>", "list files, folders of them, or zip archives")
    .option(
      "-d, --dataset <name>",
      "the dataset these files are a version of (default: inferred from content)",
    )
    .option(
      "--version <label>",
      "label for the new version (default: a YYYY-MM-DD folder in the path, else now)",
    )
    .option("--force", "make the version current even if it removes many entities")
    .option("--max-removed <percent>", "hold back a version that removes more than this share", "20")
    .option("--json", "print the result as JSON")
    .addHelpText(
      "after",
      `
Examples:
  interdict ingest ../shared/data/lists/us_ofac_sdn/2024-05-03
  interdict ingest --dataset eu_fsf entities.ftm.json
  interdict ingest --force SDN.CSV          accept a version that removes over 20 % of entities`,
    )
    .action(async (files: string[], opts: IngestCliOptions) => {
      const o = { ...globals(), ...opts };
      await withStore(o, async (store) => {
        const results = await ingestWithProgress(store, files, o);
        if (o.json) printJson(results);
        else printIngestResults(results);
      });
    });
}
