import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { romaniseHangul, splitKoreanName } from "./hangul.js";

// Korean names as written in Hangul on the EU and UK lists (DPRK persons) and a few public
// figures, with the surname and given-name spellings they appear under (joined, lower-case,
// hyphens removed). Each part is romanised on its own, as the matcher sees it once split.
const NAMES: [hangul: string, surname: string, given: string[]][] = [
  ["김정은", "kim", ["jongun", "jeongeun"]],
  ["리용호", "ri", ["yongho"]],
  ["최룡해", "choe", ["ryonghae"]],
  ["김일성", "kim", ["ilsung", "ilsong"]],
  ["장성택", "jang", ["songthaek"]],
  ["박봉주", "pak", ["pongju"]],
  ["김여정", "kim", ["yojong"]],
  ["렴영", "ryom", ["yong"]],
  ["전지부", "chon", ["chibu"]],
  ["김동운", "kim", ["tongun"]],
  ["박재경", "pak", ["jaegyong", "chaekyong"]],
  ["서상국", "so", ["sangkuk"]],
  ["전일춘", "jon", ["ilchun"]],
  ["김영철", "kim", ["yongchol", "youngchul", "youngcheol"]],
  ["최천식", "choe", ["chunsik"]],
  ["신규남", "sin", ["kyunam"]],
  ["서동명", "so", ["tongmyong"]],
  ["최경성", "choe", ["kyongsong"]],
  ["홍승무", "hong", ["sungmu"]],
  ["조경철", "jo", ["kyongchol"]],
  ["김춘섭", "kim", ["chunsop"]],
  ["박정천", "pak", ["jongchon"]],
  ["리용주", "ri", ["yongju"]],
  ["윤정린", "yun", ["jongrin"]],
  ["리학철", "ri", ["hakchol", "hakchul", "hakcheol"]],
  ["윤창혁", "yun", ["changhyok"]],
  ["왕창욱", "wang", ["changuk"]],
  ["장철", "jang", ["chol"]],
  ["전철영", "jon", ["cholyoung", "cholyong"]],
  ["안종혁", "an", ["jonghyuk", "jonghyok"]],
  ["박영한", "park", ["younghan"]],
  ["변원군", "pyon", ["wongun"]],
  ["배원철", "pae", ["wonchol"]],
  ["김병철", "kim", ["pyongchol"]],
  ["손영남", "son", ["youngnam"]],
  ["김수광", "kim", ["sugwang", "sukwang"]],
  ["김경희", "kim", ["kyonghui"]],
  ["정경택", "jong", ["kyongthaek", "kyongtaek"]],
  ["리영길", "ri", ["yonggil"]],
  ["정승일", "jong", ["sungil"]],
  ["유진", "yu", ["jin"]],
  ["황길수", "hwang", ["kilsu"]],
  ["박광훈", "pak", ["kwanghun", "gwanghun"]],
  ["김호규", "kim", ["hokyu", "hogyu"]],
  ["송림", "song", ["rim"]],
  ["노광철", "no", ["kwangchol"]],
  ["리창호", "ri", ["changho"]],
  ["신금철", "sin", ["kumchol", "geumcheol"]],
  ["차용범", "cha", ["yongbeom", "yongpom", "yongbom"]],
  ["김대중", "kim", ["daejung"]],
  ["이명박", "lee", ["myungbak"]],
  ["박근혜", "park", ["geunhye"]],
  ["문재인", "moon", ["jaein"]],
  ["윤석열", "yoon", ["sukyeol"]],
  ["반기문", "ban", ["kimoon"]],
  ["남궁민", "namgung", ["min"]],
];

describe("romaniseHangul", () => {
  for (const [hangul, surname, given] of NAMES) {
    it(`${hangul} → ${surname} ${given.join(" / ")}`, () => {
      const cut = splitKoreanName(hangul);
      assert.ok(cut > 0, "surname found");
      const chars = [...hangul];
      const s = romaniseHangul(chars.slice(0, cut).join(""));
      const g = romaniseHangul(chars.slice(cut).join(""));
      assert.ok(s.includes(surname), `${surname} not in ${s.join(" ")}`);
      for (const l of given) assert.ok(g.includes(l), `${l} not in ${g.join(" ")}`);
    });
  }

  it("reads a whole name in one token, surname first and (DPRK style) given name first", () => {
    const cases: [string, string[]][] = [
      ["김정은", ["kimjongun", "gimjeongeun", "kimchongun", "jongunkim"]],
      ["리용호", ["riyongho", "leeyongho"]],
      ["최룡해", ["choeryonghae", "choiryonghae"]],
      ["장성택", ["jangsongthaek"]],
      ["김영철", ["kimyongchol", "yongcholkim"]],
      ["정경택", ["jongkyongthaek", "kyongthaekjong"]],
    ];
    for (const [hangul, latin] of cases) {
      const got = romaniseHangul(hangul);
      for (const l of latin) assert.ok(got.includes(l), `${hangul}: ${l} not in ${got.join(" ")}`);
    }
  });

  it("writes each scheme as its rules say", () => {
    // Revised Romanization of names, syllable by syllable (the standard's own examples).
    assert.equal(romaniseHangul("한복남")[0], "hanboknam");
    assert.equal(romaniseHangul("홍빛나")[0], "hongbitna");
    assert.equal(romaniseHangul("정은")[0], "jungeun");
    assert.equal(romaniseHangul("영철")[0], "yeongcheol");
    // McCune–Reischauer voicing and assimilation; the South's initial-sound law.
    assert.ok(romaniseHangul("녕변").includes("yongbyon"));
    assert.ok(romaniseHangul("독립").includes("tongnip"));
    assert.ok(romaniseHangul("룡").includes("yong"));
  });

  it("gives the usual surname spellings first", () => {
    assert.deepEqual(romaniseHangul("김").slice(0, 2), ["kim", "gim"]);
    assert.deepEqual(romaniseHangul("이").slice(0, 4), ["lee", "yi", "rhee", "ri"]);
    assert.deepEqual(romaniseHangul("박").slice(0, 3), ["park", "pak", "bak"]);
    assert.deepEqual(romaniseHangul("최").slice(0, 2), ["choi", "choe"]);
    assert.ok(romaniseHangul("황보").includes("hwangbo"));
  });

  it("returns distinct lower-case ASCII, at most 8", () => {
    for (const [hangul] of NAMES) {
      for (const w of [hangul, hangul.slice(1)]) {
        const got = romaniseHangul(w);
        assert.ok(got.length > 0 && got.length <= 8, w);
        assert.equal(new Set(got).size, got.length, w);
        for (const s of got) assert.match(s, /^[a-z]+$/);
      }
    }
  });

  it("ignores characters outside Hangul syllables and gives nothing without them", () => {
    assert.deepEqual(romaniseHangul("김-정은"), romaniseHangul("김정은"));
    assert.deepEqual(romaniseHangul(""), []);
    assert.deepEqual(romaniseHangul("Kim Jong Un"), []);
    assert.deepEqual(romaniseHangul("ㄱㄴ"), []);
    assert.deepEqual(romaniseHangul("金铁三"), []);
    const long = romaniseHangul("조선민주주의인민공화국".repeat(1000));
    assert.ok(long.length > 0 && long.length <= 8);
  });
});

describe("splitKoreanName", () => {
  const cases: [string, number][] = [
    ["김정은", 1],
    ["남궁민", 2],
    ["황보", 0],
    ["장철", 1],
    ["김", 0],
    ["조선인민군", 0],
  ];
  for (const [hangul, n] of cases) it(`${hangul} → ${n}`, () => assert.equal(splitKoreanName(hangul), n));
});
