import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { analyseName } from "../text/names.js";
import { compareNames, levenshtein } from "./compare.js";

const score = (a: string, b: string, schema = "Person"): number =>
  compareNames(analyseName(a, { schema }), analyseName(b, { schema })).score;

describe("compareNames: the same name", () => {
  const same: [string, string, string?][] = [
    ["Pavel Karpov", "KARPOV, Pavel"],
    ["Vladimir Putin", "PUTIN, Vladimir Vladimirovich"],
    ["Kim Jong Un", "Kim Jong-un"],
    ["Kim Jongun", "KIM Jong Un"],
    ["Abdulrahman Al-Sudais", "Abdul Rahman al Sudais"],
    ["VladimirPutin", "Vladimir Putin"],
    ["Artem Kuznetsov", "KUZNETSOV, Artem"],
    ["Olga Stepanova", "Olga Vladislavovna STEPANOVA"],
    ["Mullah Mohammed Omar", "Mohammed OMAR"],
    ["OOO Romashka", "Romashka LLC", "Company"],
    ["Siemens AG", "Siemens Aktiengesellschaft", "Company"],
    ["Rosneft Oil Company", "ROSNEFT", "Company"],
    ["Deutsche Bank AG", "Deutsche Bank (Schweiz) AG", "Company"],
    ["Seven Seas Shipping", "7 Seas Shipping", "Company"],
    ["Mohammed Hassan Ahmadi", "Mohamed Hasan Ahmadi"],
  ];
  for (const [a, b, schema] of same) {
    it(`${a} ≈ ${b}`, () => assert.ok(score(a, b, schema) >= 0.8, `${score(a, b, schema)}`));
  }
});

describe("compareNames: typos stay close", () => {
  const typos: [string, string][] = [
    ["Olaf Scholze", "Olaf Scholz"],
    ["Sergei Lavrov", "Sergey LAVROV"],
    ["Vladimir Putn", "Vladimir Putin"],
  ];
  for (const [a, b] of typos) {
    it(`${a} ~ ${b}`, () => assert.ok(score(a, b) >= 0.8, `${score(a, b)}`));
  }
});

describe("compareNames: different names stay apart", () => {
  const different: [string, string, string?][] = [
    ["John Smith", "Jane Smith"],
    ["Alexander Lukashevich", "Alexander Lukashenko"],
    ["Putin", "PUTIN, Vladimir"],
    ["Vladimir Ivanov", "Vladimir Petrov"],
    ["Bank Melli Iran", "Bank Saderat Iran", "Company"],
    ["Trading Company", "International Trading Company", "Company"],
    ["Mohammed", "Mohammed Ali Hassan"],
  ];
  for (const [a, b, schema] of different) {
    it(`${a} ≠ ${b}`, () => assert.ok(score(a, b, schema) < 0.8, `${score(a, b, schema)}`));
  }
});

describe("compareNames: a name part that contradicts costs more than one that is missing", () => {
  it("a different family name on both sides is not the same person", () => {
    assert.ok(score("Yusuf Kamal Nasser Haddad", "Yusuf Kamal Nasser Khoury") < 0.8);
  });
  it("the same name with a part left out still matches", () => {
    assert.ok(score("Yusuf Kamal Nasser Haddad", "Yusuf Nasser Haddad") >= 0.8);
  });
  it("a substitution scores below an omission of the same part", () => {
    assert.ok(
      score("Igor Pavlovich Sokolov", "Igor Petrovich Sokolov") <
        score("Igor Sokolov", "Igor Pavlovich Sokolov"),
    );
  });
});

describe("compareNames: whose son (nasab)", () => {
  it("father and son are told apart when both names say whose son", () => {
    assert.ok(score("Khalid bin Saleh Al-Harbi", "Saleh bin Khalid Al-Harbi") < 0.8);
  });
  it("the same nasab in another order of spelling still matches", () => {
    assert.ok(score("Khalid ibn Saleh al-Harbi", "AL-HARBI, Khalid bin Saleh") >= 0.8);
  });
  it("without a particle on one side, parts align freely", () => {
    assert.ok(score("Khalid Saleh Al-Harbi", "Khalid bin Saleh Al-Harbi") >= 0.8);
  });
});

describe("compareNames: spelling variants", () => {
  it("doubled letters written once are the same spelling", () => {
    assert.equal(score("Mohammed Hassan", "Mohamed Hasan"), 1);
  });
  it("a number as digits or as a word is the same number", () => {
    assert.equal(score("Three Rivers Holding", "3 Rivers Holding", "Company"), 1);
  });
});

describe("compareNames: initials", () => {
  it("initials written apart are one word", () => {
    assert.ok(score("ABC Trading Co", "A.B.C. Trading Company", "Company") >= 0.8);
  });
  it("an organisation written as its initials", () => {
    assert.ok(score("KCNA", "Korean Central News Agency", "Organization") >= 0.8);
  });
  it("other letters are not those initials", () => {
    assert.ok(score("KCTV", "Korean Central News Agency", "Organization") < 0.8);
  });
});

describe("compareNames: edges", () => {
  it("one name part alone is capped, and says so", () => {
    const c = compareNames(
      analyseName("Karpov", { schema: "Person" }),
      analyseName("Pavel Karpov", { schema: "Person" }),
    );
    assert.equal(c.capped, true);
    assert.ok(c.score <= 0.65);
  });
  it("nothing against something is 0, never a crash", () => {
    assert.equal(score("", "Pavel Karpov"), 0);
    assert.equal(score("!!!", "Pavel Karpov"), 0);
    assert.ok(score("x".repeat(10_000), "Pavel Karpov") < 0.3);
  });
  it("levenshtein", () => {
    assert.equal(levenshtein("kitten", "sitting"), 3);
    assert.equal(levenshtein("", "abc"), 3);
    assert.equal(levenshtein("putin", "putin"), 0);
  });
});
