// The screening service in-process (app.inject): every endpoint, and every way a request can
// be wrong, answered with a 4xx, a stable code and the field at fault. A real SQLite store
// holds a real SDN excerpt (src/service/fixtures, from the 2024-05-03 list) and the real UN
// excerpt of 2026; matching runs on the request thread (workers: 0) to keep this fast.

import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { Writable } from "node:stream";
import { after, before, describe, it } from "node:test";
import { ingest } from "../ingest/ingest.js";
import { SqliteStore } from "../store/sqlite.js";
import { type App, buildApp } from "./app.js";
import { loadConfig, type ServiceConfig } from "./config.js";
import { LiveIndex } from "./live.js";
import { KeyStore, ScreeningLog } from "./records.js";

const UN = "../shared/data/fixtures/un_sc_sanctions/excerpt-2026";
const SDN = "src/service/fixtures/us_ofac_sdn.ftm.json";

const store = new SqliteStore(":memory:");
const keys = new KeyStore(store.db);
let live: LiveIndex;
const secrets: Record<string, string> = {};

async function makeApp(over: Partial<ServiceConfig> = {}, logStream?: NodeJS.WritableStream): Promise<App> {
  const config = { ...loadConfig({}, {}), workers: 0, pollInterval: 0, logLevel: "silent" as const, ...over };
  return buildApp({
    store,
    live,
    keys,
    screenings: new ScreeningLog(store.db),
    config,
    ...(logStream ? { logStream } : {}),
  });
}

let app: App;
const auth = (role = "admin") => ({ authorization: `Bearer ${secrets[role]}` });

async function post(url: string, payload: unknown, headers: Record<string, string> = auth()) {
  const r = await app.inject({
    method: "POST",
    url,
    payload: typeof payload === "string" ? payload : JSON.stringify(payload),
    headers: { "content-type": "application/json", ...headers },
  });
  return { status: r.statusCode, headers: r.headers, json: () => r.json(), body: r.body };
}

async function get(url: string, headers: Record<string, string> = auth()) {
  const r = await app.inject({ method: "GET", url, headers });
  return { status: r.statusCode, headers: r.headers, json: () => r.json(), body: r.body };
}

const karpov = {
  queries: { q1: { schema: "Person", properties: { name: ["Pavel Karpov"], birthDate: ["1977-08-27"] } } },
};

before(async () => {
  await ingest(store, [SDN]);
  await ingest(store, [UN]);
  for (const role of ["screen", "analyst", "admin"]) secrets[role] = keys.create(role, `test ${role}`).key;
  const revoked = keys.create("admin", "revoked");
  keys.revoke(revoked.id);
  secrets.revoked = revoked.key;
  live = new LiveIndex(store, { workers: 0, pollInterval: 0 });
  app = await makeApp();
  // Before the index exists the service answers health checks and says it is not ready.
  const notYet = await get("/readyz", {});
  assert.equal(notYet.status, 503);
  assert.equal(notYet.json().code, "INTERDICT_E_NOT_READY");
  const early = await post("/match/default", karpov);
  assert.equal(early.status, 503);
  await live.start();
});
after(async () => {
  await app.close();
  await live.close();
  await store.close();
});

describe("health and readiness", () => {
  it("answers /healthz and /readyz without a key", async () => {
    assert.deepEqual((await get("/healthz", {})).json(), { status: "ok" });
    assert.deepEqual((await get("/readyz", {})).json(), { status: "ok" });
  });

  it("serves the OpenAPI document and a docs page", async () => {
    const doc = (await get("/openapi.json", {})).json();
    assert.equal(doc.openapi, "3.0.3");
    for (const path of [
      "/match/{dataset}",
      "/search/{dataset}",
      "/entities/{id}",
      "/screen/visa",
      "/screenings/{id}",
    ]) {
      assert.ok(doc.paths[path], path);
    }
    assert.equal((await get("/docs/", {})).status, 200);
  });
});

describe("API keys and roles", () => {
  it("refuses a request without a key (401, with WWW-Authenticate)", async () => {
    const r = await post("/match/default", karpov, {});
    assert.equal(r.status, 401);
    assert.equal(r.json().code, "INTERDICT_E_AUTH");
    assert.match(String(r.headers["www-authenticate"]), /Bearer/);
  });

  it("refuses a wrong key and a revoked one (401)", async () => {
    assert.equal((await post("/match/default", karpov, { authorization: "Bearer idk_nope" })).status, 401);
    assert.equal((await post("/match/default", karpov, auth("revoked"))).status, 401);
    assert.equal((await get("/catalog", { authorization: "Basic abc" })).status, 401);
  });

  it("refuses a role below the route's (403) and accepts the ApiKey scheme", async () => {
    const r = await get("/screenings/anything", auth("screen"));
    assert.equal(r.status, 403);
    assert.equal(r.json().code, "INTERDICT_E_FORBIDDEN");
    assert.equal((await get("/catalog", { authorization: `ApiKey ${secrets.screen}` })).status, 200);
    assert.equal((await get("/screenings/none", auth("analyst"))).status, 404);
  });
});

