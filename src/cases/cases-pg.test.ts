// The case workflow on a real PostgreSQL (127.0.0.1:5432, database test, or INTERDICT_TEST_PG),
// each test in its own schema, dropped after: four-eyes as on SQLite (a true match confirmed
// by a higher role writes its register row, the proposer and a peer are refused, a return goes
// back to review), the audit entries in one valid chain, a visa alert's source giving the
// refusal's ground, and two stores (two replicas' pools) confirming one proposal at once: one
// confirmation, one register row, one entry.

import assert from "node:assert/strict";
import { afterEach, it } from "node:test";
import { testSchemas } from "../../test/_pg.js";
import { PgAuditLog } from "../audit/log-pg.js";
import type { Finding } from "../monitor/alerts.js";
import { PostgresStore } from "../store/postgres.js";
import type { User } from "../users/users.js";
import { PgCaseBook } from "./cases-pg.js";
import { alertsFromVisa } from "./intake.js";

const schemas = testSchemas("cases");
const stores: PostgresStore[] = [];

const analyst: User = { name: "ana", role: "analyst" };
const analyst2: User = { name: "bob", role: "analyst" };
const supervisor: User = { name: "sue", role: "supervisor" };
const admin: User = { name: "ada", role: "admin" };
const auditor: User = { name: "aud", role: "auditor" };

const finding = (n: number): Finding => ({
  subjectId: `customer:${n}`,
  subjectHash: `s${n}`,
  subjectName: `Customer ${n}`,
  entityId: `us_ofac_sdn:${n}`,
  entityHash: `e${n}`,
  caption: `Listed ${n}`,
  schema: "Person",
  datasets: ["us_ofac_sdn"],
  programs: ["MAGNIT"],
  score: 0.95,
  explanation: [],
});

/** A fresh schema with four open alerts; `n` stores on it, as `n` replicas. */
async function setup(n = 1): Promise<{ books: PgCaseBook[]; ids: number[]; log: PgAuditLog }> {
  const mine: PostgresStore[] = [];
  const url = schemas.url();
  for (let i = 0; i < n; i++) mine.push(await PostgresStore.open(url, { poolSize: 3 }));
  stores.push(...mine);
  const books = mine.map((s) => new PgCaseBook(s));
  const [book] = books as [PgCaseBook];
  await book.alerts.raise([1, 2, 3, 4].map(finding), "test");
  const ids = (await book.alerts.list()).map((a) => a.id);
  return { books, ids, log: new PgAuditLog(mine[0] as PostgresStore) };
}

afterEach(async () => {
  await Promise.all(stores.splice(0).map((s) => s.close()));
  await schemas.drop();
});

