// `interdict keys create|list|revoke`: the service's API keys. A new key is printed once; only
// its SHA-256 is stored (src/service/records.ts says why that and not bcrypt).

import type { Command } from "commander";
import { ROLES } from "../service/records.js";
import { serviceRecords } from "../service/records-pg.js";
import type { Store } from "../store/store.js";
import { type GlobalOptions, printJson, printTable, withStore } from "./_common.js";

// The keys live beside the lists, on SQLite or PostgreSQL: one `keys create` serves every replica.
const keyStore = (store: Store) => serviceRecords(store).keys;

export function register(program: Command, globals: () => GlobalOptions): void {
  const keys = program
    .command("keys")
    .description("API keys for the screening service: create, list, revoke")
    .addHelpText(
      "after",
      `
Roles: screen (screening and lookups), analyst (also reads the screening record), admin (everything).
Clients send the key as: Authorization: Bearer <key>

Examples:
  interdict keys create --role screen --name "payments gateway"
  interdict keys create --role admin --json        # {"id": "...", "key": "..."}
  interdict keys list
  interdict keys revoke key_0123456789ab`,
    );

  keys
    .command("create")
    .description("create a key; the key itself is printed once and cannot be shown again")
    .requiredOption("--role <role>", `one of ${ROLES.join(", ")}`)
    .option("--name <name>", "what or who the key is for")
    .option("--json", 'print {"id", "key"}')
    .action(async (opts: { role: string; name?: string; json?: boolean }) => {
      await withStore(globals(), async (store) => {
        const k = await keyStore(store).create(opts.role, opts.name);
        if (opts.json) return printJson({ id: k.id, key: k.key });
        process.stdout.write(
          `Created ${k.id} (role ${k.role}${k.name ? `, ${k.name}` : ""}).\nKey (shown once, keep it safe):\n${k.key}\n`,
        );
      });
    });

  keys
    .command("list")
    .description("every key: id, name, role, created, revoked (never the key itself)")
    .option("--json", "print JSON")
    .action(async (opts: { json?: boolean }) => {
      await withStore(globals(), async (store) => {
        const all = await keyStore(store).list();
        if (opts.json) return printJson(all);
        if (all.length === 0) {
          process.stdout.write("No API keys. Create one with `interdict keys create --role screen`.\n");
          return;
        }
        printTable(
          ["id", "name", "role", "created", "revoked"],
          all.map((k) => [
            k.id,
            k.name ?? "",
            k.role,
            k.createdAt.slice(0, 19),
            k.revokedAt?.slice(0, 19) ?? "",
          ]),
        );
      });
    });

  keys
    .command("revoke")
    .description("revoke a key: requests with it are refused (401) from now on")
    .argument("<id>", "the key's id (from keys list)")
    .option("--json", "print JSON")
    .action(async (id: string, opts: { json?: boolean }) => {
      await withStore(globals(), async (store) => {
        const k = await keyStore(store).revoke(id);
        if (opts.json) return printJson(k);
        process.stdout.write(`Revoked ${k.id} at ${k.revokedAt}.\n`);
      });
    });
}
