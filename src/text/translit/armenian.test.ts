import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { romaniseArmenian } from "./armenian.js";

/**
 * Armenian public figures' name words and the Latin spellings their passports, official sites,
 * Russian-language documents and the diaspora use; the column on the right names the convention.
 */
const SPELLINGS: readonly (readonly [string, string, string])[] = [
  ["Հովհաննես", "Hovhannes", "BGN/PCGN"],
  ["Հովհաննես", "Ovanes", "Russian"],
  ["Նիկոլ", "Nikol", "BGN/PCGN"],
  ["Փաշինյան", "Pashinyan", "BGN/PCGN"],
  ["Փաշինյան", "Pashinian", "-ian"],
  ["Սերժ", "Serzh", "BGN/PCGN"],
  ["Սերժ", "Serj", "French"],
  ["Սարգսյան", "Sargsyan", "BGN/PCGN"],
  ["Սարգսյան", "Sargsian", "-ian"],
  ["Քոչարյան", "Kocharyan", "BGN/PCGN"],
  ["Պետրոսյան", "Petrosyan", "BGN/PCGN"],
  ["Պետրոսյան", "Petrosian", "-ian"],
  ["Գագիկ", "Gagik", "BGN/PCGN"],
  ["Ծառուկյան", "Tsarukyan", "BGN/PCGN"],
  ["Սամվել", "Samvel", "BGN/PCGN"],
  ["Կարապետյան", "Karapetyan", "BGN/PCGN"],
  ["Կարապետյան", "Garabedian", "Western Armenian"],
  ["Ռուբեն", "Ruben", "BGN/PCGN"],
  ["Վարդանյան", "Vardanyan", "BGN/PCGN"],
  ["Վարդանյան", "Vartanian", "Western Armenian"],
  ["Երևան", "Yerevan", "BGN/PCGN: ե at the start, և"],
  ["Երևան", "Erevan", "Russian"],
  ["Գևորգ", "Gevorg", "BGN/PCGN"],
  ["Գևորգ", "Kevork", "Western Armenian"],
  ["Մկրտչյան", "Mkrtchyan", "BGN/PCGN"],
  ["Խաչատրյան", "Khachatryan", "BGN/PCGN"],
  ["Հակոբյան", "Hakobyan", "BGN/PCGN"],
  ["Հակոբյան", "Hagopian", "Western Armenian"],
  ["Հակոբյան", "Akobyan", "Russian"],
  ["Պետրոս", "Bedros", "Western Armenian"],
  ["Գրիգոր", "Krikor", "Western Armenian"],
  ["Ղազարյան", "Ghazaryan", "BGN/PCGN"],
  ["Հարությունյան", "Harutyunyan", "BGN/PCGN"],
  ["Հարությունյան", "Arutyunyan", "Russian"],
  ["Ոսկանյան", "Voskanyan", "BGN/PCGN: ո at the start"],
  ["Մհեր", "Mher", "BGN/PCGN"],
  ["Մհեր", "Mger", "Russian"],
  ["Ջիգարխանյան", "Dzhigarkhanyan", "Russian"],
  ["Ազնավուրյան", "Aznavourian", "French"],
  ["Եղիազարյան", "Yeghiazaryan", "BGN/PCGN"],
  ["Յովհաննէս", "Hovhannes", "classical spelling"],
];

describe("romaniseArmenian: spellings documents use", () => {
  for (const [armenian, latin, convention] of SPELLINGS) {
    it(`${armenian} → ${latin} (${convention})`, () => {
      const forms = romaniseArmenian(armenian.toLowerCase());
      assert.ok(forms.includes(latin.toLowerCase()), `${latin.toLowerCase()} not in ${forms.join(", ")}`);
    });
  }
});

describe("romaniseArmenian: primary form is BGN/PCGN", () => {
  const cases: readonly (readonly [string, string])[] = [
    ["հովհաննես", "hovhannes"],
    ["երևան", "yerevan"],
    ["ոսկանյան", "voskanyan"],
    ["ուրիխանյան", "urikhanyan"],
    ["յովհաննէս", "hovhannes"],
    ["յուրի", "yuri"],
  ];
  for (const [word, primary] of cases) {
    it(`${word} → ${primary}`, () => assert.equal(romaniseArmenian(word)[0], primary));
  }
  it("capitals read as lower case", () => {
    assert.deepEqual(romaniseArmenian("ՀՈՎՀԱՆՆԵՍ"), romaniseArmenian("հովհաննես"));
  });
  it("the ligature և and its NFKC decomposition եւ read alike", () => {
    assert.deepEqual(romaniseArmenian("երևան"), romaniseArmenian("երևան".normalize("NFKC")));
  });
});

describe("romaniseArmenian: output shape", () => {
  it("distinct lower-case ASCII forms, at most 8; nothing to romanise gives none", () => {
    for (const [w] of SPELLINGS) {
      const forms = romaniseArmenian(w.toLowerCase());
      assert.ok(forms.length >= 1 && forms.length <= 8, w);
      assert.equal(new Set(forms).size, forms.length, w);
      for (const f of forms) assert.match(f, /^[a-z]+$/, w);
    }
    assert.deepEqual(romaniseArmenian(""), []);
    assert.deepEqual(romaniseArmenian("՞"), []);
  });
});
