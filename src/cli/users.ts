// `interdict users create NAME --role R` (password from --password-file or standard input) and
// `interdict users list`: the console's local accounts, in the store named by --db (a SQLite file
// or a postgres:// URL, where every replica's console finds them). Creation is written to the
// audit log.

import { readFileSync } from "node:fs";
import type { Command } from "commander";
import { currentVersions } from "../audit/log.js";
import { auditTrailOf } from "../audit/log-pg.js";
import { InterdictError } from "../errors.js";
import { USER_ROLES } from "../users/users.js";
import { usersOf } from "../users/users-pg.js";
import { type GlobalOptions, printTable, withStore } from "./_common.js";

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of process.stdin) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}

export function register(program: Command, globals: () => GlobalOptions): void {
  const users = program.command("users").description("console users (analyst, supervisor, admin, auditor)");
  users
    .command("create <name>")
    .description("create a user; the password is read from --password-file or standard input (first line)")
    .requiredOption("--role <role>", USER_ROLES.join("|"))
    .option("--password-file <path>", "a file whose first line is the password")
    .action(async (name: string, opts: { role: string; passwordFile?: string }) => {
      const text = opts.passwordFile ? readFileSync(opts.passwordFile, "utf8") : await readStdin();
      const password = text.split(/\r?\n/)[0] ?? "";
      if (!password)
        throw new InterdictError("INTERDICT_E_USAGE", "no password given (--password-file or stdin)");
      await withStore(globals(), async (store) => {
        const u = await usersOf(store).create(name, opts.role, password);
        await auditTrailOf(store).append(
          process.env.USER ?? "cli",
          "user_created",
          { user: u.name, new_role: u.role, via: "cli" },
          await currentVersions(store),
        );
        process.stdout.write(`created ${u.name} (${u.role})\n`);
      });
    });
  users
    .command("list")
    .description("users and their roles")
    .action(async () => {
      await withStore(globals(), async (store) => {
        const list = await usersOf(store).list();
        printTable(
          ["name", "role", "created", "locked until"],
          list.map((u) => [u.name, u.role, u.createdAt.slice(0, 19), u.lockedUntil ?? ""]),
        );
      });
    });
}
