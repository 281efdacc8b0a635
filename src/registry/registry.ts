// The designation registry's records: case files, evidence (files kept by SHA-256), the
// workflow draft → proposed → approved → published → delisted with every step in the case's
// history, delisting petitions with their correspondence, congressional requests, and the
// ownership edges and parties the 50 % rule reads. All the SQL is here, in tables of the
// store's own SQLite file (created if missing, never touching the store's tables).

import { createHash } from "node:crypto";
import type Database from "better-sqlite3";
import { InterdictError } from "../errors.js";
import { add, captionOf, type Entity, makeEntity } from "../model/entity.js";
import { getSchema, isA } from "../model/schema.js";
import { findBasis, findCriterion, type MeasureName, requireBasis } from "./bases.js";
import type { OwnershipEdge } from "./ownership.js";

export type CaseStatus = "draft" | "proposed" | "approved" | "published" | "delisted";
export type Classification = "public" | "confidential" | "classified";
export const CLASSIFICATIONS: readonly Classification[] = ["public", "confidential", "classified"];

/** 31 CFR 501.807 grounds for reconsideration, and a catch-all. */
export const PETITION_GROUNDS = {
  insufficient_basis: "insufficient basis for the designation",
  changed_circumstances: "the circumstances resulting in the designation no longer apply",
  remedial_steps: "remedial steps taken (e.g. resignation, cut ties with the conduct)",
  mistaken_identity: "the petitioner is not the person designated",
  other: "other grounds stated in the petition",
} as const;
export type PetitionGround = keyof typeof PETITION_GROUNDS;

export interface EvidenceItem {
  readonly id: number;
  readonly source_type: string;
  readonly date?: string;
  readonly classification: Classification;
  readonly description: string;
  readonly file_name?: string;
  readonly sha256?: string;
  readonly size?: number;
  readonly added_by: string;
  readonly added_at: string;
}

export interface CaseFile {
  readonly id: string;
  readonly status: CaseStatus;
  /** The subject as an FtM entity (names in every script, birth date, nationality, ids, positions). */
  readonly subject: Entity;
  /** Legal basis id from the catalog (bases.ts). */
  readonly authority: string;
  readonly criterion: string;
  readonly standard_of_proof: string;
  readonly statement_of_reasons: string;
  readonly measures: readonly MeasureName[];
  /** A classified annex: enforced in screening, left out of every public export and report. */
  readonly classified: boolean;
  readonly evidence: readonly EvidenceItem[];
  readonly created_by: string;
  readonly created_at: string;
  readonly proposer?: string;
  readonly proposed_at?: string;
  readonly approver?: string;
  readonly approved_at?: string;
  /** First publication that listed it. */
  readonly listed_at?: string;
  readonly listed_version?: string;
  readonly delisting?: {
    readonly ground: string;
    readonly by: string;
    readonly at: string;
    /** When the termination takes effect; the publication removes it from then on. */
    readonly effective: string;
    readonly petition?: string;
    readonly removed_at?: string;
    readonly removed_version?: string;
  };
}

export interface CaseEvent {
  readonly seq: number;
  readonly case_id: string | null;
  readonly at: string;
  readonly actor: string;
  readonly action: string;
  readonly detail: Readonly<Record<string, unknown>>;
}

export interface CaseInput {
  subject: unknown;
  authority: string;
  criterion?: string;
  standard_of_proof?: string;
  statement_of_reasons?: string;
  measures?: string[];
  classified?: boolean;
  evidence?: EvidenceInput[];
}

export interface EvidenceInput {
  source_type: string;
  date?: string;
  classification?: string;
  description?: string;
  /** An attached file's bytes and name (the CLI reads the file). */
  file?: { name: string; bytes: Uint8Array };
}

export interface Petition {
  readonly id: string;
  readonly case_id: string;
  readonly petitioner: string;
  readonly grounds: readonly PetitionGround[];
  readonly statement: string;
  readonly status: "pending" | "granted" | "denied";
  readonly filed_at: string;
  readonly filed_by: string;
  readonly decision?: string;
  readonly decided_by?: string;
  readonly decided_at?: string;
  readonly correspondence: readonly { at: string; direction: "in" | "out"; author: string; text: string }[];
}

export interface CongressionalRequest {
  readonly id: string;
  readonly committee: string;
  readonly about: string;
  readonly case_id?: string;
  readonly received_at: string;
  readonly due_at: string;
  readonly answered_at?: string;
  readonly answer?: string;
}

export interface StoredEdge extends OwnershipEdge {
  readonly id: number;
  readonly added_by: string;
  readonly added_at: string;
}

