// The designation registry on PostgreSQL, for replicas sharing one database: the same tables,
// rules (shared from registry.ts) and audit entries as the SQLite Registry, asynchronous, with
// every statement in `PG` below. What SQLite's single writer gave for free is one transaction
// per step here: it locks the case's row (FOR UPDATE) before reading it, writes the case, its
// history events and their audit entries (PgAuditLog.appendIn, head row taken last) and commits
// them together. Two replicas approving one proposal at once queue on the case's row: the
// second finds it approved and is refused. Case, petition and request numbers come from
// sequences, so two replicas creating cases at once get distinct ids (a rolled-back step leaves
// a gap). A publication runs under a session advisory lock, one replica at a time.

import type pg from "pg";
import { auditTrailOf, PgAuditLog } from "../audit/log-pg.js";
import { InterdictError } from "../errors.js";
import { captionOf, type Entity } from "../model/entity.js";
import type { PostgresStore, Query } from "../store/postgres.js";
import type { OwnershipEdge } from "./ownership.js";
import {
  answered,
  approving,
  auditEntryOf,
  type CaseDoc,
  type CaseEvent,
  type CaseFile,
  type CaseInput,
  type CaseStatus,
  type CongressionalRequest,
  caseIdOf,
  checkRequest,
  decided,
  delisting,
  docOf,
  type EvidenceInput,
  type EvidenceItem,
  editedDoc,
  evidenceDetail,
  neverDesignated,
  newCase,
  newEvidence,
  newParty,
  newPetition,
  newRequest,
  notFound,
  type Petition,
  petitionIdOf,
  proposing,
  type RegistryBook,
  type RegistryOptions,
  requestIdOf,
  requireEvidenceAllowed,
  requireUser,
  resolveEntityId,
  returnedDoc,
  type StoredEdge,
  type Transition,
  transitionDetail,
  withLetter,
} from "./registry.js";

