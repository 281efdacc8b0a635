// Test helpers for the readers' tests: read a list the way the ingest does (paths in, entities
// and issues out), and expect a list to be refused. Not used outside tests.

import assert from "node:assert/strict";
import { InterdictError, type Issue } from "../errors.js";
import type { Entity } from "../model/entity.js";
import { inputFiles } from "./_input.js";
import type { Reader } from "./types.js";

export interface ListRead {
  readonly entities: Entity[];
  readonly issues: Issue[];
  /** Entities read, per schema. */
  readonly counts: Record<string, number>;
  /** The entity with that id; the test fails when there is none. */
  get(id: string): Entity;
  has(id: string): boolean;
}

/** The dataset a reader's list is read as when the test names none: the first it is published for. */
function datasetOf(reader: Reader, dataset: string | undefined): string {
  const ds = dataset ?? reader.datasets?.[0];
  assert.ok(ds, `${reader.format} is published for no dataset: name one`);
  return ds;
}

/** Reads the files at `paths` (files, folders or zips) with `reader`, as `dataset`. */
export async function readList(
  reader: Reader,
  paths: string | readonly string[],
  dataset?: string,
): Promise<ListRead> {
  const files = await inputFiles(typeof paths === "string" ? [paths] : paths);
  const entities: Entity[] = [];
  const issues: Issue[] = [];
  for await (const e of reader.read(files, {
    dataset: datasetOf(reader, dataset),
    issue: (i) => issues.push(i),
  }))
    entities.push(e as Entity);
  const counts: Record<string, number> = {};
  for (const e of entities) counts[e.schema] = (counts[e.schema] ?? 0) + 1;
  // A repeated id is merged by the store; the last one read stands in for it here.
  const byId = new Map(entities.map((e) => [e.id, e]));
  return {
    entities,
    issues,
    counts,
    get(id) {
      const e = byId.get(id);
      assert.ok(e, `no entity ${id}`);
      return e;
    },
    has: (id) => byId.has(id),
  };
}

/** The error a list is refused with: an InterdictError with code INTERDICT_E_LIST_FORMAT. */
export async function refusal(reader: Reader, path: string, dataset?: string): Promise<InterdictError> {
  const ctx = { dataset: datasetOf(reader, dataset), issue: () => {} };
  try {
    for await (const _ of reader.read(await inputFiles([path]), ctx)) {
      // drain
    }
  } catch (e) {
    assert.ok(e instanceof InterdictError, `not an InterdictError: ${e}`);
    assert.equal(e.code, "INTERDICT_E_LIST_FORMAT");
    return e;
  }
  assert.fail(`${path} was read without error`);
}