const SCHEMA_SQL = `
  CREATE TABLE IF NOT EXISTS registry_case (
    id TEXT PRIMARY KEY, seq INTEGER NOT NULL UNIQUE, status TEXT NOT NULL, doc TEXT NOT NULL);
  CREATE TABLE IF NOT EXISTS registry_evidence (
    id INTEGER PRIMARY KEY, case_id TEXT NOT NULL REFERENCES registry_case(id), doc TEXT NOT NULL);
  CREATE TABLE IF NOT EXISTS registry_file (sha256 TEXT PRIMARY KEY, name TEXT NOT NULL, bytes BLOB NOT NULL);
  CREATE TABLE IF NOT EXISTS registry_event (
    seq INTEGER PRIMARY KEY, case_id TEXT, at TEXT NOT NULL, actor TEXT NOT NULL,
    action TEXT NOT NULL, detail TEXT NOT NULL);
  CREATE INDEX IF NOT EXISTS registry_event_case ON registry_event (case_id, seq);
  CREATE TABLE IF NOT EXISTS registry_petition (id TEXT PRIMARY KEY, case_id TEXT NOT NULL, doc TEXT NOT NULL);
  CREATE TABLE IF NOT EXISTS registry_request (id TEXT PRIMARY KEY, doc TEXT NOT NULL);
  CREATE TABLE IF NOT EXISTS registry_party (id TEXT PRIMARY KEY, doc TEXT NOT NULL);
  CREATE TABLE IF NOT EXISTS registry_ownership (
    id INTEGER PRIMARY KEY, owner TEXT NOT NULL, asset TEXT NOT NULL, percentage REAL NOT NULL,
    kind TEXT NOT NULL, source TEXT, added_by TEXT NOT NULL, added_at TEXT NOT NULL);
`;

/** Registry entities are published as `registry:<case id>`; other ids are left alone. */
export const REGISTRY_DATASET = "registry";
export const caseEntityId = (caseId: string): string => `${REGISTRY_DATASET}:${caseId}`;

const TARGET_SCHEMATA = ["Person", "Organization", "Company", "LegalEntity", "Vessel", "Airplane"];
const isoDay = (d: Date): string => d.toISOString().slice(0, 10);
const addDays = (iso: string, days: number): string =>
  isoDay(new Date(Date.parse(iso.slice(0, 10)) + days * 86_400_000));

const input = (message: string, field?: string, record?: string) =>
  new InterdictError("INTERDICT_E_INPUT", message, {
    ...(field ? { field } : {}),
    ...(record ? { record } : {}),
  });

/** The subject as given (FtM JSON) → a clean entity; unknown properties and bad values refused. */
export function cleanSubject(raw: unknown): Entity {
  if (typeof raw !== "object" || raw === null || Array.isArray(raw)) {
    throw input("subject must be an FtM entity: {schema, properties}", "subject");
  }
  const o = raw as { schema?: unknown; properties?: unknown; id?: unknown };
  const schema = typeof o.schema === "string" ? o.schema : "";
  if (!getSchema(schema) || !TARGET_SCHEMATA.some((s) => isA(schema, s))) {
    throw input(
      `subject.schema must be one of ${TARGET_SCHEMATA.join(", ")}, not "${schema}"`,
      "subject.schema",
    );
  }
  const e = makeEntity(schema, typeof o.id === "string" && o.id ? o.id : "subject", REGISTRY_DATASET);
  const props = (o.properties ?? {}) as Record<string, unknown>;
  if (typeof props !== "object" || Array.isArray(props))
    throw input("must be an object", "subject.properties");
  for (const [prop, values] of Object.entries(props)) {
    const field = `subject.properties.${prop}`;
    if (!getSchema(schema)?.properties.has(prop)) throw input(`${schema} has no property ${prop}`, field);
    const list = typeof values === "string" ? [values] : values;
    if (!Array.isArray(list) || !list.every((v) => typeof v === "string")) {
      throw input("must be a list of strings", field);
    }
    const rejected = add(e, prop, list as string[]);
    if (rejected.length)
      throw input(`not a valid value: ${rejected.map((v) => JSON.stringify(v)).join(", ")}`, field);
  }
  return e;
}

/**
 * What a case file still lacks before it can be proposed, approved or published; empty when
 * complete. Each issue names the field.
 */
export function caseIssues(
  c: Pick<
    CaseFile,
    | "subject"
    | "authority"
    | "criterion"
    | "statement_of_reasons"
    | "evidence"
    | "standard_of_proof"
    | "measures"
  >,
): { field: string; message: string }[] {
  const issues: { field: string; message: string }[] = [];
  if (!c.subject.properties.name?.length)
    issues.push({ field: "subject.properties.name", message: "the subject has no name" });
  const basis = findBasis(c.authority);
  if (!basis) issues.push({ field: "authority", message: `unknown legal basis ${c.authority}` });
  else if (!c.criterion || !basis.criteria[c.criterion])
    issues.push({
      field: "criterion",
      message: `no criterion of ${basis.id} (${Object.keys(basis.criteria).join(", ")})`,
    });
  if (!c.statement_of_reasons.trim())
    issues.push({ field: "statement_of_reasons", message: "no statement of reasons" });
  if (!c.standard_of_proof.trim())
    issues.push({ field: "standard_of_proof", message: "no standard of proof" });
  if (c.evidence.length === 0) issues.push({ field: "evidence", message: "no evidence item" });
  if (c.measures.length === 0)
    issues.push({ field: "measures", message: "no measure (travel_ban, asset_freeze)" });
  return issues;
}

export function requireComplete(c: CaseFile, step: string): void {
  const issues = caseIssues(c);
  if (issues.length) {
    throw new InterdictError(
      "INTERDICT_E_INPUT",
      `case ${c.id} is incomplete and cannot be ${step}: ${issues.map((i) => `${i.field}: ${i.message}`).join("; ")}`,
      { record: c.id },
    );
  }
}

function classificationOf(v: string | undefined, field: string): Classification {
  const c = (v ?? "public").trim().toLowerCase();
  if (!CLASSIFICATIONS.includes(c as Classification))
    throw input(`classification must be one of ${CLASSIFICATIONS.join(", ")}`, field);
  return c as Classification;
}

