import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { romaniseGeorgian } from "./georgian.js";

/**
 * Name words as the UK (FCDO) list prints them in both scripts, then other Georgian public
 * figures with the spellings their passports, Russian-language and foreign press use.
 */
const SPELLINGS: readonly (readonly [string, string, string])[] = [
  ["ლევან", "Levan", "FCDO list"],
  ["მურუსიძე", "Murusidze", "FCDO list"],
  ["მიხეილ", "Mikheil", "FCDO list"],
  ["ჩინჩალაძე", "Chinchaladze", "FCDO list"],
  ["ვახტანგ", "Vakhtang", "FCDO list"],
  ["გომელაური", "Gomelauri", "FCDO list"],
  ["ალექსანდრე", "Aleksandre", "FCDO list"],
  ["დარახველიძე", "Darakhvelidze", "FCDO list"],
  ["ზვიად", "Zviad", "FCDO list"],
  ["ხარაზიშვილი", "Kharazishvili", "FCDO list"],
  ["მილერი", "Mileri", "FCDO list"],
  ["ლაგაზაური", "Lagazauri", "FCDO list"],
  ["სულხან", "Sulkhan", "FCDO list"],
  ["თამაზაშვილი", "Tamazashvili", "FCDO list"],
  ["შალვა", "Shalva", "FCDO list"],
  ["ბედოიძე", "Bedoidze", "FCDO list"],
  ["მირზა", "Mirza", "FCDO list"],
  ["კეზევაძე", "Kezevadze", "FCDO list"],
  ["კარლო", "Karlo", "FCDO list"],
  ["კოკა", "Koka", "FCDO list"],
  ["კაციტაძე", "Katsitadze", "FCDO list"],
  ["გიორგი", "Giorgi", "FCDO list"],
  ["გაბიტაშვილი", "Gabitashvili", "FCDO list"],
  ["იმედი", "Imedi", "FCDO list"],
  ["შევარდნაძე", "Shevardnadze", "national 2002"],
  ["შევარდნაძე", "Schewardnadse", "German"],
  ["შევარდნაძე", "Chevardnadze", "French"],
  ["ჯუღაშვილი", "Jughashvili", "national 2002"],
  ["ჯუღაშვილი", "Dzhugashvili", "Russian"],
  ["სააკაშვილი", "Saakashvili", "national 2002"],
  ["ღარიბაშვილი", "Gharibashvili", "national 2002"],
  ["ღარიბაშვილი", "Garibashvili", "Russian"],
  ["ივანიშვილი", "Ivanishvili", "national 2002"],
  ["ბიძინა", "Bidzina", "national 2002"],
  ["ირაკლი", "Irakli", "national 2002"],
  ["კობახიძე", "Kobakhidze", "national 2002"],
  ["ყიფიანი", "Qipiani", "national 2002: ყ"],
  ["ყიფიანი", "Kipiani", "ყ as k"],
];

describe("romaniseGeorgian: spellings documents use", () => {
  for (const [georgian, latin, convention] of SPELLINGS) {
    it(`${georgian} → ${latin} (${convention})`, () => {
      const forms = romaniseGeorgian(georgian.toLowerCase());
      assert.ok(forms.includes(latin.toLowerCase()), `${latin.toLowerCase()} not in ${forms.join(", ")}`);
    });
  }
});

describe("romaniseGeorgian: letter forms", () => {
  it("the national system is the primary form", () => {
    assert.equal(romaniseGeorgian("შევარდნაძე")[0], "shevardnadze");
    assert.equal(romaniseGeorgian("ყიფიანი")[0], "qipiani");
  });
  it("Mtavruli capitals read as Mkhedruli, lower-cased or not", () => {
    assert.equal(romaniseGeorgian("Შევარდნაძე")[0], "shevardnadze");
    assert.equal(romaniseGeorgian("ᲨᲔᲕᲐᲠᲓᲜᲐᲫᲔ")[0], "shevardnadze");
    assert.equal(romaniseGeorgian("ᲨᲔᲕᲐᲠᲓᲜᲐᲫᲔ".toLowerCase())[0], "shevardnadze");
  });
  it("Asomtavruli and Nuskhuri read as Mkhedruli", () => {
    assert.equal(romaniseGeorgian("ႨႫႤႣႨ")[0], "imedi");
    assert.equal(romaniseGeorgian("ႨႫႤႣႨ".toLowerCase())[0], "imedi");
  });
});

describe("romaniseGeorgian: output shape", () => {
  it("distinct lower-case ASCII forms, at most 8; nothing to romanise gives none", () => {
    for (const [w] of SPELLINGS) {
      const forms = romaniseGeorgian(w.toLowerCase());
      assert.ok(forms.length >= 1 && forms.length <= 8, w);
      assert.equal(new Set(forms).size, forms.length, w);
      for (const f of forms) assert.match(f, /^[a-z]+$/, w);
    }
    assert.deepEqual(romaniseGeorgian(""), []);
    assert.deepEqual(romaniseGeorgian("჻"), []);
  });
});
