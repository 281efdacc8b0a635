// `interdict reports annual|canada|blocked|rejected|deadlines`: the legal reports from the
// registers, as CSV (or printable HTML from the console). Generating one is audited. Either
// store: the registers are the store's case book, the filed marks and audit on its engine.

import type { Command } from "commander";
import { filedReports, recordReport, registersOf } from "../reports/filed.js";
import { deadlines, type ReportKind, reportOf, toCsv } from "../reports/reports.js";
import { type GlobalOptions, output, printTable, withStore } from "./_common.js";

export function register(program: Command, globals: () => GlobalOptions): void {
  const reports = program
    .command("reports")
    .description("OFAC and Canadian reports from the blocked property and rejected transaction registers");
  const emit = (name: string, kind: ReportKind) =>
    reports
      .command(name)
      .option("--year <y>", "the year (annual: as of 30 June of it)")
      .option("--quarter <q>", "1-4 (canada)")
      .option("-o, --output <file>", "write the CSV here (default stdout)")
      .action(async (o: Record<string, string>) => {
        await withStore(globals(), async (store) => {
          const c = registersOf(store);
          const property = kind === "rejected_transaction" ? [] : await c.blockedProperty();
          const rejected = kind === "rejected_transaction" ? await c.rejectedTransactions() : [];
          const r = reportOf(kind, property, rejected, {
            year: Number(o.year) || new Date().getUTCFullYear(),
            quarter: Number(o.quarter) || 1,
          });
          const csv = await recordReport(store, r, "csv", toCsv(r), process.env.USER ?? "cli");
          const out = output(o.output);
          await out.write(csv);
          await out.close();
        });
      });
  emit("annual", "annual").description("Annual Report of Blocked Property (as of 30 June, due 30 September)");
  emit("canada", "canada_quarterly").description("Canadian quarterly disclosure");
  emit("blocked", "blocked_property").description("report of blocked property (every item)");
  emit("rejected", "rejected_transaction").description("report of rejected transactions (every item)");
  reports
    .command("deadlines")
    .description("what is due when")
    .action(async () => {
      await withStore(globals(), async (store) => {
        const c = registersOf(store);
        const filed = (await filedReports(store)).map((f) => ({
          kind: f.kind,
          items: f.items,
          period: f.period,
        }));
        const d = deadlines(
          await c.blockedProperty(),
          await c.rejectedTransactions(),
          filed,
          new Date().toISOString().slice(0, 10),
        );
        printTable(
          ["due", "what", "status"],
          d.map((x) => [x.due, x.what, x.filed ? "filed" : "due"]),
        );
      });
    });
}