function isoDateOrThrow(v: string | undefined, field: string): string | undefined {
  if (v === undefined || v === "") return undefined;
  if (!/^\d{4}(-\d{2}(-\d{2})?)?$/.test(v) || Number.isNaN(Date.parse(v)))
    throw input(`must be an ISO date (YYYY-MM-DD), not "${v}"`, field);
  return v;
}

// ---------------------------------------------------------------------------- the rules
// What a step checks and what it writes, without SQL: the SQLite Registry below and the
// PostgreSQL one (registry-pg.ts) both take their steps through these.

/** A case file's stored document: everything but its id, status and evidence rows. */
export type CaseDoc = Omit<CaseFile, "id" | "status" | "evidence">;
type Doc = CaseDoc;

/** The case id of the `seq`th case file. */
export const caseIdOf = (seq: number): string => `D-${String(seq).padStart(6, "0")}`;
export const petitionIdOf = (n: number): string => `P-${String(n).padStart(6, "0")}`;
export const requestIdOf = (n: number): string => `R-${String(n).padStart(6, "0")}`;

/**
 * A new case file's input checked (basis, criterion, measures, subject): its document once it
 * has an id, and the detail of its `created` step.
 */
export function newCase(
  raw: CaseInput,
  user: string,
  at: string,
): { doc: (id: string) => CaseDoc; created: Record<string, unknown> } {
  requireUser(user);
  if (typeof raw !== "object" || raw === null) throw input("a case file must be a JSON object");
  const basis = requireBasis(String(raw.authority ?? ""));
  const criterion = raw.criterion ? findCriterion(basis, raw.criterion) : undefined;
  if (raw.criterion && !criterion) {
    throw input(
      `"${raw.criterion}" is not a criterion of ${basis.id} (${Object.keys(basis.criteria).join(", ")})`,
      "criterion",
    );
  }
  const measures = (raw.measures ?? Object.keys(basis.measures)) as MeasureName[];
  for (const m of measures) {
    if (!(m in basis.measures))
      throw input(
        `${basis.id} provides no measure "${m}" (${Object.keys(basis.measures).join(", ")})`,
        "measures",
      );
  }
  const subject = cleanSubject(raw.subject);
  const doc = (id: string): Doc => ({
    subject: { ...subject, id: caseEntityId(id), referents: subject.id === "subject" ? [] : [subject.id] },
    authority: basis.id,
    criterion: criterion ?? "",
    standard_of_proof: raw.standard_of_proof?.trim() || basis.standard_of_proof,
    statement_of_reasons: raw.statement_of_reasons?.trim() ?? "",
    measures: [...new Set(measures)],
    classified: raw.classified === true,
    created_by: user,
    created_at: at,
  });
  return {
    doc,
    created: { authority: basis.id, criterion: criterion ?? "", classified: raw.classified === true },
  };
}

/** An evidence item checked: what is stored, and its file (kept once by SHA-256). */
export interface NewEvidence {
  readonly item: Omit<EvidenceItem, "id">;
  readonly file?: { readonly sha256: string; readonly name: string; readonly bytes: Buffer };
}

export function newEvidence(ev: EvidenceInput, user: string, field: string, at: string): NewEvidence {
  requireUser(user);
  if (typeof ev !== "object" || ev === null) throw input("an evidence item must be an object", field);
  if (typeof ev.source_type !== "string" || !ev.source_type.trim())
    throw input(
      "needs a source_type (report, testimony, open source, intelligence…)",
      `${field}.source_type`,
    );
  const file = ev.file
    ? {
        sha256: createHash("sha256").update(ev.file.bytes).digest("hex"),
        name: ev.file.name,
        bytes: Buffer.from(ev.file.bytes),
      }
    : undefined;
  const date = isoDateOrThrow(ev.date, `${field}.date`);
  const item: Omit<EvidenceItem, "id"> = {
    source_type: ev.source_type.trim(),
    ...(date ? { date } : {}),
    classification: classificationOf(ev.classification, `${field}.classification`),
    description: ev.description?.trim() ?? "",
    ...(file ? { file_name: file.name, sha256: file.sha256, size: file.bytes.byteLength } : {}),
    added_by: user,
    added_at: at,
  };
  return { item, ...(file ? { file } : {}) };
}

/** The detail of an `evidence_added` step. */
export const evidenceDetail = (id: number, e: NewEvidence): Record<string, unknown> => ({
  evidence: id,
  source_type: e.item.source_type,
  classification: e.item.classification,
  ...(e.file ? { sha256: e.file.sha256 } : {}),
});

export function requireEvidenceAllowed(c: CaseFile): void {
  if (c.status === "delisted")
    throw input(`case ${c.id} is delisted: evidence goes to its petition`, undefined, c.id);
}

/** The stored document of a case file. */
export function docOf(c: CaseFile): CaseDoc {
  const { id: _id, status: _status, evidence: _evidence, ...doc } = c;
  return doc;
}

