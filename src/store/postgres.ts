// The shared store: PostgreSQL through pg, for several processes (service replicas, workers,
// ingests) on one database. Same layout and semantics as SqliteStore: entities kept once per
// distinct content (entity_blob), a version is a table of (entity id → blob) rows, and a new
// version becomes current in one transaction. Batches stream in with COPY into temporary tables
// and are merged from there, so an ingest costs a few round trips per 2,000 entities.
//
// Each version writer has its own connection and holds a session advisory lock on its version
// while it writes: a staging version whose lock is free belongs to a writer that died (on any
// host), and is failed when a store opens — the PostgreSQL form of SQLite's pid check.
//
// Committing a version sends NOTIFY on VERSION_CHANNEL (delivered with the commit), so replicas
// can reload at once instead of waiting for their poll loop (`listenVersions`).

import { createHash } from "node:crypto";
import { pipeline } from "node:stream/promises";
import pg from "pg";
import copyStreams from "pg-copy-streams";
import type { Issue } from "../errors.js";
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

/** A query on one connection (inside a transaction): its rows. */
export type Query = <R>(text: string, values?: unknown[]) => Promise<R[]>;

/** Channel a committed version is announced on; the payload is `{schema, dataset, id}`. */
export const VERSION_CHANNEL = "interdict_version";

// Ids compare byte-wise (COLLATE "C") so entities() and diff() order as SQLite does.
const MIGRATIONS: readonly string[] = [
  `CREATE TABLE list_version (
     id SERIAL PRIMARY KEY,
     dataset TEXT COLLATE "C" NOT NULL,
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
     name TEXT COLLATE "C" PRIMARY KEY,
     current_version INTEGER REFERENCES list_version (id)
   );
   CREATE TABLE entity_blob (
     hash TEXT COLLATE "C" PRIMARY KEY,
     data TEXT NOT NULL,
     source TEXT
   );
   CREATE TABLE version_entity (
     version_id INTEGER NOT NULL,
     entity_id TEXT COLLATE "C" NOT NULL,
     schema TEXT NOT NULL,
     blob TEXT COLLATE "C" NOT NULL,
     content TEXT NOT NULL,
     first_seen TEXT NOT NULL,
     last_change TEXT NOT NULL,
     PRIMARY KEY (version_id, entity_id)
   );
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
   );
   CREATE TABLE version_ref (
     version_id INTEGER NOT NULL,
     target TEXT COLLATE "C" NOT NULL,
     entity_id TEXT COLLATE "C" NOT NULL,
     PRIMARY KEY (version_id, target, entity_id)
   );
   CREATE INDEX version_ref_source ON version_ref (version_id, entity_id);`,
];

/** Entities buffered before a batch is copied in. */
const BATCH = 2000;
/** Rows fetched per page when streaming entities out. */
const PAGE = 1000;

const sha1 = (text: string): string => createHash("sha1").update(text).digest("base64url");

/** A value in COPY's text format: backslash escapes, \N for null. */
function copyValue(v: string | number | null | undefined): string {
  if (v == null) return "\\N";
  return String(v).replace(/[\\\n\r\t]/g, (c) =>
    c === "\\" ? "\\\\" : c === "\n" ? "\\n" : c === "\r" ? "\\r" : "\\t",
  );
}

const copyRow = (values: (string | number | null | undefined)[]): string =>
  `${values.map(copyValue).join("\t")}\n`;

/** `?schema=name` in the URL picks the schema (default public); it is not a libpq parameter. */
export function parsePostgresUrl(url: string): { connectionString: string; schema: string } {
  const u = new URL(url);
  const schema = u.searchParams.get("schema") ?? "public";
  u.searchParams.delete("schema");
  if (!/^[a-z_][a-z0-9_]*$/.test(schema)) throw new Error(`not a plain schema name: ${schema}`);
  return { connectionString: u.toString(), schema };
}

const ENTITY_QUERY = `SELECT ve.version_id, ve.entity_id, b.data, b.source, ve.first_seen, ve.last_change,
    v.created_at AS last_seen
  FROM version_entity ve JOIN entity_blob b ON b.hash = ve.blob JOIN list_version v ON v.id = ve.version_id`;

// Advisory locks are per database: the schema's hash keeps two stores in one database apart.
const LOCK = "hashtext(current_schema())";

