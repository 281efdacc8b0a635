import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { parseColumnMap, subjectOf } from "./subject-row.js";

describe("subject rows", () => {
  it("reads the usual column names and their synonyms", () => {
    const s = subjectOf(
      { ID: "c1", Full_Name: "Pavel Karpov", DOB: "1972-08-27", Nationality: "Russia", Type: "individual" },
      "line-2",
    );
    assert.deepEqual(s, {
      id: "c1",
      query: { names: ["Pavel Karpov"], schema: "Person", birthDates: ["1972-08-27"], countries: ["Russia"] },
    });
  });

  it("maps the file's own column names onto fields; mapped columns are not read as anything else", () => {
    const map = parseColumnMap(['id=Customer No,name="Full Name"', "birth_date=DOB,alias=Other names"]);
    assert.deepEqual(map, {
      id: "Customer No",
      name: "Full Name",
      birth_date: "DOB",
      alias: "Other names",
    });
    const s = subjectOf(
      {
        "Customer No": "77",
        "Full Name": "Arkady Rotenberg",
        name: "ignored",
        DOB: "15/12/1951",
        "Other names": "A. R.; Arkadii Rotenberg",
      },
      "line-2",
      map,
    );
    assert.ok(!("problem" in s));
    assert.equal(s.id, "77");
    assert.deepEqual(s.query.names, ["Arkady Rotenberg", "A. R.", "Arkadii Rotenberg"]);
    assert.deepEqual(s.query.birthDates, ["15/12/1951"]);
  });

  it("refuses a map to an unknown field, naming the known ones", () => {
    assert.throws(() => parseColumnMap(["surname=Last"]), /FIELD one of id, name, alias/);
    assert.throws(() => parseColumnMap(["name"]), /not FIELD=COLUMN/);
  });

  for (const [row, problem] of [
    [{ id: "x" }, /no name/],
    [{ name: "A B", dob: "yesterday" }, /birth_date "yesterday" is not a date/],
    [{ name: "A B", country: "Atlantis" }, /country "Atlantis" is not a country/],
    [{ name: "A B", schema: "Spaceship" }, /unknown schema "Spaceship"/],
  ] as const) {
    it(`a bad row names its problem: ${problem}`, () => {
      const s = subjectOf(row, "line-9");
      assert.ok("problem" in s);
      assert.match(s.problem, problem);
    });
  }

  it("falls back to the given id when the row has none", () => {
    const s = subjectOf({ name: "Jane Average" }, "line-4");
    assert.ok(!("problem" in s));
    assert.equal(s.id, "line-4");
  });
});
