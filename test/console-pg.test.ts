// The console on a real PostgreSQL (127.0.0.1:5432, database test, or INTERDICT_TEST_PG), as two
// replicas: two stores and two apps (buildApp) on one schema, driven in-process (app.inject).
// A user made by `interdict users create --db postgres://…` (a real process) signs in; an alert
// raised in PgAlertBook is in the queue; a session made through one replica works through the
// other (and a logout through one ends it on both); an analyst proposes a true match through one,
// cannot confirm it, a supervisor confirms it through the other: decided, the register row
// written, the audit page shows the steps and the chain verifies. A designation is made and
// proposed through one replica, approved and published through the other; reports are made on PG.
// Lock-out counts across replicas. Own schema, dropped at the end.

import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { after, before, describe, it } from "node:test";
import { PgAuditLog } from "../src/audit/log-pg.js";
import { pgCasesOf } from "../src/cases/cases-pg.js";
import { ingest } from "../src/ingest/ingest.js";
import type { Finding } from "../src/monitor/alerts.js";
import { type App, buildApp } from "../src/service/app.js";
import { loadConfig } from "../src/service/config.js";
import { LiveIndex } from "../src/service/live.js";
import { serviceRecords } from "../src/service/records-pg.js";
import { PostgresStore } from "../src/store/postgres.js";
import { subjectsOf } from "../src/subjects/index.js";
import { USER_DEFAULTS } from "../src/users/users.js";
import { PgUserStore } from "../src/users/users-pg.js";
import { testSchemas } from "./_pg.js";

const schemas = testSchemas("console_pg");
const URL_ = schemas.url();
const PASSWORD = "a long enough password";
const SDN = "src/service/fixtures/us_ofac_sdn.ftm.json";

interface Replica {
  store: PostgresStore;
  live: LiveIndex;
  app: App;
}
const replicas: Replica[] = [];
let one: Replica;
let two: Replica;

interface Browser {
  cookie: string;
  csrf: string;
}

async function login(app: App, name: string, password = PASSWORD): Promise<{ status: number; b: Browser }> {
  const form = await app.inject({ method: "GET", url: "/" });
  const loginCookie = String(form.headers["set-cookie"]).split(";")[0] ?? "";
  const token = /name="_csrf" value="([^"]+)"/.exec(form.body)?.[1] ?? "";
  const r = await app.inject({
    method: "POST",
    url: "/ui/login",
    headers: { cookie: loginCookie, "content-type": "application/x-www-form-urlencoded" },
    payload: new URLSearchParams({ _csrf: token, name, password }).toString(),
  });
  const cookie = String(r.headers["set-cookie"] ?? "").split(";")[0] ?? "";
  const page = await app.inject({ method: "GET", url: "/ui/alerts", headers: { cookie } });
  const csrf = /name="_csrf" value="([^"]+)"/.exec(page.body)?.[1] ?? "";
  return { status: r.statusCode, b: { cookie, csrf } };
}

const get = (app: App, b: Browser, url: string) =>
  app.inject({ method: "GET", url, headers: { cookie: b.cookie } });
const post = (app: App, b: Browser, url: string, form: Record<string, string>) =>
  app.inject({
    method: "POST",
    url,
    headers: { cookie: b.cookie, "content-type": "application/x-www-form-urlencoded" },
    payload: new URLSearchParams({ _csrf: b.csrf, ...form }).toString(),
  });

