// `interdict subjects`: the subject register — import a customer file (upsert by id), remove,
// list and show subjects with their history. Monitoring screens what is new or changed.

import type { Command } from "commander";
import { InterdictError } from "../errors.js";
import { alertsFor } from "../monitor/books.js";
import { parseColumnMap } from "../screen/subject-row.js";
import { importSubjects, subjectsOf } from "../subjects/index.js";
import { type GlobalOptions, printJson, printTable, progressLine, withStore } from "./_common.js";

const join = (xs: readonly string[] | undefined): string => (xs ?? []).join("; ");

export function register(program: Command, globals: () => GlobalOptions): void {
  const subjects = program
    .command("subjects")
    .description("the subject register: customers kept for monitoring (import, remove, list, show)");

  subjects
    .command("import")
    .description("add or update subjects from a file (CSV, JSON lines, XLSX), by subject id")
    .argument("<file>", "columns id, name; optional alias, schema, birth_date, country, identifier, gender")
    .option(
      "--map <field=column...>",
      'the file\'s column names: --map id=CustomerNo,name="Full Name",birth_date=DOB',
    )
    .option(
      "--remove-missing",
      "remove subjects the file does not hold (the file is the whole customer base)",
    )
    .option("--json", "print the result as JSON")
    .addHelpText(
      "after",
      `
A subject whose fields are unchanged is left as it is; a changed one is updated and the change
kept in its history (interdict subjects show ID). Rows that cannot be read are reported with
their line number and skipped. New and changed subjects are screened by interdict monitor.

Fields: id, name (required); alias (several separated by ;), schema (person, company,
organization, vessel, airplane), birth_date, country (name or ISO code), identifier (passport,
IMO, LEI…), gender.

Examples:
  interdict subjects import customers.csv
  interdict subjects import customers.xlsx --map id="Customer No",name="Full Name",birth_date=DOB,country=Nationality`,
    )
    .action(async (file: string, opts: { map?: string[]; removeMissing?: boolean; json?: boolean }) => {
      const g = globals();
      const progress = progressLine(g.quiet);
      await withStore(g, async (store) => {
        const result = await importSubjects(store, file, {
          ...(opts.map ? { map: parseColumnMap(opts.map) } : {}),
          ...(opts.removeMissing ? { removeMissing: true } : {}),
          onError: (line, message) => process.stderr.write(`${file}:${line}: skipped: ${message}\n`),
          onProgress: (rows) => progress.update(`${rows} rows read`),
        });
        progress.done();
        const counts = await subjectsOf(store).counts();
        if (opts.json) printJson({ ...result, register: counts });
        else {
          printTable(
            ["rows", "added", "changed", "unchanged", "removed", "skipped"],
            [
              [
                result.rows,
                result.added,
                result.changed,
                result.unchanged,
                result.removed,
                result.errors.length,
              ],
            ],
          );
          process.stdout.write(
            `${counts.subjects} subjects in the register; ${counts.pending} new or changed await screening (interdict monitor --once)\n`,
          );
        }
      });
    });

  subjects
    .command("remove")
    .description("remove subjects by id (their history and alerts are kept)")
    .argument("<ids...>")
    .action(async (ids: string[]) => {
      await withStore(globals(), async (store) => {
        const register = subjectsOf(store);
        const missing: string[] = [];
        for (const id of ids) if (!(await register.remove(id, "command line"))) missing.push(id);
        process.stdout.write(`${ids.length - missing.length} removed\n`);
        if (missing.length) {
          throw new InterdictError("INTERDICT_E_NOT_FOUND", `no subject ${missing.join(", ")}`);
        }
      });
    });

  subjects
    .command("list")
    .description("subjects in id order")
    .option("--limit <n>", "at most this many", "100")
    .option("--after <id>", "start after this id (the last of the previous page)")
    .option("--json", "JSON lines, one subject each")
    .action(async (opts: { limit: string; after?: string; json?: boolean }) => {
      await withStore(globals(), async (store) => {
        const list = await subjectsOf(store).list({
          limit: Number(opts.limit),
          ...(opts.after ? { after: opts.after } : {}),
        });
        if (opts.json) {
          for (const s of list) process.stdout.write(`${JSON.stringify(s)}\n`);
          return;
        }
        printTable(
          ["id", "schema", "name", "birth date", "country", "updated", "screened"],
          list.map((s) => [
            s.id,
            s.query.schema ?? "",
            join(s.query.names),
            join(s.query.birthDates),
            join(s.query.countries),
            s.updatedAt.slice(0, 19).replace("T", " "),
            s.screenedAt ? s.screenedAt.slice(0, 19).replace("T", " ") : "pending",
          ]),
        );
      });
    });

  subjects
    .command("show")
    .description("one subject: its fields, history of changes and alerts")
    .argument("<id>")
    .option("--json", "print as JSON")
    .action(async (id: string, opts: { json?: boolean }) => {
      await withStore(globals(), async (store) => {
        const register = subjectsOf(store);
        const s = await register.get(id);
        const history = await register.history(id);
        if (!s && history.length === 0) throw new InterdictError("INTERDICT_E_NOT_FOUND", `no subject ${id}`);
        const alerts = await alertsFor(store).forSubject(id);
        if (opts.json) {
          printJson({ subject: s ?? null, history, alerts });
          return;
        }
        if (s) {
          const q = s.query;
          process.stdout.write(
            `${s.id}  ${q.names[0]}${q.schema ? `  (${q.schema})` : ""}\n` +
              (q.names.length > 1 ? `  aliases: ${join(q.names.slice(1))}\n` : "") +
              (q.birthDates?.length ? `  born: ${join(q.birthDates)}\n` : "") +
              (q.countries?.length ? `  country: ${join(q.countries)}\n` : "") +
              (q.identifiers?.length ? `  identifiers: ${join(q.identifiers)}\n` : "") +
              (q.gender ? `  gender: ${q.gender}\n` : "") +
              `  screened: ${s.screenedAt ?? "not yet as it now is"}\n`,
          );
        } else process.stdout.write(`${id}  (removed)\n`);
        process.stdout.write("history:\n");
        for (const h of history) {
          process.stdout.write(
            `  ${h.at}  ${h.change}${h.query ? `  ${join(h.query.names)}` : ""}${h.source ? `  [${h.source}]` : ""}\n`,
          );
        }
        if (alerts.length) {
          process.stdout.write("alerts:\n");
          for (const a of alerts) {
            process.stdout.write(
              `  #${a.id} ${a.status}${a.decision ? ` (${a.decision})` : ""}  ${a.score.toFixed(3)}  ${a.caption} (${a.entityId})\n`,
            );
          }
        }
      });
    });
}
