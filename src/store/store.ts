// The Store contract: datasets, their immutable list versions and the entities in each. A new
// version is written beside the current one and becomes current in one step, or not at all.
// SQLite implements it today; PostgreSQL will implement the same contract (store.contract.ts).

import type { Issue } from "../errors.js";
import type { Entity } from "../model/entity.js";

export type VersionStatus = "staging" | "current" | "superseded" | "held" | "failed";

export interface ListVersion {
  readonly id: number;
  readonly dataset: string;
  /** The publisher's label for the version (the list's date), or the ingest time. */
  readonly version: string;
  readonly status: VersionStatus;
  /** When the version was written (ISO 8601, UTC). */
  readonly createdAt: string;
  /** The version that was current when this one was written. */
  readonly parentId?: number;
  readonly entityCount: number;
  /** Entities by schema. */
  readonly counts: Readonly<Record<string, number>>;
  readonly issueCount: number;
  /** Files, formats and checksums it was read from, or why it was held or failed. */
  readonly meta: Readonly<Record<string, unknown>>;
}

export interface DatasetSummary {
  readonly name: string;
  readonly current?: ListVersion;
  readonly versionCount: number;
}

/** An entity as stored in a version: with its lifetime across versions and its source record. */
export interface StoredEntity extends Entity {
  readonly versionId: number;
}

export interface Change {
  readonly id: string;
  readonly schema: string;
  readonly change: "added" | "removed" | "changed";
}

export interface DiffSummary {
  readonly added: number;
  readonly removed: number;
  readonly changed: number;
  readonly unchanged: number;
  /** Entities in the base version. */
  readonly before: number;
  /** Entities in the new version. */
  readonly after: number;
}

export interface VersionInfo {
  readonly version: string;
  readonly meta?: Record<string, unknown>;
  /** For delta files: start from a copy of this version's entities. */
  readonly baseVersionId?: number;
}

/** Writes one new list version. Nothing is visible to readers until `commit`. */
export interface VersionWriter {
  readonly id: number;
  /**
   * Adds an entity. A second entity with the same id is merged into the first (full lists), or
   * replaces it when `replace` is set (delta files).
   */
  put(entity: Entity, opts?: { replace?: boolean }): Promise<void>;
  delete(id: string): Promise<boolean>;
  issue(issue: Issue): Promise<void>;
  /** What this version changes against the dataset's current version. */
  summary(): Promise<DiffSummary>;
  /** Makes this version current, atomically. */
  commit(): Promise<ListVersion>;
  /** Keeps the written version for inspection without making it current. */
  hold(reason: string): Promise<ListVersion>;
  /** Throws away what was written; the version is recorded as failed with the reason. */
  abort(reason: string): Promise<void>;
}

export interface Store {
  beginVersion(dataset: string, info: VersionInfo): Promise<VersionWriter>;
  datasets(): Promise<DatasetSummary[]>;
  versions(dataset: string): Promise<ListVersion[]>;
  currentVersion(dataset: string): Promise<ListVersion | undefined>;
  /** A version by numeric id or by its label within the dataset. */
  findVersion(dataset: string, ref: string | number): Promise<ListVersion | undefined>;
  /** An entity from the current version of any dataset (or from a given version). */
  getEntity(id: string, opts?: { versionId?: number }): Promise<StoredEntity | undefined>;
  /**
   * Entities of the same version that refer to this one through an entity property: its
   * Sanctions, documents, addresses' owners, links. Default version: the one `getEntity` finds.
   */
  referencing(id: string, opts?: { versionId?: number }): Promise<StoredEntity[]>;
  /** Entities of a version (default: the dataset's current version), in id order. */
  entities(dataset: string, opts?: { versionId?: number }): AsyncIterable<StoredEntity>;
  diff(fromVersionId: number, toVersionId: number): AsyncIterable<Change>;
  issues(versionId: number, opts?: { limit?: number }): Promise<Issue[]>;
  close(): Promise<void>;
}
