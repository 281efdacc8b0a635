// The `interdict` command line: one file per command; this file wires them together and turns
// errors into a message and an exit code.

import { Command } from "commander";
import { type GlobalOptions, reportError } from "./_common.js";
import { register as alerts } from "./alerts.js";
import { register as audit } from "./audit.js";
import { register as coverage } from "./coverage.js";
import { register as datasets } from "./datasets.js";
import { register as diff } from "./diff.js";
import { register as entity } from "./entity.js";
import { register as exportCmd } from "./export.js";
import { register as formats } from "./formats.js";
import { register as ingest } from "./ingest.js";
import { register as keys } from "./keys.js";
import { register as lookback } from "./lookback.js";
import { register as match } from "./match.js";
import { register as monitor } from "./monitor.js";
import { register as registry } from "./registry.js";
import { register as reports } from "./reports.js";
import { register as resolveCmd } from "./resolve.js";
import { register as review } from "./review.js";
import { register as scorePairs } from "./score-pairs.js";
import { register as screen } from "./screen.js";
import { register as serve } from "./serve.js";
import { register as subjects } from "./subjects.js";
import { register as update } from "./update.js";
import { register as users } from "./users.js";
import { register as worker } from "./worker.js";

const program = new Command("interdict")
  .description("Human-rights (Magnitsky) sanctions: official lists in, screening, review and reporting")
  .option("--db <path>", "the store (SQLite file); also INTERDICT_DB", undefined)
  .option("-q, --quiet", "no progress on stderr")
  .showHelpAfterError()
  .configureHelp({ sortSubcommands: false });

const globals = (): GlobalOptions => program.opts<GlobalOptions>();

serve(program, globals);
keys(program, globals);
ingest(program, globals);
update(program, globals);
datasets(program, globals);
entity(program, globals);
exportCmd(program, globals);
diff(program, globals);
formats(program);
match(program, globals);
scorePairs(program);
screen(program, globals);
subjects(program, globals);
monitor(program, globals);
alerts(program, globals);
lookback(program, globals);
resolveCmd(program, globals);
review(program, globals);
coverage(program, globals);
worker(program, globals);
users(program, globals);
audit(program, globals);
reports(program, globals);
registry(program, globals);

program.addHelpText(
  "after",
  `
Environment: INTERDICT_DB (the store), INTERDICT_MIRROR (where update downloads from).
Exit codes: 0 ok, 2 usage, 3 bad input (file or message), 4 suspect version held back, 5 download failed,
6 not found, 7 audit chain broken, 8 refused by a rule (four-eyes).`,
);

// `interdict export | head` closes the pipe early: that is the reader's choice, not an error.
process.stdout.on("error", (e: NodeJS.ErrnoException) => {
  if (e.code === "EPIPE") process.exit(0);
  throw e;
});

try {
  await program.parseAsync(process.argv);
} catch (e) {
  process.exitCode = reportError(e);
}
