// The embedded store: SQLite through better-sqlite3, WAL mode. Entities are kept once per
// distinct content (entity_blob, keyed by hash) and each list version is a table of
// (entity id → blob) rows, so a version costs a few bytes per entity and diffs are a join.

import { createHash } from "node:crypto";
import { mkdirSync } from "node:fs";
import { hostname } from "node:os";
import { dirname } from "node:path";
import Database from "better-sqlite3";
import { InterdictError, type Issue } from "../errors.js";
import type { Entity } from "../model/entity.js";
import { fromFtm } from "../model/ftm.js";
import { getSchema } from "../model/schema.js";
import { type EntityRow, encode, merge, toStored, toVersion, type VersionRow } from "./rows.js";
import type {
  Change,
  DatasetSummary,
  DiffSummary,
  ListVersion,
  Store,
  StoredEntity,
  VersionInfo,
  VersionWriter,
} from "./store.js";

const MIGRATIONS: readonly string[] = [
  `CREATE TABLE list_version (
     id INTEGER PRIMARY KEY,
     dataset TEXT NOT NULL,
     version TEXT NOT NULL,
     status TEXT NOT NULL,
     created_at TEXT NOT NULL,
     parent_id INTEGER,
     entity_count INTEGER NOT NULL DEFAULT 0,
     counts TEXT NOT NULL DEFAULT '{}',
     issue_count INTEGER NOT NULL DEFAULT 0,
     meta TEXT NOT NULL DEFAULT '{}'
   );
   CREATE INDEX list_version_dataset ON list_version (dataset, status);
   CREATE TABLE dataset (
     name TEXT PRIMARY KEY,
     current_version INTEGER REFERENCES list_version (id)
   );
   CREATE TABLE entity_blob (
     hash TEXT PRIMARY KEY,
     data TEXT NOT NULL,
     source TEXT
   ) WITHOUT ROWID;
   CREATE TABLE version_entity (
     version_id INTEGER NOT NULL,
     entity_id TEXT NOT NULL,
     schema TEXT NOT NULL,
     blob TEXT NOT NULL,
     content TEXT NOT NULL,
     first_seen TEXT NOT NULL,
     last_change TEXT NOT NULL,
     PRIMARY KEY (version_id, entity_id)
   ) WITHOUT ROWID;
   CREATE TABLE version_issue (
     version_id INTEGER NOT NULL,
     seq INTEGER NOT NULL,
     code TEXT NOT NULL,
     message TEXT NOT NULL,
     file TEXT,
     line INTEGER,
     record TEXT,
     field TEXT,
     PRIMARY KEY (version_id, seq)
   ) WITHOUT ROWID;`,
  // Which entities point at which (a Sanction's `entity`, a Passport's `holder`…), per version,
  // so an entity can be shown with everything that refers to it.
  `CREATE TABLE version_ref (
     version_id INTEGER NOT NULL,
     target TEXT NOT NULL,
     entity_id TEXT NOT NULL,
     PRIMARY KEY (version_id, target, entity_id)
   ) WITHOUT ROWID;
   CREATE INDEX version_ref_source ON version_ref (version_id, entity_id);`,
];

/** Rows written per transaction while a version streams in. */
const BATCH = 2000;

const sha1 = (text: string): string => createHash("sha1").update(text).digest("base64url");

/**
 * One `make(db)` per SQLite database, for the modules that keep their own tables beside the
 * lists (alerts, the subject register, the audit log…); another kind of store is refused with
 * `refusal`.
 */
export function ownTables<T>(
  store: Store,
  refusal: string,
  cache: WeakMap<Database.Database, T>,
  make: (db: Database.Database) => T,
): T {
  if (!(store instanceof SqliteStore)) throw new InterdictError("INTERDICT_E_USAGE", refusal);
  let t = cache.get(store.db);
  if (t === undefined) {
    t = make(store.db);
    cache.set(store.db, t);
  }
  return t;
}

/** The process writing a staging version. */
interface Writer {
  pid: number;
  host: string;
}

