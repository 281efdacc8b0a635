// Ingest: files → detected format → entities → a new list version, switched in only when the
// whole version is read and judged sane. Anything wrong leaves the current version as it was.

import { createHash } from "node:crypto";
import { existsSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import { Transform } from "node:stream";
import { InterdictError, type Issue } from "../errors.js";
import type { Entity } from "../model/entity.js";
import { inputFiles, readAll } from "../sources/_input.js";
import { READERS } from "../sources/index.js";
import type { DeltaOp, InputFile, Reader } from "../sources/types.js";
import type { DiffSummary, ListVersion, Store, VersionWriter } from "../store/store.js";

export const INGEST_DEFAULTS = {
  /** A version that removes more than this share of a dataset's entities is held back. */
  maxRemovedShare: 0.2,
  /** Issues stored per version; beyond this they are only counted. */
  maxStoredIssues: 10_000,
};

export interface IngestOptions {
  /** The dataset the files are a version of; inferred from the content when omitted. */
  dataset?: string;
  /** The version's label; default: a YYYY-MM-DD folder in the path, else the ingest time. */
  version?: string;
  /** Make the version current even if it removes more than `maxRemovedShare`. */
  force?: boolean;
  maxRemovedShare?: number;
  /** Extra facts to keep with the version (where it was downloaded from…). */
  meta?: Record<string, unknown>;
  onProgress?: (p: IngestProgress) => void;
}

export interface IngestProgress {
  readonly dataset: string;
  readonly bytes: number;
  readonly totalBytes: number;
  readonly entities: number;
}

export interface IngestResult {
  readonly dataset: string;
  readonly format: string;
  readonly version: ListVersion;
  readonly summary: DiffSummary;
  readonly issues: number;
  /** Issue counts by code, to show what the lists said that we could not use. */
  readonly issueCodes: Readonly<Record<string, number>>;
}

const DATASET_NAME = /^[a-z][a-z0-9_]{1,63}$/;

interface Detected {
  file: InputFile;
  reader: Reader;
  dataset?: string;
}

function detect(file: InputFile): Detected {
  if (file.size === 0 && !/\.delta\.json$/.test(file.name)) {
    throw new InterdictError("INTERDICT_E_LIST_FORMAT", "empty file", { file: file.path });
  }
  for (const reader of READERS) {
    const d = reader.detect(file);
    if (d) return { file, reader, ...(d.dataset ? { dataset: d.dataset } : {}) };
  }
  const printable = file.head
    .subarray(0, 60)
    .toString("utf8")
    .replace(/[^\x20-\x7e]+/g, "·");
  throw new InterdictError(
    "INTERDICT_E_UNKNOWN_FORMAT",
    `not a list format Interdict reads (starts with "${printable}"); see \`interdict formats\``,
    { file: file.path },
  );
}

function versionLabel(paths: readonly string[]): string | undefined {
  for (const p of paths) {
    for (const part of [basename(p), basename(dirname(p))]) {
      const m = part.match(/^(\d{4}-\d{2}-\d{2})$/) ?? part.match(/^(\d{14}-[a-z0-9]+)$/);
      if (m?.[1]) return m[1];
    }
  }
  return undefined;
}

async function sha256(file: InputFile): Promise<string> {
  const hash = createHash("sha256");
  for await (const chunk of file.open()) hash.update(chunk as Buffer);
  return hash.digest("hex");
}

/**
 * Wraps each file so that reading it reports progress in bytes. A reader that passes over a
 * file twice (an index pass, then a data pass) is counted by its furthest pass, not twice.
 */
function counted(files: InputFile[], onBytes: (total: number) => void): InputFile[] {
  const furthest = files.map(() => 0);
  return files.map((f, i) => ({
    ...f,
    open: () => {
      let seen = 0;
      return f.open().pipe(
        new Transform({
          transform(chunk: Buffer, _e, done) {
            seen += chunk.length;
            if (seen > (furthest[i] ?? 0)) {
              furthest[i] = seen;
              onBytes(furthest.reduce((a, b) => a + b, 0));
            }
            done(null, chunk);
          },
        }),
      );
    },
  }));
}

const isDeltaIndex = (f: InputFile): boolean =>
  f.name === "delta.json" && /^\s*\{\s*"versions"\s*:/.test(f.head.toString("utf8"));

/**
 * OpenSanctions publishes `delta.json`, an index of delta versions, beside each export. Next to
 * a full export it is history the export already contains, so it is set aside; alone, it stands
 * for its versions' `<version>/entities.delta.json` files, applied in version order.
 */
async function expandDeltaIndexes(files: InputFile[]): Promise<InputFile[]> {
  const out: InputFile[] = [];
  for (const f of files) {
    if (!isDeltaIndex(f)) {
      out.push(f);
      continue;
    }
    const dir = dirname(f.path);
    if (files.some((o) => o !== f && dirname(o.path) === dir)) continue;
    let versions: string[];
    try {
      versions = Object.keys(
        (JSON.parse((await readAll(f)).toString("utf8")) as { versions: object }).versions,
      ).sort();
    } catch (e) {
      throw new InterdictError("INTERDICT_E_LIST_FORMAT", `not a delta index: ${(e as Error).message}`, {
        file: f.path,
      });
    }
    const present = versions.map((v) => join(dir, v, "entities.delta.json")).filter((p) => existsSync(p));
    if (present.length === 0) {
      throw new InterdictError(
        "INTERDICT_E_NOT_FOUND",
        "none of the delta versions it lists is in its folder",
        {
          file: f.path,
        },
      );
    }
    out.push(...(await inputFiles(present)));
  }
  return out;
}

/**
 * Reads files into new list versions of one dataset: one version for a whole list, one per
 * delta file. Throws InterdictError (and leaves the current version untouched) when the input
 * is not a valid list, or when the new version looks truncated (held back unless `force`).
 */
export async function ingest(
  store: Store,
  paths: readonly string[],
  opts: IngestOptions = {},
): Promise<IngestResult[]> {
  if (opts.dataset !== undefined && !DATASET_NAME.test(opts.dataset)) {
    throw new InterdictError(
      "INTERDICT_E_UNKNOWN_DATASET",
      `"${opts.dataset}" is not a dataset name (lower case letters, digits and _)`,
    );
  }
  const files = await expandDeltaIndexes(await inputFiles(paths));
  if (files.length === 0)
    throw new InterdictError("INTERDICT_E_NOT_FOUND", `no files in ${paths.join(", ")}`);
  const detected = files.map(detect);

  // Without --dataset, files may be versions of several datasets: each is ingested on its own.
  const groups = new Map<string, Detected[]>();
  for (const d of detected) {
    const dataset = opts.dataset ?? d.dataset;
    if (!dataset) {
      throw new InterdictError(
        "INTERDICT_E_UNKNOWN_DATASET",
        `cannot tell which dataset ${d.file.path} belongs to (format ${d.reader.format}); name it with --dataset`,
      );
    }
    groups.set(dataset, [...(groups.get(dataset) ?? []), d]);
  }
  const results: IngestResult[] = [];
  for (const [dataset, group] of groups) {
    const formats = [...new Set(group.map((d) => d.reader))];
    if (formats.length > 1) {
      const list = group.map((d) => `${d.file.path} (${d.reader.format})`).join(", ");
      throw new InterdictError(
        "INTERDICT_E_USAGE",
        `files of several formats given for ${dataset}: ${list}. One list version comes from one format; ingest them separately`,
      );
    }
    const reader = formats[0] as Reader;
    const files = group.map((d) => d.file);
    if (reader.kind === "delta") {
      for (const file of files) {
        results.push(await ingestOne(store, reader, dataset, [file], opts, versionLabel([file.path])));
      }
    } else {
      results.push(
        await ingestOne(store, reader, dataset, files, opts, versionLabel(files.map((f) => f.path))),
      );
    }
  }
  return results;
}

async function ingestOne(
  store: Store,
  reader: Reader,
  dataset: string,
  files: InputFile[],
  opts: IngestOptions,
  label: string | undefined,
): Promise<IngestResult> {
  const base = reader.kind === "delta" ? await store.currentVersion(dataset) : undefined;
  if (reader.kind === "delta" && !base) {
    throw new InterdictError(
      "INTERDICT_E_USAGE",
      `a delta file changes the current version of ${dataset}, and there is none yet: ingest a full export first`,
      { file: files[0]?.path ?? "" },
    );
  }
  const fileMeta = [];
  for (const f of files) fileMeta.push({ path: f.path, size: f.size, sha256: await sha256(f) });
  const writer: VersionWriter = await store.beginVersion(dataset, {
    version: opts.version ?? label ?? new Date().toISOString(),
    meta: { format: reader.format, files: fileMeta, ...opts.meta },
    ...(base ? { baseVersionId: base.id } : {}),
  });

  const totalBytes = files.reduce((a, f) => a + f.size, 0);
  let bytes = 0;
  let entities = 0;
  const report = (): void => opts.onProgress?.({ dataset, bytes, totalBytes, entities });
  const issueCodes: Record<string, number> = {};
  let issues = 0;
  const pendingIssues: Issue[] = [];
  try {
    const stream = reader.read(
      counted(files, (n) => {
        bytes = n;
      }),
      {
        dataset,
        issue(issue) {
          issues++;
          issueCodes[issue.code] = (issueCodes[issue.code] ?? 0) + 1;
          if (issues <= INGEST_DEFAULTS.maxStoredIssues) pendingIssues.push(issue);
        },
      },
    );
    for await (const item of stream) {
      if (reader.kind === "delta") {
        const { op, entity } = item as DeltaOp;
        if (op === "DEL") {
          if (!(await writer.delete(entity.id))) {
            pendingIssues.push({
              code: "delta_unknown_id",
              message: `DEL of ${entity.id}, which is not in the list`,
            });
          }
        } else await writer.put(entity, { replace: true });
      } else await writer.put(item as Entity);
      entities++;
      for (const issue of pendingIssues.splice(0)) await writer.issue(issue);
      if (entities % 1000 === 0) report();
    }
    for (const issue of pendingIssues.splice(0)) await writer.issue(issue);
    report();
    if (entities === 0 && reader.kind === "full") {
      throw new InterdictError("INTERDICT_E_LIST_FORMAT", "no entities found", {
        file: files.map((f) => f.path).join(", "),
      });
    }
    const summary = await writer.summary();
    const share = opts.maxRemovedShare ?? INGEST_DEFAULTS.maxRemovedShare;
    if (!opts.force && summary.before > 0 && summary.removed / summary.before > share) {
      const pct = ((100 * summary.removed) / summary.before).toFixed(1);
      const reason = `it would remove ${summary.removed} of ${summary.before} entities (${pct} %, more than ${share * 100} %)`;
      const held = await writer.hold(reason);
      throw new InterdictError(
        "INTERDICT_E_SUSPECT_VERSION",
        `new version of ${dataset} held back as suspect: ${reason}; a truncated download must never empty a list. ` +
          `The current version stays in force. If the removals are real, ingest again with --force (held version id ${held.id})`,
        { file: files.map((f) => f.path).join(", ") },
      );
    }
    const version = await writer.commit();
    return { dataset, format: reader.format, version, summary, issues, issueCodes };
  } catch (e) {
    await writer.abort(e instanceof Error ? e.message : String(e));
    throw e;
  }
}
