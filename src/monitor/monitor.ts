// Continuous monitoring: when a dataset gets a new list version, only what changed is screened —
// the new and changed entities against every screened subject (src/monitor/delta.ts), and new or
// changed subjects against all the lists — and alerts are raised only for new potential matches.
// `afterIngest` is the hook `ingest` and `update` call; `interdict monitor` runs the rest.

import type { MatchOptions } from "../match/matcher.js";
import { Matcher } from "../match/matcher.js";
import { matchEntity } from "../match/subject.js";
import type { Entity } from "../model/entity.js";
import { isA } from "../model/schema.js";
import { resolutionSignature } from "../resolve/canonical.js";
import { POOL_DEFAULTS, startPool } from "../screen/batch/pool.js";
import { PostgresStore } from "../store/postgres.js";
import { SqliteStore } from "../store/sqlite.js";
import type { Store } from "../store/store.js";
import { subjectsOf } from "../subjects/book.js";
import type { StoredSubject } from "../subjects/register.js";
import { sha1 } from "../subjects/subject.js";
import type { Finding, RaiseCounts } from "./alerts.js";
import { alertsFor, monitorRecordOf } from "./books.js";
import { DELTA_DEFAULTS, type DeltaCounts, DeltaScreen } from "./delta.js";
import { type SubjectToScreen, screenFindings } from "./findings.js";
import { PersonFindings } from "./persons.js";

export const MONITOR_DEFAULTS = {
  workers: POOL_DEFAULTS.workers,
  /** Up to this many subjects, work in this thread: starting workers costs more than it saves. */
  inThreadUpTo: 20_000,
  /** Subjects per request when new or changed subjects are screened against the lists. */
  subjectBatch: 1000,
};

export interface MonitorOptions {
  readonly match?: MatchOptions;
  readonly workers?: number;
  readonly inThreadUpTo?: number;
  readonly delta?: Partial<typeof DELTA_DEFAULTS>;
  readonly onProgress?: (text: string) => void;
  /**
   * Where worker threads open a PostgreSQL store (its postgres:// URL, as the command got it);
   * without it monitoring on PostgreSQL works in this thread. A SQLite store's file is known.
   */
  readonly location?: string;
}

export interface DeltaReport {
  readonly dataset: string;
  readonly fromVersion?: string;
  readonly toVersion: string;
  /** Entities the version added, changed and removed; `rescreened`: the targets among them re-screened. */
  readonly entities: { added: number; changed: number; removed: number; rescreened: number };
  readonly subjects: number;
  readonly pairs: DeltaCounts;
  readonly findings: number;
  readonly alerts: RaiseCounts;
  readonly seconds: number;
}

export interface SubjectsReport {
  /** Set when the subjects were re-screened because resolution changed who is one person. */
  readonly resolution?: true;
  readonly subjects: number;
  readonly findings: number;
  readonly alerts: RaiseCounts;
  readonly seconds: number;
}

const NO_ALERTS: RaiseCounts = { raised: 0, updated: 0, open: 0, decided: 0 };

const addCounts = (a: RaiseCounts, b: RaiseCounts): RaiseCounts => ({
  raised: a.raised + b.raised,
  updated: a.updated + b.updated,
  open: a.open + b.open,
  decided: a.decided + b.decided,
});

const isTarget = (schema: string): boolean => isA(schema, "LegalEntity") || isA(schema, "Vehicle");

const toScreen = (s: StoredSubject): SubjectToScreen => ({ id: s.id, hash: s.hash, query: s.query });

/** Where worker threads open the store: its file, its URL; none for an in-memory store. */
function dbPathOf(store: Store, opts: MonitorOptions): string | undefined {
  if (store instanceof PostgresStore) return opts.location;
  const name = store instanceof SqliteStore ? store.db.name : undefined;
  return name && name !== ":memory:" ? name : undefined;
}

const contentOf = (e: Entity): string => sha1(JSON.stringify([e.schema, e.properties]));

/**
 * The targets a version change touches — added and changed targets, and the targets of added,
 * changed or removed Sanctions (their programmes changed) — each with its programmes as the
 * matcher gives them (from the Sanctions naming it, in id order). Both versions are streamed
 * once, the older kept as content hashes, the newer's targets until the end: a few seconds and
 * tens of MB for the largest list.
 */