export interface PostgresOptions {
  /** Connections in the read pool (writers have their own). */
  poolSize?: number;
}

export class PostgresStore implements Store {
  readonly schema: string;
  readonly pool: pg.Pool;
  private readonly config: pg.ClientConfig;
  /** Migrations and recovery; every method waits for it. */
  private readonly ready: Promise<void>;
  private readonly writers = new Set<PostgresVersionWriter>();

  /**
   * Opens lazily: the constructor returns at once (so `openStore` stays synchronous) and the
   * first call waits for migrations. Use `PostgresStore.open` to see connection errors at once.
   */
  constructor(url: string, opts: PostgresOptions = {}) {
    const { connectionString, schema } = parsePostgresUrl(url);
    this.schema = schema;
    this.config = { connectionString, options: `-c search_path=${schema}` };
    this.pool = new pg.Pool({ ...this.config, max: opts.poolSize ?? 4 });
    // An idle pooled connection dropped by the server must not crash the process.
    this.pool.on("error", () => {});
    this.ready = this.init();
    this.ready.catch(() => {}); // reported by the first call that waits for it
  }

  static async open(url: string, opts: PostgresOptions = {}): Promise<PostgresStore> {
    const store = new PostgresStore(url, opts);
    try {
      await store.ready;
    } catch (e) {
      await store.pool.end();
      throw e;
    }
    return store;
  }

  /** A new connection with the store's schema on its search path (writers, LISTEN). */
  async connect(): Promise<pg.Client> {
    const client = new pg.Client(this.config);
    client.on("error", () => {});
    await client.connect();
    return client;
  }

  private async init(): Promise<void> {
    await this.transaction(async (_q, client) => {
      // One process migrates at a time; the others wait and then find nothing to do.
      await client.query("SELECT pg_advisory_xact_lock(hashtext('interdict_migrate'))");
      await client.query(`CREATE SCHEMA IF NOT EXISTS ${this.schema}`);
      await client.query(
        "CREATE TABLE IF NOT EXISTS interdict_migration (version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL)",
      );
      const { rows } = await client.query<{ v: number }>(
        "SELECT coalesce(max(version), 0)::int AS v FROM interdict_migration",
      );
      for (let v = rows[0]?.v ?? 0; v < MIGRATIONS.length; v++) {
        await client.query(MIGRATIONS[v] ?? "");
        await client.query("INSERT INTO interdict_migration VALUES ($1, $2)", [
          v + 1,
          new Date().toISOString(),
        ]);
      }
    });
    await this.recover();
  }

  /**
   * Runs `fn` in one transaction on one pooled connection: committed when it resolves, rolled
   * back when it throws. `q` queries on that connection; `client` is there for COPY and the like.
   */
  async transaction<T>(fn: (q: Query, client: pg.PoolClient) => Promise<T>): Promise<T> {
    const client = await this.pool.connect();
    try {
      await client.query("BEGIN");
      const out = await fn(
        async <R>(text: string, values: unknown[] = []) => (await client.query(text, values)).rows as R[],
        client,
      );
      await client.query("COMMIT");
      return out;
    } catch (e) {
      await client.query("ROLLBACK").catch(() => {});
      throw e;
    } finally {
      client.release();
    }
  }

  /** Staging versions whose writer's lock is free were left by a writer that died. */
  private async recover(): Promise<void> {
    const client = await this.pool.connect();
    try {
      const { rows } = await client.query<{ id: number }>(
        "SELECT id FROM list_version WHERE status = 'staging'",
      );
      for (const { id } of rows) {
        const got = await client.query<{ ok: boolean }>(`SELECT pg_try_advisory_lock(${LOCK}, $1) AS ok`, [
          id,
        ]);
        if (!got.rows[0]?.ok) continue;
        try {
          await discard(client, id, "interrupted before it was complete");
        } finally {
          await client.query(`SELECT pg_advisory_unlock(${LOCK}, $1)`, [id]);
        }
      }
    } finally {
      client.release();
    }
  }

