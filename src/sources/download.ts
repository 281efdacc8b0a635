// Fetches a dataset's files for `interdict update`, from one of three places:
//   1. the publisher's official URLs (catalog.ts);
//   2. a mirror server laid out like `<URL>/<dataset>/<YYYY-MM-DD>/<files>`: the newest version is
//      found from `<dataset>/index.json` when the mirror has one, else from the folder's HTML
//      listing (python -m http.server, nginx autoindex, Apache);
//   3. a local folder laid out the same way: its newest version folder is used in place.
// HTTP downloads stream into `<dataDir>/downloads/<dataset>/<timestamp>/`, hashing on the way
// (SHA-256). `<dataDir>/downloads/state.json` remembers each URL's ETag and Last-Modified, so a
// repeat update sends conditional requests, and each dataset's last checksums, so a 304 or an
// identical file means `changed: false` and no new folder. It fetches only: the caller ingests.
//
// Errors: INTERDICT_E_DOWNLOAD (a site unreachable, too slow, or answering with an error; the
// message names the ways out), INTERDICT_E_LIMIT (a file over `maxBytes`), INTERDICT_E_NOT_FOUND
// (the dataset is not on the mirror), INTERDICT_E_UNKNOWN_DATASET (not in the catalog).

import { createHash } from "node:crypto";
import { createReadStream, createWriteStream } from "node:fs";
import { copyFile, mkdir, readdir, readFile, rename, rm, stat, writeFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import { Readable, Transform } from "node:stream";
import { pipeline } from "node:stream/promises";
import type { ReadableStream as WebReadableStream } from "node:stream/web";
import { setTimeout as sleep } from "node:timers/promises";
import { fileURLToPath } from "node:url";
import { InterdictError } from "../errors.js";
import { INPUT_LIMITS } from "./_input.js";
import { type CatalogFile, datasetInfo, officialFiles } from "./catalog.js";

export interface DownloadProgress {
  readonly dataset: string;
  /** The file's name in the download folder. */
  readonly file: string;
  readonly url: string;
  /** Bytes received so far for this file. */
  readonly bytes: number;
  /** The file's size when the server says it. */
  readonly total?: number;
}

export interface DownloadOptions {
  /** The data directory; downloads and their state live in `<dataDir>/downloads/`. */
  dataDir: string;
  /**
   * A mirror: an http(s) URL or a local folder (or file: URL), laid out as
   * `<dataset>/<YYYY-MM-DD>/<files>`. Defaults to env INTERDICT_MIRROR; empty means the official site.
   */
  mirror?: string;
  /** Which of the catalog's distributions to fetch from the official site; its first by default. */
  distribution?: string;
  /** Values for the catalog's URL placeholders (`token` for eu_fsf, `collection` for opensanctions). */
  params?: Readonly<Record<string, string>>;
  /** Fetch these files instead of the catalog's (e.g. an EU URL with a personal token). */
  files?: readonly CatalogFile[];
  /** Time allowed until a server starts answering (connect, TLS, response headers). */
  connectTimeoutMs?: number;
  /** Time allowed for one whole file. */
  timeoutMs?: number;
  /** Largest file accepted; a bigger one is refused while it streams. */
  maxBytes?: number;
  /**
   * Further attempts after a network error, a connect timeout, HTTP 408/429 or 5xx (at most 10;
   * a host refusing connections or missing from DNS gets one).
   */
  retries?: number;
  /** First wait between attempts; it doubles each time up to `maxBackoffMs`. */
  backoffMs?: number;
  maxBackoffMs?: number;
  onProgress?: (progress: DownloadProgress) => void;
}

export const DOWNLOAD_DEFAULTS = {
  connectTimeoutMs: 30_000,
  timeoutMs: 10 * 60_000,
  maxBytes: INPUT_LIMITS.maxBytes,
  retries: 3,
  backoffMs: 1_000,
  maxBackoffMs: 15_000,
} satisfies Partial<DownloadOptions>;

export interface Download {
  readonly dataset: string;
  /** `YYYY-MM-DD`: the mirror folder's date; officially, the files' Last-Modified date, else today. */
  readonly version: string;
  /** The folder holding this version's files. */
  readonly dir: string;
  /** The list files, absolute paths (notes such as PROVENANCE.md stay in `dir` but are not listed). */
  readonly files: readonly string[];
  /** False when the files are the same as the previous download's (304s or equal checksums). */
  readonly changed: boolean;
  /** SHA-256 of each of `files`, by file name. */
  readonly checksums: Readonly<Record<string, string>>;
  /** `official`, the mirror URL, or the mirror folder. */
  readonly source: string;
}

export type Mirror = { kind: "url"; url: URL } | { kind: "dir"; path: string };

/** Reads a `--mirror` value: http(s) URL, file: URL or folder path; empty or undefined → none. */
export function resolveMirror(value: string | undefined): Mirror | undefined {
  const text = value?.trim();
  if (!text) return undefined;
  if (/^https?:\/\//i.test(text)) {
    const url = new URL(text);
    if (!url.pathname.endsWith("/")) url.pathname += "/";
    return { kind: "url", url };
  }
  if (/^file:\/\//i.test(text)) return { kind: "dir", path: fileURLToPath(text) };
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(text)) {
    throw new InterdictError(
      "INTERDICT_E_USAGE",
      `mirror ${text}: only http(s) URLs and folders are supported`,
    );
  }
  return { kind: "dir", path: resolve(text) };
}

/** Fetches the newest version of a dataset's files; see the module header for where from. */
export async function downloadDataset(dataset: string, options: DownloadOptions): Promise<Download> {
  const info = datasetInfo(dataset);
  const o = { ...DOWNLOAD_DEFAULTS, ...definedOnly(options) };
  o.retries = Math.max(0, Math.min(10, Math.floor(o.retries)));
  const mirror = resolveMirror(options.mirror ?? process.env.INTERDICT_MIRROR);
  if (mirror?.kind === "dir") return fromFolder(info.name, mirror.path, o);
  if (mirror?.kind === "url") {
    const http = new Http(o, { dataset: info.name, origin: `the mirror ${mirror.url.href}`, mirror: true });
    const plan = await mirrorPlan(info.name, mirror.url, http);
    return fetchAll(info.name, plan, http, o);
  }
  const http = new Http(o, {
    dataset: info.name,
    origin: `the official site for ${info.name}`,
    mirror: false,
  });
  const files = options.files ?? officialFiles(info, options.distribution, options.params);
  return fetchAll(info.name, { files: [...files], source: "official" }, http, o);
}

type Settings = typeof DOWNLOAD_DEFAULTS & DownloadOptions;

function definedOnly<T extends object>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
}