describe("POST /match/{dataset}", () => {
  it("finds Pavel Karpov (the contract's example), recorded with the list versions used", async () => {
    const r = await post("/match/default", karpov);
    assert.equal(r.status, 200);
    const body = r.json();
    const q1 = body.responses.q1;
    assert.equal(q1.status, 200);
    const top = q1.results[0];
    assert.equal(top.id, "us_ofac_sdn:15880");
    assert.equal(top.match, true);
    assert.ok(top.score >= 0.9);
    assert.equal(top.schema, "Person");
    assert.deepEqual(top.datasets, ["us_ofac_sdn"]);
    assert.ok(top.explanations.name_match.score > 0.9);
    assert.equal(typeof top.features.name_match, "number");
    assert.match(top.first_seen, /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}$/);
    assert.deepEqual(q1.total, { value: 1, relation: "eq" });
    assert.deepEqual(q1.query.properties.birthDate, ["1977-08-27"]);
    assert.equal(body.limit, 5);
    assert.equal(r.headers["x-batch-size"], "1");

    const s = (await get(`/screenings/${body.screening_id}`, auth("analyst"))).json();
    assert.equal(s.kind, "match");
    assert.equal(s.decision, "match");
    assert.equal(s.endpoint, "POST /match/default");
    assert.deepEqual(
      s.list_versions.map((v: { dataset: string }) => v.dataset),
      ["un_sc_sanctions", "us_ofac_sdn"],
    );
    const digest = createHash("sha256")
      .update(`POST /match/default\napplication/json\n${JSON.stringify(karpov)}`)
      .digest("hex");
    assert.equal(s.request_digest, digest);
    assert.equal(s.results.queries.q1.results[0].id, "us_ofac_sdn:15880");
    assert.ok(s.key_id.startsWith("key_"));
  });

  it("scopes to the dataset in the path and the include/exclude parameters", async () => {
    const ids = async (url: string) =>
      (await post(url, karpov)).json().responses.q1.results.map((x: { id: string }) => x.id) as string[];
    assert.deepEqual(await ids("/match/us_ofac_sdn"), ["us_ofac_sdn:15880"]);
    assert.deepEqual(await ids("/match/un_sc_sanctions"), []);
    assert.deepEqual(await ids("/match/default?exclude_dataset=us_ofac_sdn"), []);
    assert.deepEqual(await ids("/match/default?include_dataset=us_ofac_sdn"), ["us_ofac_sdn:15880"]);
    assert.deepEqual(await ids("/match/default?exclude_entity_ids=us_ofac_sdn:15880"), []);
    assert.deepEqual(await ids("/match/default?exclude_schema=Person"), []);
    assert.deepEqual(await ids("/match/default?changed_since=2999-01-01"), []);
    assert.deepEqual(await ids("/match/default?topics=sanction"), ["us_ofac_sdn:15880"]);
  });

  it("answers a batch, takes yente's algorithm names and a threshold, and accepts a body without Content-Type", async () => {
    const batch = {
      queries: {
        a: { schema: "Person", properties: { firstName: ["Slobodan"], lastName: ["Tesic"] } },
        b: { schema: "Vessel", properties: { name: "ARTAVIL", imoNumber: ["IMO9187629"] } },
        c: { schema: "Person", properties: { name: ["Jane Nobody Unlisted"] } },
      },
    };
    const r = await app.inject({
      method: "POST",
      url: "/match/default?algorithm=logic-v2&threshold=0.9",
      payload: JSON.stringify(batch),
      headers: auth(),
    });
    assert.equal(r.statusCode, 200);
    const out = r.json().responses;
    assert.equal(out.a.results[0].id, "us_ofac_sdn:23288");
    assert.deepEqual(out.a.query.properties.name, ["Slobodan Tesic"]);
    assert.equal(out.b.results[0].id, "us_ofac_sdn:15036");
    assert.deepEqual(out.c.results, []);
    assert.equal(r.headers["x-batch-size"], "3");
    // `curl -d '{…}'` sends JSON labelled as a form.
    const curl = await post("/match/default", JSON.stringify(karpov), {
      ...auth(),
      "content-type": "application/x-www-form-urlencoded",
    });
    assert.equal(curl.json().responses.q1.results[0].id, "us_ofac_sdn:15880");
    const ofac = await post("/match/default?algorithm=ofac", karpov);
    assert.equal(ofac.json().responses.q1.results[0].id, "us_ofac_sdn:15880");
  });

  // Each way a request can be wrong: [what, request, status, code, field].
  const BAD: [string, () => ReturnType<typeof post>, number, string, string][] = [
    ["malformed JSON", () => post("/match/default", '{"queries": {'), 400, "INTERDICT_E_INPUT", "body"],
    [
      "unknown dataset",
      () => post("/match/no_such_list", karpov),
      404,
      "INTERDICT_E_UNKNOWN_DATASET",
      "dataset",
    ],
    [
      "threshold above 1",
      () => post("/match/default?threshold=1.5", karpov),
      422,
      "INTERDICT_E_INPUT",
      "threshold",
    ],
    [
      "threshold not a number",
      () => post("/match/default?threshold=high", karpov),
      422,
      "INTERDICT_E_INPUT",
      "threshold",
    ],
    ["negative cutoff", () => post("/match/default?cutoff=-1", karpov), 422, "INTERDICT_E_INPUT", "cutoff"],
    ["limit over 500", () => post("/match/default?limit=501", karpov), 422, "INTERDICT_E_INPUT", "limit"],
    ["no queries field", () => post("/match/default", { query: {} }), 422, "INTERDICT_E_INPUT", "queries"],
    [
      "a query without schema",
      () => post("/match/default", { queries: { q: { properties: {} } } }),
      422,
      "INTERDICT_E_INPUT",
      "queries.q.schema",
    ],
    [
      "unknown schema",
      () => post("/match/default", { queries: { q: { schema: "Alien", properties: {} } } }),
      400,
      "INTERDICT_E_INPUT",
      "queries.q.schema",
    ],
    [
      "non-matchable schema",
      () => post("/match/default", { queries: { q: { schema: "Sanction", properties: {} } } }),
      400,
      "INTERDICT_E_INPUT",
      "queries.q.schema",
    ],
    ["empty batch", () => post("/match/default", { queries: {} }), 400, "INTERDICT_E_INPUT", "queries"],
    [
      "unknown algorithm",
      () => post("/match/default?algorithm=magic", karpov),
      400,
      "INTERDICT_E_INPUT",
      "algorithm",
    ],
    [
      "unknown config key",
      () => post("/match/default", { ...karpov, config: { nm_fuzzy: 1 } }),
      400,
      "INTERDICT_E_INPUT",
      "config.nm_fuzzy",
    ],
    [
      "bad changed_since",
      () => post("/match/default?changed_since=yesterday", karpov),
      422,
      "INTERDICT_E_INPUT",
      "changed_since",
    ],
    [
      "over 50 excluded ids",
      () =>
        post(
          `/match/default?${Array.from({ length: 51 }, (_, i) => `exclude_entity_ids=x${i}`).join("&")}`,
          karpov,
        ),
      422,
      "INTERDICT_E_INPUT",
      "exclude_entity_ids",
    ],
    [
      "an unsupported content type",
      () => post("/match/default", "x", { ...auth(), "content-type": "image/png" }),
      415,
      "INTERDICT_E_INPUT",
      "content-type",
    ],
    ["a JSON array body", () => post("/match/default", "[1, 2]"), 422, "INTERDICT_E_INPUT", "body"],
  ];
  for (const [what, request, status, code, field] of BAD) {
    it(`${what}: ${status} ${code} naming ${field}`, async () => {
      const r = await request();
      assert.equal(r.status, status, r.body);
      const body = r.json();
      assert.equal(body.code, code);
      assert.equal(body.field, field);
      assert.ok(body.detail.length > 0);
    });
  }

  it("too many queries in one batch: 400 naming queries", async () => {
    const small = await makeApp({ maxBatch: 2 });
    const queries = Object.fromEntries(["a", "b", "c"].map((k) => [k, karpov.queries.q1]));
    const r = await small.inject({
      method: "POST",
      url: "/match/default",
      payload: { queries },
      headers: auth(),
    });
    assert.equal(r.statusCode, 400);
    assert.match(r.json().detail, /Too many queries in one batch \(limit: 2\)/);
    await small.close();
  });

  it("a body over the limit: 413 INTERDICT_E_LIMIT", async () => {
    const small = await makeApp({ bodyLimit: 2048 });
    const big = { queries: { q: { schema: "Person", properties: { name: ["x".repeat(4000)] } } } };
    const r = await small.inject({ method: "POST", url: "/match/default", payload: big, headers: auth() });
    assert.equal(r.statusCode, 413);
    assert.equal(r.json().code, "INTERDICT_E_LIMIT");
    assert.equal(r.json().field, "body");
    await small.close();
  });
});