  /**
   * Applies a module's own migrations (the service's records, alerts: tables beside the store's
   * whose SQL stays with the module), each once, under the store's migration lock, so replicas
   * starting together migrate once. `component` names the module's line of versions.
   */
  async migrate(component: string, migrations: readonly string[]): Promise<void> {
    await this.ready;
    await this.transaction(async (_q, client) => {
      await client.query("SELECT pg_advisory_xact_lock(hashtext('interdict_migrate'))");
      await client.query(
        `CREATE TABLE IF NOT EXISTS interdict_component_migration (
           component TEXT NOT NULL, version INTEGER NOT NULL, applied_at TEXT NOT NULL,
           PRIMARY KEY (component, version))`,
      );
      const { rows } = await client.query<{ v: number }>(
        "SELECT coalesce(max(version), 0)::int AS v FROM interdict_component_migration WHERE component = $1",
        [component],
      );
      for (let v = rows[0]?.v ?? 0; v < migrations.length; v++) {
        await client.query(migrations[v] ?? "");
        await client.query("INSERT INTO interdict_component_migration VALUES ($1, $2, $3)", [
          component,
          v + 1,
          new Date().toISOString(),
        ]);
      }
    });
  }

  /** A read query once the store is ready. */
  async query<R extends pg.QueryResultRow>(text: string, values: unknown[] = []): Promise<R[]> {
    await this.ready;
    return (await this.pool.query<R>(text, values)).rows;
  }

  async beginVersion(dataset: string, info: VersionInfo): Promise<VersionWriter> {
    await this.ready;
    const client = await this.connect();
    try {
      const writer = await PostgresVersionWriter.start(this, client, dataset, info);
      this.writers.add(writer);
      return writer;
    } catch (e) {
      await client.end();
      throw e;
    }
  }

  /** @internal */
  released(writer: PostgresVersionWriter): void {
    this.writers.delete(writer);
  }

  async currentVersion(dataset: string): Promise<ListVersion | undefined> {
    const [row] = await this.query<VersionRow>(
      "SELECT v.* FROM dataset d JOIN list_version v ON v.id = d.current_version WHERE d.name = $1",
      [dataset],
    );
    return row ? toVersion(row) : undefined;
  }

  async datasets(): Promise<DatasetSummary[]> {
    const rows = await this.query<VersionRow & { name: string; n: number }>(
      `SELECT n.name, n.n, v.* FROM (
         SELECT dataset AS name, count(*) FILTER (WHERE status != 'failed')::int AS n
         FROM list_version GROUP BY dataset) n
       LEFT JOIN dataset d ON d.name = n.name
       LEFT JOIN list_version v ON v.id = d.current_version
       ORDER BY n.name`,
    );
    return rows.map((r) => ({
      name: r.name,
      versionCount: r.n,
      ...(r.id != null ? { current: toVersion(r) } : {}),
    }));
  }

  async versions(dataset: string): Promise<ListVersion[]> {
    const rows = await this.query<VersionRow>("SELECT * FROM list_version WHERE dataset = $1 ORDER BY id", [
      dataset,
    ]);
    return rows.map(toVersion);
  }

  async findVersion(dataset: string, ref: string | number): Promise<ListVersion | undefined> {
    const numeric = typeof ref === "number" || /^\d+$/.test(ref);
    if (numeric && Number(ref) > 2147483647) return undefined;
    const [row] = numeric
      ? await this.query<VersionRow>("SELECT * FROM list_version WHERE dataset = $1 AND id = $2", [
          dataset,
          Number(ref),
        ])
      : await this.query<VersionRow>(
          "SELECT * FROM list_version WHERE dataset = $1 AND version = $2 AND status != 'failed' ORDER BY id DESC LIMIT 1",
          [dataset, ref],
        );
    return row ? toVersion(row) : undefined;
  }

  async getEntity(id: string, opts: { versionId?: number } = {}): Promise<StoredEntity | undefined> {
    const [row] =
      opts.versionId !== undefined
        ? await this.query<EntityRow>(`${ENTITY_QUERY} WHERE ve.version_id = $1 AND ve.entity_id = $2`, [
            opts.versionId,
            id,
          ])
        : // The dataset named by the id's prefix first; then every other current version.
          await this.query<EntityRow>(
            `${ENTITY_QUERY} JOIN dataset d ON d.current_version = ve.version_id
             WHERE ve.entity_id = $1 ORDER BY d.name = $2 DESC, d.name LIMIT 1`,
            [id, id.split(":")[0]],
          );
    return row ? toStored(row) : undefined;
  }