/** A draft's document with `patch` applied; only drafts change. */
export function editedDoc(c: CaseFile, patch: Partial<CaseInput>): CaseDoc {
  if (c.status !== "draft")
    throw input(`case ${c.id} is ${c.status}: only a draft can be edited`, undefined, c.id);
  const basis = requireBasis(patch.authority ?? c.authority);
  const criterion = patch.criterion !== undefined ? findCriterion(basis, patch.criterion) : c.criterion;
  if (patch.criterion !== undefined && !criterion)
    throw input(`"${patch.criterion}" is not a criterion of ${basis.id}`, "criterion");
  return {
    ...docOf(c),
    ...(patch.subject !== undefined
      ? {
          subject: {
            ...cleanSubject(patch.subject),
            id: caseEntityId(c.id),
            referents: c.subject.referents,
          },
        }
      : {}),
    authority: basis.id,
    criterion: criterion ?? "",
    ...(patch.statement_of_reasons !== undefined
      ? { statement_of_reasons: patch.statement_of_reasons.trim() }
      : {}),
    ...(patch.standard_of_proof !== undefined ? { standard_of_proof: patch.standard_of_proof.trim() } : {}),
    ...(patch.classified !== undefined ? { classified: patch.classified } : {}),
    ...(patch.measures !== undefined ? { measures: patch.measures as MeasureName[] } : {}),
  };
}

/** A workflow transition: the status it goes to and what the document gains. */
export interface Transition {
  readonly status: CaseStatus;
  readonly patch: Partial<CaseDoc>;
}

export function proposing(c: CaseFile, user: string, at: string): Transition {
  requireUser(user);
  if (c.status !== "draft")
    throw input(`case ${c.id} is ${c.status}: only a draft can be proposed`, undefined, c.id);
  requireComplete(c, "proposed");
  return { status: "proposed", patch: { proposer: user, proposed_at: at } };
}

/** Four eyes: the approver is not the proposer. */
export function approving(c: CaseFile, user: string, at: string): Transition {
  requireUser(user);
  if (c.status !== "proposed")
    throw input(`case ${c.id} is ${c.status}: only a proposed case can be approved`, undefined, c.id);
  if (user === c.proposer) {
    throw new InterdictError(
      "INTERDICT_E_FORBIDDEN",
      `case ${c.id} was proposed by ${user}: a different user must approve it`,
      { record: c.id },
    );
  }
  requireComplete(c, "approved");
  return { status: "approved", patch: { approver: user, approved_at: at } };
}

export function delisting(
  c: CaseFile,
  user: string,
  ground: string,
  opts: { effective?: string; petition?: string },
  at: string,
): Transition {
  requireUser(user);
  if (!ground?.trim()) throw input("a delisting needs a ground", "ground");
  if (c.status !== "published" && c.status !== "approved")
    throw input(
      `case ${c.id} is ${c.status}: only a published (or approved) designation can be delisted`,
      undefined,
      c.id,
    );
  const effective = isoDateOrThrow(opts.effective, "effective") ?? at;
  return {
    status: "delisted",
    patch: {
      delisting: {
        ground: ground.trim(),
        by: user,
        at,
        effective,
        ...(opts.petition ? { petition: opts.petition } : {}),
      },
    },
  };
}

/** The detail of a transition's step. */
export const transitionDetail = (from: CaseStatus, t: Transition): Record<string, unknown> => ({
  from,
  ...(t.patch.delisting ? { ground: t.patch.delisting.ground, effective: t.patch.delisting.effective } : {}),
});

/** A proposed or approved case back to draft: its document without proposal and approval. */
export function returnedDoc(c: CaseFile, user: string): CaseDoc {
  requireUser(user);
  if (c.status !== "proposed" && c.status !== "approved")
    throw input(
      `case ${c.id} is ${c.status}: only a proposed or approved case can be returned`,
      undefined,
      c.id,
    );
  const { proposer: _p, proposed_at: _pa, approver: _a, approved_at: _aa, ...rest } = docOf(c);
  return rest;
}

/** The refusal when a petition names no case of this registry. */
export const neverDesignated = (caseOrEntity: string): InterdictError =>
  new InterdictError(
    "INTERDICT_E_NOT_FOUND",
    `${caseOrEntity} was never designated in this registry: there is nothing to petition against`,
    { record: caseOrEntity },
  );

/** A petition against `c` checked; the petition once it has an id. */
export function newPetition(
  c: CaseFile,
  p: { petitioner: string; grounds: string[]; statement: string },
  user: string,
  at: string,
): (id: string) => Petition {
  if (!c.listed_at)
    throw new InterdictError(
      "INTERDICT_E_INPUT",
      `case ${c.id} is ${c.status} and was never published: there is no designation to petition against`,
      { record: c.id },
    );
  if (!p.petitioner?.trim()) throw input("a petition names its petitioner", "petitioner");
  if (!p.statement?.trim()) throw input("a petition states its case (31 CFR 501.807(a))", "statement");
  const grounds = p.grounds.map((g) =>
    g
      .trim()
      .toLowerCase()
      .replace(/[\s-]+/g, "_"),
  );
  if (grounds.length === 0 || grounds.some((g) => !(g in PETITION_GROUNDS))) {
    throw input(`grounds must be among ${Object.keys(PETITION_GROUNDS).join(", ")}`, "grounds");
  }
  return (id) => ({
    id,
    case_id: c.id,
    petitioner: p.petitioner.trim(),
    grounds: grounds as PetitionGround[],
    statement: p.statement.trim(),
    status: "pending",
    filed_at: at,
    filed_by: user,
    correspondence: [],
  });
}

export function withLetter(
  p: Petition,
  direction: "in" | "out",
  text: string,
  user: string,
  at: string,
): Petition {
  if (!text?.trim()) throw input("a letter has text", "text");
  return { ...p, correspondence: [...p.correspondence, { at, direction, author: user, text: text.trim() }] };
}

