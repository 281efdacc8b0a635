// Visa and payment screenings on persons (issue 6): once resolution has found the US and UK
// entries of Pavel Karpov to be one man, POST /screen/visa and POST /screen/payment answer one hit
// for him, on the canonical id, with both entries, each entry's designations and every legal
// ground; the decision was made on both entries. Real SQLite, real resolution, a hand-written UK
// entry beside the service's OFAC fixture.

import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, it } from "node:test";
import { ingest } from "../../ingest/ingest.js";
import { alertsOf } from "../../monitor/alerts.js";
import { loadResolution } from "../../resolve/canonical.js";
import { runResolution } from "../../resolve/run.js";
import { SqliteStore } from "../../store/sqlite.js";
import { UserStore } from "../../users/users.js";
import { type App, buildApp } from "../app.js";
import { loadConfig } from "../config.js";
import { LiveIndex } from "../live.js";
import { KeyStore, ScreeningLog } from "../records.js";

const US = "us_ofac_sdn:15880";
const UK = "gb_fcdo_sanctions:RUS0123";
const store = new SqliteStore(":memory:");
const keys = new KeyStore(store.db);
const dir = mkdtempSync(join(tmpdir(), "screen-persons-"));
let live: LiveIndex;
let app: App;
let key: string;
let canonical: string;

before(async () => {
  await ingest(store, ["src/service/fixtures/us_ofac_sdn.ftm.json"]);
  const uk = join(dir, "uk.ftm.json");
  const entities = [
    {
      id: UK,
      schema: "Person",
      properties: { name: ["Pavel KARPOV"], birthDate: ["1977-08-27"] },
      datasets: ["gb_fcdo_sanctions"],
      target: true,
    },
    {
      id: `${UK}-sanction`,
      schema: "Sanction",
      properties: { entity: [UK], program: ["The Global Human Rights Sanctions Regulations 2020"] },
      datasets: ["gb_fcdo_sanctions"],
    },
  ];
  writeFileSync(uk, `${entities.map((e) => JSON.stringify(e)).join("\n")}\n`);
  await ingest(store, [uk], { dataset: "gb_fcdo_sanctions" });
  await runResolution(store);
  canonical = loadResolution(store).canonicalOf(US);
  assert.equal(loadResolution(store).canonicalOf(UK), canonical, "resolution merged the two entries");
  assert.ok(canonical.startsWith("ik-"));
  key = keys.create("screen", "test").key;
  new UserStore(store.db, { cost: 2 ** 10 }).create("ana", "analyst", "a long enough password");
  live = new LiveIndex(store, { workers: 0, pollInterval: 0 });
  const config = { ...loadConfig({}, {}), workers: 0, pollInterval: 0, logLevel: "silent" as const };
  app = await buildApp({ store, live, keys, screenings: new ScreeningLog(store.db), config });
  await live.start();
});

