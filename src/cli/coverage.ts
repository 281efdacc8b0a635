// `interdict coverage`: the accountability map — every designee (under a theme) against the
// jurisdictions that designated them, with gaps and overlaps; JSON lines, CSV or an HTML page.

import { writeFileSync } from "node:fs";
import type { Command } from "commander";
import { InterdictError } from "../errors.js";
import {
  checkTheme,
  coverageRows,
  currentVersions,
  ensureResolution,
  JURISDICTIONS,
  loadDesignees,
  loadResolution,
  rowJson,
  summarise,
  THEMES,
  toCsv,
  toHtml,
} from "../resolve/index.js";
import { type GlobalOptions, output, printTable, progressLine, withStore } from "./_common.js";

interface CoverageOptions {
  theme?: string;
  json?: boolean;
  csv?: boolean;
  html?: string;
  out?: string;
  gaps?: boolean;
}

export function register(program: Command, globals: () => GlobalOptions): void {
  program
    .command("coverage")
    .description("who is sanctioned where: each designee against the jurisdictions (US, EU, UK, CA, AU, UN)")
    .option("--theme <theme>", `only designees under this theme: ${Object.keys(THEMES).join(", ")}`)
    .option("--json", "JSON lines, one per canonical designee")
    .option("--csv", "CSV, one row per canonical designee")
    .option("--html <file>", "write a self-contained HTML page with the matrix and charts")
    .option("--out <file>", "write JSON lines or CSV to a file instead of stdout")
    .option("--gaps", "list every gap (designated by one jurisdiction, not by another)")
    .addHelpText(
      "after",
      `
Resolution runs first when the lists changed since the last one (interdict resolve).

Examples:
  interdict coverage --theme human-rights
  interdict coverage --theme corruption --json > corruption.jsonl
  interdict coverage --theme human-rights --html map.html`,
    )
    .action(async (opts: CoverageOptions) => {
      // Refused before anything is read.
      const theme = opts.theme ? checkTheme(opts.theme) : undefined;
      const g = globals();
      await withStore(g, async (store) => {
        const progress = progressLine(g.quiet);
        progress.update("resolving…");
        const versions = await currentVersions(store);
        if (versions.length === 0) {
          throw new InterdictError(
            "INTERDICT_E_NOT_FOUND",
            "no lists loaded: run `interdict update` or `interdict ingest` first",
          );
        }
        await ensureResolution(store, theme ?? "all");
        const designees = await loadDesignees(store, versions);
        const resolution = await loadResolution(store);
        const rows = coverageRows(designees, resolution.canonicalOf, theme);
        const summary = summarise(rows, versions, theme);
        progress.done();
        const made = `made from ${versions.map((v) => `${v.dataset} ${v.version}`).join(", ")}`;
        if (opts.html) {
          writeFileSync(opts.html, toHtml(rows, summary));
          if (!g.quiet) process.stderr.write(`wrote ${opts.html}: ${rows.length} designees, ${made}\n`);
          if (!opts.json && !opts.csv) return;
        }
        if (opts.json || opts.csv) {
          const out = output(opts.out);
          if (opts.csv) await out.write(toCsv(rows));
          else for (const r of rows) await out.write(`${JSON.stringify(rowJson(r))}\n`);
          await out.close();
          if (!g.quiet) process.stderr.write(`${rows.length} designees, ${made}\n`);
          return;
        }
        process.stdout.write(`${rows.length} designees${theme ? ` under ${theme}` : ""}, ${made}.\n\n`);
        printTable(
          ["", ...JURISDICTIONS],
          JURISDICTIONS.map((x) => [x, ...JURISDICTIONS.map((y) => summary.pairs[x][y])]),
        );
        process.stdout.write(
          `\nDesignated${theme ? ` under ${theme}` : ""}: ${JURISDICTIONS.map((j) => `${j} ${summary.byJurisdiction[j]}`).join(", ")}.\n`,
        );
        process.stdout.write(
          `By how many jurisdictions: ${summary.overlap.map((n, i) => `${i + 1}: ${n}`).join(", ")}.\n\nGaps (designated by the first${theme ? ` under ${theme}` : ""}, not at all by the second):\n`,
        );
        const byId = new Map(rows.map((r) => [r.id, r]));
        for (const gap of [...summary.gaps].sort((a, b) => b.ids.length - a.ids.length)) {
          const names = gap.ids.map((id) => byId.get(id)?.caption ?? id);
          const shown = opts.gaps ? names : names.slice(0, 5);
          process.stdout.write(
            `  ${gap.by} not ${gap.notBy}: ${gap.ids.length}  ${shown.join("; ")}${shown.length < names.length ? "; …" : ""}\n`,
          );
        }
      });
    });
}