export function decided(
  p: Petition,
  decision: "granted" | "denied",
  reasons: string,
  user: string,
  at: string,
): Petition {
  if (p.status !== "pending") throw input(`petition ${p.id} was already ${p.status}`, undefined, p.id);
  if (!reasons?.trim()) throw input("a decision on a petition is given in writing, with reasons", "reasons");
  return { ...p, status: decision, decision: reasons.trim(), decided_by: user, decided_at: at };
}

/** A congressional request checked (`c`: the case it concerns); the request once it has an id. */
export function newRequest(
  r: { committee: string; about: string; received_at?: string; days?: number },
  c: CaseFile | undefined,
  user: string,
  at: string,
): (id: string) => CongressionalRequest {
  checkRequest(r, user);
  const received = isoDateOrThrow(r.received_at, "received_at") ?? at.slice(0, 10);
  const days = r.days ?? (c ? requireBasis(c.authority).reporting.requests_days : undefined) ?? 120;
  return (id) => ({
    id,
    committee: r.committee.trim(),
    about: r.about?.trim() ?? "",
    ...(c ? { case_id: c.id } : {}),
    received_at: received,
    due_at: addDays(received, days),
  });
}

/** What a request needs before the case it names is looked up. */
export function checkRequest(r: { committee: string }, user: string): void {
  requireUser(user);
  if (!r.committee?.trim()) throw input("a request names its committee", "committee");
}

export function answered(r: CongressionalRequest, answer: string, at: string): CongressionalRequest {
  if (!answer?.trim()) throw input("an answer has text", "answer");
  return { ...r, answered_at: at.slice(0, 10), answer: answer.trim() };
}

/** A party checked: it needs an id, edges refer to it. */
export function newParty(raw: unknown): Entity {
  const e = cleanSubject(raw);
  if (e.id === "subject") throw input("a party needs an id (edges refer to it)", "id");
  return e;
}

/** A case id (`D-000001`) stands for its published entity; other ids are left alone. */
export function resolveEntityId(id: string): string {
  const t = id.trim();
  return /^D-\d{6}$/i.test(t) ? caseEntityId(t.toUpperCase()) : t;
}

export function requireUser(user: string | undefined): void {
  if (!user?.trim())
    throw new InterdictError("INTERDICT_E_USAGE", "every registry step names its user (--user)");
}

export const notFound = (what: string, id: string | number): InterdictError =>
  new InterdictError("INTERDICT_E_NOT_FOUND", `no ${what} ${id}`, { record: String(id) });

export interface RegistryOptions {
  /** The clock (tests pin it). */
  now?: () => Date;
  /** Called after every recorded step (the audit log hooks in here). */
  onEvent?: (event: CaseEvent) => void;
}

/** The audit entry of one registry step (`designation_<step>`, the case and the event's number). */
export function auditEntryOf(event: CaseEvent): {
  action: `designation_${string}`;
  detail: Record<string, unknown>;
} {
  return {
    action: `designation_${event.action}`,
    detail: { ...(event.case_id ? { case: event.case_id } : {}), ...event.detail, registry_event: event.seq },
  };
}

/** A value now (the SQLite registry) or later (the PostgreSQL one): callers `await` either. */
export type Awaitable<T> = T | Promise<T>;

/**
 * What both registries do, Registry on SQLite (synchronous) and PgRegistry (registry-pg.ts) on
 * PostgreSQL: the CLI, the API and the console take every step through this.
 */
export interface RegistryBook {
  /** The current time as ISO 8601 (UTC). */
  clock(): string;
  create(raw: CaseInput, user: string): Awaitable<CaseFile>;
  get(id: string): Awaitable<CaseFile>;
  list(filter?: { status?: CaseStatus }): Awaitable<CaseFile[]>;
  update(id: string, patch: Partial<CaseInput>, user: string): Awaitable<CaseFile>;
  addEvidence(id: string, ev: EvidenceInput, user: string): Awaitable<CaseFile>;
  file(sha256: string): Awaitable<{ name: string; bytes: Buffer } | undefined>;
  propose(id: string, user: string): Awaitable<CaseFile>;
  approve(id: string, user: string): Awaitable<CaseFile>;
  returnToDraft(id: string, user: string, reason: string): Awaitable<CaseFile>;
  delist(
    id: string,
    user: string,
    ground: string,
    opts?: { effective?: string; petition?: string },
  ): Awaitable<CaseFile>;
  /**
   * Called by the publication once its version is current: what it listed and removed, and the
   * `publication` step with `detail`, together.
   */
  markPublished(
    listed: readonly string[],
    removed: readonly string[],
    version: string,
    user: string,
    publication?: Record<string, unknown>,
  ): Awaitable<void>;
  /** Runs a publication alone: on PostgreSQL one replica publishes at a time. */
  publishing<T>(fn: () => Promise<T>): Promise<T>;
  history(caseId?: string): Awaitable<CaseEvent[]>;
  petition(
    caseOrEntity: string,
    p: { petitioner: string; grounds: string[]; statement: string },
    user: string,
  ): Awaitable<Petition>;
  getPetition(id: string): Awaitable<Petition>;
  petitions(caseId?: string): Awaitable<Petition[]>;
  correspond(petitionId: string, direction: "in" | "out", text: string, user: string): Awaitable<Petition>;
  decidePetition(
    petitionId: string,
    decision: "granted" | "denied",
    reasons: string,
    user: string,
    opts?: { effective?: string },
  ): Awaitable<Petition>;
  request(
    r: { committee: string; about: string; case_id?: string; received_at?: string; days?: number },
    user: string,
  ): Awaitable<CongressionalRequest>;
  answerRequest(id: string, answer: string, user: string): Awaitable<CongressionalRequest>;
  requests(): Awaitable<CongressionalRequest[]>;
  addParty(raw: unknown, user: string): Awaitable<Entity>;
  parties(): Awaitable<Entity[]>;
  addEdge(edge: OwnershipEdge, user: string): Awaitable<StoredEdge>;
  removeEdge(id: number, user: string): Awaitable<void>;
  edges(): Awaitable<StoredEdge[]>;
  /** Parties and edges of one import, all stored or none; the number of edges. */
  importOwnership(
    items: readonly ({ party: unknown } | { edge: OwnershipEdge })[],
    user: string,
  ): Awaitable<number>;
}