// The SQLite tables (registry.ts) in PostgreSQL's types, with sequences for the numbered ids.
const PG = {
  migrations: [
    `CREATE SEQUENCE registry_case_seq;
     CREATE TABLE registry_case (
       id TEXT COLLATE "C" PRIMARY KEY, seq INTEGER NOT NULL UNIQUE, status TEXT NOT NULL, doc TEXT NOT NULL);
     CREATE TABLE registry_evidence (
       id SERIAL PRIMARY KEY, case_id TEXT COLLATE "C" NOT NULL REFERENCES registry_case(id), doc TEXT NOT NULL);
     CREATE INDEX registry_evidence_case ON registry_evidence (case_id, id);
     CREATE TABLE registry_file (sha256 TEXT PRIMARY KEY, name TEXT NOT NULL, bytes BYTEA NOT NULL);
     CREATE TABLE registry_event (
       seq SERIAL PRIMARY KEY, case_id TEXT COLLATE "C", at TEXT NOT NULL, actor TEXT NOT NULL,
       action TEXT NOT NULL, detail TEXT NOT NULL);
     CREATE INDEX registry_event_case ON registry_event (case_id, seq);
     CREATE SEQUENCE registry_petition_seq;
     CREATE TABLE registry_petition (
       id TEXT COLLATE "C" PRIMARY KEY, case_id TEXT COLLATE "C" NOT NULL, doc TEXT NOT NULL);
     CREATE SEQUENCE registry_request_seq;
     CREATE TABLE registry_request (id TEXT COLLATE "C" PRIMARY KEY, doc TEXT NOT NULL);
     CREATE TABLE registry_party (id TEXT COLLATE "C" PRIMARY KEY, doc TEXT NOT NULL);
     CREATE TABLE registry_ownership (
       id SERIAL PRIMARY KEY, owner TEXT NOT NULL, asset TEXT NOT NULL, percentage DOUBLE PRECISION NOT NULL,
       kind TEXT NOT NULL, source TEXT, added_by TEXT NOT NULL, added_at TEXT NOT NULL);`,
  ],
  nextCase: "SELECT nextval('registry_case_seq')::int AS n",
  nextPetition: "SELECT nextval('registry_petition_seq')::int AS n",
  nextRequest: "SELECT nextval('registry_request_seq')::int AS n",
  insertCase: "INSERT INTO registry_case (id, seq, status, doc) VALUES ($1, $2, 'draft', $3)",
  caseRow: "SELECT id, status, doc FROM registry_case WHERE id = $1",
  lockCase: "SELECT id, status, doc FROM registry_case WHERE id = $1 FOR UPDATE",
  cases: `SELECT c.id, c.status, c.doc,
      coalesce((SELECT json_agg(json_build_object('id', e.id, 'doc', e.doc) ORDER BY e.id)
                FROM registry_evidence e WHERE e.case_id = c.id), '[]') AS evidence
    FROM registry_case c WHERE ($1::text IS NULL OR c.status = $1) ORDER BY c.seq`,
  evidence: "SELECT id, doc FROM registry_evidence WHERE case_id = $1 ORDER BY id",
  saveCase: "UPDATE registry_case SET status = $2, doc = $3 WHERE id = $1",
  insertFile:
    "INSERT INTO registry_file (sha256, name, bytes) VALUES ($1, $2, $3) ON CONFLICT (sha256) DO NOTHING",
  file: "SELECT name, bytes FROM registry_file WHERE sha256 = $1",
  insertEvidence: "INSERT INTO registry_evidence (case_id, doc) VALUES ($1, $2) RETURNING id",
  insertEvent: `INSERT INTO registry_event (case_id, at, actor, action, detail) VALUES ($1, $2, $3, $4, $5)
    RETURNING seq`,
  history: "SELECT seq, case_id, at, actor, action, detail FROM registry_event ORDER BY seq",
  caseHistory:
    "SELECT seq, case_id, at, actor, action, detail FROM registry_event WHERE case_id = $1 ORDER BY seq",
  insertPetition: "INSERT INTO registry_petition (id, case_id, doc) VALUES ($1, $2, $3)",
  petition: "SELECT doc FROM registry_petition WHERE id = $1",
  lockPetition: "SELECT doc FROM registry_petition WHERE id = $1 FOR UPDATE",
  savePetition: "UPDATE registry_petition SET doc = $2 WHERE id = $1",
  petitions: "SELECT doc FROM registry_petition ORDER BY id",
  casePetitions: "SELECT doc FROM registry_petition WHERE case_id = $1 ORDER BY id",
  insertRequest: "INSERT INTO registry_request (id, doc) VALUES ($1, $2)",
  lockRequest: "SELECT doc FROM registry_request WHERE id = $1 FOR UPDATE",
  saveRequest: "UPDATE registry_request SET doc = $2 WHERE id = $1",
  requests: "SELECT doc FROM registry_request ORDER BY id",
  upsertParty:
    "INSERT INTO registry_party (id, doc) VALUES ($1, $2) ON CONFLICT (id) DO UPDATE SET doc = excluded.doc",
  parties: "SELECT doc FROM registry_party ORDER BY id",
  insertEdge: `INSERT INTO registry_ownership (owner, asset, percentage, kind, source, added_by, added_at)
    VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id`,
  deleteEdge: "DELETE FROM registry_ownership WHERE id = $1",
  edges: "SELECT * FROM registry_ownership ORDER BY id",
  /** One publication at a time per schema (a session lock held across the version's writing). */
  lockPublishing: "SELECT pg_advisory_lock(hashtext(current_schema()), hashtext('registry_publish'))",
  unlockPublishing: "SELECT pg_advisory_unlock(hashtext(current_schema()), hashtext('registry_publish'))",
} as const;

interface CaseRow {
  id: string;
  status: CaseStatus;
  doc: string;
}

/** One step's transaction: its queries, and the history events it records (audited at commit). */
interface Tx {
  readonly q: Query;
  record(
    caseId: string | null,
    actor: string,
    action: string,
    detail?: Record<string, unknown>,
  ): Promise<void>;
}

const evidenceItem = (r: { id: number; doc: string }): EvidenceItem =>
  ({ id: r.id, ...JSON.parse(r.doc) }) as EvidenceItem;
const caseOf = (row: CaseRow, evidence: readonly { id: number; doc: string }[]): CaseFile => ({
  id: row.id,
  status: row.status,
  ...(JSON.parse(row.doc) as CaseDoc),
  evidence: evidence.map(evidenceItem),
});

export class PgRegistry implements RegistryBook {
  private readonly ready: Promise<void>;
  private readonly log: PgAuditLog;
  private readonly now: () => Date;

