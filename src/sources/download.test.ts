import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { createReadStream } from "node:fs";
import { mkdir, mkdtemp, readdir, readFile, rm, stat, utimes, writeFile } from "node:fs/promises";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join, resolve, sep } from "node:path";
import { after, before, describe, it } from "node:test";
import { InterdictError } from "../errors.js";
import {
  childLinks,
  type DownloadOptions,
  type DownloadProgress,
  downloadDataset,
  parseIndex,
  resolveMirror,
} from "./download.js";

const LISTS = resolve("../shared/data/lists");

// ---------------------------------------------------------------------------------------------
// A static file server on loopback, like `python -m http.server` or nginx autoindex, with
// ETag / Last-Modified / 304 support and a request log.

interface Served {
  url: string;
  log: { path: string; status: number }[];
  close(): Promise<void>;
}

interface ServeOptions {
  /** `python`: relative hrefs. `nginx`: `../`, absolute-path hrefs and Apache-style sort links. */
  style?: "python" | "nginx";
  /** Send ETag and Last-Modified and answer conditional requests with 304. */
  validators?: boolean;
  /** Leave out Content-Length (chunked transfer). */
  chunked?: boolean;
  /** Handles a request itself when it returns true. */
  intercept?: (req: IncomingMessage, res: ServerResponse, path: string) => boolean;
}

function listing(path: string, entries: { name: string; dir: boolean }[], style: "python" | "nginx"): string {
  const links = entries.map(({ name, dir }) => {
    const label = dir ? `${name}/` : name;
    const href = style === "nginx" ? `${path}${encodeURIComponent(name)}${dir ? "/" : ""}` : encodeURI(label);
    return `<li><a href="${href}">${label}</a></li>`;
  });
  const extra =
    style === "nginx"
      ? ['<a href="../">../</a>', '<a href="?C=N;O=D">Name</a>', '<a href="#top">top</a>']
      : [];
  return `<!DOCTYPE HTML><html><head><title>Directory listing for ${path}</title></head><body><h1>Index of ${path}</h1><hr><ul>${extra.join("")}${links.join("\n")}</ul><hr></body></html>`;
}

