import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { SqliteStore } from "../store/sqlite.js";
import { alertsOf, decideAlert, type Finding, listAlerts } from "./alerts.js";

const finding = (over: Partial<Finding> = {}): Finding => ({
  subjectId: "c1",
  subjectHash: "s-v1",
  subjectName: "Pavel Karpov",
  entityId: "us_ofac_sdn:15880",
  entityHash: "e-v1",
  caption: "KARPOV, Pavel",
  schema: "Person",
  datasets: ["us_ofac_sdn"],
  programs: ["MAGNIT"],
  score: 1,
  explanation: [{ feature: "name_match", value: 1, weight: 1, detail: "Pavel Karpov ≈ KARPOV, Pavel" }],
  ...over,
});

describe("alerts", () => {
  it("a pair is raised once; while open, a changed side updates it rather than raising another", () => {
    const store = new SqliteStore(":memory:");
    const book = alertsOf(store);
    assert.deepEqual(book.raise([finding()], "test"), { raised: 1, updated: 0, open: 0, decided: 0 });
    assert.deepEqual(book.raise([finding()], "test"), { raised: 0, updated: 0, open: 1, decided: 0 });
    assert.deepEqual(book.raise([finding({ entityHash: "e-v2", score: 0.92 })], "list change"), {
      raised: 0,
      updated: 1,
      open: 0,
      decided: 0,
    });
    const [a] = listAlerts(store);
    assert.equal(a?.score, 0.92);
    assert.equal(a?.reason, "list change");
    assert.equal(listAlerts(store).length, 1);
  });

  it("a decided pair is not raised again until the subject or the entity changes", () => {
    const store = new SqliteStore(":memory:");
    const book = alertsOf(store);
    book.raise([finding()], "test");
    const [open] = listAlerts(store);
    const decided = decideAlert(
      store,
      open?.id ?? 0,
      "false_positive",
      "analyst-1",
      "different person: DOB 1990",
    );
    assert.equal(decided.status, "decided");
    assert.equal(decided.decision, "false_positive");
    assert.equal(decided.analyst, "analyst-1");
    assert.deepEqual(book.raise([finding()], "again"), { raised: 0, updated: 0, open: 0, decided: 1 });
    assert.deepEqual(listAlerts(store), []);
    // The entity changed on the list: a new alert, the decided one stays as it was.
    assert.equal(book.raise([finding({ entityHash: "e-v2" })], "list change").raised, 1);
    // The subject changed: a new alert too (once the open one is decided).
    const [second] = listAlerts(store);
    decideAlert(store, second?.id ?? 0, "false_positive", "analyst-2");
    assert.equal(
      book.raise([finding({ entityHash: "e-v2", subjectHash: "s-v2" })], "subject changed").raised,
      1,
    );
    assert.deepEqual(book.counts(), { open: 1, decided: 2 });
  });

  it("decisions are checked: known decision, an analyst, an open alert", () => {
    const store = new SqliteStore(":memory:");
    alertsOf(store).raise([finding()], "test");
    assert.throws(() => decideAlert(store, 1, "maybe" as "clear", "a"), /unknown decision "maybe"/);
    assert.throws(() => decideAlert(store, 1, "clear", " "), /analyst/);
    assert.throws(() => decideAlert(store, 99, "clear", "a"), /no alert 99/);
    decideAlert(store, 1, "true_match", "a");
    assert.throws(() => decideAlert(store, 1, "clear", "a"), /already decided/);
  });
});