  constructor(
    readonly store: PostgresStore,
    opts: Omit<RegistryOptions, "onEvent"> = {},
  ) {
    const log = auditTrailOf(store);
    if (!(log instanceof PgAuditLog)) throw new InterdictError("INTERDICT_E_USAGE", "not a PostgreSQL store");
    this.log = log;
    this.now = opts.now ?? (() => new Date());
    this.ready = store.migrate("registry", PG.migrations);
    this.ready.catch(() => {}); // reported by the first call
  }

  clock(): string {
    return this.now().toISOString();
  }

  private async q<R>(text: string, values: unknown[] = []): Promise<R[]> {
    await this.ready;
    return (await this.store.query(text, values)) as R[];
  }

  /**
   * Runs one step in one transaction: `fn`'s reads (rows it locks) and writes, then the audit
   * entries of the events it recorded (the log's head row taken last), committed together.
   */
  private async tx<T>(fn: (t: Tx) => Promise<T>): Promise<T> {
    await this.ready;
    return this.store.transaction(async (q) => {
      const events: CaseEvent[] = [];
      const record: Tx["record"] = async (caseId, actor, action, detail = {}) => {
        const at = this.clock();
        const [row] = await q<{ seq: number }>(PG.insertEvent, [
          caseId,
          at,
          actor,
          action,
          JSON.stringify(detail),
        ]);
        events.push({ seq: row?.seq ?? 0, case_id: caseId, at, actor, action, detail });
      };
      const out = await fn({ q, record });
      if (events.length) {
        await this.log.appendIn(
          q,
          events.map((e) => ({ actor: e.actor, ...auditEntryOf(e), listVersions: [], at: e.at })),
        );
      }
      return out;
    });
  }

  /** A case read in a transaction, its row locked until the step commits. */
  private async lockCase(q: Query, id: string): Promise<CaseFile> {
    const [row] = await q<CaseRow>(PG.lockCase, [id.trim().toUpperCase()]);
    if (!row) throw notFound("designation case", id);
    return caseOf(row, await q<{ id: number; doc: string }>(PG.evidence, [row.id]));
  }

  private async save(q: Query, id: string, status: CaseStatus, doc: CaseDoc): Promise<void> {
    await q(PG.saveCase, [id, status, JSON.stringify(doc)]);
  }

  // ---------------------------------------------------------------------------- case files

  async create(raw: CaseInput, user: string): Promise<CaseFile> {
    const at = this.clock();
    const made = newCase(raw, user, at);
    // Every evidence item checked before a number is taken.
    const items = (raw.evidence ?? []).map((ev, i) => newEvidence(ev, user, `evidence[${i}]`, at));
    const id = await this.tx(async ({ q, record }) => {
      const [n] = await q<{ n: number }>(PG.nextCase);
      const seq = n?.n ?? 0;
      const id = caseIdOf(seq);
      await q(PG.insertCase, [id, seq, JSON.stringify(made.doc(id))]);
      await record(id, user, "created", made.created);
      for (const e of items) await this.insertEvidence(q, record, id, e, user);
      return id;
    });
    return this.get(id);
  }

  async get(id: string): Promise<CaseFile> {
    const [row] = await this.q<CaseRow>(PG.caseRow, [id.trim().toUpperCase()]);
    if (!row) throw notFound("designation case", id);
    return caseOf(row, await this.q<{ id: number; doc: string }>(PG.evidence, [row.id]));
  }

  async list(filter: { status?: CaseStatus } = {}): Promise<CaseFile[]> {
    const rows = await this.q<CaseRow & { evidence: { id: number; doc: string }[] }>(PG.cases, [
      filter.status ?? null,
    ]);
    return rows.map((r) => caseOf(r, r.evidence));
  }

  async update(id: string, patch: Partial<CaseInput>, user: string): Promise<CaseFile> {
    const caseId = await this.tx(async ({ q, record }) => {
      const c = await this.lockCase(q, id);
      await this.save(q, c.id, c.status, editedDoc(c, patch));
      await record(c.id, user, "edited", { fields: Object.keys(patch) });
      return c.id;
    });
    return this.get(caseId);
  }

