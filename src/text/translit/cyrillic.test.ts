import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { cyrillicLanguage, romaniseCyrillic } from "./cyrillic.js";

const lower = (s: string) => s.toLowerCase();

/**
 * Name words as the sanctions lists print them in both scripts (EU FSF, UK FCDO and Canadian
 * lists, which give the Cyrillic beside one or more Latin spellings): the Latin spelling must be
 * among the variants. The column on the right names the convention that produces it.
 */
const LIST_SPELLINGS: readonly (readonly [string, string, string])[] = [
  ["МАЛЫШЕВ", "MALYSHEV", "BGN/PCGN"],
  ["АРХАРОВ", "ARKHAROV", "BGN/PCGN"],
  ["УДАЛЬЦОВ", "UDALTSOV", "BGN/PCGN"],
  ["ЛУЗЯНИН", "LUZYANIN", "BGN/PCGN"],
  ["ХОРОХОРДИН", "KHOROKHORDIN", "BGN/PCGN"],
  ["МАКСИМЦЕВ", "MAKSIMTSEV", "BGN/PCGN"],
  ["ДОГАЕВ", "DOGAYEV", "BGN/PCGN: е after a vowel"],
  ["ГЛАЗЬЕВ", "GLAZYEV", "BGN/PCGN: е after ь"],
  ["САВЕЛЬЕВ", "SAVELYEV", "BGN/PCGN"],
  ["МАТВИЕНКО", "MATVIYENKO", "BGN/PCGN"],
  ["ИВАНИНСКИЙ", "IVANINSKIY", "BGN/PCGN: -ий"],
  ["ЯСКЕЛАЙНЕН", "YASKELAYNEN", "BGN/PCGN"],
  ["Сергеевич", "Sergeyevich", "BGN/PCGN"],
  ["Сергеевич", "Sergeevich", "passport 1997"],
  ["Юрьевич", "Yurevich", "passport 1997"],
  ["МУСАЕВ", "MUSAEV", "passport 1997"],
  ["Васильевич", "Vasilevich", "passport 1997"],
  ["Юрьевич", "Yurievich", "English popular"],
  ["ГЛАЗЬЕВ", "GLAZIEV", "English popular"],
  ["Наталья", "Natalia", "English popular"],
  ["Александрович", "Alexandrovich", "English popular: кс"],
  ["Алексеевич", "Alexeyevich", "English popular: кс"],
  ["Валерий", "Valery", "English popular: -ий"],
  ["Геннадий", "Gennadi", "English popular / German"],
  ["Михайлович", "Mikhailovich", "ICAO 9303"],
  ["Юрьевна", "Iurievna", "ICAO 9303 / French"],
  ["ТЮТИНА", "TIUTINA", "ICAO 9303"],
  ["Ратушняк", "Ratushniak", "ICAO 9303"],
  ["АНТЮФЕЕВ", "ANTIUFEEV", "ICAO 9303"],
  ["ЦАРЕВ", "Carev", "ISO 9 / Czech"],
  ["ДУБИНСКИЙ", "DUBINSKIJ", "ISO 9 / Czech"],
  ["ПОДДУБНЫЙ", "PODDUBNYJ", "ISO 9 / Czech"],
  ["МАТВИЕНКО", "MATVIJENKO", "Czech"],
  ["Виктория", "Viktorija", "Czech / Swedish"],
  ["КАДЫРОВ", "KADYROW", "German"],
  ["ЕФИМОВ", "JEFIMOW", "German"],
  ["Борисович", "Borissowitsch", "German"],
  ["ДЕМЧЕНКО", "DEMTSCHENKO", "German"],
  ["ЧАЙКА", "Tschaika", "German"],
  ["ВИНОКУРОВ", "VINOKOUROV", "French"],
  ["ЯНУКОВИЧ", "Ianoukovitch", "French"],
  ["Рудольфович", "Roudolfovitch", "French"],
  ["ТИМЧЕНКО", "Timtchenko", "French"],
  ["Васильев", "VASSILIEV", "French"],
  ["ТКАЧЁВ", "TKATJOV", "Swedish"],
  ["Семёнович", "Semjonovitj", "Swedish"],
  ["ХУДАЙНАТОВ", "CHUDAJNATOV", "Swedish"],
  ["КУДРЯВЦЕВ", "KUDRJAVTSEV", "Swedish"],
  ["Евгеньевна", "Jevgenjevna", "Swedish"],
  ["МОРДАШОВ", "Mordaszow", "Polish"],
  ["МЕЛЬНИЧЕНКО", "Mielniczenko", "Polish"],
  ["Леонидович", "Leonidowicz", "Polish"],
  ["АБРАМОВИЧ", "Abramovici", "Romanian"],
  ["Федорович", "Fedorovici", "Romanian"],
  ["ЗО́РЬКИН", "ZORKIN", "a stress mark in the list's Cyrillic is dropped"],
  ["КАРТAПOЛOВ", "Kartapolow", "Latin look-alike letters typed inside the Cyrillic"],
  ["ТРОФІМОB", "TROFIMOV", "Latin look-alike letters typed inside the Cyrillic"],
];