export async function changedTargets(
  store: Store,
  fromVersionId: number | undefined,
  toVersionId: number,
  dataset: string,
) {
  const counts = { added: 0, changed: 0, removed: 0, rescreened: 0 };
  const before = new Map<string, { content: string; targets?: string[] }>();
  if (fromVersionId !== undefined) {
    for await (const e of store.entities(dataset, { versionId: fromVersionId })) {
      before.set(e.id, {
        content: contentOf(e),
        ...(e.schema === "Sanction" ? { targets: e.properties.entity ?? [] } : {}),
      });
    }
  }
  const ids = new Set<string>();
  const programs = new Map<string, string[]>();
  // Targets are kept until it is known which of them changed (a Sanction comes after its target).
  const targets = new Map<string, Entity>();
  for await (const e of store.entities(dataset, { versionId: toVersionId })) {
    if (isTarget(e.schema)) {
      const { versionId: _v, ...entity } = e;
      targets.set(e.id, entity);
    }
    const old = before.get(e.id);
    before.delete(e.id);
    const change = !old ? "added" : old.content !== contentOf(e) ? "changed" : undefined;
    if (e.schema === "Sanction") {
      for (const t of e.properties.entity ?? []) {
        programs.set(t, [...(programs.get(t) ?? []), ...(e.properties.program ?? [])]);
        if (change) ids.add(t);
      }
      for (const t of change === "changed" ? (old?.targets ?? []) : []) ids.add(t);
    } else if (change && isTarget(e.schema)) ids.add(e.id);
    if (change) counts[change]++;
  }
  for (const old of before.values()) {
    counts.removed++;
    for (const t of old.targets ?? []) ids.add(t);
  }
  const changed: { entity: Entity; programs: string[] }[] = [];
  for (const [id, entity] of targets) {
    if (ids.has(id)) changed.push({ entity, programs: [...new Set(programs.get(id) ?? [])] });
  }
  counts.rescreened = changed.length;
  return { changed, counts };
}

/**
 * Re-screens every screened subject against what changed between two versions of a dataset
 * (from nothing: the whole version), raises alerts for new potential matches, records that the
 * subjects are now checked against `toVersionId`, and logs what it did.
 */
export async function rescreenDelta(
  store: Store,
  dataset: string,
  fromVersionId: number | undefined,
  toVersionId: number,
  opts: MonitorOptions = {},
): Promise<DeltaReport> {
  const started = performance.now();
  const register = subjectsOf(store);
  const alerts = alertsFor(store);
  const log = monitorRecordOf(store);
  const versions = await store.versions(dataset);
  const label = (id: number | undefined) => versions.find((v) => v.id === id)?.version;
  const fromVersion = label(fromVersionId);
  const toVersion = label(toVersionId) ?? String(toVersionId);
  const subjects = (await register.counts()).screened;
  const pairs: DeltaCounts = { reversePairs: 0, forwardPairs: 0, candidates: 0 };
  let raised = NO_ALERTS;
  let findings = 0;
  const { changed, counts } =
    subjects > 0
      ? await changedTargets(store, fromVersionId, toVersionId, dataset)
      : { changed: [], counts: { added: 0, changed: 0, removed: 0, rescreened: 0 } };
  const reason = `list change: ${dataset} ${fromVersion ?? "(none)"} → ${toVersion}`;
  const persons = await PersonFindings.of(store);
  const take = async (r: { findings: Finding[]; counts: DeltaCounts }): Promise<void> => {
    pairs.reversePairs += r.counts.reversePairs;
    pairs.forwardPairs += r.counts.forwardPairs;
    pairs.candidates += r.counts.candidates;
    findings += r.findings.length;
    const grouped = await persons.group(r.findings);
    raised = addCounts(raised, await alerts.raise(grouped, reason));
  };
  const match = opts.match ?? {};
  const settings = { ...DELTA_DEFAULTS, ...opts.delta };
  const workers = opts.workers ?? MONITOR_DEFAULTS.workers;
  const db = dbPathOf(store, opts);
  let done = 0;
  if (changed.length > 0) {
    opts.onProgress?.(`${dataset}: ${changed.length} changed entities against ${subjects} subjects…`);
    // Delta workers are sent what changed and the subjects; they never open the store.
    const threads = db !== undefined || store instanceof PostgresStore;
    if (workers > 0 && threads && subjects > (opts.inThreadUpTo ?? MONITOR_DEFAULTS.inThreadUpTo)) {
      // Every worker gets a chunk, however few the subjects; fewer, larger chunks query less.
      const chunkSize = Math.min(settings.chunk, Math.ceil(subjects / workers));
      const pool = await startPool<
        { subjects: SubjectToScreen[] },
        { findings: Finding[]; counts: DeltaCounts }
      >(
        new URL("./delta-worker.ts", import.meta.url),
        Math.min(workers, Math.ceil(subjects / chunkSize)),
        { changed, options: match, settings },
        // A reverse index holds about 2.5 kB a subject; room for it twice over and the lists' delta.
        { maxOldGenerationMb: Math.max(POOL_DEFAULTS.maxOldGenerationMb, 256 + (chunkSize * 5) / 1024) },
      );
      try {
        const inFlight = new Set<Promise<void>>();
        for await (const chunk of register.chunks("screened", chunkSize)) {
          const p = pool.request({ subjects: chunk.map(toScreen) }).then(async (r) => {
            await take(r);
            done += chunk.length;
            opts.onProgress?.(`${dataset}: ${done} of ${subjects} subjects re-screened`);
          });
          inFlight.add(p);
          p.finally(() => inFlight.delete(p)).catch(() => undefined);
          if (inFlight.size >= pool.size) await Promise.race(inFlight);
        }
        await Promise.all(inFlight);
      } finally {
        await pool.close();
      }
    } else {
      const screen = new DeltaScreen(
        changed.map((c) => matchEntity(c.entity, c.programs)),
        match,
        settings,
      );
      for await (const chunk of register.chunks("screened", settings.chunk))
        await take(screen.screen(chunk.map(toScreen)));
    }
  }
  const report: DeltaReport = {
    dataset,
    ...(fromVersion ? { fromVersion } : {}),
    toVersion,
    entities: counts,
    subjects,
    pairs,
    findings,
    alerts: raised,
    seconds: (performance.now() - started) / 1000,
  };
  await log.setState(dataset, toVersionId);
  if (subjects > 0) {
    await log.add({
      kind: "delta",
      dataset,
      ...(fromVersion ? { fromVersion } : {}),
      toVersion,
      detail: { entities: counts, subjects, pairs, findings, alerts: raised, seconds: report.seconds },
    });
  }
  return report;
}