export class Registry implements RegistryBook {
  private readonly now: () => Date;
  private readonly onEvent: ((event: CaseEvent) => void) | undefined;

  constructor(
    readonly db: Database.Database,
    opts: RegistryOptions = {},
  ) {
    this.now = opts.now ?? (() => new Date());
    this.onEvent = opts.onEvent;
    db.exec(SCHEMA_SQL);
  }

  /** The current time as ISO 8601 (UTC). */
  clock(): string {
    return this.now().toISOString();
  }

  // ---------------------------------------------------------------------------- case files

  create(raw: CaseInput, user: string): CaseFile {
    const at = this.clock();
    const made = newCase(raw, user, at);
    const seq =
      ((this.db.prepare("SELECT max(seq) AS n FROM registry_case").get() as { n: number | null }).n ?? 0) + 1;
    const id = caseIdOf(seq);
    this.db.transaction(() => {
      this.db
        .prepare("INSERT INTO registry_case (id, seq, status, doc) VALUES (?, ?, 'draft', ?)")
        .run(id, seq, JSON.stringify(made.doc(id)));
      this.record(id, user, "created", made.created);
      for (const [i, ev] of (raw.evidence ?? []).entries())
        this.insertEvidence(id, ev, user, `evidence[${i}]`);
    })();
    return this.get(id);
  }

  get(id: string): CaseFile {
    const row = this.db.prepare("SELECT * FROM registry_case WHERE id = ?").get(id.trim().toUpperCase()) as
      | { id: string; status: CaseStatus; doc: string }
      | undefined;
    if (!row) throw notFound("designation case", id);
    const evidence = (
      this.db.prepare("SELECT id, doc FROM registry_evidence WHERE case_id = ? ORDER BY id").all(row.id) as {
        id: number;
        doc: string;
      }[]
    ).map((r) => ({ id: r.id, ...JSON.parse(r.doc) }) as EvidenceItem);
    return { id: row.id, status: row.status, ...(JSON.parse(row.doc) as Doc), evidence };
  }

  list(filter: { status?: CaseStatus } = {}): CaseFile[] {
    const ids = this.db
      .prepare("SELECT id FROM registry_case WHERE (@status IS NULL OR status = @status) ORDER BY seq")
      .all({ status: filter.status ?? null }) as { id: string }[];
    return ids.map((r) => this.get(r.id));
  }

  /** Edits a draft: only drafts change; a proposed case goes back to draft first (`withdraw`). */
  update(id: string, patch: Partial<CaseInput>, user: string): CaseFile {
    const c = this.get(id);
    const doc = editedDoc(c, patch);
    this.db.transaction(() => {
      this.save(c.id, c.status, doc);
      this.record(c.id, user, "edited", { fields: Object.keys(patch) });
    })();
    return this.get(c.id);
  }

  addEvidence(id: string, ev: EvidenceInput, user: string): CaseFile {
    const c = this.get(id);
    requireEvidenceAllowed(c);
    this.db.transaction(() => this.insertEvidence(c.id, ev, user, "evidence"))();
    return this.get(c.id);
  }

  /** An attached file by its SHA-256, with the name it was given. */
  file(sha256: string): { name: string; bytes: Buffer } | undefined {
    return this.db
      .prepare("SELECT name, bytes FROM registry_file WHERE sha256 = ?")
      .get(sha256.toLowerCase()) as { name: string; bytes: Buffer } | undefined;
  }

  private insertEvidence(caseId: string, ev: EvidenceInput, user: string, field: string): void {
    const e = newEvidence(ev, user, field, this.clock());
    if (e.file)
      this.db
        .prepare("INSERT OR IGNORE INTO registry_file (sha256, name, bytes) VALUES (?, ?, ?)")
        .run(e.file.sha256, e.file.name, e.file.bytes);
    const r = this.db
      .prepare("INSERT INTO registry_evidence (case_id, doc) VALUES (?, ?)")
      .run(caseId, JSON.stringify(e.item));
    this.record(caseId, user, "evidence_added", evidenceDetail(Number(r.lastInsertRowid), e));
  }

  // ---------------------------------------------------------------------------- workflow

  propose(id: string, user: string): CaseFile {
    requireUser(user);
    const c = this.get(id);
    return this.transition(c, proposing(c, user, this.clock()), user);
  }

  /** Four eyes: the approver is not the proposer (nor, for a case they drafted alone, its author). */
  approve(id: string, user: string): CaseFile {
    requireUser(user);
    const c = this.get(id);
    return this.transition(c, approving(c, user, this.clock()), user);
  }

  /** A proposed or approved case goes back to draft (not yet published), with the reason. */
  returnToDraft(id: string, user: string, reason: string): CaseFile {
    requireUser(user);
    const c = this.get(id);
    const doc = returnedDoc(c, user);
    this.db.transaction(() => {
      this.save(c.id, "draft", doc);
      this.record(c.id, user, "returned", { reason });
    })();
    return this.get(c.id);
  }