async function serve(root: string, options: ServeOptions = {}): Promise<Served> {
  const { style = "python", validators = true, chunked = false } = options;
  const log: Served["log"] = [];
  const server = createServer((req, res) => {
    const path = decodeURIComponent(new URL(req.url ?? "/", "http://loopback").pathname);
    res.on("finish", () => log.push({ path, status: res.statusCode }));
    if (options.intercept?.(req, res, path)) return;
    const full = resolve(join(root, path));
    if (full !== root && !full.startsWith(root + sep)) {
      res.writeHead(403).end();
      return;
    }
    stat(full).then(
      async (st) => {
        if (st.isDirectory()) {
          if (!path.endsWith("/")) {
            res.writeHead(301, { location: `${path}/` }).end();
            return;
          }
          const entries = (await readdir(full, { withFileTypes: true }))
            .map((e) => ({ name: e.name, dir: e.isDirectory() }))
            .sort((a, b) => a.name.localeCompare(b.name));
          res
            .writeHead(200, { "content-type": "text/html; charset=utf-8" })
            .end(listing(path, entries, style));
          return;
        }
        const etag = `"${st.size.toString(16)}-${Math.floor(st.mtimeMs).toString(16)}"`;
        const lastModified = st.mtime.toUTCString();
        if (validators) {
          const inm = req.headers["if-none-match"];
          const ims = req.headers["if-modified-since"];
          const fresh = inm
            ? inm === etag
            : ims !== undefined && Math.floor(st.mtimeMs / 1000) <= Date.parse(ims) / 1000;
          if (fresh) {
            res.writeHead(304, { etag, "last-modified": lastModified }).end();
            return;
          }
        }
        const headers: Record<string, string | number> = { "content-type": "application/octet-stream" };
        if (!chunked) headers["content-length"] = st.size;
        if (validators) Object.assign(headers, { etag, "last-modified": lastModified });
        res.writeHead(200, headers);
        createReadStream(full).pipe(res);
      },
      () => res.writeHead(404).end("not found"),
    );
  });
  await new Promise<void>((ok) => server.listen(0, "127.0.0.1", ok));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/`,
    log,
    close: () =>
      new Promise<void>((ok) => {
        server.closeAllConnections();
        server.close(() => ok());
      }),
  };
}

// ---------------------------------------------------------------------------------------------
// Helpers

async function sha256(path: string): Promise<string> {
  const hash = createHash("sha256");
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest("hex");
}

const temps: string[] = [];
async function tempDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), "interdict-download-"));
  temps.push(dir);
  return dir;
}
after(async () => {
  for (const d of temps) await rm(d, { recursive: true, force: true });
});

/** Version folders (and any leftover staging folders) a dataset's downloads have. */
const folders = async (dataDir: string, dataset: string): Promise<string[]> =>
  (await readdir(join(dataDir, "downloads", dataset)).catch(() => [] as string[])).sort();

/** Fast options for tests: short clocks, tiny backoff. */
const quick = (dataDir: string, more: Partial<DownloadOptions> = {}): DownloadOptions => ({
  dataDir,
  connectTimeoutMs: 2_000,
  timeoutMs: 10_000,
  retries: 2,
  backoffMs: 5,
  ...more,
});

function rejectsWith(code: string, ...parts: (string | RegExp)[]): (e: unknown) => boolean {
  return (e: unknown) => {
    assert.ok(e instanceof InterdictError, `not an InterdictError: ${e}`);
    assert.equal(e.code, code, e.message);
    for (const p of parts) {
      if (typeof p === "string") assert.ok(e.message.includes(p), `"${p}" not in: ${e.message}`);
      else assert.match(e.message, p);
    }
    return true;
  };
}

const WAYS_OUT = ["--mirror DIR|URL", "INTERDICT_MIRROR", "interdict ingest FILE..."];

// ---------------------------------------------------------------------------------------------

describe("downloadDataset from a mirror server", () => {
  let server: Served;
  before(async () => {
    server = await serve(LISTS);
  });
  after(() => server.close());

  it("takes the newest version and downloads its files byte-identical", async () => {
    const dataDir = await tempDir();
    const table: [string, string, string[]][] = [
      ["us_ofac_sdn", "2024-05-03", ["SDN.CSV"]],
      ["us_ofac_cons", "2025-12-19", ["CONS_ADD.CSV", "CONS_ALT.CSV", "CONS_COMMENTS.CSV", "CONS_PRIM.CSV"]],
      ["un_sc_sanctions", "2026-02-27", ["consolidated.xml"]],
      ["au_dfat_sanctions", "2024-11-11", ["regulation8_consolidated.xlsx"]],
    ];
    for (const [dataset, version, names] of table) {
      const got = await downloadDataset(dataset, quick(dataDir, { mirror: server.url }));
      assert.equal(got.dataset, dataset);
      assert.equal(got.version, version);
      assert.equal(got.changed, true);
      assert.equal(got.source, server.url);
      assert.ok(got.dir.startsWith(join(dataDir, "downloads", dataset) + sep), got.dir);
      assert.deepEqual(
        got.files,
        names.map((n) => join(got.dir, n)),
      );
      for (const name of names) {
        const original = await sha256(join(LISTS, dataset, version, name));
        assert.equal(await sha256(join(got.dir, name)), original, name);
        assert.equal(got.checksums[name], original, name);
      }
    }
    const state = JSON.parse(await readFile(join(dataDir, "downloads", "state.json"), "utf8"));
    assert.ok(state.urls[`${server.url}us_ofac_sdn/2024-05-03/SDN.CSV`].etag);
  });

  it("keeps notes beside the list files but does not list them", async () => {
    const dataDir = await tempDir();
    const got = await downloadDataset("gb_fcdo_sanctions", quick(dataDir, { mirror: server.url }));
    assert.equal(got.version, "2026-08-22");
    assert.deepEqual(got.files, [join(got.dir, "entities.ftm.json")]);
    assert.deepEqual((await readdir(got.dir)).sort(), ["PROVENANCE.md", "entities.ftm.json"]);
    assert.deepEqual(Object.keys(got.checksums), ["entities.ftm.json"]);
  });

  it("a second update gets 304s: unchanged, no new folder", async () => {
    const dataDir = await tempDir();
    const first = await downloadDataset("us_ofac_cons", quick(dataDir, { mirror: server.url }));
    const mark = server.log.length;
    const second = await downloadDataset("us_ofac_cons", quick(dataDir, { mirror: server.url }));
    const fileRequests = server.log
      .slice(mark)
      .filter((r) => r.path.startsWith("/us_ofac_cons/2025-12-19/C"));
    assert.equal(fileRequests.length, 4);
    assert.ok(fileRequests.every((r) => r.status === 304));
    assert.equal(second.changed, false);
    assert.equal(second.dir, first.dir);
    assert.equal(second.version, "2025-12-19");
    assert.deepEqual(second.files, first.files);
    assert.deepEqual(second.checksums, first.checksums);
    assert.equal((await folders(dataDir, "us_ofac_cons")).length, 1);
  });

  it("keeps every dataset's state when datasets update in parallel", async () => {
    const dataDir = await tempDir();
    const names = ["us_ofac_sdn", "un_sc_sanctions", "opensanctions", "ca_dfatd_sema_sanctions"];
    const got = await Promise.all(
      names.map((n) => downloadDataset(n, quick(dataDir, { mirror: server.url }))),
    );
    assert.ok(got.every((d) => d.changed));
    const state = JSON.parse(await readFile(join(dataDir, "downloads", "state.json"), "utf8"));
    assert.deepEqual(Object.keys(state.datasets).sort(), [...names].sort());
    const again = await Promise.all(
      names.map((n) => downloadDataset(n, quick(dataDir, { mirror: server.url }))),
    );
    assert.ok(again.every((d) => !d.changed));
  });

  it("reads nginx-style listings (parent link, absolute hrefs, sort links)", async () => {
    const nginx = await serve(LISTS, { style: "nginx" });
    try {
      const got = await downloadDataset("us_ofac_sdn", quick(await tempDir(), { mirror: `${nginx.url}` }));
      assert.equal(got.version, "2024-05-03");
      assert.deepEqual(
        got.files.map((f) => f.slice(got.dir.length + 1)),
        ["SDN.CSV"],
      );
    } finally {
      await nginx.close();
    }
  });

  it("prefers the dataset's index.json to the folder listing", async () => {
    const root = await tempDir();
    const ds = join(root, "un_sc_sanctions");
    for (const v of ["2019-01-01", "2020-06-30", "2021-12-31"]) {
      await mkdir(join(ds, v), { recursive: true });
      await writeFile(join(ds, v, "consolidated.xml"), `<CONSOLIDATED_LIST version="${v}"/>\n`);
      await writeFile(join(ds, v, "extra.xml"), "<x/>\n");
    }
    // The index lists two versions (not the 2021 folder) and, for one, the files to take.
    await writeFile(
      join(ds, "index.json"),
      JSON.stringify({ versions: [{ version: "2020-06-30", files: ["consolidated.xml"] }, "2019-01-01"] }),
    );
    const mirror = await serve(root);
    try {
      const got = await downloadDataset("un_sc_sanctions", quick(await tempDir(), { mirror: mirror.url }));
      assert.equal(got.version, "2020-06-30");
      assert.deepEqual(await readdir(got.dir), ["consolidated.xml"]);
      assert.equal(await readFile(got.files[0]!, "utf8"), '<CONSOLIDATED_LIST version="2020-06-30"/>\n');
    } finally {
      await mirror.close();
    }
  });

  it("names the dataset and the mirror when the dataset is missing", async () => {
    const root = await tempDir();
    await mkdir(join(root, "us_ofac_sdn", "2024-01-01"), { recursive: true });
    await mkdir(join(root, "eu_fsf", "not-a-date"), { recursive: true });
    const mirror = await serve(root);
    try {
      await assert.rejects(
        downloadDataset("un_sc_sanctions", quick(await tempDir(), { mirror: mirror.url })),
        rejectsWith("INTERDICT_E_NOT_FOUND", "dataset un_sc_sanctions is not on the mirror", mirror.url),
      );
      await assert.rejects(
        downloadDataset("eu_fsf", quick(await tempDir(), { mirror: mirror.url })),
        rejectsWith("INTERDICT_E_NOT_FOUND", "no YYYY-MM-DD version of dataset eu_fsf", mirror.url),
      );
      await assert.rejects(
        downloadDataset("us_ofac_sdn", quick(await tempDir(), { mirror: mirror.url })),
        rejectsWith("INTERDICT_E_NOT_FOUND", "lists no files"),
      );
    } finally {
      await mirror.close();
    }
  });

  it("says plainly when the mirror cannot be reached, with both ways out", async () => {
    const dataDir = await tempDir();
    await assert.rejects(
      downloadDataset("us_ofac_sdn", quick(dataDir, { mirror: "http://127.0.0.1:1/" })),
      rejectsWith("INTERDICT_E_DOWNLOAD", "The mirror http://127.0.0.1:1/ could not be reached", ...WAYS_OUT),
    );
    assert.deepEqual(await folders(dataDir, "us_ofac_sdn"), []);
  });

  it("refuses an unknown dataset before fetching anything", async () => {
    const mark = server.log.length;
    await assert.rejects(
      downloadDataset("xx_unknown", quick(await tempDir(), { mirror: server.url })),
      rejectsWith("INTERDICT_E_UNKNOWN_DATASET", "xx_unknown", "us_ofac_sdn"),
    );
    assert.equal(server.log.length, mark);
  });

  it("downloads a full list whole", async () => {
    const got = await downloadDataset("gb_fcdo_sanctions", quick(await tempDir(), { mirror: server.url }));
    assert.equal(
      (await stat(got.files[0]!)).size,
      (await stat(join(LISTS, "gb_fcdo_sanctions/2026-08-22/entities.ftm.json"))).size,
    );
  });
});

// ---------------------------------------------------------------------------------------------

describe("downloadDataset from the official site (catalog files pointed at loopback)", () => {
  const SDN = join(LISTS, "us_ofac_sdn", "2024-05-03", "SDN.CSV");
  let server: Served;
  let plain: Served;
  before(async () => {
    server = await serve(LISTS);
    plain = await serve(LISTS, { validators: false, chunked: true });
  });
  after(async () => {
    await server.close();
    await plain.close();
  });

  const official = (served: Served, ...paths: string[]) =>
    paths.map((p) => ({ name: p.split("/").at(-1)!, url: `${served.url}${p}` }));

  it("says plainly that the official site could not be reached, with both ways out", async () => {
    // Port 1 (fetch refuses it outright) and a port nobody listens on (connection refused).
    const closed = await serve(LISTS);
    await closed.close();
    for (const [url, cause] of [
      ["http://127.0.0.1:1/SDN.CSV", "bad port"],
      [`${closed.url}SDN.CSV`, "ECONNREFUSED"],
    ] as const) {
      const dataDir = await tempDir();
      await assert.rejects(
        downloadDataset("us_ofac_sdn", quick(dataDir, { mirror: "", files: [{ name: "SDN.CSV", url }] })),
        rejectsWith(
          "INTERDICT_E_DOWNLOAD",
          "The official site for us_ofac_sdn could not be reached",
          cause,
          url,
          "(2 attempts)",
          ...WAYS_OUT,
        ),
      );
      assert.deepEqual(await folders(dataDir, "us_ofac_sdn"), []);
    }
  });

  it("downloads, versions by Last-Modified, then gets 304s", async () => {
    const root = await tempDir();
    await writeFile(join(root, "a.csv"), "one\n");
    await writeFile(join(root, "b.csv"), "two\n");
    const day = new Date("2025-03-14T10:00:00Z");
    await utimes(join(root, "a.csv"), day, day);
    await utimes(join(root, "b.csv"), new Date("2025-03-13T10:00:00Z"), new Date("2025-03-13T10:00:00Z"));
    const site = await serve(root);
    try {
      const dataDir = await tempDir();
      const opts = quick(dataDir, { mirror: "", files: official(site, "a.csv", "b.csv") });
      const first = await downloadDataset("us_ofac_sdn", opts);
      assert.equal(first.changed, true);
      assert.equal(first.version, "2025-03-14");
      assert.equal(first.source, "official");

      const mark = site.log.length;
      const second = await downloadDataset("us_ofac_sdn", opts);
      assert.deepEqual(
        site.log.slice(mark).map((r) => r.status),
        [304, 304],
      );
      assert.equal(second.changed, false);
      assert.equal(second.dir, first.dir);

      // One file changes: a new folder with both files, the unchanged one copied across.
      await writeFile(join(root, "b.csv"), "two, revised\n");
      const third = await downloadDataset("us_ofac_sdn", opts);
      assert.equal(third.changed, true);
      assert.notEqual(third.dir, first.dir);
      assert.equal(await readFile(join(third.dir, "a.csv"), "utf8"), "one\n");
      assert.equal(await readFile(join(third.dir, "b.csv"), "utf8"), "two, revised\n");
      assert.equal(third.checksums["a.csv"], first.checksums["a.csv"]);
      assert.equal((await folders(dataDir, "us_ofac_sdn")).length, 2);
    } finally {
      await site.close();
    }
  });

  it("without validators, equal checksums still mean unchanged", async () => {
    const dataDir = await tempDir();
    const opts = quick(dataDir, { mirror: "", files: official(plain, "us_ofac_sdn/2024-05-03/SDN.CSV") });
    const first = await downloadDataset("us_ofac_sdn", opts);
    assert.equal(first.checksums["SDN.CSV"], await sha256(SDN));
    assert.equal(first.version, new Date().toISOString().slice(0, 10));
    const second = await downloadDataset("us_ofac_sdn", opts);
    assert.equal(second.changed, false);
    assert.equal(second.dir, first.dir);
    assert.deepEqual(await folders(dataDir, "us_ofac_sdn"), [first.dir.split(sep).at(-1)]);
  });

  it("retries 5xx: 500 twice, then 200", async () => {
    let calls = 0;
    const flaky = await serve(LISTS, {
      intercept: (_req, res) => {
        calls++;
        if (calls > 2) return false;
        res.writeHead(500).end("busy");
        return true;
      },
    });
    try {
      const got = await downloadDataset(
        "us_ofac_sdn",
        quick(await tempDir(), { mirror: "", files: official(flaky, "us_ofac_sdn/2024-05-03/SDN.CSV") }),
      );
      assert.equal(calls, 3);
      assert.equal(got.checksums["SDN.CSV"], await sha256(SDN));
    } finally {
      await flaky.close();
    }
  });

  it("gives up after the bounded retries, and does not retry a 404", async () => {
    let calls = 0;
    const down = await serve(LISTS, {
      intercept: (req, res) => {
        calls++;
        res.writeHead(req.url?.includes("missing") ? 404 : 503).end();
        return true;
      },
    });
    try {
      await assert.rejects(
        downloadDataset(
          "un_sc_sanctions",
          quick(await tempDir(), { mirror: "", files: official(down, "x.xml") }),
        ),
        rejectsWith(
          "INTERDICT_E_DOWNLOAD",
          "The official site for un_sc_sanctions answered HTTP 503",
          ...WAYS_OUT,
        ),
      );
      assert.equal(calls, 3);
      calls = 0;
      await assert.rejects(
        downloadDataset(
          "un_sc_sanctions",
          quick(await tempDir(), { mirror: "", files: official(down, "missing.xml") }),
        ),
        rejectsWith("INTERDICT_E_DOWNLOAD", "answered HTTP 404"),
      );
      assert.equal(calls, 1);
    } finally {
      await down.close();
    }
  });

  it("times out a server that never answers", async () => {
    let calls = 0;
    const hang = await serve(LISTS, {
      intercept: () => {
        calls++;
        return true;
      },
    });
    try {
      await assert.rejects(
        downloadDataset(
          "us_ofac_sdn",
          quick(await tempDir(), {
            mirror: "",
            connectTimeoutMs: 150,
            retries: 1,
            files: official(hang, "SDN.CSV"),
          }),
        ),
        rejectsWith("INTERDICT_E_DOWNLOAD", "could not be reached: no answer within 0.2 s", "(2 attempts)"),
      );
      assert.equal(calls, 2);
    } finally {
      await hang.close();
    }
  });

  it("times out a transfer that stalls, without retrying it", async () => {
    let calls = 0;
    const stall = await serve(LISTS, {
      intercept: (_req, res) => {
        calls++;
        res.writeHead(200, { "content-length": 1000 });
        res.write("0123456789");
        return true;
      },
    });
    try {
      const dataDir = await tempDir();
      await assert.rejects(
        downloadDataset(
          "us_ofac_sdn",
          quick(dataDir, { mirror: "", timeoutMs: 300, files: official(stall, "SDN.CSV") }),
        ),
        rejectsWith("INTERDICT_E_DOWNLOAD", "was too slow", "within 0.3 s"),
      );
      assert.equal(calls, 1);
      assert.deepEqual(await folders(dataDir, "us_ofac_sdn"), []);
    } finally {
      await stall.close();
    }
  });

  it("refuses a file over the size ceiling, announced or streamed", async () => {
    for (const served of [server, plain]) {
      const dataDir = await tempDir();
      await assert.rejects(
        downloadDataset(
          "us_ofac_sdn",
          quick(dataDir, {
            mirror: "",
            maxBytes: 100_000,
            files: official(served, "us_ofac_sdn/2024-05-03/SDN.CSV"),
          }),
        ),
        rejectsWith("INTERDICT_E_LIMIT", "over the 100000-byte download limit"),
      );
      assert.deepEqual(await folders(dataDir, "us_ofac_sdn"), []);
    }
  });

  it("reports progress, with the total when the server sends it", async () => {
    const size = (await stat(SDN)).size;
    for (const [served, total] of [
      [server, size],
      [plain, undefined],
    ] as const) {
      const seen: DownloadProgress[] = [];
      await downloadDataset(
        "us_ofac_sdn",
        quick(await tempDir(), {
          mirror: "",
          files: official(served, "us_ofac_sdn/2024-05-03/SDN.CSV"),
          onProgress: (p) => seen.push(p),
        }),
      );
      assert.ok(seen.length > 1);
      assert.ok(seen.every((p, i) => i === 0 || p.bytes >= seen[i - 1]!.bytes));
      assert.deepEqual(seen.at(-1), {
        dataset: "us_ofac_sdn",
        file: "SDN.CSV",
        url: `${served.url}us_ofac_sdn/2024-05-03/SDN.CSV`,
        bytes: size,
        total,
      });
    }
  });
});

// ---------------------------------------------------------------------------------------------

describe("downloadDataset from a local mirror folder", () => {
  it("returns the newest version folder's files in place", async () => {
    const dataDir = await tempDir();
    const first = await downloadDataset("us_ofac_sdn", { dataDir, mirror: LISTS });
    assert.equal(first.version, "2024-05-03");
    assert.equal(first.dir, join(LISTS, "us_ofac_sdn", "2024-05-03"));
    assert.deepEqual(first.files, [join(first.dir, "SDN.CSV")]);
    assert.equal(first.changed, true);
    assert.equal(first.source, LISTS);
    assert.equal(first.checksums["SDN.CSV"], await sha256(join(first.dir, "SDN.CSV")));
    const second = await downloadDataset("us_ofac_sdn", { dataDir, mirror: LISTS });
    assert.equal(second.changed, false);
    assert.deepEqual(await folders(dataDir, "us_ofac_sdn"), []);
  });

  it("leaves notes out of the files", async () => {
    const got = await downloadDataset("eu_fsf", { dataDir: await tempDir(), mirror: `file://${LISTS}` });
    assert.equal(got.version, "2026-05-01");
    assert.deepEqual(got.files, [join(LISTS, "eu_fsf", "2026-05-01", "entities.ftm.json")]);
  });

  it("names the dataset and the folder when the dataset is missing", async () => {
    const root = await tempDir();
    await assert.rejects(
      downloadDataset("opensanctions", { dataDir: await tempDir(), mirror: root }),
      rejectsWith("INTERDICT_E_NOT_FOUND", "dataset opensanctions is not in the mirror folder", root),
    );
  });
});

