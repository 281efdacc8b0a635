// `interdict diff DATASET`: what changed between two list versions.

import type { Command } from "commander";
import { InterdictError } from "../errors.js";
import { captionOf } from "../model/entity.js";
import type { Change, ListVersion, Store } from "../store/store.js";
import { type GlobalOptions, printJsonLine, printTable, withStore } from "./_common.js";

async function pick(
  store: Store,
  dataset: string,
  ref: string | undefined,
  what: string,
): Promise<ListVersion> {
  const v = ref ? await store.findVersion(dataset, ref) : undefined;
  if (ref && !v)
    throw new InterdictError("INTERDICT_E_NOT_FOUND", `no version ${ref} of ${dataset} (${what})`);
  if (v) return v;
  const current = await store.currentVersion(dataset);
  if (!current) throw new InterdictError("INTERDICT_E_NOT_FOUND", `${dataset} has no current version`);
  return current;
}

export function register(program: Command, globals: () => GlobalOptions): void {
  program
    .command("diff")
    .description("entities added, removed and changed between two versions of a dataset")
    .argument("<dataset>")
    .option("--from <ref>", "older version label or id (default: the one before --to)")
    .option("--to <ref>", "newer version label or id (default: current)")
    .option("--schema <name...>", "only these schemata (e.g. Person Organization)")
    .option("--json", "print JSON lines: {id, schema, change, caption}")
    .action(
      async (dataset: string, opts: { from?: string; to?: string; schema?: string[]; json?: boolean }) => {
        await withStore(globals(), async (store) => {
          const to = await pick(store, dataset, opts.to, "--to");
          let from: ListVersion | undefined;
          if (opts.from) from = await pick(store, dataset, opts.from, "--from");
          else if (to.parentId !== undefined) from = await store.findVersion(dataset, to.parentId);
          if (!from) {
            throw new InterdictError(
              "INTERDICT_E_NOT_FOUND",
              `${dataset} version ${to.version} has no earlier version to compare with`,
            );
          }
          const rows: (Change & { caption: string })[] = [];
          for await (const c of store.diff(from.id, to.id)) {
            if (opts.schema && !opts.schema.includes(c.schema)) continue;
            const e = await store.getEntity(c.id, { versionId: c.change === "removed" ? from.id : to.id });
            const row = { ...c, caption: e ? captionOf(e) : c.id };
            if (opts.json) printJsonLine(row);
            else rows.push(row);
          }
          if (opts.json) return;
          printTable(
            ["change", "id", "schema", "name"],
            rows.map((r) => [r.change, r.id, r.schema, r.caption]),
          );
          const count = (k: string): number => rows.filter((r) => r.change === k).length;
          process.stdout.write(
            `\n${dataset} ${from.version} → ${to.version}: ${count("added")} added, ${count("removed")} removed, ${count("changed")} changed\n`,
          );
        });
      },
    );
}