// ---------------------------------------------------------------------------------------------
// State: what was fetched before

interface UrlState {
  etag?: string;
  lastModified?: string;
  sha256: string;
  /** Where the file from this URL is kept, to reuse it on a 304. */
  path: string;
}

interface DatasetState {
  version: string;
  dir: string;
  source: string;
  files: Record<string, string>;
  listFiles: string[];
}

interface State {
  urls: Record<string, UrlState>;
  datasets: Record<string, DatasetState>;
}

const statePath = (dataDir: string) => join(dataDir, "downloads", "state.json");

async function loadState(dataDir: string): Promise<State> {
  let text: string;
  try {
    text = await readFile(statePath(dataDir), "utf8");
  } catch {
    return { urls: {}, datasets: {} };
  }
  try {
    const parsed = JSON.parse(text) as Partial<State>;
    return { urls: parsed.urls ?? {}, datasets: parsed.datasets ?? {} };
  } catch {
    // The state is only a cache of validators and checksums: losing it costs one full download.
    return { urls: {}, datasets: {} };
  }
}

let stateLock: Promise<unknown> = Promise.resolve();

/**
 * Applies one download's changes to the state file. Re-reads it first and runs one update at a
 * time, so datasets updated in parallel (`update` of every list at once) do not lose each other's.
 */
