// `interdict review`: the pairs in the review band, and judgements on them (same, different,
// unsure), which are kept and reused on every later run and list version.

import type { Command } from "commander";
import { InterdictError } from "../errors.js";
import { captionOf } from "../model/entity.js";
import { cluster, JUDGEMENTS, recluster, resolutionOf } from "../resolve/index.js";
import { type GlobalOptions, printJsonLine, withStore } from "./_common.js";

export function register(program: Command, globals: () => GlobalOptions): void {
  program
    .command("review")
    .description("list the pairs awaiting review, or judge one: review A B same|different|unsure")
    .argument("[a]", "first entity id")
    .argument("[b]", "second entity id")
    .argument("[judgement]", JUDGEMENTS.join(", "))
    .option("--by <name>", "who judges", process.env.USER ?? "analyst")
    .option("--note <text>", "why")
    .option("--limit <n>", "pairs to list", "50")
    .option("--judged", "list the judgements on file instead")
    .option("--json", "print JSON lines")
    .addHelpText(
      "after",
      `
Examples:
  interdict review
  interdict review au_dfat_sanctions:6837 gb_fcdo_sanctions:GHR0024 same --note "same DOB in the UK notice"`,
    )
    .action(
      async (
        a: string | undefined,
        b: string | undefined,
        judgement: string | undefined,
        opts: { by: string; note?: string; limit: string; judged?: boolean; json?: boolean },
      ) => {
        await withStore(globals(), async (store) => {
          const rs = resolutionOf(store);
          if (a || b || judgement) {
            if (!a || !b || !judgement) {
              throw new InterdictError(
                "INTERDICT_E_USAGE",
                "give two entity ids and a judgement (same, different, unsure)",
              );
            }
            for (const id of [a, b]) {
              if (!(await store.getEntity(id))) {
                throw new InterdictError("INTERDICT_E_NOT_FOUND", `no entity ${id} in the current lists`);
              }
            }
            await rs.judge(a, b, judgement, opts.by, opts.note);
            const c = await recluster(store);
            const ca = c.canonical.get(a) ?? a;
            const cb = c.canonical.get(b) ?? b;
            const line = { a, b, judgement, canonical: [ca, cb] };
            if (opts.json) return printJsonLine(line);
            process.stdout.write(
              `${a} / ${b}: ${judgement}. ${ca === cb ? `Now one entity, ${ca}.` : `Apart: ${ca} and ${cb}.`}\n`,
            );
            return;
          }
          if (opts.judged) {
            for (const j of await rs.judgementRows()) {
              if (opts.json) printJsonLine(j);
              else
                process.stdout.write(
                  `${j.judgement.padEnd(9)} ${j.a}  ${j.b}  (${j.author}, ${j.createdAt}${j.note ? `: ${j.note}` : ""})\n`,
                );
            }
            return;
          }
          if (!(await rs.lastRun())) {
            throw new InterdictError(
              "INTERDICT_E_NOT_FOUND",
              "no resolution yet: run `interdict resolve` first",
            );
          }
          const pending = cluster([], await rs.edges(), await rs.judgements()).pending;
          const shown = pending.slice(0, Number(opts.limit));
          for (const e of shown) {
            const x = await store.getEntity(e.a);
            const y = await store.getEntity(e.b);
            if (opts.json) {
              printJsonLine({ ...e, captions: [x ? captionOf(x) : null, y ? captionOf(y) : null] });
              continue;
            }
            process.stdout.write(
              `${e.score.toFixed(2)}  ${x ? captionOf(x) : "?"} (${e.a})\n      ${y ? captionOf(y) : "?"} (${e.b})\n      ${e.reason}\n`,
            );
          }
          if (!opts.json) {
            process.stdout.write(
              `${pending.length} pair(s) to review${shown.length < pending.length ? `, ${shown.length} shown` : ""}. Judge one: interdict review A B same|different|unsure\n`,
            );
          }
        });
      },
    );
}
