// `interdict monitor`: update the lists, then re-screen only what changed — new and changed
// entities against the subject register, new and changed subjects against the lists — once or
// on a schedule, logging what it did. `rescreenAfterIngest` is the hook `ingest` and `update`
// call, so a version ingested by hand is re-screened the same way.

import type { Command } from "commander";
import { InterdictError } from "../errors.js";
import type { MatchOptions } from "../match/matcher.js";
import { alertsFor, monitorRecordOf } from "../monitor/books.js";
import type { LogEntry } from "../monitor/log.js";
import { afterIngest, type DeltaReport, type MonitorOptions, screenPending } from "../monitor/monitor.js";
import { absoluteLocation } from "../store/open.js";
import type { Store } from "../store/store.js";
import { type GlobalOptions, printJson, progressLine, storePath, withStore } from "./_common.js";
import { exitCodeOf, printOutcomes, type UpdateOutcome, update } from "./update.js";

/** What the ingest hook uses: monitor sets its own options while it runs an update. */
let hookOptions: MonitorOptions = {};

/**
 * After `ingest` or `update` made versions current: the delta re-screen of the subject
 * register. It never fails the ingest: the version is in; the next monitor run catches up.
 */
export async function rescreenAfterIngest(
  store: Store,
  results: readonly { dataset: string }[],
  opts: { quiet?: boolean } = {},
): Promise<void> {
  const progress = progressLine(opts.quiet);
  try {
    const reports = await afterIngest(store, results, {
      ...hookOptions,
      onProgress: (t) => progress.update(t),
    });
    progress.done();
    for (const r of reports) {
      if (r.subjects === 0) continue;
      process.stderr.write(
        `monitoring: ${r.dataset} ${r.fromVersion ?? "(none)"} → ${r.toVersion}: ${r.entities.rescreened} changed entities against ${r.subjects} subjects, ${r.alerts.raised} new alerts (${r.seconds.toFixed(1)} s)\n`,
      );
    }
  } catch (e) {
    progress.done();
    process.stderr.write(
      `monitoring: the re-screen after ingest failed (${(e as Error).message}); the version is ingested — interdict monitor --once catches up\n`,
    );
  }
}

/** `30s`, `15m`, `1h`, `1d` → milliseconds. */
export function parseEvery(text: string): number {
  const m = /^(\d+(?:\.\d+)?)\s*(s|m|h|d)$/i.exec(text.trim());
  if (!m)
    throw new InterdictError("INTERDICT_E_USAGE", `--every "${text}": a number and s, m, h or d (30m, 1h)`);
  const unit = { s: 1e3, m: 60e3, h: 3600e3, d: 86400e3 }[(m[2] as string).toLowerCase() as "s"];
  return Number(m[1]) * unit;
}

interface MonitorCliOptions {
  once?: boolean;
  every?: string;
  mirror?: string;
  dataset?: string[];
  update: boolean;
  workers?: string;
  algorithm?: string;
  threshold?: string;
  json?: boolean;
}

function describe(e: LogEntry): string[] {
  const d = e.detail as unknown as Omit<DeltaReport, "dataset" | "toVersion"> & { findings: number };
  const a = d.alerts;
  const alerts = `${a.raised} new alerts, ${a.updated} updated, ${a.open} already open, ${a.decided} decided before`;
  if (e.kind === "delta") {
    return [
      `${e.dataset} ${e.fromVersion ?? "(none)"} → ${e.toVersion}: ${d.entities.added} added, ${d.entities.changed} changed, ${d.entities.removed} removed; ${d.entities.rescreened} entities against ${d.subjects} subjects`,
      `  pairs scored: ${d.pairs.reversePairs} by the reverse index, ${d.pairs.forwardPairs} forward for ${d.pairs.candidates} subjects; ${d.findings} matches: ${alerts} (${Number(d.seconds).toFixed(1)} s)`,
    ];
  }
  const which = e.detail.resolution
    ? `resolution changed who is one person: ${d.subjects} subjects alerted on them re-screened`
    : `${d.subjects} new or changed subjects against the lists`;
  return [`${which}: ${d.findings} matches: ${alerts} (${Number(d.seconds).toFixed(1)} s)`];
}

