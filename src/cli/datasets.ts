// `interdict datasets`, `interdict versions` and `interdict issues`: what the store holds.

import type { Command } from "commander";
import { InterdictError } from "../errors.js";
import type { ListVersion } from "../store/store.js";
import { type GlobalOptions, printJson, printJsonLine, printTable, withStore } from "./_common.js";

const schemaCounts = (v: ListVersion | undefined): string =>
  v
    ? Object.entries(v.counts)
        .sort((a, b) => b[1] - a[1])
        .map(([s, n]) => `${s} ${n}`)
        .join(", ")
    : "";

export function register(program: Command, globals: () => GlobalOptions): void {
  program
    .command("datasets")
    .description("each dataset with its current version, date and counts by schema")
    .option("--json", "print JSON")
    .action(async (opts: { json?: boolean }) => {
      await withStore(globals(), async (store) => {
        const all = await store.datasets();
        if (opts.json) return printJson(all);
        if (all.length === 0) {
          process.stdout.write(
            "The store is empty: run `interdict update --mirror DIR|URL` or `interdict ingest FILE`.\n",
          );
          return;
        }
        printTable(
          ["dataset", "version", "ingested", "entities", "by schema"],
          all.map((d) => [
            d.name,
            d.current?.version ?? "(none current)",
            d.current?.createdAt.slice(0, 19).replace("T", " ") ?? "",
            d.current?.entityCount ?? 0,
            schemaCounts(d.current),
          ]),
        );
      });
    });

  program
    .command("versions")
    .description("every list version of a dataset, including held and failed ones")
    .argument("<dataset>")
    .option("--json", "print JSON")
    .action(async (dataset: string, opts: { json?: boolean }) => {
      await withStore(globals(), async (store) => {
        const versions = await store.versions(dataset);
        if (versions.length === 0) {
          throw new InterdictError("INTERDICT_E_NOT_FOUND", `no versions of ${dataset} in the store`);
        }
        if (opts.json) return printJson(versions);
        printTable(
          ["id", "version", "status", "ingested", "entities", "issues", "note"],
          versions.map((v) => [
            v.id,
            v.version,
            v.status,
            v.createdAt.slice(0, 19).replace("T", " "),
            v.entityCount,
            v.issueCount,
            String(v.meta.held ?? v.meta.error ?? "").slice(0, 100),
          ]),
        );
      });
    });

  program
    .command("issues")
    .description(
      "what a list version said that could not be used as a clean value (kept in the source record)",
    )
    .argument("<dataset>")
    .option("--version <ref>", "version label or id (default: current)")
    .option("--limit <n>", "at most this many", "100")
    .option("--json", "print JSON lines")
    .action(async (dataset: string, opts: { version?: string; limit: string; json?: boolean }) => {
      await withStore(globals(), async (store) => {
        const v = opts.version
          ? await store.findVersion(dataset, opts.version)
          : await store.currentVersion(dataset);
        if (!v) throw new InterdictError("INTERDICT_E_NOT_FOUND", `no such version of ${dataset}`);
        const issues = await store.issues(v.id, { limit: Number(opts.limit) });
        if (opts.json) return issues.forEach(printJsonLine);
        printTable(
          ["code", "where", "message"],
          issues.map((i) => [
            i.code,
            [i.file && i.line ? `${i.file.split("/").pop()}:${i.line}` : "", i.record ?? "", i.field ?? ""]
              .filter(Boolean)
              .join(" "),
            i.message,
          ]),
        );
      });
    });
}