it("a true match waits for a higher role, then is decided with its register row and a valid chain", async () => {
  const { books, ids, log } = await setup();
  const [cases] = books as [PgCaseBook];
  const id = ids[0] as number;
  await cases.take(id, analyst);
  assert.equal((await cases.state(await cases.alert(id))).status, "in_review");
  await cases.propose(id, analyst, "true_match", "same person", {
    consequence: "block",
    propertyType: "account",
    location: "Main St branch",
    value: 1500.5,
    currency: "usd",
    date: "2024-06-03",
  });
  const pending = await cases.state(await cases.alert(id));
  assert.equal(pending.status, "pending");
  assert.equal(pending.proposer, "ana");
  assert.equal(pending.details?.location, "Main St branch");
  await assert.rejects(cases.confirm(id, analyst, true), /nobody confirms their own decision/);
  await assert.rejects(cases.confirm(id, analyst2, true), /confirmed by a higher role than analyst/);
  await assert.rejects(cases.confirm(id, auditor, true), /higher role/);
  await assert.rejects(
    cases.propose(id, analyst2, "clear", "no"),
    /already awaits confirmation of true_match/,
  );
  assert.equal((await cases.alert(id)).status, "open");
  assert.deepEqual(await cases.blockedProperty(), []);

  const done = await cases.confirm(id, supervisor, true, "checked", undefined, { via: "test" });
  assert.equal(done.status, "decided");
  assert.equal(done.decision, "true_match");
  assert.equal(done.analyst, "ana");
  assert.match(done.note ?? "", /same person — confirmed: checked \(confirmed by sue\)/);
  assert.equal((await cases.state(done)).status, "decided");
  const props = await cases.blockedProperty();
  assert.equal(props.length, 1);
  const [p] = props;
  assert.equal(p?.alertId, id);
  assert.equal(p?.currency, "USD");
  assert.equal(p?.value, 1500.5);
  assert.equal(p?.dateBlocked, "2024-06-03");
  assert.equal(p?.proposedBy, "ana");
  assert.equal(p?.confirmedBy, "sue");
  assert.match(p?.legalAuthority ?? "", /MAGNIT/);
  await assert.rejects(cases.confirm(id, admin, true), /nothing awaits confirmation/);

  const entries = (await log.list({ limit: 100 })).reverse();
  assert.deepEqual(
    entries.map((e) => [e.action, e.actor]),
    [
      ["alert_taken", "ana"],
      ["decision_proposed", "ana"],
      ["decision_confirmed", "sue"],
    ],
  );
  const confirmedEntry = entries[2]?.detail ?? {};
  assert.deepEqual(confirmedEntry.register, { blocked_property: p?.id });
  assert.equal(confirmedEntry.four_eyes, true);
  assert.equal(confirmedEntry.role, "supervisor");
  assert.equal(confirmedEntry.via, "test");
  assert.deepEqual(await log.verify(), { ok: true, entries: 3 });
});

it("a false positive returned goes back to review with its proposer; escalate and clear as on SQLite", async () => {
  const { books, ids, log } = await setup();
  const [cases] = books as [PgCaseBook];
  const [fp, esc, clr] = ids as [number, number, number];
  await cases.propose(fp, analyst, "false_positive", "different birth year");
  const back = await cases.confirm(fp, supervisor, false, "look at the passport");
  assert.equal(back.status, "open");
  const st = await cases.state(back);
  assert.deepEqual([st.status, st.assignee, st.note], ["in_review", "ana", "look at the passport"]);
  await cases.propose(fp, analyst, "false_positive", "passport differs");
  assert.equal((await cases.confirm(fp, admin, true)).decision, "false_positive");
  // Suppressed: the same pair, unchanged, is not raised again.
  assert.equal((await cases.alerts.raise([finding(1)], "again")).decided, 1);

  await cases.propose(esc, analyst, "escalate", "needs a senior look");
  assert.equal((await cases.state(await cases.alert(esc))).status, "escalated");
  const cleared = await cases.propose(clr, analyst, "clear", "other person");
  assert.equal((cleared as { status: string }).status, "decided");
  await assert.rejects(cases.propose(clr, analyst, "clear", "again"), /alert \d+ is decided/);
  await assert.rejects(cases.take(clr, auditor), /an auditor reads cases but does not decide them/);
  await assert.rejects(cases.take(99_999, analyst), /no alert 99999/);

  const actions = (await log.list({ limit: 100 })).reverse().map((e) => e.action);
  assert.deepEqual(actions, [
    "decision_proposed",
    "decision_returned",
    "decision_proposed",
    "decision_confirmed",
    "decision_proposed",
    "decision_confirmed",
  ]);
  assert.deepEqual(await log.verify(), { ok: true, entries: 6 });
});