describe("GET /search/{dataset}", () => {
  it("finds by name words, with facets", async () => {
    const r = (await get("/search/default?q=karpov")).json();
    assert.deepEqual(r.total, { value: 1, relation: "eq" });
    assert.equal(r.results[0].id, "us_ofac_sdn:15880");
    assert.deepEqual(r.facets.datasets.values, [
      {
        name: "us_ofac_sdn",
        label: "OFAC Specially Designated Nationals and Blocked Persons List (SDN)",
        count: 1,
      },
    ]);
    assert.equal(r.facets.countries.label, "Countries");
  });

  it("filters by schema, dataset, countries and properties; pages and sorts", async () => {
    const all = (await get("/search/default?limit=0&facets=schema")).json();
    const total = all.total.value;
    assert.ok(total >= 10);
    const persons = all.facets.schema.values.find((v: { name: string }) => v.name === "Person");
    assert.equal((await get("/search/default?schema=Person&limit=0")).json().total.value, persons.count);
    assert.equal((await get("/search/un_sc_sanctions?schema=Vessel")).json().total.value, 0);
    const rs = (await get("/search/default?countries=rs&filter_op=OR")).json();
    assert.ok(rs.results.every((x: { id: string }) => x.id.startsWith("us_ofac_sdn:")));
    const dob = (await get("/search/default?filter=properties.birthDate:1958-12-21")).json();
    assert.deepEqual(
      dob.results.map((x: { id: string }) => x.id),
      ["us_ofac_sdn:23288"],
    );
    const page = (await get("/search/default?limit=2&offset=1&sort=caption:desc")).json();
    assert.equal(page.results.length, 2);
    assert.equal(page.offset, 1);
    assert.ok(page.results[0].caption >= page.results[1].caption);
    assert.equal((await get("/search/default?target=false")).json().total.value, 0);
  });

  it("finds a misspelling with fuzzy=true, and by an identifier", async () => {
    assert.equal((await get("/search/default?q=karpof")).json().total.value, 0);
    assert.equal(
      (await get("/search/default?q=karpof&fuzzy=true")).json().results[0].id,
      "us_ofac_sdn:15880",
    );
    assert.equal((await get("/search/default?q=IMO9187629")).json().results[0].id, "us_ofac_sdn:15036");
  });

  const BAD: [string, string, number, string][] = [
    ["unknown schema", "/search/default?schema=Alien", 400, "schema"],
    ["a filter without a colon", "/search/default?filter=birthDate", 400, "filter"],
    ["a filter on an unknown field", "/search/default?filter=secret:1", 400, "filter"],
    ["an unknown facet", "/search/default?facets=colours", 422, "facets"],
    ["limit over 500", "/search/default?limit=600", 422, "limit"],
    ["offset over 9499", "/search/default?offset=9500", 422, "offset"],
    ["a bad filter_op", "/search/default?filter_op=XOR", 422, "filter_op"],
    ["unknown dataset", "/search/nope?q=x", 404, "dataset"],
  ];
  for (const [what, url, status, field] of BAD) {
    it(`${what}: ${status} naming ${field}`, async () => {
      const r = await get(url);
      assert.equal(r.status, status, r.body);
      assert.equal(r.json().field, field);
    });
  }
});