function updateState(dataDir: string, change: (state: State) => void): Promise<void> {
  const run = stateLock.then(async () => {
    const state = await loadState(dataDir);
    change(state);
    const path = statePath(dataDir);
    const tmp = `${path}.${process.pid}.tmp`;
    await mkdir(join(dataDir, "downloads"), { recursive: true });
    await writeFile(tmp, `${JSON.stringify(state, null, 2)}\n`);
    await rename(tmp, path);
  });
  stateLock = run.catch(() => undefined);
  return run;
}

async function exists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch {
    return false;
  }
}

const sameChecksums = (a: Record<string, string>, b: Record<string, string>): boolean => {
  const keys = Object.keys(a);
  return keys.length === Object.keys(b).length && keys.every((k) => a[k] === b[k]);
};

const pick = (all: Record<string, string>, names: readonly string[]): Record<string, string> =>
  Object.fromEntries(names.map((n) => [n, all[n] ?? ""]));

/** Notes that travel with a list but are not list files; `inputFiles` skips them in folders too. */
const isNote = (name: string): boolean => name.startsWith(".") || /^(PROVENANCE|README)/i.test(name);

const DATE = /^\d{4}-\d{2}-\d{2}$/;

/** A file name from a listing or index, checked so it cannot point outside the download folder. */
function safeName(name: string, where: string): string {
  if (!name || name === "." || name === ".." || /[/\\\0]/.test(name)) {
    throw new InterdictError(
      "INTERDICT_E_DOWNLOAD",
      `${where} names a file "${name}", which is not a plain file name`,
    );
  }
  return name;
}

// ---------------------------------------------------------------------------------------------
// Local mirror folder

async function fromFolder(dataset: string, root: string, o: Settings): Promise<Download> {
  if (!(await stat(root).catch(() => undefined))?.isDirectory()) {
    throw new InterdictError("INTERDICT_E_NOT_FOUND", `the mirror folder ${root} does not exist`);
  }
  const dsDir = join(root, dataset);
  const st = await stat(dsDir).catch(() => undefined);
  if (!st?.isDirectory()) {
    throw new InterdictError(
      "INTERDICT_E_NOT_FOUND",
      `dataset ${dataset} is not in the mirror folder ${root} (no folder ${dsDir})`,
    );
  }
  const versions = (await readdir(dsDir, { withFileTypes: true }))
    .filter((e) => e.isDirectory() && DATE.test(e.name))
    .map((e) => e.name)
    .sort();
  const version = versions.at(-1);
  if (!version) {
    throw new InterdictError(
      "INTERDICT_E_NOT_FOUND",
      `the mirror folder ${dsDir} holds no YYYY-MM-DD version folder for dataset ${dataset}`,
    );
  }
  const dir = join(dsDir, version);
  const names = (await readdir(dir, { withFileTypes: true }))
    .filter((e) => e.isFile() && !e.name.startsWith("."))
    .map((e) => e.name)
    .sort();
  const checksums: Record<string, string> = {};
  for (const name of names) {
    const path = join(dir, name);
    const size = (await stat(path)).size;
    if (size > o.maxBytes) {
      throw new InterdictError("INTERDICT_E_LIMIT", `${size} bytes, over the ${o.maxBytes}-byte limit`, {
        file: path,
      });
    }
    checksums[name] = await hashFile(path);
  }
  const listFiles = names.filter((n) => !isNote(n));
  if (listFiles.length === 0) {
    throw new InterdictError("INTERDICT_E_NOT_FOUND", `the mirror folder ${dir} holds no list files`);
  }
  const prev = (await loadState(o.dataDir)).datasets[dataset];
  const changed = !(prev && sameChecksums(prev.files, checksums));
  await updateState(o.dataDir, (state) => {
    state.datasets[dataset] = { version, dir, source: root, files: checksums, listFiles };
  });
  return {
    dataset,
    version,
    dir,
    files: listFiles.map((n) => join(dir, n)),
    changed,
    checksums: pick(checksums, listFiles),
    source: root,
  };
}

