// `interdict alerts`: the open alerts monitoring raised (potential matches awaiting review).
// Reviewing them is the case-management work's; it decides through decideAlert. An alert on a
// person listed more than once (resolution merged the entries) shows the canonical id as its
// entity and every list entry under "entries".

import type { Command } from "commander";
import { InterdictError } from "../errors.js";
import { alertsFor } from "../monitor/books.js";
import { type GlobalOptions, printTable, withStore } from "./_common.js";

export function register(program: Command, globals: () => GlobalOptions): void {
  program
    .command("alerts")
    .description("alerts awaiting review (monitoring, visa and payment screening), oldest first")
    .option("--status <status>", "open or decided", "open")
    .option("--limit <n>", "at most this many")
    .option("--after <id>", "start after this alert id")
    .option("--json", "JSON lines, one alert each (with its explanation)")
    .action(async (opts: { status: string; limit?: string; after?: string; json?: boolean }) => {
      await withStore(globals(), async (store) => {
        const status = opts.status;
        if (status !== "open" && status !== "decided")
          throw new InterdictError("INTERDICT_E_USAGE", `--status ${status}: open or decided`);
        const count = (flag: string, v: string | undefined) => {
          if (v === undefined) return {};
          if (!/^\d+$/.test(v))
            throw new InterdictError("INTERDICT_E_USAGE", `--${flag} ${v}: a whole number`);
          return { [flag]: Number(v) };
        };
        const query = { status, ...count("after", opts.after), ...count("limit", opts.limit) } as const;
        // On PostgreSQL, the book every replica and payment worker shares.
        const list = await alertsFor(store).list(query);
        if (opts.json) {
          for (const a of list) process.stdout.write(`${JSON.stringify(a)}\n`);
          return;
        }
        printTable(
          [
            "alert",
            "subject",
            "name",
            "score",
            "entity",
            "entries",
            "caption",
            "programmes",
            "raised",
            "why",
            ...(status === "decided" ? ["decision"] : []),
          ],
          list.map((a) => [
            a.id,
            a.subjectId,
            a.subjectName,
            a.score.toFixed(3),
            a.entityId,
            a.referents.length > 1 || a.referents[0] !== a.entityId ? a.referents.join(", ") : "",
            a.caption,
            a.programs.join("; "),
            a.createdAt.slice(0, 19).replace("T", " "),
            a.reason,
            ...(status === "decided" ? [`${a.decision} by ${a.analyst}`] : []),
          ]),
        );
      });
    });
}
