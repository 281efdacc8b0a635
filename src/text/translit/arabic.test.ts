import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { arabicSkeleton, latinSkeleton, romaniseArabic } from "./arabic.js";

// Name elements as written in Arabic script on the UN, EU and UK lists, with Latin spellings
// the same lists give for them (joined, lower-case, without hyphens or apostrophes).
const ELEMENTS: [arabic: string, latin: string[]][] = [
  ["محمد", ["muhammad", "mohammed", "mohamed", "mohammad"]],
  ["أحمد", ["ahmad", "ahmed"]],
  ["احمد", ["ahmad", "ahmed"]],
  ["محمود", ["mahmud", "mahmoud"]],
  ["عبد", ["abd", "abdul", "abdel"]],
  ["الله", ["allah"]],
  ["عبدالله", ["abdullah", "abdallah", "abdulla"]],
  ["عبد الله", ["abdullah", "abdallah"]],
  ["حسين", ["hussein", "husayn"]],
  ["حسن", ["hassan", "hasan"]],
  ["علي", ["ali"]],
  ["على", ["ali"]],
  ["عمر", ["omar", "umar", "amor"]],
  ["عثمان", ["uthman", "othman"]],
  ["يوسف", ["yusuf", "youssef", "yousef"]],
  ["بن", ["bin", "ben"]],
  ["أبو", ["abu", "abou"]],
  ["ولد", ["ould"]],
  ["إبراهيم", ["ibrahim"]],
  ["ابراهيم", ["ibrahim"]],
  ["مصطفى", ["mustafa", "mostafa"]],
  ["طارق", ["tariq", "tarek", "tarak"]],
  ["أسامة", ["osama", "usama"]],
  ["سيد", ["sayyid", "sayed", "sayyed"]],
  ["السيد", ["alsayyid", "elsayed"]],
  ["قاسم", ["qasim"]],
  ["خالد", ["khalid"]],
  ["يحيى", ["yahya", "yahia"]],
  ["سليمان", ["sulaiman"]],
  ["جمال", ["jamal", "djamel"]],
  ["صالح", ["salih", "saleh"]],
  ["عادل", ["adil", "adel"]],
  ["منصور", ["mansur", "mansour"]],
  ["الرحمن", ["rahman", "alrahman"]],
  ["الدين", ["aldin", "uddin"]],
  ["آخوند", ["akhund"]],
  ["آغا", ["agha"]],
  ["حقانی", ["haqqani"]],
  ["حقانى", ["haqqani"]],
  ["نورزی", ["noorzai"]],
  ["آخوندزاده", ["akhundzada"]],
  ["خيرالله", ["khairullah", "khayrallah"]],
  ["التكريتي", ["altikriti", "tikriti"]],
  // Persian spellings of the same elements lead when the word uses Persian letters.
  ["حسین", ["hossein"]],
  ["مرتضی", ["morteza"]],
  ["رضا", ["reza"]],
  ["مهدی", ["mehdi", "mahdi"]],
  ["سید", ["seyed", "sayed"]],
  ["محمدرضا", ["mohammadreza"]],
  ["غلامرضا", ["gholamreza"]],
  ["علیرضا", ["alireza"]],
  // Compositions of table elements.
  ["عبدالرحمن", ["abdulrahman", "abdelrahman", "abdurrahman"]],
  ["عبدالحليم", ["abdelhalim", "abdulhalim"]],
  ["عبدالقادر", ["abdulqadir", "abdelkader"]],
  ["نورالدین", ["nooruddin", "nuruddin"]],
  ["الحسين", ["alhusayn", "husayn"]],
  // Vowel signs, tatweel, a zero-width non-joiner and presentation forms are ignored.
  ["مُحَمَّد", ["muhammad"]],
  ["شعبـان", ["shaban"]],
  ["سیف‌الله", ["saifullah"]],
  ["ﻤﺣﻤﺩ", ["mohammad"]],
];

// Words outside the table: the list's Latin spelling has the same consonant skeleton.
const SKELETONS: [arabic: string, latin: string[]][] = [
  ["هشام", ["hisham", "hesham"]],
  ["التكريتي", ["altikriti", "tikriti"]],
  ["الظواهري", ["alzawahiri", "zawahiri"]],
  ["الزنداني", ["alzindani"]],
  ["المشهداني", ["almashhadani"]],
  ["الخفاجي", ["alkhafaji"]],
  ["طلفاح", ["tilfah"]],
  ["حبوش", ["habbush"]],
  ["الجزراوي", ["aljizrawi"]],
  ["الزهراني", ["alzahrani"]],
  ["الغامدي", ["alghamdi"]],
  ["العسيري", ["alasiri"]],
  ["الحمراوي", ["alhamraoui"]],
  ["بلمختار", ["belmokhtar"]],
  ["زرقاوي", ["zarkaoui"]],
  ["الصحراوي", ["alsahraoui", "sahraoui"]],
  ["السعدي", ["essaadi", "alsaadi"]],
  ["العاني", ["alani"]],
  ["استانکزی", ["stanekzai"]],
  ["اچکزی", ["achekzai"]],
  ["شینواری", ["shinwari"]],
  ["بارکزی", ["barakzai"]],
  ["زاکانی", ["zakani"]],
  ["شمخانی", ["shamkhani"]],
  ["عبدالرحمن", ["abdurrahman", "abderrahmane", "abdulrahman"]],
  ["عبدالله", ["abdullah", "abdallah"]],
  ["عبد", ["abdul", "abdel", "abd"]],
  ["الدين", ["uddin", "eddine", "aldin"]],
  ["ابوالفضل", ["abolfazl", "abulfadl"]],
  ["ذوالقدر", ["zolghadr", "zulqadr", "zolqadr"]],
  ["قالیباف", ["ghalibaf", "qalibaf"]],
  ["ظاهر", ["zahir", "dhahir", "dahir"]],
  ["فضل", ["fazl", "fadl", "fazal"]],
];

