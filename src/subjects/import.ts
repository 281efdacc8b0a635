// Importing subjects from a file (CSV, JSON lines, XLSX) into the register: each row upserted by
// its id, a bad row reported with its line and skipped, one transaction per batch of rows.

import { InterdictError } from "../errors.js";
import { readRows } from "../screen/batch/read.js";
import { type ColumnMap, subjectOf } from "../screen/subject-row.js";
import type { Store } from "../store/store.js";
import { subjectsOf } from "./book.js";
import { registerOf, type SubjectChange } from "./register.js";
import type { Subject } from "./subject.js";

export interface ImportOptions {
  /** Field → the file's column (`{name: "Full Name"}`); unmapped fields use the usual names. */
  map?: ColumnMap;
  /** Remove the subjects the file does not hold (the file is the whole customer base). */
  removeMissing?: boolean;
  onError?: (line: number, message: string) => void;
  onProgress?: (rows: number) => void;
}

export interface ImportResult {
  rows: number;
  added: number;
  changed: number;
  unchanged: number;
  removed: number;
  errors: { line: number; message: string }[];
}

const BATCH = 5000;

/**
 * Reads a subject file into the register (SQLite or PostgreSQL). Rows without an id are errors:
 * the id is the key.
 */
export async function importSubjects(
  store: Store,
  path: string,
  opts: ImportOptions = {},
): Promise<ImportResult> {
  const register = subjectsOf(store);
  const result: ImportResult = { rows: 0, added: 0, changed: 0, unchanged: 0, removed: 0, errors: [] };
  const error = (line: number, message: string): void => {
    result.errors.push({ line, message });
    opts.onError?.(line, message);
  };
  const at = new Date().toISOString();
  let batch: { subject: Subject; line: number }[] = [];
  const flush = async (): Promise<void> => {
    const changes = await register.upsertMany(
      batch.map(({ subject, line }) => ({ subject, source: `${path}:${line}` })),
      at,
    );
    for (const change of changes) result[change]++;
    batch = [];
    opts.onProgress?.(result.rows);
  };
  const inFile = new Set<string>();
  for await (const { line, record } of readRows(path, error)) {
    result.rows++;
    const s = subjectOf(record, "", opts.map);
    if ("problem" in s) error(line, s.problem);
    else if (!s.id) error(line, `no id (column ${opts.map?.id ? `"${opts.map.id}"` : "id"})`);
    else if (inFile.has(s.id))
      error(line, `subject ${s.id} appears twice in the file; the first row is kept`);
    else {
      inFile.add(s.id);
      batch.push({ subject: s, line });
      if (batch.length >= BATCH) await flush();
    }
  }
  await flush();
  if (opts.removeMissing) {
    const gone: string[] = [];
    for await (const chunk of register.chunks("all", 10_000)) {
      for (const s of chunk) if (!inFile.has(s.id)) gone.push(s.id);
    }
    result.removed = await register.removeMany(gone, `${path}: not in the file`, at);
  }
  return result;
}

/**
 * One subject from the API or the command line, as the fields a file row has (`id`, `name`,
 * `alias`, `schema`, `birth_date`, `country`, `identifier`, `gender`), checked as a row is.
 */
export function upsertSubject(
  store: Store,
  fields: Record<string, unknown>,
  source = "api",
): { id: string; change: Exclude<SubjectChange, "removed"> } {
  const s = subjectOf(fields, "");
  if ("problem" in s)
    throw new InterdictError("INTERDICT_E_USAGE", s.problem, { record: String(fields.id ?? "") });
  if (!s.id) throw new InterdictError("INTERDICT_E_USAGE", "a subject needs an id");
  return { id: s.id, change: registerOf(store).upsert(s, source) };
}

export function removeSubject(store: Store, id: string, source = "api"): boolean {
  return registerOf(store).remove(id, source);
}

export function listSubjects(store: Store, opts: { after?: string; limit?: number } = {}) {
  return registerOf(store).list(opts);
}

export type { SubjectChange };
