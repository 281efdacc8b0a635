// `interdict entity ID`: one entity with its properties, lifetime and source record.

import type { Command } from "commander";
import { InterdictError } from "../errors.js";
import { captionOf } from "../model/entity.js";
import { toFtm } from "../model/ftm.js";
import { canonicalEntity } from "../resolve/index.js";
import { type GlobalOptions, printJson, withStore } from "./_common.js";

export function register(program: Command, globals: () => GlobalOptions): void {
  program
    .command("entity")
    .description("show one entity from the current lists")
    .argument("<id>", "entity id, e.g. us_ofac_sdn:15880")
    .option("--json", "print the FtM JSON (with the source record under `source`)")
    .action(async (id: string, opts: { json?: boolean }) => {
      await withStore(globals(), async (store) => {
        // A canonical id (ik-…) names a person resolved across lists: its merged view.
        if (id.startsWith("ik-")) return printJson(await canonicalEntity(store, id));
        const e = await store.getEntity(id);
        if (!e) throw new InterdictError("INTERDICT_E_NOT_FOUND", `no entity ${id} in the current lists`);
        const related = await store.referencing(id);
        if (opts.json) {
          const own = { ...toFtm(e), source: e.source, related: related.map(toFtm) };
          const c = await canonicalEntity(store, id);
          return printJson(
            c.referents.length > 1 ? { ...c, entity: own } : { ...own, referents: c.referents },
          );
        }
        const out: string[] = [`${captionOf(e)}  (${e.schema}, ${e.id})`];
        out.push(
          `  datasets: ${e.datasets.join(", ")}; first seen ${e.first_seen}, last changed ${e.last_change}`,
        );
        const width = Math.max(...Object.keys(e.properties).map((k) => k.length));
        for (const [prop, values] of Object.entries(e.properties)) {
          out.push(`  ${prop.padEnd(width)}  ${values.join(" | ")}`);
        }
        if (related.length) out.push("  referred to by:");
        for (const r of related) {
          // The property that points back here says nothing new; the rest describes the link.
          const facts = Object.entries(r.properties)
            .filter(([, values]) => !values.includes(id))
            .map(([prop, values]) => `${prop}: ${values.join(" | ")}`);
          out.push(`    ${r.schema} ${r.id}`, ...facts.map((f) => `      ${f}`));
        }
        if (e.source !== undefined) out.push("  source record:", `    ${JSON.stringify(e.source)}`);
        process.stdout.write(`${out.join("\n")}\n`);
      });
    });
}