async function round(store: Store, o: GlobalOptions & MonitorCliOptions, options: MonitorOptions) {
  const log = monitorRecordOf(store);
  const since = await log.lastId();
  let outcomes: UpdateOutcome[] = [];
  if (o.update) {
    hookOptions = options;
    try {
      outcomes = await update(store, {
        ...o,
        ...(o.mirror ? { mirror: o.mirror } : {}),
        ...(o.dataset ? { dataset: o.dataset } : {}),
      });
    } finally {
      hookOptions = {};
    }
  }
  await screenPending(store, options);
  return {
    at: new Date().toISOString(),
    outcomes,
    // This round's entries only: another process's round may have written some meanwhile.
    log: await log.added(since),
    open: (await alertsFor(store).counts()).open,
  };
}

export function register(program: Command, globals: () => GlobalOptions): void {
  program
    .command("monitor")
    .description(
      "update the lists and re-screen only what changed against the subject register (once or on a schedule)",
    )
    .option("--once", "one round, then exit (the default)")
    .option("--every <interval>", "a round every interval (30m, 1h, 1d) until stopped")
    .option("--mirror <url|dir>", "where update downloads from (as for interdict update)")
    .option("-d, --dataset <name...>", "only update these datasets")
    .option(
      "--no-update",
      "re-screen only: list versions ingested since the last round, new or changed subjects",
    )
    .option("--workers <n>", "worker threads (default: one per core)")
    .option("--algorithm <name>", "scoring algorithm", "default")
    .option("--threshold <score>", "alert at or above this score (default: the algorithm's)")
    .option("--json", "print each round as JSON")
    .addHelpText(
      "after",
      `
Each round: interdict update (each new version re-screens its new and changed entities against
every screened subject, through a reverse index of the subjects), then subjects imported or
changed since the last round against all the lists. Alerts are raised for new potential
matches only; a pair already decided is not raised again unless the subject or the entity
changed. An alert is on a person: list entries resolution (interdict resolve) found to be one
person are one alert, and after resolution changes, the subjects alerted on the persons it
merged or split are screened again. interdict alerts lists the open ones. Every round is
logged in the store.

Examples:
  interdict monitor --once --mirror ../shared/data/lists
  interdict monitor --every 1h
  interdict monitor --once --no-update          after interdict ingest / subjects import`,
    )
    .action(async (opts: MonitorCliOptions) => {
      const o = { ...globals(), ...opts };
      if (o.once && o.every) throw new InterdictError("INTERDICT_E_USAGE", "--once or --every, not both");
      const every = o.every ? parseEvery(o.every) : undefined;
      const workers = o.workers !== undefined ? Number(o.workers) : undefined;
      if (workers !== undefined && !(Number.isInteger(workers) && workers >= 0)) {
        throw new InterdictError("INTERDICT_E_USAGE", "--workers must be 0 or more");
      }
      const match: MatchOptions = {
        ...(o.algorithm ? { algorithm: o.algorithm } : {}),
        ...(o.threshold ? { threshold: Number(o.threshold) } : {}),
      };
      const progress = progressLine(o.quiet);
      const options: MonitorOptions = {
        match,
        ...(workers !== undefined ? { workers } : {}),
        // Worker threads open the store from here (a PostgreSQL store has no file to name).
        location: absoluteLocation(storePath(o)),
        onProgress: (t) => progress.update(t),
      };
      for (;;) {
        const r = await withStore(o, (store) => round(store, o, options));
        progress.done();
        if (o.json) printJson(r);
        else {
          process.stdout.write(`monitor round at ${r.at}\n`);
          if (r.outcomes.length) printOutcomes(r.outcomes);
          for (const e of r.log) for (const line of describe(e)) process.stdout.write(`${line}\n`);
          if (r.log.length === 0) process.stdout.write("nothing changed since the last round\n");
          process.stdout.write(`${r.open} open alerts (interdict alerts)\n`);
        }
        if (every === undefined) {
          process.exitCode = exitCodeOf(r.outcomes);
          return;
        }
        await new Promise((res) => setTimeout(res, every));
      }
    });
}