/**
 * Brings every screened subject up to the current version of each dataset (or of those named):
 * a delta re-screen from the version they were last checked against.
 */
export async function catchUp(
  store: Store,
  opts: MonitorOptions = {},
  datasets?: readonly string[],
): Promise<DeltaReport[]> {
  const log = monitorRecordOf(store);
  const reports: DeltaReport[] = [];
  for (const d of await store.datasets()) {
    if (!d.current || (datasets && !datasets.includes(d.name))) continue;
    const state = await log.state(d.name);
    if (state === d.current.id) continue;
    reports.push(await rescreenDelta(store, d.name, state, d.current.id, opts));
  }
  return reports;
}

/**
 * New and changed subjects against all the current lists (after catching up on list changes,
 * so that every subject ends checked against every current version). One round at a time on a
 * store: on PostgreSQL a second process's round waits for this one (MonitorRecord.exclusive).
 */
export async function screenPending(
  store: Store,
  opts: MonitorOptions = {},
): Promise<{ deltas: DeltaReport[]; regrouped?: SubjectsReport; subjects: SubjectsReport }> {
  return monitorRecordOf(store).exclusive(() => screenPendingNow(store, opts));
}

async function screenPendingNow(
  store: Store,
  opts: MonitorOptions,
): Promise<{ deltas: DeltaReport[]; regrouped?: SubjectsReport; subjects: SubjectsReport }> {
  const deltas = await catchUp(store, opts);
  const regrouped = await rescreenRegrouped(store, opts);
  const started = performance.now();
  const register = subjectsOf(store);
  const alerts = alertsFor(store);
  const persons = await PersonFindings.of(store);
  const pending = (await register.counts()).pending;
  let raised = NO_ALERTS;
  let findings = 0;
  let done = 0;
  const take = async (chunk: StoredSubject[], found: Finding[]): Promise<void> => {
    findings += found.length;
    const grouped = await persons.group(found);
    raised = addCounts(raised, await alerts.raise(grouped, "subject added or changed"));
    await register.markScreened(chunk);
    done += chunk.length;
    opts.onProgress?.(`${done} of ${pending} new or changed subjects screened`);
  };
  const match = opts.match ?? {};
  const workers = opts.workers ?? MONITOR_DEFAULTS.workers;
  const db = dbPathOf(store, opts);
  if (pending > 0) {
    opts.onProgress?.(`${pending} new or changed subjects against the lists: loading the lists…`);
    // Chunks are read before any is marked screened, page by page in id order, so marking
    // does not move the pages.
    if (workers > 0 && db && pending > (opts.inThreadUpTo ?? MONITOR_DEFAULTS.inThreadUpTo)) {
      const pool = await startPool<
        { kind: "findings"; subjects: SubjectToScreen[] },
        { findings: Finding[] }
      >(new URL("../workers/screen-worker.ts", import.meta.url), workers, { db, options: match });
      try {
        const inFlight = new Set<Promise<void>>();
        for await (const chunk of register.chunks("pending", MONITOR_DEFAULTS.subjectBatch)) {
          const p = pool
            .request({ kind: "findings", subjects: chunk.map(toScreen) })
            .then((r) => take(chunk, r.findings));
          inFlight.add(p);
          p.finally(() => inFlight.delete(p)).catch(() => undefined);
          if (inFlight.size >= 2 * workers) await Promise.race(inFlight);
        }
        await Promise.all(inFlight);
      } finally {
        await pool.close();
      }
    } else {
      const matcher = await Matcher.fromStore(store);
      for await (const chunk of register.chunks("pending", MONITOR_DEFAULTS.subjectBatch)) {
        await take(chunk, screenFindings(matcher, chunk.map(toScreen), match));
      }
    }
  }
  const subjects: SubjectsReport = {
    subjects: pending,
    findings,
    alerts: raised,
    seconds: (performance.now() - started) / 1000,
  };
  if (pending > 0) await monitorRecordOf(store).add({ kind: "subjects", detail: { ...subjects } });
  return { deltas, ...(regrouped ? { regrouped } : {}), subjects };
}

