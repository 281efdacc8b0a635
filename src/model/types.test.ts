import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { cleanGender, countryCode, parseDate } from "./types.js";

describe("parseDate", () => {
  const cases: [string, string[] | undefined, boolean?][] = [
    ["1977-08-27", ["1977-08-27"]],
    ["1977-08", ["1977-08"]],
    ["1977", ["1977"]],
    ["27 Aug 1977", ["1977-08-27"]],
    ["27 AUG 1977", ["1977-08-27"]],
    ["August 27, 1977", ["1977-08-27"]],
    ["Aug 1977", ["1977-08"]],
    ["27/08/1977", ["1977-08-27"]],
    ["27.08.1977", ["1977-08-27"]],
    ["00/00/1977", ["1977"]],
    ["00/08/1977", ["1977-08"]],
    ["circa 1977", ["1977"], true],
    ["Circa 1977", ["1977"], true],
    ["approximately 1960", ["1960"], true],
    ["1955 to 1958", ["1955", "1956", "1957", "1958"]],
    ["between 1955 and 1958", ["1955", "1956", "1957", "1958"]],
    ["1955-1958", ["1955", "1956", "1957", "1958"]],
    ["01 Jan 1960 to 31 Dec 1962", ["1960-01-01", "1962-12-31"]],
    ["31 Feb 1977", undefined],
    ["1977-13-01", undefined],
    ["not a date", undefined],
    ["", undefined],
  ];
  for (const [text, values, circa] of cases) {
    it(`${JSON.stringify(text)} → ${JSON.stringify(values)}`, () => {
      const parsed = parseDate(text);
      assert.deepEqual(parsed?.values, values);
      if (values) assert.equal(parsed?.circa, circa ?? false);
    });
  }
  it("reads month first when told", () => {
    assert.deepEqual(parseDate("04/22/2020", { dayFirst: false })?.values, ["2020-04-22"]);
  });
});

describe("countryCode", () => {
  const cases: [string, string | undefined][] = [
    ["Russia", "ru"],
    ["Russian Federation", "ru"],
    ["Korea, North", "kp"],
    ["Korea, South", "kr"],
    ["Burma", "mm"],
    ["Iran", "ir"],
    ["Iran (Islamic Republic of)", "ir"],
    ["Congo, Democratic Republic of the", "cd"],
    ["Syrian Arab Republic", "sy"],
    ["United Kingdom", "gb"],
    ["Côte d'Ivoire", "ci"],
    ["RU", "ru"],
    ["de", "de"],
    ["Allemagne", "de"],
    ["West Bank", "ps"],
    ["Kosovo", "xk"],
    ["USSR", "suhh"],
    ["Russian", "ru"],
    ["Saudi Arabian", "sa"],
    ["Congolese", undefined],
    ["Atlantis", undefined],
  ];
  for (const [text, code] of cases) {
    it(`${text} → ${code}`, () => assert.equal(countryCode(text), code));
  }
});

describe("cleanGender", () => {
  it("maps the lists' spellings", () => {
    assert.equal(cleanGender("Male"), "male");
    assert.equal(cleanGender("F"), "female");
    assert.equal(cleanGender("unknown"), undefined);
  });
});
