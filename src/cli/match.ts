// `interdict match NAME`: one screening against the current lists, with explanations.

import type { Command } from "commander";
import { InterdictError } from "../errors.js";
import { ALGORITHMS, algorithmNamed, Matcher } from "../match/matcher.js";
import type { Query } from "../match/subject.js";
import { groupByCanonical, loadResolution } from "../resolve/canonical.js";
import { resultJson } from "../screen/batch/rows.js";
import { type GlobalOptions, printJson, withStore } from "./_common.js";

interface MatchCliOptions {
  schema?: string;
  birthDate?: string[];
  country?: string[];
  identifier?: string[];
  gender?: string;
  algorithm: string;
  threshold?: string;
  limit: string;
  dataset?: string[];
  json?: boolean;
}

export function register(program: Command, globals: () => GlobalOptions): void {
  program
    .command("match")
    .description("screen one name (and what else is known) against the current lists")
    .argument(
      "<name...>",
      "the name; several words are one name, use quotes for several names: match 'A B' 'C D'",
    )
    .option("--schema <schema>", "Person, Organization, Company, LegalEntity, Vessel or Airplane")
    .option("--birth-date <date...>", "birth date(s): 1977-08-27, 1977, 27 Aug 1977")
    .option("--country <country...>", "nationality or country: ISO code or name")
    .option("--identifier <id...>", "passport, national id, IMO, registration number…")
    .option("--gender <gender>", "male or female")
    .option("--algorithm <name>", `scoring algorithm: ${Object.keys(ALGORITHMS).join(", ")}`, "default")
    .option("--threshold <score>", "match at or above this score (default: the algorithm's)")
    .option("--limit <n>", "results to show", "5")
    .option("-d, --dataset <name...>", "only these datasets")
    .option("--json", "print JSON")
    .addHelpText(
      "after",
      `
Examples:
  interdict match Pavel Karpov
  interdict match "Владимир Путин" --schema Person --birth-date 1952-10-07
  interdict match "Rosneft" --schema Company --algorithm ofac`,
    )
    .action(async (words: string[], opts: MatchCliOptions) => {
      // Refused before the lists are loaded, with the known names.
      algorithmNamed(opts.algorithm);
      const names = words.some((w) => /\s/.test(w)) ? words : [words.join(" ")];
      const query: Query = {
        names,
        ...(opts.schema ? { schema: opts.schema } : {}),
        ...(opts.birthDate ? { birthDates: opts.birthDate } : {}),
        ...(opts.country ? { countries: opts.country } : {}),
        ...(opts.identifier ? { identifiers: opts.identifier } : {}),
        ...(opts.gender ? { gender: opts.gender } : {}),
      };
      await withStore(globals(), async (store) => {
        const matcher = await Matcher.fromStore(store, opts.dataset);
        if (matcher.index.size === 0) {
          throw new InterdictError(
            "INTERDICT_E_NOT_FOUND",
            "no lists loaded: run `interdict update` or `interdict ingest` first",
          );
        }
        const limit = Number(opts.limit);
        // One result per person: list entries that resolution (`interdict resolve`) found to be
        // the same person are one result, with every designation. More are asked for, so that
        // grouping still leaves `limit` persons.
        const groups = groupByCanonical(
          matcher.match(query, {
            algorithm: opts.algorithm,
            limit: limit * 4,
            ...(opts.threshold ? { threshold: Number(opts.threshold) } : {}),
          }),
          await loadResolution(store),
          (r) => r.entity.id,
        ).slice(0, limit);
        if (opts.json) {
          return printJson({
            query,
            results: groups.map((g) => ({
              ...resultJson(g.best),
              entity_id: g.canonical,
              referents: g.referents,
              hits: g.hits.map(resultJson),
            })),
          });
        }
        if (groups.length === 0) {
          process.stdout.write("No candidates.\n");
          return;
        }
        const out: string[] = [];
        for (const { best: r, canonical, hits } of groups) {
          out.push(
            `${r.match ? "MATCH" : "     "} ${r.score.toFixed(3)}  ${r.entity.caption}  (${r.entity.schema}, ${canonical}${
              r.entity.programs.length ? `; ${r.entity.programs.join(", ")}` : ""
            })`,
          );
          for (const h of hits.slice(1)) {
            out.push(
              `         also listed: ${h.entity.id}${h.entity.programs.length ? ` (${h.entity.programs.join(", ")})` : ""}, ${h.score.toFixed(3)}`,
            );
          }
          for (const x of r.explanation) {
            out.push(
              `         ${x.weight >= 0 ? "+" : "−"} ${x.feature} ${x.value.toFixed(2)} × ${Math.abs(x.weight)}: ${x.detail}`,
            );
          }
        }
        process.stdout.write(`${out.join("\n")}\n`);
      });
    });
}
