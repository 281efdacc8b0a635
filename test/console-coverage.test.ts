// The console's accountability map (/ui/coverage) on two hand-written lists with one person on
// both: a SQLite file, so the map is prepared in its own thread as in the service. The person is
// one row with both jurisdictions, the gaps count the one-list designees and not him, the table
// searches and sorts, the exports download, and bad input is refused naming the field.

import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { PAGE_WAIT } from "../src/console/coverage.js";
import { ingest } from "../src/ingest/ingest.js";
import { type App, buildApp } from "../src/service/app.js";
import { loadConfig } from "../src/service/config.js";
import { LiveIndex } from "../src/service/live.js";
import { KeyStore, ScreeningLog } from "../src/service/records.js";
import { coverageMap } from "../src/service/routes/coverage.js";
import { SqliteStore } from "../src/store/sqlite.js";
import { UserStore } from "../src/users/users.js";

const PASSWORD = "a long enough password";
const person = (id: string, name: string, birthDate: string, dataset: string) => ({
  id,
  schema: "Person",
  properties: { name: [name], birthDate: [birthDate], topics: ["sanction"] },
  datasets: [dataset],
  target: true,
});
const sanction = (entity: string, program: string, dataset: string, listingDate?: string) => ({
  id: `${entity}-sanction`,
  schema: "Sanction",
  properties: {
    entity: [entity],
    program: [program],
    ...(listingDate ? { listingDate: [listingDate] } : {}),
  },
  datasets: [dataset],
});
const US = "us_ofac_sdn";
const UK = "gb_fcdo_sanctions";
const GHR = "The Global Human Rights Sanctions Regulations 2020";
const LISTS: Record<string, object[]> = {
  [US]: [
    person(`${US}:15880`, "KARPOV, Pavel", "1977-08-27", US),
    sanction(`${US}:15880`, "MAGNIT", US),
    person(`${US}:9001`, "ONLYUS, Ivan", "1960-01-01", US),
    sanction(`${US}:9001`, "GLOMAG", US),
    // Designated, but under no human-rights regime: not on that theme's map.
    person(`${US}:9002`, "TERROR, Tom", "1950-02-02", US),
    sanction(`${US}:9002`, "SDGT", US),
  ],
  [UK]: [
    person(`${UK}:GHR0099`, "Pavel KARPOV", "1977-08-27", UK),
    sanction(`${UK}:GHR0099`, GHR, UK, "2021-04-26"),
    person(`${UK}:GHR0100`, "Maria <b>ONLYUK</b>", "1970-05-05", UK),
    sanction(`${UK}:GHR0100`, GHR, UK, "2022-01-01"),
  ],
};

