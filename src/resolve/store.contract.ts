// The contract every ResolutionBook passes (the SQLite file's ResolutionStore, PostgreSQL's
// PgResolutionStore); store.test.ts runs it on each against a fresh store. Written against the
// interface only, every answer awaited.

import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { Store } from "../store/store.js";
import type { Clusters, Edge } from "./resolve.js";
import { type ResolutionBook, resolutionOf } from "./store.js";

const US = "us_ofac_sdn:1";
const UK = "gb_fcdo_sanctions:A1";
const EU = "eu_fsf:X";
const C = "ik-0123456789abcdef";

const edge = (a: string, b: string, score: number, decision: Edge["decision"] = "auto"): Edge => ({
  a,
  b,
  score,
  names: score,
  decision,
  reason: `names ${score}`,
});

/** US and UK merged into C (auto), EU alone, one pair in review. */
function clusters(): Clusters {
  const merged = edge(UK, US, 0.97);
  return {
    members: new Map([
      [C, [UK, US]],
      [EU, [EU]],
    ]),
    canonical: new Map([
      [UK, C],
      [US, C],
      [EU, EU],
    ]),
    merged: [{ ...merged, how: "auto" }],
    pending: [edge(EU, US, 0.81, "review")],
    refused: [],
  };
}

async function saved(store: Store): Promise<ResolutionBook> {
  const rs = resolutionOf(store);
  await rs.save(
    { scope: "all", versions: [{ dataset: "us_ofac_sdn", id: 1, version: "v1" }], counts: { designees: 3 } },
    [edge(EU, US, 0.81, "review"), edge(UK, US, 0.97)],
    new Map([
      [`${UK}\u0000${US}`, true],
      [`${EU}\u0000${US}`, false],
    ]),
    clusters(),
  );
  return rs;
}

export function resolutionContract(name: string, open: () => Promise<Store>): void {
  describe(`ResolutionBook contract: ${name}`, () => {
    it("holds nothing before a run: every id is its own", async () => {
      const store = await open();
      const rs = resolutionOf(store);
      assert.equal(await rs.lastRun(), undefined);
      assert.equal(await rs.canonicalOf(US), US);
      assert.equal(await rs.canonicalOf(C), undefined, "an unknown canonical id");
      assert.deepEqual([...(await rs.allMerged())], []);
      assert.deepEqual(await rs.edges(), []);
      await store.close();
    });

    it("a saved run: its record, pairs in score order, twins, members, merges", async () => {
      const store = await open();
      const rs = await saved(store);
      const run = await rs.lastRun();
      assert.equal(run?.scope, "all");
      assert.deepEqual(run?.versions, [{ dataset: "us_ofac_sdn", id: 1, version: "v1" }]);
      assert.deepEqual(run?.counts, { designees: 3 });
      assert.deepEqual(
        (await rs.edges()).map((e) => [e.a, e.b, e.score, e.decision]),
        [
          [UK, US, 0.97, "auto"],
          [EU, US, 0.81, "review"],
        ],
      );
      assert.deepEqual([...(await rs.twins())].sort(), [
        [`${EU}\u0000${US}`, false],
        [`${UK}\u0000${US}`, true],
      ]);
      assert.equal(await rs.canonicalOf(US), C);
      assert.equal(await rs.canonicalOf(C), C);
      assert.equal(await rs.canonicalOf(EU), EU, "a single entry is its own canonical entity");
      assert.deepEqual(await rs.members(C), [UK, US]);
      assert.deepEqual([...(await rs.previous())].sort(), [
        [UK, C],
        [US, C],
      ]);
      assert.deepEqual([...(await rs.allMerged())], [[C, [UK, US]]]);
      assert.deepEqual(await rs.merges(C), [
        { a: UK, b: US, how: "auto", score: 0.97, reason: "names 0.97" },
      ]);
      await store.close();
    });

    it("a re-clustering replaces members and merges and keeps the run's pairs", async () => {
      const store = await open();
      const rs = await saved(store);
      const first = (await rs.lastRun())?.id;
      const apart: Clusters = {
        members: new Map([
          [UK, [UK]],
          [US, [US]],
        ]),
        canonical: new Map([
          [UK, UK],
          [US, US],
        ]),
        merged: [],
        pending: [],
        refused: [],
      };
      await rs.save(undefined, undefined, undefined, apart);
      assert.equal((await rs.lastRun())?.id, first, "no new run");
      assert.equal((await rs.edges()).length, 2);
      assert.equal(await rs.canonicalOf(US), US);
      assert.deepEqual(await rs.merges(C), []);
      await store.close();
    });

    it("judgements: one per pair in id order, the last wins, bad ones refused", async () => {
      const store = await open();
      const rs = resolutionOf(store);
      await rs.judge(US, UK, "same", "ana", "same birth date");
      await rs.judge(UK, US, "different", "bob");
      await rs.judge(EU, US, "unsure", "ana");
      assert.deepEqual([...(await rs.judgements())].sort(), [
        [`${EU}\u0000${US}`, "unsure"],
        [`${UK}\u0000${US}`, "different"],
      ]);
      const rows = await rs.judgementRows();
      assert.equal(rows.length, 2);
      const uk = rows.find((r) => r.a === UK);
      assert.deepEqual([uk?.b, uk?.judgement, uk?.author, uk?.note], [US, "different", "bob", undefined]);
      await assert.rejects(
        async () => rs.judge(US, UK, "maybe", "ana"),
        /unknown judgement "maybe"; known: same, different, unsure/,
      );
      await assert.rejects(async () => rs.judge(US, US, "same", "ana"), /two different entities/);
      await store.close();
    });

    it("exclusive: two at once on one store take turns", async () => {
      const store = await open();
      const rs = resolutionOf(store);
      const log: string[] = [];
      const turn = (n: string) =>
        rs.exclusive(async () => {
          log.push(`${n} in`);
          await new Promise((r) => setTimeout(r, 50));
          log.push(`${n} out`);
        });
      await Promise.all([turn("a"), turn("b")]);
      assert.ok(
        log.join(" ") === "a in a out b in b out" || log.join(" ") === "b in b out a in a out",
        log.join(" "),
      );
      await store.close();
    });
  });
}