describe("GET /entities/{id}", () => {
  it("nests sanctions, documents and links under yente's reverse names, one hop out", async () => {
    const e = (await get("/entities/us_ofac_sdn:23288")).json();
    assert.equal(e.caption, "TESIC, Slobodan");
    assert.equal(e.target, true);
    const sanctions = e.properties.sanctions;
    assert.equal(sanctions.length, 1);
    assert.deepEqual(sanctions[0].properties.program, ["GLOMAG"]);
    // The root stays an id inside its children.
    assert.deepEqual(sanctions[0].properties.entity, ["us_ofac_sdn:23288"]);
    assert.deepEqual(
      e.properties.identification.map((p: { schema: string }) => p.schema),
      ["Passport", "Passport"],
    );
    const link = e.properties.associations[0];
    assert.equal(link.schema, "Associate");
    assert.equal(link.properties.person[0].caption, "ANDRIC, Goran");
  });

  it("flat with nested=false; 404 for an unknown id", async () => {
    const flat = (await get("/entities/us_ofac_sdn:23288?nested=false")).json();
    assert.equal(flat.properties.sanctions, undefined);
    const r = await get("/entities/us_ofac_sdn:0");
    assert.equal(r.status, 404);
    assert.equal(r.json().code, "INTERDICT_E_NOT_FOUND");
  });
});

describe("POST /admin/reload", () => {
  it("is for admins; with no new list version it swaps nothing", async () => {
    assert.equal((await post("/admin/reload", {}, auth("analyst"))).status, 403);
    const r = (await post("/admin/reload", {})).json();
    assert.equal(r.swapped, false);
    assert.equal(r.versions.length, 2);
  });
});

describe("GET /catalog and /algorithms", () => {
  it("lists the datasets with the versions served, and answers 304 to its ETag", async () => {
    const r = await get("/catalog");
    const c = r.json();
    assert.deepEqual(
      c.datasets.map((d: { name: string }) => d.name),
      ["default", "un_sc_sanctions", "us_ofac_sdn"],
    );
    const sdn = c.datasets.find((d: { name: string }) => d.name === "us_ofac_sdn");
    assert.equal(sdn.index_current, true);
    assert.equal(sdn.thing_count, 9);
    assert.equal(c.index_stale, false);
    assert.ok(c.current.includes("default"));
    const again = await get("/catalog", { ...auth(), "if-none-match": String(r.headers.etag) });
    assert.equal(again.status, 304);
    assert.equal(again.body, "");
  });

  it("lists the algorithms, best first by name", async () => {
    const a = (await get("/algorithms")).json();
    assert.deepEqual(
      a.algorithms.map((x: { name: string }) => x.name),
      ["default", "ofac"],
    );
    assert.equal(a.best, "default");
    assert.equal(a.algorithms[0].features.name_match.coefficient, 1);
  });
});

