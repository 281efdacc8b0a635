// Monitoring on the real OFAC SDN versions of 2022-02-17 and 2022-03-15 (the first Russia wave):
// subjects made from names the March version added, plus unrelated ones and one listed in both
// versions. Ingesting March (through the same function `interdict ingest` runs) re-screens only
// what changed, and what it raises is exactly what a full re-screen finds on the changed entities.

import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { parse } from "csv-parse/sync";
import { ingestWithProgress } from "../src/cli/ingest.js";
import { Matcher } from "../src/match/matcher.js";
import { alertsOf, decideAlert, listAlerts } from "../src/monitor/alerts.js";
import { screenFindings } from "../src/monitor/findings.js";
import { monitorLogOf } from "../src/monitor/log.js";
import { screenPending } from "../src/monitor/monitor.js";
import { SqliteStore } from "../src/store/sqlite.js";
import { importSubjects, registerOf, upsertSubject } from "../src/subjects/index.js";
import { entityFingerprint } from "../src/subjects/subject.js";

const SDN = "../shared/data/lists/us_ofac_sdn";

/** "KHUTAEV, Khusein Merlovich" → "Khusein Khutaev": how a bank writes a name. */
function asCustomer(name: string): string {
  const [family = "", given = ""] = name.split(",").map((s) => s.trim());
  const first = given.split(/\s+/)[0] ?? "";
  const cap = (w: string) => w.charAt(0).toUpperCase() + w.slice(1).toLowerCase();
  return `${cap(first)} ${family.split(/\s+/).map(cap).join(" ")}`.trim();
}

describe("delta monitoring on OFAC SDN 2022-02-17 → 2022-03-15", () => {
  const dir = mkdtempSync(join(tmpdir(), "interdict-monitor-"));
  let store: SqliteStore;
  /** Subjects made from persons March added: subject id → the entity it was made from. */
  const fromMarch = new Map<string, string>();
  let febFingerprints: Map<string, string>;

  before(async () => {
    store = new SqliteStore(join(dir, "m.db"));
    await ingestWithProgress(store, [`${SDN}/2022-02-17`], { quiet: true });
    febFingerprints = new Map(
      (await Matcher.fromStore(store)).index.entities.map((e) => [e.id, entityFingerprint(e)]),
    );
  });
  after(() => store.close());

  it("raises alerts for subjects matching the March additions, none for unchanged pairs or decided ones", async () => {
    // Persons the March version adds, read from the file itself (not through our pipeline).
    const added: { id: string; name: string }[] = [];
    const rows0 = parse(readFileSync(`${SDN}/2022-03-15/SDN.CSV`, "latin1"), {
      relax_column_count: true,
    }) as string[][];
    for (const [num = "", name = "", type = ""] of rows0) {
      const id = `us_ofac_sdn:${num.trim()}`;
      if (type.trim() === "individual" && !febFingerprints.has(id) && name.includes(","))
        added.push({ id, name });
    }
    assert.ok(added.length > 100, `${added.length} persons added in March`);
    const picked = added.filter((_, i) => i % 16 === 0).slice(0, 8);
    const rows = picked.map((p, i) => {
      fromMarch.set(`m${i}`, p.id);
      return `m${i},${asCustomer(p.name)},Person`;
    });
    const unrelated = ["u1,Maria Schmidt,Person", "u2,Jane Average,Person", "u3,Olufemi Adeyemi,Person"];
    const csv = join(dir, "customers.csv");
    writeFileSync(csv, ["id,name,schema", ...rows, ...unrelated, "k1,Pavel Karpov,Person"].join("\n"));
    assert.equal((await importSubjects(store, csv)).added, 12);

    // First round: every subject against February's list.
    const first = await screenPending(store);
    assert.equal(first.subjects.subjects, 12);
    const karpov = listAlerts(store).filter((a) => a.subjectId === "k1");
    assert.deepEqual(
      karpov.map((a) => a.entityId),
      ["us_ofac_sdn:15880"],
    );
    assert.equal(
      listAlerts(store).filter((a) => fromMarch.has(a.subjectId) && a.entityId === fromMarch.get(a.subjectId))
        .length,
      0,
    );
    decideAlert(store, karpov[0]?.id ?? 0, "false_positive", "analyst-1", "a customer born 1990");
    const openBefore = new Set(listAlerts(store).map((a) => a.id));

    // Ingesting March the way `interdict ingest` does re-screens what changed.
    await ingestWithProgress(store, [`${SDN}/2022-03-15`], { quiet: true });
    const [delta] = monitorLogOf(store)
      .since(0)
      .filter((e) => e.kind === "delta");
    assert.equal(delta?.toVersion, "2022-03-15");
    const raised = listAlerts(store).filter((a) => !openBefore.has(a.id));
    for (const [subject, entity] of fromMarch) {
      assert.ok(
        raised.some((a) => a.subjectId === subject && a.entityId === entity),
        `${subject} (made from ${entity}) raised`,
      );
    }
    assert.ok(raised.every((a) => a.reason === "list change: us_ofac_sdn 2022-02-17 → 2022-03-15"));
    assert.ok(
      !raised.some((a) => a.subjectId.startsWith("u") || a.subjectId === "k1"),
      "no unrelated or decided pair",
    );

    // Exactly what a full re-screen of every subject finds on the entities March changed.
    const full = await Matcher.fromStore(store);
    const changed = new Set(
      full.index.entities.filter((e) => febFingerprints.get(e.id) !== entityFingerprint(e)).map((e) => e.id),
    );
    const subjects = registerOf(store).list({ limit: 100 });
    const expected = screenFindings(full, subjects, {})
      .filter((f) => changed.has(f.entityId))
      .map((f) => `${f.subjectId} ${f.entityId}`)
      .sort();
    const got = alertsOf(store)
      .list({ status: "open" })
      .filter((a) => a.reason.startsWith("list change") || changed.has(a.entityId))
      .map((a) => `${a.subjectId} ${a.entityId}`)
      .sort();
    assert.deepEqual(got, expected);

    // A second round finds nothing new to do.
    const again = await screenPending(store);
    assert.deepEqual([again.deltas.length, again.subjects.subjects], [0, 0]);

    // The decided pair comes back when the subject changes.
    assert.equal(
      upsertSubject(store, { id: "k1", name: "Pavel Karpov", schema: "Person", birth_date: "1972" }).change,
      "changed",
    );
    const third = await screenPending(store);
    assert.equal(third.subjects.alerts.raised, 1);
    assert.ok(listAlerts(store).some((a) => a.subjectId === "k1" && a.reason === "subject added or changed"));
  });
});