// Different names keep different skeletons.
const DIFFERENT: [arabic: string, latin: string][] = [
  ["محمد", "ahmad"],
  ["خالد", "khalil"],
  ["جمال", "kamal"],
  ["التكريتي", "tabrizi"],
  ["علي", "alam"],
  ["عمر", "omran"],
  ["حسن", "hashim"],
];

describe("romaniseArabic", () => {
  for (const [arabic, latin] of ELEMENTS) {
    it(`${arabic} → ${latin.join(", ")}`, () => {
      const got = romaniseArabic(arabic.replaceAll(" ", ""));
      for (const l of latin) assert.ok(got.includes(l), `${l} not in ${got.join(" ")}`);
    });
  }

  it("puts the Persian spelling first when the word uses Persian letters", () => {
    assert.equal(romaniseArabic("حسین")[0], "hossein");
    assert.equal(romaniseArabic("حسين")[0], "hussein");
  });

  it("reads words outside the table by rule, in the common name shapes", () => {
    const cases: [string, string][] = [
      ["خادم", "khadim"],
      ["انتصار", "intisar"],
      ["قحطان", "qahtan"],
      ["سلامة", "salama"],
      ["عكاشة", "akacha"],
      ["جوهر", "jawhar"],
      ["نوفل", "naoufal"],
      ["مشهداني", "mashhadani"],
      ["خفاجي", "khafaji"],
      ["الشاهبندر", "shahbandar"],
      ["ذاکر", "zakir"],
      ["حكيمى", "hakimi"],
    ];
    for (const [arabic, latin] of cases) {
      const got = romaniseArabic(arabic);
      assert.ok(got.includes(latin), `${arabic}: ${latin} not in ${got.join(" ")}`);
    }
  });

  it("returns distinct lower-case ASCII, at most 8, for every word in the tables above", () => {
    for (const [arabic] of [...ELEMENTS, ...SKELETONS]) {
      const got = romaniseArabic(arabic);
      assert.ok(got.length > 0 && got.length <= 8, arabic);
      assert.equal(new Set(got).size, got.length, arabic);
      for (const s of got) assert.match(s, /^[a-z]+$/);
    }
  });

  it("gives nothing for words without Arabic letters, and survives bad input", () => {
    assert.deepEqual(romaniseArabic(""), []);
    assert.deepEqual(romaniseArabic("Mohammed"), []);
    assert.deepEqual(romaniseArabic("ـــ"), []);
    assert.deepEqual(romaniseArabic("\u064e\u0651"), []);
    const long = romaniseArabic("بسمعيل".repeat(2000));
    assert.ok(long.length > 0 && long.length <= 8);
    assert.deepEqual(romaniseArabic("محمد\u0000"), romaniseArabic("محمد"));
  });
});

describe("arabicSkeleton / latinSkeleton", () => {
  for (const [arabic, latin] of SKELETONS) {
    it(`${arabic} ~ ${latin.join(", ")}`, () => {
      const key = arabicSkeleton(arabic);
      assert.ok(key.length > 0);
      for (const l of latin) assert.equal(latinSkeleton(l), key, `${l}: ${latinSkeleton(l)} ≠ ${key}`);
    });
  }

  for (const [arabic, latin] of DIFFERENT) {
    it(`${arabic} ≁ ${latin}`, () => assert.notEqual(arabicSkeleton(arabic), latinSkeleton(latin)));
  }

  it("agrees with the skeleton of its own rule-based romanisation", () => {
    for (const word of ["التكريتي", "الزنداني", "طلفاح", "الخفاجي", "شینواری", "زرقاوي", "درويش"]) {
      for (const r of romaniseArabic(word))
        assert.equal(latinSkeleton(r), arabicSkeleton(word), `${word} → ${r}`);
    }
  });

  it("treats hyphens, apostrophes, case and accents on the Latin side as noise", () => {
    assert.equal(latinSkeleton("Al-Tikriti"), latinSkeleton("tikriti"));
    assert.equal(latinSkeleton("SA'D"), latinSkeleton("saad"));
    assert.equal(latinSkeleton("Fayçal"), latinSkeleton("faysal"));
  });

  it("keeps the l of names that only look like the article", () => {
    assert.equal(latinSkeleton("Ali"), arabicSkeleton("علي"));
    assert.equal(latinSkeleton("Alireza"), arabicSkeleton("علیرضا"));
    assert.equal(latinSkeleton("Alawi"), arabicSkeleton("علوي"));
    assert.equal(latinSkeleton("Elias"), arabicSkeleton("الياس"));
  });

  it("is empty when there is no consonant evidence", () => {
    assert.equal(arabicSkeleton(""), "");
    assert.equal(latinSkeleton(""), "");
    assert.equal(latinSkeleton("--"), "");
    assert.equal(arabicSkeleton("Hisham"), "");
  });
});