describe("reconciliation (W3C, as OpenRefine sends it)", () => {
  it("serves the manifest, passing the query string (api_key) on to the suggest services", async () => {
    const m = (await get(`/reconcile/default?api_key=${secrets.screen}`, {})).json();
    assert.deepEqual(m.versions, ["0.2"]);
    assert.equal(m.suggest.entity.service_path, `/suggest/entity?api_key=${secrets.screen}`);
    assert.ok(m.defaultTypes.some((t: { id: string }) => t.id === "Person"));
  });

  it("answers form-encoded batch queries, and ?queries= on GET", async () => {
    const queries = {
      q0: {
        query: "Slobodan Tesic",
        type: "Person",
        properties: [{ pid: "Person:birthDate", v: "1958-12-21" }],
      },
      q1: { query: "Artem Kuznetsov", type: "Person", limit: 1 },
    };
    const r = await app.inject({
      method: "POST",
      url: `/reconcile/default?api_key=${secrets.screen}`,
      payload: `queries=${encodeURIComponent(JSON.stringify(queries))}`,
      headers: { "content-type": "application/x-www-form-urlencoded" },
    });
    assert.equal(r.statusCode, 200, r.body);
    const out = r.json();
    assert.equal(out.q0.result[0].id, "us_ofac_sdn:23288");
    assert.equal(out.q0.result[0].match, true);
    assert.deepEqual(out.q0.result[0].type, [{ id: "Person", name: "Person", description: "People" }]);
    assert.equal(out.q1.result.length, 1);
    assert.ok(r.headers["x-screening-id"]);
    const g = await get(
      `/reconcile/us_ofac_sdn?queries=${encodeURIComponent(JSON.stringify({ a: { query: "Karpov Pavel" } }))}`,
    );
    assert.equal(g.json().a.result[0].id, "us_ofac_sdn:15880");
  });

  it("extends rows with properties, captions for countries", async () => {
    const extend = {
      ids: ["us_ofac_sdn:23288", "us_ofac_sdn:0"],
      properties: [{ id: "nationality" }, { id: "birthDate", settings: { render: "raw" } }],
    };
    const r = await app.inject({
      method: "POST",
      url: "/reconcile/default",
      payload: `extend=${encodeURIComponent(JSON.stringify(extend))}`,
      headers: { ...auth(), "content-type": "application/x-www-form-urlencoded" },
    });
    const out = r.json();
    assert.deepEqual(out.rows["us_ofac_sdn:23288"].nationality, [{ str: "Serbia" }]);
    assert.deepEqual(out.rows["us_ofac_sdn:23288"].birthDate, [{ str: "1958-12-21" }]);
    assert.deepEqual(out.rows["us_ofac_sdn:0"], {});
    assert.deepEqual(out.meta[0], { id: "nationality", name: "Nationality" });
  });

  it("suggests entities, types and properties", async () => {
    const e = (await get("/reconcile/default/suggest/entity?prefix=kar")).json();
    assert.equal(e.result[0].id, "us_ofac_sdn:15880");
    assert.deepEqual((await get("/reconcile/default/suggest/entity?prefix=")).json().result, []);
    assert.equal((await get("/reconcile/default/suggest/type?prefix=pe")).json().result[0].id, "Person");
    const p = (await get("/reconcile/default/suggest/property?prefix=birth")).json();
    assert.ok(p.result.some((x: { id: string }) => x.id === "Person:birthDate"));
    const props = (await get("/reconcile/default/extend/property?type=Person&limit=3")).json();
    assert.equal(props.properties.length, 3);
    assert.equal((await get("/reconcile/default/extend/property?type=Alien")).status, 400);
  });

  const BAD: [string, string, number, string][] = [
    ["neither queries nor extend", "other=1", 400, "queries"],
    ["queries not JSON", "queries=%7Bnope", 400, "queries"],
    [
      "a non-string v",
      `queries=${encodeURIComponent('{"q":{"query":"x","properties":[{"pid":"name","v":5}]}}')}`,
      400,
      "queries.q.properties.0.v",
    ],
    [
      "an unknown type",
      `queries=${encodeURIComponent('{"q":{"query":"x","type":"Alien"}}')}`,
      400,
      "queries.q.schema",
    ],
    ["extend ids not a list", `extend=${encodeURIComponent('{"ids":"x"}')}`, 400, "extend.ids"],
  ];
  for (const [what, payload, status, field] of BAD) {
    it(`${what}: ${status} naming ${field}`, async () => {
      const r = await app.inject({
        method: "POST",
        url: "/reconcile/default",
        payload,
        headers: { ...auth(), "content-type": "application/x-www-form-urlencoded" },
      });
      assert.equal(r.statusCode, status, r.body);
      assert.equal(r.json().field, field);
    });
  }
});