/** Ukrainian words from the same lists, and the examples of the 2010 national table itself. */
const UKRAINIAN: readonly (readonly [string, string, string])[] = [
  ["ГУБАРЄВА", "HUBARIEVA", "national 2010"],
  ["ЛАПТЄВА", "LAPTIEVA", "national 2010"],
  ["ПОГОРЄЛОВ", "POHORIELOV", "national 2010"],
  ["Іванович", "Ivanovych", "national 2010"],
  ["Євгенович", "Yevhenovych", "national 2010: є at the start"],
  ["Сергійович", "Serhiyovych", "BGN/PCGN 1965"],
  ["АЛТАБАЄВА", "ALTABAJEVA", "Czech / Swedish"],
  ["Юрійович", "Jurijovytj", "Swedish"],
  ["Галіна", "Halina", "national 2010"],
  ["Галіна", "Galina", "Russian reading of г"],
  ["Згорани", "Zghorany", "national 2010 table: зг"],
  ["Єнакієве", "Yenakiieve", "national 2010 table"],
  ["Гайворон", "Haivoron", "national 2010 table"],
  ["Їжакевич", "Yizhakevych", "national 2010 table"],
  ["Кадиївка", "Kadyivka", "national 2010 table"],
  ["Йосипівка", "Yosypivka", "national 2010 table"],
  ["Стрий", "Stryi", "national 2010 table"],
  ["Олексій", "Oleksii", "national 2010 table"],
  ["Знам'янка", "Znamianka", "national 2010 table: apostrophe"],
  ["Знам’янка", "Znamyanka", "BGN/PCGN 1965"],
];

/** Belarusian words from the lists (passport, BGN/PCGN and Belarusian Latin spellings). */
const BELARUSIAN: readonly (readonly [string, string, string])[] = [
  ["ПАЎЛОЎСКАЯ", "PAULOUSKAYA", "passport"],
  ["ПАЎЛОЎСКАЯ", "Paulouskaja", "Belarusian Latin"],
  ["УШАКОЎ", "USHAKOU", "passport"],
  ["БЫКАЎ", "BYKAU", "passport"],
  ["Дзмітрый", "Dzmitry", "passport"],
  ["Пятроўна", "Piatrouna", "passport"],
  ["Уладзіміраўна", "Uladzimirauna", "passport"],
  ["Аляксандраўна", "Aliaksandrauna", "passport"],
  ["Яўген", "Jauhen", "Belarusian Latin"],
  ["Фёдаравіч", "Fjodaravitj", "Swedish"],
  ["УШАКОЎ", "USJAKOU", "Swedish"],
];

/** Bulgarian, Serbian, Macedonian and Kazakh names as their holders' documents spell them. */
const OTHER_LANGUAGES: readonly (readonly [string, string, string])[] = [
  ["Бойко", "Boyko", "Bulgarian streamlined"],
  ["Борисов", "Borisov", "Bulgarian streamlined"],
  ["Христо", "Hristo", "Bulgarian streamlined: х"],
  ["Стоичков", "Stoichkov", "Bulgarian streamlined"],
  ["Първанов", "Parvanov", "Bulgarian streamlined: ъ"],
  ["Желю", "Zhelyu", "Bulgarian streamlined"],
  ["Милошевић", "Milosevic", "Serbian Gaj Latin without diacritics"],
  ["Младић", "Mladic", "Serbian Gaj Latin without diacritics"],
  ["Караџић", "Karadzic", "Serbian Gaj Latin without diacritics"],
  ["Ђорђевић", "Djordjevic", "Serbian Gaj Latin without diacritics"],
  ["Ђорђевић", "Djordjevich", "English"],
  ["Трајковски", "Trajkovski", "Macedonian official"],
  ["Ѓорге", "Gjorge", "Macedonian official"],
  ["Сәрсенбаев", "Sarsenbayev", "Kazakh, BGN/PCGN"],
  ["Смайылов", "Smaiylov", "passport"],
  ["Әлихан", "Alikhan", "Kazakh, passport"],
];

function check(table: readonly (readonly [string, string, string])[]) {
  for (const [cyrillic, latin, convention] of table) {
    it(`${cyrillic} → ${latin} (${convention})`, () => {
      const forms = romaniseCyrillic(lower(cyrillic));
      assert.ok(forms.includes(lower(latin)), `${lower(latin)} not in ${forms.join(", ")}`);
    });
  }
}

describe("romaniseCyrillic: spellings the lists use", () => check(LIST_SPELLINGS));
describe("romaniseCyrillic: Ukrainian", () => check(UKRAINIAN));
describe("romaniseCyrillic: Belarusian", () => check(BELARUSIAN));
describe("romaniseCyrillic: Bulgarian, Serbian, Macedonian, Kazakh", () => check(OTHER_LANGUAGES));