  async referencing(id: string, opts: { versionId?: number } = {}): Promise<StoredEntity[]> {
    const versionId = opts.versionId ?? (await this.getEntity(id))?.versionId;
    if (versionId === undefined) return [];
    const rows = await this.query<EntityRow>(
      `${ENTITY_QUERY} JOIN version_ref r ON r.version_id = ve.version_id AND r.entity_id = ve.entity_id
       WHERE r.version_id = $1 AND r.target = $2 ORDER BY ve.entity_id`,
      [versionId, id],
    );
    return rows.map(toStored);
  }

  /** Streams in pages by id (keyset), so a large version never sits in memory whole. */
  async *entities(dataset: string, opts: { versionId?: number } = {}): AsyncIterable<StoredEntity> {
    const versionId = opts.versionId ?? (await this.currentVersion(dataset))?.id;
    if (versionId === undefined) return;
    let after = "";
    for (;;) {
      const rows = await this.query<EntityRow>(
        `${ENTITY_QUERY} WHERE ve.version_id = $1 AND ve.entity_id > $2 ORDER BY ve.entity_id LIMIT ${PAGE}`,
        [versionId, after],
      );
      for (const row of rows) yield toStored(row);
      if (rows.length < PAGE) return;
      after = rows[rows.length - 1]?.entity_id ?? after;
    }
  }

  async *diff(fromVersionId: number, toVersionId: number): AsyncIterable<Change> {
    let after = "";
    for (;;) {
      const rows = await this.query<Change>(
        `SELECT coalesce(b.entity_id, a.entity_id) AS id, coalesce(b.schema, a.schema) AS schema,
           CASE WHEN a.entity_id IS NULL THEN 'added' WHEN b.entity_id IS NULL THEN 'removed' ELSE 'changed' END AS change
         FROM (SELECT * FROM version_entity WHERE version_id = $1) a
         FULL OUTER JOIN (SELECT * FROM version_entity WHERE version_id = $2) b ON a.entity_id = b.entity_id
         WHERE (a.entity_id IS NULL OR b.entity_id IS NULL OR a.content != b.content)
           AND coalesce(b.entity_id, a.entity_id) > $3
         ORDER BY 1 LIMIT ${PAGE}`,
        [fromVersionId, toVersionId, after],
      );
      yield* rows;
      if (rows.length < PAGE) return;
      after = rows[rows.length - 1]?.id ?? after;
    }
  }

  async issues(versionId: number, opts: { limit?: number } = {}): Promise<Issue[]> {
    const rows = await this.query<Record<string, unknown>>(
      "SELECT * FROM version_issue WHERE version_id = $1 ORDER BY seq LIMIT $2",
      [versionId, opts.limit ?? null],
    );
    return rows.map((r) => {
      const issue: Issue = { code: String(r.code), message: String(r.message) };
      if (r.file != null) issue.file = String(r.file);
      if (r.line != null) issue.line = Number(r.line);
      if (r.record != null) issue.record = String(r.record);
      if (r.field != null) issue.field = String(r.field);
      return issue;
    });
  }

  /**
   * Calls `onVersion` for every version made current by any process on this database and
   * schema, until the returned function is called.
   */
  async listenVersions(
    onVersion: (v: { dataset: string; id: number }) => void,
  ): Promise<() => Promise<void>> {
    await this.ready;
    const client = await this.connect();
    client.on("notification", (msg) => {
      if (msg.channel !== VERSION_CHANNEL || !msg.payload) return;
      const p = JSON.parse(msg.payload) as { schema: string; dataset: string; id: number };
      if (p.schema === this.schema) onVersion({ dataset: p.dataset, id: p.id });
    });
    await client.query(`LISTEN ${VERSION_CHANNEL}`);
    return async () => {
      await client.end().catch(() => {});
    };
  }

  async close(): Promise<void> {
    await this.ready.catch(() => {});
    // A writer never finished (its process is shutting down) fails its version by closing.
    await Promise.all([...this.writers].map((w) => w.release()));
    await this.pool.end();
  }
}