  /**
   * Terminates a published designation (or withdraws an approved one before publication). The
   * next publication removes it once `effective` has come.
   */
  delist(
    id: string,
    user: string,
    ground: string,
    opts: { effective?: string; petition?: string } = {},
  ): CaseFile {
    requireUser(user);
    if (!ground?.trim()) throw input("a delisting needs a ground", "ground");
    const c = this.get(id);
    return this.transition(c, delisting(c, user, ground, opts, this.clock()), user);
  }

  /** Called by the publication once a version is current: what it listed and removed. */
  markPublished(
    listed: readonly string[],
    removed: readonly string[],
    version: string,
    user: string,
    publication?: Record<string, unknown>,
  ): void {
    const at = this.clock();
    this.db.transaction(() => {
      for (const id of listed) {
        const c = this.get(id);
        if (c.status !== "approved") continue;
        this.save(c.id, "published", { ...docOf(c), listed_at: at, listed_version: version });
        this.record(c.id, user, "published", { version });
      }
      for (const id of removed) {
        const c = this.get(id);
        if (!c.delisting || c.delisting.removed_at) continue;
        this.save(c.id, "delisted", {
          ...docOf(c),
          delisting: { ...c.delisting, removed_at: at, removed_version: version },
        });
        this.record(c.id, user, "removed", { version });
      }
      if (publication) this.record(null, user, "publication", publication);
    })();
  }

  /** SQLite has one writer: a publication runs as it comes. */
  publishing<T>(fn: () => Promise<T>): Promise<T> {
    return fn();
  }

  private transition(c: CaseFile, t: Transition, user: string): CaseFile {
    this.db.transaction(() => {
      this.save(c.id, t.status, { ...docOf(c), ...t.patch });
      this.record(c.id, user, t.status, transitionDetail(c.status, t));
    })();
    return this.get(c.id);
  }

  private save(id: string, status: CaseStatus, doc: Doc): void {
    this.db
      .prepare("UPDATE registry_case SET status = ?, doc = ? WHERE id = ?")
      .run(status, JSON.stringify(doc), id);
  }

  /** Appends one step to the history (the case's, or the registry's when caseId is null). */
  record(
    caseId: string | null,
    actor: string,
    action: string,
    detail: Record<string, unknown> = {},
  ): CaseEvent {
    const at = this.clock();
    const r = this.db
      .prepare("INSERT INTO registry_event (case_id, at, actor, action, detail) VALUES (?, ?, ?, ?, ?)")
      .run(caseId, at, actor, action, JSON.stringify(detail));
    const event = { seq: Number(r.lastInsertRowid), case_id: caseId, at, actor, action, detail };
    this.onEvent?.(event);
    return event;
  }

  /** Every step, oldest first; for one case when given. */
  history(caseId?: string): CaseEvent[] {
    const rows = (
      caseId
        ? this.db
            .prepare("SELECT * FROM registry_event WHERE case_id = ? ORDER BY seq")
            .all(this.get(caseId).id)
        : this.db.prepare("SELECT * FROM registry_event ORDER BY seq").all()
    ) as (Omit<CaseEvent, "detail"> & { detail: string })[];
    return rows.map((r) => ({ ...r, detail: JSON.parse(r.detail) as Record<string, unknown> }));
  }

  // ---------------------------------------------------------------------------- petitions

  /** A delisting petition (31 CFR 501.807); only for a designation that was published. */
  petition(
    caseOrEntity: string,
    p: { petitioner: string; grounds: string[]; statement: string },
    user: string,
  ): Petition {
    requireUser(user);
    let c: CaseFile;
    try {
      c = this.get(caseOrEntity.replace(/^registry:/i, ""));
    } catch {
      throw neverDesignated(caseOrEntity);
    }
    const make = newPetition(c, p, user, this.clock());
    const n = (this.db.prepare("SELECT count(*) AS n FROM registry_petition").get() as { n: number }).n + 1;
    const pet = make(petitionIdOf(n));
    this.db.transaction(() => {
      this.db
        .prepare("INSERT INTO registry_petition (id, case_id, doc) VALUES (?, ?, ?)")
        .run(pet.id, c.id, JSON.stringify(pet));
      this.record(c.id, user, "petition_filed", { petition: pet.id, grounds: pet.grounds });
    })();
    return pet;
  }

  getPetition(id: string): Petition {
    const row = this.db
      .prepare("SELECT doc FROM registry_petition WHERE id = ?")
      .get(id.trim().toUpperCase()) as { doc: string } | undefined;
    if (!row) throw notFound("petition", id);
    return JSON.parse(row.doc) as Petition;
  }

  petitions(caseId?: string): Petition[] {
    const rows = (
      caseId
        ? this.db.prepare("SELECT doc FROM registry_petition WHERE case_id = ? ORDER BY id").all(caseId)
        : this.db.prepare("SELECT doc FROM registry_petition ORDER BY id").all()
    ) as { doc: string }[];
    return rows.map((r) => JSON.parse(r.doc) as Petition);
  }

  correspond(petitionId: string, direction: "in" | "out", text: string, user: string): Petition {
    const p = this.getPetition(petitionId);
    const next = withLetter(p, direction, text, user, this.clock());
    this.db.transaction(() => {
      this.db.prepare("UPDATE registry_petition SET doc = ? WHERE id = ?").run(JSON.stringify(next), p.id);
      this.record(p.case_id, user, "petition_correspondence", { petition: p.id, direction });
    })();
    return next;
  }

