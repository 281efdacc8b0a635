// `interdict lookback --since DATE`: the service's recorded screenings against today's lists —
// "would you have caught it?". Each new match says whether the entity was already in the store
// when the screening ran (a miss) or came later.

import type { Command } from "commander";
import { isoTime, lookback } from "../monitor/lookback.js";
import { type GlobalOptions, printJson, printTable, progressLine, withStore } from "./_common.js";

export function register(program: Command, globals: () => GlobalOptions): void {
  program
    .command("lookback")
    .description("re-screen the screenings recorded since a date against today's lists")
    .requiredOption("--since <date>", "screenings made at or after this date (YYYY-MM-DD or ISO 8601)")
    .option("--until <date>", "and before this date (default: now)")
    .option("--json", "print the result as JSON")
    .addHelpText(
      "after",
      `
Reads the screening records of the service (interdict serve: /match, /reconcile, /screen/visa),
rebuilds each query and screens it against the current lists. A match that the screening did
not have is listed with its verdict: "missed" (the entity was in the store then) or "listed
since". Payment screenings keep only their hits, not the parties: they are counted, not re-screened.

Example:
  interdict lookback --since 2026-01-01`,
    )
    .action(async (opts: { since: string; until?: string; json?: boolean }) => {
      const g = globals();
      const progress = progressLine(g.quiet);
      await withStore(g, async (store) => {
        progress.update("loading the lists…");
        const r = await lookback(store, {
          since: isoTime(opts.since, "--since"),
          ...(opts.until ? { until: isoTime(opts.until, "--until") } : {}),
          onProgress: (n) => progress.update(`${n} screenings re-screened`),
        });
        progress.done();
        if (opts.json) {
          printJson(r);
          return;
        }
        const missed = r.findings.filter((f) => f.verdict === "missed").length;
        process.stdout.write(
          `${r.screenings} screenings (${r.queries} queries) against today's lists; ${r.notRescreenable} not re-screenable (payments)\n` +
            `${r.findings.length} new matches: ${missed} missed then, ${r.findings.length - missed} listed since\n`,
        );
        if (r.findings.length) {
          printTable(
            [
              "screened at",
              "screening",
              "kind",
              "name",
              "score",
              "then",
              "entity",
              "caption",
              "first seen",
              "verdict",
            ],
            r.findings.map((f) => [
              f.screenedAt.slice(0, 19).replace("T", " "),
              f.screeningId,
              f.kind,
              f.name,
              f.score.toFixed(3),
              f.scoreThen !== undefined ? f.scoreThen.toFixed(3) : "-",
              f.entityId,
              f.caption,
              f.firstSeen?.slice(0, 10) ?? "",
              f.verdict,
            ]),
          );
        }
      });
    });
}