/** Where monitoring keeps the resolution its alerts were last grouped by (no dataset has the name). */
const RESOLUTION_STATE = "(resolution)";

/**
 * After resolution changed who is one person (a run, a judgement, an undo): the subjects whose
 * alerts, open or decided, were on persons as they no longer are — an entry now merged into
 * another person, a person split, an entry joined — are screened again against all the lists,
 * so their alerts are on the persons as they now are. A split person's entries are then new
 * pairs, each raised on its own; an open alert on the person as it was carries on as the alert
 * of one of them (its review with it), and a decision on it stays on that alert.
 */
export async function rescreenRegrouped(
  store: Store,
  opts: MonitorOptions = {},
): Promise<SubjectsReport | undefined> {
  const log = monitorRecordOf(store);
  const signature = await resolutionSignature(store);
  // The state table keeps integers: 48 bits of the hash (0: no resolution).
  const state = signature ? Number.parseInt(signature.slice(0, 12), 16) : 0;
  if (((await log.state(RESOLUTION_STATE)) ?? 0) === state) return undefined;
  const started = performance.now();
  const alerts = alertsFor(store);
  const register = subjectsOf(store);
  const persons = await PersonFindings.of(store);
  const { resolution } = persons;
  const ids = new Set<string>();
  // Open alerts on persons as they were: the new persons' alerts take them over.
  const stale: { id: number; subjectId: string; referents: string[] }[] = [];
  for await (const p of alerts.persons()) {
    const now = new Set(resolution.referents(p.entityId));
    const same =
      p.referents.every((r) => resolution.canonicalOf(r) === p.entityId) &&
      [...now].every((r) => p.referents.includes(r) || now.size === 1);
    if (same) continue;
    ids.add(p.subjectId);
    if (p.status === "open") stale.push(p);
  }
  const subjects: StoredSubject[] = [];
  for (const id of ids) {
    const s = await register.get(id);
    if (s) subjects.push(s);
  }
  let raised = NO_ALERTS;
  let findings = 0;
  if (subjects.length > 0) {
    opts.onProgress?.(`resolution changed: ${subjects.length} subjects against the lists…`);
    const matcher = await Matcher.fromStore(store);
    for (let i = 0; i < subjects.length; i += MONITOR_DEFAULTS.subjectBatch) {
      const chunk = subjects.slice(i, i + MONITOR_DEFAULTS.subjectBatch);
      const found = screenFindings(matcher, chunk.map(toScreen), opts.match ?? {});
      findings += found.length;
      raised = addCounts(
        raised,
        await alerts.regroup(await persons.group(found), stale, "resolution changed"),
      );
    }
  }
  await log.setState(RESOLUTION_STATE, state);
  if (subjects.length === 0) return undefined;
  const report: SubjectsReport = {
    resolution: true,
    subjects: subjects.length,
    findings,
    alerts: raised,
    seconds: (performance.now() - started) / 1000,
  };
  await log.add({ kind: "subjects", detail: { ...report } });
  return report;
}

/**
 * The hook after `ingest` or `update` made new versions current: the same delta re-screen, as
 * one monitoring round (on PostgreSQL, never beside another process's).
 */
export async function afterIngest(
  store: Store,
  results: readonly { dataset: string }[],
  opts: MonitorOptions = {},
): Promise<DeltaReport[]> {
  if (!(store instanceof SqliteStore || store instanceof PostgresStore) || results.length === 0) return [];
  const datasets = [...new Set(results.map((r) => r.dataset))];
  return monitorRecordOf(store).exclusive(() => catchUp(store, opts, datasets));
}