describe("POST /screen/visa", () => {
  it("refuses Pavel Karpov (MAGNIT) with the legal ground; clears a stranger; both recorded", async () => {
    const r = await post("/screen/visa", {
      names: ["Pavel Karpov", "Павел Карпов"],
      birth_date: "1977-08-27",
      nationalities: ["RU"],
      gender: "male",
    });
    assert.equal(r.status, 200, r.body);
    const body = r.json();
    assert.equal(body.decision, "refuse");
    assert.equal(body.hits[0].entity_id, "us_ofac_sdn:15880");
    assert.match(body.hits[0].legal_grounds.join(" "), /112-208 §405/);
    assert.ok(body.hits[0].explanation.length > 0);
    const rec = (await get(`/screenings/${body.screening_id}`, auth("analyst"))).json();
    assert.equal(rec.kind, "visa");
    assert.equal(rec.decision, "refuse");

    const clear = (
      await post("/screen/visa", { names: ["Jane Unlisted Nobody"], birth_date: "1990-01-01" })
    ).json();
    assert.equal(clear.decision, "clear");
    assert.deepEqual(clear.hits, []);
  });

  const BAD: [string, unknown, string][] = [
    ["no names", { birth_date: "1977-08-27" }, "names"],
    ["names not a list of strings", { names: [{ first: "x" }] }, "names.0"],
    ["an impossible birth date", { names: ["A B"], birth_date: "1977-02-30" }, "birth_date"],
    ["an unknown country", { names: ["A B"], nationalities: ["Atlantis"] }, "nationalities"],
  ];
  for (const [what, body, field] of BAD) {
    it(`${what}: 4xx naming ${field}`, async () => {
      const r = await post("/screen/visa", body);
      assert.ok(r.status >= 400 && r.status < 500, r.body);
      assert.equal(r.json().code, "INTERDICT_E_INPUT");
      assert.ok(String(r.json().field).startsWith(field), r.body);
    });
  }
});

describe("POST /screen/payment", () => {
  const FIXTURES = "src/screen/payment/fixtures";
  const TYPES: Record<string, string> = {
    xml: "application/xml",
    txt: "text/plain",
    json: "application/json",
  };
  const send = (file: string, type = TYPES[file.split(".").at(-1) ?? ""] ?? "text/plain") =>
    post("/screen/payment", readFileSync(`${FIXTURES}/${file}`, "utf8"), {
      ...auth("screen"),
      "content-type": type,
    });

  // [message, decision, field that matched, entity]: pacs.008, MT103 and JSON alike.
  const CASES: [string, string, string | undefined, string | undefined][] = [
    ["pacs008-designated-debtor.xml", "block", "Dbtr/Nm", "us_ofac_sdn:34741"],
    ["pacs008-designated-creditor-agent.xml", "block", "CdtrAgt/FinInstnId/BICFI", "us_ofac_sdn:16681"],
    ["pacs008-remittance-name.xml", "hold", "RmtInf/Ustrd", "us_ofac_sdn:18782"],
    ["pacs008-clean.xml", "release", undefined, undefined],
    ["mt103-designated-debtor.txt", "block", "50K", "us_ofac_sdn:34741"],
    ["mt103-designated-creditor-agent.txt", "block", "57A", "us_ofac_sdn:16681"],
    ["mt103-remittance-name.txt", "hold", "70", "us_ofac_sdn:18782"],
    ["mt103-clean.txt", "release", undefined, undefined],
    ["payment-designated-creditor-agent.json", "block", "creditor_agent/bic", "us_ofac_sdn:16681"],
    ["payment-clean.json", "release", undefined, undefined],
  ];
  for (const [file, decision, field, entity] of CASES) {
    it(`${file}: ${decision}${field ? ` on ${field}` : ""}`, async () => {
      const r = await send(file);
      assert.equal(r.status, 200, r.body);
      const body = r.json();
      assert.equal(body.decision, decision);
      assert.ok(body.screening_id);
      if (field) {
        const hit = body.hits.find((h: { field: string }) => h.field === field);
        assert.equal(hit?.entity_id, entity, JSON.stringify(body.hits));
        assert.ok(hit.explanation.length > 0);
        assert.equal(typeof hit.value, "string");
      } else assert.deepEqual(body.hits, []);
    });
  }

  it("records the decision and the rule", async () => {
    const body = (await send("pacs008-designated-debtor.xml")).json();
    const rec = (await get(`/screenings/${body.screening_id}`, auth("analyst"))).json();
    assert.equal(rec.kind, "payment");
    assert.equal(rec.decision, "block");
    assert.match(rec.results.rule, /^block-confirmed-match/);
    assert.equal(rec.results.message_id, "NWBKGB2L-20240611-000731");
  });

  // Hostile and broken messages: a 4xx naming the field, never a 5xx.
  const BAD: [string, string | undefined, number, string][] = [
    ["pacs008-xxe.xml", undefined, 400, "DOCTYPE"],
    ["pacs008-billion-laughs.xml", undefined, 400, "DOCTYPE"],
    ["pacs008-missing-cdtragt.xml", undefined, 400, "FIToFICstmrCdtTrf/CdtTrfTxInf/CdtrAgt"],
    ["pacs008-version-07.xml", undefined, 400, "Document/@xmlns"],
    ["pacs008-not-pacs008.xml", undefined, 400, "Document/@xmlns"],
    ["mt103-missing-59.txt", undefined, 400, "59a"],
    ["pacs008-clean.xml", "application/pdf", 415, "content-type"],
    ["mt103-clean.txt", "application/json", 400, "body"],
  ];
  for (const [file, type, status, field] of BAD) {
    it(`${file}${type ? ` sent as ${type}` : ""}: ${status} naming ${field}`, async () => {
      const r = await send(file, type);
      assert.equal(r.status, status, r.body);
      assert.equal(r.json().code, "INTERDICT_E_INPUT");
      assert.equal(r.json().field, field);
    });
  }

  it("a message over the body limit: 413", async () => {
    const small = await makeApp({ bodyLimit: 1024 });
    const r = await small.inject({
      method: "POST",
      url: "/screen/payment",
      payload: readFileSync(`${FIXTURES}/pacs008-designated-debtor.xml`, "utf8"),
      headers: { ...auth(), "content-type": "application/xml" },
    });
    assert.equal(r.statusCode, 413);
    assert.equal(r.json().code, "INTERDICT_E_LIMIT");
    await small.close();
  });
});