describe("romaniseCyrillic: the conventions, whole-word", () => {
  const cases: readonly (readonly [string, readonly string[]])[] = [
    ["кузнецов", ["kuznetsov", "kouznetsov", "kusnezow", "kuznecov"]],
    ["чайковский", ["chaykovskiy", "chaykovsky", "chaikovskii", "tchaikovski", "tschaikowski"]],
    ["хрущёв", ["khrushchev", "chruschtschow", "khrouchtchev"]],
    ["горбачёв", ["gorbachev", "gorbatschow", "gorbatchev"]],
    ["фёдоров", ["fedorov", "fyodorov", "fjodorow"]],
    ["геннадий", ["gennadiy", "gennadii", "gennady", "gennadi", "guennadi"]],
    ["ильич", ["ilich", "ilyich", "iljitsch"]],
  ];
  for (const [word, expected] of cases) {
    it(`${word} → ${expected.join(", ")}`, () => {
      const forms = romaniseCyrillic(word);
      for (const e of expected) assert.ok(forms.includes(e), `${e} not in ${forms.join(", ")}`);
    });
  }
});

describe("romaniseCyrillic: primary form", () => {
  // BGN/PCGN as OFAC and the UN apply it: -ий → "iy", ё → "e", е → "ye" at the start and after
  // vowels and soft signs; Ukrainian, Belarusian and the others by their national systems.
  const cases: readonly (readonly [string, string])[] = [
    ["кузнецов", "kuznetsov"],
    ["юрий", "yuriy"],
    ["наталья", "natalya"],
    ["фёдоров", "fedorov"],
    ["ерофеев", "yerofeyev"],
    ["щёголев", "shchegolev"],
    ["олексій", "oleksii"],
    ["яўген", "yauhen"],
    ["христо", "khristo"],
    ["първанов", "parvanov"],
    ["ђорђевић", "djordjevic"],
    ["қасымов", "qasymov"],
  ];
  for (const [word, primary] of cases) {
    it(`${word} → ${primary}`, () => assert.equal(romaniseCyrillic(word)[0], primary));
  }
});

describe("cyrillicLanguage", () => {
  const cases: readonly (readonly [string, string])[] = [
    ["кузнецов", "cyr"],
    ["рыбаков", "ru"],
    ["олексійович", "uk"],
    ["олексій", "ukbe"],
    ["знам'янка", "uk"],
    ["гайворон", "cyr"],
    ["галіна", "ukbe"],
    ["дзмітрый", "be"],
    ["ушакоў", "be"],
    ["първанов", "bg"],
    ["подъезд", "cyr"],
    ["ђорђевић", "sr"],
    ["ѓорге", "sr"],
    ["смайылов", "ru"],
    ["сәрсенбаев", "kk"],
  ];
  for (const [word, language] of cases) {
    it(`${word} → ${language}`, () => assert.equal(cyrillicLanguage(word), language));
  }
});

describe("romaniseCyrillic: output shape", () => {
  const words = [
    ...[...LIST_SPELLINGS, ...UKRAINIAN, ...BELARUSIAN, ...OTHER_LANGUAGES].map(([c]) => lower(c)),
    "римский-корсаков",
    "юрьевич",
    "ъ",
    "ь",
    "'",
    "123",
    "кузнецов".repeat(1250),
  ];
  it("distinct lower-case ASCII forms, at most 8, never empty strings", () => {
    for (const w of words) {
      const forms = romaniseCyrillic(w);
      assert.ok(forms.length <= 8, w);
      assert.equal(new Set(forms).size, forms.length, w);
      for (const f of forms) assert.match(f, /^[a-z]+$/, w);
    }
  });
  it("nothing to romanise gives no forms", () => {
    assert.deepEqual(romaniseCyrillic(""), []);
    assert.deepEqual(romaniseCyrillic("ь"), []);
    assert.deepEqual(romaniseCyrillic("123"), []);
  });
  it("a hyphen inside a word is a word boundary for the rules, and is not kept", () => {
    const forms = romaniseCyrillic("римский-корсаков");
    assert.equal(forms[0], "rimskiykorsakov");
    assert.ok(forms.includes("rimskykorsakov"));
  });
  it("capitals and Latin look-alike capitals read as lower case", () => {
    assert.deepEqual(romaniseCyrillic("КУЗНЕЦОВ"), romaniseCyrillic("кузнецов"));
    assert.deepEqual(romaniseCyrillic("ЇЖАКЕВИЧ"), romaniseCyrillic("їжакевич"));
    assert.deepEqual(romaniseCyrillic("КАРТAПOЛOВ"), romaniseCyrillic("картаполов"));
  });
  it("a long word is romanised whole", () => {
    assert.equal(romaniseCyrillic("кузнецов".repeat(1250))[0], "kuznetsov".repeat(1250));
  });
});