it("a visa alert's source fills the refusal: the register row names the screening and its ground", async () => {
  const { books, ids } = await setup();
  const [cases] = books as [PgCaseBook];
  const id = ids[3] as number;
  await cases.setSource(id, "visa", "scr-1", { grounds: ["EU 2014/145 art. 1"] });
  await cases.setSource(id, "payment", "scr-2", {}); // the first note stays
  assert.equal((await cases.source(id)).screeningId, "scr-1");
  assert.deepEqual(await cases.sourceKinds(), new Map([[id, "visa"]]));
  const d = await cases.defaults(await cases.alert(id));
  assert.equal(d.consequence, "refuse_visa");
  await cases.propose(id, analyst, "true_match", "same passport");
  await cases.confirm(id, supervisor, true);
  const [r] = await cases.visaRefusals();
  assert.equal(r?.screeningId, "scr-1");
  assert.equal(r?.ground, "EU 2014/145 art. 1");
  assert.equal(r?.applicant, "Customer 4");
  await cases.comment(id, analyst, "passport scan attached");
  const att = await cases.attach(id, analyst, "scan.txt", "text/plain", Buffer.from("P<UTO"));
  assert.deepEqual(
    (await cases.comments(id)).map((c) => c.text),
    ["passport scan attached"],
  );
  assert.equal((await cases.attachments(id))[0]?.size, 5);
  assert.equal((await cases.attachment(att))?.content.toString(), "P<UTO");
});

it("a visa refusal screened on PostgreSQL notes its screening as the case's source", async () => {
  const { books } = await setup();
  const [cases] = books as [PgCaseBook];
  const hit = {
    entity_id: "us_ofac_sdn:15880",
    caption: "KARPOV, Pavel",
    schema: "Person",
    score: 0.97,
    match: true,
    datasets: ["us_ofac_sdn"],
    programs: ["MAGNIT"],
    legal_grounds: ["INA 212(a)(3)(C)"],
    explanation: ["name matches"],
    confirmed: true,
    travel_ban: "yes" as const,
    assessment: "refuse",
  };
  const applicant = { names: ["Pavel Karpov"], nationalities: ["ru"] };
  const screening = { decision: "refuse" as const, reason: "listed, travel ban", hits: [hit] };
  assert.equal(await alertsFromVisa(cases.store, "scr-9", applicant, screening), 1);
  const [a] = await cases.alerts.forSubject("visa:scr-9");
  assert.ok(a);
  const src = await cases.source(a.id);
  assert.deepEqual([src.kind, src.screeningId, src.context.grounds], ["visa", "scr-9", ["INA 212(a)(3)(C)"]]);
  assert.equal((await cases.defaults(a)).ground, "INA 212(a)(3)(C)");
});

it("two replicas confirming one proposal at once: one confirmation, one register row, one entry", async () => {
  const { books, ids, log } = await setup(2);
  const [one, two] = books as [PgCaseBook, PgCaseBook];
  for (const id of ids) {
    await one.propose(id, analyst, "true_match", `case ${id}`, { consequence: "reject", value: 10 });
  }
  for (const id of ids) {
    const shots = await Promise.allSettled([
      one.confirm(id, supervisor, true, "via one"),
      two.confirm(id, admin, true, "via two"),
    ]);
    const won = shots.filter((s) => s.status === "fulfilled");
    const lost = shots.filter((s): s is PromiseRejectedResult => s.status === "rejected");
    assert.equal(won.length, 1, `alert ${id}: ${JSON.stringify(shots)}`);
    assert.match(String(lost[0]?.reason), /nothing awaits confirmation/);
  }
  const rows = await two.rejectedTransactions();
  assert.deepEqual(
    rows.map((r) => r.alertId).sort((a, b) => a - b),
    [...ids].sort((a, b) => a - b),
  );
  const confirmedEntries = await log.list({ action: "decision_confirmed", limit: 100 });
  assert.equal(confirmedEntries.length, ids.length);
  for (const e of confirmedEntries) {
    const row = rows.find((r) => r.alertId === e.detail.alert);
    assert.deepEqual(e.detail.register, { rejected_transaction: row?.id });
    assert.equal(row?.confirmedBy, e.actor);
  }
  assert.deepEqual(await log.verify(), { ok: true, entries: 2 * ids.length });
});