/** Whether a staging version's writer may still be at work: this process, or a live one here. */
function writerAlive(w: Writer | undefined): boolean {
  if (!w || w.host !== hostname()) return false;
  if (w.pid === process.pid) return true;
  try {
    process.kill(w.pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === "EPERM";
  }
}

export class SqliteStore implements Store {
  readonly db: Database.Database;

  constructor(path: string) {
    if (path !== ":memory:") mkdirSync(dirname(path), { recursive: true });
    this.db = new Database(path);
    this.db.pragma("journal_mode = WAL");
    this.db.pragma("synchronous = NORMAL");
    this.db.pragma("foreign_keys = ON");
    this.migrate();
    this.recover();
  }

  private migrate(): void {
    const current = this.db.pragma("user_version", { simple: true }) as number;
    for (let v = current; v < MIGRATIONS.length; v++) {
      this.db.transaction(() => {
        this.db.exec(MIGRATIONS[v] ?? "");
        this.db.pragma(`user_version = ${v + 1}`);
      })();
    }
  }

  /**
   * A process that died mid-ingest leaves a staging version: it never became current. Only a
   * version whose writer is gone is discarded: another process (the service, a monitor) opening
   * the store while an ingest runs must not throw that ingest away.
   */
  private recover(): void {
    const staging = this.db.prepare("SELECT id, meta FROM list_version WHERE status = 'staging'").all() as {
      id: number;
      meta: string;
    }[];
    for (const { id, meta } of staging) {
      if (!writerAlive((JSON.parse(meta) as { _writer?: Writer })._writer)) {
        this.discard(id, "interrupted before it was complete");
      }
    }
  }

  private discard(id: number, reason: string): void {
    this.db.transaction(() => {
      this.db.prepare("DELETE FROM version_entity WHERE version_id = ?").run(id);
      this.db.prepare("DELETE FROM version_ref WHERE version_id = ?").run(id);
      const row = this.db.prepare("SELECT meta FROM list_version WHERE id = ?").get(id) as { meta: string };
      const meta = { ...JSON.parse(row.meta), error: reason };
      this.db
        .prepare("UPDATE list_version SET status = 'failed', entity_count = 0, meta = ? WHERE id = ?")
        .run(JSON.stringify(meta), id);
    })();
  }

  private versionRow(id: number): ListVersion {
    return toVersion(this.db.prepare("SELECT * FROM list_version WHERE id = ?").get(id) as VersionRow);
  }

  async beginVersion(dataset: string, info: VersionInfo): Promise<VersionWriter> {
    return new SqliteVersionWriter(this, dataset, info);
  }

  currentVersionSync(dataset: string): ListVersion | undefined {
    const row = this.db
      .prepare("SELECT v.* FROM dataset d JOIN list_version v ON v.id = d.current_version WHERE d.name = ?")
      .get(dataset) as VersionRow | undefined;
    return row ? toVersion(row) : undefined;
  }

  async currentVersion(dataset: string): Promise<ListVersion | undefined> {
    return this.currentVersionSync(dataset);
  }

  async datasets(): Promise<DatasetSummary[]> {
    const names = this.db
      .prepare("SELECT DISTINCT dataset AS name FROM list_version ORDER BY dataset")
      .all() as { name: string }[];
    return names.map(({ name }) => {
      const current = this.currentVersionSync(name);
      const { n } = this.db
        .prepare("SELECT count(*) AS n FROM list_version WHERE dataset = ? AND status != 'failed'")
        .get(name) as { n: number };
      return { name, versionCount: n, ...(current ? { current } : {}) };
    });
  }

  async versions(dataset: string): Promise<ListVersion[]> {
    const rows = this.db
      .prepare("SELECT * FROM list_version WHERE dataset = ? ORDER BY id")
      .all(dataset) as VersionRow[];
    return rows.map(toVersion);
  }

  async findVersion(dataset: string, ref: string | number): Promise<ListVersion | undefined> {
    const row = (
      typeof ref === "number" || /^\d+$/.test(ref)
        ? this.db.prepare("SELECT * FROM list_version WHERE dataset = ? AND id = ?").get(dataset, Number(ref))
        : this.db
            .prepare(
              "SELECT * FROM list_version WHERE dataset = ? AND version = ? AND status != 'failed' ORDER BY id DESC LIMIT 1",
            )
            .get(dataset, ref)
    ) as VersionRow | undefined;
    return row ? toVersion(row) : undefined;
  }

  private entityQuery = `SELECT ve.version_id, ve.entity_id, b.data, b.source, ve.first_seen, ve.last_change,
      v.created_at AS last_seen
    FROM version_entity ve JOIN entity_blob b ON b.hash = ve.blob JOIN list_version v ON v.id = ve.version_id`;

  async getEntity(id: string, opts: { versionId?: number } = {}): Promise<StoredEntity | undefined> {
    const stmt = this.db.prepare(`${this.entityQuery} WHERE ve.version_id = ? AND ve.entity_id = ?`);
    const versionIds =
      opts.versionId !== undefined
        ? [opts.versionId]
        : (
            this.db
              .prepare(
                // The dataset named by the id's prefix first; then every other current version.
                "SELECT current_version AS v FROM dataset WHERE current_version IS NOT NULL ORDER BY name = ? DESC",
              )
              .all(id.split(":")[0]) as { v: number }[]
          ).map((r) => r.v);
    for (const v of versionIds) {
      const row = stmt.get(v, id) as EntityRow | undefined;
      if (row) return toStored(row);
    }
    return undefined;
  }

  async referencing(id: string, opts: { versionId?: number } = {}): Promise<StoredEntity[]> {
    const versionId = opts.versionId ?? (await this.getEntity(id))?.versionId;
    if (versionId === undefined) return [];
    const rows = this.db
      .prepare(
        `${this.entityQuery} JOIN version_ref r ON r.version_id = ve.version_id AND r.entity_id = ve.entity_id
         WHERE r.version_id = ? AND r.target = ? ORDER BY ve.entity_id`,
      )
      .all(versionId, id) as EntityRow[];
    return rows.map(toStored);
  }

  async *entities(dataset: string, opts: { versionId?: number } = {}): AsyncIterable<StoredEntity> {
    const versionId = opts.versionId ?? this.currentVersionSync(dataset)?.id;
    if (versionId === undefined) return;
    const rows = this.db
      .prepare(`${this.entityQuery} WHERE ve.version_id = ? ORDER BY ve.entity_id`)
      .iterate(versionId) as IterableIterator<EntityRow>;
    for (const row of rows) yield toStored(row);
  }

  async *diff(fromVersionId: number, toVersionId: number): AsyncIterable<Change> {
    // Two lookups on the (version_id, entity_id) key rather than a full outer join of two
    // subqueries, which SQLite cannot index: 0.03 s instead of 60 s for two OFAC versions.
    const rows = this.db
      .prepare(
        `SELECT b.entity_id AS id, b.schema AS schema,
           CASE WHEN a.entity_id IS NULL THEN 'added' ELSE 'changed' END AS change
         FROM version_entity b
         LEFT JOIN version_entity a ON a.version_id = ? AND a.entity_id = b.entity_id
         WHERE b.version_id = ? AND (a.entity_id IS NULL OR a.content != b.content)
         UNION ALL
         SELECT a.entity_id, a.schema, 'removed' FROM version_entity a
         WHERE a.version_id = ? AND NOT EXISTS
           (SELECT 1 FROM version_entity b WHERE b.version_id = ? AND b.entity_id = a.entity_id)
         ORDER BY 1`,
      )
      .iterate(fromVersionId, toVersionId, fromVersionId, toVersionId) as IterableIterator<Change>;
    yield* rows;
  }

  diffSummary(fromVersionId: number | undefined, toVersionId: number): DiffSummary {
    const after = this.count(toVersionId);
    if (fromVersionId === undefined) {
      return { added: after, removed: 0, changed: 0, unchanged: 0, before: 0, after };
    }
    const before = this.count(fromVersionId);
    const { common, same } = this.db
      .prepare(
        `SELECT count(*) AS common, coalesce(sum(a.content = b.content), 0) AS same
         FROM version_entity a JOIN version_entity b ON a.entity_id = b.entity_id
         WHERE a.version_id = ? AND b.version_id = ?`,
      )
      .get(fromVersionId, toVersionId) as { common: number; same: number };
    return {
      added: after - common,
      removed: before - common,
      changed: common - same,
      unchanged: same,
      before,
      after,
    };
  }

  count(versionId: number): number {
    return (
      this.db.prepare("SELECT count(*) AS n FROM version_entity WHERE version_id = ?").get(versionId) as {
        n: number;
      }
    ).n;
  }

  async issues(versionId: number, opts: { limit?: number } = {}): Promise<Issue[]> {
    const rows = this.db
      .prepare("SELECT * FROM version_issue WHERE version_id = ? ORDER BY seq LIMIT ?")
      .all(versionId, opts.limit ?? -1) as Record<string, unknown>[];
    return rows.map((r) => {
      const issue: Issue = { code: String(r.code), message: String(r.message) };
      if (r.file != null) issue.file = String(r.file);
      if (r.line != null) issue.line = Number(r.line);
      if (r.record != null) issue.record = String(r.record);
      if (r.field != null) issue.field = String(r.field);
      return issue;
    });
  }

  async close(): Promise<void> {
    this.db.close();
  }

  // Internals the version writer uses.

  /** @internal */
  createVersion(dataset: string, info: VersionInfo, parentId: number | undefined): number {
    const createdAt = new Date().toISOString();
    return this.db.transaction(() => {
      this.db.prepare("INSERT OR IGNORE INTO dataset (name) VALUES (?)").run(dataset);
      const r = this.db
        .prepare(
          "INSERT INTO list_version (dataset, version, status, created_at, parent_id, meta) VALUES (?, ?, 'staging', ?, ?, ?)",
        )
        .run(
          dataset,
          info.version,
          createdAt,
          parentId ?? null,
          JSON.stringify({ ...info.meta, _writer: { pid: process.pid, host: hostname() } satisfies Writer }),
        );
      return Number(r.lastInsertRowid);
    })();
  }

  /** @internal */
  finish(
    id: number,
    dataset: string,
    status: "current" | "held",
    extraMeta: Record<string, unknown>,
  ): ListVersion {
    this.db.transaction(() => {
      const counts = Object.fromEntries(
        (
          this.db
            .prepare("SELECT schema, count(*) AS n FROM version_entity WHERE version_id = ? GROUP BY schema")
            .all(id) as { schema: string; n: number }[]
        ).map((r) => [r.schema, r.n]),
      );
      const total = Object.values(counts).reduce((a, b) => a + b, 0);
      const { meta } = this.db.prepare("SELECT meta FROM list_version WHERE id = ?").get(id) as {
        meta: string;
      };
      this.db
        .prepare("UPDATE list_version SET status = ?, entity_count = ?, counts = ?, meta = ? WHERE id = ?")
        .run(
          status,
          total,
          JSON.stringify(counts),
          JSON.stringify({ ...JSON.parse(meta), ...extraMeta, _writer: undefined }),
          id,
        );
      if (status === "current") {
        this.db
          .prepare(
            "UPDATE list_version SET status = 'superseded' WHERE dataset = ? AND status = 'current' AND id != ?",
          )
          .run(dataset, id);
        this.db.prepare("UPDATE dataset SET current_version = ? WHERE name = ?").run(id, dataset);
      }
    })();
    return this.versionRow(id);
  }

  /** @internal */
  discardVersion(id: number, reason: string): void {
    this.discard(id, reason);
  }
}

class SqliteVersionWriter implements VersionWriter {
  readonly id: number;
  private readonly store: SqliteStore;
  private readonly dataset: string;
  private readonly parentId: number | undefined;
  private readonly now: string;
  private pending = new Map<string, { entity: Entity; replace: boolean }>();
  private issueSeq = 0;
  private done = false;
  private readonly stmts;

  constructor(store: SqliteStore, dataset: string, info: VersionInfo) {
    this.store = store;
    this.dataset = dataset;
    this.parentId = store.currentVersionSync(dataset)?.id;
    this.id = store.createVersion(dataset, info, this.parentId);
    const db = store.db;
    this.now = (
      db.prepare("SELECT created_at FROM list_version WHERE id = ?").get(this.id) as { created_at: string }
    ).created_at;
    this.stmts = {
      blob: db.prepare("INSERT OR IGNORE INTO entity_blob (hash, data, source) VALUES (?, ?, ?)"),
      row: db.prepare(
        `INSERT OR REPLACE INTO version_entity (version_id, entity_id, schema, blob, content, first_seen, last_change)
         VALUES (?, ?, ?, ?, ?, ?, ?)`,
      ),
      existing: db.prepare(
        `SELECT b.data, b.source FROM version_entity ve JOIN entity_blob b ON b.hash = ve.blob
         WHERE ve.version_id = ? AND ve.entity_id = ?`,
      ),
      previous: db.prepare(
        "SELECT content, first_seen, last_change FROM version_entity WHERE version_id = ? AND entity_id = ?",
      ),
      delete: db.prepare("DELETE FROM version_entity WHERE version_id = ? AND entity_id = ?"),
      ref: db.prepare("INSERT OR IGNORE INTO version_ref (version_id, target, entity_id) VALUES (?, ?, ?)"),
      unref: db.prepare("DELETE FROM version_ref WHERE version_id = ? AND entity_id = ?"),
      issue: db.prepare(
        "INSERT INTO version_issue (version_id, seq, code, message, file, line, record, field) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
      ),
    };
    if (info.baseVersionId !== undefined) {
      db.prepare(
        `INSERT INTO version_entity (version_id, entity_id, schema, blob, content, first_seen, last_change)
         SELECT ?, entity_id, schema, blob, content, first_seen, last_change FROM version_entity WHERE version_id = ?`,
      ).run(this.id, info.baseVersionId);
      db.prepare(
        "INSERT INTO version_ref (version_id, target, entity_id) SELECT ?, target, entity_id FROM version_ref WHERE version_id = ?",
      ).run(this.id, info.baseVersionId);
    }
  }

  private check(): void {
    if (this.done) throw new Error(`list version ${this.id} is already finished`);
  }

  async put(entity: Entity, opts: { replace?: boolean } = {}): Promise<void> {
    this.check();
    const replace = opts.replace ?? false;
    const queued = this.pending.get(entity.id);
    if (queued && !replace) merge(queued.entity, entity);
    else this.pending.set(entity.id, { entity, replace });
    if (this.pending.size >= BATCH) this.flush();
  }

  async delete(id: string): Promise<boolean> {
    this.check();
    this.flush();
    this.stmts.unref.run(this.id, id);
    return this.stmts.delete.run(this.id, id).changes > 0;
  }

  async issue(issue: Issue): Promise<void> {
    this.check();
    this.stmts.issue.run(
      this.id,
      ++this.issueSeq,
      issue.code,
      issue.message,
      issue.file ?? null,
      issue.line ?? null,
      issue.record ?? null,
      issue.field ?? null,
    );
  }

  private flush(): void {
    if (this.pending.size === 0) return;
    const batch = [...this.pending.values()];
    this.pending.clear();
    this.store.db.transaction(() => {
      for (const { entity, replace } of batch) this.write(entity, replace);
    })();
  }

  private write(entity: Entity, replace: boolean): void {
    if (!replace) {
      // The same id earlier in this version (outside the current batch): merge, as FtM does.
      const stored = this.stmts.existing.get(this.id, entity.id) as
        | { data: string; source: string | null }
        | undefined;
      if (stored) {
        const before = fromFtm(JSON.parse(stored.data));
        if (stored.source != null) before.source = JSON.parse(stored.source);
        entity = merge(before, entity);
      }
    }
    const { data, source } = encode(entity);
    const content = sha1(data);
    const blob = source === null ? content : sha1(`${data}\u0000${source}`);
    this.stmts.blob.run(blob, data, source);
    const prev =
      this.parentId === undefined
        ? undefined
        : (this.stmts.previous.get(this.parentId, entity.id) as
            | { content: string; first_seen: string; last_change: string }
            | undefined);
    const firstSeen = prev?.first_seen ?? this.now;
    const lastChange = prev && prev.content === content ? prev.last_change : this.now;
    this.stmts.row.run(this.id, entity.id, entity.schema, blob, content, firstSeen, lastChange);
    if (replace) this.stmts.unref.run(this.id, entity.id);
    const schema = getSchema(entity.schema);
    for (const [prop, values] of Object.entries(entity.properties)) {
      if (schema?.properties.get(prop)?.type !== "entity") continue;
      for (const target of values) this.stmts.ref.run(this.id, target, entity.id);
    }
  }

  async summary(): Promise<DiffSummary> {
    this.flush();
    return this.store.diffSummary(this.parentId, this.id);
  }

  async commit(): Promise<ListVersion> {
    this.check();
    this.flush();
    const summary = this.store.diffSummary(this.parentId, this.id);
    this.done = true;
    return this.store.finish(this.id, this.dataset, "current", { summary });
  }

  async hold(reason: string): Promise<ListVersion> {
    this.check();
    this.flush();
    const summary = this.store.diffSummary(this.parentId, this.id);
    this.done = true;
    return this.store.finish(this.id, this.dataset, "held", { summary, held: reason });
  }

  async abort(reason: string): Promise<void> {
    if (this.done) return;
    this.done = true;
    this.pending.clear();
    this.store.discardVersion(this.id, reason);
  }
}