  async addEvidence(id: string, ev: EvidenceInput, user: string): Promise<CaseFile> {
    const caseId = await this.tx(async ({ q, record }) => {
      const c = await this.lockCase(q, id);
      requireEvidenceAllowed(c);
      await this.insertEvidence(q, record, c.id, newEvidence(ev, user, "evidence", this.clock()), user);
      return c.id;
    });
    return this.get(caseId);
  }

  async file(sha256: string): Promise<{ name: string; bytes: Buffer } | undefined> {
    const [row] = await this.q<{ name: string; bytes: Buffer }>(PG.file, [sha256.toLowerCase()]);
    return row;
  }

  private async insertEvidence(
    q: Query,
    record: Tx["record"],
    caseId: string,
    e: ReturnType<typeof newEvidence>,
    user: string,
  ): Promise<void> {
    if (e.file) await q(PG.insertFile, [e.file.sha256, e.file.name, e.file.bytes]);
    const [row] = await q<{ id: number }>(PG.insertEvidence, [caseId, JSON.stringify(e.item)]);
    await record(caseId, user, "evidence_added", evidenceDetail(row?.id ?? 0, e));
  }

  // ---------------------------------------------------------------------------- workflow

  /** A transition checked on the case as it is under its row lock. */
  private async transition(
    id: string,
    user: string,
    rule: (c: CaseFile, at: string) => Transition,
  ): Promise<CaseFile> {
    requireUser(user);
    const caseId = await this.tx(async ({ q, record }) => {
      const c = await this.lockCase(q, id);
      await this.transitionIn(q, record, c, rule(c, this.clock()), user);
      return c.id;
    });
    return this.get(caseId);
  }

  private async transitionIn(q: Query, record: Tx["record"], c: CaseFile, t: Transition, user: string) {
    await this.save(q, c.id, t.status, { ...docOf(c), ...t.patch });
    await record(c.id, user, t.status, transitionDetail(c.status, t));
  }

  async propose(id: string, user: string): Promise<CaseFile> {
    return this.transition(id, user, (c, at) => proposing(c, user, at));
  }

  /** Four eyes: the approver is not the proposer; two approvals at once queue on the case's row. */
  async approve(id: string, user: string): Promise<CaseFile> {
    return this.transition(id, user, (c, at) => approving(c, user, at));
  }

  async returnToDraft(id: string, user: string, reason: string): Promise<CaseFile> {
    requireUser(user);
    const caseId = await this.tx(async ({ q, record }) => {
      const c = await this.lockCase(q, id);
      await this.save(q, c.id, "draft", returnedDoc(c, user));
      await record(c.id, user, "returned", { reason });
      return c.id;
    });
    return this.get(caseId);
  }

  async delist(
    id: string,
    user: string,
    ground: string,
    opts: { effective?: string; petition?: string } = {},
  ): Promise<CaseFile> {
    requireUser(user);
    if (!ground?.trim())
      throw new InterdictError("INTERDICT_E_INPUT", "a delisting needs a ground", { field: "ground" });
    return this.transition(id, user, (c, at) => delisting(c, user, ground, opts, at));
  }

  async markPublished(
    listed: readonly string[],
    removed: readonly string[],
    version: string,
    user: string,
    publication?: Record<string, unknown>,
  ): Promise<void> {
    const at = this.clock();
    await this.tx(async ({ q, record }) => {
      for (const id of listed) {
        const c = await this.lockCase(q, id);
        if (c.status !== "approved") continue;
        await this.save(q, c.id, "published", { ...docOf(c), listed_at: at, listed_version: version });
        await record(c.id, user, "published", { version });
      }
      for (const id of removed) {
        const c = await this.lockCase(q, id);
        if (!c.delisting || c.delisting.removed_at) continue;
        await this.save(q, c.id, "delisted", {
          ...docOf(c),
          delisting: { ...c.delisting, removed_at: at, removed_version: version },
        });
        await record(c.id, user, "removed", { version });
      }
      if (publication) await record(null, user, "publication", publication);
    });
  }

  /**
   * One publication at a time on the schema: a session advisory lock held while `fn` runs, on a
   * connection of its own (not the pool's, which `fn` needs; a process that dies drops it).
   */
  async publishing<T>(fn: () => Promise<T>): Promise<T> {
    await this.ready;
    const client: pg.Client = await this.store.connect();
    try {
      await client.query(PG.lockPublishing);
      try {
        return await fn();
      } finally {
        await client.query(PG.unlockPublishing);
      }
    } finally {
      await client.end();
    }
  }

