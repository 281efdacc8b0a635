// The screening service as it runs: `interdict keys` and `interdict serve --port N --host H` as
// real processes driven over HTTP, and the service on worker threads swapping its index to a
// new list version under load without failing a request, then shutting down gracefully.

import assert from "node:assert/strict";
import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { connect, createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { ingest } from "../src/ingest/ingest.js";
import { loadConfig } from "../src/service/config.js";
import { KeyStore } from "../src/service/records.js";
import { type RunningService, startService } from "../src/service/server.js";
import { SqliteStore } from "../src/store/sqlite.js";

const SDN = "src/service/fixtures/us_ofac_sdn.ftm.json";
const UN_2024 = "../shared/data/fixtures/un_sc_sanctions/excerpt-2024";
const UN_2026 = "../shared/data/fixtures/un_sc_sanctions/excerpt-2026";
const karpov = {
  queries: { q1: { schema: "Person", properties: { name: ["Pavel Karpov"], birthDate: ["1977-08-27"] } } },
};

function cli(db: string, args: string[]) {
  const r = spawnSync(process.execPath, ["bin/interdict.js", "--db", db, "--quiet", ...args], {
    encoding: "utf8",
    timeout: 60_000,
  });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

async function freePort(): Promise<number> {
  const server = createServer().listen(0, "127.0.0.1");
  await new Promise((r) => server.once("listening", r));
  const { port } = server.address() as { port: number };
  await new Promise((r) => server.close(r));
  return port;
}

async function until(check: () => Promise<boolean>, ms = 60_000): Promise<void> {
  const end = Date.now() + ms;
  for (;;) {
    try {
      if (await check()) return;
    } catch {
      // not listening yet
    }
    if (Date.now() > end) throw new Error("timed out");
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function storeFile(...paths: string[]): Promise<string> {
  const db = join(mkdtempSync(join(tmpdir(), "interdict-service-")), "interdict.db");
  const store = new SqliteStore(db);
  for (const p of paths) await ingest(store, [p]);
  await store.close();
  return db;
}

describe("interdict keys and interdict serve, as processes", () => {
  let db = "";
  let child: ChildProcess | undefined;
  before(async () => {
    db = await storeFile(SDN, UN_2026);
  });
  after(() => {
    child?.kill("SIGKILL");
  });

  it("creates a key once (--json), lists it without the secret, serves with it, revokes it", async () => {
    const created = cli(db, ["keys", "create", "--role", "admin", "--name", "ops", "--json"]);
    assert.equal(created.code, 0, created.err);
    const { id, key } = JSON.parse(created.out) as { id: string; key: string };
    assert.match(id, /^key_[0-9a-f]{12}$/);
    assert.ok(key.length >= 40);
    const listed = cli(db, ["keys", "list", "--json"]);
    assert.ok(!listed.out.includes(key), "the secret is never shown again");
    assert.deepEqual(
      (JSON.parse(listed.out) as { id: string; role: string }[]).map((k) => [k.id, k.role]),
      [[id, "admin"]],
    );

    const port = await freePort();
    child = spawn(
      process.execPath,
      ["bin/interdict.js", "--db", db, "--quiet", "serve", "--port", String(port), "--host", "127.0.0.1"],
      {
        stdio: ["ignore", "pipe", "pipe"],
      },
    );
    let out = "";
    child.stdout?.on("data", (d) => {
      out += String(d);
    });
    const exited = new Promise<number | null>((r) => child?.once("exit", (code) => r(code)));
    const base = `http://127.0.0.1:${port}`;
    await until(async () => (await fetch(`${base}/readyz`)).status === 200);

    const headers = { authorization: `Bearer ${key}`, "content-type": "application/json" };
    const r = await fetch(`${base}/match/default`, { method: "POST", headers, body: JSON.stringify(karpov) });
    assert.equal(r.status, 200);
    const body = (await r.json()) as { responses: { q1: { results: { id: string; match: boolean }[] } } };
    assert.equal(body.responses.q1.results[0]?.id, "us_ofac_sdn:15880");
    assert.equal(body.responses.q1.results[0]?.match, true);
    assert.equal((await fetch(`${base}/catalog`)).status, 401);

    assert.equal(cli(db, ["keys", "revoke", id]).code, 0);
    assert.equal((await fetch(`${base}/catalog`, { headers })).status, 401);

    child.kill("SIGTERM");
    assert.equal(await exited, 0);
    child = undefined;
    // The report, then structured logs (JSON lines) with the key's id and never the key.
    assert.match(out, /entities from 2 datasets loaded/);
    const logs = out.split("\n").filter((l) => l.startsWith("{"));
    assert.ok(logs.some((l) => JSON.parse(l).msg === "index ready"));
    assert.ok(logs.some((l) => JSON.parse(l).key === id));
    assert.ok(!out.includes(key));
  });
});

describe("the service on a worker thread, over HTTP", () => {
  let db = "";
  let store: SqliteStore;
  let feed: SqliteStore;
  let svc: RunningService;
  let key = "";
  const call = (path: string, body?: unknown) =>
    fetch(`${svc.url}${path}`, {
      method: body === undefined ? "GET" : "POST",
      headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });

  before(async () => {
    db = await storeFile(SDN, UN_2024);
    store = new SqliteStore(db);
    feed = new SqliteStore(db);
    key = new KeyStore(store.db).create("analyst").key;
    const config = {
      ...loadConfig({}, {}),
      port: 0,
      workers: 1,
      pollInterval: 0.2,
      rateLimit: 0,
      logLevel: "silent" as const,
    };
    svc = await startService({ store, db: store.db, feed, config });
    await svc.indexed;
    assert.ok(svc.live.ready);
  });
  after(async () => {
    await svc.close();
    await feed.close();
    await store.close();
  });

  it("swaps to a new list version in the background without failing a request", async () => {
    const versionOf = async (): Promise<number> => {
      const r = await call("/match/default", karpov);
      assert.equal(r.status, 200);
      const id = ((await r.json()) as { screening_id: string }).screening_id;
      const s = (await (await call(`/screenings/${id}`)).json()) as {
        list_versions: { dataset: string; id: number }[];
      };
      return s.list_versions.find((v) => v.dataset === "un_sc_sanctions")?.id ?? -1;
    };
    const before = await versionOf();
    // Requests keep coming while the new version is ingested, noticed by the poll and swapped in.
    let stop = false;
    const statuses: number[] = [];
    const load = (async () => {
      while (!stop) {
        const r = await call("/match/default", karpov);
        statuses.push(r.status);
        await r.arrayBuffer();
      }
    })();
    const writer = new SqliteStore(db);
    await ingest(writer, [UN_2026], { force: true });
    await writer.close();
    await until(async () => (await versionOf()) !== before, 30_000);
    stop = true;
    await load;
    assert.ok(statuses.length > 10);
    assert.deepEqual([...new Set(statuses)], [200]);
    const catalog = (await (await call("/catalog")).json()) as { index_stale: boolean };
    assert.equal(catalog.index_stale, false);
    // The new version's entities are searchable.
    const s = (await (await call("/search/un_sc_sanctions?q=abderrahmane")).json()) as {
      total: { value: number };
    };
    assert.ok(s.total.value >= 1);
  });

  it("finishes a request in flight when shut down, then refuses connections", async () => {
    // A request whose body is still arriving when shutdown begins must still be answered.
    const body = JSON.stringify(karpov);
    const { hostname, port } = new URL(svc.url);
    const sock = connect(Number(port), hostname);
    let response = "";
    sock.on("data", (d) => {
      response += String(d);
    });
    const ended = new Promise((r) => sock.once("end", r));
    sock.write(
      `POST /match/default HTTP/1.1\r\nHost: ${hostname}\r\nAuthorization: Bearer ${key}\r\n` +
        `Content-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body.slice(0, 10)}`,
    );
    await new Promise((r) => setTimeout(r, 300));
    const closing = svc.close();
    sock.write(body.slice(10));
    await ended;
    await closing;
    assert.match(response, /^HTTP\/1.1 200/);
    assert.match(response, /us_ofac_sdn:15880/);
    await assert.rejects(fetch(`${svc.url}/healthz`));
  });
});
