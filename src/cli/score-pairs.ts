// `interdict score-pairs FILE.csv`: score name pairs, for benchmarks. Rows keep every column
// and gain `score` and `match`.

import type { Command } from "commander";
import { InterdictError } from "../errors.js";
import { ALGORITHMS, algorithmNamed, scorePair } from "../match/matcher.js";
import { output, progressLine } from "./_common.js";
import { csvLine, csvRows } from "./_csv.js";

export function register(program: Command): void {
  program
    .command("score-pairs")
    .description(
      "score the name pairs of a CSV (columns name1, name2, optional schema); adds score and match",
    )
    .argument("<file>", "CSV with a header row")
    .option("--out <file>", "write here instead of stdout")
    .option("--algorithm <name>", `scoring algorithm: ${Object.keys(ALGORITHMS).join(", ")}`, "default")
    .action(async (file: string, opts: { out?: string; algorithm: string }) => {
      // Refused before the lists are loaded, with the known names.
      algorithmNamed(opts.algorithm);
      const out = output(opts.out);
      const write = out.write;
      const progress = progressLine();
      let errors = 0;
      let rows = 0;
      let columns: string[] | undefined;
      const rowsOf = csvRows(file, (line, message) => {
        errors++;
        process.stderr.write(`${file}:${line}: skipped: ${message}\n`);
      });
      for await (const { line, record } of rowsOf) {
        if (!columns) {
          columns = Object.keys(record);
          if (!columns.includes("name1") || !columns.includes("name2")) {
            throw new InterdictError(
              "INTERDICT_E_USAGE",
              `${file}: needs columns name1 and name2 (has ${columns.join(", ")})`,
            );
          }
          await write(csvLine([...columns, "score", "match"]));
        }
        const { name1 = "", name2 = "", schema } = record;
        if (!name1.trim() || !name2.trim()) {
          errors++;
          process.stderr.write(`${file}:${line}: skipped: name1 or name2 is empty\n`);
          continue;
        }
        const r = scorePair(name1, name2, { ...(schema ? { schema } : {}), algorithm: opts.algorithm });
        await write(csvLine([...columns.map((c) => record[c]), r.score.toFixed(4), r.match]));
        if (++rows % 1000 === 0) progress.update(`${rows} pairs scored`);
      }
      progress.done(`${rows} pairs scored${errors ? `, ${errors} rows skipped` : ""}`);
      await out.close();
    });
}