after(async () => {
  await app.close();
  await live.close();
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

const post = (url: string, payload: unknown) =>
  app.inject({
    method: "POST",
    url,
    headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
    payload: payload as object,
  });

interface Hit {
  entity_id: string;
  referents: string[];
  listings: { entity_id: string; datasets: string[]; programs: string[]; legal_grounds: string[] }[];
  datasets: string[];
  programs: string[];
  legal_grounds: string[];
  travel_ban?: string;
  field?: string;
}

it("POST /screen/visa: one hit for the man listed twice, every designation and ground; refused", async () => {
  const r = await post("/screen/visa", { names: ["Pavel Karpov"], birth_date: "1977-08-27" });
  assert.equal(r.statusCode, 200, r.body);
  const body = r.json() as { decision: string; hits: Hit[]; screening_id: string };
  const karpov = body.hits.filter((h) => h.referents.includes(US) || h.referents.includes(UK));
  assert.equal(karpov.length, 1, JSON.stringify(body.hits.map((h) => h.entity_id)));
  const [h] = karpov;
  assert.equal(h?.entity_id, canonical);
  assert.deepEqual([...(h?.referents ?? [])].sort(), [UK, US]);
  assert.deepEqual(h?.listings.map((l) => l.entity_id).sort(), [UK, US]);
  assert.deepEqual([...(h?.datasets ?? [])].sort(), ["gb_fcdo_sanctions", "us_ofac_sdn"]);
  assert.ok(h?.programs.includes("MAGNIT"));
  assert.ok(h?.programs.includes("The Global Human Rights Sanctions Regulations 2020"));
  // The grounds of both lists: the US act and the UK regulations.
  assert.match(h?.legal_grounds.join(" ") ?? "", /112-208 §405/);
  assert.ok(h?.legal_grounds.some((g) => g === h.listings.find((l) => l.entity_id === UK)?.legal_grounds[0]));
  assert.equal(h?.travel_ban, "yes");
  assert.equal(body.decision, "refuse");
  // Entries resolution left alone are their own person.
  for (const x of body.hits.filter((y) => y !== h)) assert.deepEqual(x.referents, [x.entity_id]);
  // The refusal's alert is on the person too, with both entries and their designations.
  const alerts = alertsOf(store)
    .forSubject(`visa:${body.screening_id}`)
    .filter((a) => a.referents.includes(US));
  assert.equal(alerts.length, 1);
  assert.equal(alerts[0]?.entityId, canonical);
  assert.deepEqual(
    alerts[0]?.designations.map((d) => [d.entityId, d.programs]),
    [
      [UK, ["The Global Human Rights Sanctions Regulations 2020"]],
      [US, ["MAGNIT"]],
    ],
  );
});

it("POST /screen/payment: one hit per field for the man listed twice; not released", async () => {
  const r = await post("/screen/payment", {
    message_id: "T-1",
    amount: { value: "100.00", currency: "EUR" },
    debtor: { name: "Van der Berg Bloemen B.V.", account: "NL91ABNA0417164300", country: "NL" },
    debtor_agent: { bic: "INGBNL2AXXX" },
    creditor_agent: { bic: "NWBKGB2LXXX" },
    creditor: { name: "Pavel Karpov", account: "GB29NWBK60161331926819", country: "GB" },
  });
  assert.equal(r.statusCode, 200, r.body);
  const body = r.json() as { decision: string; rule: string; hits: Hit[] };
  const onKarpov = body.hits.filter((h) => h.entity_id === canonical);
  assert.ok(onKarpov.length >= 1, JSON.stringify(body.hits));
  const fields = onKarpov.map((h) => h.field);
  assert.equal(new Set(fields).size, fields.length, "one hit per field and person");
  for (const h of onKarpov) {
    assert.deepEqual([...h.referents].sort(), [UK, US]);
    assert.deepEqual([...h.datasets].sort(), ["gb_fcdo_sanctions", "us_ofac_sdn"]);
  }
  assert.equal(body.hits.filter((h) => h.referents.includes(US) && h.entity_id !== canonical).length, 0);
  assert.notEqual(body.decision, "release", body.rule);
});

it("the console's alert page lists each entry of the person with its lists and programmes", async () => {
  const r = await post("/screen/visa", { names: ["Pavel Karpov"], birth_date: "1977-08-27" });
  const id = alertsOf(store)
    .forSubject(`visa:${r.json().screening_id}`)
    .find((a) => a.entityId === canonical)?.id;
  assert.ok(id);
  const form = await app.inject({ method: "GET", url: "/" });
  const token = /name="_csrf" value="([^"]+)"/.exec(form.body)?.[1] ?? "";
  const login = await app.inject({
    method: "POST",
    url: "/ui/login",
    headers: {
      cookie: String(form.headers["set-cookie"]).split(";")[0] ?? "",
      "content-type": "application/x-www-form-urlencoded",
    },
    payload: new URLSearchParams({
      _csrf: token,
      name: "ana",
      password: "a long enough password",
    }).toString(),
  });
  const cookie = String(login.headers["set-cookie"] ?? "").split(";")[0] ?? "";
  const page = await app.inject({ method: "GET", url: `/ui/alerts/${id}`, headers: { cookie } });
  assert.equal(page.statusCode, 200, page.body.slice(0, 300));
  assert.match(page.body, new RegExp(`One person, listed 2 times \\(${canonical}\\)`));
  for (const [entry, program] of [
    [US, "MAGNIT"],
    [UK, "The Global Human Rights Sanctions Regulations 2020"],
  ]) {
    assert.match(
      page.body,
      new RegExp(`<a href="/ui/entity/${entry}">${entry}</a>:[^<]*<span class="mute">— Programs: ${program}`),
    );
  }
  // The listed side shows every entry's facts: the birth place only the US entry gives.
  assert.match(page.body, /<dt>Birth place<\/dt><dd>Moscow, Russia<\/dd>/);
});
