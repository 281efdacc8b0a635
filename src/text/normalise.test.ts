import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { normalise, tokenise } from "./normalise.js";

describe("normalise", () => {
  const cases: [string, string][] = [
    ["KARPOV, Pavel", "karpov pavel"],
    ["Pavel  KARPOV", "pavel karpov"],
    ["al-Tikriti", "al tikriti"],
    ["O'Brien", "obrien"],
    ["Ma’ruf", "maruf"],
    ["Dž̌emal Bijedić", "dzemal bijedic"],
    ["Søren Ørsted Łukasz", "soren orsted lukasz"],
    ["STRAßE", "strasse"],
    ["ＡＢＣ　Ltd.", "abc ltd"],
    ["Ivan\u200bov\u0000", "ivanov"],
    ["OOO «Ромашка»", "ooo ромашка"],
    ["Кузнецов Артём", "кузнецов артём"],
    ["محمــد", "محمد"],
    ["金正恩", "金正恩"],
    ["!!!", ""],
    ["", ""],
  ];
  for (const [input, expected] of cases) {
    it(`${JSON.stringify(input)} → ${JSON.stringify(expected)}`, () =>
      assert.equal(normalise(input), expected));
  }
});

describe("tokenise: scripts", () => {
  it("tags each token with its script and splits where the script changes", () => {
    assert.deepEqual(tokenise("Владимир PUTIN ПутинV 김정은 习近平 محمد Γεώργιος 1977"), [
      { text: "владимир", script: "cyrillic" },
      { text: "putin", script: "latin" },
      { text: "путин", script: "cyrillic" },
      { text: "v", script: "latin" },
      { text: "김정은", script: "hangul" },
      { text: "习近平", script: "han" },
      { text: "محمد", script: "arabic" },
      { text: "γεώργιος", script: "greek" },
      { text: "1977", script: "digit" },
    ]);
  });
  it("survives a 10,000-character name", () => {
    assert.equal(tokenise("a".repeat(10_000)).length, 1);
  });
});