/** Marks a version failed and drops its rows (its blobs stay: other versions may share them). */
async function discard(client: pg.ClientBase, id: number, reason: string): Promise<void> {
  await client.query("BEGIN");
  try {
    await client.query("DELETE FROM version_entity WHERE version_id = $1", [id]);
    await client.query("DELETE FROM version_ref WHERE version_id = $1", [id]);
    const { rows } = await client.query<{ meta: string }>("SELECT meta FROM list_version WHERE id = $1", [
      id,
    ]);
    const meta = { ...JSON.parse(rows[0]?.meta ?? "{}"), error: reason };
    await client.query(
      "UPDATE list_version SET status = 'failed', entity_count = 0, meta = $2 WHERE id = $1",
      [id, JSON.stringify(meta)],
    );
    await client.query("COMMIT");
  } catch (e) {
    await client.query("ROLLBACK").catch(() => {});
    throw e;
  }
}

async function copyIn(client: pg.Client, table: string, lines: string[]): Promise<void> {
  if (lines.length === 0) return;
  const stream = client.query(copyStreams.from(`COPY ${table} FROM STDIN`));
  await pipeline(
    (async function* () {
      // A few hundred rows per chunk: fewer writes than one per row, no giant string.
      for (let i = 0; i < lines.length; i += 500) yield lines.slice(i, i + 500).join("");
    })(),
    stream,
  );
}

class PostgresVersionWriter implements VersionWriter {
  private pending = new Map<string, { entity: Entity; replace: boolean }>();
  private issuesPending: string[] = [];
  private issueSeq = 0;
  private done = false;
  private closed = false;

  private constructor(
    private readonly store: PostgresStore,
    private readonly client: pg.Client,
    readonly id: number,
    private readonly dataset: string,
    private readonly parentId: number | undefined,
    private readonly now: string,
  ) {}

  static async start(
    store: PostgresStore,
    client: pg.Client,
    dataset: string,
    info: VersionInfo,
  ): Promise<PostgresVersionWriter> {
    const now = new Date().toISOString();
    await client.query("BEGIN");
    await client.query("INSERT INTO dataset (name) VALUES ($1) ON CONFLICT DO NOTHING", [dataset]);
    const parent = await client.query<{ id: number | null }>(
      "SELECT current_version AS id FROM dataset WHERE name = $1",
      [dataset],
    );
    const parentId = parent.rows[0]?.id ?? undefined;
    const { rows } = await client.query<{ id: number }>(
      `INSERT INTO list_version (dataset, version, status, created_at, parent_id, meta)
       VALUES ($1, $2, 'staging', $3, $4, $5) RETURNING id`,
      [dataset, info.version, now, parentId ?? null, JSON.stringify({ ...info.meta })],
    );
    const id = rows[0]?.id as number;
    // Taken before the row is visible, so recovery never sees this version unlocked.
    await client.query(`SELECT pg_advisory_lock(${LOCK}, $1)`, [id]);
    await client.query("COMMIT");
    await client.query(
      `CREATE TEMP TABLE tmp_blob (hash TEXT, data TEXT, source TEXT);
       CREATE TEMP TABLE tmp_row (entity_id TEXT COLLATE "C", schema TEXT, blob TEXT, content TEXT, replace BOOLEAN);
       CREATE TEMP TABLE tmp_ref (target TEXT, entity_id TEXT)`,
    );
    if (info.baseVersionId !== undefined) {
      await client.query(
        `INSERT INTO version_entity (version_id, entity_id, schema, blob, content, first_seen, last_change)
         SELECT $1, entity_id, schema, blob, content, first_seen, last_change FROM version_entity WHERE version_id = $2`,
        [id, info.baseVersionId],
      );
      await client.query(
        "INSERT INTO version_ref (version_id, target, entity_id) SELECT $1, target, entity_id FROM version_ref WHERE version_id = $2",
        [id, info.baseVersionId],
      );
    }
    return new PostgresVersionWriter(store, client, id, dataset, parentId, now);
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
    if (this.pending.size >= BATCH) await this.flush();
  }

  async delete(id: string): Promise<boolean> {
    this.check();
    await this.flush();
    await this.client.query("DELETE FROM version_ref WHERE version_id = $1 AND entity_id = $2", [
      this.id,
      id,
    ]);
    const r = await this.client.query("DELETE FROM version_entity WHERE version_id = $1 AND entity_id = $2", [
      this.id,
      id,
    ]);
    return (r.rowCount ?? 0) > 0;
  }