// ---------------------------------------------------------------------------------------------

describe("mirror parsing", () => {
  it("resolves --mirror values", () => {
    assert.equal(resolveMirror(undefined), undefined);
    assert.equal(resolveMirror("  "), undefined);
    assert.deepEqual(resolveMirror("http://127.0.0.1:8080/lists"), {
      kind: "url",
      url: new URL("http://127.0.0.1:8080/lists/"),
    });
    assert.deepEqual(resolveMirror("file:///srv/lists"), { kind: "dir", path: "/srv/lists" });
    assert.deepEqual(resolveMirror("../shared/data/lists"), { kind: "dir", path: LISTS });
    assert.throws(() => resolveMirror("ftp://example.org/lists"), rejectsWith("INTERDICT_E_USAGE", "ftp://"));
  });

  it("finds a listing's direct children only", () => {
    const base = new URL("http://127.0.0.1:9/lists/us_ofac_sdn/");
    const table: [string, { name: string; dir: boolean }[]][] = [
      ['<a href="2024-05-03/">2024-05-03/</a>', [{ name: "2024-05-03", dir: true }]],
      ["<a href='/lists/us_ofac_sdn/2023-01-05/'>x</a>", [{ name: "2023-01-05", dir: true }]],
      ['<a href="http://127.0.0.1:9/lists/us_ofac_sdn/SDN.CSV">x</a>', [{ name: "SDN.CSV", dir: false }]],
      ["<a href=My%20File.csv>x</a>", [{ name: "My File.csv", dir: false }]],
      ['<a href="a&amp;b.csv">x</a>', [{ name: "a&b.csv", dir: false }]],
      ['<a href="../">..</a><a href="./">.</a><a href="?C=N;O=D">n</a><a href="#x">x</a>', []],
      ['<a href="2024-05-03/SDN.CSV">deep</a><a href="http://other:9/lists/us_ofac_sdn/x">o</a>', []],
      ['<a href="/lists/other/x.csv">x</a><a href="%zz">bad</a>', []],
    ];
    for (const [html, expected] of table) assert.deepEqual(childLinks(html, base), expected, html);
  });

  it("reads the index.json forms", () => {
    const table: [unknown, { version: string; files?: string[] }[]][] = [
      [
        ["2024-05-03", "2023-01-05/", "latest"],
        [{ version: "2024-05-03" }, { version: "2023-01-05" }],
      ],
      [
        { versions: [{ version: "2024-05-03", files: ["SDN.CSV", { name: "ADD.CSV" }] }] },
        [{ version: "2024-05-03", files: ["SDN.CSV", "ADD.CSV"] }],
      ],
      [
        [
          { name: "2024-05-03", type: "directory", mtime: "Fri, 03 May 2024 10:00:00 GMT" },
          { name: "index.json", type: "file" },
        ],
        [{ version: "2024-05-03" }],
      ],
      [[{ date: "2022-02-17" }], [{ version: "2022-02-17" }]],
    ];
    for (const [doc, expected] of table)
      assert.deepEqual(parseIndex(JSON.stringify(doc), "index.json"), expected);
    assert.throws(
      () => parseIndex("<html>", "x/index.json"),
      rejectsWith("INTERDICT_E_DOWNLOAD", "x/index.json is not valid JSON"),
    );
    assert.throws(
      () => parseIndex('{"a":1}', "x/index.json"),
      rejectsWith("INTERDICT_E_DOWNLOAD", "no list of versions"),
    );
  });
});