  async history(caseId?: string): Promise<CaseEvent[]> {
    const rows = caseId
      ? await this.q<Omit<CaseEvent, "detail"> & { detail: string }>(PG.caseHistory, [
          (await this.get(caseId)).id,
        ])
      : await this.q<Omit<CaseEvent, "detail"> & { detail: string }>(PG.history);
    return rows.map((r) => ({ ...r, detail: JSON.parse(r.detail) as Record<string, unknown> }));
  }

  // ---------------------------------------------------------------------------- petitions

  async petition(
    caseOrEntity: string,
    p: { petitioner: string; grounds: string[]; statement: string },
    user: string,
  ): Promise<Petition> {
    requireUser(user);
    return this.tx(async ({ q, record }) => {
      let c: CaseFile;
      try {
        c = await this.lockCase(q, caseOrEntity.replace(/^registry:/i, ""));
      } catch {
        throw neverDesignated(caseOrEntity);
      }
      const make = newPetition(c, p, user, this.clock());
      const [n] = await q<{ n: number }>(PG.nextPetition);
      const pet = make(petitionIdOf(n?.n ?? 0));
      await q(PG.insertPetition, [pet.id, c.id, JSON.stringify(pet)]);
      await record(c.id, user, "petition_filed", { petition: pet.id, grounds: pet.grounds });
      return pet;
    });
  }

  async getPetition(id: string): Promise<Petition> {
    const [row] = await this.q<{ doc: string }>(PG.petition, [id.trim().toUpperCase()]);
    if (!row) throw notFound("petition", id);
    return JSON.parse(row.doc) as Petition;
  }

  private async lockPetition(q: Query, id: string): Promise<Petition> {
    const [row] = await q<{ doc: string }>(PG.lockPetition, [id.trim().toUpperCase()]);
    if (!row) throw notFound("petition", id);
    return JSON.parse(row.doc) as Petition;
  }

  async petitions(caseId?: string): Promise<Petition[]> {
    const rows = caseId
      ? await this.q<{ doc: string }>(PG.casePetitions, [caseId])
      : await this.q<{ doc: string }>(PG.petitions);
    return rows.map((r) => JSON.parse(r.doc) as Petition);
  }

  async correspond(
    petitionId: string,
    direction: "in" | "out",
    text: string,
    user: string,
  ): Promise<Petition> {
    return this.tx(async ({ q, record }) => {
      const p = await this.lockPetition(q, petitionId);
      const next = withLetter(p, direction, text, user, this.clock());
      await q(PG.savePetition, [p.id, JSON.stringify(next)]);
      await record(p.case_id, user, "petition_correspondence", { petition: p.id, direction });
      return next;
    });
  }

  /** The decision in writing; granting delists the designation in the same transaction. */
  async decidePetition(
    petitionId: string,
    decision: "granted" | "denied",
    reasons: string,
    user: string,
    opts: { effective?: string } = {},
  ): Promise<Petition> {
    requireUser(user);
    return this.tx(async ({ q, record }) => {
      const p = await this.lockPetition(q, petitionId);
      const next = decided(p, decision, reasons, user, this.clock());
      await q(PG.savePetition, [p.id, JSON.stringify(next)]);
      await record(p.case_id, user, `petition_${decision}`, { petition: p.id });
      if (decision === "granted") {
        const c = await this.lockCase(q, p.case_id);
        const ground = `petition ${p.id} granted: ${p.grounds.join(", ")}`;
        await this.transitionIn(
          q,
          record,
          c,
          delisting(c, user, ground, { ...opts, petition: p.id }, this.clock()),
          user,
        );
      }
      return next;
    });
  }

  // ---------------------------------------------------------------------------- congressional requests

  async request(
    r: { committee: string; about: string; case_id?: string; received_at?: string; days?: number },
    user: string,
  ): Promise<CongressionalRequest> {
    checkRequest(r, user);
    return this.tx(async ({ q, record }) => {
      const c = r.case_id ? await this.lockCase(q, r.case_id) : undefined;
      const make = newRequest(r, c, user, this.clock());
      const [n] = await q<{ n: number }>(PG.nextRequest);
      const req = make(requestIdOf(n?.n ?? 0));
      await q(PG.insertRequest, [req.id, JSON.stringify(req)]);
      await record(req.case_id ?? null, user, "request_received", {
        request: req.id,
        committee: req.committee,
        due_at: req.due_at,
      });
      return req;
    });
  }

