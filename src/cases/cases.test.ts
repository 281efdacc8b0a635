// The case workflow on a real SQLite store: four-eyes rules, the register entries a confirmed
// true match writes, report totals equal to the rows, and the audit chain over all of it.

import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { AuditLog, auditOf } from "../audit/log.js";
import { alertsOf, type Finding } from "../monitor/alerts.js";
import { annualReport, canadaQuarterly, deadlines, toCsv, totalsOf } from "../reports/reports.js";
import { SqliteStore } from "../store/sqlite.js";
import type { User } from "../users/users.js";
import { casesOf } from "./cases.js";

const analyst: User = { name: "ana", role: "analyst" };
const analyst2: User = { name: "bob", role: "analyst" };
const supervisor: User = { name: "sue", role: "supervisor" };
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

function setup() {
  const store = new SqliteStore(":memory:");
  alertsOf(store).raise([1, 2, 3, 4].map(finding), "test");
  return { store, cases: casesOf(store) };
}

describe("four-eyes", () => {
  it("a true match waits for a higher role; the proposer, a peer and an auditor cannot confirm", async () => {
    const { store, cases } = setup();
    await cases.take(1, analyst);
    assert.equal(cases.state(cases.alert(1)).status, "in_review");
    await cases.propose(1, analyst, "true_match", "same person", {
      consequence: "block",
      propertyType: "account",
      location: "Main St branch",
      value: 1500.5,
      currency: "usd",
      date: "2024-06-03",
    });
    assert.equal(cases.state(cases.alert(1)).status, "pending");
    await assert.rejects(cases.confirm(1, analyst, true), /nobody confirms their own/);
    await assert.rejects(cases.confirm(1, analyst2, true), /higher role/);
    await assert.rejects(cases.confirm(1, auditor, true), /higher role/);
    assert.equal(cases.alert(1).status, "open");
    assert.equal(cases.blockedProperty().length, 0);
    const done = await cases.confirm(1, supervisor, true);
    assert.equal(done.status, "decided");
    assert.equal(done.decision, "true_match");
    const [p] = cases.blockedProperty();
    assert.equal(p?.currency, "USD");
    assert.equal(p?.value, 1500.5);
    assert.equal(p?.confirmedBy, "sue");
    assert.equal(p?.proposedBy, "ana");
    assert.match(p?.legalAuthority ?? "", /MAGNIT/);
    await store.close();
  });

  it("a false positive is a suppression and needs confirmation too; a return sends it back", async () => {
    const { store, cases } = setup();
    await cases.propose(2, analyst, "false_positive", "different birth year");
    await cases.confirm(2, supervisor, false, "look at the passport");
    assert.equal(cases.state(cases.alert(2)).status, "in_review");
    await cases.propose(2, analyst, "false_positive", "passport differs");
    await cases.confirm(2, supervisor, true);
    assert.equal(cases.alert(2).decision, "false_positive");
    // Suppressed: the same pair, unchanged, is not raised again.
    assert.equal(alertsOf(store).raise([finding(2)], "again").decided, 1);
    await store.close();
  });

  it("an auditor cannot decide; escalate keeps the alert open", async () => {
    const { store, cases } = setup();
    await assert.rejects(cases.propose(3, auditor, "clear", ""), /does not decide/);
    await cases.propose(3, analyst, "escalate", "unsure");
    assert.equal(cases.state(cases.alert(3)).status, "escalated");
    assert.equal(cases.alert(3).status, "open");
    await store.close();
  });
});

describe("reports", () => {
  it("annual report: items held on 30 June, totals equal the rows, CSV carries both", async () => {
    const { store, cases } = setup();
    const block = async (id: number, value: number, currency: string, date: string) => {
      await cases.propose(id, analyst, "true_match", "", {
        consequence: "block",
        value,
        currency,
        date,
        propertyType: "account",
      });
      await cases.confirm(id, supervisor, true);
    };
    await block(1, 100.1, "USD", "2024-01-10");
    await block(2, 200.2, "USD", "2024-06-30");
    await block(3, 50, "EUR", "2024-03-01");
    await block(4, 999, "USD", "2024-07-01"); // after the as-of date
    const r = annualReport(cases.blockedProperty(), 2024);
    assert.equal(r.due, "2024-09-30");
    assert.equal(r.rows.length, 3);
    assert.deepEqual(r.totals, [
      { currency: "EUR", count: 1, value: 50 },
      { currency: "USD", count: 2, value: 300.3 },
    ]);
    assert.equal(
      r.totals.reduce((n, t) => n + t.count, 0),
      r.rows.length,
    );
    assert.deepEqual(totalsOf(r.rows as { value: number; currency: string }[]), r.totals);
    const csv = toCsv(r);
    assert.match(csv, /Total,USD,2,300\.30/);
    assert.equal(csv.split("\r\n").filter((l) => /^\d/.test(l)).length, 3);
    const q = canadaQuarterly(cases.blockedProperty(), 2024, 3);
    assert.equal(q.rows.length, 4);
    const d = deadlines(cases.blockedProperty(), [], [], "2024-07-02");
    assert.equal(d.find((x) => x.items[0] === 4 && x.kind === "blocked_property")?.due, "2024-07-16");
    assert.equal(d.find((x) => x.kind === "annual")?.due, "2024-09-30");
    await store.close();
  });

  it("CSV cells that a spreadsheet would run as formulas are quoted as text", () => {
    const r = annualReport(
      [
        {
          id: 1,
          alertId: 1,
          entityId: "x",
          owner: '=HYPERLINK("http://evil")',
          type: "a",
          location: "b",
          value: 1,
          currency: "USD",
          dateBlocked: "2024-01-01",
          program: "p",
          legalAuthority: "l",
          reference: null,
          proposedBy: "a",
          confirmedBy: "b",
          releasedOn: null,
        },
      ],
      2024,
    );
    assert.match(toCsv(r), /"'=HYPERLINK\(""http:\/\/evil""\)"/);
  });
});

describe("audit log", () => {
  it("chains every step; an edited or removed entry is named", async () => {
    const { store, cases } = setup();
    await cases.propose(1, analyst, "true_match", "x", { consequence: "none" });
    await cases.confirm(1, supervisor, true);
    const log = auditOf(store);
    log.append("admin", "config", { threshold: 0.8 });
    assert.deepEqual(log.verify(), { ok: true, entries: 3 });
    store.db.prepare("UPDATE audit_log SET actor = 'mallory' WHERE seq = 2").run();
    const bad = log.verify();
    assert.equal(bad.ok, false);
    assert.equal(!bad.ok && bad.seq, 2);
    store.db.prepare("UPDATE audit_log SET actor = 'sue' WHERE seq = 2").run();
    assert.equal(log.verify().ok, true);
    store.db.prepare("DELETE FROM audit_log WHERE seq = 2").run();
    const gap = new AuditLog(store.db).verify();
    assert.equal(!gap.ok && gap.seq, 2);
    await store.close();
  });

  it("removing the newest entry is detected by the head", async () => {
    const store = new SqliteStore(":memory:");
    const log = auditOf(store);
    log.append("a", "login");
    log.append("a", "logout");
    store.db.prepare("DELETE FROM audit_log WHERE seq = 2").run();
    const v = log.verify();
    assert.equal(v.ok, false);
    assert.equal(!v.ok && v.seq, 2);
    await store.close();
  });
});
