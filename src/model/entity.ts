// The entity: FollowTheMoney's shape, `{id, schema, properties: {prop: string[]}, datasets, …}`,
// plus the source record it was mapped from. Mappers build entities with `add`, which cleans
// each value by its property's type and keeps values unique and in first-seen order.

import { requireSchema } from "./schema.js";
import { cleanValue } from "./types.js";

export interface Entity {
  id: string;
  schema: string;
  properties: Record<string, string[]>;
  datasets: string[];
  referents: string[];
  first_seen?: string;
  last_seen?: string;
  last_change?: string;
  caption?: string;
  target?: boolean;
  /** FtM top-level keys we do not model, kept so a round trip loses nothing. */
  extra?: Record<string, unknown>;
  /** The order of the top-level keys as read, so FtM input is written back as it came. */
  keys?: string[];
  /** The record in the publisher's own terms, as read from the list. */
  source?: unknown;
}

export function makeEntity(schema: string, id: string, dataset: string): Entity {
  requireSchema(schema);
  return { id, schema, properties: {}, datasets: [dataset], referents: [] };
}

/** Native id → `<dataset>:<native id>`, the id form every dataset uses. */
export function entityId(dataset: string, nativeId: string | number): string {
  return `${dataset}:${String(nativeId).trim()}`;
}

/**
 * Adds values to a property, cleaning each by the property's type. Returns the raw values that
 * were not valid for the type (so the mapper can report them); empty and undefined are skipped.
 */
export function add(
  entity: Entity,
  prop: string,
  values: string | readonly (string | undefined | null)[] | undefined | null,
): string[] {
  const spec = requireSchema(entity.schema).properties.get(prop);
  if (!spec) throw new Error(`${entity.schema} has no property ${prop}`);
  const rejected: string[] = [];
  const list = typeof values === "string" ? [values] : (values ?? []);
  for (const raw of list) {
    if (raw == null || raw.trim() === "") continue;
    const cleaned = cleanValue(spec.type, raw);
    if (cleaned.length === 0) rejected.push(raw);
    for (const v of cleaned) {
      const existing = entity.properties[prop];
      if (!existing) entity.properties[prop] = [v];
      else if (!existing.includes(v)) existing.push(v);
    }
  }
  return rejected;
}

/** Adds values exactly as given (already clean, e.g. from FtM input). */
export function addRaw(entity: Entity, prop: string, values: readonly string[]): void {
  const existing = (entity.properties[prop] ??= []);
  for (const v of values) if (!existing.includes(v)) existing.push(v);
}

export function first(entity: Entity, prop: string): string | undefined {
  return entity.properties[prop]?.[0];
}

/** A display name: the first value of the schema's caption properties, else the id. */
export function captionOf(entity: Entity): string {
  if (entity.caption) return entity.caption;
  for (const prop of requireSchema(entity.schema).caption) {
    const v = first(entity, prop);
    if (v) return v;
  }
  return entity.id;
}