describe("the screening record", () => {
  it("exports a time range as JSON lines and as CSV", async () => {
    const from = new Date(Date.now() - 60_000).toISOString();
    const done = (await post("/match/default", karpov)).json().screening_id as string;
    const jsonl = await get(`/screenings?from=${from}`, auth("analyst"));
    assert.equal(jsonl.status, 200);
    assert.match(String(jsonl.headers["content-type"]), /ndjson/);
    const rows = jsonl.body
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l));
    assert.ok(rows.some((x) => x.id === done));
    assert.ok(rows.every((x, i) => i === 0 || x.created_at >= rows[i - 1].created_at));
    const csv = await get(`/screenings?from=${from}&format=csv`, auth("analyst"));
    const lines = csv.body.trim().split("\r\n");
    assert.equal(
      lines[0],
      "id,created_at,key_id,kind,endpoint,request_digest,list_versions,decision,results",
    );
    assert.equal(lines.length, rows.length + 1);
    assert.equal((await get(`/screenings?from=2999-01-01`, auth("analyst"))).body, "");
  });

  it("refuses a bad time (400 naming it) and the screen role (403)", async () => {
    const r = await get("/screenings?from=last-week", auth("analyst"));
    assert.equal(r.status, 400);
    assert.equal(r.json().field, "from");
    assert.equal((await get("/screenings?from=2020-01-01", auth("screen"))).status, 403);
    assert.equal((await get("/screenings", auth("analyst"))).status, 422);
  });
});

