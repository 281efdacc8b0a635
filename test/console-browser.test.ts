// The console in a real browser (playwright-core driving Debian chromium): log in, search a
// designated person, review an alert through four-eyes, see the blocked-property entry and
// download the annual report. Screenshots of each page go to test-artifacts/console/.
// Skips, saying why, where chromium is not installed (CI installs it in .ci/run).

import assert from "node:assert/strict";
import { existsSync, mkdirSync, readFileSync } from "node:fs";
import { after, before, describe, it } from "node:test";
import { ingest } from "../src/ingest/ingest.js";
import { alertsOf } from "../src/monitor/alerts.js";
import { type App, buildApp } from "../src/service/app.js";
import { loadConfig } from "../src/service/config.js";
import { LiveIndex } from "../src/service/live.js";
import { KeyStore, ScreeningLog } from "../src/service/records.js";
import { SqliteStore } from "../src/store/sqlite.js";
import { UserStore } from "../src/users/users.js";

const CHROMIUM = process.env.INTERDICT_CHROMIUM ?? "/usr/bin/chromium";
const skip = existsSync(CHROMIUM)
  ? false
  : `chromium not found at ${CHROMIUM}: apt-get install -y chromium (CI does)`;
const SHOTS = "test-artifacts/console";
const PASSWORD = "a long enough password";

type Browser = import("playwright-core").Browser;
type Page = import("playwright-core").Page;

