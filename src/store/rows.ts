// Rows as both stores (SQLite and PostgreSQL) keep them: a list version, and an entity as stored
// (its FtM form once per distinct content, timestamps per version). One definition, so the two
// stores write and read identical rows.

import type { Entity } from "../model/entity.js";
import { fromFtm, toFtm } from "../model/ftm.js";
import type { ListVersion, StoredEntity, VersionStatus } from "./store.js";

export interface VersionRow {
  id: number;
  dataset: string;
  version: string;
  status: VersionStatus;
  created_at: string;
  parent_id: number | null;
  entity_count: number;
  counts: string;
  issue_count: number;
  meta: string;
}

export function toVersion(r: VersionRow): ListVersion {
  return {
    id: r.id,
    dataset: r.dataset,
    version: r.version,
    status: r.status,
    createdAt: r.created_at,
    ...(r.parent_id != null ? { parentId: r.parent_id } : {}),
    entityCount: r.entity_count,
    counts: JSON.parse(r.counts) as Record<string, number>,
    issueCount: r.issue_count,
    meta: JSON.parse(r.meta) as Record<string, unknown>,
  };
}

export interface EntityRow {
  version_id: number;
  entity_id: string;
  data: string;
  source: string | null;
  first_seen: string;
  last_change: string;
  last_seen: string;
}

export function toStored(r: EntityRow): StoredEntity {
  const entity = fromFtm(JSON.parse(r.data));
  if (r.source != null) entity.source = JSON.parse(r.source);
  entity.first_seen = r.first_seen;
  entity.last_seen = r.last_seen;
  entity.last_change = r.last_change;
  return Object.assign(entity, { versionId: r.version_id });
}

/** The entity as stored: its FtM form without the per-version timestamps. */
export function encode(entity: Entity): { data: string; source: string | null } {
  const { first_seen: _f, last_seen: _l, last_change: _c, keys: _k, ...rest } = entity;
  return {
    data: JSON.stringify(toFtm(rest)),
    source: entity.source === undefined ? null : JSON.stringify(entity.source),
  };
}

export function merge(into: Entity, from: Entity): Entity {
  for (const [prop, values] of Object.entries(from.properties)) {
    const existing = (into.properties[prop] ??= []);
    for (const v of values) if (!existing.includes(v)) existing.push(v);
  }
  for (const d of from.datasets) if (!into.datasets.includes(d)) into.datasets.push(d);
  for (const r of from.referents) if (!into.referents.includes(r)) into.referents.push(r);
  return into;
}
