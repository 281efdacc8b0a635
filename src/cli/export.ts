// `interdict export`: the current entities as FtM JSON lines or CSV, streamed to stdout.

import type { Command } from "commander";
import { InterdictError } from "../errors.js";
import { captionOf } from "../model/entity.js";
import { toFtmLine } from "../model/ftm.js";
import { isClassified } from "../registry/publish.js";
import { type GlobalOptions, output, withStore } from "./_common.js";
import { csvLine } from "./_csv.js";

const CSV_COLUMNS = ["id", "schema", "name", "aliases", "birth_date", "countries", "identifiers", "datasets"];

export function register(program: Command, globals: () => GlobalOptions): void {
  program
    .command("export")
    .description("write the current entities as FtM JSON lines (default) or CSV to stdout")
    .option("-d, --dataset <name...>", "only these datasets (default: all)")
    .option("--format <format>", "ftm or csv", "ftm")
    .option("--version <ref>", "a version label or id instead of the current one (with one --dataset)")
    .action(async (opts: { dataset?: string[]; format: string; version?: string }) => {
      if (!["ftm", "csv"].includes(opts.format)) {
        throw new InterdictError("INTERDICT_E_USAGE", `--format must be ftm or csv, not ${opts.format}`);
      }
      const { write } = output();
      await withStore(globals(), async (store) => {
        const names = opts.dataset ?? (await store.datasets()).map((d) => d.name);
        if (opts.version && names.length !== 1) {
          throw new InterdictError("INTERDICT_E_USAGE", "--version needs exactly one --dataset");
        }
        if (opts.format === "csv") await write(csvLine(CSV_COLUMNS));
        for (const name of names) {
          const v = opts.version
            ? await store.findVersion(name, opts.version)
            : await store.currentVersion(name);
          if (!v)
            throw new InterdictError(
              "INTERDICT_E_NOT_FOUND",
              `no ${opts.version ? "such" : "current"} version of ${name}`,
            );
          for await (const e of store.entities(name, { versionId: v.id })) {
            // The registry's classified annex is enforced in screening but never exported.
            if (isClassified(e)) continue;
            if (opts.format === "ftm") {
              await write(`${toFtmLine(e)}\n`);
              continue;
            }
            const p = e.properties;
            const row = [
              e.id,
              e.schema,
              captionOf(e),
              [...(p.alias ?? []), ...(p.weakAlias ?? []), ...(p.previousName ?? [])].join(";"),
              (p.birthDate ?? []).join(";"),
              [...(p.country ?? []), ...(p.nationality ?? []), ...(p.citizenship ?? [])].join(";"),
              [
                ...(p.passportNumber ?? []),
                ...(p.idNumber ?? []),
                ...(p.registrationNumber ?? []),
                ...(p.imoNumber ?? []),
              ].join(";"),
              e.datasets.join(";"),
            ];
            await write(csvLine(row));
          }
        }
      });
    });
}