  async answerRequest(id: string, answer: string, user: string): Promise<CongressionalRequest> {
    return this.tx(async ({ q, record }) => {
      const [row] = await q<{ doc: string }>(PG.lockRequest, [id.trim().toUpperCase()]);
      if (!row) throw notFound("request", id);
      const r = JSON.parse(row.doc) as CongressionalRequest;
      const next = answered(r, answer, this.clock());
      await q(PG.saveRequest, [r.id, JSON.stringify(next)]);
      await record(r.case_id ?? null, user, "request_answered", { request: r.id });
      return next;
    });
  }

  async requests(): Promise<CongressionalRequest[]> {
    return (await this.q<{ doc: string }>(PG.requests)).map((r) => JSON.parse(r.doc) as CongressionalRequest);
  }

  // ---------------------------------------------------------------------------- ownership

  async addParty(raw: unknown, user: string): Promise<Entity> {
    const e = newParty(raw);
    return this.tx(async (t) => {
      await this.partyIn(t, e, user);
      return e;
    });
  }

  private async partyIn({ q, record }: Tx, e: Entity, user: string): Promise<void> {
    await q(PG.upsertParty, [e.id, JSON.stringify(e)]);
    await record(null, user, "party_added", { party: e.id, name: captionOf(e) });
  }

  async parties(): Promise<Entity[]> {
    return (await this.q<{ doc: string }>(PG.parties)).map((r) => JSON.parse(r.doc) as Entity);
  }

  async addEdge(edge: OwnershipEdge, user: string): Promise<StoredEdge> {
    requireUser(user);
    return this.tx((t) => this.edgeIn(t, edge, user));
  }

  private async edgeIn({ q, record }: Tx, edge: OwnershipEdge, user: string): Promise<StoredEdge> {
    const e = { ...edge, owner: resolveEntityId(edge.owner), asset: resolveEntityId(edge.asset) };
    const at = this.clock();
    const [row] = await q<{ id: number }>(PG.insertEdge, [
      e.owner,
      e.asset,
      e.percentage,
      e.kind,
      e.source ?? null,
      user,
      at,
    ]);
    await record(null, user, "ownership_added", {
      owner: e.owner,
      asset: e.asset,
      percentage: e.percentage,
      kind: e.kind,
    });
    return { ...e, id: row?.id ?? 0, added_by: user, added_at: at };
  }

  async removeEdge(id: number, user: string): Promise<void> {
    return this.tx(async ({ q, record }) => {
      const rows = await q<{ id: number }>(`${PG.deleteEdge} RETURNING id`, [id]);
      if (rows.length === 0) throw new InterdictError("INTERDICT_E_NOT_FOUND", `no ownership edge ${id}`);
      await record(null, user, "ownership_removed", { edge: id });
    });
  }

  async edges(): Promise<StoredEdge[]> {
    const rows = await this.q<StoredEdge & { source: string | null }>(PG.edges);
    return rows.map(({ source, ...e }) => ({ ...e, ...(source ? { source } : {}) }));
  }

  async importOwnership(
    items: readonly ({ party: unknown } | { edge: OwnershipEdge })[],
    user: string,
  ): Promise<number> {
    requireUser(user);
    const checked = items.map((item) => ("party" in item ? { party: newParty(item.party) } : item));
    return this.tx(async (t) => {
      let n = 0;
      for (const item of checked) {
        if ("party" in item) await this.partyIn(t, item.party, user);
        else {
          await this.edgeIn(t, item.edge, user);
          n++;
        }
      }
      return n;
    });
  }
}

/** The registry of a PostgreSQL store (one object per store). */
const registries = new WeakMap<PostgresStore, PgRegistry>();
export function pgRegistryOf(store: PostgresStore, opts: Omit<RegistryOptions, "onEvent"> = {}): PgRegistry {
  if (opts.now) return new PgRegistry(store, opts);
  let r = registries.get(store);
  if (!r) registries.set(store, (r = new PgRegistry(store)));
  return r;
}