async function hashFile(path: string): Promise<string> {
  const hash = createHash("sha256");
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest("hex");
}

// ---------------------------------------------------------------------------------------------
// Mirror server: find the newest version and its files

interface Plan {
  files: CatalogFile[];
  /** Known from the mirror's folder name; official downloads work it out from the responses. */
  version?: string;
  source: string;
}

interface IndexedVersion {
  version: string;
  files?: string[];
}

async function mirrorPlan(dataset: string, base: URL, http: Http): Promise<Plan> {
  const dsUrl = new URL(`${encodeURIComponent(dataset)}/`, base);
  let versions: IndexedVersion[];
  const index = await http.text(new URL("index.json", dsUrl));
  if (index !== undefined) {
    versions = parseIndex(index, `${dsUrl.href}index.json`);
  } else {
    const listing = await http.text(dsUrl);
    if (listing === undefined) {
      throw new InterdictError(
        "INTERDICT_E_NOT_FOUND",
        `dataset ${dataset} is not on the mirror ${base.href} (${dsUrl.href} not found)`,
      );
    }
    versions = childLinks(listing, dsUrl)
      .filter((l) => l.dir && DATE.test(l.name))
      .map((l) => ({ version: l.name }));
  }
  const newest = versions.sort((a, b) => a.version.localeCompare(b.version)).at(-1);
  if (!newest) {
    throw new InterdictError(
      "INTERDICT_E_NOT_FOUND",
      `the mirror ${base.href} lists no YYYY-MM-DD version of dataset ${dataset} at ${dsUrl.href}`,
    );
  }
  const versionUrl = new URL(`${newest.version}/`, dsUrl);
  let names = newest.files;
  if (!names) {
    const listing = await http.text(versionUrl);
    if (listing === undefined) {
      throw new InterdictError(
        "INTERDICT_E_NOT_FOUND",
        `the mirror lists ${versionUrl.href} but it is not there`,
      );
    }
    names = childLinks(listing, versionUrl)
      .filter((l) => !l.dir)
      .map((l) => l.name);
  }
  if (names.length > INPUT_LIMITS.maxArchiveEntries) {
    throw new InterdictError(
      "INTERDICT_E_LIMIT",
      `the mirror lists ${names.length} files in ${versionUrl.href}, more than ${INPUT_LIMITS.maxArchiveEntries}`,
    );
  }
  const files = [...new Set(names)].map((n) => {
    const name = safeName(n, versionUrl.href);
    return { name, url: new URL(encodeURIComponent(name), versionUrl).href };
  });
  if (!files.some((f) => !isNote(f.name))) {
    throw new InterdictError("INTERDICT_E_NOT_FOUND", `the mirror lists no files in ${versionUrl.href}`);
  }
  return { files, version: newest.version, source: base.href };
}

/**
 * Versions from a mirror's `index.json`: `["2024-05-03", …]`, `{"versions": [...]}`, or nginx's
 * JSON autoindex (`[{"name": "2024-05-03", "type": "directory"}, …]`); an entry may be an object
 * with `version`, `name` or `date`, and may list its `files` (names or `{name}` objects).
 */
export function parseIndex(text: string, where: string): IndexedVersion[] {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (e) {
    throw new InterdictError("INTERDICT_E_DOWNLOAD", `${where} is not valid JSON (${(e as Error).message})`);
  }
  const list = Array.isArray(doc) ? doc : (doc as { versions?: unknown } | null)?.versions;
  if (!Array.isArray(list)) {
    throw new InterdictError("INTERDICT_E_DOWNLOAD", `${where} has no list of versions`);
  }
  const nameOf = (v: unknown): string | undefined => {
    if (typeof v === "string") return v;
    if (v && typeof v === "object") {
      const o = v as Record<string, unknown>;
      const n = o.version ?? o.name ?? o.date;
      return typeof n === "string" ? n : undefined;
    }
    return undefined;
  };
  const out: IndexedVersion[] = [];
  for (const entry of list) {
    const version = nameOf(entry)?.replace(/\/$/, "");
    if (!version || !DATE.test(version)) continue;
    const files = (entry as { files?: unknown })?.files;
    out.push(
      Array.isArray(files)
        ? { version, files: files.map(nameOf).filter((n): n is string => n !== undefined) }
        : { version },
    );
  }
  return out;
}

