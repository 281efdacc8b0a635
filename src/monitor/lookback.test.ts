import assert from "node:assert/strict";
import { it } from "node:test";
import { add, type Entity, makeEntity } from "../model/entity.js";
import { ScreeningLog } from "../service/records.js";
import { SqliteStore } from "../store/sqlite.js";
import { lookback } from "./lookback.js";

function listed(id: string, name: string, program: string): Entity[] {
  const p = makeEntity("Person", `test_list:${id}`, "test_list");
  add(p, "name", name);
  const s = makeEntity("Sanction", `test_list:${id}-sanction`, "test_list");
  add(s, "entity", p.id);
  add(s, "program", program);
  return [p, s];
}

async function version(store: SqliteStore, label: string, entities: Entity[]): Promise<void> {
  const w = await store.beginVersion("test_list", { version: label });
  for (const e of entities) await w.put(e);
  await w.commit();
}

const example = (name: string) => ({ id: null, schema: "Person", properties: { name: [name] } });
const tick = () => new Promise((r) => setTimeout(r, 5));

it("lookback: recorded screenings against today's lists — misses, listings since, payments counted", async () => {
  const store = new SqliteStore(":memory:");
  const log = new ScreeningLog(store.db);
  const karpov = listed("1", "KARPOV, Pavel", "MAGNIT");
  await version(store, "v1", karpov);
  await tick();
  const base = { keyId: null, requestDigest: "x", listVersions: [], decision: "no_match" };
  // Screened while Karpov was listed, and not caught (say, an older matcher): a miss.
  const missed = log.record({
    ...base,
    kind: "match",
    endpoint: "POST /match/default",
    results: {
      algorithm: "default",
      threshold: null,
      limit: 5,
      queries: { q1: { query: example("Pavel Karpov"), results: [] } },
    },
  });
  // Caught then: nothing to report.
  log.record({
    ...base,
    kind: "reconcile",
    endpoint: "POST /reconcile",
    results: {
      algorithm: "default",
      queries: {
        a: { query: example("Karpov Pavel"), results: [{ id: "test_list:1", score: 1, match: true }] },
      },
    },
  });
  // A visa applicant screened before her listing.
  const visa = log.record({
    ...base,
    kind: "visa",
    endpoint: "POST /screen/visa",
    results: {
      algorithm: "default",
      threshold: null,
      applicant: { names: ["Olga Newlisted"], nationalities: ["ru"] },
      hits: [],
    },
  });
  log.record({ ...base, kind: "payment", endpoint: "POST /screen/payment", results: { hits: [] } });
  await tick();
  await version(store, "v2", [...karpov, ...listed("2", "NEWLISTED, Olga", "GLOMAG")]);

  const r = await lookback(store, { since: "2000-01-01T00:00:00.000Z" });
  assert.deepEqual([r.screenings, r.queries, r.notRescreenable], [4, 3, 1]);
  assert.deepEqual(
    // Screenings recorded in the same millisecond come in id (random) order: by entity here.
    r.findings
      .map((f) => [f.screeningId, f.entityId, f.verdict, f.programs])
      .sort((x, y) => String(x[1]).localeCompare(String(y[1]))),
    [
      [missed.id, "test_list:1", "missed", ["MAGNIT"]],
      [visa.id, "test_list:2", "listed since", ["GLOMAG"]],
    ],
  );
  const none = await lookback(store, { since: new Date(Date.now() + 60_000).toISOString() });
  assert.equal(none.screenings, 0);
  await store.close();
});
