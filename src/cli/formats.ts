// `interdict formats`: which list formats are read, and for which datasets.

import type { Command } from "commander";
import { READERS } from "../sources/index.js";
import { printJson, printTable } from "./_common.js";

export function register(program: Command): void {
  program
    .command("formats")
    .description("the list formats Interdict reads (detected from file content)")
    .option("--json", "print JSON")
    .action((opts: { json?: boolean }) => {
      const rows = READERS.map((r) => ({
        format: r.format,
        kind: r.kind,
        datasets: r.datasets?.join(", ") ?? "any",
        description: r.description,
      }));
      if (opts.json) return printJson(rows);
      printTable(
        ["format", "kind", "datasets", "description"],
        rows.map((r) => [r.format, r.kind, r.datasets, r.description]),
      );
    });
}
