// The registry on a store, with every step also written to the hash-chained audit log
// (`designation_<step>`: created, proposed, approved, published, publication, delisted,
// petition_granted …). The log lives in the same SQLite file and the entry is appended inside
// the step's own transaction, so a step is never recorded in one place and not the other.

import { auditOf } from "../audit/log.js";
import { InterdictError } from "../errors.js";
import { SqliteStore } from "../store/sqlite.js";
import type { Store } from "../store/store.js";
import { type CaseEvent, Registry, type RegistryOptions } from "./registry.js";

/** The audit entry of one registry step. */
export function auditEntryOf(event: CaseEvent): {
  action: `designation_${string}`;
  detail: Record<string, unknown>;
} {
  return {
    action: `designation_${event.action}`,
    detail: { ...(event.case_id ? { case: event.case_id } : {}), ...event.detail, registry_event: event.seq },
  };
}

/** The registry of a SQLite store, audited. */
export function registryOf(store: Store, opts: Omit<RegistryOptions, "onEvent"> = {}): Registry {
  if (!(store instanceof SqliteStore))
    throw new InterdictError("INTERDICT_E_USAGE", "the registry needs a SQLite store in this build");
  const log = auditOf(store);
  return new Registry(store.db, {
    ...opts,
    onEvent: (event) => {
      const { action, detail } = auditEntryOf(event);
      log.append(event.actor, action, detail, [], event.at);
    },
  });
}
