import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { kanaToHiragana, romaniseKana } from "./kana.js";

// Names and name words in kana with the spellings passports, keyboards and older systems give
// them: [kana, the passport's Hepburn (first form), other spellings among the forms].
const WORDS: [kana: string, passport: string, others: string[]][] = [
  ["さとう", "sato", ["satou", "satoh"]],
  ["おおの", "ono", ["oono", "ohno"]],
  ["ほんま", "homma", ["honma"]],
  ["なんば", "namba", ["nanba"]],
  ["はっとり", "hattori", []],
  ["ほっち", "hotchi", []],
  ["ゆうこ", "yuko", ["yuuko"]],
  ["しんぞう", "shinzo", ["shinzou", "sinzo"]],
  ["じゅんいちろう", "junichiro", ["junichirou", "zyunitiro"]],
  ["ちづこ", "chizuko", ["tizuko"]],
  ["ふじた", "fujita", ["huzita"]],
  ["つるた", "tsuruta", ["turuta"]],
  ["しょうへい", "shohei", ["shouhei", "syohei"]],
  ["けいこ", "keiko", []],
  ["きょうこ", "kyoko", ["kyouko"]],
  // Katakana: the same names, and foreign names with the final vowel Japanese adds dropped.
  ["サトウ", "sato", ["satou"]],
  ["スズキ", "suzuki", []],
  ["ベンヤミン", "benyamin", []],
  ["ネタニヤフ", "netaniyafu", ["netaniyaf"]],
  ["マクシム", "makushimu", ["makushim"]],
  ["プーチン", "puchin", ["puuchin", "putin"]],
  ["ヴィクトル", "vikutoru", ["bikutoru"]],
  ["ジェームズ", "jemuzu", ["jemuz"]],
  ["ファティマ", "fatima", []],
];

describe("romaniseKana", () => {
  for (const [kana, passport, others] of WORDS) {
    it(`${kana} → ${passport}${others.length ? ` / ${others.join(" / ")}` : ""}`, () => {
      const forms = romaniseKana(kana);
      assert.equal(forms[0], passport);
      for (const o of others) assert.ok(forms.includes(o), `${o} not in ${forms.join(", ")}`);
    });
  }

  it("returns distinct lower-case ASCII, at most 8", () => {
    for (const [kana] of WORDS) {
      const forms = romaniseKana(kana);
      assert.ok(forms.length > 0 && forms.length <= 8);
      assert.equal(new Set(forms).size, forms.length);
      for (const f of forms) assert.match(f, /^[a-z]+$/);
    }
  });

  it("gives nothing without kana, and skips what is not kana", () => {
    assert.deepEqual(romaniseKana("abc"), []);
    assert.deepEqual(romaniseKana(""), []);
    assert.equal(romaniseKana("さ・とう")[0], "sato");
  });

  it("reads katakana as the hiragana they stand for", () => {
    assert.equal(kanaToHiragana("サトウ・タロウー"), "さとう・たろうー");
  });
});
