// FollowTheMoney JSON: one entity per line. Reading keeps every key, so writing it back gives
// the same document; keys come out in the order OpenSanctions writes them.

import { InterdictError, type Location } from "../errors.js";
import type { Entity } from "./entity.js";

const KNOWN = new Set([
  "id",
  "schema",
  "properties",
  "datasets",
  "referents",
  "first_seen",
  "last_seen",
  "last_change",
  "caption",
  "target",
]);

function stringList(value: unknown, what: string, where: Location): string[] {
  if (value === undefined) return [];
  if (!Array.isArray(value) || !value.every((v) => typeof v === "string")) {
    throw new InterdictError("INTERDICT_E_LIST_FORMAT", `${what} must be a list of strings`, where);
  }
  return value;
}

/** An FtM entity from its parsed JSON object; `where` locates errors. */
export function fromFtm(obj: unknown, where: Location = {}): Entity {
  if (typeof obj !== "object" || obj === null || Array.isArray(obj)) {
    throw new InterdictError("INTERDICT_E_LIST_FORMAT", "an FtM entity must be a JSON object", where);
  }
  const o = obj as Record<string, unknown>;
  if (typeof o.id !== "string" || !o.id) {
    throw new InterdictError("INTERDICT_E_LIST_FORMAT", "entity has no id", where);
  }
  const at = { ...where, record: o.id };
  if (typeof o.schema !== "string" || !o.schema) {
    throw new InterdictError("INTERDICT_E_LIST_FORMAT", "entity has no schema", at);
  }
  const props = o.properties ?? {};
  if (typeof props !== "object" || props === null || Array.isArray(props)) {
    throw new InterdictError("INTERDICT_E_LIST_FORMAT", "properties must be an object", at);
  }
  const properties: Record<string, string[]> = {};
  for (const [k, v] of Object.entries(props)) {
    properties[k] = stringList(v, `property ${k}`, { ...at, field: k });
  }
  const entity: Entity = {
    id: o.id,
    schema: o.schema,
    properties,
    datasets: stringList(o.datasets, "datasets", at),
    referents: stringList(o.referents, "referents", at),
  };
  for (const key of ["first_seen", "last_seen", "last_change", "caption"] as const) {
    const v = o[key];
    if (typeof v === "string") entity[key] = v;
  }
  if (typeof o.target === "boolean") entity.target = o.target;
  const extra = Object.entries(o).filter(([k]) => !KNOWN.has(k));
  if (extra.length) entity.extra = Object.fromEntries(extra);
  entity.keys = Object.keys(o);
  return entity;
}

const DEFAULT_ORDER = [
  "id",
  "caption",
  "schema",
  "properties",
  "referents",
  "datasets",
  "first_seen",
  "last_seen",
  "last_change",
  "target",
];

/** The FtM JSON object for an entity (without its source record), keys in the order read. */
export function toFtm(entity: Entity): Record<string, unknown> {
  const values: Record<string, unknown> = {
    ...entity.extra,
    id: entity.id,
    caption: entity.caption,
    schema: entity.schema,
    properties: entity.properties,
    // An entity read without referents is written without them; a new one has them if any.
    referents: entity.referents.length || entity.keys?.includes("referents") ? entity.referents : undefined,
    datasets: entity.datasets,
    first_seen: entity.first_seen,
    last_seen: entity.last_seen,
    last_change: entity.last_change,
    target: entity.target,
  };
  const out: Record<string, unknown> = {};
  for (const key of [...(entity.keys ?? []), ...DEFAULT_ORDER, ...Object.keys(values)]) {
    if (!(key in out) && values[key] !== undefined) out[key] = values[key];
  }
  return out;
}

export function toFtmLine(entity: Entity): string {
  return JSON.stringify(toFtm(entity));
}