describe("hostile and malformed input", () => {
  // Every POST route × odd bodies × content types, and every GET route × odd parameters:
  // whatever comes in, the answer is never a 5xx.
  const BODIES = [
    "",
    "null",
    "[]",
    "5",
    '{"queries": null}',
    '{"queries": {"a": null}}',
    '{"queries": {"a": {"schema": 5, "properties": []}}}',
    '{"queries":{"a":{"schema":"Person","properties":{"name":[{"x":1}],"birthDate":["99999-99-99"],"nationality":[null,1,true]}}}}',
    `{"queries":{"a":{"schema":"Person","properties":{"name":["${"a".repeat(50000)}"]}}}}`,
    '{"queries":{"a":{"schema":"Person","properties":{"name":["\\u0000\\ud800"]}}}}',
    `${"[".repeat(5000)}${"]".repeat(5000)}`,
    '{"names":["a"],"passport":{"number":5},"gender":["m"],"birth_date":5}',
    "<x/>",
    "<?xml version='1.0'?><Document xmlns='urn:iso:std:iso:20022:tech:xsd:pacs.008.001.08'><FIToFICstmrCdtTrf/></Document>",
    "{1:F01}{2:}{4:\n:20:X\n-}",
    "queries=null",
    'queries={"a":{"query":5,"properties":[null]}}',
    'extend={"ids":["x"],"properties":[null,{"id":5}]}',
  ];
  const ROUTES = [
    "/match/default",
    "/match/x",
    "/screen/visa",
    "/screen/payment",
    "/reconcile/default",
    "/admin/reload",
  ];
  const TYPES = [
    "application/json",
    "application/xml",
    "text/plain",
    "application/x-www-form-urlencoded",
    undefined,
  ];
  let open: App;
  before(async () => {
    open = await makeApp({ rateLimit: 0 });
  });
  after(() => open.close());

  it(`POST: ${ROUTES.length * BODIES.length * TYPES.length} requests, no 5xx`, async () => {
    const failures: string[] = [];
    const statuses = new Set<number>();
    for (const url of ROUTES) {
      for (const body of BODIES) {
        for (const type of TYPES) {
          const r = await open.inject({
            method: "POST",
            url,
            payload: body,
            headers: { ...auth(), ...(type ? { "content-type": type } : {}) },
          });
          statuses.add(r.statusCode);
          if (r.statusCode >= 500) failures.push(`${url} ${type} ${body.slice(0, 40)}: ${r.statusCode}`);
          else if (r.statusCode >= 400) assert.match(r.json().code, /^INTERDICT_E_/);
        }
      }
    }
    assert.deepEqual(failures, []);
    assert.ok(!statuses.has(429), "not rate limited: every request was really tried");
    assert.ok(statuses.has(200) && statuses.has(400) && statuses.has(404));
  });

  const PARAMS = [
    "limit=-1",
    "limit=1e9",
    "threshold=",
    "changed_since=2024-13-45",
    "sort=::",
    "filter=:",
    "offset=-5",
    "q=%00",
    "schema=",
    "nested=maybe",
    "from=2020-02-30",
    "format=xml",
    "type=",
    "api_key=",
  ];
  const GETS = [
    "/search/default",
    "/entities/x",
    "/catalog",
    "/screenings",
    "/screenings/x",
    "/reconcile/default",
    "/reconcile/default/suggest/entity",
    "/reconcile/default/extend/property",
  ];
  it(`GET: ${GETS.length * PARAMS.length} requests, no 5xx`, async () => {
    const failures: string[] = [];
    for (const path of GETS) {
      for (const q of PARAMS) {
        const r = await open.inject({ method: "GET", url: `${path}?${q}`, headers: auth() });
        if (r.statusCode >= 500) failures.push(`${path}?${q}: ${r.statusCode}`);
      }
    }
    assert.deepEqual(failures, []);
  });
});

describe("rate limits, CORS and logs", () => {
  it("answers 429 with Retry-After once a key's bucket is empty; a batch costs one per query", async () => {
    const limited = await makeApp({ rateLimit: 1, rateBurst: 3 });
    const call = (payload: object = karpov) =>
      limited.inject({ method: "POST", url: "/match/default", payload, headers: auth("screen") });
    assert.equal((await call()).statusCode, 200);
    const batch = { queries: { a: karpov.queries.q1, b: karpov.queries.q1, c: karpov.queries.q1 } };
    const r = await call(batch);
    assert.equal(r.statusCode, 429);
    assert.equal(r.json().code, "INTERDICT_E_RATE_LIMIT");
    assert.ok(Number(r.headers["retry-after"]) >= 1);
    // Another key has its own bucket.
    const other = await limited.inject({
      method: "POST",
      url: "/match/default",
      payload: karpov,
      headers: auth("analyst"),
    });
    assert.equal(other.statusCode, 200);
    await limited.close();
  });

  it("sends no CORS headers unless origins are configured", async () => {
    const r = await app.inject({
      method: "GET",
      url: "/healthz",
      headers: { origin: "https://evil.example" },
    });
    assert.equal(r.headers["access-control-allow-origin"], undefined);
    const cors = await makeApp({ corsOrigins: ["https://console.example"] });
    const ok = await cors.inject({
      method: "GET",
      url: "/healthz",
      headers: { origin: "https://console.example" },
    });
    assert.equal(ok.headers["access-control-allow-origin"], "https://console.example");
    const no = await cors.inject({
      method: "GET",
      url: "/healthz",
      headers: { origin: "https://evil.example" },
    });
    assert.equal(no.headers["access-control-allow-origin"], undefined);
    const pre = await cors.inject({
      method: "OPTIONS",
      url: "/match/default",
      headers: { origin: "https://console.example", "access-control-request-method": "POST" },
    });
    assert.equal(pre.statusCode, 204);
    assert.match(String(pre.headers["access-control-allow-methods"]), /POST/);
    await cors.close();
  });

  it("logs JSON lines with the key's id, never the key or the body", async () => {
    const lines: string[] = [];
    const sink = new Writable({
      write(chunk, _enc, cb) {
        lines.push(String(chunk));
        cb();
      },
    });
    const logged = await makeApp({ logLevel: "info" }, sink);
    await logged.inject({ method: "POST", url: "/match/default", payload: karpov, headers: auth("screen") });
    await logged.inject({ method: "GET", url: `/reconcile/default?api_key=${secrets.screen}` });
    await logged.close();
    const text = lines.join("");
    assert.equal(lines.length, 2);
    for (const l of lines) JSON.parse(l);
    assert.ok(!text.includes(secrets.screen as string), "the key is never logged");
    assert.ok(!text.includes("Pavel Karpov"), "the body is never logged");
    assert.match(text, /"key":"key_[0-9a-f]+"/);
    assert.match(text, /api_key=\[redacted\]/);
  });
});
