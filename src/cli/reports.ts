// `interdict reports annual|canada|blocked|rejected|deadlines`: the legal reports from the
// registers, as CSV (or printable HTML from the console). Generating one is audited.

import type { Command } from "commander";
import { casesOf } from "../cases/cases.js";
import { filedReports, recordReport } from "../reports/filed.js";
import {
  annualReport,
  blockedPropertyReport,
  canadaQuarterly,
  deadlines,
  type Report,
  rejectedTransactionReport,
  toCsv,
} from "../reports/reports.js";
import { type GlobalOptions, output, printTable, withStore } from "./_common.js";

export function register(program: Command, globals: () => GlobalOptions): void {
  const reports = program
    .command("reports")
    .description("OFAC and Canadian reports from the blocked property and rejected transaction registers");
  const emit = (name: string, build: (c: ReturnType<typeof casesOf>, o: Record<string, string>) => Report) =>
    reports
      .command(name)
      .option("--year <y>", "the year (annual: as of 30 June of it)")
      .option("--quarter <q>", "1-4 (canada)")
      .option("-o, --output <file>", "write the CSV here (default stdout)")
      .action(async (o: Record<string, string>) => {
        await withStore(globals(), async (store) => {
          const r = build(casesOf(store), o);
          const csv = await recordReport(store, r, "csv", toCsv(r), process.env.USER ?? "cli");
          const out = output(o.output);
          await out.write(csv);
          await out.close();
        });
      });
  const year = (o: Record<string, string>) => Number(o.year) || new Date().getUTCFullYear();
  emit("annual", (c, o) => annualReport(c.blockedProperty(), year(o))).description(
    "Annual Report of Blocked Property (as of 30 June, due 30 September)",
  );
  emit("canada", (c, o) =>
    canadaQuarterly(c.blockedProperty(), year(o), (Number(o.quarter) || 1) as 1 | 2 | 3 | 4),
  ).description("Canadian quarterly disclosure");
  emit("blocked", (c) => blockedPropertyReport(c.blockedProperty())).description(
    "report of blocked property (every item)",
  );
  emit("rejected", (c) => rejectedTransactionReport(c.rejectedTransactions())).description(
    "report of rejected transactions (every item)",
  );
  reports
    .command("deadlines")
    .description("what is due when")
    .action(async () => {
      await withStore(globals(), async (store) => {
        const c = casesOf(store);
        const filed = filedReports(store).map((f) => ({ kind: f.kind, items: f.items, period: f.period }));
        const d = deadlines(
          c.blockedProperty(),
          c.rejectedTransactions(),
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
