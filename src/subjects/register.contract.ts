// The contract every subject register passes (SubjectRegister on SQLite, PgSubjectRegister on
// PostgreSQL); each engine's test file runs it against a fresh store. Written against
// SubjectBook and importSubjects only: every result is awaited.

import assert from "node:assert/strict";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import type { Store } from "../store/store.js";
import { subjectsOf } from "./book.js";
import { importSubjects } from "./import.js";
import type { StoredSubject } from "./register.js";

const dir = mkdtempSync(join(tmpdir(), "interdict-register-contract-"));
const file = (name: string, text: string): string => {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
};

async function all<T>(it: Iterable<T> | AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const x of it) out.push(x);
  return out;
}

const ids = (chunks: StoredSubject[][]): string[][] => chunks.map((c) => c.map((s) => s.id));

export function registerContract(name: string, open: () => Promise<Store>): void {
  describe(`subject register contract: ${name}`, () => {
    it("upserts by id: added, unchanged, changed, removed — each change in the history with its source", async () => {
      const store = await open();
      const book = subjectsOf(store);
      const karpov = { id: "k1", query: { schema: "Person", names: ["Pavel Karpov"] } };
      assert.equal(await book.upsert(karpov, "a.csv:2", "2026-01-01T00:00:00.000Z"), "added");
      assert.equal(await book.upsert(karpov, "a.csv:2", "2026-01-02T00:00:00.000Z"), "unchanged");
      const born = { id: "k1", query: { schema: "Person", names: ["Pavel Karpov"], birthDates: ["1972"] } };
      assert.equal(await book.upsert(born, "b.csv:5", "2026-01-03T00:00:00.000Z"), "changed");
      const s = await book.get("k1");
      assert.deepEqual(s?.query, { schema: "Person", names: ["Pavel Karpov"], birthDates: ["1972"] });
      assert.equal(s?.createdAt, "2026-01-01T00:00:00.000Z");
      assert.equal(s?.updatedAt, "2026-01-03T00:00:00.000Z");
      assert.equal(s?.screenedAt, undefined);
      assert.equal(await book.remove("k1", "command line", "2026-01-04T00:00:00.000Z"), true);
      assert.equal(await book.remove("k1", "command line"), false, "no second removal");
      assert.equal(await book.get("k1"), undefined);
      const history = await book.history("k1");
      assert.deepEqual(
        history.map((h) => [h.at.slice(0, 10), h.change, h.query?.birthDates ?? null, h.source ?? null]),
        [
          ["2026-01-01", "added", null, "a.csv:2"],
          ["2026-01-03", "changed", ["1972"], "b.csv:5"],
          ["2026-01-04", "removed", null, "command line"],
        ],
      );
      assert.ok(history.every((h, i) => i === 0 || h.seq > (history[i - 1]?.seq ?? 0)));
      assert.deepEqual(await book.history("nobody"), []);
      await store.close();
    });

    it("a batch is one transaction: changes in its order; a bad subject or a repeated id writes nothing", async () => {
      const store = await open();
      const book = subjectsOf(store);
      await book.upsert({ id: "a", query: { names: ["Maria Schmidt"] } });
      const changes = await book.upsertMany([
        { subject: { id: "c", query: { names: ["Ivan Petrov"] } }, source: "f:1" },
        { subject: { id: "a", query: { names: ["Maria Schmidt"] } }, source: "f:2" },
        { subject: { id: "b", query: { names: ["Olga Ivanova"], countries: ["RU"] } } },
        { subject: { id: "a2", query: { names: ["Maria Schmidt"] } } },
      ]);
      assert.deepEqual(changes, ["added", "unchanged", "added", "added"]);
      assert.deepEqual(await book.upsertMany([]), []);
      await assert.rejects(
        async () =>
          book.upsertMany([
            { subject: { id: "d", query: { names: ["Fine Name"] } } },
            { subject: { id: "e", query: { names: [" "] } } },
          ]),
        /a subject needs a name/,
      );
      await assert.rejects(
        async () =>
          book.upsertMany([
            { subject: { id: "f", query: { names: ["One"] } } },
            { subject: { id: "f", query: { names: ["Two"] } } },
          ]),
        /subject f appears twice in one batch/,
      );
      await assert.rejects(async () => book.upsert({ id: " ", query: { names: ["X"] } }), /needs an id/);
      assert.equal(await book.get("d"), undefined, "nothing of the failed batch is kept");
      assert.equal(await book.get("f"), undefined);
      assert.deepEqual(await book.counts(), { subjects: 4, pending: 4, screened: 0 });
      assert.equal(await book.removeMany(["a2", "nobody", "c"], "file: not in the file"), 2);
      assert.deepEqual(await book.removeMany([]), 0);
      assert.deepEqual(
        (await book.list()).map((s) => s.id),
        ["a", "b"],
      );
      await store.close();
    });

    it("keeps any text as it was given: tabs, line breaks, backslashes, quotes, non-Latin letters", async () => {
      const store = await open();
      const book = subjectsOf(store);
      const query = {
        schema: "Person",
        names: ["Tab\there", "Line\nbreak\r\n", 'Back\\slash "quoted" \\N', "Пётр Чайковский"],
        identifiers: ["\\N"],
      };
      const source = "C:\\files\tcustomers.csv:7";
      assert.deepEqual(await book.upsertMany([{ subject: { id: "id\twith\\tab", query }, source }]), [
        "added",
      ]);
      const s = await book.get("id\twith\\tab");
      assert.deepEqual(s?.query, query);
      assert.deepEqual(
        (await book.history("id\twith\\tab")).map((h) => [h.source, h.query]),
        [[source, query]],
      );
      assert.equal(await book.upsert({ id: "id\twith\\tab", query }), "unchanged");
      await store.close();
    });

    it("lists and chunks in byte order of ids, a page at a time; screening marks only the subject as it was", async () => {
      const store = await open();
      const book = subjectsOf(store);
      const names = ["b", "a", "B", "10", "9", "é", "ab"];
      await book.upsertMany(names.map((id) => ({ subject: { id, query: { names: [`Name ${id}`] } } })));
      const order = ["10", "9", "B", "a", "ab", "b", "é"];
      assert.deepEqual(
        (await book.list({ limit: 100 })).map((s) => s.id),
        order,
      );
      assert.deepEqual(
        (await book.list({ after: "B", limit: 2 })).map((s) => s.id),
        ["a", "ab"],
      );
      assert.deepEqual(ids(await all(book.chunks("all", 3))), [["10", "9", "B"], ["a", "ab", "b"], ["é"]]);
      const first = (await book.list({ limit: 3 })).map((s) => ({ id: s.id, hash: s.hash }));
      await book.markScreened(first, "2026-02-01T00:00:00.000Z");
      assert.deepEqual(await book.counts(), { subjects: 7, pending: 4, screened: 3 });
      assert.deepEqual(ids(await all(book.chunks("screened", 2))), [["10", "9"], ["B"]]);
      assert.deepEqual(ids(await all(book.chunks("pending", 10))), [["a", "ab", "b", "é"]]);
      assert.equal((await book.get("9"))?.screenedAt, "2026-02-01T00:00:00.000Z");
      // Changed after screening: pending again, still among those a list change re-screens.
      await book.upsert({ id: "9", query: { names: ["Name 9"], countries: ["DE"] } });
      assert.equal((await book.get("9"))?.screenedAt, undefined);
      assert.deepEqual(await book.counts(), { subjects: 7, pending: 5, screened: 3 });
      assert.deepEqual(ids(await all(book.chunks("pending", 10))), [["9", "a", "ab", "b", "é"]]);
      // Marked with a hash the subject no longer has: recorded, but not screened as it now is.
      await book.markScreened([{ id: "9", hash: first[1]?.hash ?? "" }]);
      assert.equal((await book.get("9"))?.screenedAt, undefined);
      await book.markScreened([]);
      await store.close();
    });

    it("imports a file: rows upserted by id, bad rows reported with their line, --remove-missing", async () => {
      const store = await open();
      const errors: string[] = [];
      const onError = (line: number, message: string) => errors.push(`${line}: ${message}`);
      const v1 = file(
        `${name}-v1.csv`,
        "id,name,birth_date,country\n1,Pavel Karpov,1972,RU\n2,,,\n3,Jane Stranger,1980-01-01,FR\n4,Ivan Petrov,,\n",
      );
      const r1 = await importSubjects(store, v1, { onError });
      assert.deepEqual([r1.rows, r1.added, r1.changed, r1.unchanged, r1.removed], [4, 3, 0, 0, 0]);
      assert.deepEqual(errors, ["3: no name (column name or full_name)"]);
      const v2 = file(
        `${name}-v2.csv`,
        "id,name,birth_date,country\n1,Pavel Karpov,1972,RU\n3,Jane Stranger,1980-01-02,FR\n",
      );
      const r2 = await importSubjects(store, v2, { removeMissing: true });
      assert.deepEqual([r2.rows, r2.added, r2.changed, r2.unchanged, r2.removed], [2, 0, 1, 1, 1]);
      const book = subjectsOf(store);
      assert.deepEqual(
        (await book.list()).map((s) => s.id),
        ["1", "3"],
      );
      assert.deepEqual(
        (await book.history("3")).map((h) => [h.change, h.source]),
        [
          ["added", `${v1}:4`],
          ["changed", `${v2}:3`],
        ],
      );
      assert.deepEqual(
        (await book.history("4")).map((h) => [h.change, h.source]),
        [
          ["added", `${v1}:5`],
          ["removed", `${v2}: not in the file`],
        ],
      );
      await store.close();
    });
  });
}
