// `interdict audit verify`: walks the hash chain; exit 0 when intact, 7 naming the first bad
// entry when one was edited or removed. `interdict audit list` prints the newest entries. Both
// read the log of whichever store `--db` names, SQLite or PostgreSQL.

import type { Command } from "commander";
import { auditTrailOf } from "../audit/log-pg.js";
import { type GlobalOptions, printTable, withStore } from "./_common.js";

export function register(program: Command, globals: () => GlobalOptions): void {
  const audit = program.command("audit").description("the append-only, hash-chained audit log");
  audit
    .command("verify")
    .description("check every entry's hash and the chain; exit 0 intact, 7 with the first bad entry")
    .action(async () => {
      await withStore(globals(), async (store) => {
        const v = await auditTrailOf(store).verify();
        if (v.ok) {
          process.stdout.write(`audit log intact: ${v.entries} entries\n`);
          return;
        }
        process.stderr.write(`interdict: audit log broken at entry ${v.seq}: ${v.reason}\n`);
        process.exitCode = 7;
      });
    });
  audit
    .command("list")
    .description("the newest entries")
    .option("--limit <n>", "how many", "50")
    .option("--action <action>", "only this action")
    .action(async (opts: { limit: string; action?: string }) => {
      await withStore(globals(), async (store) => {
        const list = await auditTrailOf(store).list({
          limit: Number(opts.limit),
          ...(opts.action ? { action: opts.action } : {}),
        });
        printTable(
          ["seq", "at", "user", "action", "detail"],
          list.map((e) => [
            e.seq,
            e.at.slice(0, 19),
            e.actor,
            e.action,
            JSON.stringify(e.detail).slice(0, 100),
          ]),
        );
      });
    });
}