  async issue(issue: Issue): Promise<void> {
    this.check();
    this.issuesPending.push(
      copyRow([
        this.id,
        ++this.issueSeq,
        issue.code,
        issue.message,
        issue.file,
        issue.line,
        issue.record,
        issue.field,
      ]),
    );
    if (this.issuesPending.length >= BATCH) await this.flush();
  }

  private async flush(): Promise<void> {
    const client = this.client;
    if (this.issuesPending.length > 0) {
      const lines = this.issuesPending;
      this.issuesPending = [];
      await copyIn(
        client,
        "version_issue (version_id, seq, code, message, file, line, record, field)",
        lines,
      );
    }
    if (this.pending.size === 0) return;
    const batch = [...this.pending.values()];
    this.pending.clear();
    // The same id earlier in this version (outside this batch): merge, as FtM does.
    const merging = batch.filter((b) => !b.replace).map((b) => b.entity.id);
    if (merging.length > 0) {
      const { rows } = await client.query<{ entity_id: string; data: string; source: string | null }>(
        `SELECT ve.entity_id, b.data, b.source FROM version_entity ve JOIN entity_blob b ON b.hash = ve.blob
         WHERE ve.version_id = $1 AND ve.entity_id = ANY($2)`,
        [this.id, merging],
      );
      const stored = new Map(rows.map((r) => [r.entity_id, r]));
      for (const b of batch) {
        const s = !b.replace && stored.get(b.entity.id);
        if (!s) continue;
        const before = fromFtm(JSON.parse(s.data));
        if (s.source != null) before.source = JSON.parse(s.source);
        b.entity = merge(before, b.entity);
      }
    }
    const blobs: string[] = [];
    const rowLines: string[] = [];
    const refs: string[] = [];
    for (const { entity, replace } of batch) {
      const { data, source } = encode(entity);
      const content = sha1(data);
      const blob = source === null ? content : sha1(`${data}\u0000${source}`);
      blobs.push(copyRow([blob, data, source]));
      rowLines.push(copyRow([entity.id, entity.schema, blob, content, replace ? "t" : "f"]));
      const schema = getSchema(entity.schema);
      for (const [prop, values] of Object.entries(entity.properties)) {
        if (schema?.properties.get(prop)?.type !== "entity") continue;
        for (const target of values) refs.push(copyRow([target, entity.id]));
      }
    }
    await client.query("BEGIN");
    try {
      await client.query("TRUNCATE tmp_blob, tmp_row, tmp_ref");
      await copyIn(client, "tmp_blob", blobs);
      await copyIn(client, "tmp_row", rowLines);
      await copyIn(client, "tmp_ref", refs);
      await client.query(
        `INSERT INTO entity_blob (hash, data, source)
         SELECT DISTINCT ON (hash) hash, data, source FROM tmp_blob ON CONFLICT DO NOTHING`,
      );
      // first_seen and last_change carry over from the parent version when the content is the same.
      await client.query(
        `INSERT INTO version_entity (version_id, entity_id, schema, blob, content, first_seen, last_change)
         SELECT $1, t.entity_id, t.schema, t.blob, t.content, coalesce(p.first_seen, $3),
           CASE WHEN p.content = t.content THEN p.last_change ELSE $3 END
         FROM tmp_row t LEFT JOIN version_entity p ON p.version_id = $2 AND p.entity_id = t.entity_id
         ON CONFLICT (version_id, entity_id) DO UPDATE SET schema = excluded.schema, blob = excluded.blob,
           content = excluded.content, first_seen = excluded.first_seen, last_change = excluded.last_change`,
        [this.id, this.parentId ?? null, this.now],
      );
      await client.query(
        `DELETE FROM version_ref r USING tmp_row t
         WHERE t.replace AND r.version_id = $1 AND r.entity_id = t.entity_id`,
        [this.id],
      );
      await client.query(
        "INSERT INTO version_ref (version_id, target, entity_id) SELECT DISTINCT $1::int, target, entity_id FROM tmp_ref ON CONFLICT DO NOTHING",
        [this.id],
      );
      await client.query("COMMIT");
    } catch (e) {
      await client.query("ROLLBACK").catch(() => {});
      throw e;
    }
  }

