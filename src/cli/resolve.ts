// `interdict resolve`: one person across every list. Finds candidate pairs, merges the sure ones,
// queues the band below for review, and prints what it did; `--undo ID` splits a merge. Either
// store: on PostgreSQL two runs at once on one schema take turns (the resolution lock).

import type { Command } from "commander";
import { RESOLVE_DEFAULTS, runResolution, THEMES, undoMerge } from "../resolve/index.js";
import { type GlobalOptions, printJson, printTable, progressLine, withStore } from "./_common.js";

export function register(program: Command, globals: () => GlobalOptions): void {
  program
    .command("resolve")
    .description("resolve the same person or organisation across the current lists into canonical entities")
    .option(
      "--theme <theme>",
      `only designees under this theme and those they match (faster): ${Object.keys(THEMES).join(", ")}`,
    )
    .option(
      "--auto <score>",
      "names alone at or above this merge (when unambiguous)",
      String(RESOLVE_DEFAULTS.autoName),
    )
    .option(
      "--review <score>",
      "pairs from this score up to an automatic merge go to review",
      String(RESOLVE_DEFAULTS.review),
    )
    .option("--undo <id>", "split a merged entity (its pairs are judged different)")
    .option("--json", "print JSON")
    .addHelpText(
      "after",
      `
Examples:
  interdict resolve                       # every designee of every list (a few minutes)
  interdict resolve --theme human-rights  # Magnitsky-type designees and their matches
  interdict resolve --undo ik-559d667865c7f0e2`,
    )
    .action(async (opts: { theme?: string; auto: string; review: string; undo?: string; json?: boolean }) => {
      const g = globals();
      await withStore(g, async (store) => {
        if (opts.undo) {
          const n = await undoMerge(store, opts.undo);
          if (opts.json) return printJson({ undone: opts.undo, pairs: n });
          process.stdout.write(`Split ${opts.undo}: ${n} pair(s) judged different.\n`);
          return;
        }
        const progress = progressLine(g.quiet);
        progress.update("resolving…");
        const started = Date.now();
        const { run } = await runResolution(store, {
          ...(opts.theme ? { scope: opts.theme } : {}),
          autoName: Number(opts.auto),
          review: Number(opts.review),
        });
        progress.done(`resolved in ${((Date.now() - started) / 1000).toFixed(1)} s`);
        if (opts.json) return printJson(run);
        printTable(
          ["figure", "count"],
          Object.entries(run.counts).map(([k, v]) => [k.replace(/_/g, " "), v]),
        );
        process.stdout.write(
          `\nFrom ${run.versions.map((v) => `${v.dataset} ${v.version}`).join(", ")} (scope: ${run.scope}).\n` +
            "Pairs to review: interdict review. A merged entity: interdict entity ID.\n",
        );
      });
    });
}
