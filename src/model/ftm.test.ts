import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { describe, it } from "node:test";
import { add, captionOf, makeEntity } from "./entity.js";
import { fromFtm, toFtm, toFtmLine } from "./ftm.js";

const FTM = "../shared/data/fixtures/opensanctions/ftm";
const lines = (path: string): string[] =>
  readFileSync(path, "utf8")
    .split("\n")
    .filter((l) => l.trim());

describe("FtM JSON round trip", () => {
  for (const name of ["t1", "zala"]) {
    it(`${name}: every entity reads and writes back to the same document`, () => {
      const all = lines(`${FTM}/${name}/entities.ftm.json`);
      assert.ok(all.length > 5);
      for (const line of all) {
        const entity = fromFtm(JSON.parse(line));
        assert.deepEqual(toFtm(entity), JSON.parse(line));
      }
    });
  }
  it("t1: written back byte for byte", () => {
    for (const line of lines(`${FTM}/t1/entities.ftm.json`)) {
      assert.equal(toFtmLine(fromFtm(JSON.parse(line))), line);
    }
  });
  it("refuses an entity without an id, naming the line", () => {
    assert.throws(
      () => fromFtm({ schema: "Person" }, { file: "x.json", line: 3 }),
      /x\.json:3: entity has no id/,
    );
  });
  it("refuses non-string property values", () => {
    assert.throws(
      () => fromFtm({ id: "a", schema: "Person", properties: { name: [1] } }),
      /record a, field name: property name must be a list of strings/,
    );
  });
});

describe("entity building", () => {
  it("cleans values by type and keeps them unique", () => {
    const e = makeEntity("Person", "us_ofac_sdn:15880", "us_ofac_sdn");
    add(e, "name", ["KARPOV, Pavel", " KARPOV,  Pavel "]);
    const rejected = add(e, "birthDate", ["27 Aug 1977", "someday"]);
    add(e, "nationality", "Russia");
    assert.deepEqual(e.properties, {
      name: ["KARPOV, Pavel"],
      birthDate: ["1977-08-27"],
      nationality: ["ru"],
    });
    assert.deepEqual(rejected, ["someday"]);
    assert.equal(captionOf(e), "KARPOV, Pavel");
  });
  it("refuses a property the schema does not have", () => {
    const e = makeEntity("Vessel", "x:1", "x");
    assert.throws(() => add(e, "birthDate", "1970"), /Vessel has no property birthDate/);
  });
});