describe("console in chromium", { skip }, () => {
  const store = new SqliteStore(":memory:");
  let live: LiveIndex;
  let app: App;
  let base = "";
  let browser: Browser;

  before(async () => {
    mkdirSync(SHOTS, { recursive: true });
    await ingest(store, ["src/service/fixtures/us_ofac_sdn.ftm.json"]);
    const users = new UserStore(store.db, { cost: 2 ** 10 });
    users.create("ana", "analyst", PASSWORD);
    users.create("sue", "supervisor", PASSWORD);
    alertsOf(store).raise(
      [
        {
          subjectId: "customer:4711",
          subjectHash: "s1",
          subjectName: "Pavel Karpov",
          entityId: "us_ofac_sdn:15880",
          entityHash: "e1",
          caption: "KARPOV, Pavel",
          schema: "Person",
          datasets: ["us_ofac_sdn"],
          programs: ["MAGNIT"],
          score: 0.97,
          explanation: [{ feature: "name", value: 1, weight: 1, detail: "Pavel Karpov = KARPOV, Pavel" }],
        },
      ],
      "customer screening",
    );
    live = new LiveIndex(store, { workers: 0, pollInterval: 0 });
    app = await buildApp({
      store,
      live,
      keys: new KeyStore(store.db),
      screenings: new ScreeningLog(store.db),
      config: { ...loadConfig({}, {}), workers: 0, pollInterval: 0, logLevel: "silent" as const },
    });
    await live.start();
    base = await app.listen({ port: 0, host: "127.0.0.1" });
    const { chromium } = await import("playwright-core");
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--no-first-run",
      ],
    });
  });
  after(async () => {
    await browser?.close();
    await app?.close();
    await live?.close();
    await store.close();
  });

  const shot = (page: Page, name: string) =>
    page.screenshot({ path: `${SHOTS}/${name}.png`, fullPage: true });

  async function signIn(name: string): Promise<Page> {
    const ctx = await browser.newContext({ viewport: { width: 1366, height: 800 }, acceptDownloads: true });
    const page = await ctx.newPage();
    await page.goto(`${base}/`);
    await page.fill('input[name="name"]', name);
    await page.fill('input[name="password"]', PASSWORD);
    await Promise.all([page.waitForURL(/\/ui\/alerts/), page.click("button:has-text('Sign in')")]);
    return page;
  }

  it("logs in, searches a designated person, opens the entity", async () => {
    const ctx = await browser.newContext({ viewport: { width: 1366, height: 800 } });
    const login = await ctx.newPage();
    await login.goto(`${base}/`);
    await shot(login, "01-login");
    await ctx.close();
    const page = await signIn("ana");
    await shot(page, "02-alert-queue");
    await page.click("nav >> text=Search");
    await page.fill('input[name="q"]', "Pavel Karpov");
    await page.press('input[name="q"]', "Enter");
    await page.waitForSelector("text=KARPOV, Pavel");
    assert.match((await page.textContent("main ol")) ?? "", /score\s+[01]\.\d{3}/);
    await shot(page, "03-search");
    await page.click("main ol a >> text=KARPOV, Pavel");
    await page.waitForSelector("h2:has-text('Sanctions')");
    assert.match((await page.textContent("main")) ?? "", /MAGNIT/);
    await shot(page, "04-entity");
    await page.context().close();
  });

  it("opens who is sanctioned where, searches its table and finds Karpov under MAGNIT", async () => {
    const page = await signIn("ana");
    await page.click("nav >> text=Who is sanctioned where");
    await page.waitForSelector("h2:has-text('Gaps')");
    assert.equal(await page.locator("svg[aria-label='designees per jurisdiction']").count(), 1);
    await page.fill('input[name="q"]', "karpov");
    await page.press('input[name="q"]', "Enter");
    await page.waitForSelector("text=matching “karpov”");
    const rows = page.locator("table.map tbody tr");
    assert.equal(await rows.count(), 1);
    assert.match((await rows.first().textContent()) ?? "", /KARPOV, Pavel\s*Person\s*MAGNIT/);
    await shot(page, "12-coverage");
    await page.context().close();
  });

  it("reviews an alert through four-eyes; the blocked property appears; the annual report downloads", async () => {
    const ana = await signIn("ana");
    await ana.click("text=#1");
    await ana.waitForSelector("text=Which list is the hit on?");
    await ana.click("button:has-text('Take into review')");
    await ana.waitForSelector("text=in review");
    await ana.check('input[value="true_match"]');
    await ana.fill('textarea[name="note"]', "Name and birth date agree; customer file confirms");
    await ana.fill('input[name="propertyType"]', "checking account");
    await ana.fill('input[name="location"]', "New York branch, acct 0042");
    await ana.fill('input[name="value"]', "125000.50");
    await ana.fill('input[name="currency"]', "USD");
    await ana.fill('input[name="date"]', "2026-03-02");
    await shot(ana, "05-review");
    await ana.click("button:has-text('Record decision')");
    await ana.waitForSelector("text=Awaiting confirmation");
    assert.match((await ana.textContent("main")) ?? "", /nobody confirms their own/);
    await shot(ana, "06-pending");
    await ana.context().close();

    const sue = await signIn("sue");
    await sue.goto(`${base}/ui/alerts/1`);
    await sue.click("button:has-text('Confirm')");
    await sue.waitForSelector("text=true_match");
    await shot(sue, "07-decided");
    await sue.click("nav >> text=Registers");
    await sue.waitForSelector("text=New York branch, acct 0042");
    await shot(sue, "08-registers");
    await sue.click("nav >> text=Reports & deadlines");
    await sue.waitForSelector("text=Deadlines");
    assert.match((await sue.textContent("main")) ?? "", /2026-03-16/); // 10 business days after 2 March 2026
    await shot(sue, "09-reports");
    const annual = sue.locator("form:has(input[value='annual'])");
    await annual.locator('input[name="year"]').fill("2026");
    const [download] = await Promise.all([sue.waitForEvent("download"), annual.locator("button").click()]);
    const path = `${SHOTS}/annual-2026.csv`;
    await download.saveAs(path);
    const csv = readFileSync(path, "utf8");
    assert.match(csv, /KARPOV, Pavel/);
    assert.match(csv, /Total,USD,1,125000\.50/);
    await sue.click("nav >> text=Datasets");
    await sue.waitForSelector("text=us_ofac_sdn");
    await shot(sue, "10-datasets");
    await sue.click("nav >> text=Audit log");
    await sue.waitForSelector("text=Chain intact");
    assert.match((await sue.textContent("main")) ?? "", /decision_confirmed/);
    await shot(sue, "11-audit");
    await sue.context().close();
  });
});