describe("the accountability map in the console", () => {
  const dir = mkdtempSync(join(tmpdir(), "interdict-coverage-"));
  const store = new SqliteStore(join(dir, "t.db"));
  let live: LiveIndex;
  let app: App;
  let cookie = "";
  const get = (url: string) => app.inject({ method: "GET", url, headers: { cookie } });

  before(async () => {
    for (const [name, entities] of Object.entries(LISTS)) {
      const at = join(dir, name, "2026-01-01");
      mkdirSync(at, { recursive: true });
      writeFileSync(join(at, "entities.ftm.json"), entities.map((e) => JSON.stringify(e)).join("\n"));
      await ingest(store, [join(at, "entities.ftm.json")]);
    }
    new UserStore(store.db, { cost: 2 ** 10 }).create("aud", "auditor", PASSWORD);
    live = new LiveIndex(store, { workers: 0, pollInterval: 0 });
    app = await buildApp({
      store,
      live,
      keys: new KeyStore(store.db),
      screenings: new ScreeningLog(store.db),
      config: { ...loadConfig({}, {}), workers: 0, pollInterval: 0, logLevel: "silent" as const },
    });
    const form = await app.inject({ method: "GET", url: "/" });
    const r = await app.inject({
      method: "POST",
      url: "/ui/login",
      headers: {
        cookie: String(form.headers["set-cookie"]).split(";")[0] ?? "",
        "content-type": "application/x-www-form-urlencoded",
      },
      payload: new URLSearchParams({
        _csrf: /name="_csrf" value="([^"]+)"/.exec(form.body)?.[1] ?? "",
        name: "aud",
        password: PASSWORD,
      }).toString(),
    });
    assert.equal(r.statusCode, 303);
    cookie = String(r.headers["set-cookie"]).split(";")[0] ?? "";
  });
  after(async () => {
    await app.close();
    await live.close();
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it("needs a session; says it is being computed until the map is ready, then shows it to any role", async () => {
    const anonymous = await app.inject({ method: "GET", url: "/ui/coverage" });
    assert.equal(anonymous.statusCode, 303);
    assert.match(String(anonymous.headers.location), /^\/\?next=%2Fui%2Fcoverage/);
    // No wait: the run (in a thread of its own, the store being a file) cannot be done yet.
    PAGE_WAIT.ms = 0;
    const first = await get("/ui/coverage?theme=human-rights");
    PAGE_WAIT.ms = 1500;
    assert.equal(first.statusCode, 200);
    assert.match(first.body, /The map is being computed/);
    assert.doesNotMatch(first.body, /<svg /);
    assert.equal(first.headers.refresh, "5");
    assert.match(first.body, /hx-trigger="every 5s"/);
    // The run the page started, awaited here; the page then draws the map at once.
    await coverageMap(store, "human-rights");
    const page = await get("/ui/coverage?theme=human-rights");
    assert.doesNotMatch(page.body, /being computed/);
    assert.match(page.body, /<h1>Who is sanctioned where: human-rights<\/h1>/);
    assert.match(page.body, /aria-current="page">Who is sanctioned where</, "the nav entry");
  });

  it("one row for the person on both lists, with both jurisdictions' programme and date", async () => {
    const body = (await get("/ui/coverage?theme=human-rights")).body;
    assert.match(body, /<strong>3<\/strong> designees under human-rights/);
    const rows = body.split("<tr>").filter((r) => r.includes('scope="row"'));
    assert.equal(rows.length, 3, "Karpov once, ONLYUS, ONLYUK; not the SDGT designee");
    const karpov = rows.filter((r) => /KARPOV/i.test(r));
    assert.equal(karpov.length, 1);
    const cells = [...(karpov[0] ?? "").matchAll(/<td class="(on|other|gap)">(.*?)<\/td>/g)];
    assert.deepEqual(
      cells.map((c) => c[1]),
      ["on", "gap", "on", "gap", "gap", "gap"],
      "US, EU, UK, CA, AU, UN",
    );
    assert.match(cells[0]?.[2] ?? "", /href="\/ui\/entity\/us_ofac_sdn:15880">MAGNIT</);
    assert.match(
      cells[2]?.[2] ?? "",
      /GHR0099">The Global Human Rights Sanctions Regulations 2020 \(2021-04-26\)</,
    );
    assert.match(karpov[0] ?? "", /2 list entries/);
    assert.doesNotMatch(body, /<b>ONLYUK/, "a listed name is shown escaped");
    assert.match(body, /Maria &lt;b&gt;ONLYUK&lt;\/b&gt;/);
    // The charts and the versions the map was made from.
    assert.match(body, /<title>US and UK: 1<\/title>/);
    assert.match(body, /<title>US: 2<\/title>/);
    assert.match(
      body,
      /<td><a href="\/ui\/datasets">gb_fcdo_sanctions<\/a><\/td><td>2026-01-01<\/td><td>UK<\/td>/,
    );
  });

  it("the gap lists count the one-list designees, not the person on both", async () => {
    const body = (await get("/ui/coverage?theme=human-rights")).body;
    const gap = (by: string, not: string) => {
      const m = new RegExp(
        `<summary>${by}, not ${not}: <span class="n">(\\d+)</span></summary>(.*?)</details>`,
        "s",
      ).exec(body);
      assert.ok(m, `${by}, not ${not}`);
      return { n: Number(m[1]), names: m[2] ?? "" };
    };
    const usNotUk = gap("US", "UK");
    assert.equal(usNotUk.n, 1);
    assert.match(usNotUk.names, /<a href="\/ui\/entity\/us_ofac_sdn:9001">ONLYUS, Ivan<\/a>/);
    assert.doesNotMatch(usNotUk.names, /KARPOV/);
    const ukNotUs = gap("UK", "US");
    assert.equal(ukNotUs.n, 1);
    assert.match(ukNotUs.names, /ONLYUK/);
    assert.equal(gap("US", "EU").n, 2, "Karpov and ONLYUS: the EU lists neither");
    assert.equal(gap("EU", "US").n, 0);
    // The table filtered to one gap.
    const filtered = (await get("/ui/coverage?theme=human-rights&by=US&notby=UK")).body;
    assert.match(filtered, /1 of 3 designees designated by US under human-rights, not by UK/);
  });

  it("the table searches and sorts, and bad input is refused naming the field", async () => {
    const found = (await get("/ui/coverage?theme=human-rights&q=karpov")).body;
    assert.match(found, /1 of 3 designees matching “karpov”/);
    const byUk = (await get("/ui/coverage?theme=human-rights&sort=UK&dir=desc")).body;
    const order = [...byUk.matchAll(/scope="row"><a [^>]+>([^<]+)</g)].map((m) => m[1]);
    assert.deepEqual(order, ["Maria &lt;b&gt;ONLYUK&lt;/b&gt;", "KARPOV, Pavel", "ONLYUS, Ivan"]);
    await coverageMap(store, undefined); // every designee: a run of its own, awaited as above
    const all = (await get("/ui/coverage?theme=all")).body;
    assert.match(all, /<strong>4<\/strong> designees of every regime/);
    for (const [url, text] of [
      ["/ui/coverage?theme=human_rights", /known: human-rights, corruption/],
      ["/ui/coverage?sort=age", /unknown sort &quot;age&quot;/],
      ["/ui/coverage?by=US&notby=XX", /unknown jurisdiction &quot;XX&quot; in notby/],
      ["/ui/coverage?by=US", /a gap needs two different jurisdictions/],
      ["/ui/coverage/export?format=pdf", /unknown format &quot;pdf&quot;; known: csv, jsonl, html/],
    ] as const) {
      const r = await get(url);
      assert.equal(r.statusCode, 400, url);
      assert.match(r.body, text, url);
    }
  });

  it("exports CSV, JSON lines and the self-contained page from the page's links", async () => {
    const body = (await get("/ui/coverage?theme=human-rights")).body;
    const links = [...body.matchAll(/href="(\/ui\/coverage\/export\?[^"]+)"/g)].map((m) =>
      (m[1] ?? "").replace(/&amp;/g, "&"),
    );
    assert.equal(links.length, 3);
    const [csv, jsonl, page] = await Promise.all(links.map((l) => get(l)));
    assert.match(
      String(csv?.headers["content-disposition"]),
      /attachment; filename="coverage-human-rights.csv"/,
    );
    const lines = (csv?.body ?? "").trim().split("\n");
    assert.equal(lines[0], "id,caption,schema,referents,US,EU,UK,CA,AU,UN");
    assert.equal(lines.length, 4);
    assert.match(
      lines.find((l) => l.includes("KARPOV")) ?? "",
      /us_ofac_sdn:15880 gb_fcdo_sanctions:GHR0099|gb_fcdo_sanctions:GHR0099 us_ofac_sdn:15880/,
    );
    const rows = (jsonl?.body ?? "")
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l) as { referents: string[]; jurisdictions: Record<string, unknown[]> });
    const karpov = rows.find((r) => r.referents.includes("us_ofac_sdn:15880"));
    assert.equal(karpov?.jurisdictions.US?.length, 1);
    assert.equal(karpov?.jurisdictions.UK?.length, 1);
    assert.match(String(jsonl?.headers["content-type"]), /ndjson/);
    assert.match(page?.body ?? "", /<svg /);
    assert.doesNotMatch(page?.body ?? "", /<script|src="http/);
  });
});