  private async diffSummary(): Promise<DiffSummary> {
    const count = async (v: number): Promise<number> =>
      (
        await this.client.query<{ n: number }>(
          "SELECT count(*)::int AS n FROM version_entity WHERE version_id = $1",
          [v],
        )
      ).rows[0]?.n ?? 0;
    const after = await count(this.id);
    if (this.parentId === undefined)
      return { added: after, removed: 0, changed: 0, unchanged: 0, before: 0, after };
    const before = await count(this.parentId);
    const { rows } = await this.client.query<{ common: number; same: number }>(
      `SELECT count(*)::int AS common, count(*) FILTER (WHERE a.content = b.content)::int AS same
       FROM version_entity a JOIN version_entity b ON a.entity_id = b.entity_id
       WHERE a.version_id = $1 AND b.version_id = $2`,
      [this.parentId, this.id],
    );
    const common = rows[0]?.common ?? 0;
    const same = rows[0]?.same ?? 0;
    return {
      added: after - common,
      removed: before - common,
      changed: common - same,
      unchanged: same,
      before,
      after,
    };
  }

  async summary(): Promise<DiffSummary> {
    await this.flush();
    return this.diffSummary();
  }

  private async finish(status: "current" | "held", extraMeta: Record<string, unknown>): Promise<ListVersion> {
    const client = this.client;
    await client.query("BEGIN");
    try {
      // Two versions of one dataset finishing at once: one waits for the other.
      await client.query("SELECT 1 FROM dataset WHERE name = $1 FOR UPDATE", [this.dataset]);
      const counts = Object.fromEntries(
        (
          await client.query<{ schema: string; n: number }>(
            "SELECT schema, count(*)::int AS n FROM version_entity WHERE version_id = $1 GROUP BY schema ORDER BY schema",
            [this.id],
          )
        ).rows.map((r) => [r.schema, r.n]),
      );
      const total = Object.values(counts).reduce((a, b) => a + b, 0);
      const { rows } = await client.query<{ meta: string }>("SELECT meta FROM list_version WHERE id = $1", [
        this.id,
      ]);
      const issueCount = this.issueSeq;
      await client.query(
        "UPDATE list_version SET status = $2, entity_count = $3, counts = $4, meta = $5, issue_count = $6 WHERE id = $1",
        [
          this.id,
          status,
          total,
          JSON.stringify(counts),
          JSON.stringify({ ...JSON.parse(rows[0]?.meta ?? "{}"), ...extraMeta }),
          issueCount,
        ],
      );
      if (status === "current") {
        await client.query(
          "UPDATE list_version SET status = 'superseded' WHERE dataset = $1 AND status = 'current' AND id != $2",
          [this.dataset, this.id],
        );
        await client.query("UPDATE dataset SET current_version = $2 WHERE name = $1", [
          this.dataset,
          this.id,
        ]);
        await client.query("SELECT pg_notify($1, $2)", [
          VERSION_CHANNEL,
          JSON.stringify({ schema: this.store.schema, dataset: this.dataset, id: this.id }),
        ]);
      }
      const v = await client.query<VersionRow>("SELECT * FROM list_version WHERE id = $1", [this.id]);
      await client.query("COMMIT");
      return toVersion(v.rows[0] as VersionRow);
    } catch (e) {
      await client.query("ROLLBACK").catch(() => {});
      throw e;
    }
  }

  async commit(): Promise<ListVersion> {
    this.check();
    await this.flush();
    const summary = await this.diffSummary();
    this.done = true;
    try {
      return await this.finish("current", { summary });
    } finally {
      await this.release();
    }
  }

  async hold(reason: string): Promise<ListVersion> {
    this.check();
    await this.flush();
    const summary = await this.diffSummary();
    this.done = true;
    try {
      return await this.finish("held", { summary, held: reason });
    } finally {
      await this.release();
    }
  }

  async abort(reason: string): Promise<void> {
    if (this.done) return;
    this.done = true;
    this.pending.clear();
    this.issuesPending = [];
    try {
      await discard(this.client, this.id, reason);
    } finally {
      await this.release();
    }
  }

  /** Ends the writer's connection (and with it its lock). */
  async release(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.store.released(this);
    await this.client.end().catch(() => {});
  }
}
