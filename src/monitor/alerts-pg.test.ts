// Alerts on a real PostgreSQL (127.0.0.1:5432, database test, or INTERDICT_TEST_PG) shared by
// three store connections, as three replicas hold them: the same findings raised by all three
// at once are one alert each; the same alert decided by all three at once gets one decision.
// Own schema, dropped at the end.

import assert from "node:assert/strict";
import { after, it } from "node:test";
import { testSchemas } from "../../test/_pg.js";
import { PostgresStore } from "../store/postgres.js";
import type { Decision, Finding } from "./alerts.js";
import { PgAlertBook } from "./alerts-pg.js";

const schemas = testSchemas("alerts");
const stores: PostgresStore[] = [];

after(async () => {
  await Promise.all(stores.map((s) => s.close()));
  await schemas.drop();
});

const finding = (n: number, subjectHash = "s1"): Finding => ({
  subjectId: `cust-${n}`,
  subjectHash,
  subjectName: `Customer ${n}`,
  entityId: `us_ofac_sdn:${1000 + n}`,
  entityHash: "e1",
  caption: "Pavel Karpov",
  schema: "Person",
  datasets: ["us_ofac_sdn"],
  programs: ["MAGNIT"],
  score: 0.91,
  explanation: [],
});

it("three replicas raising and deciding the same alerts at once: one alert per pair, one decision per alert", async () => {
  const url = schemas.url();
  for (let i = 0; i < 3; i++) stores.push(await PostgresStore.open(url, { poolSize: 3 }));
  const books = stores.map((s) => new PgAlertBook(s));
  const N = 12;
  const findings = Array.from({ length: N }, (_, i) => finding(i));

  // Raised by all three together: the unique open pair keeps one alert each.
  const raised = await Promise.all(books.map((b) => b.raise(findings, "list version")));
  assert.equal(
    raised.reduce((n, c) => n + c.raised, 0),
    N,
  );
  assert.equal(
    raised.reduce((n, c) => n + c.raised + c.open, 0),
    3 * N,
  );
  const open = (await books[0]?.list()) ?? [];
  assert.equal(open.length, N);

  // Every alert decided by all three at once, each with its own decision.
  const choices: Decision[] = ["clear", "false_positive", "true_match"];
  for (const alert of open) {
    const outcomes = await Promise.allSettled(
      books.map((b, i) => b.decide(alert.id, choices[i] as Decision, `analyst-${i}`, `replica ${i}`)),
    );
    const won = outcomes.flatMap((o) => (o.status === "fulfilled" ? [o.value] : []));
    const lost = outcomes.flatMap((o) => (o.status === "rejected" ? [o.reason as { code: string }] : []));
    assert.equal(won.length, 1, `alert ${alert.id}: ${won.length} decisions`);
    assert.equal(lost.length, 2);
    for (const e of lost) assert.equal(e.code, "INTERDICT_E_USAGE");
    const stored = await books[2]?.get(alert.id);
    assert.equal(stored?.status, "decided");
    assert.equal(stored?.decision, won[0]?.decision);
    assert.equal(stored?.analyst, won[0]?.analyst);
  }
  assert.deepEqual(await books[1]?.counts(), { open: 0, decided: N });
  const [pairs] = await (stores[0] as PostgresStore).query<{ n: number; agree: number }>(
    `SELECT count(*)::int AS n, count(*) FILTER (WHERE p.decision = a.decision)::int AS agree
     FROM decided_pair p JOIN alert a ON a.id = p.alert_id`,
  );
  assert.deepEqual(pairs, { n: N, agree: N });

  // Decided pairs stay decided until a side changes.
  const again = await books[0]?.raise(findings, "lookback");
  assert.deepEqual(again, { raised: 0, updated: 0, open: 0, decided: N });
  const changed = await books[1]?.raise([finding(0, "s2")], "subject changed");
  assert.equal(changed?.raised, 1);
  await assert.rejects(async () => books[0]?.decide(99999, "clear", "a"), { code: "INTERDICT_E_NOT_FOUND" });
});