const HREF = /href\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))/gi;

const unescapeHtml = (s: string): string =>
  s.replace(/&(amp|quot|#39|apos|lt|gt);/g, (_m, e: string) =>
    e === "amp" ? "&" : e === "quot" ? '"' : e === "lt" ? "<" : e === "gt" ? ">" : "'",
  );

/**
 * The direct children a directory listing links to. Links are resolved against the listing's
 * URL, so relative, absolute-path and full hrefs all work; parents, sort links (`?C=N;O=D`),
 * anchors and anything deeper or elsewhere are ignored.
 */
export function childLinks(html: string, base: URL): { name: string; dir: boolean }[] {
  const out = new Map<string, boolean>();
  for (const m of html.matchAll(HREF)) {
    const raw = unescapeHtml(m[1] ?? m[2] ?? m[3] ?? "");
    if (!raw || raw.includes("?") || raw.startsWith("#")) continue;
    let url: URL;
    try {
      url = new URL(raw, base);
    } catch {
      continue;
    }
    if (url.origin !== base.origin || url.search || !url.pathname.startsWith(base.pathname)) continue;
    const rest = url.pathname.slice(base.pathname.length);
    const dir = rest.endsWith("/");
    const segment = dir ? rest.slice(0, -1) : rest;
    if (!segment || segment.includes("/")) continue;
    let name: string;
    try {
      name = decodeURIComponent(segment);
    } catch {
      continue;
    }
    if (name === "." || name === "..") continue;
    out.set(name, dir);
  }
  return [...out].map(([name, dir]) => ({ name, dir }));
}

// ---------------------------------------------------------------------------------------------
// Fetching a version's files into a new folder

type Fetched =
  | { status: 304 }
  | { status: 200; sha256: string; size: number; etag?: string; lastModified?: string };

const stamp = (d: Date): string => d.toISOString().replace(/[:.]/g, "-");

async function fetchAll(dataset: string, plan: Plan, http: Http, o: Settings): Promise<Download> {
  const root = join(o.dataDir, "downloads", dataset);
  const state = await loadState(o.dataDir);
  const prev = state.datasets[dataset];
  const started = new Date();
  const staging = join(root, `.${stamp(started)}-${process.pid}.partial`);
  await mkdir(staging, { recursive: true });
  try {
    const results: { file: CatalogFile; known?: UrlState; got: Fetched }[] = [];
    for (const file of plan.files) {
      safeName(file.name, file.url);
      const seen = state.urls[file.url];
      const known = seen && (await exists(seen.path)) ? seen : undefined;
      const got = await http.download(file, join(staging, file.name), known);
      results.push({ file, known, got });
    }
    const checksums: Record<string, string> = {};
    for (const r of results) checksums[r.file.name] = r.got.status === 200 ? r.got.sha256 : r.known!.sha256;
    const listFiles = plan.files.map((f) => f.name).filter((n) => !isNote(n));

    const unchanged =
      prev &&
      sameChecksums(prev.files, checksums) &&
      (await Promise.all(Object.keys(prev.files).map((n) => exists(join(prev.dir, n))))).every(Boolean);
    let dir: string;
    let version: string;
    if (unchanged) {
      dir = prev.dir;
      version = prev.version;
      await rm(staging, { recursive: true, force: true });
    } else {
      dir = join(root, stamp(started));
      version = plan.version ?? publisherDate(results) ?? started.toISOString().slice(0, 10);
      for (const r of results) {
        // A 304 file joins the new version folder as a copy of the one we already have.
        if (r.got.status === 304) await copyFile(r.known!.path, join(staging, r.file.name));
      }
      await rename(staging, dir);
    }
    await updateState(o.dataDir, (state) => {
      for (const r of results) {
        const path = join(dir, r.file.name);
        state.urls[r.file.url] =
          r.got.status === 200
            ? { etag: r.got.etag, lastModified: r.got.lastModified, sha256: r.got.sha256, path }
            : { ...r.known!, path };
      }
      if (!unchanged)
        state.datasets[dataset] = { version, dir, source: plan.source, files: checksums, listFiles };
    });
    return {
      dataset,
      version,
      dir,
      files: listFiles.map((n) => join(dir, n)),
      changed: !unchanged,
      checksums: pick(checksums, listFiles),
      source: plan.source,
    };
  } catch (e) {
    await rm(staging, { recursive: true, force: true });
    throw e;
  }
}

/** The newest Last-Modified date among the files, when the server sends one. */
function publisherDate(results: readonly { known?: UrlState; got: Fetched }[]): string | undefined {
  let newest: number | undefined;
  for (const r of results) {
    const text = r.got.status === 200 ? r.got.lastModified : r.known?.lastModified;
    const t = text ? Date.parse(text) : Number.NaN;
    if (!Number.isNaN(t) && (newest === undefined || t > newest)) newest = t;
  }
  return newest === undefined ? undefined : new Date(newest).toISOString().slice(0, 10);
}

// ---------------------------------------------------------------------------------------------
// HTTP with timeouts, retries and a size ceiling

/** Why one attempt failed; turned into an InterdictError once the attempts run out. */
class AttemptError extends Error {
  constructor(
    readonly kind: "unreachable" | "network" | "connect-timeout" | "timeout" | "status" | "limit",
    message: string,
    readonly url: string,
    readonly status?: number,
    readonly retryAfterMs?: number,
  ) {
    super(message);
  }

  get retryable(): boolean {
    if (this.kind === "status")
      return this.status === 408 || this.status === 429 || (this.status ?? 0) >= 500;
    return this.kind === "unreachable" || this.kind === "network" || this.kind === "connect-timeout";
  }

  /**
   * Retries worth making: a host that cannot be reached at all gets one more try, not the full
   * set, and a name DNS says does not exist gets none (offline, every official site fails so).
   */
  retriesFor(configured: number): number {
    if (this.kind !== "unreachable") return configured;
    return /ENOTFOUND/.test(this.message) ? 0 : Math.min(1, configured);
  }
}

const waysOut = (mirror: boolean): string =>
  `Two ways out: ${mirror ? "use another mirror or a local folder" : "fetch the lists from a mirror"} with ` +
  "`interdict update --mirror DIR|URL` (or set INTERDICT_MIRROR to the folder or URL), " +
  "or load files you already have with `interdict ingest FILE...`.";

const seconds = (ms: number): string => `${Math.round(ms / 100) / 10} s`;

/**
 * Failures before any exchange with the host: no DNS name, no route, nobody listening, or a port
 * fetch refuses. Offline, every official site fails like this, so they are not retried at length.
 */
const UNREACHABLE = new Set(["ENOTFOUND", "EAI_AGAIN", "ECONNREFUSED", "ENETUNREACH", "EHOSTUNREACH"]);

/** Classifies a fetch failure by its root cause (`connect ECONNREFUSED 127.0.0.1:1`). */
function networkFailure(e: unknown, url: string): AttemptError {
  let err = e as { message?: string; cause?: unknown; code?: string } | undefined;
  for (let depth = 0; depth < 5 && err?.cause; depth++) err = err.cause as typeof err;
  const detail = err?.message || err?.code || String(e);
  const unreachable = (err?.code !== undefined && UNREACHABLE.has(err.code)) || detail === "bad port";
  return new AttemptError(unreachable ? "unreachable" : "network", detail, url);
}

function retryAfter(header: string | null, cap: number): number | undefined {
  if (!header) return undefined;
  const secs = Number(header);
  const ms = Number.isFinite(secs) ? secs * 1000 : Date.parse(header) - Date.now();
  return Number.isFinite(ms) ? Math.max(0, Math.min(cap, ms)) : undefined;
}

class Http {
  constructor(
    private readonly o: Settings,
    private readonly who: { dataset: string; origin: string; mirror: boolean },
  ) {}

  /** Downloads one file to `dest`; conditional when `known` says what we already have. */
  download(file: CatalogFile, dest: string, known: UrlState | undefined): Promise<Fetched> {
    const headers: Record<string, string> = {};
    if (known?.etag) headers["if-none-match"] = known.etag;
    if (known?.lastModified) headers["if-modified-since"] = known.lastModified;
    return this.withRetries(file.url, (signal) => this.once(file, dest, headers, signal));
  }

  /** A small text (listing, index); undefined when the server says it is not there (404/410). */
  text(url: URL): Promise<string | undefined> {
    return this.withRetries(url.href, async (signal) => {
      const res = await fetch(url, { signal: signal.signal, headers: { "user-agent": USER_AGENT } });
      signal.answered();
      if (res.status === 404 || res.status === 410) {
        await res.body?.cancel();
        return undefined;
      }
      if (!res.ok) throw this.statusError(res, url.href);
      const chunks: Buffer[] = [];
      let size = 0;
      for await (const chunk of Readable.fromWeb(res.body as WebReadableStream<Uint8Array>)) {
        size += (chunk as Buffer).length;
        if (size > LISTING_MAX_BYTES) {
          throw new AttemptError("limit", `a listing over ${LISTING_MAX_BYTES} bytes`, url.href);
        }
        chunks.push(chunk as Buffer);
      }
      return Buffer.concat(chunks).toString("utf8");
    });
  }

  private async once(
    file: CatalogFile,
    dest: string,
    headers: Record<string, string>,
    signal: Deadline,
  ): Promise<Fetched> {
    const res = await fetch(file.url, {
      signal: signal.signal,
      headers: { ...headers, "user-agent": USER_AGENT },
    });
    signal.answered();
    if (res.status === 304 && Object.keys(headers).length > 0) {
      await res.body?.cancel();
      return { status: 304 };
    }
    if (!res.ok) throw this.statusError(res, file.url);
    const length = Number(res.headers.get("content-length"));
    const total = Number.isFinite(length) && length > 0 ? length : undefined;
    const max = this.o.maxBytes;
    if (total !== undefined && total > max) {
      await res.body?.cancel();
      throw new AttemptError(
        "limit",
        `the server announces ${total} bytes, over the ${max}-byte download limit`,
        file.url,
      );
    }
    const hash = createHash("sha256");
    let bytes = 0;
    const progress = (): void =>
      this.o.onProgress?.({ dataset: this.who.dataset, file: file.name, url: file.url, bytes, total });
    const meter = new Transform({
      transform(chunk: Buffer, _enc, done) {
        bytes += chunk.length;
        if (bytes > max) {
          done(
            new AttemptError(
              "limit",
              `more than ${max} bytes arrived, over the ${max}-byte download limit`,
              file.url,
            ),
          );
          return;
        }
        hash.update(chunk);
        progress();
        done(null, chunk);
      },
    });
    const body = res.body ? Readable.fromWeb(res.body as WebReadableStream<Uint8Array>) : Readable.from([]);
    await pipeline(body, meter, createWriteStream(dest));
    progress();
    return {
      status: 200,
      sha256: hash.digest("hex"),
      size: bytes,
      etag: res.headers.get("etag") ?? undefined,
      lastModified: res.headers.get("last-modified") ?? undefined,
    };
  }

  private statusError(res: Response, url: string): AttemptError {
    void res.body?.cancel().catch(() => undefined);
    return new AttemptError(
      "status",
      `HTTP ${res.status} ${res.statusText}`.trim(),
      url,
      res.status,
      retryAfter(res.headers.get("retry-after"), this.o.maxBackoffMs),
    );
  }

  private async withRetries<T>(url: string, attempt: (deadline: Deadline) => Promise<T>): Promise<T> {
    for (let n = 0; ; n++) {
      const deadline = new Deadline(this.o.connectTimeoutMs, this.o.timeoutMs);
      let failure: AttemptError;
      try {
        return await attempt(deadline);
      } catch (e) {
        failure = deadline.explain(e, url);
      } finally {
        deadline.clear();
      }
      if (!failure.retryable || n >= failure.retriesFor(this.o.retries))
        throw this.finalError(failure, n + 1);
      const wait = failure.retryAfterMs ?? Math.min(this.o.maxBackoffMs, this.o.backoffMs * 2 ** n);
      await sleep(wait);
    }
  }

  private finalError(f: AttemptError, attempts: number): InterdictError {
    const tries = attempts > 1 ? ` (${attempts} attempts)` : "";
    const origin = this.who.origin.charAt(0).toUpperCase() + this.who.origin.slice(1);
    switch (f.kind) {
      case "limit":
        return new InterdictError("INTERDICT_E_LIMIT", `refused: ${f.message}`, { file: f.url });
      case "status":
        return new InterdictError(
          "INTERDICT_E_DOWNLOAD",
          `${origin} answered ${f.message} for ${f.url}${tries}. ${waysOut(this.who.mirror)}`,
        );
      case "connect-timeout":
        return new InterdictError(
          "INTERDICT_E_DOWNLOAD",
          `${origin} could not be reached: no answer within ${seconds(this.o.connectTimeoutMs)} from ${f.url}${tries}. ${waysOut(this.who.mirror)}`,
        );
      case "timeout":
        return new InterdictError(
          "INTERDICT_E_DOWNLOAD",
          `${origin} was too slow: ${f.url} did not finish downloading within ${seconds(this.o.timeoutMs)}${tries}. ${waysOut(this.who.mirror)}`,
        );
      default:
        return new InterdictError(
          "INTERDICT_E_DOWNLOAD",
          `${origin} could not be reached (${f.message}) at ${f.url}${tries}. ${waysOut(this.who.mirror)}`,
        );
    }
  }
}

const USER_AGENT = "interdict/0.1 (sanctions list updater)";
const LISTING_MAX_BYTES = 16 * 1024 * 1024;

/** One attempt's clocks: one until the server answers, one for the whole transfer. */
class Deadline {
  private readonly controller = new AbortController();
  private expired: "connect-timeout" | "timeout" | undefined;
  private readonly connectTimer: NodeJS.Timeout;
  private readonly totalTimer: NodeJS.Timeout;

  constructor(connectMs: number, totalMs: number) {
    this.connectTimer = setTimeout(() => this.expire("connect-timeout"), connectMs);
    this.totalTimer = setTimeout(() => this.expire("timeout"), totalMs);
  }

  get signal(): AbortSignal {
    return this.controller.signal;
  }

  /** The server has answered: from now on only the whole-transfer clock runs. */
  answered(): void {
    clearTimeout(this.connectTimer);
  }

  clear(): void {
    clearTimeout(this.connectTimer);
    clearTimeout(this.totalTimer);
    // Ends a body nobody reads any more (after an error) so its connection is released.
    this.controller.abort();
  }

  explain(e: unknown, url: string): AttemptError {
    if (this.expired) return new AttemptError(this.expired, "timed out", url);
    if (e instanceof AttemptError) return e;
    // A local failure (disk full, no permission) is not the network's: no retry, no rewording.
    if ((e as NodeJS.ErrnoException).syscall) throw e;
    return networkFailure(e, url);
  }

  private expire(kind: "connect-timeout" | "timeout"): void {
    this.expired ??= kind;
    this.controller.abort();
  }
}
