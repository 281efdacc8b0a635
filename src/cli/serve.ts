// `interdict serve`, the main job: makes sure the lists are loaded (an empty store is filled by
// `update` first), reports what it holds, then runs the screening service (src/service) until
// SIGTERM or SIGINT, when it stops accepting, lets in-flight requests finish and closes the store.

import type { Command } from "commander";
import { loadConfig, SETTINGS, type ServiceConfig } from "../service/config.js";
import { startService } from "../service/server.js";
import type { Store } from "../store/store.js";
import { type GlobalOptions, openStore, printTable, withStore } from "./_common.js";
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

/** Commander's option name for a flag: --body-limit → bodyLimit. */
const optionName = (flag: string): string =>
  flag.replace(/^--/, "").replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());

type ServeOptions = UpdateOptions & { check?: boolean } & Record<string, unknown>;

/** Runs the service until a signal asks it to stop. */
async function serveUntilSignalled(
  store: Store,
  config: ServiceConfig,
  globals: GlobalOptions,
): Promise<void> {
  // Worker threads are fed from a second connection, so the main one stays free to write records.
  const feed = config.workers > 0 ? openStore(globals) : undefined;
  try {
    const svc = await startService({ store, ...(feed ? { feed } : {}), config });
    if (!globals.quiet) {
      process.stderr.write(
        `\nScreening service on ${svc.url} (API docs ${svc.url}/docs); /readyz answers 200 once the index is loaded.\n` +
          "Create a key with `interdict keys create --role screen`. Stop with Ctrl-C or SIGTERM.\n",
      );
    }
    await new Promise<void>((resolve) => {
      const stop = (signal: string): void => {
        svc.app.log.info({ signal }, "shutting down: finishing in-flight requests");
        void svc.close().then(resolve, resolve);
      };
      process.once("SIGTERM", () => stop("SIGTERM"));
      process.once("SIGINT", () => stop("SIGINT"));
    });
  } finally {
    await feed?.close();
  }
}

export function register(program: Command, globals: () => GlobalOptions): void {
  const cmd = program
    .command("serve")
    .description(
      "the main job: load the lists (running update first on an empty store), report them, and run the screening API",
    )
    .option(
      "--mirror <url|dir>",
      "where update downloads from when the store is empty; also INTERDICT_MIRROR",
    )
    .option("--check", "load and report the lists, then exit without serving");
  for (const s of SETTINGS) {
    const arg = s.key === "corsOrigins" ? "<origin...>" : "<value>";
    cmd.option(`${s.flag} ${arg}`, `${s.description}; also ${s.env}`);
  }
  cmd
    .addHelpText(
      "after",
      `
Examples:
  interdict serve --mirror ../shared/data/lists            # load the lists if the store is empty, then serve
  interdict serve --port 8080 --host 0.0.0.0 --workers 2
  INTERDICT_RATE_LIMIT=200 interdict serve
  curl -H "Authorization: Bearer $KEY" -X POST localhost:8000/match/default \\
    -d '{"queries": {"q1": {"schema": "Person", "properties": {"name": ["Pavel Karpov"]}}}}'`,
    )
    .action(async (opts: ServeOptions) => {
      const o = { ...globals(), ...opts };
      const flags = Object.fromEntries(
        SETTINGS.flatMap((s) => {
          const v = opts[optionName(s.flag)];
          return v === undefined ? [] : [[s.key, v as string | string[]]];
        }),
      );
      // Refused before anything is loaded.
      const config = loadConfig(flags);
      await withStore(o, async (store) => {
        if (!(await store.datasets()).some((d) => d.current)) {
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
          process.exitCode = exitCodeOf(outcomes);
        }
        await report(store);
        if (opts.check) return;
        await serveUntilSignalled(store, config, o);
      });
    });
}
