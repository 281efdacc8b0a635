// `interdict serve`, the main job. It makes sure the lists are loaded (an empty store is filled
// by `update` first) and reports what it holds. The HTTP service grows on top of this.

import type { Command } from "commander";
import type { Store } from "../store/store.js";
import { type GlobalOptions, printTable, withStore } from "./_common.js";
import { exitCodeOf, printOutcomes, type UpdateOptions, update } from "./update.js";

async function report(store: Store): Promise<void> {
  const all = (await store.datasets()).filter((d) => d.current);
  const total = all.reduce((n, d) => n + (d.current?.entityCount ?? 0), 0);
  process.stdout.write(`\nInterdict has ${total} entities from ${all.length} datasets loaded:\n\n`);
  printTable(
    ["dataset", "version", "entities", "persons", "organizations", "vessels", "aircraft"],
    all.map((d) => {
      const c = d.current?.counts ?? {};
      return [
        d.name,
        d.current?.version ?? "",
        d.current?.entityCount ?? 0,
        c.Person ?? 0,
        (c.Organization ?? 0) + (c.Company ?? 0) + (c.LegalEntity ?? 0),
        c.Vessel ?? 0,
        c.Airplane ?? 0,
      ];
    }),
  );
  process.stdout.write(
    "\nLook up an entity with `interdict entity ID`; see changes with `interdict diff DATASET`.\n",
  );
}

export function register(program: Command, globals: () => GlobalOptions): void {
  program
    .command("serve")
    .description("the main job: load the lists (running update first on an empty store) and report them")
    .option(
      "--mirror <url|dir>",
      "where update downloads from when the store is empty; also INTERDICT_MIRROR",
    )
    .action(async (opts: UpdateOptions) => {
      const o = { ...globals(), ...opts };
      await withStore(o, async (store) => {
        if ((await store.datasets()).some((d) => d.current)) return report(store);
        const from = o.mirror ?? process.env.INTERDICT_MIRROR;
        process.stderr.write(
          `The store is empty: loading the lists from ${from ?? "the publishers' official sites"}…\n`,
        );
        const outcomes = await update(store, o);
        printOutcomes(outcomes);
        if (outcomes.every((x) => x.result === "failed" || x.result === "held")) {
          process.stderr.write(
            "\nNothing could be loaded. Point Interdict at a copy of the lists:\n" +
              "  npm start -- --mirror ../shared/data/lists     (a folder or URL laid out <dataset>/<date>/<files>)\n" +
              "  npx interdict ingest FILE...                   (list files you have)\n",
          );
          process.exitCode = exitCodeOf(outcomes);
          return;
        }
        await report(store);
        process.exitCode = exitCodeOf(outcomes);
      });
    });
}
