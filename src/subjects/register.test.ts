import assert from "node:assert/strict";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import ExcelJS from "exceljs";
import { SqliteStore } from "../store/sqlite.js";
import { importSubjects, listSubjects, registerOf, removeSubject, upsertSubject } from "./index.js";

const dir = mkdtempSync(join(tmpdir(), "interdict-subjects-"));
const file = (name: string, text: string): string => {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
};

describe("subject register", () => {
  it("imports a CSV with a column map; bad rows reported with their line, the rest kept", async () => {
    const store = new SqliteStore(":memory:");
    const errors: string[] = [];
    const r = await importSubjects(
      store,
      file(
        "bank.csv",
        'Customer No,Full Name,DOB,Nationality\n1,Pavel Karpov,1972-08-27,Russia\n2,,1980-01-01,\n3,Jane Average,not a date,\n,Nameless Id,,\n4,"Rotenberg, Arkady",,RU\n1,Pavel Karpov again,,\n',
      ),
      {
        map: { id: "Customer No", name: "Full Name", birth_date: "DOB", country: "Nationality" },
        onError: (line, message) => errors.push(`${line}: ${message}`),
      },
    );
    assert.deepEqual(
      { rows: r.rows, added: r.added, changed: r.changed, unchanged: r.unchanged },
      { rows: 6, added: 2, changed: 0, unchanged: 0 },
    );
    assert.deepEqual(errors, [
      '3: no name (column "Full Name")',
      '4: birth_date "not a date" is not a date',
      '5: no id (column "Customer No")',
      "7: subject 1 appears twice in the file; the first row is kept",
    ]);
    const karpov = registerOf(store).get("1");
    assert.deepEqual(karpov?.query, {
      names: ["Pavel Karpov"],
      birthDates: ["1972-08-27"],
      countries: ["Russia"],
    });
    assert.equal(karpov?.screenedAt, undefined);
    await store.close();
  });

  it("upserts by id: unchanged rows leave no trace, changes and removals are kept in the history", async () => {
    const store = new SqliteStore(":memory:");
    const first = file(
      "v1.jsonl",
      '{"id":"a","name":"Maria Schmidt"}\n{"id":"b","name":"Ivan Petrov","country":"RU"}\n',
    );
    const second = file(
      "v2.jsonl",
      '{"id":"a","name":"Maria Schmidt"}\n{"id":"b","name":"Ivan Petrov","country":"RU","birth_date":"1970"}\nnot json\n',
    );
    assert.equal((await importSubjects(store, first)).added, 2);
    const r = await importSubjects(store, second);
    assert.deepEqual([r.added, r.changed, r.unchanged, r.errors.map((e) => e.line)], [0, 1, 1, [3]]);
    const register = registerOf(store);
    assert.deepEqual(
      register.history("b").map((h) => [h.change, h.query?.birthDates, h.source?.replace(/^.*\//, "")]),
      [
        ["added", undefined, "v1.jsonl:2"],
        ["changed", ["1970"], "v2.jsonl:2"],
      ],
    );
    assert.equal(register.history("a").length, 1);
    assert.equal(removeSubject(store, "a"), true);
    assert.equal(removeSubject(store, "a"), false);
    assert.equal(register.get("a"), undefined);
    assert.deepEqual(
      register.history("a").map((h) => h.change),
      ["added", "removed"],
    );
    assert.deepEqual(
      listSubjects(store).map((s) => s.id),
      ["b"],
    );
    await store.close();
  });

  it("--remove-missing: the file is the whole customer base", async () => {
    const store = new SqliteStore(":memory:");
    await importSubjects(store, file("all.csv", "id,name\n1,A One\n2,B Two\n3,C Three\n"));
    const r = await importSubjects(store, file("some.csv", "id,name\n2,B Two\n"), { removeMissing: true });
    assert.equal(r.removed, 2);
    assert.deepEqual(
      listSubjects(store).map((s) => s.id),
      ["2"],
    );
    await store.close();
  });

  it("imports XLSX: the first sheet, its first row the header, dates as dates", async () => {
    const path = join(dir, "bank.xlsx");
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet("customers");
    ws.addRow(["Client", "Name", "Born", "Kind"]);
    ws.addRow(["x1", "Pavel Karpov", new Date(Date.UTC(1972, 7, 27)), "Person"]);
    ws.addRow(["x2", "Sovcomflot", undefined, "company"]);
    ws.addRow(["x3", undefined, undefined, "Person"]);
    await wb.xlsx.writeFile(path);
    const store = new SqliteStore(":memory:");
    const r = await importSubjects(store, path, {
      map: { id: "Client", birth_date: "Born", schema: "Kind" },
    });
    assert.deepEqual([r.added, r.errors], [2, [{ line: 4, message: "no name (column name or full_name)" }]]);
    assert.deepEqual(registerOf(store).get("x1")?.query, {
      schema: "Person",
      names: ["Pavel Karpov"],
      birthDates: ["1972-08-27"],
    });
    assert.equal(registerOf(store).get("x2")?.query.schema, "Company");
    await store.close();
  });

  it("the API upsert checks fields as a file row is checked", () => {
    const store = new SqliteStore(":memory:");
    assert.deepEqual(upsertSubject(store, { id: "s1", name: "Jane Average", birth_date: "1990-01-01" }), {
      id: "s1",
      change: "added",
    });
    assert.equal(
      upsertSubject(store, { id: "s1", name: "Jane Average", birth_date: "1990-01-01" }).change,
      "unchanged",
    );
    assert.throws(() => upsertSubject(store, { id: "s2", name: "X", birth_date: "soon" }), /not a date/);
    assert.throws(() => upsertSubject(store, { name: "No Id" }), /needs an id/);
  });
});