/** `interdict users create NAME --role ROLE --db postgres://…`, the password on stdin. */
function cli(args: string[], input = "") {
  const r = spawnSync(process.execPath, ["bin/interdict.js", "--db", URL_, "--quiet", ...args], {
    encoding: "utf8",
    input,
    env: { ...process.env, USER: "cli-test" },
    timeout: 60_000,
  });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

const finding = (n: number): Finding => ({
  subjectId: `cust-${n}`,
  subjectHash: "s1",
  subjectName: `Customer Number${n}`,
  entityId: "us_ofac_sdn:15880",
  entityHash: "e1",
  caption: "Pavel Karpov",
  schema: "Person",
  datasets: ["us_ofac_sdn"],
  programs: ["MAGNIT"],
  score: 0.9,
  explanation: [],
});

async function replica(): Promise<Replica> {
  const store = await PostgresStore.open(URL_, { poolSize: 3 });
  const { keys, screenings } = serviceRecords(store);
  const live = new LiveIndex(store, { workers: 0, pollInterval: 0 });
  const config = { ...loadConfig({}, {}), workers: 0, pollInterval: 0, logLevel: "silent" as const };
  const app = await buildApp({ store, live, keys, screenings, config });
  await live.start();
  const r = { store, live, app };
  replicas.push(r);
  return r;
}

before(async () => {
  // The first store makes the schema and ingests the SDN excerpt; then two replicas start at once.
  const first = await PostgresStore.open(URL_, { poolSize: 1 });
  await ingest(first, [SDN]);
  await first.close();
  [one, two] = await Promise.all([replica(), replica()]);
});

after(async () => {
  for (const r of replicas) {
    await r.app.close();
    await r.live.close();
    await r.store.close();
  }
  await schemas.drop();
});

describe("console on PostgreSQL, two replicas", () => {
  it("a user made by the CLI on postgres:// signs in; a second account of one name is refused", async () => {
    const made = cli(["users", "create", "ana", "--role", "analyst"], `${PASSWORD}\n`);
    assert.equal(made.code, 0, made.err);
    assert.match(made.out, /created ana \(analyst\)/);
    // The others straight into the table (a cheaper scrypt cost: each CLI run takes seconds).
    const users = new PgUserStore(two.store, { cost: 2 ** 10 });
    await users.create("sue", "supervisor", PASSWORD);
    await users.create("aud", "auditor", PASSWORD);
    await assert.rejects(users.create("bob", "boss", PASSWORD), /unknown role "boss"/);
    await assert.rejects(users.create("bob", "analyst", "short"), /at least 10 characters/);
    const again = cli(["users", "create", "ana", "--role", "admin"], `${PASSWORD}\n`);
    assert.notEqual(again.code, 0);
    assert.match(again.err, /user ana exists already/);
    const list = cli(["users", "list"]);
    assert.equal(list.code, 0, list.err);
    assert.deepEqual(
      list.out
        .split("\n")
        .slice(1)
        .filter((l) => /\S/.test(l) && !/^[-\s]+$/.test(l))
        .map((l) => l.split(/\s+/).slice(0, 2).join(" ")),
      ["ana analyst", "aud auditor", "sue supervisor"],
    );
    assert.equal((await login(one.app, "ana")).status, 303);
    assert.equal((await login(two.app, "ana", "the wrong password")).status, 401);
    const created = await new PgAuditLog(one.store).list({ action: "user_created" });
    assert.deepEqual(
      created.map((e) => [e.actor, e.detail.user, e.detail.via]),
      [["cli-test", "ana", "cli"]],
    );
  });

  it("the two replicas starting together logged the configuration and the ingest once", async () => {
    const log = new PgAuditLog(one.store);
    assert.equal((await log.list({ action: "config" })).length, 1);
    const ingests = await log.list({ action: "ingest" });
    assert.deepEqual(
      ingests.map((e) => [e.actor, e.detail.dataset]),
      [["system", "us_ofac_sdn"]],
    );
  });

  it("search, entity, datasets and the map are served on PostgreSQL", async () => {
    const aud = (await login(two.app, "aud")).b;
    const found = await get(two.app, aud, "/ui/search?q=Pavel+Karpov");
    assert.equal(found.statusCode, 200);
    assert.match(found.body, /href="\/ui\/entity\/us_ofac_sdn:15880"/);
    const entity = await get(one.app, aud, "/ui/entity/us_ofac_sdn:15880");
    assert.equal(entity.statusCode, 200);
    assert.match(entity.body, /MAGNIT/);
    assert.match(entity.body, /1977-08-27/);
    const ds = await get(one.app, aud, "/ui/datasets");
    assert.equal(ds.statusCode, 200);
    assert.match(ds.body, /<code>us_ofac_sdn<\/code>/);
    const map = await get(two.app, aud, "/ui/coverage");
    assert.equal(map.statusCode, 200, map.body.slice(0, 500));
  });

  it("a session made through one replica works through the other, and its logout ends it on both", async () => {
    await pgCasesOf(one.store).alerts.raise([finding(1)], "test");
    const { b } = await login(one.app, "ana");
    assert.ok(b.csrf, "the queue page carries the session's CSRF token");
    for (const r of [one, two]) {
      const q = await get(r.app, b, "/ui/alerts");
      assert.equal(q.statusCode, 200);
      assert.match(q.body, /Customer Number1/);
      assert.match(q.body, /Pavel Karpov/);
    }
    const [a] = await pgCasesOf(two.store).alerts.list();
    assert.ok(a);
    // A form of a page served by replica one, posted to replica two.
    assert.equal((await post(two.app, b, `/ui/alerts/${a.id}/comment`, { text: "seen" })).statusCode, 303);
    assert.deepEqual(
      (await pgCasesOf(one.store).comments(a.id)).map((c) => [c.author, c.text]),
      [["ana", "seen"]],
    );
    assert.equal((await post(two.app, b, "/ui/logout", {})).statusCode, 303);
    const gone = await get(one.app, b, "/ui/alerts");
    assert.equal(gone.statusCode, 303);
    assert.match(String(gone.headers.location), /^\/\?next=/);
  });

  it("four-eyes across replicas: proposed by an analyst, refused to her, confirmed by a supervisor; audited", async () => {
    const cases = pgCasesOf(one.store);
    await cases.alerts.raise([finding(2)], "test");
    const a = (await cases.alerts.list()).find((x) => x.subjectId === "cust-2");
    assert.ok(a);
    const ana = (await login(one.app, "ana")).b;
    await subjectsOf(two.store).upsert({
      id: "cust-2",
      query: { schema: "Person", names: ["Pavel Karpov"], birthDates: ["1977-08-27"], countries: ["ru"] },
    });
    const page = await get(one.app, ana, `/ui/alerts/${a.id}`);
    assert.equal(page.statusCode, 200, page.body);
    assert.match(page.body, /Which list is the hit on/);
    // The subject's side from the PostgreSQL subject register, the listed side from the store.
    assert.match(page.body, /<dt>Birth date<\/dt><dd>1977-08-27<\/dd>/);
    assert.match(page.body, /<dt>Country<\/dt><dd>ru<\/dd>/);
    assert.match(page.body, /Moscow, Russia/);
    assert.equal((await post(one.app, ana, `/ui/alerts/${a.id}/take`, {})).statusCode, 303);
    assert.equal((await cases.state(a)).status, "in_review");
    const d = await post(one.app, ana, `/ui/alerts/${a.id}/decide`, {
      decision: "true_match",
      note: "name and birth date agree",
      consequence: "block",
      propertyType: "account",
      location: "branch 7",
      value: "1,250.50",
      currency: "eur",
      date: "2026-11-02",
    });
    assert.equal(d.statusCode, 303, d.body);
    const pending = await get(two.app, ana, `/ui/alerts/${a.id}`);
    assert.match(pending.body, /Awaiting confirmation/);
    const self = await post(two.app, ana, `/ui/alerts/${a.id}/confirm`, { accept: "yes" });
    assert.equal(self.statusCode, 403);
    assert.match(self.body, /nobody confirms their own/);
    const aud = (await login(two.app, "aud")).b;
    assert.equal((await post(two.app, aud, `/ui/alerts/${a.id}/confirm`, { accept: "yes" })).statusCode, 403);
    assert.equal((await cases.blockedProperty()).length, 0);

    const sue = (await login(two.app, "sue")).b;
    const c = await post(two.app, sue, `/ui/alerts/${a.id}/confirm`, { accept: "yes", note: "agreed" });
    assert.equal(c.statusCode, 303, c.body);
    const done = await cases.alert(a.id);
    assert.deepEqual([done.status, done.decision, done.analyst], ["decided", "true_match", "ana"]);
    const [p] = await cases.blockedProperty();
    assert.deepEqual(
      [p?.alertId, p?.value, p?.currency, p?.location, p?.proposedBy, p?.confirmedBy],
      [a.id, 1250.5, "EUR", "branch 7", "ana", "sue"],
    );
    const decided = await get(one.app, ana, "/ui/alerts?status=decided");
    assert.match(decided.body, /Customer Number2/);
    const reg = await get(one.app, ana, "/ui/registers");
    assert.equal(reg.statusCode, 200);
    assert.match(reg.body, /branch 7/);
    assert.match(reg.body, /ana \/ sue/);

    // The audit page, through either replica: the steps, and the chain verified.
    const log = new PgAuditLog(two.store);
    const v = await log.verify();
    assert.equal(v.ok, true, JSON.stringify(v));
    const audit = await get(two.app, aud, "/ui/audit");
    assert.equal(audit.statusCode, 200);
    assert.match(audit.body, new RegExp(`Chain intact: ${v.entries} entries verified`));
    for (const action of ["alert_taken", "decision_proposed", "decision_confirmed", "login", "comment"])
      assert.match(audit.body, new RegExp(`<td>${action}</td>`));
    const steps = (await log.list({ limit: 1000 })).filter((e) => e.detail.alert === a.id).reverse();
    assert.deepEqual(
      steps.map((e) => [e.action, e.actor]),
      [
        ["alert_taken", "ana"],
        ["decision_proposed", "ana"],
        ["decision_confirmed", "sue"],
      ],
    );
    assert.equal(steps[2]?.detail.four_eyes, true);
  });

  it("a file attached through one replica is listed and downloaded, byte for byte, through the other", async () => {
    const cases = pgCasesOf(one.store);
    await cases.alerts.raise([finding(3)], "test");
    const a = (await cases.alerts.list()).find((x) => x.subjectId === "cust-3");
    assert.ok(a);
    const ana = (await login(one.app, "ana")).b;
    const bytes = Buffer.from([0x25, 0x50, 0x44, 0x46, 0x00, 0xff, 0x0d, 0x0a, 0x42]);
    const boundary = "----interdict-test";
    const body = Buffer.concat([
      Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="_csrf"\r\n\r\n${ana.csrf}\r\n` +
          `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="passport scan.pdf"\r\n` +
          "Content-Type: application/pdf\r\n\r\n",
      ),
      bytes,
      Buffer.from(`\r\n--${boundary}--\r\n`),
    ]);
    const up = await one.app.inject({
      method: "POST",
      url: `/ui/alerts/${a.id}/attach`,
      headers: { cookie: ana.cookie, "content-type": `multipart/form-data; boundary=${boundary}` },
      payload: body,
    });
    assert.equal(up.statusCode, 303, up.body);
    const page = await get(two.app, ana, `/ui/alerts/${a.id}`);
    const link = /href="\/ui\/attachments\/(\d+)">passport scan\.pdf</.exec(page.body);
    assert.ok(link, "the attachment is listed");
    assert.match(page.body, new RegExp(`${bytes.length} bytes, ana`));
    const down = await get(two.app, ana, `/ui/attachments/${link[1]}`);
    assert.equal(down.statusCode, 200);
    assert.deepEqual(down.rawPayload, bytes);
    assert.match(String(down.headers["content-disposition"]), /filename="passport_scan.pdf"/);
  });

  it("an admin creates a user on the users page through one replica; the user signs in through the other", async () => {
    await new PgUserStore(one.store, { cost: 2 ** 10 }).create("adm", "admin", PASSWORD);
    const adm = (await login(one.app, "adm")).b;
    const ana = (await login(one.app, "ana")).b;
    assert.equal((await get(one.app, ana, "/ui/admin/users")).statusCode, 403);
    const made = await post(one.app, adm, "/ui/admin/users", {
      name: "eve",
      role: "supervisor",
      password: PASSWORD,
    });
    assert.equal(made.statusCode, 303, made.body);
    const dup = await post(two.app, adm, "/ui/admin/users", {
      name: "eve",
      role: "analyst",
      password: PASSWORD,
    });
    assert.match(dup.body, /user eve exists already/);
    const list = await get(two.app, adm, "/ui/admin/users");
    assert.match(list.body, /<td>eve<\/td><td>supervisor<\/td>/);
    assert.equal((await login(two.app, "eve")).status, 303);
  });

  it("designations run on PG: a case made and proposed through one replica, approved and published through the other; reports are made on PG", async () => {
    const ana = (await login(two.app, "ana")).b;
    const sue = (await login(one.app, "sue")).b;
    const q = await get(two.app, ana, "/ui/alerts");
    assert.match(q.body, /href="\/ui\/designations"/);
    assert.match(q.body, /href="\/ui\/reports"/);
    const made = await post(two.app, ana, "/ui/designations", {
      schema: "Person",
      name: "Viktor Sergeyevich Oblomkin",
      birthDate: "1968-05-14",
      authority: "us-glomag-10102",
      criterion: "10102(a)(1)",
      statement_of_reasons: "Ordered the torture of a lawyer.",
      source_type: "NGO report",
      evidence_description: "witness statements",
    });
    assert.equal(made.statusCode, 303, made.body);
    const page = String(made.headers.location);
    assert.match(page, /^\/ui\/designations\/D-\d{6}$/);
    const id = page.slice("/ui/designations/".length);
    assert.equal((await post(two.app, ana, `${page}/propose`, {})).statusCode, 303);
    // An analyst does not approve; the proposer's supervisor does, through the other replica.
    assert.equal((await post(one.app, ana, `${page}/approve`, {})).statusCode, 403);
    const approved = await post(one.app, sue, `${page}/approve`, {});
    assert.equal(approved.statusCode, 303, approved.body);
    const pub = await post(one.app, sue, "/ui/designations/publish", {});
    assert.equal(pub.statusCode, 200, pub.body);
    assert.match(pub.body, /1 added|2 added/);
    const shown = await get(two.app, ana, page);
    assert.equal(shown.statusCode, 200);
    assert.match(shown.body, /<span class="pill">published<\/span>/);
    assert.match(shown.body, /<td>sue<\/td><td>approved<\/td>/);
    assert.match((await get(two.app, ana, "/ui/designations/ownership")).body, /Blocked or cautioned/);
    const trail = await new PgAuditLog(two.store).list({ action: "designation_approved" });
    assert.ok(trail.some((e) => e.actor === "sue" && e.detail.case === id));
    const gen = await post(two.app, ana, "/ui/reports/generate", { kind: "annual", format: "csv" });
    assert.equal(gen.statusCode, 200, gen.body);
    assert.match((await get(one.app, ana, "/ui/reports")).body, /annual \(csv\)/);
  });

  it("five wrong passwords through two replicas lock the account, even against the right one", async () => {
    const users = new PgUserStore(one.store, { cost: 2 ** 10 });
    await users.create("lock", "analyst", PASSWORD);
    const tries = await Promise.all(
      Array.from({ length: USER_DEFAULTS.maxFailures }, (_, i) =>
        login(i % 2 ? one.app : two.app, "lock", "not the password"),
      ),
    );
    assert.deepEqual(
      tries.map((t) => t.status),
      Array(USER_DEFAULTS.maxFailures).fill(401),
    );
    const [u] = (await users.list()).filter((x) => x.name === "lock");
    assert.ok(u?.lockedUntil, "locked");
    const right = await users.login("lock", PASSWORD);
    assert.deepEqual([right.ok, right.ok ? "" : right.reason], [false, "locked"]);
  });
});
