// `interdict update`: download each dataset (officially, or from a mirror) and ingest what is
// new. A dataset that fails does not stop the others; the table says what happened to each.

import type { Command } from "commander";
import { InterdictError } from "../errors.js";
import { CATALOG, datasetInfo, officialFiles } from "../sources/catalog.js";
import { downloadDataset } from "../sources/download.js";
import type { Store } from "../store/store.js";
import {
  dataDir,
  describeBytes,
  type GlobalOptions,
  printJson,
  printTable,
  progressLine,
  withStore,
} from "./_common.js";
import { ingestWithProgress } from "./ingest.js";

export interface UpdateOptions extends GlobalOptions {
  mirror?: string;
  dataset?: string[];
  force?: boolean;
  json?: boolean;
}

export interface UpdateOutcome {
  dataset: string;
  result: "ingested" | "unchanged" | "not in mirror" | "failed" | "held";
  version?: string;
  source?: string;
  entities?: number;
  added?: number;
  removed?: number;
  changed?: number;
  error?: string;
  code?: string;
}

const sameFiles = (a: Record<string, string>, b: Record<string, string>): boolean => {
  const x = Object.values(a).sort();
  const y = Object.values(b).sort();
  return x.length > 0 && x.length === y.length && x.every((v, i) => v === y[i]);
};

/** The hosts a dataset's download talks to: the mirror's, or the official files'. */
function originsOf(dataset: string, mirror: string | undefined): string[] {
  try {
    if (mirror) return /^https?:\/\//i.test(mirror) ? [new URL(mirror).origin] : [];
    return [...new Set(officialFiles(datasetInfo(dataset)).map((f) => new URL(f.url).origin))];
  } catch {
    return [];
  }
}

/** Downloads and ingests; returns one outcome per dataset, never throws for one dataset's failure. */
export async function update(store: Store, opts: UpdateOptions): Promise<UpdateOutcome[]> {
  const mirror = opts.mirror ?? process.env.INTERDICT_MIRROR;
  // A retired list is still worth loading from a mirror that keeps its last version.
  const names = opts.dataset?.length
    ? opts.dataset
    : CATALOG.filter((d) => mirror || !d.retired).map((d) => d.name);
  const outcomes: UpdateOutcome[] = [];
  // A host that could not be reached for one dataset is not tried again for the next.
  const unreachable = new Map<string, InterdictError>();
  for (const dataset of names) {
    const progress = progressLine(opts.quiet);
    const origins = originsOf(dataset, mirror);
    const known =
      origins.length > 0 && origins.every((o) => unreachable.has(o))
        ? unreachable.get(origins[0] ?? "")
        : undefined;
    if (known) {
      outcomes.push({ dataset, result: "failed", error: known.message, code: known.code });
      continue;
    }
    try {
      const download = await downloadDataset(dataset, {
        dataDir: dataDir(opts),
        ...(opts.mirror ? { mirror: opts.mirror } : {}),
        onProgress: (p) =>
          progress.update(`${dataset}: downloading ${p.file} ${describeBytes(p.bytes, p.total ?? 0)}`),
      });
      progress.done();
      const current = await store.currentVersion(dataset);
      const currentSums = Object.fromEntries(
        ((current?.meta.files ?? []) as { path: string; sha256: string }[]).map((f) => [f.path, f.sha256]),
      );
      if (current && sameFiles(currentSums, download.checksums as Record<string, string>)) {
        outcomes.push({ dataset, result: "unchanged", version: current.version, source: download.source });
        continue;
      }
      const [r] = await ingestWithProgress(store, [...download.files], {
        ...opts,
        dataset,
        version: download.version,
        meta: { downloadedFrom: download.source },
      });
      if (r) {
        outcomes.push({
          dataset,
          result: "ingested",
          version: r.version.version,
          source: download.source,
          entities: r.version.entityCount,
          added: r.summary.added,
          removed: r.summary.removed,
          changed: r.summary.changed,
        });
      }
    } catch (e) {
      progress.done();
      if (!(e instanceof InterdictError)) throw e;
      if (e.code === "INTERDICT_E_DOWNLOAD" && /could not be reached/.test(e.message)) {
        for (const o of origins) unreachable.set(o, e);
      }
      if (e.code === "INTERDICT_E_NOT_FOUND" && mirror && !opts.dataset?.length) {
        outcomes.push({ dataset, result: "not in mirror", source: mirror });
        continue;
      }
      outcomes.push({
        dataset,
        result: e.code === "INTERDICT_E_SUSPECT_VERSION" ? "held" : "failed",
        error: e.message,
        code: e.code,
      });
    }
  }
  return outcomes;
}

export function printOutcomes(outcomes: UpdateOutcome[]): void {
  printTable(
    ["dataset", "result", "version", "entities", "added", "removed", "changed"],
    outcomes.map((o) => [
      o.dataset,
      o.result,
      o.version ?? "",
      o.entities ?? "",
      o.added ?? "",
      o.removed ?? "",
      o.changed ?? "",
    ]),
  );
  const failures = outcomes.filter((o) => o.error);
  // Every dataset failing the same way (no internet) is said once, not nine times.
  const unreachable = failures.filter((o) => o.code === "INTERDICT_E_DOWNLOAD");
  if (unreachable.length > 1 && unreachable.length === failures.length) {
    process.stderr.write(`\n${unreachable[0]?.error}\n`);
    return;
  }
  for (const o of failures) process.stderr.write(`\n${o.dataset}: ${o.error}\n`);
}

/** Exit code for a set of outcomes: 0 when nothing failed. */
export function exitCodeOf(outcomes: UpdateOutcome[]): number {
  if (outcomes.some((o) => o.result === "held")) return 4;
  if (outcomes.some((o) => o.result === "failed")) return 5;
  return 0;
}

export function register(program: Command, globals: () => GlobalOptions): void {
  program
    .command("update")
    .description("download the official lists (or a mirror's) and ingest what changed")
    .option(
      "--mirror <url|dir>",
      "a server or folder laid out as <dataset>/<YYYY-MM-DD>/<files>; also INTERDICT_MIRROR",
    )
    .option("-d, --dataset <name...>", "only these datasets (default: every dataset in the catalog)")
    .option("--force", "make a version current even if it removes many entities")
    .option("--json", "print the outcomes as JSON")
    .addHelpText(
      "after",
      `
Examples:
  interdict update                                      from the publishers' sites
  interdict update --mirror ../shared/data/lists        from a local folder of list versions
  interdict update --mirror http://mirror.local/lists/ --dataset us_ofac_sdn un_sc_sanctions`,
    )
    .action(async (opts: UpdateOptions) => {
      const o = { ...globals(), ...opts };
      const outcomes = await withStore(o, (store) => update(store, o));
      if (o.json) printJson(outcomes);
      else printOutcomes(outcomes);
      process.exitCode = exitCodeOf(outcomes);
    });
}