  /** The decision in writing; granting delists the designation (the cascade runs at publication). */
  decidePetition(
    petitionId: string,
    decision: "granted" | "denied",
    reasons: string,
    user: string,
    opts: { effective?: string } = {},
  ): Petition {
    requireUser(user);
    const p = this.getPetition(petitionId);
    const next = decided(p, decision, reasons, user, this.clock());
    this.db.transaction(() => {
      this.db.prepare("UPDATE registry_petition SET doc = ? WHERE id = ?").run(JSON.stringify(next), p.id);
      this.record(p.case_id, user, `petition_${decision}`, { petition: p.id });
      if (decision === "granted")
        this.delist(p.case_id, user, `petition ${p.id} granted: ${p.grounds.join(", ")}`, {
          ...opts,
          petition: p.id,
        });
    })();
    return next;
  }

  // ---------------------------------------------------------------------------- congressional requests

  /** A request from a committee; the answer is due `requests_days` (120) later. */
  request(
    r: { committee: string; about: string; case_id?: string; received_at?: string; days?: number },
    user: string,
  ): CongressionalRequest {
    checkRequest(r, user);
    const c = r.case_id ? this.get(r.case_id) : undefined;
    const make = newRequest(r, c, user, this.clock());
    const n = (this.db.prepare("SELECT count(*) AS n FROM registry_request").get() as { n: number }).n + 1;
    const req = make(requestIdOf(n));
    this.db.transaction(() => {
      this.db
        .prepare("INSERT INTO registry_request (id, doc) VALUES (?, ?)")
        .run(req.id, JSON.stringify(req));
      this.record(req.case_id ?? null, user, "request_received", {
        request: req.id,
        committee: req.committee,
        due_at: req.due_at,
      });
    })();
    return req;
  }

  answerRequest(id: string, answer: string, user: string): CongressionalRequest {
    const row = this.db
      .prepare("SELECT doc FROM registry_request WHERE id = ?")
      .get(id.trim().toUpperCase()) as { doc: string } | undefined;
    if (!row) throw notFound("request", id);
    const r = JSON.parse(row.doc) as CongressionalRequest;
    const next = answered(r, answer, this.clock());
    this.db.transaction(() => {
      this.db.prepare("UPDATE registry_request SET doc = ? WHERE id = ?").run(JSON.stringify(next), r.id);
      this.record(r.case_id ?? null, user, "request_answered", { request: r.id });
    })();
    return next;
  }

  requests(): CongressionalRequest[] {
    return (this.db.prepare("SELECT doc FROM registry_request ORDER BY id").all() as { doc: string }[]).map(
      (r) => JSON.parse(r.doc) as CongressionalRequest,
    );
  }

  // ---------------------------------------------------------------------------- ownership

  /** A party the registry knows but has not designated (a company in an ownership chain). */
  addParty(raw: unknown, user: string): Entity {
    const e = newParty(raw);
    this.db.transaction(() => {
      this.db
        .prepare(
          "INSERT INTO registry_party (id, doc) VALUES (?, ?) ON CONFLICT (id) DO UPDATE SET doc = excluded.doc",
        )
        .run(e.id, JSON.stringify(e));
      this.record(null, user, "party_added", { party: e.id, name: captionOf(e) });
    })();
    return e;
  }

  parties(): Entity[] {
    return (this.db.prepare("SELECT doc FROM registry_party ORDER BY id").all() as { doc: string }[]).map(
      (r) => JSON.parse(r.doc) as Entity,
    );
  }

  /** An ownership or control edge; a case id (`D-000001`) stands for its published entity. */
  addEdge(edge: OwnershipEdge, user: string): StoredEdge {
    requireUser(user);
    const e = { ...edge, owner: resolveEntityId(edge.owner), asset: resolveEntityId(edge.asset) };
    const at = this.clock();
    const r = this.db
      .prepare(
        "INSERT INTO registry_ownership (owner, asset, percentage, kind, source, added_by, added_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
      )
      .run(e.owner, e.asset, e.percentage, e.kind, e.source ?? null, user, at);
    this.record(null, user, "ownership_added", {
      owner: e.owner,
      asset: e.asset,
      percentage: e.percentage,
      kind: e.kind,
    });
    return { ...e, id: Number(r.lastInsertRowid), added_by: user, added_at: at };
  }

  removeEdge(id: number, user: string): void {
    const r = this.db.prepare("DELETE FROM registry_ownership WHERE id = ?").run(id);
    if (r.changes === 0) throw new InterdictError("INTERDICT_E_NOT_FOUND", `no ownership edge ${id}`);
    this.record(null, user, "ownership_removed", { edge: id });
  }

  edges(): StoredEdge[] {
    return (
      this.db.prepare("SELECT * FROM registry_ownership ORDER BY id").all() as (StoredEdge & {
        source: string | null;
      })[]
    ).map(({ source, ...e }) => ({ ...e, ...(source ? { source } : {}) }));
  }

  importOwnership(items: readonly ({ party: unknown } | { edge: OwnershipEdge })[], user: string): number {
    let n = 0;
    this.db.transaction(() => {
      for (const item of items) {
        if ("party" in item) this.addParty(item.party, user);
        else {
          this.addEdge(item.edge, user);
          n++;
        }
      }
    })();
    return n;
  }
}

export { addDays, isoDay };
