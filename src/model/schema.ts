// Schemata resolved from the data in schemata.ts: inheritance flattened once, so looking up a
// property or asking "is a Vessel a Thing?" is a map read.

import { type PropertySpec, SCHEMA_ALIASES, SCHEMATA, type SchemaSpec } from "./schemata.js";

export interface Schema {
  readonly name: string;
  readonly abstract: boolean;
  readonly matchable: boolean;
  readonly caption: readonly string[];
  /** This schema and every ancestor. */
  readonly ancestors: ReadonlySet<string>;
  readonly properties: ReadonlyMap<string, PropertySpec>;
}

const resolved = new Map<string, Schema>();

function resolve(name: string): Schema {
  const cached = resolved.get(name);
  if (cached) return cached;
  const spec: SchemaSpec | undefined = SCHEMATA[name];
  if (!spec) throw new Error(`unknown schema: ${name}`);
  const ancestors = new Set<string>([name]);
  const properties = new Map<string, PropertySpec>();
  let caption = spec.caption;
  let matchable = spec.matchable ?? false;
  for (const parentName of spec.extends) {
    const parent = resolve(parentName);
    for (const a of parent.ancestors) ancestors.add(a);
    for (const [k, v] of parent.properties) properties.set(k, v);
    caption ??= parent.caption;
    matchable ||= parent.matchable && spec.matchable !== false;
  }
  for (const [k, v] of Object.entries(spec.properties)) properties.set(k, v);
  const schema: Schema = {
    name,
    abstract: spec.abstract ?? false,
    matchable: spec.matchable ?? matchable,
    caption: caption ?? ["name"],
    ancestors,
    properties,
  };
  resolved.set(name, schema);
  return schema;
}

/** The schema of that name (or FtM synonym), or undefined when we do not model it. */
export function getSchema(name: string): Schema | undefined {
  const canonical = SCHEMA_ALIASES[name] ?? name;
  return SCHEMATA[canonical] ? resolve(canonical) : undefined;
}

export function requireSchema(name: string): Schema {
  const schema = getSchema(name);
  if (!schema) throw new Error(`unknown schema: ${name}`);
  return schema;
}

export function isA(schema: string, ancestor: string): boolean {
  return getSchema(schema)?.ancestors.has(ancestor) ?? false;
}

export const SCHEMA_NAMES: readonly string[] = Object.keys(SCHEMATA);
